/**
 * Completion trigger characters (issue 14): `=`, `:` and a space after `x`, `=`, `:` or a
 * number open completion where it is useful — values, models, shapes, units — with the space
 * the item needs when typed right after `=` or `:`; a space anywhere else offers nothing. Over
 * stdio, as a client sends it (`context.triggerKind` 2 and the character).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    CompletionRequest,
    CompletionTriggerKind,
    DidChangeTextDocumentNotification,
    type CompletionItem,
    type CompletionList
} from 'vscode-languageserver-protocol/node.js';
import { startStdioServer, type LanguageFeatureServer } from './stdio.js';

let server: LanguageFeatureServer;
const URI = 'file:///tmp/dcplan-complete/plan.dcplan';
const BASE =
    'shape s1 { role = proxy cores = 1 memory = 2 GiB }\nmodel m1 { cores = 24 memory = 256 GiB }\n';
let version = 1;
beforeAll(async () => {
    server = await startStdioServer();
    await server.open(URI, BASE);
}, 60_000);
afterAll(async () => {
    await server?.stop();
});

/** The items offered at the end of `BASE + typed`, triggered by its last character. */
async function typed(typedText: string): Promise<string[]> {
    const text = BASE + typedText;
    await server.conn.sendNotification(DidChangeTextDocumentNotification.type, {
        textDocument: { uri: URI, version: ++version },
        contentChanges: [{ text }]
    });
    const lines = text.split('\n');
    const position = { line: lines.length - 1, character: lines[lines.length - 1].length };
    const result = await server.conn.sendRequest(CompletionRequest.type, {
        textDocument: { uri: URI },
        position,
        context: {
            triggerKind: CompletionTriggerKind.TriggerCharacter,
            triggerCharacter: typedText.slice(-1)
        }
    });
    const items: CompletionItem[] = Array.isArray(result)
        ? result
        : ((result as CompletionList | null)?.items ?? []);
    return items.map(i =>
        JSON.stringify(
            i.textEdit && 'newText' in i.textEdit ? i.textEdit.newText : (i.insertText ?? i.label)
        )
    );
}

describe('completion trigger characters', () => {
    it('the server lists them', () => {
        expect(server.init.capabilities.completionProvider?.triggerCharacters).toEqual([
            '=',
            ':',
            ' '
        ]);
    });

    it('`=` offers the values, each with its leading space', async () => {
        expect(await typed('shape s2 { role =')).toEqual(['" proxy"', '" director"', '" backend"']);
        expect(await typed('shape s2 { role = ')).toEqual(['"proxy"', '"director"', '"backend"']);
    });

    it('`:` offers the models of a host', async () => {
        expect(await typed('host h1 :')).toEqual(['" m1"']);
        expect(await typed('host h1 : ')).toEqual(['"m1"']);
    });

    it('a space after `x` offers the shapes, after a number the units or `cores`', async () => {
        expect(await typed('deploy 3 x ')).toEqual(['"s1"']);
        expect(await typed('host h1 : m1 { runs = 2 x ')).toEqual(['"s1"']);
        expect(await typed('shape s2 { memory = 4 ')).toEqual([
            '"MiB"',
            '"GiB"',
            '"TiB"',
            '"GB"',
            '"TB"',
            '"MB"',
            '"KiB"',
            '"KB"'
        ]);
        expect(await typed('workload w { proxy = 4 ')).toEqual(['"cores"']);
    });

    it('a space anywhere else offers nothing', async () => {
        expect(await typed('shape s2 { ')).toEqual([]);
        expect(await typed('// a comment ')).toEqual([]);
        expect(await typed('deploy ')).toEqual([]);
    });
});
