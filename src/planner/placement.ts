/**
 * The placement engine: puts every VM instance of a plan onto a host (spec, "What the checker
 * computes", "Placement"). Pure: no vscode or langium import.
 *
 * Rules, in priority order (the domain page's sections in brackets):
 *  1. hard: never overcommit a host's usable vCPUs or memory ("No over commitment of
 *     resources"); `runs` pins are kept as written, even when they overcommit (then the host is
 *     reported in `overcommitted` and nothing more goes on it);
 *  2. as many cores placed as possible; the shortfall is shared between the roles as evenly as
 *     possible (lexicographically smallest per-role unplaced cores, sorted in descending order)
 *     and the highest-numbered instances of a shape stay out first;
 *  3. spread: at most ⌈n/h⌉ instances of a role with n instances on h hosts where capacity
 *     allows ("Allocating Virtual Instances on Physical Machines": not all proxies on the same
 *     physical node);
 *  4. mix: every host runs several roles (same section: "collect Proxy, Director and Backend to
 *     same physical machine"), then spread over racks when hosts have a `rack`;
 *  5. balance: the busiest host's core utilisation as low as possible.
 *
 * Design: construct-then-improve. A slot-aware constructive pass places the largest pieces first
 * with the roles interleaved fairly, each on a host below its role's cap ⌈n/h⌉ with the most room
 * per open slot (large pieces on large hosts, room kept for the roles still to come; in a role's
 * smallest size, hosts without the role first), which on generated plans already reaches the
 * spread and mix the search would look for; then a bounded local search (insert, make-room
 * relocation, eject-and-refill, relocate, swap, spread repair chains, and pair re-partition: every
 * split of two hosts' movable pieces, which covers multi-piece exchanges) that never breaks rule 1
 * and only accepts strict lexicographic improvements. On small plans whose spread or mix is still
 * not reached, capped restarts (each role held to its cap while a host takes it; fixed orders and
 * seeded perturbations) are improved the same way and the best by the whole objective is kept;
 * when the spread is still exceeded, ejection chains (up to six relocations, each host left
 * within its capacity and caps) are searched on the best. With `tolerate_host_failures = k`, a
 * final bounded pass moves pieces (spread and mix never worse) until any k-host loss re-places.
 * The search remembers what found nothing: host states are numbered, and a pair re-split or a
 * piece's relocations and swaps between two host states that improved nothing is not searched
 * again while the states are the same (charged to the budget as if searched, so the memos save
 * time and change no result). The search works on counts per (host, shape): instances of one
 * shape are interchangeable, and the instance names are given out at the end in a canonical way
 * (lowest numbers to the first hosts, the highest numbers stay out), so the result does not
 * depend on the order in which equal elements come in. No clock is read: budgets count
 * evaluations, so the result is the same on every machine.
 */
import type { PlanModel, Role } from './model.js';
import { lossFailures, WorkBudget } from './host-failure.js';

/**
 * A `runs` pin that asks for more instances of a shape than remain to be pinned (the spec's
 * `pin-exceeds-deploy`). `host` indexes `model.hosts`; `pinIndex` is `Pin.pinIndex`; `asked`
 * is the pin's count; `available` how many it could pin (and did).
 */
export interface PinExcess { host: number; pinIndex: number; shape: string; asked: number; available: number }

/** The placement of a plan's instances onto its hosts (see `place`). */
export interface PlacementResult {
    /** hostOf[i]: index into model.hosts of model.instances[i], or -1 when unplaced (always -1 on physical plans). */
    readonly hostOf: readonly number[];
    /** byHost[h]: instance indices on host h (pinned ones first, in pin order; then ascending). */
    readonly byHost: readonly (readonly number[])[];
    /** pinned[h]: instance indices pinned on host h by `runs`, in pin order. */
    readonly pinned: readonly (readonly number[])[];
    /** Instance indices left unplaced, ascending (always empty on physical plans). */
    readonly unplaced: readonly number[];
    /**
     * Why instances are unplaced: `total-short` when the unpinned instances need more vCPUs (or
     * GiB) than the free capacity of the hosts that take more (non-overcommitted hosts' usable
     * minus their pins) even if it were perfectly divisible; else `fragmentation` (the pieces do
     * not fit). `null` when everything is placed.
     */
    readonly unplacedReason: 'total-short' | 'fragmentation' | null;
    /** Hosts whose pins need more vCPUs / GiB than usable: { host, cores, memoryGiB } (what the pins need). */
    readonly overcommitted: readonly { host: number; cores: number; memoryGiB: number }[];
    /** Pins that asked for more instances than were left (model order of hosts, then pin order). */
    readonly pinExcess: readonly PinExcess[];
}

/**
 * Tuning of `place`. All optional; the defaults suit plans up to 1,000,000 instances.
 * Budgets count move evaluations (never time), so the result stays deterministic.
 */
export interface PlaceOptions {
    /** Skip the local search (constructive pass only). Default false. */
    readonly skipLocalSearch?: boolean;
    /** Most move evaluations the local search may spend. Default 70,000 + 20 × instances (the same spread and balance as 100,000 on the bench plans, a third less time at 1,000 instances). */
    readonly maxEvaluations?: number;
    /**
     * Constructive start: `spread` (default; the rules' order) or `first-fit` (first-fit
     * decreasing in host order: packs hosts full and leaves whole hosts free, which the N+1
     * search also tries). With `spread`, a first-fit start is tried too when capacity runs out.
     */
    readonly start?: 'spread' | 'first-fit';
    /**
     * Use the exact fallback (`setPlacementFallback`, installed by `exact.ts` once HiGHS is
     * loaded) when instances stay unplaced on a small plan. Default true; nothing happens when
     * no fallback is installed.
     */
    readonly exactFallback?: boolean;
    /**
     * Host losses the placement should survive (default: the plan's `tolerate_host_failures`).
     * With 1 or 2, once everything is placed, a bounded pass moves and swaps pieces (never
     * making spread, mix or racks worse) until the loss of any 1 (or 2) hosts re-places, best
     * effort; small plans only (see `TOLERANCE_MAX_HOSTS`).
     */
    readonly tolerate?: number;
    /**
     * A work budget shared with the caller (the N+1 search): every search of this call (local
     * search, capped restarts, ejection chains, tolerance pass) is given at most what is left of
     * it, and what the call did is charged to it in its units (move evaluations, re-placement
     * work, one per instance and host for the constructive pass). Default: none (the budgets
     * above alone).
     */
    readonly work?: WorkBudget;
}

/** Tolerance for comparing GiB amounts (decimal GB units give inexact binary fractions). */
export const EPS = 1e-9;

/** Role → index in `ROLES` order (proxy 0, director 1, backend 2). */
export const ROLE_INDEX: Readonly<Record<Role, number>> = { proxy: 0, director: 1, backend: 2 };

/**
 * Places the instances of a plan on its hosts.
 *
 * Shapes: `model.hosts` (capacity `usableCores` vCPUs, `usableMemoryGiB` GiB, `pins`) and
 * `model.instances` (each `cores` vCPUs, `memoryGiB` GiB). Pins are resolved first: hosts in model
 * order, pins in list order, each taking the lowest-numbered not yet pinned instances of its
 * shape; a pin of a shape without instances left gives a `pinExcess` entry (a pin of a shape that
 * has no instance at all is treated the same way). Then the free instances are placed following
 * the priority order of the module comment.
 *
 * Physical plans (`settings.platform === 'physical'`) are not placed: every instance is its own
 * machine, so the result has no hosts (`byHost`, `pinned` empty), `hostOf` all -1 and nothing
 * unplaced.
 *
 * Deterministic: the same model gives the same result whatever the order of its shapes and
 * deployments. Never throws on a well-formed `PlanModel`.
 */
export function place(model: PlanModel, options: PlaceOptions = {}): PlacementResult {
    const n = model.instances.length;
    if (model.settings.platform === 'physical') {
        return {
            hostOf: new Array<number>(n).fill(-1), byHost: [], pinned: [], unplaced: [],
            unplacedReason: null, overcommitted: [], pinExcess: []
        };
    }
    const pp = resolvePins(model);
    const { S, sC, sM, sRole, free } = pp;
    // instances per role (a shape has one role)
    const roleN = [0, 0, 0];
    for (let s = 0; s < S; s++) roleN[sRole[s]] += pp.byShape[s].length;

    // ---- state
    const work = options.work;
    work?.charge(n + model.hosts.length);
    /** `units`, or less when the caller's work budget has less left. */
    const within = (units: number) => work ? Math.max(0, Math.min(units, work.left)) : units;
    const budget = { left: within(options.maxEvaluations ?? 70_000 + 20 * n) };
    const budget0 = budget.left;
    const build = (start: 'spread' | 'ffd'): State => {
        const st = new State(model, sC, sM, sRole, roleN, pp.pinned, pp.overcommitted.map(o => o.host));
        for (let s = 0; s < S; s++) st.setUnplaced(s, free[s]);
        if (start === 'spread') constructSlots(st, free); else constructFirstFit(st, free);
        if (!options.skipLocalSearch && st.unplacedCores() > EPS && st.H > 0) improveShortfall(st, budget);
        return st;
    };
    let st = build(options.start === 'first-fit' ? 'ffd' : 'spread');
    // When capacity runs out, the spread-aware start may pack worse than plain first-fit
    // decreasing: try that start too and keep the better shortfall (rule 2 before rules 3–5).
    if (st.unplacedCores() > EPS && options.start !== 'first-fit') {
        const alt = build('ffd');
        if (lexLess(alt.shortfall(), st.shortfall())) st = alt;
    }
    if (!options.skipLocalSearch) improve(st, budget);
    work?.charge(Math.max(0, budget0 - budget.left));
    // Spread still exceeded on a small plan: capped first-fit starts (every role held to its cap
    // while a host below the cap takes the piece), each improved the same way; the best by the
    // whole objective wins (ties keep the earlier).
    const small = n * Math.max(1, st.H) <= CAPPED_RESTART_LIMIT;
    if (!options.skipLocalSearch && options.start !== 'first-fit' && small && st.spreadTotal() + st.mixTotal() > 0) {
        let best = st, bestQ = globalQuality(st);
        const restartBudget = { left: within(CAPPED_RESTART_BUDGET) };
        for (let variant = 0; variant < CAPPED_VARIANTS && restartBudget.left > 0; variant++) {
            const alt = new State(model, sC, sM, sRole, roleN, pp.pinned, pp.overcommitted.map(o => o.host));
            for (let s = 0; s < S; s++) alt.setUnplaced(s, free[s]);
            constructCapped(alt, free, variant);
            work?.charge(n + st.H);
            // only a start that already spreads better than the best so far is worth improving
            if (alt.unplacedCores() > best.unplacedCores() + EPS) continue;
            const own = { left: Math.min(restartBudget.left, options.maxEvaluations ?? Infinity, 100_000 + 20 * n) };
            const start = own.left;
            improve(alt, own);
            restartBudget.left -= start - own.left;
            work?.charge(start - own.left);
            const q = globalQuality(alt);
            // a start that leaves more hosts empty is not taken (every host should run the roles
            // when there are enough instances)
            if (lexLess(q, bestQ) && alt.usedHosts() >= best.usedHosts()) { best = alt; bestQ = q; }
            if (best.spreadTotal() + best.mixTotal() === 0 && variant >= 1) break;
        }
        st = best;
    }
    // Spread still exceeded on a small plan: the same search with ejection chains added (longer
    // relocation sequences that lower the spread excess), on the best placement only.
    if (!options.skipLocalSearch && small && st.spreadTotal() > 0) {
        st.deep = true;
        const deep = { left: within(options.maxEvaluations ?? 70_000 + 20 * n) };
        const start = deep.left;
        improve(st, deep);
        work?.charge(start - deep.left);
    }
    const k = Math.min(2, options.tolerate ?? model.settings.tolerateHostFailures);
    if (k > 0 && !options.skipLocalSearch && st.unplacedCores() <= EPS && pp.overcommitted.length === 0
        && st.H <= TOLERANCE_MAX_HOSTS && n <= TOLERANCE_MAX_INSTANCES) {
        const spent = improveTolerance(st, model, pp, k, within(TOLERANCE_WORK));
        work?.charge(spent);
    }
    const result = placementFromCounts(model, pp, (s, h) => st.mov[h].get(s) ?? 0);
    if (result.unplaced.length > 0 && fallback && options.exactFallback !== false && n <= fallback.maxInstances) {
        const better = fallback.solve(model, result);
        if (better) return better;
    }
    return result;
}

/**
 * A synchronous exact fallback for small plans: called by `place` when the heuristic leaves
 * instances unplaced on a plan of at most `maxInstances` instances. `solve` returns a placement
 * with fewer unplaced cores (by rule 2's order) or `undefined` to keep the heuristic's.
 * Registered by `exact.ts` once the HiGHS WebAssembly is loaded (see `enableExactFallback`).
 */
export interface PlacementFallback {
    readonly maxInstances: number;
    solve(model: PlanModel, heuristic: PlacementResult): PlacementResult | undefined;
}

let fallback: PlacementFallback | undefined;

/**
 * Installs (or, with `undefined`, removes) the exact fallback of `place` for the whole process.
 * Only `exact.ts` calls this; the planner itself stays free of solver imports.
 */
export function setPlacementFallback(f: PlacementFallback | undefined): void {
    fallback = f;
}

/**
 * The shape ids, pins and free counts of a plan, shared by `place` and the exact solver.
 * Shapes get ids by name (sorted), so input order does not matter; `byShape[s]` lists the
 * instance indices of shape s by number; pins take the lowest-numbered instances, hosts in model
 * order, pins in list order. `free[s]` counts the instances of s left for the planner.
 * Units: vCPUs and GiB.
 */
export interface PinnedPlan {
    readonly shapeNames: readonly string[];
    readonly S: number;
    readonly sC: Float64Array;
    readonly sM: Float64Array;
    readonly sRole: Int32Array;
    readonly byShape: readonly (readonly number[])[];
    readonly pinned: readonly (readonly number[])[];
    /** pinCount[s * H + h]: instances of shape s pinned on host h. */
    readonly pinCount: Int32Array;
    readonly pinCursor: Int32Array;
    readonly pinC: Float64Array;
    readonly pinM: Float64Array;
    readonly pinExcess: readonly PinExcess[];
    readonly overcommitted: readonly { host: number; cores: number; memoryGiB: number }[];
    readonly free: readonly number[];
}

/** Resolves the pins of a (virtual) plan: see `PinnedPlan`. Never throws. */
export function resolvePins(model: PlanModel): PinnedPlan {
    const n = model.instances.length;
    const H = model.hosts.length;
    const inst = model.instances;
    // the instances of one deployment come together: the last name looked up is cached. A first
    // pass counts per shape (lists allocated at their size: pushing tens of thousands of
    // indices costs several times more), the second fills them in index order; a list is sorted
    // by number unless a number goes down in it
    interface Run { list: number[]; fill: number; cores: number; memoryGiB: number; role: number; lastNumber: number; unsorted: boolean }
    const runs = new Map<string, Run>();
    for (let i = 0, last: string | undefined, run: Run | undefined; i < n; i++) {
        const name = inst[i].shape;
        if (name !== last) {
            last = name;
            run = runs.get(name);
            if (run === undefined) { run = { list: [], fill: 0, cores: 0, memoryGiB: 0, role: 0, lastNumber: -Infinity, unsorted: false }; runs.set(name, run); }
        }
        run!.fill++;
    }
    for (const run of runs.values()) { run.list = new Array<number>(run.fill); run.fill = 0; }
    for (let i = 0, last: string | undefined, run: Run | undefined; i < n; i++) {
        const it = inst[i];
        if (it.shape !== last) {
            last = it.shape;
            run = runs.get(last)!;
            run.cores = it.cores; run.memoryGiB = it.memoryGiB; run.role = ROLE_INDEX[it.role];
        }
        if (it.number < run!.lastNumber) run!.unsorted = true;
        run!.lastNumber = it.number;
        run!.list[run!.fill++] = i;
    }
    const shapeNames = [...runs.keys()].sort(compareStrings);
    const shapeId = new Map(shapeNames.map((s, k) => [s, k]));
    const S = shapeNames.length;
    const sC = new Float64Array(S), sM = new Float64Array(S), sRole = new Int32Array(S);
    const byShape: number[][] = new Array<number[]>(S);
    const unsorted = new Uint8Array(S);
    for (let s = 0; s < S; s++) {
        const run = runs.get(shapeNames[s])!;
        byShape[s] = run.list; sC[s] = run.cores; sM[s] = run.memoryGiB; sRole[s] = run.role; unsorted[s] = run.unsorted ? 1 : 0;
    }
    const byNumber = (a: number, b: number) => inst[a].number - inst[b].number || a - b;
    for (let s = 0; s < S; s++) if (unsorted[s]) byShape[s].sort(byNumber);

    const pinned: number[][] = [];
    const pinExcess: PinExcess[] = [];
    const pinCursor = new Int32Array(S);
    const pinCount = new Int32Array(S * H);
    const pinC = new Float64Array(H), pinM = new Float64Array(H);
    for (let h = 0; h < H; h++) {
        const list: number[] = [];
        for (const pin of model.hosts[h].pins) {
            const s = shapeId.get(pin.shape);
            const left = s === undefined ? 0 : byShape[s].length - pinCursor[s];
            const take = Math.max(0, Math.min(pin.count, left));
            if (pin.count > left) pinExcess.push({ host: h, pinIndex: pin.pinIndex, shape: pin.shape, asked: pin.count, available: left });
            if (s === undefined) continue;
            for (let k = 0; k < take; k++) {
                const i = byShape[s][pinCursor[s]++];
                list.push(i);
                pinCount[s * H + h]++;
                pinC[h] += sC[s]; pinM[h] += sM[s];
            }
        }
        pinned.push(list);
    }
    const overcommitted: { host: number; cores: number; memoryGiB: number }[] = [];
    for (let h = 0; h < H; h++) {
        const host = model.hosts[h];
        if (pinC[h] > host.usableCores + EPS || pinM[h] > host.usableMemoryGiB + EPS) {
            overcommitted.push({ host: h, cores: pinC[h], memoryGiB: pinM[h] });
        }
    }
    const free = byShape.map((list, s) => list.length - pinCursor[s]);
    return { shapeNames, S, sC, sM, sRole, byShape, pinned, pinCount, pinCursor, pinC, pinM, pinExcess, overcommitted, free };
}

/**
 * A `PlacementResult` from counts of free (unpinned) instances per (shape id, host) with the
 * planner's naming rule: the lowest free numbers of a shape go to the first hosts, the highest
 * stay out. `count(s, h)` must not exceed what fits; the totals per shape must not exceed
 * `pp.free[s]` (extra counts are ignored). Never throws.
 */
export function placementFromCounts(model: PlanModel, pp: PinnedPlan, count: (s: number, h: number) => number): PlacementResult {
    const H = model.hosts.length;
    const { S, sC, sM, byShape, pinned, pinCursor } = pp;
    const n = model.instances.length;
    const hostOf = new Array<number>(n).fill(-1);
    const isPinned = new Uint8Array(n);
    for (let h = 0; h < H; h++) for (const i of pinned[h]) { hostOf[i] = h; isPinned[i] = 1; }
    for (let s = 0; s < S; s++) {
        let k = pinCursor[s];
        const list = byShape[s];
        for (let h = 0; h < H && k < list.length; h++) {
            const c = Math.min(count(s, h), list.length - k);
            for (let j = 0; j < c; j++) hostOf[list[k++]] = h;
        }
    }
    // one pass in index order: byHost and unplaced come out ascending without sorting
    const unplaced: number[] = [];
    const rest: number[][] = new Array<number[]>(H);
    for (let h = 0; h < H; h++) rest[h] = [];
    for (let i = 0; i < n; i++) {
        const h = hostOf[i];
        if (h < 0) unplaced.push(i);
        else if (!isPinned[i]) rest[h].push(i);
    }
    const byHost = pinned.map((p, h) => p.length > 0 ? p.concat(rest[h]) : rest[h]);

    let unplacedReason: PlacementResult['unplacedReason'] = null;
    if (unplaced.length > 0) {
        const over = new Set(pp.overcommitted.map(o => o.host));
        let needC = 0, needM = 0, haveC = 0, haveM = 0;
        for (let s = 0; s < S; s++) { needC += pp.free[s] * sC[s]; needM += pp.free[s] * sM[s]; }
        for (let h = 0; h < H; h++) {
            const host = model.hosts[h];
            if (!over.has(h) && host.usableCores > 0) { haveC += host.usableCores - pp.pinC[h]; haveM += host.usableMemoryGiB - pp.pinM[h]; }
        }
        unplacedReason = needC > haveC + EPS || needM > haveM + EPS ? 'total-short' : 'fragmentation';
    }
    return { hostOf, byHost, pinned: pp.pinned, unplaced, unplacedReason, overcommitted: pp.overcommitted, pinExcess: pp.pinExcess };
}

/** Locale-independent string order (code units), so sorting is the same everywhere. */
export function compareStrings(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}

// ---------------------------------------------------------------------------------------------
// Internal state: counts per host and shape, capacity, role counts, racks, plus the indexes.

/**
 * A binary min-heap of host entries keyed (role count, utilisation, −free vCPUs, host index), in
 * typed arrays. Lazy: an entry may hold an outdated key; the reader compares it with the host's
 * current key, re-keys entries that are too small and drops entries that are too large (a newer
 * entry with the current key was pushed when the key went down).
 */
class HostHeap {
    private hs = new Int32Array(64);
    private k1 = new Float64Array(64);
    private k2 = new Float64Array(64);
    private k3 = new Float64Array(64);
    size = 0;
    outH = -1; outK1 = 0; outK2 = 0; outK3 = 0;

    private less(i: number, j: number): boolean {
        const a = this.k1[i], b = this.k1[j];
        if (a !== b) return a < b;
        const c = this.k2[i], d = this.k2[j];
        if (c !== d) return c < d;
        const e = this.k3[i], f = this.k3[j];
        if (e !== f) return e < f;
        return this.hs[i] < this.hs[j];
    }
    private swap(i: number, j: number): void {
        let t = this.hs[i]; this.hs[i] = this.hs[j]; this.hs[j] = t;
        t = this.k1[i]; this.k1[i] = this.k1[j]; this.k1[j] = t;
        t = this.k2[i]; this.k2[i] = this.k2[j]; this.k2[j] = t;
        t = this.k3[i]; this.k3[i] = this.k3[j]; this.k3[j] = t;
    }
    push(h: number, k1: number, k2: number, k3: number): void {
        if (this.size === this.hs.length) {
            const grow = <T extends Int32Array | Float64Array>(a: T): T => { const b = new (a.constructor as { new(n: number): T })(a.length * 2); b.set(a); return b; };
            this.hs = grow(this.hs); this.k1 = grow(this.k1); this.k2 = grow(this.k2); this.k3 = grow(this.k3);
        }
        let i = this.size++;
        this.hs[i] = h; this.k1[i] = k1; this.k2[i] = k2; this.k3[i] = k3;
        while (i > 0) {
            const p = (i - 1) >> 1;
            if (!this.less(i, p)) break;
            this.swap(i, p); i = p;
        }
    }
    /** Removes the smallest entry into `out*`; false when empty. */
    pop(): boolean {
        if (this.size === 0) return false;
        this.outH = this.hs[0]; this.outK1 = this.k1[0]; this.outK2 = this.k2[0]; this.outK3 = this.k3[0];
        const last = --this.size;
        if (last > 0) {
            this.swap(0, last);
            let i = 0;
            for (;;) {
                const l = 2 * i + 1;
                if (l >= last) break;
                const r = l + 1;
                const c = r < last && this.less(r, l) ? r : l;
                if (!this.less(c, i)) break;
                this.swap(c, i); i = c;
            }
        }
        return true;
    }
}

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
        this.mc[i + this.size] = cores; this.mm[i + this.size] = memory;
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
        this.mc[p] = cores; this.mm[p] = memory;
        for (p >>= 1; p >= 1; p >>= 1) {
            this.mc[p] = Math.max(this.mc[2 * p], this.mc[2 * p + 1]);
            this.mm[p] = Math.max(this.mm[2 * p], this.mm[2 * p + 1]);
        }
    }
    /** Free (cores, memory) of leaf `i`. */
    get(i: number): [number, number] { return [this.mc[i + this.size], this.mm[i + this.size]]; }
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
 * Movable (unpinned) instances per shape on one host: a window of a flat count array shared by
 * all hosts (shape ids index it), plus the number of shapes present. Faster than a Map in the
 * local search's move / undo loops.
 */
class ShapeCounts {
    /** Number of shapes with at least one instance here. */
    size = 0;
    constructor(private readonly buf: Int32Array, private readonly off: number, readonly S: number) {}
    /** Instances of shape s here (0 when none). */
    get(s: number): number { return this.buf[this.off + s]; }
    has(s: number): boolean { return this.buf[this.off + s] > 0; }
    /** Adds d (±) instances of shape s. */
    add(s: number, d: number): void {
        const i = this.off + s, before = this.buf[i], after = before + d;
        this.buf[i] = after;
        if (before === 0 && after > 0) this.size++;
        else if (before > 0 && after === 0) this.size--;
    }
}

/** Most tuples a memo of the local search holds before it starts again (see `State.limitMemos`). */
const MEMO_MAX_ENTRIES = 1 << 18;

/**
 * A map from numeric tuples to non-negative numbers, for remembering what a local search
 * neighbourhood found out about a few hosts: `begin`, `push` the tuple's values, then `find`
 * (the value stored for the tuple, or -1) or `add` (store a value for it). Hashed on the values'
 * bits; a hit is confirmed by comparing every value, so a tuple matches only a tuple of the same
 * values.
 */
class StateMemo {
    private readonly table = new Map<number, number>();
    /** Tuples one after the other in `store`; per entry its offset, length, value and the next entry of the same hash. */
    private store = new Float64Array(128);
    private used = 0;
    private eOff = new Int32Array(16);
    private eLen = new Int32Array(16);
    private eNext = new Int32Array(16);
    private eValue = new Float64Array(16);
    private count = 0;
    private buf = new Float64Array(16);
    private bits = new Int32Array(this.buf.buffer);
    private len = 0;
    /** Number of tuples stored. */
    get size(): number { return this.count; }
    /** Forgets every tuple (the one being built stays). */
    clear(): void { this.table.clear(); this.used = 0; this.count = 0; }
    /** Starts a new tuple. */
    begin(): void { this.len = 0; }
    /** Appends one value to the tuple. */
    push(x: number): void {
        if (this.len === this.buf.length) {
            const b = new Float64Array(this.buf.length * 2); b.set(this.buf);
            this.buf = b; this.bits = new Int32Array(b.buffer);
        }
        this.buf[this.len++] = x;
    }
    private hash(): number {
        let h = this.len | 0;
        const bits = this.bits;
        for (let i = 0; i < 2 * this.len; i++) h = Math.imul(h ^ bits[i], 0x9e3779b1) ^ (h >>> 15);
        return h;
    }
    /** The value stored for the tuple built since `begin`, or -1. */
    find(): number {
        let e = this.table.get(this.hash()) ?? -1;
        while (e >= 0) {
            if (this.eLen[e] === this.len) {
                const off = this.eOff[e];
                let i = 0;
                while (i < this.len && this.store[off + i] === this.buf[i]) i++;
                if (i === this.len) return this.eValue[e];
            }
            e = this.eNext[e];
        }
        return -1;
    }
    /** Stores `value` (≥ 0) for the tuple built since `begin` (after a `find` that gave -1); returns it. */
    add(value: number): number {
        const key = this.hash();
        if (this.used + this.len > this.store.length) {
            const s = new Float64Array(Math.max(2 * this.store.length, this.used + this.len)); s.set(this.store.subarray(0, this.used));
            this.store = s;
        }
        if (this.count === this.eOff.length) {
            const n = 2 * this.count;
            const gi = (a: Int32Array) => { const b = new Int32Array(n); b.set(a); return b; };
            this.eOff = gi(this.eOff); this.eLen = gi(this.eLen); this.eNext = gi(this.eNext);
            const v = new Float64Array(n); v.set(this.eValue); this.eValue = v;
        }
        this.store.set(this.buf.subarray(0, this.len), this.used);
        const e = this.count++;
        this.eOff[e] = this.used; this.eLen[e] = this.len; this.eValue[e] = value; this.eNext[e] = this.table.get(key) ?? -1;
        this.table.set(key, e);
        this.used += this.len;
        return value;
    }
}

/**
 * The search state: per host its capacity, load, role counts and movable pieces per shape, the
 * unplaced pool, caps ⌈n/h⌉ per role (and per rack), and the indexes over the hosts (fit tree,
 * role heaps) with the memos of the local search.
 */
class State {
    readonly H: number;
    readonly S: number;
    readonly capC: Float64Array;
    readonly capM: Float64Array;
    readonly usedC: Float64Array;
    readonly usedM: Float64Array;
    readonly avail: Uint8Array;
    readonly roleCnt: Int32Array;
    readonly mov: ShapeCounts[];
    readonly unpl: Int32Array;
    readonly roleUnplC = new Float64Array(3);
    readonly roleN = new Int32Array(3);
    readonly cap = new Int32Array(3);
    readonly R: number;
    readonly rackOf: Int32Array;
    readonly nRacks: number;
    readonly rackCnt: Int32Array;
    readonly rackCap = new Int32Array(3);
    readonly heaps = [new HostHeap(), new HostHeap(), new HostHeap()];
    /** Small plan: the costlier neighbourhoods (ejection chains) are tried too. */
    deep = false;
    /** Relocations the ejection chains may still try (see `ejectionChain`). */
    ejectLeft = EJECT_TOTAL;
    /** Host states seen by the memos below, numbered from 0 (see `stateId`). */
    private readonly states = new StateMemo();
    /** stateId(h) + 1 while h is unchanged since it was numbered; 0 after a `move` on h. */
    private readonly sid: Int32Array;
    /** Pair re-splits that found nothing, by the states of the two hosts: the splits charged (see `repartition`). */
    readonly repartFailed = new StateMemo();
    /** Relocations / swaps of a piece between two hosts that improve nothing: the swaps charged (see `tryMoves`). */
    readonly movesFailed = new StateMemo();
    /** Counts the `commit`s: a cached answer about the placement holds while it is unchanged. */
    stamp = 0;
    private destStamp = new Int32Array(0);
    private destNone = new Uint8Array(0);
    /** Smallest piece (vCPUs, GiB) of any shape. */
    readonly minC: number;
    readonly minM: number;
    readonly tree: FitTree;

    constructor(model: PlanModel, readonly sC: Float64Array, readonly sM: Float64Array, readonly sRole: Int32Array,
        roleN: readonly number[], pinned: readonly (readonly number[])[], overcommitted: readonly number[]) {
        const H = this.H = model.hosts.length;
        this.S = sC.length;
        this.capC = new Float64Array(H); this.capM = new Float64Array(H);
        this.usedC = new Float64Array(H); this.usedM = new Float64Array(H);
        this.avail = new Uint8Array(H);
        this.roleCnt = new Int32Array(3 * H);
        const movBuf = new Int32Array(H * this.S);
        this.mov = Array.from({ length: H }, (_, h) => new ShapeCounts(movBuf, h * this.S, this.S));
        this.unpl = new Int32Array(this.S);
        this.sid = new Int32Array(H);
        const over = new Set(overcommitted);
        const racks = new Map<string, number>();
        this.rackOf = new Int32Array(H).fill(-1);
        for (let h = 0; h < H; h++) {
            const host = model.hosts[h];
            this.capC[h] = host.usableCores; this.capM[h] = host.usableMemoryGiB;
            this.avail[h] = !over.has(h) && host.usableCores > 0 ? 1 : 0;
            if (host.rack !== undefined) {
                if (!racks.has(host.rack)) racks.set(host.rack, racks.size);
                this.rackOf[h] = racks.get(host.rack)!;
            }
        }
        // rack ids do not depend on host order beyond first appearance; only counts matter
        this.nRacks = racks.size >= 2 ? racks.size : 0;
        if (this.nRacks === 0) this.rackOf.fill(-1);
        this.rackCnt = new Int32Array(3 * Math.max(1, this.nRacks));
        for (let r = 0; r < 3; r++) this.roleN[r] = roleN[r];
        let R = 0;
        for (let r = 0; r < 3; r++) {
            if (this.roleN[r] > 0) R++;
            this.cap[r] = H > 0 ? Math.ceil(this.roleN[r] / H) : 0;
            this.rackCap[r] = this.nRacks > 0 ? Math.ceil(this.roleN[r] / this.nRacks) : 0;
        }
        this.R = R;
        for (let h = 0; h < H; h++) {
            for (const i of pinned[h]) {
                const it = model.instances[i];
                const r = ROLE_INDEX[it.role];
                this.usedC[h] += it.cores; this.usedM[h] += it.memoryGiB;
                this.roleCnt[3 * h + r]++;
                if (this.rackOf[h] >= 0) this.rackCnt[3 * this.rackOf[h] + r]++;
            }
        }
        this.minC = this.S > 0 ? Math.min(...sC) : 0;
        this.minM = this.S > 0 ? Math.min(...sM) : 0;
        this.tree = new FitTree(H);
        this.commitAll();
    }

    setUnplaced(s: number, count: number): void {
        this.roleUnplC[this.sRole[s]] += (count - this.unpl[s]) * this.sC[s];
        this.unpl[s] = count;
    }

    freeC(h: number): number { return this.capC[h] - this.usedC[h]; }
    freeM(h: number): number { return this.capM[h] - this.usedM[h]; }
    /** True when one more instance of shape s fits on h (s = -1: h is within its capacity as it is). */
    fits(h: number, s: number): boolean {
        if (s < 0) return this.usedC[h] <= this.capC[h] + EPS && this.usedM[h] <= this.capM[h] + EPS;
        return this.avail[h] === 1 && this.usedC[h] + this.sC[s] <= this.capC[h] + EPS && this.usedM[h] + this.sM[s] <= this.capM[h] + EPS;
    }
    util(h: number): number { return this.capC[h] > 0 ? this.usedC[h] / this.capC[h] : 0; }

    /**
     * A number for the state of host h as a neighbourhood sees it (capacity, load, role counts,
     * movable counts per shape): equal numbers, equal states (exactly the same values). Pinned
     * pieces are in the load and role counts; racks are not in it.
     */
    /**
     * Keeps the memos bounded: once one holds MEMO_MAX_ENTRIES tuples it starts empty again (all
     * of them when the host states are renumbered). Only called where no tuple is being built
     * (the start of `tryMoves` and `repartition`); a memo only saves time, so forgetting changes
     * nothing else.
     */
    limitMemos(): void {
        if (this.states.size >= MEMO_MAX_ENTRIES) {
            this.states.clear(); this.repartFailed.clear(); this.movesFailed.clear(); this.sid.fill(0);
        }
        if (this.repartFailed.size >= MEMO_MAX_ENTRIES) this.repartFailed.clear();
        if (this.movesFailed.size >= MEMO_MAX_ENTRIES) this.movesFailed.clear();
    }

    stateId(h: number): number {
        const known = this.sid[h];
        if (known > 0) return known - 1;
        const m = this.states;
        m.begin();
        m.push(this.capC[h]); m.push(this.capM[h]); m.push(this.usedC[h]); m.push(this.usedM[h]);
        for (let r = 0; r < 3; r++) m.push(this.roleCnt[3 * h + r]);
        const mv = this.mov[h];
        for (let s = 0; s < this.S; s++) m.push(mv.get(s));
        let id = m.find();
        if (id < 0) id = m.add(m.size);
        this.sid[h] = id + 1;
        return id;
    }

    /**
     * Pushes onto `memo` the rack role counts that the quality of hosts a and b reads (none
     * without racks), with where they belong, so that a remembered answer about the pair holds
     * for the racks too.
     */
    pushRacks(memo: StateMemo, a: number, b: number): void {
        if (this.nRacks === 0) return;
        const ra = this.rackOf[a], rb = this.rackOf[b];
        memo.push(ra >= 0 ? 1 : 0); memo.push(rb < 0 ? 0 : rb === ra ? 2 : 1);
        if (ra >= 0) for (let r = 0; r < 3; r++) memo.push(this.rackCnt[3 * ra + r]);
        if (rb >= 0 && rb !== ra) for (let r = 0; r < 3; r++) memo.push(this.rackCnt[3 * rb + r]);
    }

    /** Moves one instance of shape s from host `from` (-1: the unplaced pool) to `to` (-1: pool). No index update. */
    move(s: number, from: number, to: number): void {
        const c = this.sC[s], m = this.sM[s], r = this.sRole[s];
        if (from >= 0) {
            this.sid[from] = 0;
            this.mov[from].add(s, -1);
            this.usedC[from] -= c; this.usedM[from] -= m;
            this.roleCnt[3 * from + r]--;
            if (this.rackOf[from] >= 0) this.rackCnt[3 * this.rackOf[from] + r]--;
        } else {
            this.unpl[s]--; this.roleUnplC[r] -= c;
        }
        if (to >= 0) {
            this.sid[to] = 0;
            this.mov[to].add(s, 1);
            this.usedC[to] += c; this.usedM[to] += m;
            this.roleCnt[3 * to + r]++;
            if (this.rackOf[to] >= 0) this.rackCnt[3 * this.rackOf[to] + r]++;
        } else {
            this.unpl[s]++; this.roleUnplC[r] += c;
        }
    }

    /** True when not even the smallest piece fits on h any more (it then leaves the heaps). */
    full(h: number): boolean {
        return this.freeC(h) < this.minC - EPS || this.freeM(h) < this.minM - EPS;
    }

    /** Makes the indexes (heaps, fit tree) reflect host h after any change. */
    commit(h: number): void {
        this.stamp++;
        if (!this.avail[h]) { this.tree.set(h, -Infinity, -Infinity); return; }
        this.tree.set(h, this.freeC(h), this.freeM(h));
        if (this.heapsLive) this.pushHeaps(h);
    }

    /** `commit` of every host at once (after a constructive pass): the fit tree rebuilt in one sweep. */
    commitAll(): void {
        this.stamp++;
        for (let h = 0; h < this.H; h++) {
            if (this.avail[h]) this.tree.setLeaf(h, this.freeC(h), this.freeM(h));
            else this.tree.setLeaf(h, -Infinity, -Infinity);
        }
        this.tree.rebuild();
        if (this.heapsLive) for (let h = 0; h < this.H; h++) if (this.avail[h]) this.pushHeaps(h);
    }

    /** An entry with h's current key in every role heap (none when h is full). */
    private pushHeaps(h: number): void {
        if (this.full(h)) return;
        const util = this.util(h), negFree = -this.freeC(h);
        for (let r = 0; r < 3; r++) this.heaps[r].push(h, this.roleCnt[3 * h + r], util, negFree);
    }
    /** The role heaps are filled at the first `pickHost` (most placements never need them). */
    private heapsLive = false;

    /**
     * True when no available host below the cap of shape u's role has room for one more u, in the
     * placement as of the last `commit` (pieces moved since, on hosts not yet committed, are not
     * seen). One scan over the hosts per commit and shape at most.
     */
    noDestination(u: number): boolean {
        if (this.destStamp.length !== this.S) { this.destStamp = new Int32Array(this.S).fill(-1); this.destNone = new Uint8Array(this.S); }
        if (this.destStamp[u] !== this.stamp) {
            const r = this.sRole[u];
            let none = 1;
            for (let h = 0; h < this.H; h++) if (this.roleCnt[3 * h + r] < this.cap[r] && this.fits(h, u)) { none = 0; break; }
            this.destStamp[u] = this.stamp; this.destNone[u] = none;
        }
        return this.destNone[u] === 1;
    }

    /**
     * The host for one more instance of shape s: fewest of its role, then least utilised, then
     * most free vCPUs, then lowest index; among the first 32 such candidates the first that fits,
     * else the leftmost host that fits; -1 if none fits. The chosen host leaves the role's heap:
     * the caller places on it and calls `commit`.
     */
    pickHost(s: number): number {
        if (!this.heapsLive) {
            this.heapsLive = true;
            for (let h = 0; h < this.H; h++) if (this.avail[h]) this.pushHeaps(h);
        }
        const r = this.sRole[s];
        const heap = this.heaps[r];
        const held = this.held;
        let nHeld = 0, chosen = -1;
        while (nHeld < 32 && heap.pop()) {
            const h = heap.outH;
            if (!this.avail[h] || this.full(h)) continue;
            const cnt = this.roleCnt[3 * h + r], util = this.util(h), negFree = -this.freeC(h);
            const c = heap.outK1 - cnt || heap.outK2 - util || heap.outK3 - negFree;
            if (c < 0) { heap.push(h, cnt, util, negFree); continue; }
            if (c > 0) continue;
            if (this.fits(h, s)) { chosen = h; break; }
            held[nHeld++] = h;
        }
        for (let j = 0; j < nHeld; j++) {
            const h = held[j];
            heap.push(h, this.roleCnt[3 * h + r], this.util(h), -this.freeC(h));
        }
        if (chosen < 0) chosen = this.tree.find(this.sC[s], this.sM[s]);
        return chosen;
    }
    private readonly held = new Int32Array(32);

    unplacedCores(): number { return this.roleUnplC[0] + this.roleUnplC[1] + this.roleUnplC[2]; }

    /** Sorted-descending per-role unplaced cores with the total in front (rule 2's objective). */
    shortfall(): number[] {
        const v = [this.roleUnplC[0], this.roleUnplC[1], this.roleUnplC[2]].sort((a, b) => b - a);
        return [v[0] + v[1] + v[2], ...v];
    }

    spreadOf(h: number): number {
        let x = 0;
        for (let r = 0; r < 3; r++) x += Math.max(0, this.roleCnt[3 * h + r] - this.cap[r]);
        return x;
    }
    /** Single-role hosts that run something plus the missing roles above their bound hosts·R − Σ_r min(n_r, hosts) (rule 4, without racks): 0 at the bound. */
    mixTotal(): number {
        let single = 0, pairs = 0, hosts = 0;
        for (let h = 0; h < this.H; h++) {
            if (!this.avail[h]) continue;
            hosts++;
            let d = 0;
            for (let r = 0; r < 3; r++) if (this.roleCnt[3 * h + r] > 0) d++;
            pairs += d;
            if (this.R >= 2 && d === 1) single++;
        }
        // each role is on at most min(instances, hosts) of the hosts that take instances
        let most = 0;
        for (let r = 0; r < 3; r++) most += Math.min(this.roleN[r], hosts);
        return single + Math.max(0, most - pairs);
    }
    /** Hosts that run at least one instance. */
    usedHosts(): number {
        let x = 0;
        for (let h = 0; h < this.H; h++) if (this.roleCnt[3 * h] + this.roleCnt[3 * h + 1] + this.roleCnt[3 * h + 2] > 0) x++;
        return x;
    }
    /** Spread excess summed over all hosts. */
    spreadTotal(): number {
        let x = 0;
        for (let h = 0; h < this.H; h++) x += this.spreadOf(h);
        return x;
    }
    rackOfPenalty(k: number): number {
        let x = 0;
        for (let r = 0; r < 3; r++) x += Math.max(0, this.rackCnt[3 * k + r] - this.rackCap[r]);
        return x;
    }
}

function lexLess(a: readonly number[], b: readonly number[]): boolean {
    for (let i = 0; i < a.length; i++) {
        if (a[i] < b[i] - EPS) return true;
        if (a[i] > b[i] + EPS) return false;
    }
    return false;
}

// ---------------------------------------------------------------------------------------------
// Constructive pass

/**
 * The constructive pass of the `spread` start, slot-aware. Pieces go largest first, in groups of
 * equal vCPUs; within a group the roles and shapes interleave by their position k/f within the
 * shape (ties: more memory, role order, shape id). Each piece goes to a host where it fits, in
 * the order of:
 *  1. the role's count there: below the role's cap ⌈n/h⌉ first — and in the last group that
 *     has pieces of the role, a host without the role before one with some (rule 4) — then the
 *     fewest above the cap;
 *  2. the most room per open slot. Room: free vCPUs, or free GiB × (vCPUs / GiB of all the free
 *     pieces) when that is less. Open slots: Σ over the roles of (cap − count)⁺, each weighted by
 *     the share of the role's open slots (over all hosts) that its unplaced pieces will fill.
 *     Large pieces thus go where the room left per piece still to come is largest, and no host
 *     fills up before the roles it still has slots for came (rule 3 before rule 5);
 *  3. the lower host index.
 * Per-role heaps of versioned entries (rebuilt per group: the weights change) give the order;
 * a host too small for the group's vCPUs waits for the next group; among the first 32 candidates
 * the first that fits is taken, else the leftmost host that fits (fit tree). Deterministic;
 * O((n + H × groups) log H) for n pieces on H hosts.
 */
function constructSlots(st: State, free: readonly number[]): void {
    const H = st.H;
    const shapes: number[] = [];
    let totC = 0, totM = 0;
    for (let s = 0; s < st.S; s++) if (free[s] > 0) { shapes.push(s); totC += free[s] * st.sC[s]; totM += free[s] * st.sM[s]; }
    shapes.sort((a, b) => st.sC[b] - st.sC[a] || a - b);
    const memToC = totM > 0 ? totC / totM : 0;
    const remaining = [0, 0, 0], groupLeft = [0, 0, 0];
    for (const s of shapes) remaining[st.sRole[s]] += free[s];
    const w = new Float64Array(3);
    const mixFirst = [false, false, false];
    // a heap holds every host once, plus the stale entries of hosts given a piece since
    const heaps = [0, 1, 2].map(() => new SlotHeap(Math.max(64, 2 * H)));
    const cap = st.cap, roleCnt = st.roleCnt;
    const version = new Int32Array(H);
    /**
     * New entries for host h in the heaps of the roles of the current group (its older entries
     * become stale); the heap of role `top` gets it by replacing its top entry (which must be
     * h's), `append` adds without ordering (the caller heapifies).
     */
    const pushAll = (h: number, top = -1, append = false): void => {
        if (!st.avail[h] || st.full(h)) { if (top >= 0) heaps[top].pop(); return; }
        let slots = 0;
        for (let r = 0; r < 3; r++) { const open = cap[r] - roleCnt[3 * h + r]; if (open > 0) slots += w[r] * open; }
        const fc = st.freeC(h), fm = st.freeM(h) * memToC;
        const room = memToC > 0 && fm < fc ? fm : fc;
        const x = room / (slots > 0.25 ? slots : 0.25);
        const k2 = -x / (1 + x);
        const v = ++version[h];
        for (let r = 0; r < 3; r++) {
            if (groupLeft[r] === 0) { if (r === top) heaps[r].pop(); continue; }
            const cnt = roleCnt[3 * h + r], over = cnt - cap[r] + 1;
            const k = (over > 0 ? over + 1 : mixFirst[r] && cnt === 0 ? 0 : 1) + k2;
            if (r === top) heaps[r].replaceTop(h, k, v);
            else if (append) heaps[r].append(h, k, v);
            else heaps[r].push(h, k, v);
        }
    };
    // the fit tree is brought up to date only before it is asked (the fall-back below)
    const dirty: number[] = [];
    const isDirty = new Uint8Array(H);
    const parked: number[] = [];
    const held = new Int32Array(32), heldK = new Float64Array(32);
    const next = new Int32Array(st.S).fill(1);
    for (let g = 0; g < shapes.length;) {
        let e = g;
        while (e < shapes.length && st.sC[shapes[e]] === st.sC[shapes[g]]) e++;
        const group = shapes.slice(g, e);
        // weights and heaps for this size group
        for (let r = 0; r < 3; r++) groupLeft[r] = 0;
        for (const s of group) groupLeft[st.sRole[s]] += free[s];
        for (let r = 0; r < 3; r++) {
            let open = 0;
            for (let h = 0; h < H; h++) if (st.avail[h]) open += Math.max(0, cap[r] - roleCnt[3 * h + r]);
            w[r] = open > 0 ? Math.min(1, remaining[r] / open) : 0;
            mixFirst[r] = groupLeft[r] === remaining[r];
            heaps[r].size = 0;
        }
        for (let h = 0; h < H; h++) pushAll(h, -1, true);
        for (let r = 0; r < 3; r++) heaps[r].heapify();
        let left = 0;
        for (const s of group) left += free[s];
        for (; left > 0; left--) {
            let best = -1, bestF = Infinity;
            for (const s of group) {
                if (next[s] > free[s]) continue;
                const f = (next[s] - 0.5) / free[s];
                if (best < 0 || f < bestF - 1e-12 || (Math.abs(f - bestF) <= 1e-12 &&
                    (st.sM[s] > st.sM[best] || (st.sM[s] === st.sM[best] && (st.sRole[s] < st.sRole[best] || (st.sRole[s] === st.sRole[best] && s < best)))))) {
                    best = s; bestF = f;
                }
            }
            next[best]++;
            const s = best, r = st.sRole[s];
            remaining[r]--; groupLeft[r]--;
            const heap = heaps[r];
            let nHeld = 0, chosen = -1;
            // the first valid top entry that fits stays on top (replaced below)
            while (nHeld < 32 && heap.size > 0) {
                const h = heap.topH();
                if (heap.topV() !== version[h]) { heap.pop(); continue; }
                if (st.fits(h, s)) { chosen = h; break; }
                heap.pop();
                if (st.freeC(h) < st.sC[s] - EPS) { parked.push(h); version[h]++; continue; }
                held[nHeld] = h; heldK[nHeld++] = heap.outK;
            }
            const fromHeap = chosen >= 0;
            if (!fromHeap) {
                for (const h of dirty) { st.tree.set(h, st.freeC(h), st.freeM(h)); isDirty[h] = 0; }
                dirty.length = 0;
                chosen = st.tree.find(st.sC[s], st.sM[s]);
            }
            if (chosen >= 0) {
                st.move(s, -1, chosen);
                if (!isDirty[chosen]) { isDirty[chosen] = 1; dirty.push(chosen); }
                pushAll(chosen, fromHeap ? r : -1);
            }
            for (let j = 0; j < nHeld; j++) heap.push(held[j], heldK[j], version[held[j]]);
        }
        for (const h of parked) pushAll(h);
        parked.length = 0;
        g = e;
    }
    st.commitAll();
}

/**
 * A binary min-heap of (key, host) entries with a version tag per entry (not part of the order;
 * ties by lower host index): the reader drops entries whose tag is not the host's current version.
 */
class SlotHeap {
    private hs: Int32Array;
    private ks: Float64Array;
    private vs: Int32Array;
    size = 0;
    outH = -1; outK = 0; outV = 0;

    /** `capacity`: entries held before the arrays grow (they double when full). */
    constructor(capacity: number) {
        this.hs = new Int32Array(capacity); this.ks = new Float64Array(capacity); this.vs = new Int32Array(capacity);
    }

    push(h: number, k: number, v: number): void {
        if (this.size === this.hs.length) this.grow();
        const hs = this.hs, ks = this.ks, vs = this.vs;
        let i = this.size++;
        while (i > 0) {
            const p = (i - 1) >> 1;
            const pk = ks[p];
            if (pk < k || (pk === k && hs[p] < h)) break;
            hs[i] = hs[p]; ks[i] = pk; vs[i] = vs[p];
            i = p;
        }
        hs[i] = h; ks[i] = k; vs[i] = v;
    }
    /** Adds an entry at the end without restoring the heap order (then `heapify`). */
    append(h: number, k: number, v: number): void {
        if (this.size === this.hs.length) this.grow();
        const i = this.size++;
        this.hs[i] = h; this.ks[i] = k; this.vs[i] = v;
    }
    /** Restores the heap order after `append`s (bottom-up, linear time). */
    heapify(): void {
        for (let i = (this.size >> 1) - 1; i >= 0; i--) this.siftDown(i, this.hs[i], this.ks[i], this.vs[i], this.size);
    }
    /** Host, key and tag of the smallest entry (size > 0). */
    topH(): number { return this.hs[0]; }
    topV(): number { return this.vs[0]; }
    /** Replaces the smallest entry (size > 0) by (h, k, v): one sift instead of a pop and a push. */
    replaceTop(h: number, k: number, v: number): void {
        this.siftDown(0, h, k, v, this.size);
    }
    /** Removes the smallest entry into `out*`; false when empty. */
    pop(): boolean {
        if (this.size === 0) return false;
        const hs = this.hs, ks = this.ks, vs = this.vs;
        this.outH = hs[0]; this.outK = ks[0]; this.outV = vs[0];
        const last = --this.size;
        if (last > 0) this.siftDown(0, hs[last], ks[last], vs[last], last);
        return true;
    }
    /** Puts (h, k, v) at position i and moves it down within the first `n` entries. */
    private siftDown(i: number, h: number, k: number, v: number, n: number): void {
        const hs = this.hs, ks = this.ks, vs = this.vs;
        for (;;) {
            let c = 2 * i + 1;
            if (c >= n) break;
            const r = c + 1;
            if (r < n && (ks[r] < ks[c] || (ks[r] === ks[c] && hs[r] < hs[c]))) c = r;
            if (k < ks[c] || (k === ks[c] && h < hs[c])) break;
            hs[i] = hs[c]; ks[i] = ks[c]; vs[i] = vs[c];
            i = c;
        }
        hs[i] = h; ks[i] = k; vs[i] = v;
    }
    private grow(): void {
        const n = this.hs.length * 2;
        const hs = new Int32Array(n); hs.set(this.hs); this.hs = hs;
        const ks = new Float64Array(n); ks.set(this.ks); this.ks = ks;
        const vs = new Int32Array(n); vs.set(this.vs); this.vs = vs;
    }
}

/** Most instances × hosts for which `place` tries the capped restarts (small plans only). */
const CAPPED_RESTART_LIMIT = 20_000;
/** Number of capped start variants (piece order × host choice). */
const CAPPED_VARIANTS = 32;
/** Move evaluations the capped restarts may spend together (the main search has its own). */
const CAPPED_RESTART_BUDGET = 400_000;

/**
 * The whole objective of a state, for comparing complete placements: the shortfall (total, then
 * per role descending), then spread excess, single-role hosts, missing roles, rack excess, the
 * busiest host's utilisation and Σ utilisation².
 */
function globalQuality(st: State): number[] {
    const q = new Float64Array(QLEN);
    for (let h = 0; h < st.H; h++) if (st.avail[h]) hostQuality(st, h, q);
    for (let k = 0; k < st.nRacks; k++) q[3] += st.rackOfPenalty(k);
    return [...st.shortfall(), ...q];
}

/**
 * Capped start: pieces largest first (variant bit 0: by vCPUs then memory, or by memory then
 * vCPUs), each on a host below its role's cap where it fits — bit 1: the tightest such host
 * (best fit by free vCPUs; bit 2: by the fraction of its vCPUs left) or the one with most free
 * vCPUs; when no host below the cap takes it,
 * the tightest host that fits at all. Ties: lowest host index.
 */
function constructCapped(st: State, free: readonly number[], variant: number): void {
    const items: number[] = [];
    for (let s = 0; s < st.S; s++) for (let k = 0; k < free[s]; k++) items.push(s);
    const byMem = (variant & 1) === 1, tight = (variant & 2) === 0, relative = (variant & 4) === 4;
    items.sort((a, b) => byMem
        ? st.sM[b] - st.sM[a] || st.sC[b] - st.sC[a] || a - b
        : st.sC[b] - st.sC[a] || st.sM[b] - st.sM[a] || a - b);
    // variants from 8 on: the host choice perturbed by a seeded noise (deterministic per variant)
    let seed = variant * 2654435761 >>> 0;
    const rnd = variant >= 8 ? () => { seed = (seed * 1103515245 + 12345) >>> 0; return (seed >>> 8) / 16777216; } : null;
    for (const s of items) {
        const r = st.sRole[s];
        let pick = -1, pickKey = 0, any = -1, anyKey = 0;
        for (let h = 0; h < st.H; h++) {
            if (!st.fits(h, s)) continue;
            const rest = st.freeC(h) - st.sC[s];
            // bit 2: the same measured relative to the host (fraction of its vCPUs left)
            const fit = relative ? rest / st.capC[h] : rest;
            const key = (tight ? fit : -fit) + (rnd ? rnd() * (relative ? 0.2 : 4) : 0);
            if (st.roleCnt[3 * h + r] < st.cap[r] && (pick < 0 || key < pickKey - EPS)) { pick = h; pickKey = key; }
            if (any < 0 || rest < anyKey - EPS) { any = h; anyKey = rest; }
        }
        const h = pick >= 0 ? pick : any;
        if (h < 0) continue;
        st.move(s, -1, h);
    }
    st.commitAll();
}

/** First-fit decreasing start: largest pieces first, each on the first host (model order) where it fits. */
function constructFirstFit(st: State, free: readonly number[]): void {
    const shapes: number[] = [];
    for (let s = 0; s < st.S; s++) if (free[s] > 0) shapes.push(s);
    shapes.sort((a, b) => st.sC[b] - st.sC[a] || st.sM[b] - st.sM[a] || a - b);
    for (const s of shapes) {
        for (let k = 0; k < free[s]; k++) {
            const h = st.tree.find(st.sC[s], st.sM[s]);
            if (h < 0) break;
            st.move(s, -1, h);
            st.commit(h);
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Local search

interface Budget { left: number }

function improve(st: State, budget: Budget, balance = true): void {
    if (st.H === 0) return;
    for (let round = 0; round < 8 && budget.left > 0; round++) {
        let changed = false;
        if (st.unplacedCores() > EPS) changed = improveShortfall(st, budget) || changed;
        changed = improveQuality(st, budget, balance) || changed;
        if (!changed) break;
    }
}

/** Shapes with unplaced instances, most urgent first: role with most unplaced cores, then larger. */
function pendingShapes(st: State, exclude = -1): number[] {
    const out: number[] = [];
    for (let s = 0; s < st.S; s++) if (st.unpl[s] > 0 && s !== exclude) out.push(s);
    out.sort((a, b) => st.roleUnplC[st.sRole[b]] - st.roleUnplC[st.sRole[a]] || st.sC[b] - st.sC[a] || st.sM[b] - st.sM[a] || a - b);
    return out;
}

/** Rule 2: insert, make room by relocating, eject-and-refill; each step strictly lowers the shortfall. */
function improveShortfall(st: State, budget: Budget): boolean {
    let any = false;
    let progress = true;
    while (progress && budget.left > 0 && st.unplacedCores() > EPS) {
        progress = false;
        // insert
        for (const s of pendingShapes(st)) {
            while (st.unpl[s] > 0) {
                budget.left--;
                const h = st.pickHost(s);
                if (h < 0) break;
                st.move(s, -1, h); st.commit(h); progress = true;
            }
        }
        if (progress) { any = true; continue; }
        // make room: move a placed piece elsewhere so that an unplaced one fits (useless when
        // no host has room for even the smallest piece)
        if (st.tree.find(st.minC, st.minM) >= 0) {
            for (const s of pendingShapes(st)) {
                for (let h1 = 0; h1 < st.H && st.unpl[s] > 0 && budget.left > 0; h1++) {
                    if (!st.avail[h1]) continue;
                    if (st.capC[h1] < st.sC[s] - EPS || st.capM[h1] < st.sM[s] - EPS) continue;
                    const needC = st.sC[s] - st.freeC(h1), needM = st.sM[s] - st.freeM(h1);
                    const nk = keysInto(st.mov[h1], keysR);
                    for (let k = 0; k < nk; k++) {
                        const t = keysR[k];
                        budget.left--;
                        if (t === s || st.sC[t] < needC - EPS || st.sM[t] < needM - EPS) continue;
                        const [fc, fm] = st.tree.get(h1);
                        st.tree.set(h1, -Infinity, -Infinity);
                        const h2 = st.tree.find(st.sC[t], st.sM[t]);
                        st.tree.set(h1, fc, fm);
                        if (h2 < 0) continue;
                        st.move(t, h1, h2); st.move(s, -1, h1);
                        st.commit(h1); st.commit(h2);
                        progress = true;
                        break;
                    }
                }
            }
        }
        if (progress) { any = true; continue; }
        // eject one piece and refill the host from the pool
        const done: number[] = [];
        for (let h = 0; h < st.H && budget.left > 0; h++) {
            if (!st.avail[h]) continue;
            const nk = keysInto(st.mov[h], keysR);
            const ts = keysR.slice(0, nk);
            for (const t of ts) {
                if (budget.left <= 0 || !st.mov[h].has(t)) continue;
                budget.left--;
                const pool = pendingShapes(st, t);
                // quick test: something of the pool must fit once t is out
                const roomC = st.freeC(h) + st.sC[t], roomM = st.freeM(h) + st.sM[t];
                if (!pool.some(s => st.sC[s] <= roomC + EPS && st.sM[s] <= roomM + EPS)) continue;
                const before = st.shortfall();
                done.length = 0;
                st.move(t, h, -1);
                for (;;) {
                    let pick = -1;
                    for (const s of pool) {
                        if (st.unpl[s] === 0 || !st.fits(h, s)) continue;
                        if (pick < 0) { pick = s; continue; }
                        const d = st.roleUnplC[st.sRole[s]] - st.roleUnplC[st.sRole[pick]] || st.sC[s] - st.sC[pick] || st.sM[s] - st.sM[pick] || pick - s;
                        if (d > 0) pick = s;
                    }
                    if (pick < 0) break;
                    st.move(pick, -1, h); done.push(pick);
                }
                if (done.length > 0 && lexLess(st.shortfall(), before)) {
                    st.commit(h); progress = true;
                    continue;
                }
                for (let j = done.length - 1; j >= 0; j--) st.move(done[j], h, -1);
                st.move(t, -1, h);
            }
        }
        if (progress) any = true;
    }
    return any;
}

const keysR: number[] = [];

/**
 * Length of a quality vector: [spread excess, single-role hosts, missing roles, rack excess,
 * max utilisation, Σ utilisation²] (see `hostQuality`).
 */
const QLEN = 6;

/**
 * Per-host part of the quality objective (rules 3–5), added into `out` (length QLEN); racks are
 * added by the caller. Mix (rule 4) in two terms, in this order: single-role hosts (an empty
 * host counts as one: it does not run several roles either, so the search never empties a host
 * to improve the mix), and missing roles (R − distinct roles on the host, for every host, an
 * empty one included: the sum over the hosts is H·R minus the (host, role) pairs present, so
 * minimising it puts each role on as many hosts as possible, whatever the number of instances
 * on a host; a count capped by the host's instances would starve a host of instances to avoid a
 * "missing" role).
 */
function hostQuality(st: State, h: number, out: Float64Array): void {
    addRoleTerms(st.roleCnt, 3 * h, st.cap, st.R, out);
    const u = st.capC[h] > 0 ? st.usedC[h] / st.capC[h] : 0;
    if (u > out[4]) out[4] = u;
    out[5] += u * u;
}

/**
 * Adds one host's role terms (rules 3–4) into `q`, from its role counts `counts[o … o + 2]`
 * (proxy, director, backend): spread excess over `cap` into q[0]; single-role host into q[1]
 * (at most one role while the plan deploys R ≥ 2; an empty host counts); missing roles
 * R − distinct roles into q[2]. Shared by `hostQuality` (a host as it is) and the pair
 * re-split (a host as a split would leave it).
 */
function addRoleTerms(counts: Int32Array, o: number, cap: Int32Array, R: number, q: Float64Array): void {
    let distinct = 0, spread = 0;
    for (let r = 0; r < 3; r++) {
        const c = counts[o + r];
        if (c > 0) { distinct++; if (c > cap[r]) spread += c - cap[r]; }
    }
    q[0] += spread;
    if (R >= 2 && distinct <= 1) q[1] += 1;
    q[2] += R - distinct;
}

/**
 * Quality of hosts a and b into `q`: [spread excess, single-role hosts, missing roles, rack
 * excess, max utilisation, Σ utilisation²]. All but the last two are sums of per-host (per-rack)
 * terms, so a strict decrease over the pair is a strict decrease overall; the pairwise max /
 * sum of squares never lets the busiest host get busier.
 */
function pairQuality(st: State, a: number, b: number, q: Float64Array): Float64Array {
    for (let i = 0; i < QLEN; i++) q[i] = 0;
    hostQuality(st, a, q);
    hostQuality(st, b, q);
    const ra = st.rackOf[a], rb = st.rackOf[b];
    if (ra >= 0) q[3] += st.rackOfPenalty(ra);
    if (rb >= 0 && rb !== ra) q[3] += st.rackOfPenalty(rb);
    return q;
}

function lexLessF(a: Float64Array, b: Float64Array): boolean {
    for (let i = 0; i < a.length; i++) {
        if (a[i] < b[i] - EPS) return true;
        if (a[i] > b[i] + EPS) return false;
    }
    return false;
}

/** Copies a quality vector (QLEN entries) from `src` into `dst` (cheaper than `set` on tiny arrays). */
function copyQ(dst: Float64Array, src: Float64Array): void {
    for (let i = 0; i < QLEN; i++) dst[i] = src[i];
}

/** Shape ids present (movable) on h, ascending, into a reusable buffer; returns the count. */
function keysInto(m: ShapeCounts, buf: number[]): number {
    let k = 0;
    if (m.size === 0) return 0;
    for (let s = 0; s < m.S && k < m.size; s++) if (m.get(s) > 0) buf[k++] = s;
    return k;
}

const qBase = new Float64Array(QLEN), qTry = new Float64Array(QLEN), qBest = new Float64Array(QLEN);
/** Shape-id buffers: keysQ for `improveQuality`'s own loops (no callee touches it), keysB for candidates. */
const keysQ: number[] = [], keysB: number[] = [], keysT: number[] = [];

/**
 * Which candidate hosts b are worth trying for a piece of role r on host a (a closure per piece
 * would cost more than the test): below r's cap; running a role that a lacks (mix); in another
 * rack than a's rack `rk`; less utilised than a.
 */
const USEFUL_BELOW_CAP = 0, USEFUL_BRINGS_ROLE = 1, USEFUL_OTHER_RACK = 2, USEFUL_LESS_UTILISED = 3;

/** The test of one `USEFUL_*` kind for host b (see there). */
function useful(st: State, kind: number, a: number, r: number, rk: number, b: number): boolean {
    switch (kind) {
        case USEFUL_BELOW_CAP: return st.roleCnt[3 * b + r] < st.cap[r];
        case USEFUL_BRINGS_ROLE:
            for (let r2 = 0; r2 < 3; r2++) if (r2 !== r && st.roleCnt[3 * a + r2] === 0 && st.roleCnt[3 * b + r2] > 0) return true;
            return false;
        case USEFUL_OTHER_RACK: return st.rackOf[b] !== rk && st.rackOf[b] >= 0;
        default: return st.util(b) < st.util(a) - EPS;
    }
}

/** Most candidate hosts evaluated per piece, and most hosts looked at to find them. */
const MAX_CANDIDATES = 48;
const MAX_SCAN = 2048;

/**
 * Tries relocating one `t` from a to a candidate b, or swapping it with one `u` of b; applies the
 * best strict improvement of the pair quality. Candidates are scanned cyclically from a + 1 (or
 * taken from `list`), filtered by `useful`, at most MAX_CANDIDATES evaluated. A candidate whose
 * moves gave nothing is remembered by the states of a and b and t (`State.movesFailed`) and,
 * while nothing is found, skipped when they come again; it is charged as if evaluated.
 */
function tryMoves(st: State, a: number, t: number, kind: number, rk: number, budget: Budget, list?: readonly number[]): boolean {
    const r = st.sRole[t];
    let found = false, bestB = -1, bestU = -2;
    const H = st.H;
    let evaluated = 0;
    const total = list ? list.length : Math.min(H - 1, MAX_SCAN);
    st.limitMemos();
    const memo = st.movesFailed;
    for (let j = 0; j < total && evaluated < MAX_CANDIDATES && budget.left > 0; j++) {
        const b = list ? list[j] : (a + 1 + j) % H;
        budget.left--;
        if (b === a || !st.avail[b] || !useful(st, kind, a, r, rk, b)) continue;
        evaluated++;
        // until something is found, a candidate is measured against its own pair's quality: the
        // same states of a and b (and racks) that gave nothing before give nothing again
        // (charged all the same, so the budget does not depend on the memo)
        if (!found) {
            memo.begin();
            memo.push(st.stateId(a)); memo.push(st.stateId(b)); memo.push(t);
            st.pushRacks(memo, a, b);
            const known = memo.find();
            if (known >= 0) { budget.left -= known; continue; }
        }
        const foundBefore = found;
        let charged = 0;
        pairQuality(st, a, b, qBase);
        // relocate
        if (st.fits(b, t)) {
            st.move(t, a, b);
            pairQuality(st, a, b, qTry);
            st.move(t, b, a);
            if (lexLessF(qTry, found ? qBest : qBase)) { copyQ(qBest, qTry); found = true; bestB = b; bestU = -1; }
        }
        // swap
        const nb = keysInto(st.mov[b], keysB);
        for (let k = 0; k < nb; k++) {
            const u = keysB[k];
            if (u === t) continue;
            const dC = st.sC[u] - st.sC[t], dM = st.sM[u] - st.sM[t];
            if (st.usedC[a] + dC > st.capC[a] + EPS || st.usedM[a] + dM > st.capM[a] + EPS) continue;
            if (st.usedC[b] - dC > st.capC[b] + EPS || st.usedM[b] - dM > st.capM[b] + EPS) continue;
            budget.left--; charged++;
            st.move(t, a, b); st.move(u, b, a);
            pairQuality(st, a, b, qTry);
            st.move(u, a, b); st.move(t, b, a);
            if (lexLessF(qTry, found ? qBest : qBase)) { copyQ(qBest, qTry); found = true; bestB = b; bestU = u; }
        }
        // memo.begin() was not called again since the find above (stateId uses its own memo)
        if (!foundBefore && !found) memo.add(charged);
    }
    if (!found) return false;
    st.move(t, a, bestB);
    if (bestU >= 0) st.move(bestU, bestB, a);
    st.commit(a); st.commit(bestB);
    return true;
}

const qChainA = new Float64Array(QLEN), qChainB = new Float64Array(QLEN);

/** Quality of hosts a, b, c (distinct) into `q`, as `pairQuality` for three hosts. */
function tripleQuality(st: State, a: number, b: number, c: number, q: Float64Array): Float64Array {
    for (let i = 0; i < QLEN; i++) q[i] = 0;
    hostQuality(st, a, q); hostQuality(st, b, q); hostQuality(st, c, q);
    const ra = st.rackOf[a], rb = st.rackOf[b], rc = st.rackOf[c];
    if (ra >= 0) q[3] += st.rackOfPenalty(ra);
    if (rb >= 0 && rb !== ra) q[3] += st.rackOfPenalty(rb);
    if (rc >= 0 && rc !== ra && rc !== rb) q[3] += st.rackOfPenalty(rc);
    return q;
}

/**
 * Spread repair by a chain of two relocations, for a piece t of role r on a host a over the cap
 * ⌈n/h⌉ of r: t moves to a host b below the cap but too full for t, and one piece u of b moves
 * on to a third host c to make room. Applied when the quality over a, b, c strictly improves
 * (so rules 1–2 hold and the busiest of the three does not get busier). Bounded like `tryMoves`.
 */
function tryChain(st: State, a: number, t: number, budget: Budget): boolean {
    const r = st.sRole[t];
    const H = st.H;
    let evaluated = 0;
    const scan = Math.min(H - 1, MAX_SCAN);
    for (let j = 0; j < scan && budget.left > 0 && evaluated < MAX_CANDIDATES; j++) {
        const b = (a + 1 + j) % H;
        budget.left--;
        if (!st.avail[b] || st.roleCnt[3 * b + r] >= st.cap[r] || st.fits(b, t)) continue;
        if (st.capC[b] < st.sC[t] - EPS || st.capM[b] < st.sM[t] - EPS) continue;
        evaluated++;
        const nb = keysInto(st.mov[b], keysT);
        for (let k = 0; k < nb; k++) {
            const u = keysT[k];
            if (u === t) continue;
            if (st.usedC[b] - st.sC[u] + st.sC[t] > st.capC[b] + EPS || st.usedM[b] - st.sM[u] + st.sM[t] > st.capM[b] + EPS) continue;
            const ru = st.sRole[u];
            // nothing outside a and b (as committed: the only hosts changed here) takes u
            if (st.noDestination(u)) { budget.left--; continue; }
            for (let jc = 0; jc < scan && budget.left > 0; jc++) {
                const c = (b + 1 + jc) % H;
                if (c === a || c === b || !st.avail[c]) continue;
                budget.left--;
                if (st.roleCnt[3 * c + ru] >= st.cap[ru] || !st.fits(c, u)) continue;
                tripleQuality(st, a, b, c, qChainA);
                st.move(u, b, c); st.move(t, a, b);
                tripleQuality(st, a, b, c, qChainB);
                if (lexLessF(qChainB, qChainA)) {
                    st.commit(a); st.commit(b); st.commit(c);
                    return true;
                }
                st.move(t, b, a); st.move(u, c, b);
            }
        }
        // several pieces of b make room: the smallest first, each to the first host that takes it
        // below its role's cap (a included: t left room there)
        if (budget.left > 0 && tryEject(st, a, b, t, keysT, nb, budget)) return true;
    }
    return false;
}

/**
 * Longest ejection chain (relocations), most relocations tried per chain search, and per
 * placement (all the searches of the final spread repair together).
 */
const EJECT_DEPTH = 6;
const EJECT_NODES = 20_000;
const EJECT_TOTAL = 100_000;

const ejS: number[] = [], ejFrom: number[] = [], ejTo: number[] = [];
let ejNodes = 0, ejLimit = 0;

/**
 * Spread repair by an ejection chain, for a piece t of role r on a host a over r's cap ⌈n/h⌉.
 * t moves to another host b where r ends at most one above the cap; then, while a host is open
 * (over its capacity, or one above a cap it was within), one of its other pieces moves on
 * (`ejectFrom`). The chain is applied when no host is open any more: no role count ends above
 * its cap where it was within and t left a host over the cap, so a complete chain lowers the
 * spread excess by one; rules 1–2 hold (relocations only, capacity checked on every host it
 * touches); mix and balance may get worse, they come after spread. Iterative deepening (shortest
 * chain first) up to EJECT_DEPTH relocations; at most EJECT_NODES relocations tried, taken from
 * `st.ejectLeft` (not from the move budget: a failed search must not starve the other moves).
 */
function ejectionChain(st: State, a: number, t: number): boolean {
    const r = st.sRole[t];
    ejNodes = 0;
    ejLimit = Math.min(EJECT_NODES, st.ejectLeft);
    let done = false;
    search: for (let depth = 1; depth <= EJECT_DEPTH; depth++) {
        for (let b = 0; b < st.H; b++) {
            if (b === a || !st.avail[b] || st.roleCnt[3 * b + r] > st.cap[r]) continue;
            if (st.capC[b] < st.sC[t] - EPS || st.capM[b] < st.sM[t] - EPS) continue;
            if (ejNodes >= ejLimit) break search;
            ejNodes++;
            // b closed after the move (capacity and cap) ends the chain: only a chain of length 1
            const bOk = st.usedC[b] + st.sC[t] <= st.capC[b] + EPS && st.usedM[b] + st.sM[t] <= st.capM[b] + EPS && st.roleCnt[3 * b + r] + 1 <= st.cap[r];
            if (bOk !== (depth === 1)) continue;
            st.move(t, a, b);
            ejS[0] = t; ejFrom[0] = a; ejTo[0] = b;
            done = bOk || ejectFrom(st, b, t, 1, depth);
            if (done) {
                for (let k = 0; k < depth; k++) { st.commit(ejFrom[k]); st.commit(ejTo[k]); }
                break search;
            }
            st.move(t, b, a);
        }
    }
    st.ejectLeft -= ejNodes;
    return done;
}

/**
 * Host x is open after `len` relocations, the last of which brought in `inShape`: over its
 * capacity, or one above the cap of inShape's role (it was at the cap). Tries to close the chain
 * in exactly `depth` relocations by moving one of x's other pieces (one of inShape's role when
 * x is above that cap) to a host y that is at most one above that piece's role cap afterwards
 * (then y is open in turn, as is x again when it is still over its capacity). Leaves the moves
 * applied on success.
 */
function ejectFrom(st: State, x: number, inShape: number, len: number, depth: number): boolean {
    if (len >= depth) return false;
    const rin = st.sRole[inShape];
    const roleDebt = st.roleCnt[3 * x + rin] > st.cap[rin];
    const keys = ejKeys[len];
    const nk = keysInto(st.mov[x], keys);
    for (let k = 0; k < nk; k++) {
        const u = keys[k];
        if (u === inShape) continue;
        const ru = st.sRole[u];
        if (roleDebt && ru !== rin) continue;
        for (let y = 0; y < st.H; y++) {
            if (y === x || !st.avail[y] || st.roleCnt[3 * y + ru] > st.cap[ru]) continue;
            if (st.capC[y] < st.sC[u] - EPS || st.capM[y] < st.sM[u] - EPS) continue;
            if (ejNodes >= ejLimit) return false;
            ejNodes++;
            // x and y closed or open after the move, worked out before making it: both closed
            // ends the chain (of this length only), both open is no chain, and the last
            // relocation must close both
            const xOk = st.usedC[x] - st.sC[u] <= st.capC[x] + EPS && st.usedM[x] - st.sM[u] <= st.capM[x] + EPS
                && st.roleCnt[3 * x + rin] - (ru === rin ? 1 : 0) <= st.cap[rin];
            const yOk = st.usedC[y] + st.sC[u] <= st.capC[y] + EPS && st.usedM[y] + st.sM[u] <= st.capM[y] + EPS
                && st.roleCnt[3 * y + ru] + 1 <= st.cap[ru];
            const last = len + 1 === depth;
            if (xOk && yOk ? !last : !xOk && !yOk || last) continue;
            st.move(u, x, y);
            ejS[len] = u; ejFrom[len] = x; ejTo[len] = y;
            const done = xOk && yOk ? true : xOk ? ejectFrom(st, y, u, len + 1, depth) : ejectFrom(st, x, inShape, len + 1, depth);
            if (done) return true;
            st.move(u, y, x);
        }
    }
    return false;
}

const ejKeys: number[][] = Array.from({ length: EJECT_DEPTH + 1 }, () => []);

const qSet = new Float64Array(QLEN), qSet2 = new Float64Array(QLEN);

/** Quality over a set of distinct hosts, as `pairQuality`. */
function setQuality(st: State, hosts: readonly number[], q: Float64Array): Float64Array {
    q.fill(0);
    const seen: number[] = [];
    for (const h of hosts) {
        hostQuality(st, h, q);
        const rk = st.rackOf[h];
        if (rk >= 0 && !seen.includes(rk)) { seen.push(rk); q[3] += st.rackOfPenalty(rk); }
    }
    return q;
}

/** Buffers of `tryEject`: b's other shapes, smallest first, and the pieces picked to leave. */
const ejOrder: number[] = [], ejPick: number[] = [];

/**
 * Spread repair for a piece t on host a over its role's cap, when b (below the cap) is too full
 * for t: two to four of b's other pieces (smallest first, until t fits) each move to the first
 * host from b + 1 that takes it below its role's cap; applied when the quality over the hosts
 * touched strictly improves. Most calls end before anything is tried (the pieces to move are
 * too few or too many, or one of them has no host to go to): that part allocates nothing.
 */
function tryEject(st: State, a: number, b: number, t: number, us: readonly number[], nu: number, budget: Budget): boolean {
    const H = st.H, scan = Math.min(H - 1, MAX_SCAN);
    // b's other shapes by size, smallest first (insertion sort: a handful of distinct ids)
    let no = 0;
    for (let k = 0; k < nu; k++) {
        const u = us[k];
        if (u === t) continue;
        let i = no++;
        while (i > 0) {
            const x = ejOrder[i - 1];
            if ((st.sC[x] - st.sC[u] || st.sM[x] - st.sM[u] || x - u) <= 0) break;
            ejOrder[i] = x; i--;
        }
        ejOrder[i] = u;
    }
    // pick pieces (with multiplicity) until t fits; more than four is no ejection
    const pick = ejPick;
    pick.length = 0;
    let freeC = st.freeC(b), freeM = st.freeM(b);
    for (let k = 0; k < no && pick.length <= 4; k++) {
        const u = ejOrder[k];
        let cnt = st.mov[b].get(u);
        while (cnt-- > 0 && pick.length <= 4 && (freeC < st.sC[t] - EPS || freeM < st.sM[t] - EPS)) { pick.push(u); freeC += st.sC[u]; freeM += st.sM[u]; }
        if (freeC >= st.sC[t] - EPS && freeM >= st.sM[t] - EPS) break;
    }
    if (freeC < st.sC[t] - EPS || freeM < st.sM[t] - EPS || pick.length < 2 || pick.length > 4) return false;
    const moved: [number, number][] = []; // [shape, to]
    const touched = [a, b];
    const before = () => { setQuality(st, touched, qSet); };
    const undo = () => { for (let k = moved.length - 1; k >= 0; k--) st.move(moved[k][0], moved[k][1], b); moved.length = 0; };
    // a piece that no host takes (as committed; a has t's room more) makes the search useless
    const rt = st.sRole[t];
    for (const u of pick) {
        const ru = st.sRole[u];
        if (!st.noDestination(u)) continue;
        const aTakes = st.roleCnt[3 * a + ru] - (ru === rt ? 1 : 0) < st.cap[ru]
            && st.usedC[a] - st.sC[t] + st.sC[u] <= st.capC[a] + EPS && st.usedM[a] - st.sM[t] + st.sM[u] <= st.capM[a] + EPS;
        if (!aTakes) { budget.left--; return false; }
    }
    // destinations: first host (from b + 1) that takes u below its role's cap
    st.move(t, a, b); // temporarily overfull b: capacity is checked on the destinations only
    const dest: number[] = [];
    let ok = true;
    for (const u of pick) {
        const ru = st.sRole[u];
        let to = -1;
        for (let j = 1; j <= scan && budget.left > 0; j++) {
            const c = (b + j) % H;
            budget.left--;
            if (!st.avail[c] || st.roleCnt[3 * c + ru] >= st.cap[ru] || !st.fits(c, u)) continue;
            to = c; break;
        }
        if (to < 0) { ok = false; break; }
        st.move(u, b, to); moved.push([u, to]); dest.push(to);
    }
    st.move(t, b, a);
    if (!ok) { undo(); return false; }
    for (const c of dest) if (!touched.includes(c)) touched.push(c);
    // quality after (current: u's moved, t back on a) vs before (everything back)
    st.move(t, a, b);
    setQuality(st, touched, qSet2);
    st.move(t, b, a);
    undo();
    before();
    if (!lexLessF(qSet2, qSet)) return false;
    for (let k = 0; k < pick.length; k++) st.move(pick[k], b, dest[k]);
    st.move(t, a, b);
    for (const h of touched) st.commit(h);
    return true;
}

const qHost = new Float64Array(QLEN);

/** Rules 3–5: relocate / swap placed pieces while it strictly improves the lexicographic quality. */
function improveQuality(st: State, budget: Budget, balance = true): boolean {
    let any = false;
    const H = st.H;
    const q = qHost;
    // spread, mix and racks: work on the hosts that have a problem, a few passes
    for (let pass = 0; pass < 4 && budget.left > 0; pass++) {
        let progress = false;
        for (let a = 0; a < H && budget.left > 0; a++) {
            if (!st.avail[a] || st.mov[a].size === 0) continue;
            for (let i = 0; i < QLEN; i++) q[i] = 0;
            hostQuality(st, a, q);
            const rk = st.rackOf[a];
            const rackBad = rk >= 0 && st.rackOfPenalty(rk) > 0;
            if (q[0] === 0 && q[1] === 0 && q[2] === 0 && !rackBad) continue;
            const na = keysInto(st.mov[a], keysQ);
            for (let k = 0; k < na; k++) {
                const t = keysQ[k];
                const r = st.sRole[t];
                const over = st.roleCnt[3 * a + r] > st.cap[r];
                const dup = st.roleCnt[3 * a + r] > 1;
                const rackRole = rackBad && st.rackCnt[3 * rk + r] > st.rackCap[r];
                // over the cap: hosts below it; a mix problem: hosts that run a role a lacks
                const kind = over ? USEFUL_BELOW_CAP : (q[1] > 0 || q[2] > 0) && dup ? USEFUL_BRINGS_ROLE : rackRole ? USEFUL_OTHER_RACK : -1;
                if (kind < 0) continue;
                if (tryMoves(st, a, t, kind, rk, budget)) { progress = true; any = true; break; }
                if (over && tryChain(st, a, t, budget)) { progress = true; any = true; break; }
                if (tryRepartition(st, a, kind, r, rk, budget)) { progress = true; any = true; break; }
                if (over && st.deep && ejectionChain(st, a, t)) { progress = true; any = true; break; }
            }
        }
        if (!progress) break;
    }
    // balance: unload the busiest hosts towards the least utilised ones
    for (let pass = 0; balance && pass < 4 && budget.left > 0; pass++) {
        const hs: number[] = [];
        for (let h = 0; h < H; h++) if (st.avail[h]) hs.push(h);
        if (hs.length < 2) break;
        hs.sort((x, y) => st.util(y) - st.util(x) || x - y);
        const low = hs.slice(Math.max(0, hs.length - MAX_CANDIDATES)).reverse();
        const mean = hs.reduce((acc, h) => acc + st.util(h), 0) / hs.length;
        let progress = false;
        for (const top of hs) {
            if (budget.left <= 0 || st.util(top) <= mean + EPS) break;
            if (st.mov[top].size === 0) continue;
            const na = keysInto(st.mov[top], keysQ);
            let moved = false;
            for (let k = 0; k < na; k++) {
                if (tryMoves(st, top, keysQ[k], USEFUL_LESS_UTILISED, -1, budget, low)) { moved = progress = any = true; break; }
            }
            if (!moved) {
                for (const b of low) {
                    if (budget.left <= 0) break;
                    if (b !== top && st.util(b) < st.util(top) - EPS && repartition(st, top, b, budget)) { moved = progress = any = true; break; }
                }
            }
            if (!moved) break;
        }
        if (!progress) break;
    }
    return any;
}

/**
 * `repartition` of a with up to MAX_CANDIDATES hosts b that pass `useful(kind, …)`, scanned cyclically
 * from a + 1; true on the first that improves.
 */
function tryRepartition(st: State, a: number, kind: number, r: number, rk: number, budget: Budget): boolean {
    const H = st.H;
    const scan = Math.min(H - 1, MAX_SCAN);
    let evaluated = 0;
    for (let j = 0; j < scan && evaluated < MAX_CANDIDATES && budget.left > 0; j++) {
        const b = (a + 1 + j) % H;
        budget.left--;
        if (!st.avail[b] || !useful(st, kind, a, r, rk, b)) continue;
        evaluated++;
        if (repartition(st, a, b, budget)) return true;
    }
    return false;
}

// ---------------------------------------------------------------------------------------------
// Pair re-partition: every split of the movable pieces of two hosts

/** Most splits (product of (count + 1) over the shapes of the pair) that `repartition` enumerates. */
const REPART_LIMIT = 4096;

const rpShapes: number[] = [], rpTot: number[] = [], rpCur: number[] = [], rpK: number[] = [], rpBest: number[] = [];
const rpQ = new Float64Array(QLEN), rpQBest = new Float64Array(QLEN);
/** The pair being re-split, for `rpEvaluate` / `rpSearch` (module state: no closure per call). */
let rpSt: State | undefined;
let rpA = 0, rpB = 0, rpN = 0, rpRa = -1, rpRb = -1, rpRacksDiffer = false, rpFound = false;
const rpRoleA = new Int32Array(3), rpRoleB = new Int32Array(3), rpFixA = new Int32Array(3), rpFixB = new Int32Array(3);
const rpMovA = new Int32Array(3), rpMovB = new Int32Array(3);

/**
 * Re-splits the movable (unpinned) pieces of hosts a and b between the two: enumerates every
 * count of each shape on a (the rest on b) that fits both hosts, and applies the split with the
 * lexicographically smallest pair quality (spread excess, single-role hosts, missing roles,
 * rack excess, busiest of the two, Σ utilisation²) when it is strictly better than the current
 * one. This covers relocations, swaps and multi-piece exchanges (one large piece for several
 * small ones of other roles) in one neighbourhood. Skipped (false) when the number of splits
 * exceeds `limit`; each enumerated split costs one evaluation of the budget. A re-split that
 * found nothing is remembered by everything it read (both hosts' capacity, load, role counts
 * and movable counts, and their racks' role counts when those differ): the same two states
 * again give false at once, charged like the search (so a remembered failure changes nothing
 * but the time).
 */
function repartition(st: State, a: number, b: number, budget: Budget, limit = REPART_LIMIT): boolean {
    if (a === b || !st.avail[a] || !st.avail[b]) return false;
    st.limitMemos();
    // the same two host states failed before: the same search fails again (charged all the same,
    // so the budget, hence the rest of the search, does not depend on the memo); rack terms
    // count only between two racks (see rpEvaluate)
    const memo = st.repartFailed;
    memo.begin();
    memo.push(st.stateId(a)); memo.push(st.stateId(b));
    if (st.rackOf[a] >= 0 && st.rackOf[b] >= 0 && st.rackOf[a] !== st.rackOf[b]) st.pushRacks(memo, a, b);
    const known = memo.find();
    if (known >= 0) { if (budget.left > 0) budget.left -= known; return false; }
    let n = 0;
    // ascending shape ids: the enumeration order (hence the tie-break) is fixed
    const ma = st.mov[a], mb = st.mov[b];
    for (let s = 0; s < st.S; s++) if (ma.get(s) > 0 || mb.get(s) > 0) rpShapes[n++] = s;
    if (n === 0) return false;
    let product = 1;
    let movAC = 0, movAM = 0, movBC = 0, movBM = 0;
    rpMovA.fill(0); rpMovB.fill(0);
    for (let i = 0; i < n; i++) {
        const s = rpShapes[i];
        const ka = ma.get(s), kb = mb.get(s);
        rpCur[i] = ka; rpTot[i] = ka + kb;
        product *= ka + kb + 1;
        movAC += ka * st.sC[s]; movAM += ka * st.sM[s]; movBC += kb * st.sC[s]; movBM += kb * st.sM[s];
        rpMovA[st.sRole[s]] += ka; rpMovB[st.sRole[s]] += kb;
        if (product > limit) return false;
    }
    if (budget.left <= 0) return false;
    budget.left -= product;
    const baseAC = st.usedC[a] - movAC, baseAM = st.usedM[a] - movAM, baseBC = st.usedC[b] - movBC, baseBM = st.usedM[b] - movBM;
    for (let r = 0; r < 3; r++) { rpFixA[r] = st.roleCnt[3 * a + r] - rpMovA[r]; rpFixB[r] = st.roleCnt[3 * b + r] - rpMovB[r]; }
    rpSt = st; rpA = a; rpB = b; rpN = n;
    rpRa = st.rackOf[a]; rpRb = st.rackOf[b];
    rpRacksDiffer = rpRa >= 0 && rpRb >= 0 && rpRa !== rpRb;
    for (let r = 0; r < 3; r++) { rpRoleA[r] = st.roleCnt[3 * a + r]; rpRoleB[r] = st.roleCnt[3 * b + r]; }
    rpEvaluate(rpQBest, st.usedC[a], st.usedC[b]);
    for (let r = 0; r < 3; r++) { rpRoleA[r] = rpFixA[r]; rpRoleB[r] = rpFixB[r]; }
    rpFound = false;
    rpSearch(0, baseAC, baseAM, baseBC, baseBM);
    rpSt = undefined;
    if (!rpFound) { memo.add(product); return false; }
    for (let i = 0; i < n; i++) {
        const s = rpShapes[i];
        let d = rpBest[i] - rpCur[i];
        for (; d > 0; d--) st.move(s, b, a);
        for (; d < 0; d++) st.move(s, a, b);
    }
    st.commit(a); st.commit(b);
    return true;
}

/** Quality of the split into q: a's role counts in rpRoleA and vCPUs cA, b's in rpRoleB and cB. */
function rpEvaluate(q: Float64Array, cA: number, cB: number): void {
    const st = rpSt!;
    q[0] = 0; q[1] = 0; q[2] = 0; q[3] = 0;
    addRoleTerms(rpRoleA, 0, st.cap, st.R, q);
    addRoleTerms(rpRoleB, 0, st.cap, st.R, q);
    if (rpRacksDiffer) {
        const a = rpA, b = rpB, ra = rpRa, rb = rpRb;
        for (let r = 0; r < 3; r++) {
            q[3] += Math.max(0, st.rackCnt[3 * ra + r] - st.roleCnt[3 * a + r] + rpRoleA[r] - st.rackCap[r]);
            q[3] += Math.max(0, st.rackCnt[3 * rb + r] - st.roleCnt[3 * b + r] + rpRoleB[r] - st.rackCap[r]);
        }
    }
    const capA = st.capC[rpA], capB = st.capC[rpB];
    const uA = capA > 0 ? cA / capA : 0, uB = capB > 0 ? cB / capB : 0;
    q[4] = uA > uB ? uA : uB;
    q[5] = uA * uA + uB * uB;
}

/**
 * Depth-first over the shapes of the pair from shape i, pruning on capacity (b's load counts
 * only the decided shapes); role counts are kept incrementally: all of shape i on b first, then
 * one by one to a. Records the best split in rpBest / rpQBest.
 */
function rpSearch(i: number, cA: number, mA: number, cB: number, mB: number): void {
    const st = rpSt!;
    if (i === rpN) {
        rpEvaluate(rpQ, cA, cB);
        if (lexLessF(rpQ, rpQBest)) { copyQ(rpQBest, rpQ); for (let j = 0; j < rpN; j++) rpBest[j] = rpK[j]; rpFound = true; }
        return;
    }
    const s = rpShapes[i], c = st.sC[s], m = st.sM[s], tot = rpTot[i], r = st.sRole[s];
    const capA = st.capC[rpA], capB = st.capC[rpB], capMA = st.capM[rpA], capMB = st.capM[rpB];
    rpRoleB[r] += tot;
    for (let k = 0; k <= tot; k++) {
        if (k > 0) { rpRoleA[r]++; rpRoleB[r]--; }
        const nA = cA + k * c, nMA = mA + k * m;
        if (nA > capA + EPS || nMA > capMA + EPS) { rpRoleA[r] -= k; rpRoleB[r] -= tot - k; return; }
        const nB = cB + (tot - k) * c, nMB = mB + (tot - k) * m;
        if (nB > capB + EPS || nMB > capMB + EPS) continue;
        rpK[i] = k;
        rpSearch(i + 1, nA, nMA, nB, nMB);
    }
    rpRoleA[r] -= tot;
}

// ---------------------------------------------------------------------------------------------
// Host-failure tolerance (tolerate_host_failures = k)

/** Most hosts / instances for which `place` runs the tolerance pass. */
const TOLERANCE_MAX_HOSTS = 64;
const TOLERANCE_MAX_INSTANCES = 2_000;
/** Most re-placement checks (each checks every host class, and pairs for k = 2) per pass. */
const TOLERANCE_MAX_CHECKS = 3_000;
/**
 * Work units (see `WorkBudget`) the re-placement checks of one tolerance pass may spend together;
 * no check starts once they are spent. A loss not decided within them counts as failing.
 */
const TOLERANCE_WORK = 200_000;

/**
 * Makes the placement survive the loss of any k hosts where it can: while some loss does not
 * re-place (`lossFailures`, the same re-placement check as the host-failure figures), applies
 * the first relocation or single swap (hosts in order, larger pieces first) that strictly lowers
 * the failures and makes none of spread, mix, racks worse over the two hosts; stops when no such
 * move exists, after TOLERANCE_MAX_CHECKS checks or once `limit` units (TOLERANCE_WORK, or what a
 * caller's work budget has left) are spent. Placed
 * cores never change; utilisation balance may get worse (surviving a loss comes first when it is
 * asked for). Returns the work units spent.
 */
function improveTolerance(st: State, model: PlanModel, pp: PinnedPlan, k: number, limit: number): number {
    const work = new WorkBudget(limit);
    const H = st.H;
    const pinItems = pp.pinned.map(list => list.map(i => ({ c: model.instances[i].cores, m: model.instances[i].memoryGiB })));
    const capC = Array.from(st.capC), capM = Array.from(st.capM);
    const items = () => {
        // building the pieces and the checker's indexes: about one unit per piece and host
        work.charge(model.instances.length + H);
        const out: { c: number; m: number }[][] = [];
        for (let h = 0; h < H; h++) {
            const list = [...pinItems[h]];
            for (let s = 0; s < st.S; s++) for (let j = st.mov[h].get(s); j > 0; j--) list.push({ c: st.sC[s], m: st.sM[s] });
            out.push(list);
        }
        return out;
    };
    let checks = 1;
    let cur: number[] = lossFailures(capC, capM, items(), k, work);
    const qa = new Float64Array(QLEN), qb = new Float64Array(QLEN);
    const notWorse = (): boolean => {
        for (let i = 0; i < 4; i++) { if (qb[i] < qa[i] - EPS) return true; if (qb[i] > qa[i] + EPS) return false; }
        return true;
    };
    const bySize: number[] = Array.from({ length: st.S }, (_, s) => s).sort((a, b) => st.sC[b] - st.sC[a] || st.sM[b] - st.sM[a] || a - b);
    const tryIt = (): boolean => {
        checks++;
        const m = lossFailures(capC, capM, items(), k, work);
        if (lexLess(m, cur)) { cur = m; return true; }
        return false;
    };
    while ((cur[0] > 0 || cur[1] > 0) && checks < TOLERANCE_MAX_CHECKS && !work.exhausted) {
        let improved = false;
        search: for (let x = 0; x < H; x++) {
            if (!st.avail[x] || st.mov[x].size === 0) continue;
            for (const t of bySize) {
                if (!st.mov[x].has(t)) continue;
                for (let y = 0; y < H; y++) {
                    if (y === x || !st.avail[y]) continue;
                    if (checks >= TOLERANCE_MAX_CHECKS || work.exhausted) break search;
                    pairQuality(st, x, y, qa);
                    if (st.fits(y, t)) {
                        st.move(t, x, y);
                        pairQuality(st, x, y, qb);
                        if (notWorse() && tryIt()) { improved = true; st.commit(x); st.commit(y); break search; }
                        st.move(t, y, x);
                    }
                    for (const u of bySize) {
                        if (u === t || !st.mov[y].has(u)) continue;
                        if (st.sC[u] >= st.sC[t] && st.sM[u] >= st.sM[t]) continue; // only a smaller piece back
                        const dC = st.sC[u] - st.sC[t], dM = st.sM[u] - st.sM[t];
                        if (st.usedC[x] + dC > st.capC[x] + EPS || st.usedM[x] + dM > st.capM[x] + EPS) continue;
                        if (st.usedC[y] - dC > st.capC[y] + EPS || st.usedM[y] - dM > st.capM[y] + EPS) continue;
                        st.move(t, x, y); st.move(u, y, x);
                        pairQuality(st, x, y, qb);
                        if (notWorse() && tryIt()) { improved = true; st.commit(x); st.commit(y); break search; }
                        st.move(u, x, y); st.move(t, y, x);
                        if (checks >= TOLERANCE_MAX_CHECKS || work.exhausted) break search;
                    }
                }
            }
        }
        if (!improved) break;
    }
    return work.spent;
}
