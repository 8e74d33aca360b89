/**
 * The code-action provider: quick-fixes per diagnostic (kind, diagnostics, isPreferred, edits),
 * and fix-all as `source.fixAll.dcplan` (or `source.fixAll` when asked for by that kind, also over
 * stdio as eglot and Helix ask), offered when asked for and applying the rounds; no quick-fix
 * whose result would not parse.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
    CodeActionRequest,
    DidOpenTextDocumentNotification
} from 'vscode-languageserver-protocol/node.js';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
    CodeActionKind,
    CodeActionTriggerKind,
    type CodeAction,
    type TextEdit
} from 'vscode-languageserver';
import { Dcplan, example, open } from './helpers.js';
import { StdioServer } from './stdio-server.js';
import { FIX_ALL_KIND, fixAllKind, kindWanted } from '../../language-server/lsp/code-actions.js';
import type { LangiumDocument } from 'langium';

const provider = Dcplan.lsp.CodeActionProvider!;

async function actions(
    document: LangiumDocument,
    only?: string[],
    triggerKind?: CodeActionTriggerKind
): Promise<CodeAction[]> {
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
    it("offers every split of seed-reference.dcplan on its diagnostic, the page's choices preferred", async () => {
        const doc = await open(example('seed-reference.dcplan'));
        const all = await actions(doc);
        const codes = (a: CodeAction) =>
            a
                .diagnostics!.map(d => String(d.code))
                .sort()
                .join('+');
        const split = all.filter(a =>
            a.diagnostics!.some(d =>
                ['proxy-split', 'director-split', 'backend-split'].includes(String(d.code))
            )
        );
        const seen = split
            .map(a => [codes(a), a.title, a.isPreferred ?? false, a.kind].join(' | '))
            .sort();
        expect(seen).toEqual(
            [
                [
                    'backend-split',
                    'Split into 16 × 4-core backends (maintenance impact 6.3%)',
                    true,
                    CodeActionKind.QuickFix
                ],
                [
                    'director-split',
                    'Split into 4 × 3-core directors (maintenance impact 25%)',
                    true,
                    CodeActionKind.QuickFix
                ],
                [
                    'director-split',
                    'Split into 6 × 2-core directors (maintenance impact 16.7%)',
                    false,
                    CodeActionKind.QuickFix
                ],
                // One action for the two diagnostics that offer the same split.
                [
                    'login-idle-cores+proxy-split',
                    'Split into 12 × 1-core proxies (maintenance impact 8.3%)',
                    true,
                    CodeActionKind.QuickFix
                ]
            ]
                .map(x => x.join(' | '))
                .sort()
        );
        // No fix-all while the lightbulb asks automatically.
        expect(all.some(a => a.kind === FIX_ALL_KIND)).toBe(false);
    });

    it('the preferred director split edits the text as the spec says', async () => {
        const text = example('seed-reference.dcplan');
        const doc = await open(text);
        const a = (await actions(doc)).find(x =>
            x.title.startsWith('Split into 4 × 3-core directors')
        )!;
        expect(applyEdits(doc, a)).toBe(
            text
                .replace(
                    'shape director_4c { role = director cores = 4  memory = 8 GiB  login_processes = 4 }',
                    'shape director_3c { role = director cores = 3  memory = 6 GiB  login_processes = 3 }'
                )
                .replace('deploy 3 x director_4c', 'deploy 4 x director_3c')
        );
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
        // asked as source.fixAll, answered with that kind (clients that match kinds exactly)
        expect(fixAll.map(a => [a.title, a.kind])).toEqual([
            ['Fix all dcplan issues (3 fixes)', 'source.fixAll']
        ]);
        const after = applyEdits(doc, fixAll[0]);
        expect(after).toBe(
            text
                .replace(
                    'shape proxy_4c    { role = proxy    cores = 4  memory = 8 GiB }',
                    'shape proxy_1c    { role = proxy    cores = 1  memory = 2 GiB }'
                )
                .replace(
                    'shape director_4c { role = director cores = 4  memory = 8 GiB  login_processes = 4 }',
                    'shape director_3c { role = director cores = 3  memory = 6 GiB  login_processes = 3 }'
                )
                .replace(
                    'shape backend_8c  { role = backend  cores = 8  memory = 64 GiB }',
                    'shape backend_4c  { role = backend  cores = 4  memory = 32 GiB }'
                )
                .replace('deploy 3 x proxy_4c', 'deploy 12 x proxy_1c')
                .replace('deploy 3 x director_4c', 'deploy 4 x director_3c')
                .replace('deploy 8 x backend_8c', 'deploy 16 x backend_4c')
        );
        // Offered on an explicit request too; nothing more to fix afterwards.
        expect(
            (await actions(doc, undefined, CodeActionTriggerKind.Invoked)).some(
                a => a.kind === FIX_ALL_KIND
            )
        ).toBe(true);
        expect(await actions(await open(after), [FIX_ALL_KIND])).toEqual([]);
    });

    it('fix-all keeps the split but not the reserve that halves the only host, as dcplan fix --write does', async () => {
        const text =
            'shape px { role = proxy cores = 4 memory = 8 GiB }\ndeploy 3 x px\nhost h { cores = 8 memory = 16 GiB }\n';
        const doc = await open(text);
        const all = await actions(doc, undefined, CodeActionTriggerKind.Invoked);
        expect(
            all
                .filter(a => a.title.startsWith('Add hypervisor'))
                .map(a => [a.title, a.isPreferred ?? false])
        ).toEqual([
            [
                'Add hypervisor_cores = 2 and hypervisor_memory = 8 GiB to h (a starting value to adjust; 4 vCPUs placed now would no longer fit)',
                false
            ]
        ]);
        const fixAll = all.filter(a => a.kind === FIX_ALL_KIND);
        expect(fixAll.map(a => a.title)).toEqual(['Fix all dcplan issues (1 fix)']);
        // the text of dcplan fix --write (test/cli/fix.test.ts): 8 of 12 cores still placed
        expect(applyEdits(doc, fixAll[0])).toBe(
            'shape px { role = proxy cores = 1 memory = 2 GiB }\ndeploy 12 x px\nhost h { cores = 8 memory = 16 GiB }\n'
        );
    });

    it('offers the preferred ring merge when runs pins do not divide (pins rounded up)', async () => {
        const text = example('ring-too-large.dcplan').replace(
            'hypervisor_cores = 2  hypervisor_memory = 8 GiB\n',
            'hypervisor_cores = 2  hypervisor_memory = 8 GiB\n  runs = 1 x director_1c\n'
        );
        const doc = await open(text);
        const fixAll = await actions(doc, ['source.fixAll']);
        expect(fixAll.map(a => a.title)).toEqual(['Fix all dcplan issues (1 fix)']);
        expect(applyEdits(doc, fixAll[0])).toBe(
            text
                .replace(
                    'shape director_1c { role = director cores = 1  memory = 2 GiB }',
                    'shape director_3c { role = director cores = 3  memory = 6 GiB  login_processes = 3 }'
                )
                .replace('deploy 12 x director_1c', 'deploy 4 x director_3c')
                .replace('runs = 1 x director_1c', 'runs = 1 x director_3c')
        );
    });
});

describe('fix-all under the kind asked for', () => {
    it('source.fixAll → an action of kind source.fixAll; source.fixAll.dcplan, source or no only → source.fixAll.dcplan', async () => {
        expect(fixAllKind(['source.fixAll'])).toBe('source.fixAll');
        expect(fixAllKind(['source.fixAll.dcplan'])).toBe(FIX_ALL_KIND);
        expect(fixAllKind(['source.fixAll', 'source.fixAll.dcplan'])).toBe(FIX_ALL_KIND);
        expect(fixAllKind(['source'])).toBe(FIX_ALL_KIND);
        expect(fixAllKind(undefined)).toBe(FIX_ALL_KIND);
        const doc = await open(example('ring-too-large.dcplan'));
        const kinds = async (only?: string[], trigger?: CodeActionTriggerKind) =>
            (await actions(doc, only, trigger))
                .filter(a => a.title.startsWith('Fix all'))
                .map(a => a.kind);
        expect(await kinds(['source.fixAll'])).toEqual(['source.fixAll']);
        expect(await kinds(['source.fixAll.dcplan'])).toEqual([FIX_ALL_KIND]);
        expect(await kinds(['source'])).toEqual([FIX_ALL_KIND]);
        expect(await kinds(undefined, CodeActionTriggerKind.Invoked)).toEqual([FIX_ALL_KIND]);
        expect(await kinds(['quickfix'])).toEqual([]);
    });
});

describe('a quick-fix whose result would not parse is not offered', () => {
    it('the splits of seed-reference.dcplan are offered; with a syntax error elsewhere in the file, none is', async () => {
        const text = example('seed-reference.dcplan');
        const good = await actions(await open(text), [CodeActionKind.QuickFix]);
        expect(
            good
                .filter(a => a.title.startsWith('Split into'))
                .map(a => a.title)
                .sort()
        ).toEqual([
            'Split into 12 × 1-core proxies (maintenance impact 8.3%)',
            'Split into 16 × 4-core backends (maintenance impact 6.3%)',
            'Split into 4 × 3-core directors (maintenance impact 25%)',
            'Split into 6 × 2-core directors (maintenance impact 16.7%)'
        ]);
        const broken = await open(text + 'deploy 2 x\n');
        expect((broken.diagnostics ?? []).some(d => d.code === 'syntax-error')).toBe(true);
        expect((broken.diagnostics ?? []).some(d => d.code === 'proxy-split')).toBe(true);
        expect(await actions(broken, [CodeActionKind.QuickFix])).toEqual([]);
    });
});

describe('fix-all over stdio, as eglot and Helix ask for it', () => {
    let server: StdioServer;
    beforeAll(() => {
        server = new StdioServer();
    }, 30_000);
    afterAll(() => server?.stop());

    it('advertises source.fixAll and source.fixAll.dcplan, and answers each with an action of the kind asked', async () => {
        const init = await server.initialize();
        expect(init.capabilities.codeActionProvider).toEqual({
            codeActionKinds: ['quickfix', 'source.fixAll', 'source.fixAll.dcplan']
        });
        const conn = server.conn;
        const uri = pathToFileURL(path.join(os.tmpdir(), 'dcplan-eglot', 'ring.dcplan')).toString();
        const text = example('ring-too-large.dcplan');
        await conn.sendNotification(DidOpenTextDocumentNotification.type, {
            textDocument: { uri, languageId: 'dcplan', version: 1, text }
        });
        const end = { line: text.split('\n').length, character: 0 };
        const ask = (only: string[]) =>
            conn.sendRequest(CodeActionRequest.type, {
                textDocument: { uri },
                range: { start: { line: 0, character: 0 }, end },
                context: { diagnostics: [], only, triggerKind: CodeActionTriggerKind.Invoked }
            }) as Promise<CodeAction[]>;
        const expected = text
            .replace(
                'shape director_1c { role = director cores = 1  memory = 2 GiB }',
                'shape director_3c { role = director cores = 3  memory = 6 GiB  login_processes = 3 }'
            )
            .replace('deploy 12 x director_1c', 'deploy 4 x director_3c');
        for (const kind of ['source.fixAll', 'source.fixAll.dcplan']) {
            const result = await ask([kind]);
            // what a client that keeps only the kinds it asked for (eglot, Helix) keeps
            const kept = result.filter(a => a.kind === kind);
            expect(
                kept.map(a => a.title),
                kind
            ).toEqual(['Fix all dcplan issues (1 fix)']);
            const edits = kept[0].edit!.changes![uri];
            expect(
                TextDocument.applyEdits(TextDocument.create(uri, 'dcplan', 1, text), edits),
                kind
            ).toBe(expected);
        }
    }, 30_000);
});
