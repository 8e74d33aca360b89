/**
 * Perfect-fit repacking for a placement planned from a lock (issue 12, day 2; a step of the
 * moves heuristic, run by `returnByEviction` of move-search.ts).
 *
 * When pieces stay unplaced, the room they need may exist only once the kept pieces of a few
 * hosts are packed otherwise: a 14-vCPU host holding 4 + 3 + 6 has 1 vCPU spare, while 4 + 4 + 6
 * fills it and the 3 fills a 3-vCPU gap on another host. One move-by-move search does not find
 * that; this one repacks a small set of hosts (one, two or three) at once: the unpinned pieces on
 * them and every unplaced piece form a pool, counted by shape (pieces of one shape are alike),
 * and a depth-first search chooses how many of each shape each host takes, for the most vCPUs
 * placed, then the most pieces on the host they may stay on (`stayHost`: each other locked
 * piece is a move, as the MILP's `moves` level counts). A set is repacked when that places more
 * vCPUs, or as many with fewer moves; never overcommitting a host and never putting a role
 * entirely on one host that was not before. Sets of one host are tried first, then two, then
 * three; among one size's sets the best gain is taken, then all sizes are tried again. With no
 * piece to place, only the sets that hold a moved locked piece and its locked host are tried
 * (the same search then undoes moves a chain of single moves cannot).
 *
 * Deterministic: bounded by counted work (search nodes), never by the clock. Pure: no I/O.
 */
import type { PlanModel } from './model.js';
import { EPS } from './objective.js';
import { HostLoads } from './host-loads.js';

/** Most search nodes of one `repackHosts` call, in all. */
const WORK_BUDGET = 150_000;
/** Most search nodes for one set of hosts (a set past it keeps what was found so far). */
const SET_BUDGET = 20_000;
/** Largest sets of hosts repacked together. */
const MAX_SET = 3;

/** What a repacking gains: vCPUs placed, then pieces on the host they may stay on. */
interface Gain {
    cores: number;
    kept: number;
}

/** A better packing of a set of hosts and its gain over the current one. */
interface Found {
    packing: Packing;
    gain: Gain;
}

/** The best packing found for one set of hosts: counts per (host of the set, shape). */
interface Packing {
    cores: number;
    kept: number;
    counts: Int32Array;
}

/**
 * Repacks small sets of hosts (see the module comment), changing `hostOf` (per instance, -1
 * unplaced) in place. `cap` is the model with drained hosts emptied; `open[h]`: host h may take
 * unpinned instances; `isPinned[i]`: instance i is a pin (never moved); `stayHost[i]`: the host
 * locked instance i may stay on (-1: none). `placeMore`: every set is tried while pieces are
 * unplaced (else only the sets where a locked piece may go back). `loads`: the loads of `hostOf`, kept up to date (a
 * caller's own tracker). `budget`: most search nodes. Returns the number of sets repacked. Never
 * throws.
 */
export function repackHosts(
    model: PlanModel,
    cap: PlanModel,
    hostOf: number[],
    isPinned: Uint8Array,
    stayHost: Int32Array,
    open: readonly boolean[],
    placeMore: boolean,
    loads: HostLoads = HostLoads.of(model, hostOf, cap, isPinned),
    budget = WORK_BUDGET
): number {
    const n = model.instances.length,
        H = model.hosts.length;
    const inst = model.instances;
    // shapes by size, largest first (the search fills a host with large pieces first)
    const shapeId = new Map<string, number>();
    for (const it of inst) if (!shapeId.has(it.shape)) shapeId.set(it.shape, shapeId.size);
    const S = shapeId.size;
    const sc = new Float64Array(S),
        sm = new Float64Array(S);
    for (const it of inst) {
        const s = shapeId.get(it.shape)!;
        sc[s] = it.cores;
        sm[s] = it.memoryGiB;
    }
    const order = Array.from({ length: S }, (_, s) => s).sort(
        (a, b) => sc[b] - sc[a] || sm[b] - sm[a] || a - b
    );
    const rank = new Int32Array(S);
    order.forEach((s, r) => (rank[s] = r));
    const cores = Float64Array.from(order, s => sc[s]),
        mem = Float64Array.from(order, s => sm[s]);
    const shapeOf = Int32Array.from(inst, it => rank[shapeId.get(it.shape)!]);

    // room for unpinned pieces per host: its usable vCPUs and GiB less its pins
    const roomC = new Float64Array(H),
        roomM = new Float64Array(H);
    for (let h = 0; h < H; h++) {
        roomC[h] = cap.hosts[h].usableCores;
        roomM[h] = cap.hosts[h].usableMemoryGiB;
    }
    for (let i = 0; i < n; i++)
        if (isPinned[i] && hostOf[i] >= 0) {
            roomC[hostOf[i]] -= inst[i].cores;
            roomM[hostOf[i]] -= inst[i].memoryGiB;
        }

    // fill[s * (R + 1) + r]: the most vCPUs of room r that pieces of shapes s.. (any number)
    // can take: the search's bound sees a host's waste before it is packed (whole vCPUs only)
    const integral = cores.every(c => Number.isInteger(c));
    let R = 0;
    for (let h = 0; h < H; h++) if (open[h]) R = Math.max(R, Math.floor(roomC[h] + EPS));
    if (!integral) R = 0;
    const fill = new Float64Array((S + 1) * (R + 1));
    if (integral)
        for (let s = S - 1; s >= 0; s--) {
            const row = s * (R + 1),
                next = (s + 1) * (R + 1);
            for (let r = 0; r <= R; r++) {
                let best = fill[next + r];
                if (cores[s] > 0 && r >= cores[s])
                    best = Math.max(best, fill[row + r - cores[s]] + cores[s]);
                fill[row + r] = best;
            }
        }
    /** The most vCPUs of `room` that pieces of shapes `s`.. can take (an upper bound). */
    const fillable = (s: number, room: number): number =>
        room <= EPS ? 0 : integral ? fill[s * (R + 1) + Math.min(R, Math.floor(room + EPS))] : room;

    // the least vCPUs a repack can gain: a piece swapped for one of the next larger shape
    let minDiff = Infinity;
    for (let s = 1; s < S; s++)
        if (cores[s - 1] - cores[s] > EPS) minDiff = Math.min(minDiff, cores[s - 1] - cores[s]);

    let work = 0,
        repacked = 0;
    for (;;) {
        const unplaced = new Int32Array(S);
        let smallest = Infinity;
        for (let i = 0; i < n; i++)
            if (hostOf[i] < 0 && !isPinned[i]) {
                unplaced[shapeOf[i]]++;
                if (placeMore) smallest = Math.min(smallest, inst[i].cores, minDiff);
            }
        let stepped = false;
        for (let k = 1; k <= MAX_SET && !stepped && work < budget; k++) {
            let best: (Found & { set: number[] }) | undefined;
            forEachSet(k, smallest, set => {
                if (!worthTrying(set, smallest)) return;
                const found = search(set, unplaced, best?.gain ?? { cores: 0, kept: 0 });
                if (found) best = { ...found, set };
            });
            if (best && apply(best.set, best.packing)) {
                repacked++;
                stepped = true;
            }
        }
        if (!stepped || work >= budget) break;
    }
    return repacked;

    /**
     * Calls `f` with sets of `k` open hosts until the budget is spent: with pieces unplaced
     * (`smallest` finite), every set, in host order; else only sets holding a locked piece and
     * the host it may stay on (and, for three, one other host), as only those can keep more.
     */
    function forEachSet(k: number, smallest: number, f: (set: number[]) => void): void {
        const hosts = open.flatMap((o, h) => (o ? [h] : []));
        if (smallest < Infinity) {
            const pick = (from: number, set: number[]) => {
                if (work >= budget) return;
                if (set.length === k) {
                    f(set);
                    return;
                }
                for (let x = from; x < hosts.length; x++) pick(x + 1, [...set, hosts[x]]);
            };
            pick(0, []);
            return;
        }
        if (k < 2) return;
        const seen = new Set<string>();
        for (let i = 0; i < n && work < budget; i++) {
            const o = stayHost[i],
                h = hostOf[i];
            if (o < 0 || h < 0 || h === o || isPinned[i] || !open[o]) continue;
            for (const x of k === 2 ? [-1] : hosts) {
                if (work >= budget) return;
                if (x === o || x === h) continue;
                const set = (x < 0 ? [o, h] : [o, h, x]).sort((a, b) => a - b);
                const key = set.join(' ');
                if (seen.has(key)) continue;
                seen.add(key);
                f(set);
            }
        }
    }

    /**
     * Whether repacking `set` can gain: its spare vCPUs fit the smallest unplaced piece
     * (`smallest` vCPUs, Infinity: none), or a locked piece on one host of the set may stay on
     * another of it. Counts as one unit of work.
     */
    function worthTrying(set: number[], smallest: number): boolean {
        work++;
        let spare = 0;
        for (const h of set) spare += loads.freeCores(h);
        if (spare >= smallest - EPS) return true;
        if (set.length < 2) return false;
        for (const h of set)
            for (const i of loads.movable[h]) {
                const o = stayHost[i];
                if (o >= 0 && o !== h && set.includes(o)) return true;
            }
        return false;
    }

    /**
     * The best packing of the pool of `set` (its unpinned pieces and the unplaced ones, counted
     * in `unplaced`) whose gain over the current packing (vCPUs, then pieces on their stay host)
     * beats `beat`; undefined when none does within the budget.
     */
    function search(set: number[], unplaced: Int32Array, beat: Gain): Found | undefined {
        const k = set.length;
        const pool = Int32Array.from(unplaced);
        // stay[t * S + s]: pieces of the pool of shape s that may stay on the set's host t
        const stay = new Int32Array(k * S);
        const inSet = new Int32Array(H).fill(-1);
        set.forEach((h, t) => (inSet[h] = t));
        let curCores = 0,
            curKept = 0;
        const count = (i: number) => {
            const t = stayHost[i] >= 0 ? inSet[stayHost[i]] : -1;
            if (t >= 0) stay[t * S + shapeOf[i]]++;
        };
        for (const h of set)
            for (const i of loads.movable[h]) {
                pool[shapeOf[i]]++;
                curCores += inst[i].cores;
                if (stayHost[i] === h) curKept++;
                count(i);
            }
        for (let i = 0; i < n; i++) if (hostOf[i] < 0 && !isPinned[i]) count(i);
        // bounds from host t on: the vCPUs the later hosts can take, the pieces that may stay
        const laterFill = new Float64Array(k + 1),
            keptAfter = new Int32Array(k + 1);
        for (let t = k - 1; t >= 0; t--) {
            laterFill[t] = laterFill[t + 1] + fillable(0, roomC[set[t]]);
            let x = 0;
            for (let s = 0; s < S; s++) x += stay[t * S + s];
            keptAfter[t] = keptAfter[t + 1] + x;
        }

        const counts = new Int32Array(k * S);
        let best: Packing = {
            cores: curCores + beat.cores,
            kept: curKept + beat.kept,
            counts: new Int32Array(0)
        };
        const start = work;
        let usedC = 0,
            usedM = 0,
            placedC = 0,
            kept = 0,
            poolLeft = 0;
        for (let s = 0; s < S; s++) poolLeft += pool[s] * cores[s];
        const dfs = (t: number, s: number): void => {
            if (++work > budget || work - start > SET_BUDGET) return;
            if (t === k) {
                if (placedC > best.cores + EPS || (placedC > best.cores - EPS && kept > best.kept))
                    best = { cores: placedC, kept, counts: Int32Array.from(counts) };
                return;
            }
            const h = set[t];
            if (s === S) {
                const c0 = usedC,
                    m0 = usedM;
                usedC = 0;
                usedM = 0;
                dfs(t + 1, 0);
                usedC = c0;
                usedM = m0;
                return;
            }
            // bound: this host takes at most what shapes s.. can fill of its room left, the later
            // hosts what they can fill, both at most the pool left
            let smaller = 0;
            for (let x = s; x < S; x++) smaller += pool[x] * cores[x];
            const here = Math.min(fillable(s, roomC[h] - usedC), smaller);
            const upper = placedC + here + Math.min(laterFill[t + 1], poolLeft - here);
            if (upper < best.cores - EPS) return;
            if (upper < best.cores + EPS && kept + keptAfter[t] <= best.kept) return;
            let most = pool[s];
            if (cores[s] > 0)
                most = Math.min(most, Math.floor((roomC[h] - usedC + EPS) / cores[s]));
            if (mem[s] > 0) most = Math.min(most, Math.floor((roomM[h] - usedM + EPS) / mem[s]));
            for (let x = Math.max(0, most); x >= 0; x--) {
                const keep = Math.min(x, stay[t * S + s]);
                counts[t * S + s] = x;
                pool[s] -= x;
                poolLeft -= x * cores[s];
                usedC += x * cores[s];
                usedM += x * mem[s];
                placedC += x * cores[s];
                kept += keep;
                dfs(t, s + 1);
                kept -= keep;
                placedC -= x * cores[s];
                usedC -= x * cores[s];
                usedM -= x * mem[s];
                poolLeft += x * cores[s];
                pool[s] += x;
                counts[t * S + s] = 0;
            }
        };
        dfs(0, 0);
        if (best.counts.length === 0) return undefined;
        return { packing: best, gain: { cores: best.cores - curCores, kept: best.kept - curKept } };
    }

    /**
     * Puts the pieces of `set`'s pool on its hosts as `packing` counts them: per host and shape,
     * the pieces that may stay there first, then those already there, then the others (the
     * unplaced ones last); the rest of the pool is left unplaced. Undone, returning false, when a
     * role would be entirely on one host that was not before.
     */
    function apply(set: number[], packing: Packing): boolean {
        const before = loads.onOneHost(),
            placedBefore = loads.placedCores;
        let keptBefore = 0;
        for (const h of set) for (const i of loads.movable[h]) if (stayHost[i] === h) keptBefore++;
        const undo: [number, number][] = [];
        const move = (i: number, to: number) => {
            undo.push([i, hostOf[i]]);
            loads.add(i, hostOf[i], -1);
            hostOf[i] = to;
            loads.add(i, to, 1);
        };
        const pool: number[] = [];
        for (const h of set) for (const i of loads.movable[h]) pool.push(i);
        for (let i = 0; i < n; i++) if (hostOf[i] < 0 && !isPinned[i]) pool.push(i);
        const from = new Map(pool.map(i => [i, hostOf[i]]));
        for (const i of pool) move(i, -1);
        // first the pieces that may stay on their host, then the others: those already there,
        // then those placed elsewhere, the unplaced ones last
        const k = set.length;
        const want = Int32Array.from(packing.counts);
        const order = (i: number, h: number) => (from.get(i) === h ? 0 : from.get(i)! >= 0 ? 1 : 2);
        for (const staying of [true, false])
            for (let t = 0; t < k; t++) {
                const h = set[t];
                const alike = pool
                    .filter(i => hostOf[i] < 0 && (!staying || stayHost[i] === h))
                    .sort((a, b) => order(a, h) - order(b, h) || a - b);
                for (const i of alike)
                    if (want[t * S + shapeOf[i]] > 0) {
                        want[t * S + shapeOf[i]]--;
                        move(i, h);
                    }
            }
        let kept = 0;
        for (const h of set) for (const i of loads.movable[h]) if (stayHost[i] === h) kept++;
        const gain = loads.placedCores - placedBefore;
        if (loads.onOneHost() <= before && (gain > EPS || (gain > -EPS && kept > keptBefore)))
            return true;
        for (let x = undo.length - 1; x >= 0; x--) {
            const [i, h] = undo[x];
            loads.add(i, hostOf[i], -1);
            hostOf[i] = h;
            loads.add(i, h, 1);
        }
        return false;
    }
}
