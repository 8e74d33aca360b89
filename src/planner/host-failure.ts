/**
 * Host-failure figures (spec, "What the checker computes", "Host failure"; the domain page,
 * "Allocating Virtual Instances on Physical Machines": losing one of 4 equal hosts loses 25% of the
 * sessions, which Dovecot balances to the other machines — which needs room on them).
 *
 * `tolerates` is the largest k in {0, 1, 2} such that after losing any k hosts the lost hosts'
 * instances can be re-placed on the spare capacity of the others. It is checked by re-placing
 * (best-fit decreasing bin packing, then a bounded exact search for small cases), never by
 * comparing totals alone. Host subsets that are equivalent (identical usable capacity and
 * identical load) are checked once, so plans with thousands of alike hosts stay fast.
 *
 * Pure: no vscode or langium import.
 */
import type { Host, PlanModel } from './model.js';
import type { HostFailureFigures } from './report.js';
import { EPS, FitTree, place, type PlacementResult } from './placement.js';

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
    get left(): number { return this.limit - this.spent; }
    /** True once `spent` reached `limit`: no further step starts. */
    get exhausted(): boolean { return this.spent >= this.limit; }
    /** Records `units` of work done. */
    charge(units: number): void { this.spent += units; }
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
interface Loads {
    readonly capC: number[];
    readonly capM: number[];
    readonly usedC: number[];
    readonly usedM: number[];
    /** items[h]: (cores, memory) of each instance on h, largest first. */
    readonly items: { c: number; m: number }[][];
}

function loadsOf(model: PlanModel, placement: PlacementResult): Loads {
    const H = model.hosts.length;
    const capC = model.hosts.map(h => h.usableCores), capM = model.hosts.map(h => h.usableMemoryGiB);
    const usedC = new Array<number>(H).fill(0), usedM = new Array<number>(H).fill(0);
    const items: { c: number; m: number }[][] = [];
    // one (read-only) item object per (vCPUs, GiB): plans have a few shapes and many instances
    const shared = new Map<number, Map<number, { c: number; m: number }>>();
    for (let h = 0; h < H; h++) {
        const ids = placement.byHost[h] ?? [];
        const list = new Array<{ c: number; m: number }>(ids.length);
        for (let k = 0; k < ids.length; k++) {
            const inst = model.instances[ids[k]];
            let byM = shared.get(inst.cores);
            if (!byM) shared.set(inst.cores, byM = new Map());
            let it = byM.get(inst.memoryGiB);
            if (!it) byM.set(inst.memoryGiB, it = { c: inst.cores, m: inst.memoryGiB });
            list[k] = it;
            usedC[h] += it.c; usedM[h] += it.m;
        }
        list.sort((a, b) => b.c - a.c || b.m - a.m);
        items.push(list);
    }
    return { capC, capM, usedC, usedM, items };
}

/**
 * Re-placement checker over the spare capacity of a fixed placement. Hosts are kept in a fit tree
 * ordered by spare vCPUs ascending, so "leftmost that fits" is best fit by cores.
 */
class Replacer {
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
        this.order = Array.from({ length: H }, (_, h) => h)
            .sort((a, b) => this.spareC[a] - this.spareC[b] || this.spareM[a] - this.spareM[b] || a - b);
        this.pos = new Array<number>(H);
        this.order.forEach((h, p) => { this.pos[h] = p; });
        this.tree = new FitTree(H);
        for (let h = 0; h < H; h++) this.tree.set(this.pos[h], this.spareC[h], this.spareM[h]);
        this.cur = new Float64Array(2 * H);
        for (let h = 0; h < H; h++) { this.cur[2 * this.pos[h]] = this.spareC[h]; this.cur[2 * this.pos[h] + 1] = this.spareM[h]; }
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
        let needC = 0, needM = 0, haveC = this.totalC, haveM = this.totalM;
        let maxM = -Infinity;
        for (let k = 0; k < items.length; k++) { needC += items[k].c; needM += items[k].m; if (items[k].m > maxM) maxM = items[k].m; }
        for (const h of lost) { haveC -= this.spareC[h]; haveM -= this.spareM[h]; }
        if (needC > haveC + EPS || needM > haveM + EPS) return 'no-fit';
        // Best-fit decreasing cannot fail when at least as many of the other hosts as there are
        // items each have room for the largest item in both dimensions: before the k-th item at
        // most k − 1 hosts were given an item, so one of those hosts is untouched and takes it.
        if (this.roomy(items[0].c, maxM, lost) >= items.length) return 'fit';
        // best-fit decreasing; cur mirrors the tree's leaves (spare by position)
        const tree = this.tree, cur = this.cur, touched = this.touched;
        for (const h of lost) tree.set(this.pos[h], -Infinity, -Infinity);
        let n = 0;
        let ok = true;
        for (let k = 0; k < items.length; k++) {
            const it = items[k];
            const p = tree.find(it.c, it.m);
            if (p < 0) { ok = false; break; }
            const c = cur[2 * p] -= it.c, m = cur[2 * p + 1] -= it.m;
            tree.set(p, c, m);
            touched[n++] = p;
        }
        budget.charge(n);
        for (let k = 0; k < n; k++) {
            const p = touched[k], h = this.order[p];
            cur[2 * p] = this.spareC[h]; cur[2 * p + 1] = this.spareM[h];
            tree.set(p, this.spareC[h], this.spareM[h]);
        }
        for (const h of lost) tree.set(this.pos[h], this.spareC[h], this.spareM[h]);
        if (ok) return 'fit';
        return this.exact(items, lost, budget);
    }

    /** Hosts not in `lost` with at least `c` spare vCPUs and `m` spare GiB. */
    private roomy(c: number, m: number, lost: readonly number[]): number {
        let byM = this.roomyCounts.get(c);
        if (!byM) this.roomyCounts.set(c, byM = new Map());
        let n = byM.get(m);
        if (n === undefined) {
            n = 0;
            for (let h = 0; h < this.spareC.length; h++) if (this.spareC[h] >= c && this.spareM[h] >= m) n++;
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
        if (lost.length !== 2) return lost.flatMap(h => this.L.items[h]).sort((a, b) => b.c - a.c || b.m - a.m);
        const a = this.L.items[lost[0]], b = this.L.items[lost[1]];
        const out = this.merged;
        out.length = 0;
        let i = 0, j = 0;
        while (i < a.length && j < b.length) {
            const x = a[i], y = b[j];
            // b first only when it sorts strictly before a (sort is by c, then m, descending)
            if (y.c > x.c || (y.c === x.c && y.m > x.m)) { out.push(y); j++; } else { out.push(x); i++; }
        }
        while (i < a.length) out.push(a[i++]);
        while (j < b.length) out.push(b[j++]);
        return out;
    }

    /** The bounded exact search (`exactFit`) over the spare capacity of the hosts not lost. */
    private exact(items: readonly { c: number; m: number }[], lost: readonly number[], budget: WorkBudget): FitAnswer {
        const lostSet = new Set(lost);
        const bins: { c: number; m: number }[] = [];
        for (let h = 0; h < this.spareC.length; h++) {
            if (!lostSet.has(h) && this.spareC[h] > EPS) bins.push({ c: this.spareC[h], m: this.spareM[h] });
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
export function exactFit(items: readonly { c: number; m: number }[], bins: { c: number; m: number }[], budget: WorkBudget): FitAnswer {
    // a proof at any size: an item that fits no bin (in vCPUs and GiB at once)
    let maxC = 0, maxM = 0;
    for (const it of items) { if (it.c > maxC) maxC = it.c; if (it.m > maxM) maxM = it.m; }
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
    const seenC = new Float64Array(items.length * B), seenM = new Float64Array(items.length * B);
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
            for (let j = 0; j < seen; j++) if (seenC[base + j] === b.c && seenM[base + j] === b.m) { dup = true; break; }
            if (dup) continue;
            seenC[base + seen] = b.c; seenM[base + seen] = b.m; seen++;
            b.c -= it.c; b.m -= it.m;
            const ok = rec(k + 1);
            b.c += it.c; b.m += it.m;
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
export function boundedExactFit(items: readonly { c: number; m: number }[], bins: { c: number; m: number }[]): boolean {
    return exactFit(items, bins, new WorkBudget(EXACT_NODE_CAP)) === 'fit';
}

/** Equivalence classes of hosts: identical usable capacity and identical load. */
function hostClasses(L: Loads): number[][] {
    const byKey = new Map<string, number[]>();
    for (let h = 0; h < L.capC.length; h++) {
        const its = L.items[h];
        let key = `${L.capC[h]}|${L.capM[h]}|`;
        for (let k = 0; k < its.length; k++) key += (k > 0 ? ',' : '') + its[k].c + ':' + its[k].m;
        const list = byKey.get(key);
        if (list) list.push(h); else byKey.set(key, [h]);
    }
    return [...byKey.values()];
}

/**
 * The largest k in 0..maxK (at most 2) such that the loss of ANY k hosts can be re-placed on the
 * spare capacity (usable minus used vCPUs and GiB) of the others. Pinned instances of a lost host
 * are re-placed too. With k ≥ the number of hosts, every host is lost: tolerated only when no
 * instance is placed at all. Units: vCPUs and GiB. A proven lower bound: when `budget` (default:
 * `hostFailureBudget` of its own) runs out before the next k is decided, that k is not counted.
 * Never throws.
 */
export function toleratedHostLosses(model: PlanModel, placement: PlacementResult, maxK = 2, budget?: WorkBudget): number {
    return toleranceOf(model, placement, maxK, budget ?? hostFailureBudget(model)).tolerates;
}

/** `tolerance` of a placement, with the shortcut of `everyLossFits` first. */
function toleranceOf(model: PlanModel, placement: PlacementResult, maxK: number, budget: WorkBudget): Tolerance {
    const k = Math.min(maxK, 2), H = model.hosts.length;
    if (k >= 1 && H > k) {
        // one pass for the shortcut of `everyLossFits`, before any re-placement
        const usedC = new Float64Array(H), usedM = new Float64Array(H), counts = new Int32Array(H);
        let maxC = 0, maxM = 0;
        for (let h = 0; h < H; h++) {
            const ids = placement.byHost[h] ?? [];
            counts[h] = ids.length;
            for (let j = 0; j < ids.length; j++) {
                const inst = model.instances[ids[j]];
                usedC[h] += inst.cores; usedM[h] += inst.memoryGiB;
                if (inst.cores > maxC) maxC = inst.cores;
                if (inst.memoryGiB > maxM) maxM = inst.memoryGiB;
            }
        }
        budget.charge(H);
        if (everyLossFits(h => model.hosts[h].usableCores, h => model.hosts[h].usableMemoryGiB, usedC, usedM, counts, maxC, maxM, k)) {
            return { tolerates: k, failing: null, proven: true };
        }
    }
    return tolerance(loadsOf(model, placement), maxK, budget);
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
function everyLossFits(capC: (h: number) => number, capM: (h: number) => number, usedC: ArrayLike<number>, usedM: ArrayLike<number>,
    counts: ArrayLike<number>, maxC: number, maxM: number, k: number): boolean {
    let roomy = 0;
    const top = [0, 0];
    for (let h = 0; h < counts.length; h++) {
        // the spare of `Replacer` (never below zero)
        if (Math.max(0, capC(h) - usedC[h]) >= maxC && Math.max(0, capM(h) - usedM[h]) >= maxM) roomy++;
        const n = counts[h];
        if (n > top[0]) { top[1] = top[0]; top[0] = n; } else if (n > top[1]) top[1] = n;
    }
    return roomy - k >= (k >= 2 ? top[0] + top[1] : top[0]);
}

/**
 * What `tolerance` found: `tolerates` host losses re-place (proven); `failing` is the first loss
 * (one class representative, or two) shown not to re-place, null when none was; `proven` is
 * false when the budget ran out before the loss count after `tolerates` was decided.
 */
interface Tolerance { tolerates: number; failing: number[] | null; proven: boolean }

function tolerance(L: Loads, maxK: number, budget: WorkBudget): Tolerance {
    const rp = new Replacer(L);
    const classes = hostClasses(L);
    const H = L.capC.length;
    budget.charge(H);
    let k = 0;
    if (maxK >= 1) {
        // a loss shown not to re-place decides the level even when another one ran out of budget
        let unknown = false;
        for (const cl of classes) {
            if (budget.exhausted) { unknown = true; break; }
            const a = rp.canReplace([cl[0]], budget);
            if (a === 'no-fit') return { tolerates: 0, failing: [cl[0]], proven: true };
            if (a === 'unknown') unknown = true;
        }
        if (unknown) return { tolerates: 0, failing: null, proven: false };
        if (H < 1) return { tolerates: 0, failing: [], proven: true };
        k = 1;
    }
    if (maxK >= 2) {
        if (H < 2) return { tolerates: 1, failing: null, proven: true };
        let unknown = false;
        for (let i = 0; i < classes.length && !unknown; i++) {
            for (let j = i; j < classes.length; j++) {
                let lost: number[];
                if (i === j) { if (classes[i].length < 2) continue; lost = [classes[i][0], classes[i][1]]; }
                else lost = [classes[i][0], classes[j][0]];
                if (budget.exhausted) { unknown = true; break; }
                const a = rp.canReplace(lost, budget);
                if (a === 'no-fit') return { tolerates: 1, failing: lost, proven: true };
                if (a === 'unknown') unknown = true;
            }
        }
        if (unknown) return { tolerates: 1, failing: null, proven: false };
        k = 2;
    }
    return { tolerates: k, failing: null, proven: true };
}

/**
 * How far a placement, given as per-host capacity and pieces, is from surviving the loss of any k
 * hosts (k = 1 or 2): [failing single losses, failing pair losses (k = 2 only)], each counted once
 * per class of equivalent hosts (single losses weighted by the class size). [0, 0] means it
 * tolerates k. Used by the planner's tolerance pass (`place` with `tolerate_host_failures`).
 * `items[h]` lists the (vCPUs, GiB) of every instance on h. A loss whose re-placement is not
 * decided within `budget` (default: `HOST_FAILURE_WORK` of its own) counts as failing. Never throws.
 */
export function lossFailures(capC: readonly number[], capM: readonly number[], items: readonly (readonly { c: number; m: number }[])[], k: number,
    budget: WorkBudget = new WorkBudget(HOST_FAILURE_WORK)): [number, number] {
    const H = capC.length;
    const usedC = new Array<number>(H).fill(0), usedM = new Array<number>(H).fill(0);
    let maxC = 0, maxM = 0;
    for (let h = 0; h < H; h++) {
        for (const it of items[h]) {
            usedC[h] += it.c; usedM[h] += it.m;
            if (it.c > maxC) maxC = it.c;
            if (it.m > maxM) maxM = it.m;
        }
    }
    const kk = Math.min(k, 2);
    budget.charge(H);
    if (kk >= 1 && H > kk && everyLossFits(h => capC[h], h => capM[h], usedC, usedM, items.map(list => list.length), maxC, maxM, kk)) return [0, 0];
    const sorted = items.map(list => [...list].sort((a, b) => b.c - a.c || b.m - a.m));
    const L: Loads = { capC: [...capC], capM: [...capM], usedC, usedM, items: sorted };
    const rp = new Replacer(L);
    const classes = hostClasses(L);
    let single = 0, pairs = 0;
    for (const cl of classes) if (rp.canReplace([cl[0]], budget) !== 'fit') single += cl.length;
    if (k >= 2 && H >= 2) {
        for (let i = 0; i < classes.length; i++) {
            for (let j = i; j < classes.length; j++) {
                if (i === j && classes[i].length < 2) continue;
                const lost = i === j ? [classes[i][0], classes[i][1]] : [classes[i][0], classes[j][0]];
                if (rp.canReplace(lost, budget) !== 'fit') pairs++;
            }
        }
    }
    return [single, pairs];
}

/**
 * Index of the plan's largest host: most usable vCPUs, then most usable GiB, then first in model
 * order; -1 when there are no hosts. Never throws.
 */
export function largestHost(hosts: readonly Host[]): number {
    let best = -1;
    for (let h = 0; h < hosts.length; h++) {
        if (best < 0 || hosts[h].usableCores > hosts[best].usableCores ||
            (hosts[h].usableCores === hosts[best].usableCores && hosts[h].usableMemoryGiB > hosts[best].usableMemoryGiB)) best = h;
    }
    return best;
}

/**
 * The plan with `extra` copies of its largest host appended (named `<name>+<k>`, no pins, no
 * rack, `ref` and `nameIndex` of the original). Used for `hostsNeededForNPlus1` and the
 * `unplaceable` quick-fix ("add the hosts needed (copies of the largest host)"). Returns the
 * model itself when `extra` ≤ 0 or there is no host. Never throws.
 */
export function withCopiesOfLargestHost(model: PlanModel, extra: number): PlanModel {
    const L = largestHost(model.hosts);
    if (L < 0 || extra <= 0) return model;
    const base = model.hosts[L];
    const copies: Host[] = [];
    for (let k = 1; k <= extra; k++) copies.push({ ...base, name: `${base.name}+${k}`, pins: [], rack: undefined });
    return { ...model, hosts: [...model.hosts, ...copies] };
}

/**
 * What the N+1 search found: `hosts` is the smallest host count (the plan's hosts plus copies of
 * `copiesOf`, its largest host) that survives any one loss; with `bound` `at-least` the work
 * budget ran out first and `hosts` is a lower bound; with `unreachable` no number of copies of
 * `copiesOf` makes the plan survive (`hosts` is then the plan's own count).
 */
export interface NPlus1 {
    readonly hosts: number;
    readonly bound?: 'at-least' | 'unreachable';
    readonly copiesOf: string;
}

/**
 * Smallest number of hosts — the plan's hosts plus copies of its largest host — for which a
 * placement (re-run with the copies added, pins kept: the planner's own, else a first-fit
 * decreasing one) places everything and survives the loss of any one host. Heuristic: a count
 * where neither placement survives is taken as failing. Source: spec "Host failure" (the
 * domain page, "Allocating Virtual Instances on Physical Machines"). Never throws. Returns the
 * plan's host count when its own placement already survives one loss.
 * Returns `null` when no host exists, a host is overcommitted, no count is found within the work
 * budget (`hostFailureBudget`), or copies of the largest host cannot make the plan survive (see
 * `nPlus1Search` for the reasons).
 */
export function hostsNeededForNPlus1(model: PlanModel, placement?: PlacementResult): number | null {
    if (model.hosts.length === 0) return null;
    const p0 = placement ?? place(model);
    if (p0.overcommitted.length > 0) return null;
    const budget = hostFailureBudget(model);
    const t = p0.unplaced.length === 0 ? toleranceOf(model, p0, 1, budget) : undefined;
    const r = t && t.tolerates >= 1 ? { hosts: model.hosts.length } as NPlus1 : nPlus1Search(model, budget, t !== undefined && !t.proven);
    return r.bound ? null : r.hosts;
}

/**
 * The N+1 search over copies of the largest host (see `hostsNeededForNPlus1`), for a plan whose
 * own placement does not survive one loss (or, with `undecided`, is not proven to), charging
 * `budget`:
 * - copies of the largest host can never take an instance larger than it (more vCPUs or GiB):
 *   when such instances exist, the plan's own hosts must keep them alive. They are placed alone
 *   on those hosts (the room of the pins of other shapes taken off, as copies would take the
 *   rest); when that placement does not survive one loss either, the figure is `unreachable`
 *   without searching (two 8-core/64 GiB hosts, a 16-core/16 GiB host and 32 GiB backends:
 *   copies of the 16 GiB host never help);
 * - else galloping then binary search over the number of copies (survival is taken as
 *   monotone), from the count the totals need, up to the plan's hosts + 2·hosts + 64 copies
 *   (`unreachable` beyond);
 * - a step is not started once the budget is exhausted: the figure is then a lower bound
 *   (`at-least`): one more than the largest count shown failing, or the totals' bound.
 * Placements are re-run without the exact fallback (HiGHS is timed, not counted in work).
 */
function nPlus1Search(model: PlanModel, budget: WorkBudget, undecided = false): NPlus1 {
    const H = model.hosts.length;
    const Li = largestHost(model.hosts);
    const L = model.hosts[Li];
    const copiesOf = L.name;
    if (L.usableCores <= 0 || L.usableMemoryGiB <= 0) return { hosts: H, bound: 'unreachable', copiesOf };
    const tooLarge = (c: number, m: number) => c > L.usableCores + EPS || m > L.usableMemoryGiB + EPS;
    // lower bound: without the largest host the rest must hold everything
    let needC = 0, needM = 0, haveC = 0, haveM = 0, large = false;
    for (const i of model.instances) { needC += i.cores; needM += i.memoryGiB; if (tooLarge(i.cores, i.memoryGiB)) large = true; }
    for (const h of model.hosts) { haveC += h.usableCores; haveM += h.usableMemoryGiB; }
    budget.charge(model.instances.length + H);
    const byTotals = Math.max(0,
        Math.ceil((needC - haveC + L.usableCores - EPS) / L.usableCores),
        Math.ceil((needM - haveM + L.usableMemoryGiB - EPS) / L.usableMemoryGiB));
    // the search starts at one copy; that the plan's own hosts fail is known unless `undecided`
    const e0 = Math.max(1, byTotals);
    const atLeast = (extra: number): NPlus1 =>
        ({ hosts: H + (undecided && extra === e0 ? byTotals : extra), bound: 'at-least', copiesOf });
    if (large) {
        if (budget.exhausted) return atLeast(e0);
        const s = survivesAlone(model, tooLarge, budget);
        if (s === 'no') return { hosts: H, bound: 'unreachable', copiesOf };
        if (s === 'unknown') return atLeast(e0);
    }
    const survives = (extra: number): 'yes' | 'no' | 'unknown' => {
        const m = withCopiesOfLargestHost(model, extra);
        // "a placement survives": the planner's own, else a first-fit one that keeps hosts free
        for (const opts of [{}, { start: 'first-fit', skipLocalSearch: true }] as const) {
            if (budget.exhausted) return 'unknown';
            const p = place(m, { ...opts, tolerate: Math.min(1, model.settings.tolerateHostFailures), exactFallback: false, work: budget });
            if (p.unplaced.length === 0 && p.overcommitted.length === 0 && toleranceOf(m, p, 1, budget).tolerates >= 1) return 'yes';
        }
        return 'no';
    };
    const eMax = e0 + 2 * H + 64;
    // gallop, then binary search (survival is taken as monotone in the number of copies)
    let lo = e0 - 1, hi = -1, step = 1, e = e0;
    for (;;) {
        const s = survives(e);
        if (s === 'unknown') return atLeast(lo + 1);
        if (s === 'yes') { hi = e; break; }
        lo = e;
        if (e >= eMax) break;
        e = Math.min(eMax, lo + step);
        step *= 2;
    }
    if (hi < 0) return { hosts: H, bound: 'unreachable', copiesOf };
    while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        const s = survives(mid);
        if (s === 'unknown') return atLeast(lo + 1);
        if (s === 'yes') hi = mid; else lo = mid;
    }
    return { hosts: H + hi, copiesOf };
}

/**
 * The limit of adding copies of the largest host: the instances too large for it (`tooLarge`),
 * placed alone on the plan's own hosts (pins of those shapes kept; the room of the other pins
 * taken off), survive the loss of any one host? `unknown` when the budget runs out first.
 */
function survivesAlone(model: PlanModel, tooLarge: (c: number, m: number) => boolean, budget: WorkBudget): 'yes' | 'no' | 'unknown' {
    const large = new Set(model.shapes.filter(s => tooLarge(s.cores, s.memoryGiB)).map(s => s.name));
    for (const i of model.instances) if (tooLarge(i.cores, i.memoryGiB)) large.add(i.shape);
    const shapeOf = new Map(model.shapes.map(s => [s.name, s]));
    const hosts: Host[] = model.hosts.map(h => {
        let c = 0, m = 0;
        for (const pin of h.pins) {
            const s = shapeOf.get(pin.shape);
            if (s && !large.has(pin.shape)) { c += pin.count * s.cores; m += pin.count * s.memoryGiB; }
        }
        return { ...h, usableCores: Math.max(0, h.usableCores - c), usableMemoryGiB: Math.max(0, h.usableMemoryGiB - m), pins: h.pins.filter(p => large.has(p.shape)) };
    });
    const sub: PlanModel = { ...model, hosts, instances: model.instances.filter(i => large.has(i.shape)) };
    const p = place(sub, { tolerate: 1, exactFallback: false, work: budget });
    if (p.unplaced.length > 0 || p.overcommitted.length > 0) return 'no';
    const t = toleranceOf(sub, p, 1, budget);
    return t.tolerates >= 1 ? 'yes' : t.proven ? 'no' : 'unknown';
}

/**
 * Everything the host-failure figures and their explanation need, computed once per placement
 * (`hostFailure` and `explainHostFailure` of the same placement share it: nothing is searched
 * twice) within one `hostFailureBudget`.
 */
interface HostFailureAnalysis {
    readonly figures: HostFailureFigures;
    /** First single loss shown not to re-place (a host index), -1 when none. */
    readonly failingHost: number;
    readonly loads: Loads;
    /** Work units spent. */
    readonly work: number;
}

const analyses = new WeakMap<PlacementResult, { model: PlanModel; analysis: HostFailureAnalysis | null }>();

function analyzeHostFailure(model: PlanModel, placement: PlacementResult): HostFailureAnalysis | null {
    const cached = analyses.get(placement);
    if (cached && cached.model === model) return cached.analysis;
    let analysis: HostFailureAnalysis | null = null;
    if (model.settings.platform !== 'physical' && model.hosts.length > 0 && placement.unplaced.length === 0 && placement.overcommitted.length === 0) {
        const budget = hostFailureBudget(model);
        const L = loadsOf(model, placement);
        const t = toleranceOf(model, placement, 2, budget);
        const H = model.hosts.length;
        const n: NPlus1 = t.tolerates >= 1 ? { hosts: H, copiesOf: model.hosts[largestHost(model.hosts)].name } : nPlus1Search(model, budget, !t.proven);
        const figures: HostFailureFigures = {
            tolerates: t.tolerates,
            hostsNeededForNPlus1: n.hosts,
            ...(t.proven ? {} : { toleratesBound: 'at-least' as const }),
            ...(n.bound ? { nPlus1Bound: n.bound, copiesOf: n.copiesOf } : {})
        };
        const failingHost = t.tolerates === 0 && t.failing && t.failing.length > 0 ? Math.min(...hostsAlike(L, t.failing[0])) : -1;
        analysis = { figures, failingHost, loads: L, work: budget.spent };
    }
    analyses.set(placement, { model, analysis });
    return analysis;
}

/**
 * Work units the host-failure figures of a placement took (see `WorkBudget`; at most
 * `hostFailureBudget` plus one step); null when there are none (see `hostFailure`). For tests and
 * the bench: deterministic, unlike a time.
 */
export function hostFailureWork(model: PlanModel, placement: PlacementResult): number | null {
    return analyzeHostFailure(model, placement)?.work ?? null;
}

/**
 * Host-failure figures of a placement, `null` while any instance is unplaced, any host is
 * overcommitted, the plan has no hosts, or the platform is physical (spec, "Host failure").
 * `tolerates` ∈ {0, 1, 2}; `hostsNeededForNPlus1` is a host count (the plan's own count when it
 * already tolerates one loss). The tolerance search and the N+1 search share one budget
 * (`hostFailureBudget`): when it runs out, `toleratesBound` / `nPlus1Bound` say the figure
 * is a lower bound; `nPlus1Bound` `unreachable` says copies of `copiesOf` never make the plan
 * survive. Computed once per placement (cached). Never throws.
 */
export function hostFailure(model: PlanModel, placement: PlacementResult): HostFailureFigures | null {
    return analyzeHostFailure(model, placement)?.figures ?? null;
}

/**
 * Why a placement does not survive the loss of one host, for messages such as "1 spare core per
 * host cannot take a lost host's 13 cores; N+1 needs 5 hosts". vCPUs and GiB.
 */
export interface HostFailureShortfall {
    /** First host (model order) whose loss is shown not to re-place; -1 when none is. */
    readonly host: number;
    /** Load of that host (0 when `host` is -1): what must be re-placed. */
    readonly lostCores: number;
    readonly lostMemoryGiB: number;
    /** Largest instance on that host, vCPUs; and most GiB of one instance on it. */
    readonly lostLargestPieceCores: number;
    readonly lostLargestPieceMemoryGiB: number;
    /** Spare of all the other hosts together. */
    readonly spareCoresOfOthers: number;
    readonly spareMemoryGiBOfOthers: number;
    /** Least and most spare vCPUs of one host (all hosts). Equal when the hosts are alike. */
    readonly minSpareCores: number;
    readonly maxSpareCores: number;
    /** Largest load of one host, vCPUs and GiB. */
    readonly largestLoadCores: number;
    readonly largestLoadMemoryGiB: number;
    /** Same as `hostFailure(…).hostsNeededForNPlus1` when exact; null when it is a bound or unreachable. */
    readonly hostsNeededForNPlus1: number | null;
}

/**
 * Explains a host-failure shortfall of a placement (see `HostFailureShortfall`). Returns `null`
 * in the cases where `hostFailure` is `null`. Shares `hostFailure`'s search (nothing is searched
 * twice). Never throws.
 */
export function explainHostFailure(model: PlanModel, placement: PlacementResult): HostFailureShortfall | null {
    const a = analyzeHostFailure(model, placement);
    if (!a) return null;
    const L = a.loads;
    const H = L.capC.length;
    const host = a.failingHost;
    const spareC = L.capC.map((c, h) => Math.max(0, c - L.usedC[h]));
    const spareM = L.capM.map((m, h) => Math.max(0, m - L.usedM[h]));
    let sumC = 0, sumM = 0;
    for (let h = 0; h < H; h++) if (h !== host) { sumC += spareC[h]; sumM += spareM[h]; }
    let minC = Infinity, maxC = -Infinity, loadC = -Infinity, loadM = -Infinity;
    for (let h = 0; h < H; h++) {
        if (spareC[h] < minC) minC = spareC[h];
        if (spareC[h] > maxC) maxC = spareC[h];
        if (L.usedC[h] > loadC) loadC = L.usedC[h];
        if (L.usedM[h] > loadM) loadM = L.usedM[h];
    }
    return {
        host,
        lostCores: host >= 0 ? L.usedC[host] : 0,
        lostMemoryGiB: host >= 0 ? L.usedM[host] : 0,
        lostLargestPieceCores: host >= 0 && L.items[host].length > 0 ? L.items[host][0].c : 0,
        lostLargestPieceMemoryGiB: host >= 0 ? L.items[host].reduce((x, it) => Math.max(x, it.m), 0) : 0,
        spareCoresOfOthers: sumC,
        spareMemoryGiBOfOthers: sumM,
        minSpareCores: minC,
        maxSpareCores: maxC,
        largestLoadCores: loadC,
        largestLoadMemoryGiB: loadM,
        hostsNeededForNPlus1: a.figures.nPlus1Bound ? null : a.figures.hostsNeededForNPlus1
    };
}

function hostsAlike(L: Loads, h: number): number[] {
    return hostClasses(L).find(cl => cl.includes(h)) ?? [h];
}
