/**
 * Requests that can take long in a large workspace look at their cancellation token: find
 * references and rename while the reference index is made, workspace symbols while the index is
 * read. A cancelled request rejects with Langium's OperationCancelled (the server answers it
 * with the LSP RequestCancelled error); the same request not cancelled answers in full.
 */
import { describe, expect, test } from 'vitest';
import { CancellationTokenSource } from 'vscode-languageserver';
import { isOperationCancelled } from 'langium';
import { createServices, Dcplan, open, testUri } from './helpers.js';
import { parseHelper } from 'langium/test';
import { registerWorkspaceSymbols } from '../../language-server/lsp/symbols.js';

const INVENTORY = 'shape proxy_1c { role = proxy cores = 1 memory = 2 GiB }\n';
const user = (k: number) => `import "inventory.dcplan"\ndeploy ${k + 1} x proxy_1c\n`;

/** A workspace of the inventory and 40 files that deploy its shape. */
async function workspace() {
    const dir = 'cancel' + Math.random().toString(36).slice(2, 8);
    const inventory = await open(INVENTORY, testUri('inventory.dcplan', dir));
    for (let k = 0; k < 40; k++) await open(user(k), testUri(`user${k}.dcplan`, dir));
    return inventory;
}

const cancelled = () => {
    const s = new CancellationTokenSource();
    s.cancel();
    return s.token;
};
const rejection = (p: unknown) =>
    Promise.resolve(p).then(
        () => undefined,
        (e: unknown) => e
    );

describe('cancellation of long requests', () => {
    const at = (uri: string) => ({ textDocument: { uri }, position: { line: 0, character: 8 } });

    test('find references: cancelled rejects, else every use in the 40 importing files', async () => {
        const inventory = await workspace();
        const params = {
            ...at(inventory.textDocument.uri),
            context: { includeDeclaration: false }
        };
        expect(
            isOperationCancelled(
                await rejection(
                    Dcplan.lsp.ReferencesProvider!.findReferences(inventory, params, cancelled())
                )
            )
        ).toBe(true);
        const refs = await Dcplan.lsp.ReferencesProvider!.findReferences(inventory, params);
        expect(refs.filter(r => r.uri.includes('/user'))).toHaveLength(40);
    });

    test('rename: cancelled rejects and edits nothing, else 41 files are edited', async () => {
        const inventory = await workspace();
        const params = { ...at(inventory.textDocument.uri), newName: 'proxy_one' };
        expect(
            isOperationCancelled(
                await rejection(Dcplan.lsp.RenameProvider!.rename(inventory, params, cancelled()))
            )
        ).toBe(true);
        const edit = await Dcplan.lsp.RenameProvider!.rename(inventory, params);
        expect(Object.keys(edit?.changes ?? {})).toHaveLength(41);
    });

    test('workspace symbols: cancelled rejects, else the shape of the inventory', async () => {
        const s = createServices();
        registerWorkspaceSymbols(s.shared);
        const dir = 'cancel-ws';
        const parse = parseHelper(s.Dcplan);
        await parse(INVENTORY, { documentUri: testUri('inventory.dcplan', dir) });
        const provider = s.shared.lsp.WorkspaceSymbolProvider!;
        expect(
            isOperationCancelled(
                await rejection(provider.getSymbols({ query: 'proxy' }, cancelled()))
            )
        ).toBe(true);
        const symbols = await provider.getSymbols({ query: 'proxy' });
        expect(symbols.map(x => x.name)).toEqual(['proxy_1c']);
    });
});
