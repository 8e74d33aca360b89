/**
 * The exact solver's runtime: loading the HiGHS WebAssembly (`loadHighs`) and the worker thread
 * that runs `solveExactSync` (`solveExact`) and `place` with its exact fallback
 * (`planWithExactFallback`) off the caller's thread (`exact-worker.ts`). The only
 * planner module with Node I/O (node:fs, node:worker_threads) besides `exact.ts`'s cache key.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import type { Highs } from 'highs';
import type { PlanModel } from './model.js';
import { measure } from './objective.js';
import type { PlacementResult } from './placement-types.js';
import type { ExactOptions, ExactResult, LpBudget } from './exact-types.js';
import type { Day2Plan } from './day2.js';
import type { Lock } from './lock.js';

// ---------------------------------------------------------------------------------------------
// Loading the runtime

let loaded: Highs | undefined;
let loading: Promise<Highs> | undefined;

/**
 * Where `highs.wasm` is: beside the running bundle (esbuild copies it next to dist/*.cjs, and
 * the .vsix ships it), else in the `highs` package. Throws when neither exists.
 */
export function highsWasmPath(): string {
    const candidates: string[] = [];
    const here = moduleDir();
    if (here)
        candidates.push(path.join(here, 'highs.wasm'), path.join(here, '..', 'dist', 'highs.wasm'));
    try {
        const req = createRequire(
            here ? path.join(here, 'x.js') : path.join(process.cwd(), 'x.js')
        );
        candidates.push(req.resolve('highs/runtime'));
    } catch {
        /* not installed: only the bundled copy */
    }
    for (const c of candidates) if (fs.existsSync(c)) return c;
    throw new Error(`highs.wasm not found (looked in ${candidates.join(', ')})`);
}

function moduleDir(): string | undefined {
    // In the CJS bundles esbuild defines import.meta.url as the bundle's own file URL.
    try {
        const url = import.meta.url;
        if (url) return path.dirname(fileURLToPath(url));
    } catch {
        /* fall through */
    }
    return typeof __dirname === 'string' ? __dirname : undefined;
}

/**
 * Loads the HiGHS WebAssembly runtime once per thread (about 0.3 s: compiling 3.5 MB) and
 * returns it; later calls return the same runtime. Rejects when `highs.wasm` cannot be found
 * or compiled.
 */
export function loadHighs(): Promise<Highs> {
    if (loaded) return Promise.resolve(loaded);
    loading ??= (async () => {
        const mod = await import('highs');
        const factory = ((mod as unknown as { default?: unknown }).default ?? mod) as (
            o: object
        ) => Promise<Highs>;
        const wasm = highsWasmPath();
        const h = await factory({ locateFile: (f: string) => (f.endsWith('.wasm') ? wasm : f) });
        loaded = h;
        return h;
    })();
    loading.catch(() => {
        loading = undefined;
    });
    return loading;
}

// ---------------------------------------------------------------------------------------------
// The async API: a worker thread

/**
 * Message to the worker: an exact solve (`solveExact`), or a plan placed with the exact fallback
 * (`planWithExactFallback`).
 */
export type ExactRequest =
    | {
          readonly id: number;
          readonly kind: 'solve';
          readonly model: PlanModel;
          readonly options: Omit<ExactOptions, 'start'> & { start?: PlacementResult };
      }
    | {
          readonly id: number;
          readonly kind: 'plan';
          readonly model: PlanModel;
          readonly lock?: Lock;
          /** The lock's path, for the file:line of its findings (`planDay2`'s `lockFile`). */
          readonly lockFile?: string;
      };
/** Message from the worker: a solve's result, a plan, or why the request failed. */
export type ExactResponse =
    | { readonly id: number; readonly result: ExactResult }
    | { readonly id: number; readonly plan: Day2Plan }
    | { readonly id: number; readonly error: string };

/** An `ExactRequest` before it is given its id. */
type Unnumbered<R> = R extends { id: number } ? Omit<R, 'id'> : never;

interface Pending {
    resolve(r: ExactResponse): void;
    reject(e: Error): void;
    timer: NodeJS.Timeout;
    request: ExactRequest;
}

let worker: import('node:worker_threads').Worker | undefined;
let nextId = 1;
const pending = new Map<number, Pending>();
let idleTimer: NodeJS.Timeout | undefined;

/** The worker to start: the bundled .cjs beside this bundle, else the .ts source through tsx (tests, bench). */
function workerEntry(): { file: string; eval?: boolean } {
    const here = moduleDir() ?? process.cwd();
    for (const bundled of [
        path.join(here, 'exact-worker.cjs'),
        path.join(here, '..', '..', 'dist', 'exact-worker.cjs')
    ]) {
        if (fs.existsSync(bundled) && !fs.existsSync(path.join(here, 'exact-worker.ts')))
            return { file: bundled };
    }
    const source = path.join(here, 'exact-worker.ts');
    if (!fs.existsSync(source)) throw new Error(`exact-worker not found beside ${here}`);
    // a .ts entry: register tsx's ESM loader in the worker, then import the source
    const tsxApi = path.join(
        path.dirname(createRequire(source).resolve('tsx/package.json')),
        'dist',
        'esm',
        'api',
        'index.mjs'
    );
    const code = `import(${JSON.stringify(pathToFileURL(tsxApi).href)}).then(t => { t.register(); return import(${JSON.stringify(pathToFileURL(source).href)}); })`;
    return { file: code, eval: true };
}

async function getWorker(): Promise<import('node:worker_threads').Worker> {
    if (worker) return worker;
    const { Worker } = await import('node:worker_threads');
    if (worker) return worker;
    const entry = workerEntry();
    const w = new Worker(entry.file, { eval: entry.eval });
    w.unref();
    w.on('message', (msg: ExactResponse) => {
        const p = pending.get(msg.id);
        if (!p) return;
        pending.delete(msg.id);
        clearTimeout(p.timer);
        if ('error' in msg) p.reject(new Error(msg.error));
        else p.resolve(msg);
        scheduleIdle();
    });
    const fail = (e: Error) => {
        if (worker !== w) return; // replaced (a cancelled solve): its solves went to the new worker
        worker = undefined;
        for (const [id, p] of pending) {
            clearTimeout(p.timer);
            p.reject(e);
            pending.delete(id);
        }
    };
    w.on('error', fail);
    w.on('exit', code => fail(new Error(`exact solver worker exited (${code})`)));
    worker = w;
    return w;
}

function scheduleIdle(): void {
    if (idleTimer) clearTimeout(idleTimer);
    if (pending.size > 0) return;
    idleTimer = setTimeout(() => {
        if (pending.size === 0) void stopExactWorker();
    }, 60_000);
    idleTimer.unref();
}

/** Terminates the solver worker (it is started again on demand). Pending solves reject. */
export async function stopExactWorker(): Promise<void> {
    const w = worker;
    worker = undefined;
    if (w) await w.terminate();
}

/** The rejection of a solve whose `signal` was aborted (`name` is `AbortError`, as `fetch` and Node's APIs use). */
export class ExactSolveAborted extends Error {
    override readonly name = 'AbortError';
    constructor() {
        super('exact solve cancelled');
    }
}

/** The rejection of a request the worker did not answer within its time (it is then terminated). */
export class ExactWorkerTimeout extends Error {
    constructor(seconds: number) {
        super(`exact solver did not answer within ${seconds} s`);
    }
}

/**
 * Ends the solve `id` at once, rejecting it with `why` (default `ExactSolveAborted`): the worker
 * runs one solve at a time and HiGHS cannot be stopped from outside, so the worker is terminated
 * and the solves still waiting go to a new one.
 */
async function cancelSolve(id: number, why: Error = new ExactSolveAborted()): Promise<void> {
    const p = pending.get(id);
    if (!p) return;
    pending.delete(id);
    clearTimeout(p.timer);
    p.reject(why);
    const old = worker;
    worker = undefined;
    if (old) void old.terminate();
    if (pending.size === 0) return;
    try {
        const w = await getWorker();
        w.ref();
        for (const q of pending.values()) w.postMessage(q.request);
    } catch (e) {
        for (const [k, q] of pending) {
            clearTimeout(q.timer);
            q.reject(e instanceof Error ? e : new Error(String(e)));
            pending.delete(k);
        }
    }
}

/**
 * Sends `request` to the worker (started on demand) and resolves with its answer. Rejects when
 * the worker cannot start, when it does not answer within `timeoutSeconds` (it is then
 * terminated), and with `ExactSolveAborted` as soon as `signal` aborts (see `cancelSolve`).
 */
async function ask(
    request: Unnumbered<ExactRequest>,
    timeoutSeconds: number,
    signal?: AbortSignal
): Promise<ExactResponse> {
    const w = await getWorker();
    if (signal?.aborted) throw new ExactSolveAborted();
    const id = nextId++;
    const numbered = { ...request, id } as ExactRequest;
    return new Promise<ExactResponse>((resolve, reject) => {
        // past the time: this request fails, the ones waiting behind it go to a new worker
        const timer = setTimeout(
            () => void cancelSolve(id, new ExactWorkerTimeout(timeoutSeconds)),
            timeoutSeconds * 1000
        );
        timer.unref();
        const onAbort = () => void cancelSolve(id);
        const done = () => {
            signal?.removeEventListener('abort', onAbort);
            if (pending.size === 0) worker?.unref();
        };
        pending.set(id, {
            resolve: r => {
                resolve(r);
                done();
            },
            reject: e => {
                reject(e);
                done();
            },
            timer,
            request: numbered
        });
        signal?.addEventListener('abort', onAbort, { once: true });
        w.ref();
        w.postMessage(numbered);
    });
}

/**
 * `solveExactSync` of `model` in the worker thread, so the caller never blocks (exact.ts's
 * `solveExact` is the API). Rejects with `ExactWorkerTimeout` past `timeoutSeconds` of wall
 * clock (the worker is then terminated), when the worker cannot start (e.g. `highs.wasm`
 * missing), and with `ExactSolveAborted` as soon as `signal` aborts (the worker is replaced;
 * other solves go on).
 */
export async function solveInWorker(
    model: PlanModel,
    options: ExactOptions,
    timeoutSeconds: number,
    signal?: AbortSignal
): Promise<ExactResult> {
    if (signal?.aborted) throw new ExactSolveAborted();
    const answer = await ask({ kind: 'solve', model, options }, timeoutSeconds, signal);
    if (!('result' in answer)) throw new Error('exact solver worker: no result in its answer');
    return answer.result;
}

/**
 * How long the worker may take for `planWithExactFallback`, seconds of wall clock: the
 * fallback's own safety limit is 10 s of CPU per call of `place` (exact-fallback.ts,
 * `FALLBACK_SAFETY_SECONDS`), and a plan with a lock may call `place` a few times, on a machine
 * that may be loaded; past this the worker is terminated and the promise rejects.
 */
export const PLAN_TIMEOUT_SECONDS = 120;

/**
 * `planDay2(model, lock)` (day2.ts) as the CLI computes it, with the exact fallback of `place`
 * (`enableExactFallback` of exact-fallback.ts: the same node budget and CPU safety limit), in the
 * solver's worker thread, so that the caller (the language server) never blocks on the MILP of
 * a hard plan. The same model and lock give the same plan as in the CLI. Rejects when the worker
 * cannot start or takes longer than `PLAN_TIMEOUT_SECONDS`, and with `ExactSolveAborted` as
 * soon as `signal` aborts (the worker is then replaced, as for `solveExact`).
 */
export async function planWithExactFallback(
    model: PlanModel,
    lock?: Lock,
    signal?: AbortSignal,
    lockFile?: string
): Promise<Day2Plan> {
    if (signal?.aborted) throw new ExactSolveAborted();
    const answer = await ask(
        { kind: 'plan', model, ...(lock ? { lock } : {}), ...(lockFile ? { lockFile } : {}) },
        PLAN_TIMEOUT_SECONDS,
        signal
    );
    if (!('plan' in answer)) throw new Error('exact solver worker: no plan in its answer');
    return answer.plan;
}

/** The result of a plan with nothing to solve (physical, or no hosts): `placement` as it is, proved. */
export function trivialResult(model: PlanModel, placement: PlacementResult): ExactResult {
    const f = measure(model, placement);
    return {
        placement,
        status: 'optimal',
        gap: 0,
        gapLevel: null,
        levels: [],
        placedCores: f.placedCores,
        placedCoresBound: f.placedCores,
        deployedCores: f.deployedCores,
        maxUtilisation: busiestHost(model, placement),
        seconds: 0,
        ...(model.settings.platform === 'physical' ? { nothingToPlace: true } : {})
    };
}

/**
 * The busiest host's core utilisation (0–1, above 1 when pins overcommit it) of a placement:
 * the figure shown, so hosts overcommitted by their pins count too (the objective's `maxUtil`
 * leaves them out, as nothing can change them). 0 without hosts.
 */
export function busiestHost(model: PlanModel, placement: PlacementResult): number {
    let most = 0;
    placement.byHost.forEach((list, h) => {
        const cap = model.hosts[h]?.usableCores ?? 0;
        if (cap <= 0 || list.length === 0) return;
        let used = 0;
        for (const i of list) used += model.instances[i].cores;
        most = Math.max(most, used / cap);
    });
    return most;
}

/** What `runMip` gives: HiGHS's model status, whether `stopWhen` interrupted it, the solution. */
export interface MipRun {
    readonly modelStatus: number;
    readonly stopped: boolean;
    /** The column values when HiGHS has a feasible solution (primal status 2). */
    readonly x?: number[];
}

/**
 * Runs a HiGHS model with its options as set; with `stopWhen`, polled at HiGHS's interrupt
 * checkpoints, the solve stops once it says true (the incumbent, if any, is still given, and
 * `stopped` is set). With `lp`, the solve is also interrupted at the first checkpoint past the
 * budget's LP iterations — work, not time, so the same on any machine: that cut is a limit like
 * `mip_max_nodes` (not `stopped`; the status is HiGHS's `interrupted`, the incumbent given).
 */
export function runMip(
    highs: Highs,
    m: ReturnType<Highs['createModel']>,
    stopWhen?: () => boolean,
    lp?: LpBudget
): MipRun {
    let stopped = false;
    const r =
        stopWhen || lp
            ? m.run({
                  [highs.constants.callbackType.mipInterrupt]: ev => {
                      if (stopWhen?.()) {
                          stopped = true;
                          ev.interrupt();
                      } else if (lp && Number(ev.data.mip_total_lp_iterations ?? 0) >= lp.left)
                          ev.interrupt();
                      return undefined;
                  }
              })
            : m.run();
    if (lp) lp.left -= Number(m.info.get('simplex_iteration_count')) || 0;
    const primal = Number(m.info.get('primal_solution_status'));
    return {
        modelStatus: r.modelStatus,
        stopped,
        x: primal === 2 ? Array.from(m.getSolution().colValue) : undefined
    };
}
