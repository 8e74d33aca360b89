/**
 * Rule 2 of the exact fallback by packing patterns (issue 15: the fallback within a bounded
 * time). The aggregate model of `exact-model.ts` (counts y[s][h] under capacity rows) has a weak
 * LP relaxation on plans whose pieces fragment the hosts (bench/adversarial.ts's
 * `fragmentingPlan`): HiGHS then spends seconds separating cuts at the root, and no option bounds
 * that. Here the hosts are grouped into classes of equal free capacity, and each class chooses
 * among its maximal packings (Gilmore and Gomory's cutting-stock formulation):
 *
 *   x[c][p] ∈ ℕ   hosts of class c that take pattern p;   Σ_p x[c][p] ≤ |c|
 *   q[s]    ∈ ℕ   free instances of shape s placed;         q[s] ≤ min(free[s], Σ a[p][s]·x[c][p])
 *
 * Its LP relaxation is the convex hull of each host's packings, so the root closes with few or
 * no cuts, and alike hosts are one column per pattern (no symmetry to break). The set of q that
 * some placement reaches is the aggregate model's, so the two levels solved here — `placedCores`,
 * then `maxRoleShort` / `minRoleShort` as one solve (W·zmax − zmin, as `solveExactSync`) — have
 * the same optima. Maximal patterns need a host with a few large pieces: where the enumeration
 * passes `PATTERN_LIMIT` patterns or `PATTERN_WORK` search steps (a plan of 1-vCPU proxies on
 * 64-vCPU hosts), `solveByPatterns` declines and the caller uses the aggregate model, which is
 * fast on such plans. Where all free instances may fit and the model's answer leaves some out
 * unproved, neighbourhoods of hosts are re-packed exactly (exact-repair.ts). Pure: the solver is
 * passed in.
 */
import type { Highs } from 'highs';
import type { PlanModel } from './model.js';
import { EPS } from './objective.js';
import type { PinnedPlan } from './pins.js';
import { runMip } from './exact-runtime.js';
import type { LpBudget } from './exact-types.js';
import { rowsToCsr, type Row } from './exact-model.js';
import { REPAIR_WORK, repairByNeighbourhoods } from './exact-repair.js';
import { generateColumns, seedPatterns, seedSolution, type HostClass } from './exact-columns.js';
import {
    boundedWastePatterns,
    EXACT_FILL_WASTE_LIMITS,
    FULL_SEARCH_WORK,
    GIB_EPS,
    mostThatFit,
    searchFullPlacement,
    WASTE_LIMITS,
    type WasteLimits
} from './exact-waste.js';

/**
 * Most maximal packing patterns, all host classes together, before the model is declined. The
 * pattern model's root grows with its columns: on the bench's quality plans above about 1,500
 * patterns the aggregate model was the faster (q_near_full_30: 2,201 patterns, 0.79 s against
 * 0.02 s; q_issue_40: 1,869, 0.87 s against 0.05 s), while the fragmenting plans have 138–192
 * (0.03–0.7 s against 0.2–1.6 s) and their variants on hosts three times as large 692–1,257.
 */
export const PATTERN_LIMIT = 1_500;

/** Most steps of the pattern enumeration (a depth-first search), counted, not timed. */
export const PATTERN_WORK = 400_000;

/**
 * Search steps of the repair of the seed (the heuristic's placement) before column generation,
 * half of `REPAIR_WORK`: where it places all it needed at most 3.5 M on the dealt plans and
 * 2.4 M on a newcomer's (racks-11); where it falls short its steps come on top of the MIP's
 * (0.6–1.4 s). On a later newcomer's plans that fill vCPUs exactly with 2–13-vCPU VMs it never
 * placed all: 6 M made 88 of them take 42 s of CPU together (33 s without the first repair),
 * 3 M 39 s, with the same 85 placed fully; the dealt sweep kept 86 of 90 full (87 with 6 M).
 */
export const FIRST_REPAIR_WORK = 3_000_000;

/** What `solveByPatterns` found. */
export interface PatternSolve {
    /** counts[s * H + h]: free instances of shape s on host h (pins apart). */
    readonly counts: Int32Array;
    /** vCPUs of free instances placed (pins apart). */
    readonly placedFreeCores: number;
    /** Whether `placedFreeCores` is proved the most placeable (the node budget was not hit). */
    readonly proved: boolean;
    /** Whether `stopWhen` interrupted a solve (the caller discards the answer). */
    readonly stopped: boolean;
    /**
     * Patterns in the model that answered, all host classes together: maximal ones, generated
     * ones, or those of bounded waste; 0 when the full-placement search answered without a model.
     */
    readonly patterns: number;
    /**
     * Whether the neighbourhood repair (exact-repair.ts) ran on this answer and it still leaves
     * free instances unplaced: the caller's aggregate model then gains nothing (see
     * exact-fallback.ts).
     */
    readonly repairedShort?: boolean;
}

/** Options of `solveByPatterns`. */
export interface PatternOptions {
    /** HiGHS `mip_max_nodes` per solve (work, not time). */
    readonly maxNodes: number;
    /** Polled at HiGHS's interrupt checkpoints; true stops the solve. */
    readonly stopWhen?: () => boolean;
    /** LP iterations all solves may use together (work, not time); a solve cut by it keeps its incumbent. */
    readonly lp?: LpBudget;
    /** Solve the role pair only when level 1 places more free vCPUs than this. */
    readonly stopUnlessFreeAbove?: number;
    /** Override of `PATTERN_LIMIT` (tests). */
    readonly maxPatterns?: number;
    /**
     * A placement to start from, as counts[s * H + h] of free instances (the heuristic's): with
     * it, a plan whose patterns are too many to enumerate is solved by column generation (its
     * hosts' packings are the first columns) instead of declined.
     */
    readonly seed?: Int32Array;
    /** Override of `WASTE_LIMITS` (tests). */
    readonly wasteLimits?: WasteLimits;
    /** Override of `FULL_SEARCH_WORK` (tests). */
    readonly searchWork?: number;
    /** Override of `REPAIR_WORK` (tests; 0: no repair). */
    readonly repairWork?: number;
    /** Override of `FIRST_REPAIR_WORK` (tests; 0: no repair before column generation). */
    readonly firstRepairWork?: number;
}

/**
 * Rule 2 (most vCPUs placed, then the shortfall shared evenly between the roles) by packing
 * patterns, for `place`'s exact fallback: the free instances' counts per host, or `undefined`
 * when the patterns are too many (see `PATTERN_LIMIT`) or the solver fails — the caller then
 * uses the aggregate model. Where all free instances may fit (by totals) and neither listing
 * nor the bounded-waste patterns answer, the seed is first repaired by neighbourhoods
 * (exact-repair.ts); only where that falls short does column generation run, from the seed,
 * its answer repaired in turn, and the better of the two is the answer. Hosts whose pins
 * overcommit them and hosts without usable vCPUs take nothing. vCPUs must be whole numbers (the
 * spec); a plan with others is declined. Never throws.
 */
export function solveByPatterns(
    highs: Highs,
    model: PlanModel,
    pp: PinnedPlan,
    options: PatternOptions
): PatternSolve | undefined {
    const H = model.hosts.length;
    const { S, sC, free } = pp;
    for (let s = 0; s < S; s++)
        if (free[s] > 0 && !(Number.isInteger(sC[s]) && sC[s] > 0)) return undefined;
    const classes = hostClasses(model, pp);
    // where all may fit: first a full placement by bin completion (exact-waste.ts), quick where
    // one exists and the solver's root is slow
    const idle = idleCapacity(classes, pp);
    const search = idle && bySearch(pp, H, classes, idle, options);
    if (search && search !== 'none') return search;
    // a short answer where all may fit: neighbourhoods re-packed exactly (exact-repair.ts)
    const repaired = (r: PatternSolve | undefined) =>
        idle && search !== 'none' ? withRepair(r, pp, H, classes, options.repairWork) : r;
    if (enumeratePatterns(classes, pp, options.maxPatterns ?? PATTERN_LIMIT))
        return repaired(solvePatternModel(highs, pp, H, classes, options, false));
    // then the packings that leave at most the plan's idle capacity idle, where few
    const bounded =
        idle && search !== 'none' && byBoundedWaste(highs, pp, H, classes, idle, options);
    if (bounded && bounded !== 'none') return bounded;
    if (!options.seed) return undefined;
    // where all may fit: the seed (the heuristic's placement) repaired first — on the dealt and
    // newcomer plans it placed all in 0.1–0.6 s where the generated columns' MIP took 1–3 s
    // before its own answer's repair did (bench/quality/FINDINGS.md, session 10)
    let first: PatternSolve | undefined;
    if (idle && search !== 'none' && bounded !== 'none') {
        const seed = options.seed;
        const start = { counts: seed, placedFreeCores: placedCounts(pp, H, seed) };
        first = withRepair(
            { ...start, proved: false, stopped: false, patterns: 0 },
            pp,
            H,
            classes,
            options.firstRepairWork ?? FIRST_REPAIR_WORK
        );
        if (first?.proved) return first;
    }
    seedPatterns(classes, pp, options.seed, H);
    // with no full placement, an answer one vCPU short of all is proved
    const none = search === 'none' || bounded === 'none';
    const r = solvePatternModel(highs, pp, H, classes, options, true, none);
    const last = none ? r : repaired(r);
    // the MIP starts from the heuristic's placement, not the first repair's: from there it lost
    // full placements the heuristic's start gave (2 of the 90 dealt plans); the better answer
    return first && last && !last.stopped && first.placedFreeCores > last.placedFreeCores
        ? first
        : last;
}

/**
 * `r` with more free instances placed by `repairByNeighbourhoods` where it leaves some unplaced
 * and is neither stopped nor proved the most placeable: proved where the repair places them all, else unproved (a repair that
 * places more shows `r` was not the most). `r` itself where the repair places nothing more.
 */
function withRepair(
    r: PatternSolve | undefined,
    pp: PinnedPlan,
    H: number,
    classes: readonly HostClass[],
    work = REPAIR_WORK
): PatternSolve | undefined {
    const all = freeTotal(pp);
    if (!r || r.stopped || r.proved || r.placedFreeCores >= all - EPS) return r;
    const hosts = hostsOfClasses(classes);
    const counts = repairByNeighbourhoods(hosts, pp, H, r.counts, work);
    if (!counts) return { ...r, repairedShort: true };
    let placed = 0;
    for (let s = 0; s < pp.S; s++)
        for (const x of hosts) placed += counts[s * H + x.host] * pp.sC[s];
    const full = placed >= all - EPS;
    return { ...r, counts, placedFreeCores: placed, proved: full, repairedShort: !full };
}

/** The free vCPUs and GiB the hosts would leave idle with every free instance placed. */
interface IdleCapacity {
    readonly cores: number;
    readonly memoryGiB: number;
}

/** The plan's idle capacity (see `IdleCapacity`); `undefined` when not all free instances fit. */
function idleCapacity(classes: readonly HostClass[], pp: PinnedPlan): IdleCapacity | undefined {
    let cores = 0,
        memoryGiB = 0;
    for (const c of classes) {
        cores += c.cores * c.hosts.length;
        memoryGiB += c.memoryGiB * c.hosts.length;
    }
    for (let s = 0; s < pp.S; s++) {
        cores -= pp.sC[s] * pp.free[s];
        memoryGiB -= pp.sM[s] * pp.free[s];
    }
    return cores >= 0 && memoryGiB >= -GIB_EPS ? { cores, memoryGiB } : undefined;
}

/**
 * Every free instance placed by bin completion (`searchFullPlacement`, work-counted): the
 * answer, proved; 'none' when the search proves no full placement exists; `undefined` when it
 * stops on its work.
 */
function bySearch(
    pp: PinnedPlan,
    H: number,
    classes: readonly HostClass[],
    idle: IdleCapacity,
    options: PatternOptions
): PatternSolve | 'none' | undefined {
    const hosts = hostsOfClasses(classes);
    const found = searchFullPlacement(
        hosts,
        pp,
        idle.cores,
        idle.memoryGiB,
        options.searchWork ?? FULL_SEARCH_WORK
    );
    if (found.kind !== 'found') return found.kind === 'none' ? 'none' : undefined;
    const counts = new Int32Array(pp.S * H);
    hosts.forEach((x, k) => {
        for (let s = 0; s < pp.S; s++) counts[s * H + x.host] = found.counts[s * hosts.length + k];
    });
    return { counts, placedFreeCores: freeTotal(pp), proved: true, stopped: false, patterns: 0 };
}

/**
 * Every free instance placed by the pattern model over the packings that leave at most the
 * plan's idle capacity idle (`boundedWastePatterns`: all a full placement can use). The answer
 * where it places all (or a stopped solve); 'none' when the solver proves none does; `undefined`
 * when the packings are too many or the solver does not tell.
 */
function byBoundedWaste(
    highs: Highs,
    pp: PinnedPlan,
    H: number,
    classes: readonly HostClass[],
    idle: IdleCapacity,
    options: PatternOptions
): PatternSolve | 'none' | undefined {
    const exactFill = idle.cores < 1 - EPS && idle.memoryGiB < GIB_EPS;
    const tight = boundedWastePatterns(
        classes,
        pp,
        idle.cores,
        idle.memoryGiB,
        options.wasteLimits ?? (exactFill ? EXACT_FILL_WASTE_LIMITS : WASTE_LIMITS)
    );
    if (!tight) return undefined;
    const bounded = classes.map((c, k) => ({ ...c, patterns: tight[k].filter(p => p.length > 0) }));
    const r = solvePatternModel(highs, pp, H, bounded, options, false);
    if (r?.stopped || (r && r.placedFreeCores >= freeTotal(pp) - EPS)) return r;
    return r?.proved ? 'none' : undefined;
}

/**
 * The pattern model over `classes`' patterns, level 1 then the role pair (see
 * `solveByPatterns`); with `generate`, the patterns are the first columns of column generation.
 * `noFullPlacement`: proved that not every free instance fits, so that an answer one vCPU short
 * of all is proved with generated columns too (vCPUs are whole). `undefined` when the solver fails.
 */
function solvePatternModel(
    highs: Highs,
    pp: PinnedPlan,
    H: number,
    classes: HostClass[],
    options: PatternOptions,
    generate: boolean,
    noFullPlacement = false
): PatternSolve | undefined {
    const { S, sC, sRole, free } = pp;
    // columns: x[c][p] for every class and pattern, then q[s], then zmax, zmin
    const lower: number[] = [],
        upper: number[] = [],
        integ: (0 | 1)[] = [];
    const addCol = (lo: number, hi: number, integer: boolean) => {
        lower.push(lo);
        upper.push(hi);
        integ.push(integer ? 1 : 0);
        return lower.length - 1;
    };
    const xCols: number[][] = classes.map(c =>
        c.patterns.map(() => addCol(0, c.hosts.length, true))
    );
    const q = Array.from({ length: S }, (_, s) => addCol(0, free[s], true));
    const INF = highs.infinity;
    const zmax = addCol(0, INF, false),
        zmin = addCol(0, INF, false);

    const rows: Row[] = [];
    const classRow = classes.map(() => -1);
    classes.forEach((c, k) => {
        if (c.patterns.length === 0) return;
        classRow[k] = rows.length;
        rows.push({ cols: xCols[k], vals: xCols[k].map(() => 1), lo: -INF, hi: c.hosts.length });
    });
    const shapeRow = Array.from({ length: S }, (_, s) => rows.length + s);
    // q[s] − Σ a[p][s]·x[c][p] ≤ 0
    const perShape: Row[] = q.map(j => ({ cols: [j], vals: [1], lo: -INF, hi: 0 }));
    classes.forEach((c, k) =>
        c.patterns.forEach((p, j) => {
            for (const [s, n] of p) {
                perShape[s].cols.push(xCols[k][j]);
                perShape[s].vals.push(-n);
            }
        })
    );
    rows.push(...perShape);
    // the role pair: zmax ≥ F_r − Σ c·q (zmax + Σ c·q ≥ F_r), zmin ≤ F_r − Σ c·q
    const roleFree = [0, 0, 0];
    for (let s = 0; s < S; s++) roleFree[sRole[s]] += sC[s] * free[s];
    for (let r = 0; r < 3; r++) {
        const cols: number[] = [],
            vals: number[] = [];
        for (let s = 0; s < S; s++)
            if (sRole[s] === r && free[s] > 0) {
                cols.push(q[s]);
                vals.push(sC[s]);
            }
        rows.push({ cols: [zmax, ...cols], vals: [1, ...vals], lo: roleFree[r], hi: INF });
        rows.push({ cols: [zmin, ...cols], vals: [1, ...vals], lo: -INF, hi: roleFree[r] });
    }
    const { starts, indices, values } = rowsToCsr(rows);
    const nCols = lower.length;
    let m: ReturnType<Highs['createModel']> | undefined;
    let stopped = false;
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
                starts,
                indices,
                values
            },
            integrality: integ
        });
        const model_ = m;
        model_.options.set({
            output_flag: false,
            mip_rel_gap: 0,
            mip_abs_gap: 1e-7,
            random_seed: 1,
            mip_max_nodes: Math.max(1, Math.floor(options.maxNodes)),
            // HiGHS's presolve gains nothing on a model this small and, on generated columns
            // of plans dealt onto hosts sized to what each was dealt (bench/adversarial.ts),
            // made the root take 2–6 s where it takes 0.1–1 s without (issue 15)
            presolve: 'off'
        });
        const run = (): { optimal: boolean; x?: number[] } => {
            const r = runMip(highs, model_, options.stopWhen, options.lp);
            if (r.stopped) stopped = true;
            return { optimal: r.modelStatus === highs.constants.modelStatus.optimal, x: r.x };
        };
        // level 1: the most free vCPUs placed
        const cost1 = new Array<number>(nCols).fill(0);
        for (let s = 0; s < S; s++) cost1[q[s]] = -sC[s];
        model_.changeColsCost({ kind: 'range', from: 0, to: nCols - 1 }, cost1);
        // too many patterns to list: the LP's own columns, priced by a knapsack per class
        const generated = !generate
            ? undefined
            : generateColumns(highs, model_, classes, xCols, classRow, shapeRow, q, pp, nCols);
        const cols = (n: number) => new Array<number>(n).fill(0);
        const nAll = nCols + (generated?.added ?? 0);
        if (generated) {
            const types = new Array<0 | 1>(nAll).fill(1);
            types[zmax] = 0;
            types[zmin] = 0;
            model_.changeColsIntegrality({ kind: 'range', from: 0, to: nAll - 1 }, types);
            try {
                model_.setSolution({
                    colValue: seedSolution(classes, xCols, q, pp, options.seed!, nAll)
                });
            } catch {
                /* a start is optional */
            }
        }
        const first = run();
        if (!first.x || stopped) return stopped ? stoppedAnswer(S, H) : undefined;
        let x = first.x;
        const placed = placedOf(x, q, sC);
        if (options.stopUnlessFreeAbove === undefined || placed > options.stopUnlessFreeAbove) {
            // level 2 with level 1 fixed: W·zmax − zmin, W above zmin's range
            const W = freeTotal(pp) + 1;
            model_.addRow(placed - 0.5, INF, { indices: q, values: q.map((_, s) => sC[s]) });
            const cost2 = cols(nAll);
            cost2[zmax] = W;
            cost2[zmin] = -1;
            model_.changeColsCost({ kind: 'range', from: 0, to: nAll - 1 }, cost2);
            try {
                model_.setSolution({
                    colValue: withRoleColumns(x, q, sC, sRole, free, zmax, zmin)
                });
            } catch {
                /* a start is optional */
            }
            const second = run();
            if (stopped) return stoppedAnswer(S, H);
            if (second.x && placedOf(second.x, q, sC) >= placed) x = second.x;
        }
        return {
            counts: countsOfPatterns(classes, xCols, x, q, S, H),
            placedFreeCores: placed,
            // with generated columns the MILP's optimum is the plan's only where it meets the LP
            // bound (whole vCPUs: its floor)
            proved:
                first.optimal &&
                (generated === undefined ||
                    (generated.converged && placed >= Math.floor(generated.bound + 1e-6)) ||
                    (noFullPlacement && placed >= freeTotal(pp) - 1)),
            stopped: false,
            patterns: classes.reduce((a, c) => a + c.patterns.length, 0)
        };
    } catch {
        return stopped ? stoppedAnswer(S, H) : undefined;
    } finally {
        m?.dispose();
    }
}

/** Every host of `classes`, each with its class's free vCPUs and GiB and its index (`host`). */
function hostsOfClasses(classes: readonly HostClass[]) {
    return classes.flatMap(c => c.hosts.map(host => ({ ...c, host })));
}

/** vCPUs of all free (unpinned) instances. */
function freeTotal(pp: PinnedPlan): number {
    let c = 0;
    for (let s = 0; s < pp.S; s++) c += pp.sC[s] * pp.free[s];
    return c;
}

function stoppedAnswer(S: number, H: number): PatternSolve {
    return {
        counts: new Int32Array(S * H),
        placedFreeCores: 0,
        proved: false,
        stopped: true,
        patterns: 0
    };
}

/** The vCPUs `counts` places (counts[s * H + h]). */
function placedCounts(pp: PinnedPlan, H: number, counts: Int32Array): number {
    let c = 0;
    for (let s = 0; s < pp.S; s++) for (let h = 0; h < H; h++) c += counts[s * H + h] * pp.sC[s];
    return c;
}

function placedOf(x: readonly number[], q: readonly number[], sC: Float64Array): number {
    let c = 0;
    q.forEach((j, s) => (c += Math.round(x[j]) * sC[s]));
    return c;
}

/** A full start for level 2: level 1's solution with zmax, zmin set to its role shortfalls. */
function withRoleColumns(
    x: readonly number[],
    q: readonly number[],
    sC: Float64Array,
    sRole: Int32Array,
    free: readonly number[],
    zmax: number,
    zmin: number
): number[] {
    const short = [0, 0, 0];
    q.forEach((j, s) => (short[sRole[s]] += sC[s] * (free[s] - Math.round(x[j]))));
    const out = [...x];
    out[zmax] = Math.max(...short);
    out[zmin] = Math.min(...short);
    return out;
}

/**
 * The hosts that can take free instances, grouped by free vCPUs and GiB beside their pins (in
 * the order of their first host; hosts in index order within a class).
 */
function hostClasses(model: PlanModel, pp: PinnedPlan): HostClass[] {
    const over = new Set(pp.overcommitted.map(o => o.host));
    const byKey = new Map<string, HostClass>();
    model.hosts.forEach((host, h) => {
        if (over.has(h) || host.usableCores <= 0) return;
        const cores = Math.floor(host.usableCores - pp.pinC[h] + EPS),
            memoryGiB = host.usableMemoryGiB - pp.pinM[h];
        if (cores <= 0) return;
        const key = `${cores}|${memoryGiB}`;
        const c = byKey.get(key);
        if (c) c.hosts.push(h);
        else byKey.set(key, { hosts: [h], cores, memoryGiB, patterns: [] });
    });
    return [...byKey.values()];
}

/**
 * Fills each class's maximal patterns: multisets of free pieces within its vCPUs and GiB (at
 * most the free instances of each shape) to which no further free piece fits. False when the
 * patterns pass `limit` or the search passes `PATTERN_WORK` steps.
 */
function enumeratePatterns(classes: HostClass[], pp: PinnedPlan, limit: number): boolean {
    const { S, sC, sM, free } = pp;
    const shapes: number[] = [];
    for (let s = 0; s < S; s++) if (free[s] > 0) shapes.push(s);
    let total = 0,
        work = 0;
    const count = new Int32Array(S);
    for (const c of classes) {
        const fits = (s: number, cl: number, ml: number) =>
            count[s] < free[s] && sC[s] <= cl + EPS && sM[s] <= ml + GIB_EPS;
        const dfs = (k: number, cl: number, ml: number): boolean => {
            if (++work > PATTERN_WORK) return false;
            if (k === shapes.length) {
                if (shapes.some(s => fits(s, cl, ml))) return true; // not maximal
                const p: [number, number][] = [];
                for (const s of shapes) if (count[s] > 0) p.push([s, count[s]]);
                if (p.length === 0) return true;
                c.patterns.push(p);
                return ++total <= limit;
            }
            const s = shapes[k];
            const most = mostThatFit(pp, s, cl, ml);
            for (let n = Math.max(0, most); n >= 0; n--) {
                count[s] = n;
                if (!dfs(k + 1, cl - n * sC[s], ml - n * sM[s])) return false;
            }
            count[s] = 0;
            return true;
        };
        if (!dfs(0, c.cores, c.memoryGiB)) return false;
    }
    return true;
}

/**
 * Per-host counts from a pattern solution: each class's hosts take its patterns in order (as
 * many hosts as x says), then the pieces above q[s] (a pattern may hold more of a shape than is
 * placed) come off the last hosts first.
 */
function countsOfPatterns(
    classes: readonly HostClass[],
    xCols: readonly (readonly number[])[],
    x: readonly number[],
    q: readonly number[],
    S: number,
    H: number
): Int32Array {
    const counts = new Int32Array(S * H);
    const given = new Int32Array(S);
    classes.forEach((c, k) => {
        let next = 0;
        c.patterns.forEach((p, j) => {
            const n = Math.round(x[xCols[k][j]]);
            for (let t = 0; t < n && next < c.hosts.length; t++, next++) {
                const h = c.hosts[next];
                for (const [s, a] of p) {
                    counts[s * H + h] += a;
                    given[s] += a;
                }
            }
        });
    });
    for (let s = 0; s < S; s++) {
        let surplus = given[s] - Math.round(x[q[s]]);
        for (let h = H - 1; h >= 0 && surplus > 0; h--) {
            const take = Math.min(surplus, counts[s * H + h]);
            counts[s * H + h] -= take;
            surplus -= take;
        }
    }
    return counts;
}
