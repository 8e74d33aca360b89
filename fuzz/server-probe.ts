/**
 * The fuzzer's slice through the real server: dist/language-server.cjs over stdio, as an editor
 * starts it. Each text is opened as a new document; the server must publish its diagnostics and
 * answer hover, completion, code actions, document symbols, formatting and `dcplan/report`
 * within the cap, with ranges inside the document and no `undefined` said, and stay alive
 * (a server that exits counts a crash and is started again for the next text).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
    createProtocolConnection,
    StreamMessageReader,
    StreamMessageWriter,
    CodeActionRequest,
    CompletionRequest,
    DidCloseTextDocumentNotification,
    DidOpenTextDocumentNotification,
    DocumentFormattingRequest,
    DocumentSymbolRequest,
    ExitNotification,
    HoverRequest,
    InitializeRequest,
    InitializedNotification,
    PublishDiagnosticsNotification,
    ShutdownRequest,
    type Diagnostic,
    type ProtocolConnection
} from 'vscode-languageserver-protocol/node.js';
import { ReportRequest } from '../src/protocol.js';
import { lineLengths, rangeProblem, undefinedSaid, type Failure } from './oracle.js';

/** Time the server may take to publish or answer for one text (ms). */
export const SERVER_CAP_MS = 10_000;

/** One running server; `probe` texts one after another. */
export class ServerProbe {
    private proc?: ChildProcess;
    private conn?: ProtocolConnection;
    private readonly work = mkdtempSync(path.join(tmpdir(), 'dcplan-fuzz-server-'));
    private stderr = '';
    private n = 0;
    private readonly waiting = new Map<string, (ds: Diagnostic[]) => void>();

    constructor(private readonly serverPath: string) {}

    private async start(): Promise<ProtocolConnection> {
        this.stderr = '';
        const proc = spawn(process.execPath, [this.serverPath, '--stdio'], {
            cwd: this.work,
            stdio: ['pipe', 'pipe', 'pipe']
        });
        proc.stderr!.on('data', d => {
            this.stderr = (this.stderr + String(d)).slice(-4000);
        });
        proc.on('error', () => undefined);
        const conn = createProtocolConnection(
            new StreamMessageReader(proc.stdout!),
            new StreamMessageWriter(proc.stdin!)
        );
        conn.onNotification(PublishDiagnosticsNotification.type, p => {
            this.waiting.get(p.uri)?.(p.diagnostics);
        });
        conn.onError(() => undefined);
        conn.listen();
        await conn.sendRequest(InitializeRequest.type, {
            processId: process.pid,
            rootUri: pathToFileURL(this.work).toString(),
            workspaceFolders: null,
            capabilities: {}
        });
        await conn.sendNotification(InitializedNotification.type, {});
        this.proc = proc;
        this.conn = conn;
        return conn;
    }

    private alive(): boolean {
        return !!this.proc && this.proc.exitCode === null && this.proc.signalCode === null;
    }

    /** The failures of `text` in the server; empty when all holds. */
    async probe(text: string): Promise<Failure[]> {
        const conn = this.alive() && this.conn ? this.conn : await this.start();
        const uri = pathToFileURL(path.join(this.work, `case-${++this.n}.dcplan`)).toString();
        const out: Failure[] = [];
        const lines = lineLengths(text);
        const cap = <T>(what: string, p: Promise<T>): Promise<T> =>
            new Promise((resolve, reject) => {
                const t = setTimeout(
                    () => reject(new Error(`hang: no ${what} in ${SERVER_CAP_MS} ms`)),
                    SERVER_CAP_MS
                );
                const died = setInterval(() => {
                    if (!this.alive())
                        reject(
                            new Error(
                                `the server exited (${this.proc?.exitCode ?? this.proc?.signalCode}) during ${what}: ${this.stderr.split('\n').filter(l => /Error/.test(l))[0] ?? ''}`
                            )
                        );
                }, 50);
                p.then(resolve, reject).finally(() => {
                    clearTimeout(t);
                    clearInterval(died);
                });
            });
        try {
            const published = new Promise<Diagnostic[]>(resolve => this.waiting.set(uri, resolve));
            await conn.sendNotification(DidOpenTextDocumentNotification.type, {
                textDocument: { uri, languageId: 'dcplan', version: 1, text }
            });
            const ds = await cap('diagnostics', published);
            this.waiting.delete(uri);
            for (const d of ds) {
                const p = rangeProblem(d.range, lines);
                if (p) {
                    out.push({
                        kind: 'invalid-range',
                        stage: 'server',
                        detail: `${String(d.code)}: ${p}`
                    });
                    break;
                }
            }
            const middle = {
                line: Math.floor(lines.length / 2),
                character: Math.floor(lines[Math.floor(lines.length / 2)] / 2)
            };
            const end = { line: lines.length - 1, character: lines[lines.length - 1] };
            const textDocument = { uri };
            const answers = await cap(
                'answers',
                Promise.all([
                    conn.sendRequest(HoverRequest.type, { textDocument, position: middle }),
                    conn.sendRequest(CompletionRequest.type, { textDocument, position: middle }),
                    conn.sendRequest(CodeActionRequest.type, {
                        textDocument,
                        range: { start: { line: 0, character: 0 }, end },
                        context: { diagnostics: ds }
                    }),
                    conn.sendRequest(DocumentSymbolRequest.type, { textDocument }),
                    conn.sendRequest(DocumentFormattingRequest.type, {
                        textDocument,
                        options: { tabSize: 2, insertSpaces: true }
                    }),
                    conn.sendRequest(ReportRequest, { uri })
                ])
            );
            const u = undefinedSaid(JSON.stringify([ds.map(d => d.message), answers]), text);
            if (u) out.push({ kind: 'undefined', stage: 'server', detail: u });
            await conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument });
        } catch (e) {
            const message = e instanceof Error ? e.message : String(e);
            out.push({
                kind: message.startsWith('hang') ? 'hang' : 'crash',
                stage: 'server',
                detail: message
            });
            this.waiting.delete(uri);
            if (!message.startsWith('hang') || !this.alive()) this.stop();
        }
        if (!this.alive() && !out.some(f => f.kind === 'crash'))
            out.push({
                kind: 'crash',
                stage: 'server',
                detail: `the server exited: ${this.stderr.slice(-500)}`
            });
        return out;
    }

    private stop(): void {
        this.conn?.dispose();
        this.proc?.kill('SIGKILL');
        this.proc = undefined;
        this.conn = undefined;
    }

    /** Shuts the server down and removes its folder. */
    async close(): Promise<void> {
        if (this.alive() && this.conn) {
            try {
                await Promise.race([
                    this.conn.sendRequest(ShutdownRequest.type),
                    new Promise(r => setTimeout(r, 2000))
                ]);
                await this.conn.sendNotification(ExitNotification.type);
            } catch {
                /* gone */
            }
        }
        this.stop();
        rmSync(this.work, { recursive: true, force: true });
    }
}
