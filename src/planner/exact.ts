/**
 * Exact placement with the HiGHS MILP solver (npm `highs`, WebAssembly): proves a placement
 * optimal in the spec's order ("What the checker computes", "Placement"), or reports the gap that
 * remains when the time limit strikes.
 *
 * Aggregate model: the instances of one shape are interchangeable, so the variables are the
 * counts y[s][h] ∈ ℕ of free (unpinned) instances of shape s on host h, not one binary per
 * instance (no symmetry between instances, far fewer variables). Pins are constants on their
 * hosts; a host whose pins overcommit it takes nothing more (as in `place`). Capacity rows keep
 * every other host within its usable vCPUs and GiB (rule 1, hard). The objective is
 * lexicographic and solved as a sequence of MILPs, each level's optimum fixed as a constraint
 * before the next level is optimised:
 *
 *  1. `placedCores`   most cores placed (rule 2);
 *  2. `maxRoleShort`  the largest per-role unplaced cores as small as possible, then
 *     `minRoleShort`  the smallest as large as possible (with the total fixed this is the
 *                     lexicographically smallest sorted per-role shortfall, as in `place`);
 *  3. `spread`        Σ over hosts and roles of the excess over ⌈n/h⌉ (rule 3);
 *  4. `singleRole`    hosts that run one role or none while the plan has several, then
 *     `missingRoles`  Σ over all hosts (empty ones too) of roles − distinct roles on the host,
 *                     i.e. the (host, role) pairs present, maximised, then
 *     `racks`         Σ over racks and roles of the excess over ⌈n/racks⌉ (rule 4);
 *  5. `maxUtil`       the busiest host's core utilisation (rule 5).
 *
 * The same per-host terms are what `place`'s local search compares, so the heuristic and the
 * exact placement are measured on one scale. Levels whose value the heuristic's placement
 * already reaches a trivial bound of (0 for 2–4 but `missingRoles`, whose bound is H·R minus
 * Σ over roles of min(instances, H); everything placed for 1) are fixed without a
 * solve. `tolerate_host_failures` is not part of the MILP (re-placement after a loss is a
 * nested packing problem); see `place` for it.
 *
 * With a lock (`ExactOptions.lock`, issue 12, day 2) the levels are `DAY2_OBJECTIVE_LEVELS`:
 * `placedCores`, `roleOnOneHost`, `moves` (locked instances not kept on their host, from
 * `lockedStart` in incremental.ts, its pins too, so the heuristic and the MILP count alike), then
 * the others; `rebalance_moves` loosens the fixed `moves` row by N for the levels after it. Drained
 * hosts take nothing (`withDrainedEmptied`), lock or not; hosts are alike for symmetry only when
 * the lock gives them the same instances; the result names instances kept-first
 * (`nameForFewestMoves`) and carries the moves (`delta`).
 *
 * Two ways in: `solveExact` (async, in a `worker_threads` Worker, `exact-worker.ts`: callers
 * never block) and `solveExactSync` with a loaded runtime (`loadHighs`), which `place` uses as
 * its fallback for small plans (`enableExactFallback`). The MILP (columns, rows, one builder per
 * level) is built in `exact-model.ts`; this module runs the levels in order.
 */
import { createHash } from 'node:crypto';
import type { Highs } from 'highs';
import type { PlanModel } from './model.js';
import type { Lock } from './lock.js';
import { EPS, measure } from './objective.js';
import {
    place,
    placementFromCounts,
    resolvePins,
    setPlacementFallback,
    type PinnedPlan,
    type PlacementResult
} from './placement.js';
import {
    EXACT_DAY2_LEVELS,
    EXACT_LEVELS,
    type ExactLevel,
    type ExactLevelResult,
    type ExactOptions,
    type ExactResult,
    type LpBudget
} from './exact-types.js';
import { busiestHost, loadHighs, runMip, trivialResult } from './exact-runtime.js';
import {
    buildExactModel,
    evalExpr,
    ExactBuildCut,
    roleCounts,
    rowsToCsr,
    stayCounts,
    type ExactModel,
    type Expr
} from './exact-model.js';
import {
    deltaOf,
    lockedStart,
    planPlacement,
    toPlacement,
    withDrainedEmptied,
    type LockedStart
} from './incremental.js';
import { HostLoads } from './host-loads.js';
import { solveByPatterns } from './exact-patterns.js';
import { nameForFewestMoves } from './fewer-moves.js';

export { measure, type PlacementMeasures } from './objective.js';
export { type ExactOptions, type ExactResult } from './exact-types.js';
export { ExactSolveAborted, loadHighs, solveExact, stopExactWorker } from './exact-runtime.js';

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
                    const aggregate =
                        patterns?.placedCoresBound === undefined &&
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
        ...(r.proved ? { placedCoresBound: pinned + r.placedFreeCores } : {})
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

/** What the fallback answers `place` (see `PlacementFallback.solve`). */
type FallbackAnswer = { readonly better?: PlacementResult; readonly placedCoresBound?: number };

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

/**
 * An upper bound on the free (unpinned) vCPUs any placement can place: the sum over hosts that
 * take more of the best bounded knapsack of free pieces into the host's free vCPUs (memory
 * ignored), at most the free vCPUs in all. Exact for plans whose pieces fragment every host
 * alike (seed-reference: 4 × 20 of 22). vCPUs are whole numbers (the spec). Never throws.
 */
export function placedCoresUpperBound(model: PlanModel, pp: PinnedPlan): number {
    const H = model.hosts.length;
    const over = new Set(pp.overcommitted.map(o => o.host));
    let total = 0;
    for (let s = 0; s < pp.S; s++) total += pp.free[s] * pp.sC[s];
    const caps: number[] = [];
    for (let h = 0; h < H; h++) {
        const host = model.hosts[h];
        if (over.has(h) || host.usableCores <= 0) continue;
        caps.push(Math.max(0, Math.floor(host.usableCores - pp.pinC[h] + EPS)));
    }
    if (caps.length === 0) return 0;
    const maxCap = Math.min(Math.max(...caps), Math.ceil(total));
    // dp[c]: most vCPUs of free pieces within c (bounded counts, binary splitting)
    const dp = new Float64Array(maxCap + 1);
    for (let s = 0; s < pp.S; s++) {
        const w = pp.sC[s];
        if (pp.free[s] === 0 || w > maxCap || !Number.isInteger(w)) continue;
        let left = Math.min(pp.free[s], Math.floor(maxCap / w));
        for (let k = 1; left > 0; k *= 2) {
            const take = Math.min(k, left);
            left -= take;
            const W = take * w;
            for (let c = maxCap; c >= W; c--) if (dp[c - W] + W > dp[c]) dp[c] = dp[c - W] + W;
        }
    }
    for (let c = 1; c <= maxCap; c++) if (dp[c - 1] > dp[c]) dp[c] = dp[c - 1];
    let sum = 0;
    for (const c of caps) sum += dp[Math.min(c, maxCap)];
    return Math.min(total, sum);
}

/**
 * A key of everything a placement of `model` depends on (SHA-1 hex of a canonical JSON): the
 * platform, the hosts' usable capacity, racks, pins and drains, the instances' shape, role, vCPUs
 * and GiB in order, the time limit, and with a `lock` (day 2) its placement, its shapes' sizes and
 * `rebalance_moves`. Demands, titles, comments and layout are not in it.
 */
export function placementKey(model: PlanModel, timeLimitSeconds: number, lock?: Lock): string {
    const data = {
        t: timeLimitSeconds,
        p: model.settings.platform,
        h: model.hosts.map(h => [
            h.usableCores,
            h.usableMemoryGiB,
            h.rack ?? null,
            h.pins.map(p => [p.shape, p.count])
        ]),
        i: model.instances.map(i => [i.shape, i.role, i.cores, i.memoryGiB]),
        // only when present, so that keys without them stay as they were
        ...(model.hosts.some(h => h.drain) ? { d: model.hosts.map(h => h.drain === true) } : {}),
        ...(lock
            ? {
                  l: [...lock.placement],
                  s: [...lock.shapes],
                  r: model.settings.rebalanceMoves ?? 0
              }
            : {})
    };
    return createHash('sha1').update(JSON.stringify(data)).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// The lexicographic solve loop (the MILP itself is built in `exact-model.ts`)

/**
 * Solves the placement exactly with a loaded runtime (`loadHighs`), synchronously: it blocks
 * the thread for up to `timeLimitSeconds` (default 10) — use `solveExact` from a UI or server
 * thread. Never throws on a well-formed plan: a solver error gives status `failed` (with its
 * `error`) and the heuristic's placement.
 */
export function solveExactSync(
    highs: Highs,
    planned: PlanModel,
    options: ExactOptions = {}
): ExactResult {
    const t0 = performance.now();
    const physical = planned.settings.platform === 'physical';
    // drained hosts take nothing (as in `planPlacement`); the lock's moves are counted on `planned`
    const model = withDrainedEmptied(planned);
    const lock = physical ? undefined : options.lock;
    const locked = lock ? lockedStart(planned, model, lock) : undefined;
    const start =
        options.start ??
        (lock
            ? planPlacement(planned, lock, { exactFallback: false }).placement
            : place(model, { exactFallback: false }));
    if (physical || model.hosts.length === 0) return trivialResult(model, start);
    // a wall clock only where the caller (the user) sets one; a work limit alone keeps it off
    const timeLimit = options.timeLimitSeconds ?? (options.maxNodes !== undefined ? Infinity : 10);
    const order: readonly ExactLevel[] = locked ? EXACT_DAY2_LEVELS : EXACT_LEVELS;
    const lastLevel = order.includes(options.lastLevel ?? 'maxUtil')
        ? order.indexOf(options.lastLevel ?? 'maxUtil')
        : order.length - 1;
    const pp = locked?.pp ?? resolvePins(model); // with a lock, its pins (as the heuristic's)
    const H = model.hosts.length;
    const { S } = pp;
    const INF = highs.infinity;
    const { roleN, rolesPresent, nRoles } = roleCounts(model);
    const movesInput = locked ? movesInputOf(locked) : undefined;
    const stay = stayCounts(pp, H, movesInput);
    // `rebalance_moves`: the levels after `moves` may spend that many further moves
    const budget = Math.max(0, planned.settings.rebalanceMoves ?? 0);

    const levels: ExactLevelResult[] = [];
    let status: ExactResult['status'] = 'optimal';
    let gap = 0,
        gapLevel: ExactLevel | null = null;
    let current: number[] | undefined; // last full solution (column values)
    let placedBound = Number.NaN;
    let error: string | undefined;
    let stopped = false;
    const deadline = t0 + timeLimit * 1000;

    const startMeasures = measure(model, start);
    let pinnedCoresAll = 0;
    for (let h = 0; h < H; h++) pinnedCoresAll += pp.pinC[h];
    const trivially = (lv: ExactLevel): boolean => {
        switch (lv) {
            case 'placedCores':
                return (
                    start.unplaced.length === 0 ||
                    startMeasures.placedCores - pinnedCoresAll >=
                        placedCoresUpperBound(model, pp) - EPS
                );
            case 'maxRoleShort':
            case 'minRoleShort':
                return start.unplaced.length === 0;
            case 'spread':
                return startMeasures.spread === 0;
            case 'singleRole':
                return startMeasures.singleRole === 0;
            // each role is on at most min(instances, hosts) hosts
            case 'missingRoles':
                return (
                    startMeasures.missingRoles <=
                    H * nRoles - rolesPresent.reduce((a, r) => a + Math.min(roleN[r], H), 0)
                );
            case 'racks':
                return startMeasures.racks === 0;
            case 'maxUtil':
                return false;
            case 'roleOnOneHost':
                return startValue(lv) === 0;
            // every locked instance without a host to stay on moves (or stops)
            case 'moves':
                return (
                    movesInput !== undefined &&
                    startValue(lv) === movesInput.pinnedMoves + mustMoveCount(locked!)
                );
        }
    };
    const startValue = (lv: ExactLevel): number => {
        switch (lv) {
            case 'placedCores':
                return startMeasures.placedCores;
            case 'maxRoleShort':
                return Math.max(...startMeasures.roleShort);
            case 'minRoleShort':
                return Math.min(...startMeasures.roleShort);
            case 'roleOnOneHost':
                return HostLoads.of(model, start.hostOf).onOneHost();
            case 'moves':
                return movesOfCounts(pp, stay, movesInput!, startCounts, H);
            default:
                return startMeasures[lv];
        }
    };

    // The user's time limit bounds building the model too (issue 15: a 5,000-host plan took
    // 11 s for `--time-limit 1`): past the deadline the heuristic's placement is returned, cut.
    let built: ExactModel, A: ReturnType<typeof rowsToCsr>;
    try {
        built = buildExactModel(model, pp, INF, order[lastLevel], deadline, movesInput);
        A = rowsToCsr(built.rows, deadline);
    } catch (err) {
        if (!(err instanceof ExactBuildCut)) throw err;
        const cut = order.slice(0, lastLevel + 1).map((lv): ExactLevelResult =>
            trivially(lv)
                ? {
                      level: lv,
                      value: startValue(lv),
                      bound: startValue(lv),
                      status: 'trivial',
                      seconds: 0
                  }
                : {
                      level: lv,
                      value: startValue(lv),
                      bound: Number.NaN,
                      status: 'time-limit',
                      seconds: 0
                  }
        );
        const open = cut.find(l => l.status === 'time-limit');
        return {
            placement: start,
            status: open ? 'time-limit' : 'optimal',
            gap: open ? Number.NaN : 0,
            gapLevel: open?.level ?? null,
            levels: cut,
            placedCores: startMeasures.placedCores,
            // a bound that needs no solve: the knapsack bound of `placedCoresUpperBound`
            placedCoresBound: trivially('placedCores')
                ? startMeasures.placedCores
                : Math.min(
                      startMeasures.deployedCores,
                      pinnedCoresAll + placedCoresUpperBound(model, pp)
                  ),
            deployedCores: startMeasures.deployedCores,
            maxUtilisation: busiestHost(model, start),
            seconds: (performance.now() - t0) / 1000
        };
    }
    const { lower, upper, integ, rows, y, exprs } = built;
    const movesExpr = exprs.get('moves');

    // ---- the start: the heuristic's counts, completed level by level
    const startCounts = countsOf(model, pp, start);
    const nCols = lower.length;

    let m: ReturnType<Highs['createModel']> | undefined;
    try {
        m = highs.createModel({
            numCols: nCols,
            numRows: rows.length,
            colCost: new Array<number>(nCols).fill(0),
            colLower: lower,
            colUpper: upper,
            rowLower: rows.map(r => r.lo),
            rowUpper: rows.map(r => r.hi),
            matrix: {
                format: 'csr',
                numRows: rows.length,
                numCols: nCols,
                starts: A.starts,
                indices: A.indices,
                values: A.values
            },
            integrality: integ as (0 | 1)[]
        });
        m.options.set({ output_flag: false, mip_rel_gap: 0, mip_abs_gap: 1e-7, random_seed: 1 });
        const fixRow = (e: Expr, value: number) => {
            // sense 1 (min): Σ ≤ value − constant; sense −1 (max): Σ ≥ value − constant
            const slack = e.integral ? 0.5 : 1e-7;
            const v = value - e.constant + (e === movesExpr ? budget : 0);
            const lo = e.sense === 1 ? -INF : v - slack,
                hi = e.sense === 1 ? v + slack : INF;
            if (e.cols.length === 0) return;
            const mm = new Map<number, number>();
            e.cols.forEach((c, k) => mm.set(c, (mm.get(c) ?? 0) + e.vals[k]));
            const keys = [...mm.keys()].sort((a, b) => a - b);
            m!.addRow(lo, hi, { indices: keys, values: keys.map(k => mm.get(k)!) });
        };
        for (let li = 0; li <= lastLevel; li++) {
            const lv = order[li];
            if (
                li > 0 &&
                options.stopUnlessPlacedAbove !== undefined &&
                levels[0].value <= options.stopUnlessPlacedAbove
            )
                break;
            const e = exprs.get(lv)!;
            const lt0 = performance.now();
            if (e.cols.length === 0) {
                levels.push({
                    level: lv,
                    value: e.constant,
                    bound: e.constant,
                    status: 'trivial',
                    seconds: 0
                });
                continue;
            }
            if (trivially(lv) && (current === undefined || sameAsStart(current))) {
                const v = startValue(lv);
                levels.push({ level: lv, value: v, bound: v, status: 'trivial', seconds: 0 });
                fixRow(e, v);
                continue;
            }
            const left = (deadline - performance.now()) / 1000;
            if (!stopped && options.stopWhen?.()) stopped = true;
            if (left <= 0.01 || stopped || (options.lp && options.lp.left <= 0)) {
                // no time or work left: keep the incumbent's value, unproved
                const v = current ? evalExpr(e, current) : startValue(lv);
                levels.push({
                    level: lv,
                    value: v,
                    bound: Number.NaN,
                    status: 'time-limit',
                    seconds: 0
                });
                if (status === 'optimal') {
                    status = 'time-limit';
                    gap = Number.NaN;
                    gapLevel = lv;
                }
                fixRow(e, v);
                continue;
            }
            // The two role-shortfall levels in one solve: minimising W·zmax − zmin with W above
            // zmin's range (whole vCPUs, at most the deployed ones) is the same lexicographic
            // order, and a third root costs 0.2–0.8 s on the bench's fragmenting plans (issue 15).
            const pair =
                lv === 'maxRoleShort' && li < lastLevel && order[li + 1] === 'minRoleShort'
                    ? exprs.get('minRoleShort')!
                    : undefined;
            const W = startMeasures.deployedCores + 1;
            const cost = new Array<number>(nCols).fill(0);
            e.cols.forEach((c, k) => {
                cost[c] += e.sense * e.vals[k] * (pair ? W : 1);
            });
            pair?.cols.forEach((c, k) => {
                cost[c] += pair.sense * pair.vals[k];
            });
            m.changeColsCost({ kind: 'range', from: 0, to: nCols - 1 }, cost);
            if (Number.isFinite(left)) m.options.set('time_limit', Math.max(0.01, left));
            if (options.maxNodes !== undefined)
                m.options.set('mip_max_nodes', Math.max(1, Math.floor(options.maxNodes)));
            // MIP start: the previous level's solution, else the heuristic's counts
            const partial = current ? undefined : partialStart(startCounts);
            try {
                if (current) m.setSolution({ colValue: current });
                else if (partial) m.setSolution(partial);
            } catch {
                /* a start is optional */
            }
            const run = runMip(highs, m, options.stopWhen, options.lp);
            if (run.stopped) stopped = true;
            const ms = run.modelStatus;
            const k = highs.constants.modelStatus;
            let sol: number[] | undefined = run.x;
            if (!sol) {
                if (ms === k.infeasible && li === 0) {
                    status = 'infeasible';
                    break;
                }
                // nothing better than the previous level's solution
                sol = current;
            }
            if (!sol) {
                // no solution at all within the time: keep the heuristic's placement, unproved
                status = 'time-limit';
                gapLevel = lv;
                gap = Number.NaN;
                levels.push({
                    level: lv,
                    value: startValue(lv),
                    bound: Number.NaN,
                    status: 'time-limit',
                    seconds: (performance.now() - lt0) / 1000
                });
                break;
            }
            current = sol;
            const seconds = (performance.now() - lt0) / 1000;
            // dual bound of the minimised objective (Σ sense·vals·x, W-weighted for a pair)
            const db = ms === k.optimal ? Number.NaN : Number(m.info.get('mip_dual_bound'));
            const record = (level: ExactLevel, ex: Expr, dbLevel: number): boolean => {
                // the moves of the counts under the best naming: the m_s columns of a solution
                // not proved optimal may lie above it
                const raw =
                    level === 'moves'
                        ? movesOfCounts(pp, stay, movesInput!, countsOfSolution(sol), H)
                        : evalExpr(ex, sol);
                const value = ex.integral ? Math.round(raw) : raw;
                let bound = value;
                if (ms !== k.optimal) {
                    const b = ex.sense * dbLevel + ex.constant;
                    bound = Number.isFinite(b)
                        ? ex.integral
                            ? ex.sense === 1
                                ? Math.ceil(b - 1e-6)
                                : Math.floor(b + 1e-6)
                            : b
                        : Number.NaN;
                }
                const proved = bound === value;
                levels.push({
                    level,
                    value,
                    bound,
                    status: proved ? 'optimal' : 'time-limit',
                    seconds: level === lv ? seconds : 0
                });
                if (!proved && status === 'optimal') {
                    status = 'time-limit';
                    gapLevel = level;
                    gap = Number.isFinite(bound)
                        ? Math.abs(value - bound) / Math.max(Math.abs(value), 1e-9)
                        : Number.NaN;
                }
                if (level === 'placedCores') placedBound = bound;
                fixRow(ex, value);
                return proved;
            };
            if (!pair) {
                record(lv, e, db);
                continue;
            }
            // W·zmax − zmin ≥ db with 0 ≤ zmin < W: zmax ≥ db / W; with zmax proved at its
            // value, −zmin ≥ db − W·zmax
            const zmaxProved = record(lv, e, db / W);
            record(
                'minRoleShort',
                pair,
                zmaxProved ? db - W * evalExpr(e, sol) * e.sense : Number.NaN
            );
            li++;
        }
    } catch (err) {
        status = 'failed';
        error = err instanceof Error ? err.message : String(err);
    } finally {
        m?.dispose();
    }

    // cut by the time limit, the solve may end on a placement worse than its start (the heuristic's)
    // at a level it did not reach (a newcomer's 42-host plan: 3 of 6 directors on one host after
    // `--time-limit 1`, where the heuristic spreads them): the start is then shown, with its
    // figures, the bounds the solve proved kept
    if (status === 'time-limit' && current && levels.length > 0 && startIsBetter()) {
        current = undefined;
        levels.splice(
            0,
            levels.length,
            ...levels.map(l => {
                const value = startValue(l.level);
                return {
                    ...l,
                    value,
                    status: value === l.bound ? l.status : ('time-limit' as const)
                };
            })
        );
        const open = levels.find(l => l.value !== l.bound);
        gapLevel = open?.level ?? null;
        gap = open
            ? Number.isFinite(open.bound)
                ? Math.abs(open.value - open.bound) / Math.max(Math.abs(open.value), 1e-9)
                : Number.NaN
            : 0;
        if (!open) status = 'optimal';
    }
    /** Whether the start's level values are lexicographically better than the solve's. */
    function startIsBetter(): boolean {
        for (const l of levels) {
            const sense = exprs.get(l.level)?.sense ?? 1;
            const a = sense * startValue(l.level),
                b = sense * l.value;
            if (a < b - EPS) return true;
            if (a > b + EPS) return false;
        }
        return false;
    }
    let placement = start;
    if (current && status !== 'infeasible' && status !== 'failed') {
        const sol = current;
        const count = (s: number, h: number) => {
            const j = y[s * H + h];
            return j < 0 ? 0 : Math.round(sol[j]);
        };
        placement = locked
            ? toPlacement(
                  model,
                  pp,
                  nameForFewestMoves(pp, locked.stayHost, locked.lockedHost, H, count),
                  locked.isPinned
              )
            : placementFromCounts(model, pp, count);
    }
    const f = measure(model, placement);
    if (Number.isNaN(placedBound)) placedBound = f.placedCores;
    return {
        placement,
        status,
        gap,
        gapLevel,
        levels,
        placedCores: f.placedCores,
        placedCoresBound: placedBound,
        deployedCores: f.deployedCores,
        maxUtilisation: busiestHost(model, placement),
        seconds: (performance.now() - t0) / 1000,
        ...(stopped ? { stopped } : {}),
        ...(error === undefined ? {} : { error }),
        ...(locked ? { delta: deltaOf(planned, locked, placement.hostOf) } : {})
    };

    function countsOfSolution(x: readonly number[]): Int32Array {
        const out = new Int32Array(S * H);
        for (let k = 0; k < S * H; k++) if (y[k] >= 0) out[k] = Math.round(x[y[k]]);
        return out;
    }
    function sameAsStart(x: readonly number[]): boolean {
        for (let s = 0; s < S; s++)
            for (let h = 0; h < H; h++) {
                const j = y[s * H + h];
                if (j >= 0 && Math.round(x[j]) !== startCounts[s * H + h]) return false;
            }
        return true;
    }
    /** A partial MIP start from counts: the y columns; HiGHS completes the auxiliaries. */
    function partialStart(counts: Int32Array): { indices: number[]; values: number[] } | undefined {
        const indices: number[] = [],
            values: number[] = [];
        for (let s = 0; s < S; s++)
            for (let h = 0; h < H; h++) {
                const j = y[s * H + h];
                const c = counts[s * H + h];
                if (j < 0) {
                    if (c > 0) return undefined;
                    continue;
                }
                if (c > upper[j]) return undefined;
                indices.push(j);
                values.push(c);
            }
        const order = indices.map((_, k) => k).sort((a, b) => indices[a] - indices[b]);
        return { indices: order.map(k => indices[k]), values: order.map(k => values[k]) };
    }
}

/** Free (unpinned) counts per (shape id, host) of a placement: index s * H + h. */
function countsOf(model: PlanModel, pp: PinnedPlan, p: PlacementResult): Int32Array {
    const H = model.hosts.length;
    const id = new Map(pp.shapeNames.map((s, k) => [s, k]));
    const out = new Int32Array(pp.S * H);
    for (let h = 0; h < H; h++) {
        const pinnedHere = new Set(p.pinned[h] ?? []);
        for (const i of p.byHost[h] ?? []) {
            if (pinnedHere.has(i)) continue;
            out[id.get(model.instances[i].shape)! * H + h]++;
        }
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// Day 2: the moves level's input and naming

/** The moves level's input from the lock's start (`lockedStart`). */
function movesInputOf(locked: LockedStart) {
    const n = locked.lockedHost.length;
    const isNew = new Uint8Array(n);
    let pinnedMoves = 0;
    for (let i = 0; i < n; i++) {
        if (locked.isPinned[i]) {
            if (locked.why[i] === 'pinned') pinnedMoves++;
        } else if (locked.lockedHost[i] === undefined) isNew[i] = 1;
    }
    return { stayHost: locked.stayHost, isNew, pinnedMoves };
}

/** Locked free instances with no host to stay on: each moves or stops, whatever is placed. */
function mustMoveCount(locked: LockedStart): number {
    let c = 0;
    for (let i = 0; i < locked.lockedHost.length; i++)
        if (!locked.isPinned[i] && locked.lockedHost[i] !== undefined && locked.stayHost[i] < 0)
            c++;
    return c;
}

/**
 * The `moves` level of free counts `counts` (index s * H + h): locked free instances not kept on
 * their host under the best naming (`nameForFewestMoves`), pins' moves included.
 */
function movesOfCounts(
    pp: PinnedPlan,
    stay: Int32Array,
    input: { isNew: Uint8Array; pinnedMoves: number },
    counts: Int32Array,
    H: number
): number {
    let moves = input.pinnedMoves;
    for (let s = 0; s < pp.S; s++) {
        for (let h = 0; h < H; h++) moves -= Math.min(counts[s * H + h], stay[s * H + h]);
        for (const i of pp.byShape[s].slice(pp.pinCursor[s])) moves += 1 - input.isNew[i];
    }
    return moves;
}
