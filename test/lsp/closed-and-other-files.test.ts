/**
 * What the workspace holds once the editor lets go of a document, and what it never holds: the
 * real bundled server (dist/language-server.cjs) over stdio, in a folder with one plan, a note
 * and a `.bak` copy of the plan.
 *
 * - `didClose` of a plan with unsaved edits: the server's document is the file on disk again, so
 *   a rename edits the file at its own positions (it edited them at the discarded text's, which
 *   corrupted the file once applied).
 * - `didClose` of a plan that was never saved: it leaves the workspace, and an import of it is
 *   missing again.
 * - `notes.txt` and `small.dcplan.bak` sent as `dcplan`: not plans (plan-files.ts), so no
 *   diagnostics, no hover, no symbols; `dcplan/report` and `dcplan/saveLock` refuse them.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    DidChangeTextDocumentNotification,
    DidCloseTextDocumentNotification,
    DidOpenTextDocumentNotification,
    DocumentSymbolRequest,
    HoverRequest,
    RenameRequest,
    WorkspaceSymbolRequest,
    type ProtocolConnection,
    type PublishDiagnosticsParams,
    type TextEdit
} from 'vscode-languageserver-protocol/node.js';
import { StdioServer } from './stdio-server.js';
import { diagnosticLines } from '../helpers/diagnostics.js';
import { ReportRequest, SaveLockRequest } from '../../src/protocol.js';

let server: StdioServer;
let conn: ProtocolConnection;
let ws: string;
let published: Map<string, PublishDiagnosticsParams[]>;

const SMALL_TEXT =
    'model box { cores = 8 memory = 64 GiB }\n\n' +
    'host n[1..2] : box {\n  hypervisor_cores = 1\n  hypervisor_memory = 8 GiB\n}\n';

const uriOf = (name: string) => pathToFileURL(path.join(ws, name)).toString();

/** Edits as `L:C-L:C newText` (0-based, as sent). */
const edits = (list: TextEdit[] | undefined) =>
    (list ?? []).map(
        e =>
            `${e.range.start.line}:${e.range.start.character}-${e.range.end.line}:${e.range.end.character} ${e.newText}`
    );

/** The first diagnostics of `uri` published after the first `n`, that `check` accepts. */
const publishedAfter = (uri: string, n: number, check: (p: PublishDiagnosticsParams) => boolean) =>
    server.until(`diagnostics of ${uri}`, () => (published.get(uri) ?? []).slice(n).find(check));

function open(name: string, text: string): Promise<void> {
    return conn.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri: uriOf(name), languageId: 'dcplan', version: 1, text }
    });
}

function close(name: string): Promise<void> {
    return conn.sendNotification(DidCloseTextDocumentNotification.type, {
        textDocument: { uri: uriOf(name) }
    });
}

beforeAll(async () => {
    ws = mkdtempSync(path.join(tmpdir(), 'dcplan-close-'));
    writeFileSync(path.join(ws, 'small.dcplan'), SMALL_TEXT);
    writeFileSync(path.join(ws, 'small.dcplan.bak'), SMALL_TEXT);
    writeFileSync(path.join(ws, 'notes.txt'), SMALL_TEXT);
    server = new StdioServer({ cwd: ws, timeoutMs: 20_000 });
    ({ conn, published } = server);
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    const folder = pathToFileURL(ws).toString();
    await server.initialize({
        rootUri: folder,
        workspaceFolders: [{ uri: folder, name: 'plans' }],
        capabilities: {
            workspace: { symbol: {} },
            textDocument: { rename: { prepareSupport: false } }
        }
    });
}, 60_000);

afterAll(async () => {
    await server?.stop();
    if (ws) rmSync(ws, { recursive: true, force: true });
});

describe('closing a document', () => {
    it('with unsaved edits: rename edits the file at its positions on disk', async () => {
        const small = uriOf('small.dcplan');
        const importer = uriOf('importer.dcplan');
        await open('small.dcplan', SMALL_TEXT);
        await open(
            'importer.dcplan',
            'import "small.dcplan"\nplan importer {}\nhost z : box { }\n'
        );
        await server.until('diagnostics of the importer', () => published.get(importer));
        // three comment lines typed at the top of small.dcplan, never saved
        await conn.sendNotification(DidChangeTextDocumentNotification.type, {
            textDocument: { uri: small, version: 2 },
            contentChanges: [
                {
                    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
                    text: '// a\n// b\n// c\n'
                }
            ]
        });
        // the server has the edited text: `model box` is on line 3 of it
        const edited = await conn.sendRequest(DocumentSymbolRequest.type, {
            textDocument: { uri: small }
        });
        expect(JSON.stringify(edited)).toContain('"start":{"line":3,"character":0}');
        const n = published.get(small)?.length ?? 0;
        await close('small.dcplan');

        const rename = await conn.sendRequest(RenameRequest.type, {
            textDocument: { uri: importer },
            position: { line: 2, character: 10 },
            newName: 'chassis'
        });
        expect(Object.keys(rename!.changes!).sort()).toEqual([importer, small]);
        expect(edits(rename!.changes![small])).toEqual(['0:6-0:9 chassis', '2:15-2:18 chassis']);
        expect(edits(rename!.changes![importer])).toEqual(['2:9-2:12 chassis']);
        // the closed plan's diagnostics are cleared, and the file on disk is as it was
        const cleared = await publishedAfter(small, n, () => true);
        expect(cleared.diagnostics).toEqual([]);
        expect(readFileSync(path.join(ws, 'small.dcplan'), 'utf8')).toBe(SMALL_TEXT);
        await close('importer.dcplan');
    });

    it('with a name changed and not saved: the importers see the saved name again', async () => {
        const small = uriOf('small.dcplan');
        const importer = uriOf('renamer.dcplan');
        await open('small.dcplan', SMALL_TEXT);
        await open('renamer.dcplan', 'import "small.dcplan"\nplan renamer {}\nhost z : box { }\n');
        const first = await server.until('diagnostics of the importer', () =>
            published.get(importer)
        );
        expect(diagnosticLines(first[0].diagnostics)).toEqual([]);
        let n = published.get(importer)!.length;
        await conn.sendNotification(DidChangeTextDocumentNotification.type, {
            textDocument: { uri: small, version: 2 },
            contentChanges: [{ text: SMALL_TEXT.replaceAll('box', 'unsavedmodel') }]
        });
        const unresolved = (p: PublishDiagnosticsParams) =>
            p.diagnostics.some(d => d.code === 'unresolved-name');
        await publishedAfter(importer, n, unresolved);
        n = published.get(importer)!.length;
        await close('small.dcplan');

        const back = await publishedAfter(importer, n, p => !unresolved(p));
        // as before the edit: the plan holds no errors with the saved model
        expect(diagnosticLines(back.diagnostics)).toEqual([]);
        const symbols = await conn.sendRequest(WorkspaceSymbolRequest.type, {
            query: 'unsavedmodel'
        });
        expect(symbols).toEqual([]);
        await close('renamer.dcplan');
    });

    it('never saved: it leaves the workspace, and an import of it is missing', async () => {
        const user = uriOf('user.dcplan');
        await open('ghost.dcplan', 'model ghost { cores = 8 memory = 64 GiB }\n');
        await open(
            'user.dcplan',
            'import "ghost.dcplan"\nplan user {}\nhost g : ghost { hypervisor_cores = 1 hypervisor_memory = 8 GiB }\n'
        );
        const before = await server.until('diagnostics of user.dcplan', () => published.get(user));
        expect(
            diagnosticLines(before.at(-1)!.diagnostics).filter(l => l.startsWith('error'))
        ).toEqual([]);
        const n = published.get(user)!.length;
        await close('ghost.dcplan');

        const after = await publishedAfter(user, n, p =>
            p.diagnostics.some(d => d.code === 'import-missing')
        );
        expect(
            diagnosticLines(after.diagnostics)
                .filter(l => l.startsWith('error'))
                .sort()
        ).toEqual([
            `error import-missing 1:8-1:22 cannot find ghost.dcplan (looked for ${path.join(ws, 'ghost.dcplan')})`,
            "error unresolved-name 3:10-3:15 unknown model 'ghost'"
        ]);
        expect(published.get(uriOf('ghost.dcplan'))!.at(-1)!.diagnostics).toEqual([]);
        const symbols = await conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'ghost' });
        expect(symbols).toEqual([]);
        await close('user.dcplan');
    });
});

describe('files that are not plans, sent as dcplan', () => {
    it('get no diagnostics, no hover and no symbols, and are never indexed', async () => {
        for (const name of ['small.dcplan.bak', 'notes.txt']) {
            await open(name, SMALL_TEXT);
            for (const position of [
                { line: 0, character: 7 },
                { line: 2, character: 16 }
            ]) {
                const hover = await conn.sendRequest(HoverRequest.type, {
                    textDocument: { uri: uriOf(name) },
                    position
                });
                expect(hover).toBeNull();
            }
            const symbols = await conn.sendRequest(DocumentSymbolRequest.type, {
                textDocument: { uri: uriOf(name) }
            });
            expect(symbols).toBeNull();
            // dcplan's own requests answer with their refusals (src/protocol.ts)
            expect(await conn.sendRequest(ReportRequest, { uri: uriOf(name) })).toEqual({
                uri: uriOf(name),
                version: 0,
                report: null,
                stale: false
            });
            expect(await conn.sendRequest(SaveLockRequest, { uri: uriOf(name) })).toEqual({
                instances: 0,
                moves: 0,
                stops: 0,
                error: `${name}: not a .dcplan file: only plans are locked`
            });
        }
        // a plan opened after them is checked in order: by its diagnostics, theirs would be out
        await open('later.dcplan', SMALL_TEXT);
        await server.until('diagnostics of later.dcplan', () =>
            published.get(uriOf('later.dcplan'))
        );
        expect(published.has(uriOf('small.dcplan.bak'))).toBe(false);
        expect(published.has(uriOf('notes.txt'))).toBe(false);
        const box = await conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'box' });
        expect(
            (box ?? [])
                .map(s => `${path.basename(new URL(s.location.uri).pathname)} ${s.name}`)
                .sort()
        ).toEqual(['later.dcplan box', 'small.dcplan box']);
    });
});
