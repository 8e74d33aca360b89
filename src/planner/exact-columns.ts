/**
 * Column generation of the pattern model (exact-patterns.ts): the first columns from the seed
 * placement, then packings priced by the LP's duals (a bounded knapsack per host class) until
 * none improves. Pure: the solver is passed in.
 */
import type { Highs } from 'highs';
import type { PinnedPlan } from './pins.js';
import { runMip } from './exact-runtime.js';
import { mostThatFit } from './exact-waste.js';

/** Hosts of equal free vCPUs and GiB, and the packings they choose among. */
export interface HostClass {
    readonly hosts: number[];
    readonly cores: number;
    readonly memoryGiB: number;
    /** Maximal patterns: per pattern, [shape, count] pairs. */
    patterns: [number, number][][];
}

/** Most rounds of column generation (an LP solve and a pricing of every class each). */
export const CG_ROUNDS = 60;

/** Most search steps of all pricing knapsacks of one column generation together. */
export const CG_PRICING_WORK = 2_000_000;

/**
 * The first columns of column generation: each host's packing in `seed` (the heuristic's
 * placement) and, per class and shape, as many of the shape as fit.
 */
export function seedPatterns(
    classes: HostClass[],
    pp: PinnedPlan,
    seed: Int32Array,
    H: number
): void {
    const { S, free } = pp;
    for (const c of classes) {
        c.patterns = [];
        const seen = new Set<string>();
        const push = (p: [number, number][]) => {
            const key = patternKey(p);
            if (p.length === 0 || seen.has(key)) return;
            seen.add(key);
            c.patterns.push(p);
        };
        for (const h of c.hosts) {
            const p: [number, number][] = [];
            for (let s = 0; s < S; s++) if (seed[s * H + h] > 0) p.push([s, seed[s * H + h]]);
            push(p);
        }
        for (let s = 0; s < S; s++) {
            if (free[s] === 0) continue;
            const n = mostThatFit(pp, s, c.cores, c.memoryGiB);
            if (n > 0) push([[s, n]]);
        }
    }
}

/** The seed as a full column vector: each host takes its own packing's column. */
export function seedSolution(
    classes: readonly HostClass[],
    xCols: readonly (readonly number[])[],
    q: readonly number[],
    pp: PinnedPlan,
    seed: Int32Array,
    n: number
): number[] {
    const { S, free } = pp;
    const H = seed.length / Math.max(S, 1);
    const out = new Array<number>(n).fill(0);
    const given = new Float64Array(S);
    classes.forEach((c, k) => {
        const index = new Map(c.patterns.map((p, j) => [patternKey(p), j]));
        for (const h of c.hosts) {
            const p: [number, number][] = [];
            for (let s = 0; s < S; s++) if (seed[s * H + h] > 0) p.push([s, seed[s * H + h]]);
            const j = index.get(patternKey(p));
            if (j === undefined) continue;
            out[xCols[k][j]]++;
            for (const [s, a] of p) given[s] += a;
        }
    });
    for (let s = 0; s < S; s++) out[q[s]] = Math.min(free[s], given[s]);
    return out;
}

/**
 * Column generation on the LP relaxation of level 1 (integrality off while it runs): each round
 * solves the LP, then for every class finds the packing of most dual value (a bounded knapsack
 * in vCPUs and GiB, `priceClass`) and adds it when its reduced cost is negative. Converged when
 * no class has such a packing; `bound` is then the LP optimum, an upper bound on the free vCPUs
 * any placement places. Stops, not converged, after `CG_ROUNDS` rounds or `CG_PRICING_WORK`
 * knapsack steps.
 */
export function generateColumns(
    highs: Highs,
    m: ReturnType<Highs['createModel']>,
    classes: HostClass[],
    xCols: number[][],
    classRow: readonly number[],
    shapeRow: readonly number[],
    q: readonly number[],
    pp: PinnedPlan,
    columns: number
): { converged: boolean; bound: number; added: number } {
    const { S, sC } = pp;
    let nCols = columns;
    m.changeColsIntegrality(
        { kind: 'range', from: 0, to: nCols - 1 },
        new Array<0 | 1>(nCols).fill(0)
    );
    const keys = classes.map(c => new Set(c.patterns.map(patternKey)));
    const work = { left: CG_PRICING_WORK };
    let added = 0;
    for (let round = 0; round < CG_ROUNDS; round++) {
        const r = runMip(highs, m);
        if (r.modelStatus !== highs.constants.modelStatus.optimal || !r.x) break;
        const dual = m.getSolution().rowDual;
        // reduced cost of a packing a of class k (cost 0): −y_k + Σ_s y_s·a_s; negative improves
        const mu = Array.from({ length: S }, (_, s) => Math.max(0, -dual[shapeRow[s]]));
        let any = false;
        classes.forEach((c, k) => {
            if (classRow[k] < 0) return;
            const pi = -dual[classRow[k]];
            const best = priceClass(c, pp, mu, work);
            if (!best || best.value <= pi + 1e-7) return;
            const key = patternKey(best.pattern);
            if (keys[k].has(key)) return;
            keys[k].add(key);
            c.patterns.push(best.pattern);
            const entries = [
                { i: classRow[k], v: 1 },
                ...best.pattern.map(([s, a]) => ({ i: shapeRow[s], v: -a }))
            ].sort((a, b) => a.i - b.i);
            m.addCol(0, 0, c.hosts.length, {
                indices: entries.map(e => e.i),
                values: entries.map(e => e.v)
            });
            xCols[k].push(nCols++);
            added++;
            any = true;
        });
        if (work.left <= 0) break;
        if (!any) {
            let bound = 0;
            for (let s = 0; s < S; s++) bound += sC[s] * r.x[q[s]];
            return { converged: true, bound, added };
        }
    }
    return { converged: false, bound: Infinity, added };
}

/** A pattern's [shape, count] pairs as one key (pairs in shape order). */
function patternKey(p: readonly (readonly [number, number])[]): string {
    return p.map(([s, n]) => `${s}:${n}`).join(',');
}

/**
 * The packing of class `c` of most dual value Σ μ_s·a_s (a bounded knapsack in vCPUs and GiB, at
 * most the free instances of each shape), by depth-first search with the better of the two
 * fractional bounds, then filled up with pieces of no dual value that still fit (a fuller
 * packing serves the integer solve). Counts its steps in `work`; `undefined` when nothing fits.
 */
function priceClass(
    c: HostClass,
    pp: PinnedPlan,
    mu: readonly number[],
    work: { left: number }
): { value: number; pattern: [number, number][] } | undefined {
    const { S, sC, sM, free } = pp;
    const items: number[] = [];
    for (let s = 0; s < S; s++) if (free[s] > 0 && mu[s] > 1e-12) items.push(s);
    items.sort((a, b) => mu[b] / sC[b] - mu[a] / sC[a] || a - b);
    const byMem = [...items].sort(
        (a, b) => mu[b] / Math.max(sM[b], 1e-9) - mu[a] / Math.max(sM[a], 1e-9) || a - b
    );
    const count = new Int32Array(S);
    const best = new Int32Array(S);
    let bestValue = 0;
    // position of each shape in `items`: the bounds at depth k take the shapes from k on
    const pos = new Int32Array(S).fill(-1);
    items.forEach((s, k) => (pos[s] = k));
    const fractional = (order: readonly number[], k: number, cap: number, size: Float64Array) => {
        let v = 0,
            left = cap;
        for (const s of order) {
            if (pos[s] < k) continue;
            const n = Math.min(free[s], left / Math.max(size[s], 1e-9));
            v += n * mu[s];
            left -= n * size[s];
            if (left <= 1e-12) break;
        }
        return v;
    };
    const dfs = (k: number, cl: number, ml: number, value: number) => {
        if (--work.left < 0) return;
        if (value > bestValue + 1e-12) {
            bestValue = value;
            best.set(count);
        }
        if (k === items.length) return;
        const bound = Math.min(fractional(items, k, cl, sC), fractional(byMem, k, ml, sM));
        if (value + bound <= bestValue + 1e-12) return;
        const s = items[k];
        const most = mostThatFit(pp, s, cl, ml);
        for (let n = Math.max(0, most); n >= 0; n--) {
            count[s] = n;
            dfs(k + 1, cl - n * sC[s], ml - n * sM[s], value + n * mu[s]);
            if (work.left < 0) break;
        }
        count[s] = 0;
    };
    dfs(0, c.cores, c.memoryGiB, 0);
    if (bestValue <= 0) return undefined;
    // fill up with what still fits, shapes in index order
    let cl = c.cores,
        ml = c.memoryGiB;
    for (let s = 0; s < S; s++) {
        cl -= best[s] * sC[s];
        ml -= best[s] * sM[s];
    }
    for (let s = 0; s < S; s++) {
        if (free[s] === 0) continue;
        const more = Math.min(free[s] - best[s], mostThatFit(pp, s, cl, ml));
        if (more <= 0) continue;
        best[s] += more;
        cl -= more * sC[s];
        ml -= more * sM[s];
    }
    const pattern: [number, number][] = [];
    for (let s = 0; s < S; s++) if (best[s] > 0) pattern.push([s, best[s]]);
    return { value: bestValue, pattern };
}
