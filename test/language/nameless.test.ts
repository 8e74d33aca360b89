/**
 * Elements without a name, as error recovery makes them (`shape { … }`, `host : m { }`,
 * `host [1..2] { … }`, `workload { … }`, `plan { … }`), and `import` without a path (issue 13,
 * item 2): every consumer — the model builder, the planner's findings and figures, the
 * validator's name checks, the report, hover, document symbols, code lenses, inlay hints, code
 * actions and completion —
 * handles them; nothing says `undefined`, no host is named `undefined1`, nothing throws.
 */
import { describe, expect, it } from 'vitest';
import { type LangiumDocument } from 'langium';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { PlanFile } from '../../language-server/generated/ast.js';
import { Dcplan, open } from '../lsp/helpers.js';
import { toReport } from '../../language-server/analysis.js';
import { toReportDiagnostics } from '../../language-server/report-service.js';

/** `code line:col-line:col message` (1-based) of each diagnostic, in order of position. */
function listed(ds: readonly Diagnostic[]): string[] {
    return [...ds]
        .sort(
            (a, b) =>
                a.range.start.line - b.range.start.line ||
                a.range.start.character - b.range.start.character
        )
        .map(
            d =>
                `${String(d.code)} ${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${d.message}`
        );
}

/** Everything the editor and the CLI show for a document, as one JSON text. */
async function everything(doc: LangiumDocument<PlanFile>): Promise<string> {
    const analysis = Dcplan.analysis.PlanAnalyzer.analyze(doc);
    const report = toReport(
        analysis,
        doc.uri.toString(),
        toReportDiagnostics(doc.diagnostics ?? [])
    );
    const text = doc.textDocument.getText();
    const textDocument = { uri: doc.uri.toString() };
    const hovers: unknown[] = [];
    for (let offset = 0; offset <= text.length; offset++) {
        hovers.push(
            await Dcplan.lsp.HoverProvider!.getHoverContent(doc, {
                textDocument,
                position: doc.textDocument.positionAt(offset)
            })
        );
    }
    const range = {
        start: { line: 0, character: 0 },
        end: doc.textDocument.positionAt(text.length)
    };
    const symbols = await Dcplan.lsp.DocumentSymbolProvider!.getSymbols(doc, { textDocument });
    const lenses = await Dcplan.lsp.CodeLensProvider!.provideCodeLens(doc, { textDocument });
    const hints = await Dcplan.lsp.InlayHintProvider!.getInlayHints(doc, { textDocument, range });
    const actions = await Dcplan.lsp.CodeActionProvider!.getCodeActions(doc, {
        textDocument,
        range,
        context: { diagnostics: doc.diagnostics ?? [] }
    });
    const completions: unknown[] = [];
    for (let offset = 0; offset <= text.length; offset += 3) {
        completions.push(
            await Dcplan.lsp.CompletionProvider!.getCompletion(doc, {
                textDocument,
                position: doc.textDocument.positionAt(offset)
            })
        );
    }
    return JSON.stringify({
        report,
        diagnostics: doc.diagnostics,
        hovers,
        symbols,
        lenses,
        hints,
        actions,
        completions
    });
}

const SHAPE = 'shape p { role = proxy cores = 1 memory = 2 GiB }\n';
const HOSTS =
    'host h[1..2] { cores = 8 memory = 16 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }\n';

/** Texts with nameless elements (and the other shapes of recovery) beside valid ones. */
const TEXTS = [
    'shape { role = proxy cores = 1 memory = 2 GiB }\ndeploy 2 x\n',
    'host : m { }\nmodel m { cores = 4 memory = 8 GiB }\n',
    'host { }\n',
    'host { cores = 8 memory = 16 GiB }\n' + SHAPE + 'deploy 2 x p\n',
    'host [1..2] { cores = 8 memory = 16 GiB }\n' + SHAPE + 'deploy 2 x p\n',
    'host h1, [3..4] { cores = 8 memory = 16 GiB }\nhost [2..1] { cores = 4 }\n',
    'model { cores = 4 memory = 8 GiB }\nhost h : { }\n',
    'workload { proxy = 2 cores }\n' + SHAPE + 'deploy 2 x p\n' + HOSTS,
    'workload w { proxy = 2 cores proxy = cores }\n',
    'plan { tolerate_host_failures = 1 }\n' + HOSTS + SHAPE + 'deploy 2 x p\n',
    'plan { }\nplan { }\n',
    'shape { role = proxy cores = 1 memory = 2 GiB }\nshape { role = backend cores = 4 memory = 8 GiB }\nhost { cores = 8 memory = 16 GiB }\nhost { cores = 8 memory = 16 GiB }\n',
    'host h1, { cores = 8 memory = 16 GiB runs = 1 x }\n' + SHAPE,
    'deploy x p\n' + SHAPE + HOSTS,
    'plan p { platform = physical }\nhost { cores = 8 memory = 16 GiB }\nmodel { cores = 2 }\n',
    'import\n',
    'import\n' + SHAPE + 'deploy 2 x p\n' + HOSTS,
    'import import import\n',
    'workload w { = 2 cores }\nshape { role = director cores = 4 memory = 8 GiB }\ndeploy 12 x\n'
];

describe('nameless elements and imports without a path', () => {
    it.each(TEXTS.map(t => [t]))('no undefined anywhere for %j', async text => {
        const doc = await open(text);
        const all = await everything(doc);
        expect(all).not.toMatch(/undefined/);
        expect(
            doc.diagnostics!.some(d => d.code === 'internal-error'),
            all
        ).toBe(false);
        // a syntax error says where the name (or path) is missing
        expect(doc.diagnostics!.some(d => d.code === 'syntax-error')).toBe(true);
    });

    it('leaves nameless shapes, workloads and hosts out of the model, without duplicate-name or unused-shape findings', async () => {
        const doc = await open(
            'shape { role = proxy cores = 1 memory = 2 GiB }\nshape { role = backend cores = 4 memory = 8 GiB }\nhost { cores = 8 memory = 16 GiB }\nhost [1..2] { cores = 8 memory = 16 GiB }\nworkload { proxy = 2 cores }\n'
        );
        expect(listed(doc.diagnostics!)).toEqual([
            "syntax-error 1:7-1:8 unexpected '{': expected a name",
            "syntax-error 2:7-2:8 unexpected '{': expected a name",
            "syntax-error 3:6-3:7 unexpected '{': expected a name",
            "syntax-error 4:6-4:7 unexpected '[': expected a name",
            "syntax-error 5:10-5:11 unexpected '{': expected a name"
        ]);
        const { model } = Dcplan.analysis.PlanAnalyzer.analyze(doc).built;
        expect([model.shapes.length, model.workloads.length, model.hosts.length]).toEqual([
            0, 0, 0
        ]);
    });

    it("names nameless blocks in words: the physical plan's ignored blocks, the first of two plans", async () => {
        const physical = await open(
            'plan p { platform = physical }\nhost { cores = 8 memory = 16 GiB }\nmodel { cores = 2 }\n'
        );
        expect(
            listed(physical.diagnostics!).filter(d => d.startsWith('physical-hosts-ignored'))
        ).toEqual([
            'physical-hosts-ignored 2:1-2:35 this host block is ignored: with platform = physical every instance is its own machine',
            'physical-hosts-ignored 3:1-3:20 this model block is ignored: with platform = physical every instance is its own machine'
        ]);
        const plans = await open('plan { }\nplan { }\n');
        expect(listed(plans.diagnostics!).filter(d => d.startsWith('multiple-plans'))).toEqual([
            'multiple-plans 2:1-2:9 at most one plan block per file (the first is on line 1)'
        ]);
    });

    it('`import` alone: one syntax error at the end of the line, no import-missing, the rest of the plan checked', async () => {
        const alone = await open('import\n');
        expect(listed(alone.diagnostics!)).toEqual([
            'syntax-error 1:7-1:7 the file ends in the middle of an element'
        ]);
        const before = await open('import\n' + SHAPE + 'deploy 2 x p\n' + HOSTS);
        expect(listed(before.diagnostics!)).toEqual([
            "syntax-error 2:1-2:6 unexpected 'shape': expected a string"
        ]);
        expect(
            Dcplan.analysis.PlanAnalyzer.analyze(before).built.model.instances.map(i => i.name)
        ).toEqual(['p-1', 'p-2']);
    });
});
