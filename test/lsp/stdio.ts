/**
 * The real bundled language server (dist/language-server.cjs) over stdio, for tests of the
 * language features as any editor sees them: start, open documents, wait for the published
 * diagnostics, send requests, stop. Server-to-client requests (`window/showDocument`,
 * `workspace/configuration`) are answered and recorded.
 */
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
    createProtocolConnection, StreamMessageReader, StreamMessageWriter, DidOpenTextDocumentNotification, InitializeRequest,
    InitializedNotification, PublishDiagnosticsNotification, ShutdownRequest, ExitNotification, ShowDocumentRequest,
    type ClientCapabilities, type InitializeResult, type ProtocolConnection, type PublishDiagnosticsParams, type ShowDocumentParams
} from 'vscode-languageserver-protocol/node.js';

const ROOT = path.resolve(__dirname, '../..');
const SERVER = path.join(ROOT, 'dist/language-server.cjs');

/** A running server and what it sent. */
export interface StdioServer {
    readonly conn: ProtocolConnection;
    readonly init: InitializeResult;
    /** Every publishDiagnostics, by the URI string the server sent. */
    readonly published: Map<string, PublishDiagnosticsParams[]>;
    /** Every `window/showDocument` the server asked for. */
    readonly shown: ShowDocumentParams[];
    /** Waits until `check` gives a value (re-checked on each message), or throws after `ms`. */
    until<T>(what: string, check: () => T | undefined, ms?: number): Promise<T>;
    /** Opens a document and waits for its diagnostics (published under exactly `uri`). */
    open(uri: string, text: string, version?: number): Promise<PublishDiagnosticsParams>;
    stop(): Promise<void>;
}

/** Starts the server with `capabilities` (and the repository as the root), initialized. */
export async function startStdioServer(capabilities: ClientCapabilities = {}, rootUri = pathToFileURL(ROOT).toString()): Promise<StdioServer> {
    if (!existsSync(SERVER)) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
    const proc: ChildProcess = spawn(process.execPath, [SERVER, '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    proc.stderr!.on('data', d => { stderr += String(d); });
    const conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    const published = new Map<string, PublishDiagnosticsParams[]>();
    const shown: ShowDocumentParams[] = [];
    const waiters: (() => void)[] = [];
    const poke = () => { for (const w of waiters.splice(0)) w(); };
    conn.onNotification(PublishDiagnosticsNotification.type, p => {
        published.set(p.uri, [...published.get(p.uri) ?? [], p]);
        poke();
    });
    conn.onRequest(ShowDocumentRequest.type, p => { shown.push(p); poke(); return { success: true }; });
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => null));
    conn.onRequest('client/registerCapability', () => null);
    conn.onRequest('window/workDoneProgress/create', () => null);
    conn.listen();
    const until = async <T>(what: string, check: () => T | undefined, ms = 20_000): Promise<T> => {
        const end = Date.now() + ms;
        for (;;) {
            const value = check();
            if (value !== undefined) return value;
            const left = end - Date.now();
            if (left <= 0) throw new Error(`timed out waiting for ${what}; server stderr:\n${stderr.slice(-2000)}`);
            await new Promise<void>(resolve => { const t = setTimeout(resolve, Math.min(left, 200)); waiters.push(() => { clearTimeout(t); resolve(); }); });
        }
    };
    const init = await conn.sendRequest(InitializeRequest.type, { processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: path.basename(rootUri) }], capabilities });
    await conn.sendNotification(InitializedNotification.type, {});
    return {
        conn, init, published, shown, until,
        async open(uri, text, version = 1) {
            published.delete(uri);
            await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'dcplan', version, text } });
            return until(`diagnostics of ${uri}`, () => published.get(uri)?.find(p => p.version === undefined || p.version >= version));
        },
        async stop() {
            try {
                await Promise.race([conn.sendRequest(ShutdownRequest.type), new Promise(r => setTimeout(r, 3000))]);
                await conn.sendNotification(ExitNotification.type);
            } catch { /* already gone */ }
            conn.dispose();
            await new Promise(r => setTimeout(r, 200));
            proc.kill('SIGKILL');
        }
    };
}
