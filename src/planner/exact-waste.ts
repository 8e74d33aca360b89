/**
 * Packings of bounded waste, for the pattern model of a plan whose free instances fit its hosts
 * only just (issue 15: plans made by dealing VMs onto hosts sized to what they were dealt, where
 * the maximal packings are too many to list and generated columns missed the ones a full
 * placement needs).
 *
 * In a placement that places every free instance, the vCPUs left idle on all hosts together are
 * exactly the free vCPUs beside the pins minus the free instances' vCPUs (`W_c`), and likewise
 * for memory (`W_m`). So each host's packing leaves at most `W_c` vCPUs and `W_m` GiB idle, and
 * the packings within those bounds — maximal or not — are all a full placement can use: the
 * pattern model over them has a full placement exactly when the plan has one. Where `W_c` is a
 * few vCPUs the bound leaves few packings per host even with a dozen shapes, where the maximal
 * packings number millions. The search (depth first, shapes largest first) prunes with, per
 * suffix of the shapes and per vCPU total, the least and most memory that suffix can add
 * (a dynamic programme over vCPUs, shared by all hosts), so a branch is cut as soon as no
 * completion reaches both floors. Work is counted, not timed. Pure.
 */
import { EPS } from './objective.js';
import type { PinnedPlan } from './pins.js';

/** Memory slack when comparing GiB (sums of binary fractions drift). */
export const GIB_EPS = 1e-6;

/** A host class of the pattern model: its hosts' free vCPUs (whole) and free GiB. */
export interface WasteClass {
    readonly cores: number;
    readonly memoryGiB: number;
}

/** Limits of `boundedWastePatterns` (work, not time). */
export interface WasteLimits {
    /** Most packings, all classes together. */
    readonly patterns: number;
    /** Most search steps, all classes together. */
    readonly work: number;
}

/**
 * Default limits: the pattern model stays a MILP HiGHS solves in well under a second (on the
 * dealt plans of bench/adversarial.ts, 1,292 packings took 0.66 s, 3,931 took 3.2 s); the
 * search about 0.6 s of CPU at most.
 */
export const WASTE_LIMITS: WasteLimits = { patterns: 1_500, work: 2_000_000 };

/**
 * Limits where the plan has no idle capacity at all (every host filled exactly, in vCPUs and in
 * GiB): the packings are then few, but the search's memory ranges prune late, so it may take ten
 * times the work (bench/adversarial.ts's dealt_3_500: 513 packings after 20 M steps, 0.5 s of
 * CPU; it, dealt_1_1000 and dealt_5_1000 were placed fully only so).
 */
export const EXACT_FILL_WASTE_LIMITS: WasteLimits = { patterns: 1_500, work: 20_000_000 };

/**
 * Every packing of each class (at most the free instances of each shape, within its vCPUs and
 * GiB) that leaves at most `idleCores` vCPUs and `idleMemoryGiB` GiB of it idle, as [shape,
 * count] pairs (the empty packing included where the class may stay empty). `undefined` when the
 * packings pass `limits.patterns` or the search passes `limits.work` steps. vCPUs must be whole
 * (the caller checks). Never throws.
 */
export function boundedWastePatterns(
    classes: readonly WasteClass[],
    pp: PinnedPlan,
    idleCores: number,
    idleMemoryGiB: number,
    limits: WasteLimits = WASTE_LIMITS
): [number, number][][][] | undefined {
    const { S, sC, sM } = pp;
    const wc = Math.floor(idleCores + EPS);
    if (wc < 0 || idleMemoryGiB < -GIB_EPS) return [];
    const wm = Math.max(0, idleMemoryGiB);
    const shapes = largestFirst(pp);
    const K = shapes.length;
    const table = memoryByCores(shapes, pp, maxCores(classes));

    const out: [number, number][][][] = [];
    let total = 0;
    // the table's filling counts as the search's looks do
    const meter: Meter = { steps: table.ops / 8 };
    const count = new Int32Array(S);
    for (const c of classes) {
        const found: [number, number][][] = [];
        out.push(found);
        const reachable = completion(table, c, wc, wm, meter);
        const dfs = (k: number, u: number, v: number): boolean => {
            if (++meter.steps > limits.work) return false;
            if (k === K) {
                const p: [number, number][] = [];
                for (const s of shapes) if (count[s] > 0) p.push([s, count[s]]);
                p.sort((a, b) => a[0] - b[0]);
                found.push(p);
                return ++total <= limits.patterns;
            }
            const s = shapes[k];
            const most = mostThatFit(pp, s, c.cores - u, c.memoryGiB - v);
            for (let n = Math.max(0, most); n >= 0; n--) {
                const u2 = u + n * sC[s],
                    v2 = v + n * sM[s];
                if (!reachable(k + 1, u2, v2)) continue;
                count[s] = n;
                if (!dfs(k + 1, u2, v2)) return false;
            }
            count[s] = 0;
            return true;
        };
        if (c.cores > 0 && reachable(0, 0, 0) && !dfs(0, 0, 0)) return undefined;
    }
    return out;
}

/**
 * For each suffix k of the shapes and each vCPU total t ≤ `cMax`: the least (`lo`) and most
 * (`hi`) GiB that instances of shapes k.. totalling exactly t vCPUs hold; `Infinity` /
 * `-Infinity` where no such set exists. Indexed [k * T + t] (T = cMax + 1); the last suffix (no
 * shapes) reaches only t = 0. `ops`: the steps it took to fill.
 */
interface MemoryTable {
    readonly lo: Float64Array;
    readonly hi: Float64Array;
    readonly cMax: number;
    readonly T: number;
    readonly ops: number;
}

/** The free shapes, largest first (vCPUs, then GiB, then index): the searches' order. */
function largestFirst(pp: PinnedPlan): number[] {
    const { S, sC, sM, free } = pp;
    const shapes: number[] = [];
    for (let s = 0; s < S; s++) if (free[s] > 0) shapes.push(s);
    return shapes.sort((a, b) => sC[b] - sC[a] || sM[b] - sM[a] || a - b);
}

/** The most vCPUs of any of `hosts`. */
function maxCores(hosts: readonly WasteClass[]): number {
    return hosts.reduce((m, c) => Math.max(m, c.cores), 0);
}

/** The search steps a search has taken (its table looks included), against its work limit. */
interface Meter {
    steps: number;
}

/**
 * The test of both searches' pruning for host `c`: whether some packing of shapes d.. (as
 * `table` allows) takes it from `u` vCPUs and `v` GiB to within `wc` vCPUs and `wm` GiB of
 * full. Counts its looks into `meter`. Made once per host and search level, with the table and
 * the host in locals: the searches call it tens of millions of times (a newcomer's 194-VM plan:
 * 100 M looks, 3.6 s of CPU as a function of eight arguments).
 */
function completion(
    table: MemoryTable,
    c: WasteClass,
    wc: number,
    wm: number,
    meter: Meter
): (d: number, u: number, v: number) => boolean {
    const { lo, hi, cMax, T } = table;
    const cores = c.cores;
    const mFloor = c.memoryGiB - wm - GIB_EPS,
        mCap = c.memoryGiB + GIB_EPS;
    return (d, u, v) => {
        const from = Math.max(0, cores - wc - u),
            to = Math.min(cMax, cores - u);
        // a look at the table costs about an eighth of a search step; on hosts of hundreds of
        // vCPUs with as many idle, uncounted looks took 14 s of a newcomer's 194-VM plan
        meter.steps += Math.max(1, to - from + 1) / 8;
        const base = d * T;
        for (let t = from; t <= to; t++) {
            const a = lo[base + t];
            if (a !== Infinity && v + a <= mCap && v + hi[base + t] >= mFloor) return true;
        }
        return false;
    };
}

/**
 * The most instances of shape s that fit in `cores` vCPUs and `memoryGiB` GiB, at most `left`
 * (default: its free instances).
 */
export function mostThatFit(
    pp: PinnedPlan,
    s: number,
    cores: number,
    memoryGiB: number,
    left = pp.free[s]
): number {
    const { sC, sM } = pp;
    return Math.min(
        left,
        Math.floor((cores + EPS) / sC[s]),
        sM[s] > 0 ? Math.floor((memoryGiB + GIB_EPS) / sM[s]) : left
    );
}

/**
 * The `MemoryTable` of `shapes` up to `cMax` vCPUs, at most `free[s]` of each shape. Each shape's
 * row is a window minimum (and maximum) over the next row, one per vCPU residue, kept in a
 * monotone queue: O(T) per shape where taking 0..most instances at each total was O(T · most)
 * (the repair builds a table per host it fills: 0.5 s of a 120-VM plan's fallback). `ops` still
 * counts T · (most + 1) per shape, the work the searches' limits were set in.
 */
function memoryByCores(
    shapes: readonly number[],
    pp: PinnedPlan,
    cMax: number,
    free: ArrayLike<number> = pp.free
): MemoryTable {
    const { sC, sM } = pp;
    const K = shapes.length,
        T = cMax + 1;
    const lo = new Float64Array((K + 1) * T).fill(Infinity);
    const hi = new Float64Array((K + 1) * T).fill(-Infinity);
    lo[K * T] = 0;
    hi[K * T] = 0;
    let ops = 0;
    const minQ = new Int32Array(T),
        maxQ = new Int32Array(T);
    for (let k = K - 1; k >= 0; k--) {
        const s = shapes[k],
            c = Math.round(sC[s]),
            m = sM[s];
        const most = Math.min(free[s], c > 0 ? Math.floor(cMax / c) : 0);
        ops += T * (most + 1);
        const next = (k + 1) * T,
            row = k * T;
        if (most === 0) {
            lo.copyWithin(row, next, next + T);
            hi.copyWithin(row, next, next + T);
            continue;
        }
        // t = r + i·c: lo[t] = min over j in [i − most, i] of next[r + j·c] + (i − j)·m
        for (let r = 0; r < c && r <= cMax; r++) {
            let minHead = 0,
                minTail = 0,
                maxHead = 0,
                maxTail = 0;
            for (let i = 0, t = r; t <= cMax; i++, t += c) {
                const a = lo[next + t] - i * m,
                    b = hi[next + t] - i * m;
                while (
                    minTail > minHead &&
                    lo[next + r + minQ[minTail - 1] * c] - minQ[minTail - 1] * m >= a
                )
                    minTail--;
                minQ[minTail++] = i;
                while (
                    maxTail > maxHead &&
                    hi[next + r + maxQ[maxTail - 1] * c] - maxQ[maxTail - 1] * m <= b
                )
                    maxTail--;
                maxQ[maxTail++] = i;
                if (minQ[minHead] < i - most) minHead++;
                if (maxQ[maxHead] < i - most) maxHead++;
                const jm = minQ[minHead],
                    jx = maxQ[maxHead];
                lo[row + t] = lo[next + r + jm * c] + (i - jm) * m;
                hi[row + t] = hi[next + r + jx * c] + (i - jx) * m;
            }
        }
    }
    return { lo, hi, cMax, T, ops };
}

/** Search steps of `searchFullPlacement` inside `place`'s fallback (about 0.3 s of CPU). */
export const FULL_SEARCH_WORK = 1_000_000;

/** What `searchFullPlacement` found, and the search steps it took (`steps`). */
export type FullSearch = (
    | { readonly kind: 'found'; readonly counts: Int32Array }
    | { readonly kind: 'none' }
    | { readonly kind: 'stopped' }
) & { readonly steps: number };

/**
 * A full placement by bin completion: hosts one at a time (fewest vCPUs first; a second pass,
 * with 40% of the work, most memory per vCPU first), each filled with a packing of the instances
 * not yet placed that leaves idle at most what the hosts before it left of the plan's idle
 * capacity (`idleCores`, `idleMemoryGiB`), backtracking on a dead end. The hosts' levels are an
 * explicit stack (recursion only over the shapes), so thousands of hosts are no deeper a stack.
 * `counts[s * n + k]`: instances of shape s on `hosts[k]`. 'none' when the search is complete
 * (no full placement exists); 'stopped' past `work` steps. Counts work, not time. Never throws.
 */
export function searchFullPlacement(
    hosts: readonly WasteClass[],
    pp: PinnedPlan,
    idleCores: number,
    idleMemoryGiB: number,
    work: number
): FullSearch {
    const { S, sC, sM, free } = pp;
    const n = hosts.length;
    const wc0 = Math.floor(idleCores + EPS);
    if (wc0 < 0 || idleMemoryGiB < -GIB_EPS) return { kind: 'none', steps: 0 };
    const shapes = largestFirst(pp);
    const K = shapes.length;
    const cMax = maxCores(hosts);
    // hosts with fewest vCPUs first (the fewest packings, so that a dead end shows early), then
    // where that stops, hosts with most memory per vCPU first: another order of the same search
    const byCores = hosts
        .map((_, k) => k)
        .sort(
            (a, b) =>
                hosts[a].cores - hosts[b].cores || hosts[a].memoryGiB - hosts[b].memoryGiB || a - b
        );
    const byMemory = hosts
        .map((_, k) => k)
        .sort(
            (a, b) =>
                hosts[b].memoryGiB / hosts[b].cores - hosts[a].memoryGiB / hosts[a].cores ||
                hosts[a].cores - hosts[b].cores ||
                a - b
        );
    let order = byCores;
    let rem = Int32Array.from(free);
    const counts = new Int32Array(S * n);
    const meter: Meter = { steps: 0 };
    let limit = 0;
    let stopped = false;
    /**
     * The packings of the j-th host of `order` within the idle left (wc, wm), one at a time:
     * each is written into `counts` and taken from `rem` while it is yielded (as the idle left
     * after it), and put back when the next is asked for.
     */
    function* packings(j: number, wc: number, wm: number): Generator<[number, number]> {
        const table = memoryByCores(shapes, pp, cMax, rem);
        // a step of the table costs about an eighth of a search step
        meter.steps += Math.ceil(table.ops / 8);
        // forward check: every host still to fill has some packing of what is left
        for (let i = j; i < n; i++)
            if (!completion(table, hosts[order[i]], wc, wm, meter)(0, 0, 0)) return;
        const k = order[j],
            c = hosts[k];
        const completes = completion(table, c, wc, wm, meter);
        function* dfs(d: number, u: number, v: number): Generator<[number, number]> {
            if (++meter.steps > limit) {
                stopped = true;
                return;
            }
            if (d === K) {
                yield [wc - (c.cores - u), wm - Math.max(0, c.memoryGiB - v)];
                return;
            }
            const s = shapes[d];
            const most = mostThatFit(pp, s, c.cores - u, c.memoryGiB - v, rem[s]);
            for (let m = Math.max(0, most); m >= 0 && !stopped; m--) {
                const u2 = u + m * sC[s],
                    v2 = v + m * sM[s];
                if (!completes(d + 1, u2, v2)) continue;
                counts[s * n + k] = m;
                rem[s] -= m;
                yield* dfs(d + 1, u2, v2);
                rem[s] += m;
                counts[s * n + k] = 0;
            }
        }
        yield* dfs(0, 0, 0);
    }
    // hosts one after another with an explicit stack (a plan may have thousands of hosts)
    const pass = (): boolean => {
        rem = Int32Array.from(free);
        counts.fill(0);
        stopped = false;
        const stack = [packings(0, wc0, wm0)];
        while (stack.length > 0) {
            const next = stack[stack.length - 1].next();
            if (stopped) return false;
            if (next.done) {
                stack.pop();
                continue;
            }
            if (stack.length === n) return true;
            stack.push(packings(stack.length, next.value[0], next.value[1]));
        }
        return false;
    };
    const wm0 = Math.max(0, idleMemoryGiB);
    const steps = () => Math.ceil(meter.steps);
    if (n === 0) return { kind: 'found', counts, steps: 0 };
    limit = Math.floor(work * 0.6);
    if (pass()) return { kind: 'found', counts, steps: steps() };
    if (!stopped) return { kind: 'none', steps: steps() };
    order = byMemory;
    limit = work;
    if (pass()) return { kind: 'found', counts, steps: steps() };
    return stopped ? { kind: 'stopped', steps: steps() } : { kind: 'none', steps: steps() };
}
