/**
 * `place`'s exact fallback (issue 15): a plan of at most `FALLBACK_MAX_INSTANCES` instances on
 * which the heuristic leaves instances unplaced is solved exactly on rule 2 — by packing patterns
 * (exact-patterns.ts, its short answers repaired by re-packing neighbourhoods of hosts,
 * exact-repair.ts), else with the aggregate model of `solveExactSync` (exact.ts) — inside
 * budgets that count work (branch-and-bound nodes, LP iterations), with a CPU-time safety stop
 * beside them. `enableExactFallback` loads HiGHS and installs it; `provedWithoutSolver` is the
 * first step without the solver (also the server's deferred fallback's).
 */
import type { Highs } from 'highs';
import type { PlanModel } from './model.js';
import { EPS, measure } from './objective.js';
import {
    placementFromCounts,
    resolvePins,
    setPlacementFallback,
    type PinnedPlan,
    type PlacementResult
} from './placement.js';
import type { LpBudget } from './exact-types.js';
import { loadHighs } from './exact-runtime.js';
import { solveByPatterns } from './exact-patterns.js';
import { placedCoresUpperBound } from './exact-bounds.js';
import { countsOf, placementKey, solveExactSync } from './exact.js';

/**
 * Most instances for which `place` falls back to the exact solver (rule 2 only). The pattern
 * model's size does not grow with the instances (host classes × packings, exact-patterns.ts), so
 * it runs up to here; the aggregate model, whose columns do, only up to
 * `AGGREGATE_FALLBACK_MAX_INSTANCES`.
 */
export const FALLBACK_MAX_INSTANCES = 1_000;

/** Most instances for which the fallback uses the aggregate model when patterns decline. */
export const AGGREGATE_FALLBACK_MAX_INSTANCES = 200;
/**
 * Work limit of the fallback: branch-and-bound nodes per level (HiGHS `mip_max_nodes`). It runs
 * synchronously inside `place`, and counts work, not time, so `place` gives the same answer
 * under any load (issue 15). The bench's near-full plans need up to about 500 nodes. Nodes do
 * not bound HiGHS's root node (presolve, cut rounds), and no HiGHS option does: on plans that
 * fragment memory (bench/adversarial.ts's `fragmentingPlan`) the aggregate model's root alone
 * took 0.2–3 s of CPU at 84–168 instances, which is why the fallback tries the pattern model
 * first (exact-patterns.ts: 0.03–0.7 s there); bench/quality/FINDINGS.md has the figures and
 * what was tried.
 */
export const FALLBACK_MAX_NODES = 1000;

/**
 * Second work limit of the fallback: the LP iterations all its MIP solves may use together (an
 * `LpBudget`). Nodes do not bound a root node or a node's own LP, and on plans dealt onto hosts
 * sized to what each was dealt (bench/adversarial.ts's `dealtPlan`) single solves ran 12,000–
 * 38,000 LP iterations (2–5 s) until the CPU safety limit cut them, so that the answer depended
 * on the machine. Every fallback solve of the bench's plans that found or proved anything used
 * at most 1,748 (the independent quality set: at most 152). A solve cut by this budget keeps its
 * incumbent, unproved, as one cut by the node limit.
 */
export const FALLBACK_LP_ITERATIONS = 5_000;

/**
 * Safety limit of the fallback, in seconds of this process's CPU time (not wall clock) for all
 * its levels together, checked at HiGHS's interrupt checkpoints and between levels. The node
 * and LP-iteration budgets decide the answer on every plan we know of; this limit guards against
 * a root node that spends its time outside LP iterations (presolve, cut separation) and never
 * ends. A solve it stops is discarded: `place` keeps the
 * heuristic's placement, so only then does the answer depend on the machine. CPU time rather
 * than wall clock, so that other processes' load does not cut it (at load 11 the wall clock cut
 * 3 of the 8 fragmenting plans of the bench, which need at most 4.6 s of CPU).
 */
export const FALLBACK_SAFETY_SECONDS = 10;

/**
 * Loads HiGHS and installs it as `place`'s fallback: from then on, in this thread, a plan of at
 * most `FALLBACK_MAX_INSTANCES` instances on which the heuristic leaves instances unplaced is
 * re-solved exactly on rule 2 (synchronously, at most `FALLBACK_MAX_NODES` nodes per level,
 * `FALLBACK_LP_ITERATIONS` LP iterations and `FALLBACK_SAFETY_SECONDS` of CPU in all): by packing patterns (`solveByPatterns`: all of them
 * where they are few, else generated columns), else with the aggregate model (up to
 * `AGGREGATE_FALLBACK_MAX_INSTANCES`); and the exact placement replaces the heuristic's when it places more. Either way, when the
 * most vCPUs placeable is proved, `place` reports it (`placedCoresBound`). Resolves to false
 * (and installs nothing) when the runtime cannot be loaded.
 */
export async function enableExactFallback(): Promise<boolean> {
    try {
        const h = await loadHighs();
        const cache = new Map<string, FallbackAnswer>();
        setPlacementFallback({
            maxInstances: FALLBACK_MAX_INSTANCES,
            solve: (model, heuristic) => {
                const cheap = provedWithoutSolver(model, heuristic);
                if (cheap) return cheap;
                const key = placementKey(model, -FALLBACK_MAX_NODES);
                let answer = cache.get(key);
                if (answer === undefined) {
                    // patterns first (milliseconds on fragmenting plans), the aggregate model
                    // where they are too many; one safety limit for both
                    const c0 = cpuMilliseconds();
                    const stopWhen = safetyStop(c0);
                    const lp: LpBudget = { left: FALLBACK_LP_ITERATIONS };
                    const patterns = byPatterns(h, model, heuristic, stopWhen, lp);
                    // generated columns may miss the packings a full placement needs: where
                    // they prove nothing, the aggregate model tries from their placement
                    // …but not after the neighbourhood repair fell short: on every plan where
                    // it did (the dealt and newcomer plans), the aggregate model placed nothing
                    // more, in 1.4–2.2 s of CPU (issue 15's ≤ 2 s for ≤ 200 instances)
                    const aggregate =
                        patterns?.placedCoresBound === undefined &&
                        !patterns?.repairedShort &&
                        model.instances.length <= AGGREGATE_FALLBACK_MAX_INSTANCES &&
                        lp.left > 0
                            ? byAggregateModel(
                                  h,
                                  model,
                                  patterns?.better ?? heuristic,
                                  stopWhen,
                                  lp
                              )
                            : undefined;
                    answer = bestAnswer(model, heuristic, patterns, aggregate);
                    cache.set(key, answer);
                    while (cache.size > 64) cache.delete(cache.keys().next().value!);
                }
                return answer;
            }
        });
        return true;
    } catch {
        return false;
    }
}

/**
 * The fallback on rule 2 by packing patterns (`solveByPatterns`): tens of milliseconds where the
 * aggregate model's root takes seconds (the fragmenting plans of bench/adversarial.ts, issue 15);
 * where the packings are too many to list, by column generation from the heuristic's packings.
 * `undefined` when it declines (vCPUs not whole) or fails: the aggregate model then runs. A
 * solve the safety limit stopped gives no answer (`{}`), as the aggregate model's.
 */
function byPatterns(
    highs: Highs,
    model: PlanModel,
    heuristic: PlacementResult,
    stopWhen: () => boolean,
    lp: LpBudget
): FallbackAnswer | undefined {
    const pp = resolvePins(model);
    const heuristicFree = placedFreeCores(model, pp, heuristic);
    const r = solveByPatterns(highs, model, pp, {
        maxNodes: FALLBACK_MAX_NODES,
        stopWhen,
        lp,
        stopUnlessFreeAbove: heuristicFree,
        seed: countsOf(model, pp, heuristic)
    });
    if (r === undefined) return undefined;
    if (r.stopped) return {};
    let pinned = 0;
    for (let h = 0; h < model.hosts.length; h++) pinned += pp.pinC[h];
    const H = model.hosts.length;
    return {
        ...(r.placedFreeCores > heuristicFree + EPS
            ? { better: placementFromCounts(model, pp, (s, h) => r.counts[s * H + h]) }
            : {}),
        ...(r.proved ? { placedCoresBound: pinned + r.placedFreeCores } : {}),
        ...(r.repairedShort ? { repairedShort: true } : {})
    };
}

/**
 * The better of the pattern model's and the aggregate model's answers (either may be missing):
 * the placement with fewer unplaced vCPUs (the pattern model's on a tie), and a proved bound
 * from either.
 */
function bestAnswer(
    model: PlanModel,
    heuristic: PlacementResult,
    a: FallbackAnswer | undefined,
    b: FallbackAnswer | undefined
): FallbackAnswer {
    const unplaced = (x: FallbackAnswer | undefined) =>
        x?.better ? unplacedCores(model, x.better) : unplacedCores(model, heuristic);
    const better = unplaced(b) < unplaced(a) ? b?.better : (a?.better ?? b?.better);
    const bound = a?.placedCoresBound ?? b?.placedCoresBound;
    return {
        ...(better && unplacedCores(model, better) < unplacedCores(model, heuristic)
            ? { better }
            : {}),
        ...(bound !== undefined ? { placedCoresBound: bound } : {})
    };
}

/**
 * What the fallback answers `place` (see `PlacementFallback.solve`); `repairedShort`: the pattern
 * model's answer was repaired and still short (`PatternSolve.repairedShort`).
 */
type FallbackAnswer = {
    readonly better?: PlacementResult;
    readonly placedCoresBound?: number;
    readonly repairedShort?: boolean;
};

/**
 * The fallback on rule 2 with the aggregate model (`solveExactSync` up to `minRoleShort`). A
 * solve the safety limit stopped is discarded (`{}`).
 */
function byAggregateModel(
    highs: Highs,
    model: PlanModel,
    heuristic: PlacementResult,
    stopWhen: () => boolean,
    lp: LpBudget
): FallbackAnswer {
    const r = solveExactSync(highs, model, {
        maxNodes: FALLBACK_MAX_NODES,
        stopWhen,
        lp,
        lastLevel: 'minRoleShort',
        stopUnlessPlacedAbove: measure(model, heuristic).placedCores,
        start: heuristic
    });
    const ok = !r.stopped && r.status !== 'infeasible' && r.status !== 'failed';
    const first = r.levels.find(l => l.level === 'placedCores');
    const proved =
        ok && first !== undefined && first.status !== 'time-limit' && first.bound === first.value;
    return {
        ...(ok && unplacedCores(model, r.placement) < unplacedCores(model, heuristic)
            ? { better: r.placement }
            : {}),
        ...(proved ? { placedCoresBound: first.value } : {})
    };
}

/**
 * The fallback's first step, without the solver (also `enableDeferredExactFallback`'s): when the
 * heuristic already places the most any placement can (`placedCoresUpperBound`), that proof
 * (`placedCoresBound`, vCPUs, pins included); else `undefined` (only the MILP can tell).
 */
export function provedWithoutSolver(
    model: PlanModel,
    heuristic: PlacementResult
): { readonly placedCoresBound: number } | undefined {
    const pp = resolvePins(model);
    if (placedFreeCores(model, pp, heuristic) < placedCoresUpperBound(model, pp) - EPS)
        return undefined;
    return { placedCoresBound: measure(model, heuristic).placedCores };
}

/**
 * The fallback's safety stop from `c0` (`cpuMilliseconds()` at its start): true once
 * `FALLBACK_SAFETY_SECONDS` of CPU have passed. HiGHS asks it at every interrupt checkpoint, and
 * reading the CPU time is a system call (269 ms of a 7 s `dcplan fix` went to it), so it reads
 * the CPU time only where 20 ms of the cheap monotonic clock have passed since the last read:
 * the limit is still CPU time, looked at a little later.
 */
function safetyStop(c0: number): () => boolean {
    let lastLook = -Infinity;
    let stop = false;
    return () => {
        if (stop) return true;
        const now = performance.now();
        if (now - lastLook < 20) return false;
        lastLook = now;
        stop = cpuMilliseconds() - c0 >= FALLBACK_SAFETY_SECONDS * 1000;
        return stop;
    };
}

/**
 * CPU milliseconds (user + system) this process has used: the fallback's safety limit counts
 * them rather than wall-clock time, so other processes' load does not cut it (issue 15: under a
 * load of 11 the wall clock cut 3 of 8 fragmenting plans that need at most 4.6 s of CPU).
 */
function cpuMilliseconds(): number {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
}

function unplacedCores(model: PlanModel, p: PlacementResult): number {
    let c = 0;
    for (const i of p.unplaced) c += model.instances[i].cores;
    return c;
}

function placedFreeCores(model: PlanModel, pp: PinnedPlan, p: PlacementResult): number {
    let c = 0;
    for (let s = 0; s < pp.S; s++) c += pp.free[s] * pp.sC[s];
    return c - unplacedCores(model, p);
}
