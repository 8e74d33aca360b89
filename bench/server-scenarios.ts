/**
 * Language-server scenarios of `npm run bench` that need a workspace on disk: a large workspace
 * (2,000 files of about 50 elements), an edit burst with a hover in it, and a long import chain
 * (in the server and in the CLI's `checkFiles`), and a hard plan whose exact fallback runs while
 * another document is served. The server scenarios start the bundled server
 * (dist/language-server.cjs) over stdio, with bench/server-probe.cjs preloaded (memory after a
 * full collection). Also runs alone: `node --import tsx bench/server-scenarios.ts
 * large|burst|chain|chain-cli|fan-cli|hard [n]` prints the figures as JSON (for measuring one thing).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import {
    createMessageConnection,
    StreamMessageReader,
    StreamMessageWriter,
    type MessageConnection
} from 'vscode-jsonrpc/node.js';
import { NodeFileSystem } from 'langium/node';
import { createDcplanServices } from '../language-server/dcplan-module.js';
import { checkFiles } from '../language-server/check.js';
import { adversarialText, fragmentingPlan } from './adversarial.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A started server: the connection, the process, published diagnostics by URI (in order). */
export interface ServerRun {
    readonly conn: MessageConnection;
    readonly proc: ChildProcess;
    readonly published: Map<string, { version?: number; count: number; at: number }[]>;
    /** Resolves when `check` holds (re-checked on every publish), rejects after `ms`. */
    until(check: () => boolean, ms?: number): Promise<void>;
    /** The server's resident set, MB (10^6 bytes). */
    rss(): number;
    /** The server's heap in use plus external memory after a full collection, MB (bench/server-probe.cjs). */
    retained(): Promise<number>;
    stop(): Promise<void>;
}

/** Starts the bundled server over stdio with `rootDir` as workspace folder (none when undefined). */
export async function startServer(rootDir: string | undefined): Promise<ServerRun> {
    const probe = path.join(os.tmpdir(), `dcplan-probe-${process.pid}-${Date.now()}.json`);
    const proc = spawn(
        process.execPath,
        [
            '--expose-gc',
            '--require',
            path.join(root, 'bench', 'server-probe.cjs'),
            path.join(root, 'dist', 'language-server.cjs'),
            '--stdio'
        ],
        { stdio: ['pipe', 'pipe', 'inherit'], env: { ...process.env, DCPLAN_BENCH_PROBE: probe } }
    );
    const conn = createMessageConnection(
        new StreamMessageReader(proc.stdout!),
        new StreamMessageWriter(proc.stdin!)
    );
    const published = new Map<string, { version?: number; count: number; at: number }[]>();
    const waiters = new Set<() => void>();
    conn.onNotification(
        'textDocument/publishDiagnostics',
        (p: { uri: string; version?: number; diagnostics: unknown[] }) => {
            let list = published.get(p.uri);
            if (!list) published.set(p.uri, (list = []));
            list.push({ version: p.version, count: p.diagnostics.length, at: performance.now() });
            for (const w of [...waiters]) w();
        }
    );
    conn.onRequest(() => null);
    conn.onNotification(() => undefined);
    conn.listen();
    const rootUri = rootDir ? pathToFileURL(rootDir).href : null;
    await conn.sendRequest('initialize', {
        processId: process.pid,
        rootUri,
        capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
        workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null
    });
    conn.sendNotification('initialized', {});
    return {
        conn,
        proc,
        published,
        until: (check, ms = 600_000) =>
            new Promise<void>((resolve, reject) => {
                if (check()) {
                    resolve();
                    return;
                }
                const timer = setTimeout(() => {
                    waiters.delete(w);
                    reject(new Error('timed out'));
                }, ms);
                const w = () => {
                    if (check()) {
                        clearTimeout(timer);
                        waiters.delete(w);
                        resolve();
                    }
                };
                waiters.add(w);
            }),
        retained: async () => {
            fs.rmSync(probe, { force: true });
            proc.kill('SIGUSR2');
            for (let waited = 0; !fs.existsSync(probe); waited += 20) {
                if (waited > 30_000)
                    throw new Error(
                        'the language server did not report its memory (bench/server-probe.cjs)'
                    );
                await new Promise(r => setTimeout(r, 20));
            }
            const m = JSON.parse(fs.readFileSync(probe, 'utf8')) as {
                heapUsed: number;
                external: number;
            };
            fs.rmSync(probe, { force: true });
            return (m.heapUsed + m.external) / 1e6;
        },
        rss: () =>
            (Number(
                /VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${proc.pid}/status`, 'utf8'))?.[1] ?? 0
            ) *
                1024) /
            1e6,
        stop: async () => {
            try {
                await Promise.race([
                    conn.sendRequest('shutdown'),
                    new Promise(r => setTimeout(r, 2000))
                ]);
                await conn.sendNotification('exit');
            } catch {
                /* gone */
            }
            // let it exit on its own (a CPU profile is written then), else end it
            if (proc.exitCode === null)
                await new Promise(r => {
                    const t = setTimeout(r, 2000);
                    proc.once('exit', () => {
                        clearTimeout(t);
                        r(undefined);
                    });
                });
            conn.dispose();
            proc.kill();
        }
    };
}

/** One workspace file of about 50 elements (10 shapes, 10 deployments, 1 model, 29 hosts), names unique by `k`. */
export function workspaceFile(k: number): string {
    const lines: string[] = [`plan p${k} { title = "file ${k}" }`];
    const roles = ['proxy', 'director', 'backend'];
    for (let s = 0; s < 10; s++)
        lines.push(
            `shape s${k}_${s} { role = ${roles[s % 3]} cores = ${1 + (s % 4)} memory = ${2 * (1 + (s % 4))} GiB }`
        );
    for (let s = 0; s < 9; s++) lines.push(`deploy 2 x s${k}_${s}`);
    lines.push(`model m${k} { cores = 32 memory = 256 GiB }`);
    for (let h = 0; h < 29; h++)
        lines.push(`host h${k}_${h} : m${k} { hypervisor_cores = 2 hypervisor_memory = 16 GiB }`);
    return lines.join('\n') + '\n';
}

/** Writes `n` workspace files into a new directory; returns it. */
export function largeWorkspace(n: number): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-ws-'));
    for (let k = 0; k < n; k++)
        fs.writeFileSync(path.join(dir, `f${String(k).padStart(5, '0')}.dcplan`), workspaceFile(k));
    return dir;
}

/**
 * A large workspace: the server opened on `n` files, one of them opened in the editor. Times in
 * ms from the server's start: the first diagnostics of the open file, the whole workspace
 * indexed (the first `workspace/symbol` answers then); the time of one `workspace/symbol "s"`
 * after that; the server's RSS in MB at the end.
 */
export async function largeWorkspaceRun(n = 2_000): Promise<{
    files: number;
    firstDiagnosticsMs: number;
    indexedMs: number;
    workspaceSymbolMs: number;
    symbols: number;
    rssMB: number;
    retainedMB: number;
}> {
    const dir = largeWorkspace(n);
    const t0 = performance.now();
    const s = await startServer(dir);
    try {
        const uri = pathToFileURL(path.join(dir, 'f00007.dcplan')).href;
        s.conn.sendNotification('textDocument/didOpen', {
            textDocument: { uri, languageId: 'dcplan', version: 1, text: workspaceFile(7) }
        });
        await s.until(() => (s.published.get(uri)?.length ?? 0) > 0);
        const firstDiagnosticsMs = performance.now() - t0;
        // the first answer waits until the whole workspace is indexed; then the time of one
        const all = (await s.conn.sendRequest('workspace/symbol', { query: 's' })) as unknown[];
        const indexedMs = performance.now() - t0;
        const t1 = performance.now();
        const symbols = (await s.conn.sendRequest('workspace/symbol', { query: 's' })) as unknown[];
        const workspaceSymbolMs = performance.now() - t1;
        if (symbols.length !== all.length)
            throw new Error(`workspace/symbol: ${symbols.length} then ${all.length} symbols`);
        const rssMB = s.rss();
        const retainedMB = await s.retained();
        return {
            files: n,
            firstDiagnosticsMs,
            indexedMs,
            workspaceSymbolMs,
            symbols: symbols.length,
            rssMB,
            retainedMB
        };
    } finally {
        await s.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * An edit burst on the reference plan: `edits` full-text changes written to the server without
 * waiting for anything (in writes of 50, a millisecond apart), a hover among them after the first
 * half. The hover's latency (ms from its write to its answer), the publishes for the document
 * during the burst, whether the last one is of the last version, and when it came (ms from the
 * first write).
 */
export async function editBurstRun(edits = 2_000): Promise<{
    edits: number;
    publishes: number;
    hoverMs: number;
    lastVersionPublished: boolean;
    settleMs: number;
}> {
    const s = await startServer(undefined);
    try {
        const text = fs.readFileSync(path.join(root, 'examples', 'seed-reference.dcplan'), 'utf8');
        const uri = 'untitled:burst';
        s.conn.sendNotification('textDocument/didOpen', {
            textDocument: { uri, languageId: 'dcplan', version: 1, text }
        });
        await s.until(() => (s.published.get(uri)?.length ?? 0) > 0);
        // what follows the first validation (the report, the exact fallback's solve) is done
        await new Promise(r => setTimeout(r, 1000));
        const before = s.published.get(uri)!.length;
        const hoverAt = text.indexOf('backend_8c');
        const line = text.slice(0, hoverAt).split('\n').length - 1;
        const frame = (msg: object) => {
            const body = Buffer.from(JSON.stringify({ jsonrpc: '2.0', ...msg }), 'utf8');
            return Buffer.concat([
                Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'),
                body
            ]);
        };
        const change = (k: number) =>
            frame({
                method: 'textDocument/didChange',
                params: {
                    textDocument: { uri, version: 2 + k },
                    contentChanges: [
                        {
                            text: text.replace(
                                'Dovecot reference sizing',
                                `Dovecot reference sizing ${k}`
                            )
                        }
                    ]
                }
            });
        // the edits in writes of 50, a millisecond apart (50,000 edits a second, no waiting for
        // answers); the hover written after the first half
        const groups: Buffer[] = [];
        for (let k = 0; k < edits; k += 50)
            groups.push(
                Buffer.concat(
                    Array.from({ length: Math.min(50, edits - k) }, (_, j) => change(k + j))
                )
            );
        const hover = frame({
            id: 'burst-hover',
            method: 'textDocument/hover',
            params: { textDocument: { uri }, position: { line, character: 8 } }
        });
        // the answer to the hover, seen on the server's output beside the connection's reader
        let hoverMs = -1,
            hoverSent = 0;
        const answered = new Promise<void>(resolve => {
            const tap = (chunk: Buffer) => {
                if (chunk.includes('"id":"burst-hover"')) {
                    hoverMs = performance.now() - hoverSent;
                    s.proc.stdout!.off('data', tap);
                    resolve();
                }
            };
            s.proc.stdout!.on('data', tap);
        });
        const t0 = performance.now();
        for (let g = 0; g < groups.length; g++) {
            s.proc.stdin!.write(groups[g]);
            if (g === Math.floor(groups.length / 2) - 1) {
                hoverSent = performance.now();
                s.proc.stdin!.write(hover);
            }
            await new Promise(r => setTimeout(r, 1));
        }
        const last = edits + 1;
        await s.until(() => s.published.get(uri)!.some(p => p.version === last));
        const settleMs = performance.now() - t0;
        await answered;
        // late publishes of older versions would follow within a moment
        await new Promise(r => setTimeout(r, 300));
        const list = s.published.get(uri)!;
        return {
            edits,
            publishes: list.length - before,
            hoverMs,
            lastVersionPublished: list[list.length - 1].version === last,
            settleMs
        };
    } finally {
        await s.stop();
    }
}

/** A chain of `n` files: f0 imports f1 imports … f(n−1); each has a shape, a deployment or a host. Returns the directory. */
export function importChain(n: number): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-chain-'));
    for (let k = 0; k < n; k++) {
        const imp = k + 1 < n ? `import "c${k + 1}.dcplan"\n` : '';
        const body =
            k === 0
                ? `shape p { role = proxy cores = 1 memory = 2 GiB }\ndeploy 2 x p\n`
                : `host h${k} { cores = 8 memory = 32 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }\n`;
        fs.writeFileSync(path.join(dir, `c${k}.dcplan`), imp + body);
    }
    return dir;
}

/** The import chain of `n` files checked by the server with its folder as workspace: ms from `initialized` to the first diagnostics of c0 opened. */
export async function importChainServerRun(
    n: number
): Promise<{ files: number; firstDiagnosticsMs: number; rssMB: number }> {
    const dir = importChain(n);
    const t0 = performance.now();
    const s = await startServer(dir);
    try {
        const uri = pathToFileURL(path.join(dir, 'c0.dcplan')).href;
        s.conn.sendNotification('textDocument/didOpen', {
            textDocument: {
                uri,
                languageId: 'dcplan',
                version: 1,
                text: fs.readFileSync(path.join(dir, 'c0.dcplan'), 'utf8')
            }
        });
        await s.until(() => (s.published.get(uri)?.length ?? 0) > 0);
        return { files: n, firstDiagnosticsMs: performance.now() - t0, rssMB: s.rss() };
    } finally {
        await s.stop();
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** The import chain of `n` files checked as `dcplan check c0.dcplan` does (`checkFiles`, fresh services): seconds. */
export async function importChainCliRun(
    n: number
): Promise<{ files: number; seconds: number; diagnostics: number }> {
    const dir = importChain(n);
    try {
        const services = createDcplanServices({ ...NodeFileSystem });
        const t = performance.now();
        const [c] = await checkFiles([path.join(dir, 'c0.dcplan')], services);
        return {
            files: n,
            seconds: (performance.now() - t) / 1000,
            diagnostics: c.report.diagnostics.length
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** One file importing `n` files of one host each, checked as `dcplan check main.dcplan` does (fresh services): seconds. */
export async function importFanCliRun(
    n: number
): Promise<{ files: number; seconds: number; diagnostics: number }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-fan-'));
    try {
        const imports: string[] = [];
        for (let k = 0; k < n; k++) {
            fs.writeFileSync(
                path.join(dir, `h${k}.dcplan`),
                `host h${k} { cores = 8 memory = 32 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }\n`
            );
            imports.push(`import "h${k}.dcplan"`);
        }
        fs.writeFileSync(
            path.join(dir, 'main.dcplan'),
            imports.join('\n') +
                '\nshape p { role = proxy cores = 1 memory = 2 GiB }\ndeploy 2 x p\n'
        );
        const services = createDcplanServices({ ...NodeFileSystem });
        const t = performance.now();
        const [c] = await checkFiles([path.join(dir, 'main.dcplan')], services);
        return {
            files: n,
            seconds: (performance.now() - t) / 1000,
            diagnostics: c.report.diagnostics.length
        };
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/**
 * A hard plan in the server (issue 15): `fragmentingPlan(seed, 84)` of bench/adversarial.ts,
 * whose exact fallback runs in the solver's worker (language-server/exact-fallback.ts). When
 * its first diagnostics came (ms from the open), the latency of a hover on another document
 * opened while the solve runs (ms from its write to its answer; the solve's start and end are
 * read from the server's log), whether the solve was still running when the hover was
 * answered, and when the final diagnostics came (ms from the open).
 */
export async function hardPlanRun(seed = 2): Promise<{
    plan: string;
    firstDiagnosticsMs: number;
    hoverMs: number;
    hoverDuringSolve: boolean;
    finalDiagnosticsMs: number;
}> {
    const s = await startServer(undefined);
    try {
        const g = fragmentingPlan(seed, 84);
        const log: string[] = [];
        s.conn.onNotification('window/logMessage', (p: { message: string }) => {
            log.push(p.message);
        });
        const uri = 'untitled:hard';
        const t0 = performance.now();
        s.conn.sendNotification('textDocument/didOpen', {
            textDocument: { uri, languageId: 'dcplan', version: 1, text: adversarialText(g) }
        });
        await s.until(() => (s.published.get(uri)?.length ?? 0) > 0);
        const firstDiagnosticsMs = performance.now() - t0;
        const said = (what: string) =>
            log.some(l => l.startsWith(`dcplan: exact fallback of ${uri} ${what}`));
        for (let waited = 0; !said('started') && !said('done'); waited += 10) {
            if (waited > 30_000) throw new Error(`the exact fallback of ${g.name} never started`);
            await new Promise(r => setTimeout(r, 10));
        }
        const easy = 'untitled:easy';
        s.conn.sendNotification('textDocument/didOpen', {
            textDocument: {
                uri: easy,
                languageId: 'dcplan',
                version: 1,
                text: 'shape s { role = proxy cores = 1 memory = 2 GiB }\ndeploy 2 x s\n'
            }
        });
        const h0 = performance.now();
        await s.conn.sendRequest('textDocument/hover', {
            textDocument: { uri: easy },
            position: { line: 0, character: 6 }
        });
        const hoverMs = performance.now() - h0;
        const hoverDuringSolve = !said('done');
        await s.until(() => (s.published.get(uri)?.length ?? 0) > 1 && said('done'));
        return {
            plan: g.name,
            firstDiagnosticsMs,
            hoverMs,
            hoverDuringSolve,
            finalDiagnosticsMs: s.published.get(uri)!.at(-1)!.at - t0
        };
    } finally {
        await s.stop();
    }
}

// run alone (not when bundled into the bench, whose entry is another file)
if (
    process.argv[1] &&
    path.basename(process.argv[1]).startsWith('server-scenarios.') &&
    fileURLToPath(import.meta.url) === path.resolve(process.argv[1])
) {
    const [what, arg] = process.argv.slice(2);
    const n = arg ? Number(arg) : undefined;
    const run =
        what === 'large'
            ? largeWorkspaceRun(n)
            : what === 'burst'
              ? editBurstRun(n)
              : what === 'chain'
                ? importChainServerRun(n ?? 10_000)
                : what === 'chain-cli'
                  ? importChainCliRun(n ?? 10_000)
                  : what === 'fan-cli'
                    ? importFanCliRun(n ?? 4_000)
                    : what === 'hard'
                      ? hardPlanRun(n)
                      : Promise.reject(new Error('large|burst|chain|chain-cli|fan-cli|hard [n]'));
    run.then(
        r => {
            console.log(JSON.stringify(r));
            process.exit(0);
        },
        e => {
            console.error(e);
            process.exit(1);
        }
    );
}
