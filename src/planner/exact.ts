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
 * the others; `rebalance_moves` loosens the fixed `moves` row by N for the levels after it, and
 * a last solve with every level fixed keeps the fewest moves. Drained
 * hosts take nothing (`withDrainedEmptied`), lock or not; hosts are alike for symmetry only when
 * the lock gives them the same instances; the result names instances kept-first
 * (`nameForFewestMoves`) and carries the moves (`delta`).
 *
 * Two ways in: `solveExact` (async, in a `worker_threads` Worker, `exact-worker.ts`: callers
 * never block) and `solveExactSync` with a loaded runtime (`loadHighs`), which `place` uses as
 * its fallback for small plans (`enableExactFallback`, exact-fallback.ts). The MILP (columns, rows, one builder per
 * level) is built in `exact-model.ts`; this module runs the levels in order.
 */
import { createHash } from 'node:crypto';
import type { Highs } from 'highs';
import type { PlanModel } from './model.js';
import type { Lock } from './lock.js';
import { EPS, lexLess, measure, type PlacementMeasures } from './objective.js';
import {
    place,
    placementFromCounts,
    resolvePins,
    type PinnedPlan,
    type PlacementResult
} from './placement.js';
import {
    EXACT_DAY2_LEVELS,
    EXACT_LEVELS,
    type ExactLevel,
    type ExactLevelResult,
    type ExactOptions,
    type ExactResult
} from './exact-types.js';
import {
    busiestHost,
    ExactSolveAborted,
    ExactWorkerTimeout,
    runMip,
    solveInWorker,
    trivialResult
} from './exact-runtime.js';
import { busiestHostBound, placedCoresUpperBound } from './exact-bounds.js';
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
import { exactDelta, unblockRebalance } from './exact-unblock.js';
import {
    lockedStart,
    planPlacement,
    toPlacement,
    withDrainedEmptied,
    type LockedStart
} from './incremental.js';
import { HostLoads } from './host-loads.js';
import { nameForFewestMoves } from './fewer-moves.js';

export { measure, type PlacementMeasures } from './objective.js';
export { type ExactOptions, type ExactResult } from './exact-types.js';
export { ExactSolveAborted, loadHighs, stopExactWorker } from './exact-runtime.js';

/**
 * Seconds past the user's time limit that the worker may take before its solve is cut from
 * outside. HiGHS looks at its time limit only between presolve's reductions: with `--time-limit
 * 1` on a 5,000-host plan (bench/exact-bounds.ts) one reduction ran 4.5 s past it whenever the
 * limit fell inside it (a later solve in the same process, 5.2 s in all). The window also holds
 * the worker's loading of HiGHS (0.3 s, once) and the plan's passage to it.
 */
export const TIME_LIMIT_GRACE_SECONDS = 1.5;

/**
 * Solves the placement of `model` exactly in a worker thread (`solveExactSync` there), so the
 * caller never blocks. `timeLimitSeconds` (default 10) bounds the solve: where the worker runs
 * `TIME_LIMIT_GRACE_SECONDS` past it, it is terminated and the answer is the solve cut before it
 * began (`cutBeforeSolve`: the heuristic's placement, status `time-limit`). Physical plans and
 * plans without hosts resolve at once with the trivial result (nothing to place). Rejects when
 * the worker cannot start (e.g. `highs.wasm` missing), and with `ExactSolveAborted` as soon as
 * `signal` aborts (the worker is replaced; other solves go on). `graceSeconds`: tests only.
 */
export async function solveExact(
    model: PlanModel,
    options: ExactOptions = {},
    signal?: AbortSignal,
    graceSeconds = TIME_LIMIT_GRACE_SECONDS
): Promise<ExactResult> {
    if (signal?.aborted) throw new ExactSolveAborted();
    if (model.settings.platform === 'physical' || model.hosts.length === 0)
        return trivialResult(model, options.start ?? place(model));
    const limit = options.timeLimitSeconds ?? 10;
    try {
        return await solveInWorker(model, options, limit + graceSeconds, signal);
    } catch (e) {
        if (!(e instanceof ExactWorkerTimeout)) throw e;
        return cutBeforeSolve(model, options);
    }
}

/** The solver where none runs: a solve cut while its model is built reads only `infinity`. */
const NO_SOLVER = { infinity: Infinity } as unknown as Highs;

/**
 * The result of an exact solve cut before its solver ran, as one whose time limit passed while
 * its model was built: the heuristic's placement (`options.start`; day 2: the lock's), with the
 * levels it proves without a solver and the others `time-limit`. Needs no solver: a limit below
 * zero cuts at the model's first host. Never throws on a well-formed plan.
 */
export function cutBeforeSolve(model: PlanModel, options: ExactOptions = {}): ExactResult {
    return solveExactSync(NO_SOLVER, model, { ...options, timeLimitSeconds: -1 });
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
    let movesCounts: Int32Array | undefined; // the counts of the `moves` level's solution
    let placedBound = Number.NaN;
    let error: string | undefined;
    let stopped = false;
    const deadline = t0 + timeLimit * 1000;

    const startMeasures = measure(model, start);
    let pinnedCoresAll = 0;
    for (let h = 0; h < H; h++) pinnedCoresAll += pp.pinC[h];
    /** A bound on the cores placed that needs no solve (`placedCoresUpperBound`, pins added). */
    const knapsackBound = () =>
        Math.min(startMeasures.deployedCores, pinnedCoresAll + placedCoresUpperBound(model, pp));
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
    /** A level's value in a placement with measures `f` (not `moves`: see `startValue`). */
    const valueIn = (
        f: PlacementMeasures,
        p: PlacementResult,
        lv: Exclude<ExactLevel, 'moves'>
    ) => {
        switch (lv) {
            case 'placedCores':
                return f.placedCores;
            case 'maxRoleShort':
                return Math.max(...f.roleShort);
            case 'minRoleShort':
                return Math.min(...f.roleShort);
            case 'roleOnOneHost':
                return HostLoads.of(model, p.hostOf).onOneHost();
            default:
                return f[lv];
        }
    };
    /** The cores placed as fixed by the first level (the start's before it is solved). */
    const placedValue = () =>
        levels.find(l => l.level === 'placedCores')?.value ?? startMeasures.placedCores;
    // the start's counts per shape and host: the moves level's value reads them, also when the
    // model's build is cut (a newcomer's `--time-limit 0.001` with a lock read them before this)
    const startCounts = countsOf(model, pp, start);
    const startValue = (lv: ExactLevel): number =>
        lv === 'moves'
            ? movesOfCounts(pp, stay, movesInput!, startCounts, H)
            : valueIn(startMeasures, start, lv);

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
            placedCoresBound: trivially('placedCores')
                ? startMeasures.placedCores
                : knapsackBound(),
            deployedCores: startMeasures.deployedCores,
            maxUtilisation: busiestHost(model, start),
            seconds: (performance.now() - t0) / 1000
        };
    }
    const { lower, upper, integ, rows, y, exprs } = built;
    const movesExpr = exprs.get('moves');

    // ---- the start: the heuristic's counts (above), completed level by level
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
            if (li > 0 && order[li - 1] === 'moves')
                movesCounts = current ? countsOfSolution(current) : startCounts;
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
            // the busiest host's least value at the cores placed: the solver's bound, and a
            // start reaching it is proved without a solve
            const least =
                lv === 'maxUtil'
                    ? busiestHostBound(
                          model,
                          pp,
                          built,
                          placedValue() - exprs.get('placedCores')!.constant
                      )
                    : 0;
            if (least > 0) m.addRow(least, INF, { indices: [e.cols[0]], values: [1] });
            const reached = lv === 'maxUtil' && least > 0 && startValue(lv) <= least + 2e-9;
            if ((reached || trivially(lv)) && (current === undefined || sameAsStart(current))) {
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
        // the levels after `moves` may spend `rebalance_moves` further moves, but no more than
        // their values need: with every level fixed, the fewest moves (a newcomer's 3-host plan
        // moved 3 instances where 2 give the same spread, mix and busiest host)
        if (budget > 0 && movesExpr && current && status !== 'infeasible') {
            const left = (deadline - performance.now()) / 1000;
            if (
                left > 0.01 &&
                !stopped &&
                !options.stopWhen?.() &&
                !(options.lp && options.lp.left <= 0)
            ) {
                const cost = new Array<number>(nCols).fill(0);
                movesExpr.cols.forEach((c, k) => (cost[c] += movesExpr.sense * movesExpr.vals[k]));
                m.changeColsCost({ kind: 'range', from: 0, to: nCols - 1 }, cost);
                if (Number.isFinite(left)) m.options.set('time_limit', Math.max(0.01, left));
                try {
                    m.setSolution({ colValue: current });
                } catch {
                    /* a start is optional */
                }
                const run = runMip(highs, m, options.stopWhen, options.lp);
                if (run.stopped) stopped = true;
                const fewer = run.x;
                const movesOf = (x: number[]) =>
                    movesOfCounts(pp, stay, movesInput!, countsOfSolution(x), H);
                if (fewer && movesOf(fewer) < movesOf(current)) current = fewer;
            }
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
    const fromStart = status === 'time-limit' && current && levels.length > 0 && startIsBetter();
    if (fromStart) current = undefined;
    /** Whether the start's level values are lexicographically better than the solve's. */
    function startIsBetter(): boolean {
        // as minimised: a level that is maximised counts with its sign turned
        const minimised = (value: (l: ExactLevelResult) => number) =>
            levels.map(l => (exprs.get(l.level)?.sense ?? 1) * value(l));
        return lexLess(
            minimised(l => startValue(l.level)),
            minimised(l => l.value)
        );
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
    // rebalance moves whose migration order is blocked are given back (exact-unblock.ts)
    const day2 = locked && lock ? { planned, cap: model, lock, locked, pp, start, budget } : null;
    const unblocked =
        day2 && placement !== start ? unblockRebalance({ ...day2, placement, levels }) : undefined;
    if (unblocked) placement = unblocked.placement;
    const f = measure(model, placement);
    // a cut solve's levels as the placement shown has them: the solver's auxiliaries need not be
    // tight short of the optimum (a newcomer's plan: "13 hosts running one role" of a placement
    // with none), and the start's when it is shown
    if (status === 'time-limit' && levels.length > 0) {
        // the moves as counted on the solution's counts (`record`), or the start's
        const shown = (l: ExactLevelResult): number =>
            l.level !== 'moves'
                ? valueIn(f, placement, l.level)
                : fromStart
                  ? startValue('moves')
                  : l.value;
        levels.splice(
            0,
            levels.length,
            ...levels.map(l => {
                const value = shown(l);
                const status: ExactLevelResult['status'] =
                    value !== l.bound
                        ? 'time-limit'
                        : l.status === 'time-limit'
                          ? 'optimal'
                          : l.status;
                return { ...l, value, status };
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
    // no bound from the solver: the placement's own figure where that level was settled (proved
    // or trivial), else one that needs no solve (a newcomer's cut solve said "no placement places
    // more than 72778" of a plan that places all 75508)
    if (Number.isNaN(placedBound))
        placedBound =
            levels.find(l => l.level === 'placedCores')?.status === 'time-limit'
                ? Math.max(f.placedCores, knapsackBound())
                : f.placedCores;
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
        ...(unblocked ? { rebalanceDropped: unblocked.dropped } : {}),
        ...(locked ? { delta: exactDelta(planned, locked, pp, placement.hostOf, movesCounts) } : {})
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
export function countsOf(model: PlanModel, pp: PinnedPlan, p: PlacementResult): Int32Array {
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
