/**
 * The formatter: the formatted text of every example (fixed points, except one `=` alignment in
 * seed-per-host), idempotence, a commented CRLF file, range formatting, and files it refuses.
 */
import { describe, expect, test } from 'vitest';
import { expectFormatting } from 'langium/test';
import { TextDocument } from 'langium';
import { Dcplan, EXAMPLES, example, open } from './helpers.js';
import { formatDcplan, trimBlanksEnd } from '../../language-server/lsp/formatter.js';

const lexer = Dcplan.parser.Lexer;
const fmt = (text: string) => formatDcplan(lexer, text).text;

/** Formats through the LSP service (edits applied to the document), as an editor would. */
async function formatViaLsp(
    text: string,
    range?: { start: { line: number; character: number }; end: { line: number; character: number } }
): Promise<string> {
    const doc = await open(text);
    const params = {
        textDocument: { uri: doc.uri.toString() },
        options: { tabSize: 4, insertSpaces: true }
    };
    const edits = range
        ? await Dcplan.lsp.Formatter!.formatDocumentRange(doc, { ...params, range })
        : await Dcplan.lsp.Formatter!.formatDocument(doc, params);
    return TextDocument.applyEdits(doc.textDocument, edits);
}

describe('the examples', () => {
    const expectedChange: Record<string, (text: string) => string> = {
        // The one change: `cores` and `memory` are consecutive one-attribute lines, so their `=` align.
        'seed-per-host.dcplan': t =>
            t.replace('  cores = 24\n  memory = 384 GiB', '  cores  = 24\n  memory = 384 GiB')
    };
    for (const { name, text } of EXAMPLES) {
        test(`${name}: formatted text`, async () => {
            const expected = (expectedChange[name] ?? (t => t))(text);
            expect(await formatViaLsp(text)).toBe(expected);
        });
        test(`${name}: formatting twice changes nothing`, () => {
            const once = fmt(text);
            expect(fmt(once)).toBe(once);
            expect(formatDcplan(lexer, once).edits).toEqual([]);
        });
        test(`${name}: with CRLF line endings, the same text with CRLF`, () => {
            const crlf = text.replace(/\n/g, '\r\n');
            expect(fmt(crlf)).toBe(fmt(text).replace(/\n/g, '\r\n'));
        });
    }
    test('every example is covered', () => {
        expect(EXAMPLES.map(e => e.name)).toEqual([
            'day2-drain.dcplan',
            'overcommit.dcplan',
            'ring-too-large.dcplan',
            'seed-per-host.dcplan',
            'seed-physical.dcplan',
            'seed-recommended.dcplan',
            'seed-reference.dcplan'
        ]);
    });
});

const MESSY_CRLF = [
    '// Header comment',
    '# Dovecot-style comment',
    'plan   eu{title="EU"   # kept at its distance',
    '  tolerate_host_failures=1',
    '',
    '',
    '    platform = virtual',
    '/* a block',
    '   comment */',
    '}',
    'shape p1{role=proxy cores=1 memory=2GiB}   // trailing',
    'shape backend_4c { role = backend cores = 4 memory = 32 GiB }',
    'deploy 12 x p1 deploy 3 x backend_4c ring r1 // two on a line',
    'host hv[ 01 .. 04 ] , spare:m{',
    '',
    ' cores=24  memory = 384 GiB',
    '   hypervisor_cores=2 // reserve',
    '        hypervisor_memory  =  16 GiB',
    'runs = 1 x p1,',
    ' 2 x backend_4c',
    '',
    '}',
    'model m { cores = 24 memory = 384 GiB }'
].join('\r\n');

const MESSY_CRLF_FORMATTED = [
    '// Header comment',
    '# Dovecot-style comment',
    'plan eu {',
    '  title = "EU"   # kept at its distance',
    '  tolerate_host_failures = 1',
    '',
    '  platform = virtual',
    '  /* a block',
    '   comment */',
    '}',
    'shape p1         { role = proxy cores = 1 memory = 2GiB }   // trailing',
    'shape backend_4c { role = backend cores = 4 memory = 32 GiB }',
    'deploy 12 x p1',
    'deploy 3  x backend_4c ring r1 // two on a line',
    'host hv[01..04], spare : m {',
    '  cores = 24  memory = 384 GiB',
    '  hypervisor_cores  = 2 // reserve',
    '  hypervisor_memory = 16 GiB',
    '  runs = 1 x p1,',
    '      2 x backend_4c',
    '}',
    'model m { cores = 24 memory = 384 GiB }',
    ''
].join('\r\n');

describe('a commented CRLF file', () => {
    test('keeps every comment and CRLF, indents, aligns', async () => {
        await expectFormatting(Dcplan)({ before: MESSY_CRLF, after: MESSY_CRLF_FORMATTED });
    });
    test('is a fixed point once formatted', () => {
        expect(fmt(MESSY_CRLF_FORMATTED)).toBe(MESSY_CRLF_FORMATTED);
    });
    test('only whitespace changes', () => {
        const squash = (s: string) => s.replace(/\s+/g, '');
        expect(squash(fmt(MESSY_CRLF))).toBe(squash(MESSY_CRLF));
    });
});

describe('blocks', () => {
    test('a block written on several lines gets one attribute line per line break, a one-line block stays', () => {
        expect(
            fmt(
                'shape a { role = proxy // c\n cores = 1 }\nplan p {}\nplan q {\n}\nmodel m { /* x */ }'
            )
        ).toBe(
            'shape a {\n  role  = proxy // c\n  cores = 1\n}\nplan p {}\nplan q {}\nmodel m { /* x */ }\n'
        );
    });
    test('workload roles align; a long name starts its own run', () => {
        expect(
            fmt(
                'workload w {\nsessions = 200k\nactive_users=150k\nproxy = 12 cores\ndirector = 12 cores\nbackend = 64 cores , 512 GiB\n}\n'
            )
        ).toBe(
            'workload w {\n  sessions     = 200k\n  active_users = 150k\n  proxy    = 12 cores\n  director = 12 cores\n  backend  = 64 cores, 512 GiB\n}\n'
        );
    });
    test('one-line shape blocks align in columns on screen: a wide character takes two', () => {
        // `名前` is four columns wide, as `px_1` is: both `{` in the same column
        expect(
            fmt(
                'shape 名前 { role = proxy cores = 1 memory = 2 GiB }\nshape px_1 { role = proxy cores = 1 memory = 2 GiB }\nshape é { role = proxy cores = 1 memory = 2 GiB }\n'
            )
        ).toBe(
            'shape 名前 { role = proxy cores = 1 memory = 2 GiB }\nshape px_1 { role = proxy cores = 1 memory = 2 GiB }\nshape é    { role = proxy cores = 1 memory = 2 GiB }\n'
        );
    });
    test('an unclosed block is indented and left open', () => {
        expect(fmt('host h1 {\ncores = 4\n')).toBe('host h1 {\n  cores = 4\n');
    });
    test('a BOM is kept', () => {
        expect(fmt('\uFEFFdeploy 1 x a')).toBe('\uFEFFdeploy 1 x a\n');
    });
});

describe('comments', () => {
    test('trailing blanks of a comment go, blanks inside it stay (a loop: 200 KB of them inside format at once)', () => {
        expect(trimBlanksEnd('// a \t b \t ')).toBe('// a \t b');
        expect(trimBlanksEnd('   ')).toBe('');
        const inside = ' '.repeat(200_000);
        expect(fmt(`shape s { role = proxy }\r//x${inside}y  \rdeploy 1 x s\r`)).toBe(
            `shape s { role = proxy }\r//x${inside}y\rdeploy 1 x s\r`
        );
    });
});

describe('range formatting', () => {
    const text = 'deploy  1 x a\nhost h {\ncores=4\n   memory = 8 GiB\n}\ndeploy  2 x a\n';
    test('only the selected lines change, as the whole file would format them', async () => {
        const after = await formatViaLsp(text, {
            start: { line: 2, character: 0 },
            end: { line: 3, character: 5 }
        });
        expect(after).toBe(
            'deploy  1 x a\nhost h {\n  cores  = 4\n  memory = 8 GiB\n}\ndeploy  2 x a\n'
        );
    });
    test('a selection of the whole file is the whole formatting', async () => {
        const after = await formatViaLsp(text, {
            start: { line: 0, character: 0 },
            end: { line: 6, character: 0 }
        });
        expect(after).toBe(fmt(text));
    });
});

describe('refusals', () => {
    test('a character the lexer cannot read: no edits, never dropped text', async () => {
        const text = 'shape a { role = proxy cores = 1 @ memory = 2 GiB }\n';
        expect(formatDcplan(lexer, text).edits).toEqual([]);
        expect(await formatViaLsp(text)).toBe(text);
    });
    test('formatting a file with syntax errors keeps its tokens', () => {
        const text = 'shape a { role = = proxy }}\ndeploy x x 3\n';
        const squash = (s: string) => s.replace(/\s+/g, '');
        expect(squash(fmt(text))).toBe(squash(text));
        expect(fmt(fmt(text))).toBe(fmt(text));
    });
    test('on-type formatting after `}` formats the block just closed', async () => {
        const doc = await open('deploy  1 x a\nhost h {\ncores=4\n}');
        const edits = await Dcplan.lsp.Formatter!.formatDocumentOnType(doc, {
            textDocument: { uri: doc.uri.toString() },
            position: { line: 3, character: 1 },
            ch: '}',
            options: { tabSize: 2, insertSpaces: true }
        });
        // up to the cursor: no line break inserted after it at the end of the file
        expect(TextDocument.applyEdits(doc.textDocument, edits)).toBe(
            'deploy  1 x a\nhost h {\n  cores = 4\n}'
        );
    });
});
void example;

describe('linear in its input (issue 13)', () => {
    test('a run of `{` lines: the output grows linearly and formatting twice changes nothing', () => {
        // before: indentation grew with the depth, so 4,000 `{` lines (8 KB) gave 16 MB
        const sizes = [1_000, 2_000, 4_000, 8_000].map(n => {
            const once = fmt('{\n'.repeat(n));
            expect(fmt(once)).toBe(once);
            return once.length;
        });
        // blocks do not nest: past the first `{` every line costs the same, 2 spaces, `{`, a line break
        expect(sizes[1] - sizes[0]).toBe(1_000 * 4);
        expect(sizes[2] - sizes[1]).toBe(2_000 * 4);
        expect(sizes[3] - sizes[2]).toBe(4_000 * 4);
        expect(fmt('{\n{\n{\n')).toBe('{\n  {\n  {\n');
    });

    test('a run of `{` on one line stays on it (fuzz seed 1 case 5795: 452 → 2016 characters with CRLF)', () => {
        const run = '{'.repeat(391);
        const text = `\uFEFFshape a { role ${run}= proxy cores = 1 memory = 2 GiB zork = 1 }\r\n`;
        const once = fmt(text);
        expect(once).toBe(
            `\uFEFFshape a {\r\n  role ${run} = proxy cores = 1 memory = 2 GiB zork = 1 }\r\n`
        );
        expect(fmt(once)).toBe(once);
        // the author's line breaks between `{` are still kept, each `{` on its line
        expect(fmt('{ {\n{\n')).toBe('{{\n  {\n');
    });

    test('50 KB of `{` formats (it threw RangeError: Invalid string length)', () => {
        const text = '{\n'.repeat(25_000);
        const once = fmt(text);
        expect(once.length).toBe(4 * 25_000 - 2);
        expect(formatDcplan(lexer, once).edits).toEqual([]);
    });

    test('long runs of aligned lines (no argument spread of a whole run)', () => {
        const text =
            Array.from({ length: 200_000 }, (_, k) => `deploy ${k % 7 === 0 ? 10 : 1} x s`).join(
                '\n'
            ) + '\n';
        const once = fmt(text);
        expect(once.split('\n')[0]).toBe('deploy 10 x s');
        expect(once.split('\n')[1]).toBe('deploy 1  x s');
    });
});
