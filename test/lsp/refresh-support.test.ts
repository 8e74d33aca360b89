/**
 * `workspace/inlayHint/refresh` and `workspace/codeLens/refresh` go to a client only when it said
 * it supports them (`refreshSupport`): a client that did not (a newcomer's stdio client, and older
 * editors) got requests it does not know whenever the `dcplan` settings changed.
 */
import { afterEach, describe, expect, it } from 'vitest';
import {
    DidChangeConfigurationNotification,
    type ClientCapabilities
} from 'vscode-languageserver-protocol';
import { StdioServer } from './stdio-server.js';

let server: StdioServer | undefined;
afterEach(() => server?.stop());

/** Starts a server with `capabilities`, changes the dcplan settings, and returns what it asked. */
async function refreshesAfterSettings(capabilities: ClientCapabilities): Promise<string[]> {
    server = new StdioServer({ timeoutMs: 20_000 });
    const asked: string[] = [];
    for (const method of ['workspace/inlayHint/refresh', 'workspace/codeLens/refresh'])
        server.conn.onRequest(method, () => {
            asked.push(method);
            server!.poke();
            return null;
        });
    await server.initialize({ capabilities });
    await server.conn.sendNotification(DidChangeConfigurationNotification.type, {
        settings: { dcplan: { codeLens: { enabled: false }, inlayHints: { enabled: false } } }
    });
    // a request round trip: the notification before it has been handled once it is answered
    await server.conn.sendRequest('workspace/symbol', { query: 'x' });
    return asked;
}

describe('refresh requests follow the client capabilities', () => {
    it('none to a client without refreshSupport', async () => {
        expect(await refreshesAfterSettings({})).toEqual([]);
    });

    it('both to a client that supports them', async () => {
        const asked = await refreshesAfterSettings({
            workspace: { inlayHint: { refreshSupport: true }, codeLens: { refreshSupport: true } }
        });
        const both = await server!.until('both refreshes', () =>
            asked.length >= 2 ? asked : undefined
        );
        expect([...both].sort()).toEqual([
            'workspace/codeLens/refresh',
            'workspace/inlayHint/refresh'
        ]);
    });
});
