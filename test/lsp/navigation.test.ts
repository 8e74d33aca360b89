/**
 * Navigation: go to definition, find references and rename across an import, document symbols
 * (the outline), workspace symbols, folding ranges and semantic tokens.
 */
import { describe, expect, test } from 'vitest';
import {
    expectFindReferences,
    expectFoldings,
    expectGoToDefinition,
    expectSymbols,
    highlightHelper,
    expectSemanticToken
} from 'langium/test';
import { type Location, SymbolKind, type WorkspaceSymbol } from 'vscode-languageserver';
import { Dcplan, example, offsetOf, open, services, testUri } from './helpers.js';
import { DCPLAN_TOKEN_TYPES } from '../../language-server/lsp/semantic-tokens.js';
import {
    registerWorkspaceSymbols,
    WORKSPACE_SYMBOL_LIMIT
} from '../../language-server/lsp/symbols.js';

const KIND: Record<number, string> = Object.fromEntries(
    Object.entries(SymbolKind).map(([k, v]) => [v, k])
);

const INVENTORY = `// shared hardware
shape proxy_1c { role = proxy cores = 1 memory = 2 GiB }

model r640 { cores = 24  memory = 256 GiB }
`;
const MAIN = `import "inventory.dcplan"

deploy 12 x proxy_1c
deploy 2  x proxy_1c

host hv[01..04] : r640 {
  hypervisor_cores = 2
  runs = 3 x proxy_1c
}
`;

/** Opens the two-file workspace: inventory (declarations) and main (uses, via an import). */
async function twoFiles() {
    const dir = 'rename' + Math.random().toString(36).slice(2, 8);
    const inventory = await open(INVENTORY, testUri('inventory.dcplan', dir));
    const main = await open(MAIN, testUri('main.dcplan', dir));
    return { inventory, main };
}

describe('go to definition and references', () => {
    test('a shape use in a deploy line goes to the shape', async () => {
        await expectGoToDefinition(Dcplan)({
            text: 'shape <|proxy_1c|> { role = proxy cores = 1 memory = 2 GiB }\ndeploy 12 x prox<|>y_1c\n',
            index: 0,
            rangeIndex: 0
        });
    });
    test('a model use after `host … :` goes to the model', async () => {
        await expectGoToDefinition(Dcplan)({
            text: 'model <|r640|> { cores = 24 memory = 256 GiB }\nhost h1 : r6<|>40 { hypervisor_cores = 2 }\n',
            index: 0,
            rangeIndex: 0
        });
    });
    test('references of a shape: its deploy lines and runs pins', async () => {
        await expectFindReferences(Dcplan)({
            text: 'shape <|p<|>1|> { role = proxy cores = 1 memory = 2 GiB }\ndeploy 2 x <|p1|>\nhost h { cores = 4 memory = 8 GiB runs = 1 x <|p1|> }\n',
            includeDeclaration: true
        });
    });
    test('across an import: definition in the imported file, references from both', async () => {
        const { inventory, main } = await twoFiles();
        const offset = offsetOf(MAIN, 'proxy_1c', 0, 2);
        const defs = await Dcplan.lsp.DefinitionProvider!.getDefinition(main, {
            textDocument: { uri: main.textDocument.uri },
            position: main.textDocument.positionAt(offset)
        });
        expect(
            defs?.map(d => [
                d.targetUri,
                d.targetSelectionRange.start.line,
                d.targetSelectionRange.start.character
            ])
        ).toEqual([[inventory.textDocument.uri, 1, 6]]);
        const refs = await Dcplan.lsp.ReferencesProvider!.findReferences(inventory, {
            textDocument: { uri: inventory.textDocument.uri },
            position: { line: 1, character: 8 },
            context: { includeDeclaration: false }
        });
        expect(
            refs
                .map(r => [r.uri.split('/').at(-1), r.range.start.line, r.range.start.character])
                .sort()
        ).toEqual([
            ['main.dcplan', 2, 12],
            ['main.dcplan', 3, 12],
            ['main.dcplan', 7, 13]
        ]);
    });
});

describe('rename', () => {
    test('renaming a shape in the imported file edits the declaration and every use in the importing file', async () => {
        const { inventory, main } = await twoFiles();
        const edit = await Dcplan.lsp.RenameProvider!.rename(inventory, {
            textDocument: { uri: inventory.textDocument.uri },
            position: { line: 1, character: 8 },
            newName: 'proxy_one'
        });
        const changes = Object.fromEntries(
            Object.entries(edit?.changes ?? {}).map(([uri, edits]) => [
                uri.split('/').at(-1),
                edits
                    .map(
                        e =>
                            `${e.range.start.line}:${e.range.start.character}-${e.range.end.line}:${e.range.end.character} ${e.newText}`
                    )
                    .sort()
            ])
        );
        expect(changes).toEqual({
            'inventory.dcplan': ['1:6-1:14 proxy_one'],
            'main.dcplan': ['2:12-2:20 proxy_one', '3:12-3:20 proxy_one', '7:13-7:21 proxy_one']
        });
        void main;
    });
    test('renaming from a use in the importing file gives the same edits', async () => {
        const { main } = await twoFiles();
        const edit = await Dcplan.lsp.RenameProvider!.rename(main, {
            textDocument: { uri: main.textDocument.uri },
            position: { line: 5, character: 20 },
            newName: 'dell_r640'
        });
        const flat = Object.entries(edit?.changes ?? {})
            .flatMap(([uri, edits]) =>
                edits.map(
                    e =>
                        `${uri.split('/').at(-1)} ${e.range.start.line}:${e.range.start.character}-${e.range.end.character} ${e.newText}`
                )
            )
            .sort();
        expect(flat).toEqual([
            'inventory.dcplan 3:6-10 dell_r640',
            'main.dcplan 5:18-22 dell_r640'
        ]);
    });
    test('a new name that is not a dcplan name is refused', async () => {
        const { inventory } = await twoFiles();
        const params = {
            textDocument: { uri: inventory.textDocument.uri },
            position: { line: 1, character: 8 }
        };
        await expect(
            Dcplan.lsp.RenameProvider!.rename(inventory, { ...params, newName: 'deploy' })
        ).rejects.toThrow(/not a valid dcplan name/);
        await expect(
            Dcplan.lsp.RenameProvider!.rename(inventory, { ...params, newName: '1c' })
        ).rejects.toThrow(/not a valid dcplan name/);
    });
    test('a value word that the language takes as a name is a valid new name (shape proxy { role = proxy … })', async () => {
        const { inventory } = await twoFiles();
        const params = {
            textDocument: { uri: inventory.textDocument.uri },
            position: { line: 1, character: 8 }
        };
        for (const newName of ['proxy', 'backend', 'physical']) {
            const edit = await Dcplan.lsp.RenameProvider!.rename(inventory, { ...params, newName });
            expect(
                Object.values(edit?.changes ?? {})
                    .flat()
                    .map(e => e.newText)
            ).toEqual(
                Object.values(edit?.changes ?? {})
                    .flat()
                    .map(() => newName)
            );
            expect(Object.values(edit?.changes ?? {}).flat().length).toBeGreaterThan(0);
        }
        await expect(
            Dcplan.lsp.RenameProvider!.rename(inventory, { ...params, newName: 'x' })
        ).rejects.toThrow(/not a valid dcplan name/);
    });
});

describe('prepareRename', () => {
    const ONLY =
        'only the name of a shape, model, host, workload or the plan (or a use of it) can be renamed';
    const TEXT =
        '// shared hardware\nplan p { title = "T" platform = virtual }\nworkload w { proxy = 2 cores }\n' +
        'shape proxy { role = proxy cores = 1 memory = 2 GiB }\ndeploy 2 x proxy ring eu\ndeploy 1 x nope\n' +
        'host hv[01..02] : m { rack = r1 drain = false }\n/* spare */\n';
    /** prepareRename at `needle` (+`delta`): the renamed text, or the refusal's code and message. */
    async function prepare(needle: string, delta: number): Promise<string> {
        const doc = await open(TEXT);
        const params = {
            textDocument: { uri: doc.uri.toString() },
            position: doc.textDocument.positionAt(offsetOf(TEXT, needle, 0, delta))
        };
        try {
            const range = await Dcplan.lsp.RenameProvider!.prepareRename(doc, params);
            if (!range) return 'no range';
            const at = (p: typeof range.start) => doc.textDocument.offsetAt(p);
            return TEXT.slice(at(range.start), at(range.end));
        } catch (err) {
            return `${(err as { code: number }).code} ${(err as Error).message}`;
        }
    }
    test('a name or a use of one gives its range', async () => {
        expect(await prepare('plan p', 5)).toBe('p');
        expect(await prepare('workload w', 9)).toBe('w');
        expect(await prepare('shape proxy', 8)).toBe('proxy');
        // a cursor just after the name, as Langium reads it
        expect(await prepare('x proxy ', 7)).toBe('proxy');
        expect(await prepare('hv[01', 1)).toBe('hv');
    });
    test('anything else is refused with what it is (RequestFailed, -32803)', async () => {
        expect(await prepare('shared', 0)).toBe(`-32803 cannot rename a comment: ${ONLY}`);
        expect(await prepare('spare', 0)).toBe(`-32803 cannot rename a comment: ${ONLY}`);
        expect(await prepare('plan p', 1)).toBe(
            `-32803 cannot rename \`plan\`: it is a keyword; ${ONLY}`
        );
        expect(await prepare('x proxy', 0)).toBe(
            `-32803 cannot rename \`x\`: it is a keyword; ${ONLY}`
        );
        expect(await prepare('"T"', 1)).toBe(`-32803 cannot rename a string: ${ONLY}`);
        expect(await prepare('2 cores', 0)).toBe(
            `-32803 cannot rename \`2\`: it is a number, not a name; ${ONLY}`
        );
        expect(await prepare('2 GiB', 3)).toBe(
            `-32803 cannot rename \`2 GiB\`: it is a number, not a name; ${ONLY}`
        );
        expect(await prepare('hv[01', 4)).toBe(
            `-32803 cannot rename \`01\`: it is a number, not a name; ${ONLY}`
        );
        expect(await prepare('= 2', 0)).toBe(
            `-32803 cannot rename here: there is no name at the cursor; ${ONLY}`
        );
    });
    test('a role, a value word, a ring, a rack and a name that resolves to nothing are refused', async () => {
        const role = `-32803 cannot rename \`proxy\`: it is a role, a word of the language; ${ONLY}`;
        // the built-in role in a shape (named proxy itself) and in a workload's demand line
        expect(await prepare('role = proxy', 8)).toBe(role);
        expect(await prepare('proxy = 2', 1)).toBe(role);
        expect(await prepare('virtual', 2)).toBe(
            `-32803 cannot rename \`virtual\`: it is a value of \`platform\`, a word of the language; ${ONLY}`
        );
        expect(await prepare('false', 1)).toBe(
            `-32803 cannot rename \`false\`: it is a value of \`drain\`, a word of the language; ${ONLY}`
        );
        expect(await prepare('ring eu', 6)).toBe(
            `-32803 cannot rename ring \`eu\`: a ring is not declared, each \`deploy\` line of its directors names it; ${ONLY}`
        );
        expect(await prepare('r1', 1)).toBe(
            `-32803 cannot rename rack \`r1\`: a rack is not declared, each host in it names it; ${ONLY}`
        );
        expect(await prepare('nope', 1)).toBe(
            `-32803 cannot rename \`nope\`: no shape of that name is declared where it is used; ${ONLY}`
        );
        expect(await prepare(': m', 2)).toBe(
            `-32803 cannot rename \`m\`: no model of that name is declared where it is used; ${ONLY}`
        );
    });
    test('a rename without prepareRename is refused with the same reason', async () => {
        const doc = await open(TEXT);
        await expect(
            Dcplan.lsp.RenameProvider!.rename(doc, {
                textDocument: { uri: doc.uri.toString() },
                position: doc.textDocument.positionAt(offsetOf(TEXT, 'role = proxy', 0, 8)),
                newName: 'edge'
            })
        ).rejects.toThrow(`cannot rename \`proxy\`: it is a role, a word of the language; ${ONLY}`);
    });
});

describe('document symbols', () => {
    test('the outline of seed-recommended.dcplan', async () => {
        await expectSymbols(Dcplan)({
            text: example('seed-recommended.dcplan'),
            assert: symbols => {
                const flat = symbols.map(
                    s => `${KIND[s.kind]} ${s.name}${s.detail ? ' — ' + s.detail : ''}`
                );
                expect(flat).toEqual([
                    'Namespace recommended — Dovecot recommended VM split on four hypervisors',
                    'Event peak — workload',
                    'Struct proxy_1c — proxy · 1 core · 2 GiB',
                    'Struct director_3c — director · 3 cores · 6 GiB',
                    'Struct backend_4c — backend · 4 cores · 32 GiB',
                    'Variable deploy 12 x proxy_1c',
                    'Variable deploy 4 x director_3c',
                    'Variable deploy 16 x backend_4c',
                    'Interface dual_socket_24 — 24 cores · 384 GiB',
                    'Object hv[01..04] — 4 hosts · dual_socket_24'
                ]);
                expect(symbols[1].children?.map(c => `${c.name}: ${c.detail}`)).toEqual([
                    'proxy: 12 cores',
                    'director: 12 cores',
                    'backend: 64 cores'
                ]);
            }
        });
    });
    test('a host list names each host', async () => {
        await expectSymbols(Dcplan)({
            text: 'host hv01, hv02 { cores = 8 memory = 32 GiB }\n',
            assert: symbols => {
                expect(symbols.map(s => [s.name, s.detail])).toEqual([['hv01, hv02', '2 hosts']]);
                expect(symbols[0].children?.map(c => c.name)).toEqual(['hv01', 'hv02']);
            }
        });
    });
    test('a range alone has no child repeating its name; a list with a range has one per name', async () => {
        await expectSymbols(Dcplan)({
            text: 'host hv[01..04] { cores = 8 memory = 32 GiB }\nhost a, hv[05..06] { cores = 8 memory = 32 GiB }\n',
            assert: symbols => {
                expect(symbols.map(s => [s.name, s.detail, s.children])).toEqual([
                    ['hv[01..04]', '4 hosts', undefined],
                    [
                        'a, hv[05..06]',
                        '3 hosts',
                        [
                            {
                                name: 'a',
                                kind: SymbolKind.Object,
                                range: {
                                    start: { line: 1, character: 5 },
                                    end: { line: 1, character: 6 }
                                },
                                selectionRange: {
                                    start: { line: 1, character: 5 },
                                    end: { line: 1, character: 6 }
                                }
                            },
                            {
                                name: 'hv[05..06]',
                                kind: SymbolKind.Object,
                                range: {
                                    start: { line: 1, character: 8 },
                                    end: { line: 1, character: 18 }
                                },
                                selectionRange: {
                                    start: { line: 1, character: 8 },
                                    end: { line: 1, character: 18 }
                                }
                            }
                        ]
                    ]
                ]);
                expect(symbols[0].selectionRange).toEqual({
                    start: { line: 0, character: 5 },
                    end: { line: 0, character: 15 }
                });
            }
        });
    });
});

describe('workspace symbols', () => {
    test('shapes, models, plans and workloads of every file, filtered by the query', async () => {
        const s = (await import('./helpers.js')).createServices();
        const dir = 'wsym';
        const parse = (await import('langium/test')).parseHelper(s.Dcplan);
        await parse(example('seed-recommended.dcplan'), { documentUri: testUri('a.dcplan', dir) });
        await parse(example('overcommit.dcplan'), { documentUri: testUri('b.dcplan', dir) });
        const all = await s.shared.lsp.WorkspaceSymbolProvider!.getSymbols({ query: '' });
        expect(all.map(x => x.name).sort()).toEqual(
            [
                'backend_4c',
                'backend_4c',
                'director_3c',
                'dual_socket_24',
                'peak',
                'proxy_1c',
                'proxy_2c',
                'recommended'
            ].sort()
        );
        const proxies = await s.shared.lsp.WorkspaceSymbolProvider!.getSymbols({ query: 'proxy' });
        expect(proxies.map(x => x.name).sort()).toEqual(['proxy_1c', 'proxy_2c']);
    });

    test("the server's answer adds each host; a range's hosts one by one, at the range", async () => {
        const s = (await import('./helpers.js')).createServices();
        registerWorkspaceSymbols(s.shared);
        const dir = 'wsym-hosts';
        const parse = (await import('langium/test')).parseHelper(s.Dcplan);
        const a = testUri('a.dcplan', dir);
        const b = testUri('b.dcplan', dir);
        await parse(example('seed-recommended.dcplan'), { documentUri: a });
        await parse(example('overcommit.dcplan'), { documentUri: b });
        const provider = s.shared.lsp.WorkspaceSymbolProvider!;
        const line = (x: WorkspaceSymbol) => {
            const r = (x.location as Location).range;
            const file = x.location.uri === a ? 'a' : x.location.uri === b ? 'b' : x.location.uri;
            return `${KIND[x.kind]} ${x.name}${x.containerName ? ' in ' + x.containerName : ''} ${file} ${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
        };
        expect((await provider.getSymbols({ query: 'hv02' })).map(line)).toEqual([
            'Object hv02 in hv[01..04] a 31:6-31:16',
            'Object hv02 b 24:6-24:10'
        ]);
        expect((await provider.getSymbols({ query: 'hv' })).map(line)).toEqual([
            'Object hv01 in hv[01..04] a 31:6-31:16',
            'Object hv02 in hv[01..04] a 31:6-31:16',
            'Object hv03 in hv[01..04] a 31:6-31:16',
            'Object hv04 in hv[01..04] a 31:6-31:16',
            'Object hv01 b 18:6-18:10',
            'Object hv02 b 24:6-24:10'
        ]);
        // the index's names first, as before
        expect((await provider.getSymbols({ query: '' })).map(x => x.name)).toEqual([
            'recommended',
            'peak',
            'proxy_1c',
            'director_3c',
            'backend_4c',
            'dual_socket_24',
            'proxy_2c',
            'backend_4c',
            'hv01',
            'hv02',
            'hv03',
            'hv04',
            'hv01',
            'hv02'
        ]);
    });

    test(`an answer holds at most ${WORKSPACE_SYMBOL_LIMIT} symbols, index names first; a longer query narrows it`, async () => {
        const s = (await import('./helpers.js')).createServices();
        registerWorkspaceSymbols(s.shared);
        const parse = (await import('langium/test')).parseHelper(s.Dcplan);
        const uri = testUri('big.dcplan', 'wsym-limit');
        await parse(
            'shape hx { role = backend cores = 4 memory = 16 GiB }\n' +
                'model m { cores = 8 memory = 64 GiB }\n' +
                'host hv[1..5000] : m { }\n',
            { documentUri: uri }
        );
        const provider = s.shared.lsp.WorkspaceSymbolProvider!;
        const all = await provider.getSymbols({ query: '' });
        expect(all.length).toBe(WORKSPACE_SYMBOL_LIMIT);
        expect(all.slice(0, 4).map(x => x.name)).toEqual(['hx', 'm', 'hv1', 'hv2']);
        expect(all[WORKSPACE_SYMBOL_LIMIT - 1].name).toBe(`hv${WORKSPACE_SYMBOL_LIMIT - 2}`);
        expect(
            (await provider.getSymbols({ query: 'hv4999' })).map(x => [x.name, x.containerName])
        ).toEqual([['hv4999', 'hv[1..5000]']]);
    });
});

describe('folding ranges', () => {
    test('header comments, block comments and blocks of three lines or more', async () => {
        const text =
            [
                '// one',
                '// two',
                '// three', // 0-2
                'plan p {',
                '  title = "t"',
                '}', // 3-5
                '/* a',
                '   b',
                '*/', // 6-8
                'shape s { role = proxy cores = 1 memory = 2 GiB }', // 9
                'host h {',
                '  cores = 8',
                '  memory = 32 GiB',
                '}' // 10-13
            ].join('\n') + '\n';
        await expectFoldings(Dcplan)({
            text,
            assert: ranges => {
                expect(
                    ranges
                        .map(r => `${r.startLine}-${r.endLine}${r.kind ? ' ' + r.kind : ''}`)
                        .sort()
                ).toEqual(['0-2 comment', '10-12', '3-4', '6-7 comment'].sort());
            }
        });
    });
});

describe('semantic tokens', () => {
    test('names are highlighted by kind', async () => {
        const tokens = await highlightHelper(Dcplan)(
            'shape <|p1|> { role = <|proxy|> cores = 1 memory = 2 GiB }\ndeploy 4 x <|p1|> ring <|r1|>\nmodel <|m|> { cores = 8 memory = 32 GiB }\nhost <|h1|> : <|m|> { }\n'
        );
        const expectToken = (i: number, type: string) =>
            expectSemanticToken(tokens, { rangeIndex: i, tokenType: type as never });
        expectToken(0, DCPLAN_TOKEN_TYPES.shape);
        expectToken(1, DCPLAN_TOKEN_TYPES.role);
        expectToken(2, DCPLAN_TOKEN_TYPES.shape);
        expectToken(3, DCPLAN_TOKEN_TYPES.ring);
        expectToken(4, DCPLAN_TOKEN_TYPES.model);
        expectToken(5, DCPLAN_TOKEN_TYPES.host);
        expectToken(6, DCPLAN_TOKEN_TYPES.model);
        void services;
    });
});
