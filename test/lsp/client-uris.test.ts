/**
 * The server answers with the client's own URI strings (issue 14): a client that sends
 * `%c3%a9` (lower-case escapes, as some editors write them) gets its diagnostics, definitions,
 * references and rename edits under that exact string, never the normalized `%C3%A9`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    DefinitionRequest,
    DidCloseTextDocumentNotification,
    ReferencesRequest,
    RenameRequest,
    WorkspaceSymbolRequest
} from 'vscode-languageserver-protocol/node.js';
import { ReportRequest } from '../../src/protocol.js';
import { startStdioServer, type LanguageFeatureServer } from './stdio.js';

let server: LanguageFeatureServer;
beforeAll(async () => {
    server = await startStdioServer();
}, 60_000);
afterAll(async () => {
    await server?.stop();
});

const CLIENT = 'file:///tmp/dcplan-uri/caf%c3%a9.dcplan';
const NORMALIZED = 'file:///tmp/dcplan-uri/caf%C3%A9.dcplan';
const TEXT =
    'shape s { role = proxy cores = 1 memory = 2 GiB }\nshape unused { role = proxy cores = 1 memory = 2 GiB }\ndeploy 2 x s\n';

describe('URIs as the client wrote them', () => {
    it("publishes the diagnostics under the client's string only", async () => {
        const params = await server.open(CLIENT, TEXT);
        expect(params.uri).toBe(CLIENT);
        expect(params.diagnostics.map(d => [d.code, d.range.start.line]).sort()).toEqual([
            ['unplaceable', 2],
            ['unused-shape', 1]
        ]);
        expect([...server.published.keys()]).toEqual([CLIENT]);
        expect(server.published.has(NORMALIZED)).toBe(false);
    });

    it("definition, references and rename answer with the client's string", async () => {
        const at = { textDocument: { uri: CLIENT }, position: { line: 2, character: 11 } };
        expect(await server.conn.sendRequest(DefinitionRequest.type, at)).toEqual([
            {
                targetUri: CLIENT,
                targetRange: { start: { line: 0, character: 0 }, end: { line: 0, character: 49 } },
                targetSelectionRange: {
                    start: { line: 0, character: 6 },
                    end: { line: 0, character: 7 }
                },
                originSelectionRange: {
                    start: { line: 2, character: 11 },
                    end: { line: 2, character: 12 }
                }
            }
        ]);
        const refs = await server.conn.sendRequest(ReferencesRequest.type, {
            ...at,
            context: { includeDeclaration: true }
        });
        expect(refs!.map(l => [l.uri, l.range.start.line, l.range.start.character])).toEqual([
            [CLIENT, 0, 6],
            [CLIENT, 2, 11]
        ]);
        const edit = await server.conn.sendRequest(RenameRequest.type, { ...at, newName: 'p' });
        expect(Object.keys(edit!.changes!)).toEqual([CLIENT]);
        const symbols = await server.conn.sendRequest(WorkspaceSymbolRequest.type, {
            query: 'unused'
        });
        expect(symbols!.map(s => [s.name, 'uri' in s.location ? s.location.uri : ''])).toEqual([
            ['unused', CLIENT]
        ]);
        const report = await server.conn.sendRequest(ReportRequest, { uri: CLIENT });
        expect(report.uri).toBe(CLIENT);
        expect(report.report).not.toBeNull();
    });

    it("clears the diagnostics of the closed document under the client's string", async () => {
        server.published.delete(CLIENT);
        await server.conn.sendNotification(DidCloseTextDocumentNotification.type, {
            textDocument: { uri: CLIENT }
        });
        const cleared = await server.until('cleared diagnostics', () =>
            server.published.get(CLIENT)?.find(p => p.diagnostics.length === 0)
        );
        expect(cleared.uri).toBe(CLIENT);
        expect(server.published.has(NORMALIZED)).toBe(false);
    });
});
