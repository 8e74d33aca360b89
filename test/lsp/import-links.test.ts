/**
 * `import "…"` leads to the imported file (issue 14): the path is a document link, and
 * go-to-definition on it opens the file; an import of a missing file links nowhere. Over stdio,
 * in a workspace folder of real files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DefinitionRequest, DocumentLinkRequest } from 'vscode-languageserver-protocol/node.js';
import { planFolder, startStdioServer, type LanguageFeatureServer } from './stdio.js';

const MAIN_TEXT = 'import "inventory.dcplan"\nimport "gone.dcplan"\ndeploy 2 x proxy_1c\n';
const folder = planFolder('dcplan-links-', {
    inventory: 'shape proxy_1c { role = proxy cores = 1 memory = 2 GiB }\n',
    main: MAIN_TEXT
});
const INVENTORY = folder.uri('inventory');
const MAIN = folder.uri('main');

let server: LanguageFeatureServer;
beforeAll(async () => {
    server = await startStdioServer({}, folder.rootUri);
    await server.open(MAIN, MAIN_TEXT);
}, 60_000);
afterAll(async () => {
    await server?.stop();
    folder.remove();
});

const range = (l1: number, c1: number, l2: number, c2: number) => ({
    start: { line: l1, character: c1 },
    end: { line: l2, character: c2 }
});

describe('import paths', () => {
    it('the server offers document links', () => {
        expect(server.init.capabilities.documentLinkProvider).toBeDefined();
    });

    it('the path of an import of a loaded file is a link to it; a missing file is not', async () => {
        const links = await server.conn.sendRequest(DocumentLinkRequest.type, {
            textDocument: { uri: MAIN }
        });
        expect(links).toEqual([
            { range: range(0, 8, 0, 24), target: INVENTORY, tooltip: 'Open the imported plan' }
        ]);
    });

    it('go-to-definition on the path opens the file; on the missing one finds nothing', async () => {
        const top = range(0, 0, 0, 0);
        for (const character of [7, 8, 15, 24, 25]) {
            expect(
                await server.conn.sendRequest(DefinitionRequest.type, {
                    textDocument: { uri: MAIN },
                    position: { line: 0, character }
                }),
                `at ${character}`
            ).toEqual([
                {
                    originSelectionRange: range(0, 8, 0, 24),
                    targetUri: INVENTORY,
                    targetRange: top,
                    targetSelectionRange: top
                }
            ]);
        }
        expect(
            await server.conn.sendRequest(DefinitionRequest.type, {
                textDocument: { uri: MAIN },
                position: { line: 1, character: 10 }
            })
        ).toBeNull();
        // a name still goes to its declaration, in the imported file
        expect(
            await server.conn.sendRequest(DefinitionRequest.type, {
                textDocument: { uri: MAIN },
                position: { line: 2, character: 12 }
            })
        ).toEqual([
            {
                originSelectionRange: range(2, 11, 2, 19),
                targetUri: INVENTORY,
                targetRange: range(0, 0, 0, 56),
                targetSelectionRange: range(0, 6, 0, 14)
            }
        ]);
    });
});
