/**
 * The editor features on unfinished text: every prefix of every example (cut at each line, and
 * mid-line) formats to a fixed point without losing a token, and completion, hover and
 * prepareRename answer at positions all over a file without throwing (prepareRename's refusal
 * aside: an error that says why).
 */
import { describe, expect, test } from 'vitest';
import { ResponseError } from 'vscode-languageserver';
import { Dcplan, EXAMPLES, open } from './helpers.js';
import { formatDcplan } from '../../language-server/lsp/formatter.js';

const squash = (s: string) => s.replace(/\s+/g, '');

describe('formatting cut-off text', () => {
    for (const { name, text } of EXAMPLES) {
        test(`${name}: every prefix keeps its tokens and is idempotent`, () => {
            for (let cut = 0; cut <= text.length; cut += 13) {
                const prefix = text.slice(0, cut);
                const once = formatDcplan(Dcplan.parser.Lexer, prefix);
                if (once.refused) continue; // e.g. an unterminated string or comment
                expect(squash(once.text)).toBe(squash(prefix));
                expect(formatDcplan(Dcplan.parser.Lexer, once.text).text).toBe(once.text);
            }
        });
    }
});

describe('completion and hover everywhere', () => {
    for (const { name, text } of EXAMPLES) {
        test(`${name}: at every 11th offset of the file and of a cut-off copy`, async () => {
            for (const source of [text, text.slice(0, Math.floor(text.length * 0.6))]) {
                const doc = await open(source);
                for (let offset = 0; offset <= source.length; offset += 11) {
                    const position = doc.textDocument.positionAt(offset);
                    const params = { textDocument: { uri: doc.uri.toString() }, position };
                    const list = await Dcplan.lsp.CompletionProvider!.getCompletion(doc, params);
                    for (const item of list?.items ?? []) expect(item.textEdit).toBeDefined();
                    await Dcplan.lsp.HoverProvider!.getHoverContent(doc, params);
                    // prepareRename: a range, or a refusal that says why (never another error)
                    try {
                        await Dcplan.lsp.RenameProvider!.prepareRename(doc, params);
                    } catch (err) {
                        expect(err).toBeInstanceOf(ResponseError);
                        expect((err as ResponseError<unknown>).message).toMatch(/^cannot rename /);
                    }
                }
            }
        });
    }
});
