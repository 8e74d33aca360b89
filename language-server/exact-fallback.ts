/**
 * The exact fallback of `place` off the language server's request path (issue 15). On a hard
 * plan (up to 1,000 instances that the heuristic cannot place entirely) the fallback's MILP takes
 * seconds of CPU; run inside validation it held up every other request of the server (hover,
 * completion, semantic tokens, other documents) until it was done. In the server:
 *
 * 1. `place` runs with the deferred fallback (`enableDeferredExactFallback`): the heuristic's
 *    placement, with the fallback's cheap proof where that holds, at once. The analysis of such a
 *    plan is `checking` (analysis.ts): its `unplaceable` diagnostics end with `CHECKING`, and the
 *    report says so (`ReportResult.checking`); the diagnostics are published as usual.
 * 2. `FallbackRuns` (the analyzer's `DeferredFallback`) computes the plan with the fallback in
 *    the exact solver's worker (`planWithExactFallback`), once per placement inputs (the
 *    analyzer's key: the model and the lock), for the open documents that wait for it. A
 *    document that is not open keeps the heuristic's plan: only what the user looks at is
 *    solved.
 * 3. When the plan is done, each document still waiting for it is validated again (as a lock
 *    change does): the analysis takes the worker's plan, the diagnostics are published again
 *    (the same version) and `dcplan/reportChanged` goes out (notify-then-pull).
 *
 * The plan is the CLI's (the same `planDay2` with the same fallback), so the final diagnostics
 * are the CLI's. An edit that changes the placement inputs (a count, a size, a host) moves the
 * document to the new inputs' plan; a solve no open document waits for any more is stopped (the
 * worker is replaced) and its result never used. An edit that leaves them as they were (a
 * comment, a demand) keeps waiting for the same solve, whose plan is the new text's too. A solve
 * starts `START_DELAY_MS` after it is asked for, so that typing (each pause a validation) does
 * not start and stop the worker at every key.
 */
import { URI } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import type { Day2Plan } from '../src/planner/day2.js';
import { ExactSolveAborted, planWithExactFallback } from '../src/planner/exact-runtime.js';
import type { Lock } from '../src/planner/lock.js';
import type { PlanModel } from '../src/planner/model.js';
import type { DeferredFallback } from './analysis.js';
import { describeError } from './overrides/containment.js';

/** Wait after a solve is asked for before it starts, ms (see the module comment). */
export const START_DELAY_MS = 200;

/** Plans kept once done (most recent first out last), by placement inputs. */
const KEPT = 32;

/** One solve: who waits for it, and how to stop it. */
interface Run {
    readonly uris: Set<string>;
    readonly abort: AbortController;
    timer: NodeJS.Timeout | undefined;
}

/** What `FallbackRuns` needs of the server. */
export interface FallbackHost {
    /** Whether the client has `uri` open. */
    isOpen(uri: string): boolean;
    /** Validates the documents again (their text as it is). */
    revalidate(uris: readonly string[]): void;
    /** A line for the server's log (the client's output channel). */
    log(message: string): void;
}

/** The exact fallback of the open documents, in the solver's worker (see the module comment). */
export class FallbackRuns implements DeferredFallback {
    private readonly finished = new Map<string, Day2Plan | null>();
    private readonly running = new Map<string, Run>();
    /** The placement inputs each waiting document's latest analysis has. */
    private readonly waiting = new Map<string, string>();

    /**
     * `startDelayMs`: see `START_DELAY_MS`; `solve`: how a plan is computed (the worker's
     * `planWithExactFallback`; the tests give their own).
     */
    constructor(
        private readonly host: FallbackHost,
        private readonly startDelayMs = START_DELAY_MS,
        private readonly solve: typeof planWithExactFallback = planWithExactFallback
    ) {}

    done(key: string): Day2Plan | null | undefined {
        return this.finished.get(key);
    }

    wait(
        uri: string,
        key: string,
        model: PlanModel,
        lock: Lock | undefined,
        lockFile?: string
    ): boolean {
        if (!this.host.isOpen(uri)) return false;
        const before = this.waiting.get(uri);
        if (before !== key) {
            this.waiting.set(uri, key);
            if (before !== undefined) this.leave(before, uri, 'its plan changed');
        }
        const run = this.running.get(key) ?? this.start(key, uri, model, lock, lockFile);
        run.uris.add(uri);
        return true;
    }

    /**
     * `uri` waits for no plan: its text needs none now, or it was closed; a solve nobody else
     * waits for is stopped.
     */
    forget(uri: string): void {
        const key = this.waiting.get(uri);
        if (key === undefined) return;
        this.waiting.delete(uri);
        this.leave(key, uri, this.host.isOpen(uri) ? 'its plan changed' : 'it was closed');
    }

    private start(
        key: string,
        uri: string,
        model: PlanModel,
        lock: Lock | undefined,
        lockFile?: string
    ): Run {
        const run: Run = { uris: new Set(), abort: new AbortController(), timer: undefined };
        this.running.set(key, run);
        run.timer = setTimeout(() => {
            run.timer = undefined;
            const t0 = performance.now();
            this.host.log(
                `dcplan: exact fallback of ${uri} started: checking whether more of its ${model.instances.length} instances can be placed`
            );
            this.solve(model, lock, run.abort.signal, lockFile).then(
                plan => {
                    this.host.log(
                        `dcplan: exact fallback of ${uri} done in ${((performance.now() - t0) / 1000).toFixed(1)} s: ${plan.placement.unplaced.length} instances unplaced`
                    );
                    this.finish(key, run, plan);
                },
                (e: unknown) => {
                    if (e instanceof ExactSolveAborted) return;
                    this.host.log(
                        `dcplan: exact fallback of ${uri} failed, the heuristic's placement stands: ${describeError(e)}`
                    );
                    this.finish(key, run, null);
                }
            );
        }, this.startDelayMs);
        return run;
    }

    private finish(key: string, run: Run, plan: Day2Plan | null): void {
        if (this.running.get(key) !== run) return;
        this.running.delete(key);
        this.finished.delete(key);
        this.finished.set(key, plan);
        while (this.finished.size > KEPT) this.finished.delete(this.finished.keys().next().value!);
        const uris = [...run.uris].filter(u => this.waiting.get(u) === key);
        for (const u of uris) this.waiting.delete(u);
        const open = uris.filter(u => this.host.isOpen(u));
        if (open.length > 0) this.host.revalidate(open);
    }

    /** `uri` waits no more for the solve of `key`; stopped when nobody else does. */
    private leave(key: string, uri: string, why: string): void {
        const run = this.running.get(key);
        if (!run) return;
        run.uris.delete(uri);
        if (run.uris.size > 0) return;
        this.running.delete(key);
        if (run.timer) {
            clearTimeout(run.timer);
            return;
        }
        run.abort.abort();
        this.host.log(`dcplan: exact fallback of ${uri} stopped: ${why}`);
    }
}

/**
 * `planWithExactFallback`, made to last at least `ms` milliseconds when `ms` > 0 (the server's
 * `DCPLAN_TEST_SOLVE_MS`, for the tests of an edit stopping a solve: on an idle machine the solve
 * of their plan ended before the edit came); an abort during the wait rejects with
 * `ExactSolveAborted`, as the worker's solve does.
 */
function solveLasting(ms: number): typeof planWithExactFallback {
    if (!(ms > 0)) return planWithExactFallback;
    return (model, lock, signal, lockFile) =>
        new Promise<void>((resolve, reject) => {
            const timer = setTimeout(resolve, ms);
            signal?.addEventListener('abort', () => {
                clearTimeout(timer);
                reject(new ExactSolveAborted());
            });
        }).then(() => planWithExactFallback(model, lock, signal, lockFile));
}

/**
 * Sets up the exact fallback of the open documents on a server's services (see the module
 * comment): `analyzer` takes it as its `deferred`; the documents are validated again through
 * `revalidate` (the update handler's, under the workspace lock). Returns the runs.
 */
export function registerExactFallback(
    shared: LangiumSharedServices,
    analyzer: { deferred: DeferredFallback | undefined },
    revalidate: (uris: URI[]) => void,
    log: (message: string) => void
): FallbackRuns {
    const textDocuments = shared.workspace.TextDocuments;
    const runs = new FallbackRuns(
        {
            isOpen: uri => textDocuments?.get(uri) !== undefined,
            revalidate: uris => revalidate(uris.map(u => URI.parse(u))),
            log
        },
        START_DELAY_MS,
        solveLasting(Number(process.env.DCPLAN_TEST_SOLVE_MS ?? 0))
    );
    analyzer.deferred = runs;
    textDocuments?.onDidClose(e => runs.forget(URI.parse(e.document.uri).toString()));
    return runs;
}
