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

    /** True when the instances of the `lost` hosts fit on the spare capacity of the others. */
    canReplace(lost: readonly number[]): boolean {
        const items = this.lostItems(lost);
        if (items.length === 0) return true;
        let needC = 0, needM = 0, haveC = this.totalC, haveM = this.totalM;
        let maxM = -Infinity;
        for (let k = 0; k < items.length; k++) { needC += items[k].c; needM += items[k].m; if (items[k].m > maxM) maxM = items[k].m; }
        for (const h of lost) { haveC -= this.spareC[h]; haveM -= this.spareM[h]; }
        if (needC > haveC + EPS || needM > haveM + EPS) return false;
        // Best-fit decreasing cannot fail when at least as many of the other hosts as there are
        // items each have room for the largest item in both dimensions: before the k-th item at
        // most k − 1 hosts were given an item, so one of those hosts is untouched and takes it.
        if (this.roomy(items[0].c, maxM, lost) >= items.length) return true;
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
        for (let k = 0; k < n; k++) {
            const p = touched[k], h = this.order[p];
            cur[2 * p] = this.spareC[h]; cur[2 * p + 1] = this.spareM[h];
            tree.set(p, this.spareC[h], this.spareM[h]);
        }
        for (const h of lost) tree.set(this.pos[h], this.spareC[h], this.spareM[h]);
        if (ok) return true;
        return this.exact(items, lost);
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

    /** The bounded exact search (`boundedExactFit`) over the spare capacity of the hosts not lost. */
    private exact(items: readonly { c: number; m: number }[], lost: readonly number[]): boolean {
        const lostSet = new Set(lost);
        const bins: { c: number; m: number }[] = [];
        for (let h = 0; h < this.spareC.length; h++) {
            if (!lostSet.has(h) && this.spareC[h] > EPS) bins.push({ c: this.spareC[h], m: this.spareM[h] });
        }
        return boundedExactFit(items, bins);
    }
}

/**
 * Whether `items` (vCPUs, GiB; largest first) fit into `bins` (spare vCPUs, GiB) by a bounded
 * exact search: depth-first, bins with equal spare tried once per level. Small cases only: false
 * (not proved) beyond 48 items, 256 bins or 50,000 search nodes. `bins` is used as scratch and
 * left as it was. The last step of the host-failure re-placement check after best-fit decreasing.
 */
export function boundedExactFit(items: readonly { c: number; m: number }[], bins: { c: number; m: number }[]): boolean {
    if (items.length > 48 || bins.length > 256) return false;
    let nodes = 0;
    const LIMIT = 50_000;
    const rec = (k: number): boolean => {
        if (k === items.length) return true;
        if (++nodes > LIMIT) return false;
        const it = items[k];
        const seen = new Set<string>();
        for (const b of bins) {
            if (b.c + EPS < it.c || b.m + EPS < it.m) continue;
            const key = `${b.c}|${b.m}`;
            if (seen.has(key)) continue;
            seen.add(key);
            b.c -= it.c; b.m -= it.m;
            const ok = rec(k + 1);
            b.c += it.c; b.m += it.m;
            if (ok) return true;
            if (nodes > LIMIT) return false;
        }
        return false;
    };
    return rec(0);
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
 * instance is placed at all. Units: vCPUs and GiB. Never throws.
 */
export function toleratedHostLosses(model: PlanModel, placement: PlacementResult, maxK = 2): number {
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
        if (everyLossFits(h => model.hosts[h].usableCores, h => model.hosts[h].usableMemoryGiB, usedC, usedM, counts, maxC, maxM, k)) return k;
    }
    return tolerance(loadsOf(model, placement), maxK).tolerates;
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

function tolerance(L: Loads, maxK: number): { tolerates: number; failing: number[] | null } {
    const rp = new Replacer(L);
    const classes = hostClasses(L);
    const H = L.capC.length;
    let k = 0;
    if (maxK >= 1) {
        for (const cl of classes) if (!rp.canReplace([cl[0]])) return { tolerates: 0, failing: [cl[0]] };
        if (H < 1) return { tolerates: 0, failing: [] };
        k = 1;
    }
    if (maxK >= 2) {
        if (H < 2) return { tolerates: 1, failing: null };
        for (let i = 0; i < classes.length; i++) {
            for (let j = i; j < classes.length; j++) {
                let lost: number[];
                if (i === j) { if (classes[i].length < 2) continue; lost = [classes[i][0], classes[i][1]]; }
                else lost = [classes[i][0], classes[j][0]];
                if (!rp.canReplace(lost)) return { tolerates: 1, failing: lost };
            }
        }
        k = 2;
    }
    return { tolerates: k, failing: null };
}

/**
 * How far a placement, given as per-host capacity and pieces, is from surviving the loss of any k
 * hosts (k = 1 or 2): [failing single losses, failing pair losses (k = 2 only)], each counted once
 * per class of equivalent hosts (single losses weighted by the class size). [0, 0] means it
 * tolerates k. Used by the planner's tolerance pass (`place` with `tolerate_host_failures`).
 * `items[h]` lists the (vCPUs, GiB) of every instance on h. Never throws.
 */
export function lossFailures(capC: readonly number[], capM: readonly number[], items: readonly (readonly { c: number; m: number }[])[], k: number): [number, number] {
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
    if (kk >= 1 && H > kk && everyLossFits(h => capC[h], h => capM[h], usedC, usedM, items.map(list => list.length), maxC, maxM, kk)) return [0, 0];
    const sorted = items.map(list => [...list].sort((a, b) => b.c - a.c || b.m - a.m));
    const L: Loads = { capC: [...capC], capM: [...capM], usedC, usedM, items: sorted };
    const rp = new Replacer(L);
    const classes = hostClasses(L);
    let single = 0, pairs = 0;
    for (const cl of classes) if (!rp.canReplace([cl[0]])) single += cl.length;
    if (k >= 2 && H >= 2) {
        for (let i = 0; i < classes.length; i++) {
            for (let j = i; j < classes.length; j++) {
                if (i === j && classes[i].length < 2) continue;
                const lost = i === j ? [classes[i][0], classes[i][1]] : [classes[i][0], classes[j][0]];
                if (!rp.canReplace(lost)) pairs++;
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
 * Smallest number of hosts — the plan's hosts plus copies of its largest host — for which a
 * placement (re-run with the copies added, pins kept: the planner's own, else a first-fit
 * decreasing one) places everything and survives the loss of any one host. Heuristic: a count
 * where neither placement survives is taken as failing. Source: spec "Host failure" (the
 * domain page, "Allocating Virtual Instances on Physical Machines"). Never throws. Returns the plan's host count when its own placement already survives one loss.
 * Returns `null` when no host exists, a host is overcommitted, or no count up to the plan's hosts
 * + 2·hosts + 64 copies works (an instance larger than the largest host).
 */
export function hostsNeededForNPlus1(model: PlanModel, placement?: PlacementResult): number | null {
    const H = model.hosts.length;
    if (H === 0) return null;
    const p0 = placement ?? place(model);
    if (p0.overcommitted.length > 0) return null;
    if (p0.unplaced.length === 0 && toleratedHostLosses(model, p0, 1) >= 1) return H;
    const survives = (extra: number): boolean => {
        const m = withCopiesOfLargestHost(model, extra);
        // "a placement survives": the planner's own, else a first-fit one that keeps hosts free
        for (const opts of [{}, { start: 'first-fit', skipLocalSearch: true }] as const) {
            const p = place(m, opts);
            if (p.unplaced.length === 0 && p.overcommitted.length === 0 && toleratedHostLosses(m, p, 1) >= 1) return true;
        }
        return false;
    };
    // lower bound: without the largest host the rest must hold everything
    const L = model.hosts[largestHost(model.hosts)];
    let needC = 0, needM = 0, haveC = 0, haveM = 0;
    for (const i of model.instances) { needC += i.cores; needM += i.memoryGiB; }
    for (const h of model.hosts) { haveC += h.usableCores; haveM += h.usableMemoryGiB; }
    if (L.usableCores <= 0 || L.usableMemoryGiB <= 0) return null;
    let e0 = 1;
    e0 = Math.max(e0, Math.ceil((needC - haveC + L.usableCores - EPS) / L.usableCores));
    e0 = Math.max(e0, Math.ceil((needM - haveM + L.usableMemoryGiB - EPS) / L.usableMemoryGiB));
    const eMax = e0 + 2 * H + 64;
    // gallop, then binary search (survival is taken as monotone in the number of copies)
    let lo = e0 - 1, hi = -1, step = 1, e = e0;
    for (;;) {
        if (survives(e)) { hi = e; break; }
        lo = e;
        if (e >= eMax) break;
        e = Math.min(eMax, lo + step);
        step *= 2;
    }
    if (hi < 0) return null;
    while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if (survives(mid)) hi = mid; else lo = mid;
    }
    return H + hi;
}

/**
 * Host-failure figures of a placement, `null` while any instance is unplaced, any host is
 * overcommitted, the plan has no hosts, or the platform is physical (spec, "Host failure").
 * `tolerates` ∈ {0, 1, 2}; `hostsNeededForNPlus1` is a host count (the plan's own count when it
 * already tolerates one loss, and also in the degenerate case where no count is found). Can be
 * slow-ish on very large tight plans: the N+1 search re-runs the placement a few times
 * (galloping then binary search over the number of copies). Never throws.
 */
export function hostFailure(model: PlanModel, placement: PlacementResult): HostFailureFigures | null {
    if (model.settings.platform === 'physical' || model.hosts.length === 0) return null;
    if (placement.unplaced.length > 0 || placement.overcommitted.length > 0) return null;
    const tolerates = toleratedHostLosses(model, placement, 2);
    const needed = tolerates >= 1 ? model.hosts.length : hostsNeededForNPlus1(model, placement);
    return { tolerates, hostsNeededForNPlus1: needed ?? model.hosts.length };
}

/**
 * Why a placement does not survive the loss of one host, for messages such as "1 spare core per
 * host cannot take a lost host's 13 cores; N+1 needs 5 hosts". vCPUs and GiB.
 */
export interface HostFailureShortfall {
    /** First host (model order) whose loss cannot be re-placed; -1 when every single loss can. */
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
    /** Same as `hostFailure(…).hostsNeededForNPlus1` (null when it cannot be computed). */
    readonly hostsNeededForNPlus1: number | null;
}

/**
 * Explains a host-failure shortfall of a placement (see `HostFailureShortfall`). Returns `null`
 * in the cases where `hostFailure` is `null`. Never throws.
 */
export function explainHostFailure(model: PlanModel, placement: PlacementResult): HostFailureShortfall | null {
    if (model.settings.platform === 'physical' || model.hosts.length === 0) return null;
    if (placement.unplaced.length > 0 || placement.overcommitted.length > 0) return null;
    const L = loadsOf(model, placement);
    const H = L.capC.length;
    const t = tolerance(L, 1);
    const host = t.failing && t.failing.length > 0 ? Math.min(...hostsAlike(L, t.failing[0])) : -1;
    const spareC = L.capC.map((c, h) => Math.max(0, c - L.usedC[h]));
    const spareM = L.capM.map((m, h) => Math.max(0, m - L.usedM[h]));
    let sumC = 0, sumM = 0;
    for (let h = 0; h < H; h++) if (h !== host) { sumC += spareC[h]; sumM += spareM[h]; }
    return {
        host,
        lostCores: host >= 0 ? L.usedC[host] : 0,
        lostMemoryGiB: host >= 0 ? L.usedM[host] : 0,
        lostLargestPieceCores: host >= 0 && L.items[host].length > 0 ? L.items[host][0].c : 0,
        lostLargestPieceMemoryGiB: host >= 0 ? L.items[host].reduce((a, it) => Math.max(a, it.m), 0) : 0,
        spareCoresOfOthers: sumC,
        spareMemoryGiBOfOthers: sumM,
        minSpareCores: Math.min(...spareC),
        maxSpareCores: Math.max(...spareC),
        largestLoadCores: Math.max(...L.usedC),
        largestLoadMemoryGiB: Math.max(...L.usedM),
        hostsNeededForNPlus1: t.tolerates >= 1 ? H : hostsNeededForNPlus1(model, placement)
    };
}

function hostsAlike(L: Loads, h: number): number[] {
    return hostClasses(L).find(cl => cl.includes(h)) ?? [h];
}
