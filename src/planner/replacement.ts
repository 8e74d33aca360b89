/**
 * Re-placement checks over the spare capacity of a fixed placement: the fit tree (leftmost host
 * where a piece fits), the work budget, best-fit decreasing with a bounded exact search, and the
 * count of host losses that do not re-place (`lossFailures`). Used by the host-failure figures
 * (`host-failure.ts`) and by the placement's tolerance pass (`tolerance.ts`); imports neither, so
 * the two do not import each other. Units: vCPUs and GiB. Pure.
 */
import type { PlanModel } from './model.js';
import { EPS } from './eps.js';

/** Max segment tree over hosts of free vCPUs and free GiB: leftmost host where a piece fits. */
export class FitTree {
    private readonly size: number;
    private readonly mc: Float64Array;
    private readonly mm: Float64Array;
    constructor(readonly count: number) {
        let size = 1;
        while (size < Math.max(1, count)) size <<= 1;
        this.size = size;
        this.mc = new Float64Array(2 * size).fill(-Infinity);
        this.mm = new Float64Array(2 * size).fill(-Infinity);
    }
    /** Sets leaf `i` without updating the inner nodes: call `rebuild` after a series of these. */
    setLeaf(i: number, cores: number, memory: number): void {
        this.mc[i + this.size] = cores;
        this.mm[i + this.size] = memory;
    }
    /** Recomputes every inner node from the leaves (linear time). */
    rebuild(): void {
        for (let p = this.size - 1; p >= 1; p--) {
            this.mc[p] = Math.max(this.mc[2 * p], this.mc[2 * p + 1]);
            this.mm[p] = Math.max(this.mm[2 * p], this.mm[2 * p + 1]);
        }
    }
    /** Sets leaf `i` to (cores, memory) free; -Infinity removes it from the search. */
    set(i: number, cores: number, memory: number): void {
        let p = i + this.size;
        this.mc[p] = cores;
        this.mm[p] = memory;
        for (p >>= 1; p >= 1; p >>= 1) {
            this.mc[p] = Math.max(this.mc[2 * p], this.mc[2 * p + 1]);
            this.mm[p] = Math.max(this.mm[2 * p], this.mm[2 * p + 1]);
        }
    }
    /** Free (cores, memory) of leaf `i`. */
    get(i: number): [number, number] {
        return [this.mc[i + this.size], this.mm[i + this.size]];
    }
    /** Leftmost leaf with at least `cores` and `memory` free, or -1. */
    find(cores: number, memory: number): number {
        return this.findFrom(1, cores - EPS, memory - EPS);
    }
    private findFrom(p: number, c: number, m: number): number {
        if (this.mc[p] < c || this.mm[p] < m) return -1;
        if (p >= this.size) return p - this.size;
        const l = this.findFrom(2 * p, c, m);
        return l >= 0 ? l : this.findFrom(2 * p + 1, c, m);
    }
}

/**
 * A budget of search work, counted in work units — never time, so the same plan gives the same
 * answer on every machine and under any load. One unit is one node of the exact re-placement
 * search per eight bins it scans, one instance re-placed by best-fit decreasing, or one move evaluation of a placement
 * re-run (`place`'s own budgets count the same). The host-failure search (`tolerates`) and the
 * N+1 search of one plan share one budget (`hostFailureBudget`); when it runs out, the figures
 * say "at least" (see `HostFailureFigures`). A search may overrun by one step (one exact search
 * of at most `EXACT_NODE_CAP` nodes, one placement re-run): the next step is not started.
 */
export class WorkBudget {
    /** Units spent so far. */
    spent = 0;
    /** `limit`: units that may be spent (≥ 0). */
    constructor(readonly limit: number) {}
    /** Units left (negative after an overrun). */
    get left(): number {
        return this.limit - this.spent;
    }
    /** True once `spent` reached `limit`: no further step starts. */
    get exhausted(): boolean {
        return this.spent >= this.limit;
    }
    /** Records `units` of work done. */
    charge(units: number): void {
        this.spent += units;
    }
}

/**
 * Work units the host-failure and N+1 searches of one plan share (`hostFailure`), plus
 * `hostFailureBudget`'s allowance for reading the plan. Sized so that a plan of up to 200 hosts
 * and 2,000 instances checks in well under a second (the bench's adversarial row measures it);
 * the ordinary plans of the examples need a few thousand units.
 */
export const HOST_FAILURE_WORK = 300_000;

/**
 * The budget of the host-failure and N+1 searches of a plan: `HOST_FAILURE_WORK` for the
 * searches, plus 4 units per host and instance, as the steps that only read the plan (loads, host
 * classes, a placement re-run's construction) cost that much whatever the search: without it a
 * plan of 100,000 hosts spent its budget before deciding anything.
 */
export function hostFailureBudget(model: PlanModel): WorkBudget {
    return new WorkBudget(HOST_FAILURE_WORK + 4 * (model.hosts.length + model.instances.length));
}

/** Most nodes of one exact re-placement search (`exactFit`), whatever the budget left. */
export const EXACT_NODE_CAP = 50_000;

/** Answer of a re-placement check: it fits, it provably does not, or the budget ran out first. */
export type FitAnswer = 'fit' | 'no-fit' | 'unknown';

/** Load and spare of each host of a placement: vCPUs and GiB. */
export interface Loads {
    readonly capC: number[];
    readonly capM: number[];
    readonly usedC: number[];
    readonly usedM: number[];
    /** items[h]: (cores, memory) of each instance on h, largest first. */
    readonly items: { c: number; m: number }[][];
}

/**
 * Re-placement checker over the spare capacity of a fixed placement. Hosts are kept in a fit tree
 * ordered by spare vCPUs ascending, so "leftmost that fits" is best fit by cores.
 */
export class Replacer {
    private readonly tree: FitTree;
    private readonly pos: number[];
    private readonly spareC: number[];
    private readonly spareM: number[];
    private readonly totalC: number;
    private readonly totalM: number;
    private readonly order: number[];
    /** Spare (cores, memory) per tree position during one `canReplace`: [2p] cores, [2p + 1] memory. */
    private readonly cur: Float64Array;
    /** Positions changed during one `canReplace` (scratch). */
    private readonly touched: Int32Array;
    /** The lost hosts' items of one `canReplace` (scratch). */
    private readonly merged: { c: number; m: number }[] = [];
    /** `roomy` counts over all hosts, by vCPUs then GiB (numbers as keys: no key string per call). */
    private readonly roomyCounts = new Map<number, Map<number, number>>();

    constructor(private readonly L: Loads) {
        const H = L.capC.length;
        this.spareC = L.capC.map((c, h) => Math.max(0, c - L.usedC[h]));
        this.spareM = L.capM.map((m, h) => Math.max(0, m - L.usedM[h]));
        this.order = Array.from({ length: H }, (_, h) => h).sort(
            (a, b) => this.spareC[a] - this.spareC[b] || this.spareM[a] - this.spareM[b] || a - b
        );
        this.pos = new Array<number>(H);
        this.order.forEach((h, p) => {
            this.pos[h] = p;
        });
        this.tree = new FitTree(H);
        for (let h = 0; h < H; h++) this.tree.set(this.pos[h], this.spareC[h], this.spareM[h]);
        this.cur = new Float64Array(2 * H);
        for (let h = 0; h < H; h++) {
            this.cur[2 * this.pos[h]] = this.spareC[h];
            this.cur[2 * this.pos[h] + 1] = this.spareM[h];
        }
        let all = 0;
        for (const list of L.items) all += list.length;
        this.touched = new Int32Array(all + 1);
        this.totalC = this.spareC.reduce((a, b) => a + b, 0);
        this.totalM = this.spareM.reduce((a, b) => a + b, 0);
    }

    /**
     * Whether the instances of the `lost` hosts fit on the spare capacity of the others: `unknown`
     * when best-fit decreasing fails and the exact search runs out of `budget` (or of its cap).
     * Charges the instances re-placed and the exact search's nodes to `budget`.
     */
    canReplace(lost: readonly number[], budget: WorkBudget): FitAnswer {
        const items = this.lostItems(lost);
        if (items.length === 0) return 'fit';
        budget.charge(1);
        let needC = 0,
            needM = 0,
            haveC = this.totalC,
            haveM = this.totalM;
        let maxM = -Infinity;
        for (let k = 0; k < items.length; k++) {
            needC += items[k].c;
            needM += items[k].m;
            if (items[k].m > maxM) maxM = items[k].m;
        }
        for (const h of lost) {
            haveC -= this.spareC[h];
            haveM -= this.spareM[h];
        }
        if (needC > haveC + EPS || needM > haveM + EPS) return 'no-fit';
        // Best-fit decreasing cannot fail when at least as many of the other hosts as there are
        // items each have room for the largest item in both dimensions: before the k-th item at
        // most k − 1 hosts were given an item, so one of those hosts is untouched and takes it.
        if (this.roomy(items[0].c, maxM, lost) >= items.length) return 'fit';
        // best-fit decreasing; cur mirrors the tree's leaves (spare by position)
        const tree = this.tree,
            cur = this.cur,
            touched = this.touched;
        for (const h of lost) tree.set(this.pos[h], -Infinity, -Infinity);
        let n = 0;
        let ok = true;
        for (let k = 0; k < items.length; k++) {
            const it = items[k];
            const p = tree.find(it.c, it.m);
            if (p < 0) {
                ok = false;
                break;
            }
            const c = (cur[2 * p] -= it.c),
                m = (cur[2 * p + 1] -= it.m);
            tree.set(p, c, m);
            touched[n++] = p;
        }
        budget.charge(n);
        for (let k = 0; k < n; k++) {
            const p = touched[k],
                h = this.order[p];
            cur[2 * p] = this.spareC[h];
            cur[2 * p + 1] = this.spareM[h];
            tree.set(p, this.spareC[h], this.spareM[h]);
        }
        for (const h of lost) tree.set(this.pos[h], this.spareC[h], this.spareM[h]);
        if (ok) return 'fit';
        return this.exact(items, lost, budget);
    }

    /** Hosts not in `lost` with at least `c` spare vCPUs and `m` spare GiB. */
    private roomy(c: number, m: number, lost: readonly number[]): number {
        let byM = this.roomyCounts.get(c);
        if (!byM) this.roomyCounts.set(c, (byM = new Map()));
        let n = byM.get(m);
        if (n === undefined) {
            n = 0;
            for (let h = 0; h < this.spareC.length; h++)
                if (this.spareC[h] >= c && this.spareM[h] >= m) n++;
            byM.set(m, n);
        }
        for (let k = 0; k < lost.length; k++) {
            const h = lost[k];
            if (this.spareC[h] >= c && this.spareM[h] >= m && lost.indexOf(h) === k) n--;
        }
        return n;
    }

    /**
     * The instances of the `lost` hosts, largest first (the order of `L.items`: equal keys are
     * equal items, so merging the hosts' sorted lists gives the same sequence as sorting).
     */
    private lostItems(lost: readonly number[]): readonly { c: number; m: number }[] {
        if (lost.length === 1) return this.L.items[lost[0]];
        if (lost.length !== 2)
            return lost.flatMap(h => this.L.items[h]).sort((a, b) => b.c - a.c || b.m - a.m);
        const a = this.L.items[lost[0]],
            b = this.L.items[lost[1]];
        const out = this.merged;
        out.length = 0;
        let i = 0,
            j = 0;
        while (i < a.length && j < b.length) {
            const x = a[i],
                y = b[j];
            // b first only when it sorts strictly before a (sort is by c, then m, descending)
            if (y.c > x.c || (y.c === x.c && y.m > x.m)) {
                out.push(y);
                j++;
            } else {
                out.push(x);
                i++;
            }
        }
        while (i < a.length) out.push(a[i++]);
        while (j < b.length) out.push(b[j++]);
        return out;
    }

    /** The bounded exact search (`exactFit`) over the spare capacity of the hosts not lost. */
    private exact(
        items: readonly { c: number; m: number }[],
        lost: readonly number[],
        budget: WorkBudget
    ): FitAnswer {
        const lostSet = new Set(lost);
        const bins: { c: number; m: number }[] = [];
        for (let h = 0; h < this.spareC.length; h++) {
            if (!lostSet.has(h) && this.spareC[h] > EPS)
                bins.push({ c: this.spareC[h], m: this.spareM[h] });
        }
        return exactFit(items, bins, budget);
    }
}

/**
 * Whether `items` (vCPUs, GiB; largest first) fit into `bins` (spare vCPUs, GiB) by a bounded
 * exact search: depth-first, bins with equal spare tried once per level. `no-fit` is a proof (an
 * item fits no bin, or the search was complete); `unknown` when it needs more than `EXACT_NODE_CAP` nodes or the budget
 * runs out first, and for more than 48 items or 256 bins (not searched). Each node is charged to
 * `budget`. `bins` is used as scratch and left as it was. The last step of the host-failure
 * re-placement check after best-fit decreasing.
 */
export function exactFit(
    items: readonly { c: number; m: number }[],
    bins: { c: number; m: number }[],
    budget: WorkBudget
): FitAnswer {
    // a proof at any size: an item that fits no bin (in vCPUs and GiB at once)
    let maxC = 0,
        maxM = 0;
    for (const it of items) {
        if (it.c > maxC) maxC = it.c;
        if (it.m > maxM) maxM = it.m;
    }
    budget.charge(bins.length);
    for (const it of items) {
        if (it.c < maxC && it.m < maxM) continue; // a larger item in both dimensions is checked
        if (!bins.some(b => b.c + EPS >= it.c && b.m + EPS >= it.m)) return 'no-fit';
    }
    if (items.length > 48 || bins.length > 256) return 'unknown';
    const B = bins.length;
    // a node scans every bin: it costs 1 + B/8 units (the budget counts work, not nodes)
    const perNode = 1 + B / 8;
    const cap = Math.min(EXACT_NODE_CAP, Math.floor(Math.max(0, budget.left) / perNode));
    // per level, the spare of the bins already tried (equal spare: the same subtree)
    const seenC = new Float64Array(items.length * B),
        seenM = new Float64Array(items.length * B);
    let nodes = 0;
    const rec = (k: number): boolean => {
        if (k === items.length) return true;
        if (++nodes > cap) return false;
        const it = items[k];
        const base = k * B;
        let seen = 0;
        for (const b of bins) {
            if (b.c + EPS < it.c || b.m + EPS < it.m) continue;
            let dup = false;
            for (let j = 0; j < seen; j++)
                if (seenC[base + j] === b.c && seenM[base + j] === b.m) {
                    dup = true;
                    break;
                }
            if (dup) continue;
            seenC[base + seen] = b.c;
            seenM[base + seen] = b.m;
            seen++;
            b.c -= it.c;
            b.m -= it.m;
            const ok = rec(k + 1);
            b.c += it.c;
            b.m += it.m;
            if (ok) return true;
            if (nodes > cap) return false;
        }
        return false;
    };
    const ok = rec(0);
    budget.charge(Math.ceil(Math.min(nodes, cap) * perNode));
    return ok ? 'fit' : nodes > cap ? 'unknown' : 'no-fit';
}

/**
 * `exactFit` with a budget of its own of `EXACT_NODE_CAP` nodes: true when the items fit, false
 * when they do not or the search did not finish (not proved). For tests and callers without a
 * shared budget.
 */
export function boundedExactFit(
    items: readonly { c: number; m: number }[],
    bins: { c: number; m: number }[]
): boolean {
    return exactFit(items, bins, new WorkBudget(EXACT_NODE_CAP)) === 'fit';
}

/** Equivalence classes of hosts: identical usable capacity and identical load. */
export function hostClasses(L: Loads): number[][] {
    const byKey = new Map<string, number[]>();
    for (let h = 0; h < L.capC.length; h++) {
        const its = L.items[h];
        let key = `${L.capC[h]}|${L.capM[h]}|`;
        for (let k = 0; k < its.length; k++) key += (k > 0 ? ',' : '') + its[k].c + ':' + its[k].m;
        const list = byKey.get(key);
        if (list) list.push(h);
        else byKey.set(key, [h]);
    }
    return [...byKey.values()];
}

/**
 * True when the loss of ANY k hosts (k ≥ 1, fewer than the hosts) can be re-placed, shown for all
 * k-subsets at once by the argument of `Replacer.canReplace`'s shortcut: when at least as many
 * of the surviving hosts as there are lost instances each have room for the plan's largest
 * instance (most vCPUs and most GiB of any placed instance), best-fit decreasing places them all.
 * The lost instances number at most the k largest host counts, and at most k of the roomy hosts
 * are lost. A sufficient condition only: false says nothing. `cap*` give a host's usable vCPUs
 * and GiB, `used*` its load, `counts` its instances; `maxC`/`maxM` the largest instance.
 */
export function everyLossFits(
    capC: (h: number) => number,
    capM: (h: number) => number,
    usedC: ArrayLike<number>,
    usedM: ArrayLike<number>,
    counts: ArrayLike<number>,
    maxC: number,
    maxM: number,
    k: number
): boolean {
    let roomy = 0;
    const top = [0, 0];
    for (let h = 0; h < counts.length; h++) {
        // the spare of `Replacer` (never below zero)
        if (Math.max(0, capC(h) - usedC[h]) >= maxC && Math.max(0, capM(h) - usedM[h]) >= maxM)
            roomy++;
        const n = counts[h];
        if (n > top[0]) {
            top[1] = top[0];
            top[0] = n;
        } else if (n > top[1]) top[1] = n;
    }
    return roomy - k >= (k >= 2 ? top[0] + top[1] : top[0]);
}

/** Slots of `lossFailures`' answer: single-host losses that fail, then host pairs that fail. */
export const LOSS_SINGLE = 0,
    LOSS_PAIRS = 1;

/**
 * How far a placement, given as per-host capacity and pieces, is from surviving the loss of any k
 * hosts (k = 1 or 2): [failing single losses, failing pair losses (k = 2 only)], each counted once
 * per class of equivalent hosts (single losses weighted by the class size). [0, 0] means it
 * tolerates k. Used by the planner's tolerance pass (`place` with `tolerate_host_failures`).
 * `items[h]` lists the (vCPUs, GiB) of every instance on h. A loss whose re-placement is not
 * decided within `budget` (default: `HOST_FAILURE_WORK` of its own) counts as failing. Never throws.
 */
export function lossFailures(
    capC: readonly number[],
    capM: readonly number[],
    items: readonly (readonly { c: number; m: number }[])[],
    k: number,
    budget: WorkBudget = new WorkBudget(HOST_FAILURE_WORK)
): [number, number] {
    const H = capC.length;
    const usedC = new Array<number>(H).fill(0),
        usedM = new Array<number>(H).fill(0);
    let maxC = 0,
        maxM = 0;
    for (let h = 0; h < H; h++) {
        for (const it of items[h]) {
            usedC[h] += it.c;
            usedM[h] += it.m;
            if (it.c > maxC) maxC = it.c;
            if (it.m > maxM) maxM = it.m;
        }
    }
    const kk = Math.min(k, 2);
    budget.charge(H);
    if (
        kk >= 1 &&
        H > kk &&
        everyLossFits(
            h => capC[h],
            h => capM[h],
            usedC,
            usedM,
            items.map(list => list.length),
            maxC,
            maxM,
            kk
        )
    )
        return [0, 0];
    const sorted = items.map(list => [...list].sort((a, b) => b.c - a.c || b.m - a.m));
    const L: Loads = { capC: [...capC], capM: [...capM], usedC, usedM, items: sorted };
    const rp = new Replacer(L);
    const classes = hostClasses(L);
    let single = 0,
        pairs = 0;
    for (const cl of classes) if (rp.canReplace([cl[0]], budget) !== 'fit') single += cl.length;
    if (k >= 2 && H >= 2) {
        for (let i = 0; i < classes.length; i++) {
            for (let j = i; j < classes.length; j++) {
                if (i === j && classes[i].length < 2) continue;
                const lost =
                    i === j ? [classes[i][0], classes[i][1]] : [classes[i][0], classes[j][0]];
                if (rp.canReplace(lost, budget) !== 'fit') pairs++;
            }
        }
    }
    return [single, pairs];
}
