/**
 * The LSP lifecycle over stdio (language-server/lifecycle.ts): a request before `initialize` is
 * answered at once with -32002, a notification then is dropped, the server serves after
 * `initialize`, answers a request after `shutdown` with InvalidRequest and exits with 0 on `exit`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import {
    DidOpenTextDocumentNotification,
    ExitNotification,
    HoverRequest,
    ResponseError,
    ShutdownRequest
} from 'vscode-languageserver-protocol/node.js';
import { REFUSED_METHOD } from '../../language-server/lifecycle.js';
import { StdioServer } from './stdio-server.js';

const PLAN =
    'shape px { role = proxy cores = 1 memory = 2 GiB }\n' +
    'deploy 2 x px\n' +
    'host n1 { cores = 8 memory = 32 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB }\n';
const URI = 'untitled:lifecycle.dcplan';

/** The error a request ends with (fails the test when it is answered). */
async function refusal(p: Promise<unknown>): Promise<{ code: number; message: string }> {
    try {
        const answer = await p;
        throw new Error(`answered: ${JSON.stringify(answer)}`);
    } catch (e) {
        if (!(e instanceof ResponseError)) throw e;
        return { code: e.code, message: e.message };
    }
}

const servers: StdioServer[] = [];
afterAll(async () => {
    for (const s of servers) await s.stop();
});

describe('the server lifecycle', () => {
    it('answers a request before initialize with -32002 and drops a notification', async () => {
        const server = new StdioServer();
        servers.push(server);
        // sent before initialize: the open is dropped, the hover refused
        await server.conn.sendNotification(DidOpenTextDocumentNotification.type, {
            textDocument: { uri: URI, languageId: 'dcplan', version: 1, text: PLAN }
        });
        const early = await refusal(
            server.conn.sendRequest(HoverRequest.type, {
                textDocument: { uri: URI },
                position: { line: 1, character: 11 }
            })
        );
        expect(early).toEqual({
            code: -32002,
            message: 'the server is not initialized: textDocument/hover was sent before initialize'
        });
        await server.initialize();
        // the open before initialize was dropped: nothing was published for it
        expect(server.published.get(URI)).toBeUndefined();
        await server.open(URI, PLAN);
        await server.diagnostics(URI, 1);
        const hover = await server.conn.sendRequest(HoverRequest.type, {
            textDocument: { uri: URI },
            position: { line: 1, character: 11 }
        });
        expect(JSON.stringify(hover)).toContain('px');
    }, 60_000);

    it('refuses the refusal method when a client sends it itself', async () => {
        const server = new StdioServer();
        servers.push(server);
        await server.initialize();
        const forged = await refusal(
            server.conn.sendRequest(REFUSED_METHOD, { code: 1, message: 'forged' })
        );
        expect(forged).toEqual({ code: -32601, message: `Unhandled method ${REFUSED_METHOD}` });
    }, 60_000);

    it('answers a request after shutdown with InvalidRequest, then exits with 0', async () => {
        const server = new StdioServer();
        servers.push(server);
        await server.initialize();
        await server.open(URI, PLAN);
        await server.diagnostics(URI, 1);
        expect(await server.conn.sendRequest(ShutdownRequest.type)).toBeNull();
        const late = await refusal(
            server.conn.sendRequest(HoverRequest.type, {
                textDocument: { uri: URI },
                position: { line: 1, character: 11 }
            })
        );
        expect(late).toEqual({
            code: -32600,
            message: 'the server is shut down: textDocument/hover was sent after shutdown'
        });
        await server.conn.sendNotification(ExitNotification.type);
        await server.until('the exit', () => (server.exitCode === undefined ? undefined : true));
        expect(server.exitCode).toBe(0);
    }, 60_000);
});

describe('standard requests with params that are not their object', () => {
    it('are answered InvalidParams saying what is wrong, not -32603 with a TypeError', async () => {
        const server = new StdioServer();
        servers.push(server);
        await server.initialize();
        await server.open(URI, PLAN);
        await server.diagnostics(URI, 1);
        // `"params": null` written as a client would (the JSON-RPC library sends [null] for it)
        let out = '';
        server.proc.stdout!.on('data', d => {
            out += String(d);
        });
        const raw = JSON.stringify({
            jsonrpc: '2.0',
            id: 'raw-null',
            method: 'textDocument/hover',
            params: null
        });
        server.proc.stdin!.write(`Content-Length: ${Buffer.byteLength(raw)}\r\n\r\n${raw}`);
        const answer = await server.until(
            'the raw answer',
            () => /\{[^{}]*"id":"raw-null"[^{}]*\{[^{}]*\}[^{}]*\}/.exec(out)?.[0]
        );
        expect(JSON.parse(answer)).toEqual({
            jsonrpc: '2.0',
            id: 'raw-null',
            error: {
                code: -32602,
                message: 'textDocument/hover takes an object as params (null given)'
            }
        });
        expect(await refusal(server.conn.sendRequest('textDocument/hover', null))).toEqual({
            code: -32602,
            message: 'textDocument/hover takes an object as params (an array given)'
        });
        expect(await refusal(server.conn.sendRequest('textDocument/completion', {}))).toEqual({
            code: -32602,
            message: 'textDocument/completion takes params.textDocument.uri, a string'
        });
        // the fields the handlers read without looking
        const doc = { textDocument: { uri: URI } };
        expect(await refusal(server.conn.sendRequest('textDocument/hover', doc))).toEqual({
            code: -32602,
            message:
                'textDocument/hover: position must have a line and a character, whole numbers from 0'
        });
        expect(
            await refusal(
                server.conn.sendRequest('textDocument/codeAction', {
                    ...doc,
                    range: null,
                    context: null
                })
            )
        ).toEqual({
            code: -32602,
            message:
                'textDocument/codeAction: range must have a start and an end, each a line and a character (whole numbers from 0)'
        });
        expect(await refusal(server.conn.sendRequest('workspace/symbol', { query: null }))).toEqual(
            { code: -32602, message: 'workspace/symbol: query must be a string' }
        );
        // the server still serves
        const hover = await server.conn.sendRequest(HoverRequest.type, {
            textDocument: { uri: URI },
            position: { line: 1, character: 11 }
        });
        expect(JSON.stringify(hover)).toContain('px');
    }, 60_000);
});
