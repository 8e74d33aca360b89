/**
 * The code-action provider: quick-fixes per diagnostic (kind, diagnostics, isPreferred, edits),
 * and fix-all as `source.fixAll.dcplan`, offered when asked for and applying the rounds.
 */
import { describe, expect, it } from 'vitest';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { CodeActionKind, CodeActionTriggerKind, type CodeAction, type TextEdit } from 'vscode-languageserver';
import { Dcplan, example, open } from './helpers.js';
import { FIX_ALL_KIND, kindWanted } from '../../language-server/lsp/code-actions.js';
import type { LangiumDocument } from 'langium';

const provider = Dcplan.lsp.CodeActionProvider!;

async function actions(document: LangiumDocument, only?: string[], triggerKind?: CodeActionTriggerKind): Promise<CodeAction[]> {
    const end = document.textDocument.positionAt(document.textDocument.getText().length);
    const result = await provider.getCodeActions(document, {
        textDocument: { uri: document.uri.toString() },
        range: { start: { line: 0, character: 0 }, end },
        context: { diagnostics: document.diagnostics ?? [], only, triggerKind }
    });
    return (result ?? []) as CodeAction[];
}

function applyEdits(document: LangiumDocument, action: CodeAction): string {
    const edits = action.edit!.changes![document.uri.toString()] as TextEdit[];
    return TextDocument.applyEdits(document.textDocument as TextDocument, edits);
}

describe('quick-fix code actions', () => {
    it('offers every split of seed-reference.dcplan on its diagnostic, the page\'s choices preferred', async () => {
        const doc = await open(example('seed-reference.dcplan'));
        const all = await actions(doc);
        const codes = (a: CodeAction) => a.diagnostics!.map(d => String(d.code)).sort().join('+');
        const split = all.filter(a => a.diagnostics!.some(d => ['proxy-split', 'director-split', 'backend-split'].includes(String(d.code))));
        const seen = split.map(a => [codes(a), a.title, a.isPreferred ?? false, a.kind].join(' | ')).sort();
        expect(seen).toEqual([
            ['backend-split', 'Split into 16 × 4-core backends (maintenance impact 6.3%)', true, CodeActionKind.QuickFix],
            ['director-split', 'Split into 4 × 3-core directors (maintenance impact 25%)', true, CodeActionKind.QuickFix],
            ['director-split', 'Split into 6 × 2-core directors (maintenance impact 16.7%)', false, CodeActionKind.QuickFix],
            // One action for the two diagnostics that offer the same split.
            ['login-idle-cores+proxy-split', 'Split into 12 × 1-core proxies (maintenance impact 8.3%)', true, CodeActionKind.QuickFix]
        ].map(x => x.join(' | ')).sort());
        // No fix-all while the lightbulb asks automatically.
        expect(all.some(a => a.kind === FIX_ALL_KIND)).toBe(false);
    });

    it('the preferred director split edits the text as the spec says', async () => {
        const text = example('seed-reference.dcplan');
        const doc = await open(text);
        const a = (await actions(doc)).find(x => x.title.startsWith('Split into 4 × 3-core directors'))!;
        expect(applyEdits(doc, a)).toBe(text
            .replace('shape director_4c { role = director cores = 4  memory = 8 GiB  login_processes = 4 }', 'shape director_3c { role = director cores = 3  memory = 6 GiB  login_processes = 3 }')
            .replace('deploy 3 x director_4c', 'deploy 4 x director_3c'));
    });

    it('answers only the asked kinds', async () => {
        const doc = await open(example('seed-reference.dcplan'));
        expect(await actions(doc, [CodeActionKind.Refactor])).toEqual([]);
        expect((await actions(doc, [CodeActionKind.QuickFix])).length).toBeGreaterThan(0);
        expect(kindWanted('source.fixAll.dcplan', ['source'])).toBe(true);
        expect(kindWanted('source.fixAll.dcplan', ['source.fixAll'])).toBe(true);
        expect(kindWanted('source.fixAll.dcplan', ['quickfix'])).toBe(false);
    });
});

describe('fix all (source.fixAll.dcplan)', () => {
    it('applies the preferred fixes in rounds and keeps CRLF', async () => {
        const text = example('seed-reference.dcplan').replace(/\n/g, '\r\n');
        const doc = await open(text);
        const fixAll = await actions(doc, ['source.fixAll']);
        expect(fixAll.map(a => [a.title, a.kind])).toEqual([['Fix all dcplan issues (3 fixes)', FIX_ALL_KIND]]);
        const after = applyEdits(doc, fixAll[0]);
        expect(after).toBe(text
            .replace('shape proxy_4c    { role = proxy    cores = 4  memory = 8 GiB }', 'shape proxy_1c    { role = proxy    cores = 1  memory = 2 GiB }')
            .replace('shape director_4c { role = director cores = 4  memory = 8 GiB  login_processes = 4 }', 'shape director_3c { role = director cores = 3  memory = 6 GiB  login_processes = 3 }')
            .replace('shape backend_8c  { role = backend  cores = 8  memory = 64 GiB }', 'shape backend_4c  { role = backend  cores = 4  memory = 32 GiB }')
            .replace('deploy 3 x proxy_4c', 'deploy 12 x proxy_1c')
            .replace('deploy 3 x director_4c', 'deploy 4 x director_3c')
            .replace('deploy 8 x backend_8c', 'deploy 16 x backend_4c'));
        // Offered on an explicit request too; nothing more to fix afterwards.
        expect((await actions(doc, undefined, CodeActionTriggerKind.Invoked)).some(a => a.kind === FIX_ALL_KIND)).toBe(true);
        expect((await actions(await open(after), [FIX_ALL_KIND]))).toEqual([]);
    });

    it('offers the preferred ring merge when runs pins do not divide (pins rounded up)', async () => {
        const text = example('ring-too-large.dcplan').replace('hypervisor_cores = 2  hypervisor_memory = 8 GiB\n', 'hypervisor_cores = 2  hypervisor_memory = 8 GiB\n  runs = 1 x director_1c\n');
        const doc = await open(text);
        const fixAll = await actions(doc, ['source.fixAll']);
        expect(fixAll.map(a => a.title)).toEqual(['Fix all dcplan issues (1 fix)']);
        expect(applyEdits(doc, fixAll[0])).toBe(text
            .replace('shape director_1c { role = director cores = 1  memory = 2 GiB }', 'shape director_3c { role = director cores = 3  memory = 6 GiB  login_processes = 3 }')
            .replace('deploy 12 x director_1c', 'deploy 4 x director_3c')
            .replace('runs = 1 x director_1c', 'runs = 1 x director_3c'));
    });
});
