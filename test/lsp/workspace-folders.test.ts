/**
 * Folders added to and removed from the workspace after `initialize` (a multi-root window): the
 * plans under an added folder are indexed as the startup scan indexes them, those under a removed
 * one leave (a newcomer found later folders never indexed, and the change not advertised).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
    DidChangeWorkspaceFoldersNotification,
    WorkspaceSymbolRequest
} from 'vscode-languageserver-protocol';
import { StdioServer } from './stdio-server.js';

const ws = mkdtempSync(path.join(tmpdir(), 'dcplan-folders-'));
const first = path.join(ws, 'first'),
    second = path.join(ws, 'second');
mkdirSync(first);
mkdirSync(second);
writeFileSync(
    path.join(first, 'a.dcplan'),
    'shape alpha_1c { role = proxy cores = 1 memory = 2 GiB }\n'
);
writeFileSync(
    path.join(second, 'b.dcplan'),
    'shape beta_1c { role = proxy cores = 1 memory = 2 GiB }\n'
);
const folder = (p: string) => ({ uri: pathToFileURL(p).toString(), name: path.basename(p) });

let server: StdioServer | undefined;
afterAll(async () => {
    await server?.stop();
    rmSync(ws, { recursive: true, force: true });
});

describe('workspace folders after initialize', () => {
    it('advertises the change notifications; indexes an added folder, drops a removed one', async () => {
        server = new StdioServer({ timeoutMs: 20_000 });
        const init = await server.initialize({
            workspaceFolders: [folder(first)],
            capabilities: { workspace: { workspaceFolders: true } }
        });
        expect(init.capabilities.workspace?.workspaceFolders).toEqual({
            supported: true,
            changeNotifications: true
        });
        const names = async (query: string) =>
            ((await server!.conn.sendRequest(WorkspaceSymbolRequest.type, { query })) ?? []).map(
                s => s.name
            );
        const settled = async (query: string, want: string[]) => {
            for (let k = 0; k < 100; k++) {
                const got = await names(query);
                if (JSON.stringify(got) === JSON.stringify(want)) return got;
                await new Promise(r => setTimeout(r, 100));
            }
            return names(query);
        };
        expect(await settled('alpha', ['alpha_1c'])).toEqual(['alpha_1c']);
        expect(await names('beta')).toEqual([]);
        await server.conn.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
            event: { added: [folder(second)], removed: [] }
        });
        expect(await settled('beta', ['beta_1c'])).toEqual(['beta_1c']);
        await server.conn.sendNotification(DidChangeWorkspaceFoldersNotification.type, {
            event: { added: [], removed: [folder(first)] }
        });
        expect(await settled('alpha', [])).toEqual([]);
        expect(await names('beta')).toEqual(['beta_1c']);
    });
});
