/**
 * The real bundled language server (dist/language-server.cjs) started over stdio as another
 * editor would, for the tests that speak LSP to it (test/lsp/*.test.ts, test/replay). One place
 * for the spawn, the connection, the published diagnostics, waiting on them and the shutdown.
 */
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import {
    createProtocolConnection,
    StreamMessageReader,
    StreamMessageWriter,
    DidOpenTextDocumentNotification,
    ExitNotification,
    InitializedNotification,
    InitializeRequest,
    PublishDiagnosticsNotification,
    ShutdownRequest,
    type Diagnostic,
    type InitializeParams,
    type InitializeResult,
    type ProtocolConnection,
    type PublishDiagnosticsParams
} from 'vscode-languageserver-protocol/node.js';

/** The repository's root. */
export const ROOT = path.resolve(__dirname, '../..');
/** The bundled server the tests start (built by `esbuild.mjs` when missing). */
export const SERVER = path.join(ROOT, 'dist/language-server.cjs');

/** How to start the server process. */
export interface StdioServerOptions {
    /** Working directory of the process (default: the repository's root). */
    readonly cwd?: string;
    /** Arguments after `--stdio`. */
    readonly args?: readonly string[];
    /** Environment (default: this process's). */
    readonly env?: NodeJS.ProcessEnv;
    /** How long `until` waits by default, in ms (default 30 s). */
    readonly timeoutMs?: number;
}

/** One server process over stdio, and what it published. */
export class StdioServer {
    readonly proc: ChildProcess;
    readonly conn: ProtocolConnection;
    /** Every `publishDiagnostics` by document URI, in arrival order. */
    readonly published = new Map<string, PublishDiagnosticsParams[]>();
    /** Everything the server wrote on stderr (its log). */
    stderr = '';
    /** The exit code once the process has exited (`null` when killed by a signal). */
    exitCode: number | null | undefined;
    private readonly waiters: (() => void)[] = [];
    private readonly timeoutMs: number;

    /**
     * Spawns the server and starts listening. Register further handlers on `conn` right after
     * (before any `await`): no message is read before then. Handlers that record something should
     * call `poke()` so that `until` re-checks at once.
     */
    constructor(options: StdioServerOptions = {}) {
        if (!existsSync(SERVER))
            execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
        this.timeoutMs = options.timeoutMs ?? 30_000;
        this.proc = spawn(process.execPath, [SERVER, '--stdio', ...(options.args ?? [])], {
            cwd: options.cwd ?? ROOT,
            env: options.env,
            stdio: ['pipe', 'pipe', 'pipe']
        });
        this.proc.stderr!.on('data', d => {
            this.stderr += String(d);
        });
        this.proc.on('exit', code => {
            this.exitCode = code;
            this.poke();
        });
        this.conn = createProtocolConnection(
            new StreamMessageReader(this.proc.stdout!),
            new StreamMessageWriter(this.proc.stdin!)
        );
        this.conn.onNotification(PublishDiagnosticsNotification.type, p => {
            const list = this.published.get(p.uri) ?? [];
            list.push(p);
            this.published.set(p.uri, list);
            this.poke();
        });
        this.conn.listen();
    }

    /** Sends `initialize` with `params` (process id filled in), then `initialized`. */
    async initialize(params: Partial<InitializeParams> = {}): Promise<InitializeResult> {
        const result = await this.conn.sendRequest(InitializeRequest.type, {
            processId: process.pid,
            rootUri: null,
            workspaceFolders: null,
            capabilities: {},
            ...params
        });
        await this.conn.sendNotification(InitializedNotification.type, {});
        return result;
    }

    /** Wakes every `until` to re-check now. */
    poke(): void {
        for (const w of this.waiters.splice(0)) w();
    }

    /**
     * Waits until `check` returns a value (re-checked on each message that pokes and every
     * `pollMs`), or throws after `ms` naming `what` and the end of the server's log.
     */
    async until<T>(
        what: string,
        check: () => T | undefined,
        ms = this.timeoutMs,
        pollMs = 200
    ): Promise<T> {
        const end = Date.now() + ms;
        for (;;) {
            const value = check();
            if (value !== undefined) return value;
            const left = end - Date.now();
            if (left <= 0)
                throw new Error(
                    `timed out waiting for ${what}; server stderr:\n${this.stderr.slice(-2000)}`
                );
            await new Promise<void>(resolve => {
                const t = setTimeout(resolve, Math.min(left, pollMs));
                this.waiters.push(() => {
                    clearTimeout(t);
                    resolve();
                });
            });
        }
    }

    /** Sends `didOpen` of a dcplan document. */
    open(uri: string, text: string, version = 1): Promise<void> {
        return this.conn.sendNotification(DidOpenTextDocumentNotification.type, {
            textDocument: { uri, languageId: 'dcplan', version, text }
        });
    }

    /** The diagnostics published for `uri` at exactly `version`. */
    diagnostics(uri: string, version: number): Promise<Diagnostic[]> {
        return this.until(
            `diagnostics of ${uri} v${version}`,
            () => this.published.get(uri)?.find(p => p.version === version)?.diagnostics
        );
    }

    /** `shutdown` (at most 3 s), `exit`, then the process is killed whatever it did. */
    async stop(): Promise<void> {
        try {
            await Promise.race([
                this.conn.sendRequest(ShutdownRequest.type),
                new Promise(r => setTimeout(r, 3000))
            ]);
            await this.conn.sendNotification(ExitNotification.type);
        } catch {
            /* already gone */
        }
        this.conn.dispose();
        await new Promise(r => setTimeout(r, 200));
        this.proc.kill('SIGKILL');
    }
}
