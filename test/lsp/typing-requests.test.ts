/**
 * Requests that wait for the whole workspace (references, document highlight, prepareRename,
 * rename: Langium's `WorkspaceState.IndexedReferences`) sent while a build started by an earlier
 * request waits for the edit pause: each is answered by that build, not left waiting for the next
 * keystroke (a newcomer's typing client, session 9: 4 runs in 5 unanswered). The pause is set to
 * 500 ms so that the requests surely arrive inside it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    DidChangeTextDocumentNotification,
    DocumentHighlightRequest,
    HoverRequest,
    PrepareRenameRequest,
    ReferencesRequest,
    RenameRequest
} from 'vscode-languageserver-protocol/node.js';
import { StdioServer } from './stdio-server.js';

const URI = 'untitled:typing-requests.dcplan';
const TYPED = 'shape px { role = proxy cores = 1 memory = 2 GiB }\ndeploy 2 x px\n';

let server: StdioServer;
let version = 1;
let text = '';

/** Types `word` at the end, one change per character, a hover after each (as an editor does). */
async function type(word: string): Promise<void> {
    for (const ch of word) {
        const lines = text.split('\n');
        const end = { line: lines.length - 1, character: lines[lines.length - 1].length };
        text += ch;
        await server.conn.sendNotification(DidChangeTextDocumentNotification.type, {
            textDocument: { uri: URI, version: ++version },
            contentChanges: [{ range: { start: end, end }, text: ch }]
        });
        await server.conn.sendRequest(HoverRequest.type, {
            textDocument: { uri: URI },
            position: end
        });
    }
}

beforeAll(async () => {
    server = new StdioServer();
    await server.initialize({ initializationOptions: { editDelay: 500 } });
    await server.open(URI, '');
    await server.diagnostics(URI, 1);
}, 60_000);
afterAll(() => server.stop());

describe('workspace-wide requests while typing', () => {
    it('answers references, highlight and prepareRename sent inside the edit pause', async () => {
        await type(TYPED);
        // `px` of `deploy 2 x px` (line 1, character 11)
        const at = { textDocument: { uri: URI }, position: { line: 1, character: 11 } };
        const [references, highlights, prepared] = await Promise.all([
            server.conn.sendRequest(ReferencesRequest.type, {
                ...at,
                context: { includeDeclaration: true }
            }),
            server.conn.sendRequest(DocumentHighlightRequest.type, at),
            server.conn.sendRequest(PrepareRenameRequest.type, at)
        ]);
        const range = (line: number, from: number, to: number) => ({
            start: { line, character: from },
            end: { line, character: to }
        });
        expect(references?.map(r => r.range)).toEqual([range(0, 6, 8), range(1, 11, 13)]);
        expect(highlights?.map(h => h.range)).toEqual([range(0, 6, 8), range(1, 11, 13)]);
        expect(prepared).toEqual(range(1, 11, 13));
    }, 60_000);

    it('answers a rename sent right after the last keystroke on the text typed', async () => {
        await type('deploy 1 x px\n');
        const edit = await server.conn.sendRequest(RenameRequest.type, {
            textDocument: { uri: URI },
            position: { line: 2, character: 11 },
            newName: 'proxy'
        });
        const edits = edit?.changes?.[URI] ?? [];
        expect(edits.map(e => [e.range.start.line, e.range.start.character, e.newText])).toEqual([
            [0, 6, 'proxy'],
            [1, 11, 'proxy'],
            [2, 11, 'proxy']
        ]);
    }, 60_000);
});
