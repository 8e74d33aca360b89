/**
 * Requests sent together right after `didOpen` of a new plan not saved to disk (an editor opening
 * a new buffer asks for symbols, folding and completion at once): each is answered on the opened
 * text. The second one was answered "No document found" (ServerCancelled) in 18 of 20 tries: the
 * first request's flush of the held-back text had not yet created the document.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
    CompletionRequest,
    DidOpenTextDocumentNotification,
    DocumentSymbolRequest,
    FoldingRangeRequest,
    HoverRequest
} from 'vscode-languageserver-protocol';
import { StdioServer } from './stdio-server.js';

const ws = mkdtempSync(path.join(tmpdir(), 'dcplan-newfile-'));
let server: StdioServer | undefined;
afterAll(async () => {
    await server?.stop();
    rmSync(ws, { recursive: true, force: true });
});

describe('requests right after didOpen of a file not on disk', () => {
    it('are all answered, 20 new files in a row', async () => {
        server = new StdioServer({ timeoutMs: 20_000 });
        await server.initialize({
            rootUri: pathToFileURL(ws).toString(),
            workspaceFolders: [{ uri: pathToFileURL(ws).toString(), name: 'ws' }]
        });
        const failures: string[] = [];
        for (let i = 0; i < 20; i++) {
            const uri = pathToFileURL(path.join(ws, `new-${i}.dcplan`)).toString();
            const text = 'shape p { role = proxy cores = 1 memory = 2 GiB }\n';
            await server.conn.sendNotification(DidOpenTextDocumentNotification.type, {
                textDocument: { uri, languageId: 'dcplan', version: 1, text }
            });
            const asked = [
                server.conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } }),
                server.conn.sendRequest(FoldingRangeRequest.type, { textDocument: { uri } }),
                server.conn.sendRequest(CompletionRequest.type, {
                    textDocument: { uri },
                    position: { line: 1, character: 0 }
                })
            ];
            for (const r of await Promise.allSettled(asked))
                if (r.status === 'rejected') failures.push(`${i}: ${String(r.reason)}`);
            const symbols = await server.conn.sendRequest(DocumentSymbolRequest.type, {
                textDocument: { uri }
            });
            expect(symbols?.map(s => s.name)).toEqual(['p']);
        }
        expect(failures).toEqual([]);
    });

    it('a request about a plan neither open nor on disk is refused with RequestFailed, saying so', async () => {
        const uri = pathToFileURL(path.join(ws, 'never-opened.dcplan')).toString();
        const answer = await server!.conn
            .sendRequest(HoverRequest.type, {
                textDocument: { uri },
                position: { line: 0, character: 0 }
            })
            .then(
                () => 'answered',
                (e: { code: number; message: string }) => [e.code, e.message]
            );
        expect(answer).toEqual([
            -32803,
            `no document ${uri}: it is not open, and no plan of the workspace has that name`
        ]);
    });
});
