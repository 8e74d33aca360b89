/**
 * Import paths a URI cannot encode (found by the fuzzer): a lone surrogate in the path (an
 * editor's buffer can hold one; a file on disk cannot, UTF-8 has no form for it) threw
 * `URIError: URI malformed` from every URI comparison, failing the check of the whole document.
 * It is read as U+FFFD: the import is reported missing, as any other, and the rest is checked.
 */
import { describe, expect, it } from 'vitest';
import { createFixSandbox } from '../../language-server/fixes/sandbox.js';

describe('an import path with a lone surrogate', () => {
    const sandbox = createFixSandbox();
    for (const [name, bad] of [
        ['high', '\uD800'],
        ['low', '\uDC00']
    ] as const) {
        it(`a ${name} surrogate alone: import-missing on the path, the rest of the document checked, fix-all runs`, async () => {
            const text = `import "a${bad}.dcplan"\nshape p { role = proxy cores = 1 memory = 2 GiB }\n`;
            const c = await sandbox.check('file:///w/main.dcplan', text, () => undefined);
            const at = (d: {
                range: {
                    start: { line: number; character: number };
                    end: { line: number; character: number };
                };
            }) => [
                d.range.start.line,
                d.range.start.character,
                d.range.end.line,
                d.range.end.character
            ];
            expect(c.diagnostics.map(d => [d.code, ...at(d), d.message]).sort()).toEqual([
                [
                    'import-missing',
                    0,
                    7,
                    0,
                    18,
                    `cannot find a${bad}.dcplan (looked for /w/a\uFFFD.dcplan)`
                ],
                ['unused-shape', 1, 6, 1, 7, 'shape p is not deployed']
            ]);
            const fixed = await sandbox.fixAll('file:///w/main.dcplan', text, () => undefined);
            expect(fixed.diagnostics.map(d => d.code).sort()).toEqual([
                'import-missing',
                'unused-shape'
            ]);
        });
    }
});

describe('an import path written with backslashes (a Windows path)', () => {
    it('import-missing says the backslashes were escapes and how to write the path', async () => {
        const sandbox = createFixSandbox();
        const text = 'import "..\\shared lib\\lib.dcplan"\n';
        const c = await sandbox.check('file:///w/teamB/main.dcplan', text, () => undefined);
        expect(c.diagnostics.map(d => [d.code, d.message])).toEqual([
            [
                'import-missing',
                'cannot find ..shared liblib.dcplan (looked for /w/teamB/..shared liblib.dcplan); a backslash in a string starts an escape: write paths with /, as in "../shared lib/lib.dcplan"'
            ]
        ]);
    });
});
