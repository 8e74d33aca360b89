/**
 * Names with letters beyond ASCII (`hvü2`, `bé`, `köln`), stray characters and stray text, as a
 * newcomer types them. Before: `host hvü2 { … }` gave two syntax errors and a phantom host `hv`
 * that got an instance, `shape bé` became shape `b`, messages quoted `'\u00fc'`, and `{{{{`
 * between elements said "expected 'EOF'". Now a name is any letter of any script, then letters,
 * combining marks, digits, `_` and `-` (the `ID` terminal, docs/dcplan-language.md), and every
 * place that reads names follows: host ranges, references, rename, completion, hover, the
 * formatter, the CLI's text and JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { formatDcplan } from '../../language-server/lsp/formatter.js';
import { rewriteLexerMessage } from '../../language-server/syntax-messages.js';
import { runCli } from '../../src/cli/main.js';
import type { PlanReport } from '../../src/planner/report.js';
import { diagnosticLines } from '../helpers/diagnostics.js';
import { Dcplan, offsetOf, open } from '../lsp/helpers.js';

const planText = (hosts: string) =>
    `plan köln {\n  platform = virtual\n}\nworkload w {\n  proxy = 2 cores\n}\nshape bé {\n  role = proxy\n  cores = 1\n  memory = 2 GiB\n}\ndeploy 2 x bé\n${hosts}`;
const HOST = (name: string) =>
    `host ${name} {\n  cores = 8\n  memory = 32 GiB\n  hypervisor_cores = 2\n  hypervisor_memory = 4 GiB\n}\n`;

let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-unicode-'));
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Writes `text` to `name` in the test's folder; returns its path. */
function write(name: string, text: string | Buffer): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, text);
    return file;
}

const diagnostics = async (text: string) => diagnosticLines((await open(text)).diagnostics);

describe('names with letters of any script', () => {
    it('the reported plan: host hvü2 and shape bé are one name each, no syntax error, no phantom host', async () => {
        const doc = await open(planText(HOST('hvü2')));
        expect(diagnosticLines(doc.diagnostics)).toEqual([
            'warning role-on-one-host 13:6-13:10 both proxies are on hvü2: losing it takes the whole proxy layer (the page, "Allocating Virtual Instances on Physical Machines")',
            'info host-failure 1:6-1:10 a single host: losing it loses all 2 cores; N+1 needs 2 hosts'
        ]);
        const model = Dcplan.analysis.PlanAnalyzer.analyze(doc).built.model;
        expect(model.hosts.map(h => h.name)).toEqual(['hvü2']);
        expect(model.shapes.map(s => s.name)).toEqual(['bé']);
        expect(model.settings.name).toBe('köln');
    });

    it('a host range keeps its letters: hvü[01..02] is hvü01, hvü02; the CLI prints them in text and JSON', async () => {
        {
            const file = write('uni.dcplan', planText(HOST('hvü[01..02]')));
            const text = await runCli(['check', file]);
            expect(text.status).toBe(0);
            expect(text.stdout.split('\n').slice(0, 2)).toEqual([
                'plan köln (virtual)',
                '0 errors, 0 warnings, 0 infos, 0 hints'
            ]);
            expect(text.stdout).toContain(
                'hvü01                1/6             2/28  16.7%  1 proxy               50%\n' +
                    'hvü02                1/6             2/28  16.7%  1 proxy               50%\n'
            );
            const json = await runCli(['place', '--format', 'json', file]);
            const report = JSON.parse(json.stdout) as PlanReport;
            expect(report.plan).toBe('köln');
            expect(report.hosts.map(h => [h.name, h.instances])).toEqual([
                ['hvü01', ['bé-1']],
                ['hvü02', ['bé-2']]
            ]);
            // the preview's HTML export: the names as attribute values and text, as written
            const html = (await runCli(['place', '--format', 'html', file])).stdout;
            expect(html).toContain('<article class="host" data-host="hvü01">');
            expect(html).toContain('title="bé-1 · proxy · 1 vCPU · 2 GiB"');
        }
    });

    /** The host table of `dcplan check` on a plan of three hosts named `names` (header, rule, rows). */
    async function hostTable(file: string, names: string): Promise<string[]> {
        const plan = write(
            file,
            planText(HOST(names).replace('8\n', '12\n')).replace('deploy 2', 'deploy 3')
        );
        const lines = (await runCli(['check', plan])).stdout.split('\n');
        const at = lines.findIndex(l => l.startsWith('host '));
        return lines.slice(at, at + 5);
    }
    const HEADER = [
        'host  cores used/usable  GiB used/usable  cpu  runs     sessions if lost',
        '----  -----------------  ---------------  ---  -------  ----------------'
    ];

    it('the CLI table aligns a name by its columns: a letter beyond U+FFFF and a combining accent take one', async () => {
        expect(await hostTable('wide.dcplan', '𝒜1, e\u0301t, hv3')).toEqual([
            ...HEADER,
            // two columns each, so one more space than after `hv3`
            '𝒜1                 1/10             2/28  10%  1 proxy             33.3%',
            'e\u0301t                 1/10             2/28  10%  1 proxy             33.3%',
            'hv3                1/10             2/28  10%  1 proxy             33.3%'
        ]);
    });

    it('the CLI table gives a wide East Asian letter two columns', async () => {
        expect(await hostTable('cjk.dcplan', '名前, ab, hv3')).toEqual([
            ...HEADER,
            // 名前 takes four columns, as `host`
            '名前               1/10             2/28  10%  1 proxy             33.3%',
            'ab                 1/10             2/28  10%  1 proxy             33.3%',
            'hv3                1/10             2/28  10%  1 proxy             33.3%'
        ]);
    });

    it('digits of other scripts, combining marks, a letter beyond U+FFFF and CJK are names too', async () => {
        const doc = await open(
            'shape 名前 { role = proxy cores = 1 memory = 2 GiB }\ndeploy 1 x 名前\nhost e\u0301t\u00e9_٣ { cores = 4 memory = 8 GiB }\nmodel 𝒜x { cores = 4 memory = 8 GiB }\nhost h2 : 𝒜x { }\n'
        );
        const model = Dcplan.analysis.PlanAnalyzer.analyze(doc).built.model;
        expect(model.shapes.map(s => s.name)).toEqual(['名前']);
        expect(model.hosts.map(h => h.name)).toEqual(['e\u0301t\u00e9_٣', 'h2']);
        expect(diagnosticLines(doc.diagnostics).filter(l => /syntax|unresolved/.test(l))).toEqual(
            []
        );
    });

    it('a keyword followed by a letter is one name, as `hosts` is: hostü is not `host` then `ü`', async () => {
        expect(await diagnostics('hostü { }\n')).toEqual([
            "error syntax-error 1:1-1:6 unknown element 'hostü': a file holds import, plan, workload, shape, deploy, model and host elements"
        ]);
    });

    it('a letter right after a unit is read as after an ASCII letter: 16GiBé as 16GiBs', async () => {
        const shape = (memory: string) =>
            `shape s {\n  role = proxy\n  cores = 1\n  memory = ${memory}\n}\ndeploy 1 x s\n`;
        const said = (unit: string) => [
            `error syntax-error 4:14-4:18 unknown unit '${unit}' (did you mean GiB?): units are KiB, MiB, GiB, TiB, KB, MB, GB, TB`,
            "error size-unit 4:12-4:14 memory needs a unit: did you mean '16 GiB'? (MiB, GiB, TiB, or decimal MB, GB, TB)"
        ];
        const without = (ds: string[]) => ds.filter(d => /size-unit|syntax-error/.test(d));
        expect(without(await diagnostics(shape('16GiBs')))).toEqual(said('GiBs'));
        expect(without(await diagnostics(shape('16GiBé')))).toEqual(said('GiBé'));
    });

    it('an unknown reference quotes the name as typed', async () => {
        expect(await diagnostics('deploy 1 x bø\n')).toEqual([
            "error unresolved-name 1:12-1:14 unknown shape 'bø'"
        ]);
    });

    it('completion offers the shape by its name, replacing the typed prefix with its letters', async () => {
        const text = planText('') + 'deploy 1 x bé';
        const doc = await open(text);
        const list = await Dcplan.lsp.CompletionProvider!.getCompletion(doc, {
            textDocument: { uri: doc.uri.toString() },
            position: doc.textDocument.positionAt(text.length)
        });
        const items = (list?.items ?? []).map(i => [
            i.label,
            i.textEdit && 'range' in i.textEdit ? i.textEdit.range : undefined
        ]);
        expect(items).toEqual([
            ['bé', { start: { line: 12, character: 11 }, end: { line: 12, character: 13 } }]
        ]);
    });

    it('hover names the shape as typed', async () => {
        const text = planText(HOST('hvü2'));
        const doc = await open(text);
        const hover = await Dcplan.lsp.HoverProvider!.getHoverContent(doc, {
            textDocument: { uri: doc.uri.toString() },
            position: doc.textDocument.positionAt(offsetOf(text, 'bé', 0, 1))
        });
        expect((hover?.contents as { value: string }).value.split('\n')[0]).toBe(
            '**shape `bé`** — proxy, 1 core, 2 GiB per instance'
        );
    });

    it('rename accepts a name with letters beyond ASCII, and refuses a symbol in it', async () => {
        const text = planText(HOST('hvü2'));
        const doc = await open(text);
        const position = doc.textDocument.positionAt(offsetOf(text, 'bé', 0, 1));
        const edit = await Dcplan.lsp.RenameProvider!.rename(doc, {
            textDocument: { uri: doc.uri.toString() },
            position,
            newName: 'bø_2'
        });
        const edits = edit?.changes?.[doc.uri.toString()] ?? [];
        expect(edits.map(e => [e.range.start.line, e.range.start.character, e.newText])).toEqual([
            [6, 6, 'bø_2'],
            [11, 11, 'bø_2']
        ]);
        await expect(
            Dcplan.lsp.RenameProvider!.rename(doc, {
                textDocument: { uri: doc.uri.toString() },
                position,
                newName: 'b→2'
            })
        ).rejects.toThrow(
            "'b→2' is not a valid dcplan name (letters, digits, '_' and '-', not a keyword)"
        );
    });

    it('the formatter keeps the names and aligns as before', () => {
        const lexer = Dcplan.parser.Lexer;
        const text = 'host   hvü[01..02]{\ncores=8\n  memory=  32GiB}\ndeploy 2   x bé\n';
        expect(formatDcplan(lexer, text).text).toBe(
            'host hvü[01..02] {\n  cores  = 8\n  memory = 32GiB\n}\ndeploy 2 x bé\n'
        );
        // as the same text with ASCII names
        expect(formatDcplan(lexer, text.replace('ü', 'u').replace('é', 'e')).text).toBe(
            'host hvu[01..02] {\n  cores  = 8\n  memory = 32GiB\n}\ndeploy 2 x be\n'
        );
    });
});

describe('stray characters and stray text', () => {
    it('a symbol in a name is one error, quoted as typed, an invisible one by its code point', async () => {
        // not also "unexpected 'b': expected '{'" where the parser picks up after it
        expect(await diagnostics('shape a→b { }\nshape c\u200bd { }\n')).toEqual([
            "error syntax-error 1:8-1:9 unexpected character '→': not part of the language",
            'error syntax-error 2:8-2:9 unexpected invisible character U+200B: not part of the language'
        ]);
        // the lexer reports a character outside the BMP by its high surrogate: quoted whole,
        // its range the whole character (two UTF-16 units)
        expect(
            (
                await diagnostics(
                    'shape p😀 { role = proxy cores = 1 memory = 1 GiB }\ndeploy 2 x p\n'
                )
            ).filter(d => d.includes('syntax-error'))
        ).toEqual([
            "error syntax-error 1:8-1:10 unexpected character '😀': not part of the language"
        ]);
        expect(rewriteLexerMessage('unexpected character: ->😀<- at offset: 3')).toBe(
            "unexpected character '😀': not part of the language"
        );
        expect(rewriteLexerMessage('unexpected character: ->\u0000\u00a0x<- at offset: 3')).toBe(
            "unexpected invisible characters U+0000 U+00A0 'x': not part of the language"
        );
    });

    it('text between elements says which elements may start there, not "expected \'EOF\'"', async () => {
        expect(await diagnostics('plan p {\n}\n{{{{\n')).toEqual([
            "error syntax-error 3:1-3:2 unexpected '{' outside any block: expected an element (import, plan, workload, shape, deploy, model or host)"
        ]);
        expect(await diagnostics('= 3\n')).toEqual([
            "error syntax-error 1:1-1:2 unexpected '=' outside any block: expected an element (import, plan, workload, shape, deploy, model or host)"
        ]);
    });

    it('an import after other elements is said so', async () => {
        expect(await diagnostics('plan p {\n}\nimport "x.dcplan"\n')).toEqual([
            "error syntax-error 3:1-3:7 an import comes before the file's other elements: move it to the top"
        ]);
    });
});

describe('a file with a NUL byte', () => {
    it('the CLI says where the NUL is; a Latin-1 file stays "not a UTF-8 text file"', async () => {
        {
            // joined, not one literal: fuzz/plans.ts takes a test's plan literals as fixture
            // plans for the typing replay, which the CLI cannot read with a NUL in them
            const nul = write('nul.dcplan', ['plan p {', '  title = "a\0b"', '}', ''].join('\n'));
            const latin1 = write('latin1.dcplan', Buffer.from([0x23, 0x20, 0xe9, 0x0a]));
            const r = await runCli(['check', nul, latin1]);
            expect(r.status).toBe(2);
            expect(r.stderr).toBe(
                `dcplan: ${nul}: cannot read: contains a NUL byte at line 2, column 13: not a text file\n` +
                    `dcplan: ${latin1}: cannot read: not a UTF-8 text file\n`
            );
        }
    });
});
