/**
 * The placement search state (see `placement.ts` for the rules): counts per host and shape,
 * capacity, role counts, racks, the indexes over the hosts (fit tree, role heaps) and the memos
 * of the local search, plus the quality of a host, a pair or a set of hosts under the objective
 * (`objective.ts`). Pure.
 */
import { rackIndices, ROLE_INDEX, type PlanModel } from './model.js';
import { addRoleTerms, EPS, Q_MAX_UTIL, Q_RACKS, Q_UTIL_SQUARES, QLEN } from './objective.js';
import { FitTree } from './replacement.js';

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
    outH = -1;
    outK1 = 0;
    outK2 = 0;
    outK3 = 0;

    private less(i: number, j: number): boolean {
        const a = this.k1[i],
            b = this.k1[j];
        if (a !== b) return a < b;
        const c = this.k2[i],
            d = this.k2[j];
        if (c !== d) return c < d;
        const e = this.k3[i],
            f = this.k3[j];
        if (e !== f) return e < f;
        return this.hs[i] < this.hs[j];
    }
    private swap(i: number, j: number): void {
        let t = this.hs[i];
        this.hs[i] = this.hs[j];
        this.hs[j] = t;
        t = this.k1[i];
        this.k1[i] = this.k1[j];
        this.k1[j] = t;
        t = this.k2[i];
        this.k2[i] = this.k2[j];
        this.k2[j] = t;
        t = this.k3[i];
        this.k3[i] = this.k3[j];
        this.k3[j] = t;
    }
    push(h: number, k1: number, k2: number, k3: number): void {
        if (this.size === this.hs.length) {
            const grow = <T extends Int32Array | Float64Array>(a: T): T => {
                const b = new (a.constructor as { new (n: number): T })(a.length * 2);
                b.set(a);
                return b;
            };
            this.hs = grow(this.hs);
            this.k1 = grow(this.k1);
            this.k2 = grow(this.k2);
            this.k3 = grow(this.k3);
        }
        let i = this.size++;
        this.hs[i] = h;
        this.k1[i] = k1;
        this.k2[i] = k2;
        this.k3[i] = k3;
        while (i > 0) {
            const p = (i - 1) >> 1;
            if (!this.less(i, p)) break;
            this.swap(i, p);
            i = p;
        }
    }
    /** Removes the smallest entry into `out*`; false when empty. */
    pop(): boolean {
        if (this.size === 0) return false;
        this.outH = this.hs[0];
        this.outK1 = this.k1[0];
        this.outK2 = this.k2[0];
        this.outK3 = this.k3[0];
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
                this.swap(c, i);
                i = c;
            }
        }
        return true;
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
    constructor(
        private readonly buf: Int32Array,
        private readonly off: number,
        readonly S: number
    ) {}
    /** Instances of shape s here (0 when none). */
    get(s: number): number {
        return this.buf[this.off + s];
    }
    has(s: number): boolean {
        return this.buf[this.off + s] > 0;
    }
    /** Adds d (±) instances of shape s. */
    add(s: number, d: number): void {
        const i = this.off + s,
            before = this.buf[i],
            after = before + d;
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
    get size(): number {
        return this.count;
    }
    /** Forgets every tuple (the one being built stays). */
    clear(): void {
        this.table.clear();
        this.used = 0;
        this.count = 0;
    }
    /** Starts a new tuple. */
    begin(): void {
        this.len = 0;
    }
    /** Appends one value to the tuple. */
    push(x: number): void {
        if (this.len === this.buf.length) {
            const b = new Float64Array(this.buf.length * 2);
            b.set(this.buf);
            this.buf = b;
            this.bits = new Int32Array(b.buffer);
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
            const s = new Float64Array(Math.max(2 * this.store.length, this.used + this.len));
            s.set(this.store.subarray(0, this.used));
            this.store = s;
        }
        if (this.count === this.eOff.length) {
            const n = 2 * this.count;
            const gi = (a: Int32Array) => {
                const b = new Int32Array(n);
                b.set(a);
                return b;
            };
            this.eOff = gi(this.eOff);
            this.eLen = gi(this.eLen);
            this.eNext = gi(this.eNext);
            const v = new Float64Array(n);
            v.set(this.eValue);
            this.eValue = v;
        }
        this.store.set(this.buf.subarray(0, this.len), this.used);
        const e = this.count++;
        this.eOff[e] = this.used;
        this.eLen[e] = this.len;
        this.eValue[e] = value;
        this.eNext[e] = this.table.get(key) ?? -1;
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
export class State {
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
    /**
     * Small plan: the set re-split (three hosts, four on few hosts) is tried too, with the nodes
     * it may still enumerate for spread, mix and racks (`setRoles`) and for balance
     * (`setBalance`), apart so that one cannot starve the other (see `setRepartition`).
     */
    sets = false;
    readonly setRoles: Budget = { left: 0 };
    readonly setBalance: Budget = { left: 0 };
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
    /** Set re-splits that found nothing, by the states of the hosts: the nodes charged. */
    readonly setFailed = new StateMemo();
    /** Counts the `commit`s: a cached answer about the placement holds while it is unchanged. */
    stamp = 0;
    private destStamp = new Int32Array(0);
    private destNone = new Uint8Array(0);
    /** Smallest piece (vCPUs, GiB) of any shape. */
    readonly minC: number;
    readonly minM: number;
    readonly tree: FitTree;

    constructor(
        model: PlanModel,
        readonly sC: Float64Array,
        readonly sM: Float64Array,
        readonly sRole: Int32Array,
        roleN: readonly number[],
        pinned: readonly (readonly number[])[],
        overcommitted: readonly number[]
    ) {
        const H = (this.H = model.hosts.length);
        this.S = sC.length;
        this.capC = new Float64Array(H);
        this.capM = new Float64Array(H);
        this.usedC = new Float64Array(H);
        this.usedM = new Float64Array(H);
        this.avail = new Uint8Array(H);
        this.roleCnt = new Int32Array(3 * H);
        const movBuf = new Int32Array(H * this.S);
        this.mov = Array.from({ length: H }, (_, h) => new ShapeCounts(movBuf, h * this.S, this.S));
        this.unpl = new Int32Array(this.S);
        this.sid = new Int32Array(H);
        const over = new Set(overcommitted);
        for (let h = 0; h < H; h++) {
            const host = model.hosts[h];
            this.capC[h] = host.usableCores;
            this.capM[h] = host.usableMemoryGiB;
            this.avail[h] = !over.has(h) && host.usableCores > 0 ? 1 : 0;
        }
        // rack ids do not depend on host order beyond first appearance; only counts matter
        const racks = rackIndices(model);
        this.rackOf = racks.ofHost;
        this.nRacks = racks.count;
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
                this.usedC[h] += it.cores;
                this.usedM[h] += it.memoryGiB;
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

    freeC(h: number): number {
        return this.capC[h] - this.usedC[h];
    }
    freeM(h: number): number {
        return this.capM[h] - this.usedM[h];
    }
    /** True when one more instance of shape s fits on h (s = -1: h is within its capacity as it is). */
    fits(h: number, s: number): boolean {
        if (s < 0)
            return this.usedC[h] <= this.capC[h] + EPS && this.usedM[h] <= this.capM[h] + EPS;
        return (
            this.avail[h] === 1 &&
            this.usedC[h] + this.sC[s] <= this.capC[h] + EPS &&
            this.usedM[h] + this.sM[s] <= this.capM[h] + EPS
        );
    }
    util(h: number): number {
        return this.capC[h] > 0 ? this.usedC[h] / this.capC[h] : 0;
    }

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
            this.states.clear();
            this.repartFailed.clear();
            this.movesFailed.clear();
            this.setFailed.clear();
            this.sid.fill(0);
        }
        if (this.repartFailed.size >= MEMO_MAX_ENTRIES) this.repartFailed.clear();
        if (this.movesFailed.size >= MEMO_MAX_ENTRIES) this.movesFailed.clear();
        if (this.setFailed.size >= MEMO_MAX_ENTRIES) this.setFailed.clear();
    }

    stateId(h: number): number {
        const known = this.sid[h];
        if (known > 0) return known - 1;
        const m = this.states;
        m.begin();
        m.push(this.capC[h]);
        m.push(this.capM[h]);
        m.push(this.usedC[h]);
        m.push(this.usedM[h]);
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
        const ra = this.rackOf[a],
            rb = this.rackOf[b];
        memo.push(ra >= 0 ? 1 : 0);
        memo.push(rb < 0 ? 0 : rb === ra ? 2 : 1);
        if (ra >= 0) for (let r = 0; r < 3; r++) memo.push(this.rackCnt[3 * ra + r]);
        if (rb >= 0 && rb !== ra) for (let r = 0; r < 3; r++) memo.push(this.rackCnt[3 * rb + r]);
    }

    /** Moves one instance of shape s from host `from` (-1: the unplaced pool) to `to` (-1: pool). No index update. */
    move(s: number, from: number, to: number): void {
        const c = this.sC[s],
            m = this.sM[s],
            r = this.sRole[s];
        if (from >= 0) {
            this.sid[from] = 0;
            this.mov[from].add(s, -1);
            this.usedC[from] -= c;
            this.usedM[from] -= m;
            this.roleCnt[3 * from + r]--;
            if (this.rackOf[from] >= 0) this.rackCnt[3 * this.rackOf[from] + r]--;
        } else {
            this.unpl[s]--;
            this.roleUnplC[r] -= c;
        }
        if (to >= 0) {
            this.sid[to] = 0;
            this.mov[to].add(s, 1);
            this.usedC[to] += c;
            this.usedM[to] += m;
            this.roleCnt[3 * to + r]++;
            if (this.rackOf[to] >= 0) this.rackCnt[3 * this.rackOf[to] + r]++;
        } else {
            this.unpl[s]++;
            this.roleUnplC[r] += c;
        }
    }

    /** True when not even the smallest piece fits on h any more (it then leaves the heaps). */
    full(h: number): boolean {
        return this.freeC(h) < this.minC - EPS || this.freeM(h) < this.minM - EPS;
    }

    /** Makes the indexes (heaps, fit tree) reflect host h after any change. */
    commit(h: number): void {
        this.stamp++;
        if (!this.avail[h]) {
            this.tree.set(h, -Infinity, -Infinity);
            return;
        }
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
        const util = this.util(h),
            negFree = -this.freeC(h);
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
        if (this.destStamp.length !== this.S) {
            this.destStamp = new Int32Array(this.S).fill(-1);
            this.destNone = new Uint8Array(this.S);
        }
        if (this.destStamp[u] !== this.stamp) {
            const r = this.sRole[u];
            let none = 1;
            for (let h = 0; h < this.H; h++)
                if (this.roleCnt[3 * h + r] < this.cap[r] && this.fits(h, u)) {
                    none = 0;
                    break;
                }
            this.destStamp[u] = this.stamp;
            this.destNone[u] = none;
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
        let nHeld = 0,
            chosen = -1;
        while (nHeld < 32 && heap.pop()) {
            const h = heap.outH;
            if (!this.avail[h] || this.full(h)) continue;
            const cnt = this.roleCnt[3 * h + r],
                util = this.util(h),
                negFree = -this.freeC(h);
            const c = heap.outK1 - cnt || heap.outK2 - util || heap.outK3 - negFree;
            if (c < 0) {
                heap.push(h, cnt, util, negFree);
                continue;
            }
            if (c > 0) continue;
            if (this.fits(h, s)) {
                chosen = h;
                break;
            }
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

    unplacedCores(): number {
        return this.roleUnplC[0] + this.roleUnplC[1] + this.roleUnplC[2];
    }

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
        let single = 0,
            pairs = 0,
            hosts = 0;
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
        for (let h = 0; h < this.H; h++)
            if (this.roleCnt[3 * h] + this.roleCnt[3 * h + 1] + this.roleCnt[3 * h + 2] > 0) x++;
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

/**
 * The whole objective of a state, for comparing complete placements: the shortfall (total, then
 * per role descending), then spread excess, single-role hosts, missing roles, rack excess, the
 * busiest host's utilisation and Σ utilisation².
 */
export function globalQuality(st: State): number[] {
    const q = new Float64Array(QLEN);
    for (let h = 0; h < st.H; h++) if (st.avail[h]) hostQuality(st, h, q);
    for (let k = 0; k < st.nRacks; k++) q[Q_RACKS] += st.rackOfPenalty(k);
    return [...st.shortfall(), ...q];
}

/** A budget of move evaluations of the local search (decremented as they are spent; never time). */
export interface Budget {
    left: number;
}

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
export function hostQuality(st: State, h: number, out: Float64Array): void {
    addRoleTerms(st.roleCnt, 3 * h, st.cap, st.R, out);
    const u = st.capC[h] > 0 ? st.usedC[h] / st.capC[h] : 0;
    if (u > out[Q_MAX_UTIL]) out[Q_MAX_UTIL] = u;
    out[Q_UTIL_SQUARES] += u * u;
}

/**
 * Quality of hosts a and b into `q`: [spread excess, single-role hosts, missing roles, rack
 * excess, max utilisation, Σ utilisation²]. All but the last two are sums of per-host (per-rack)
 * terms, so a strict decrease over the pair is a strict decrease overall; the pairwise max /
 * sum of squares never lets the busiest host get busier.
 */
export function pairQuality(st: State, a: number, b: number, q: Float64Array): Float64Array {
    for (let i = 0; i < QLEN; i++) q[i] = 0;
    hostQuality(st, a, q);
    hostQuality(st, b, q);
    const ra = st.rackOf[a],
        rb = st.rackOf[b];
    if (ra >= 0) q[Q_RACKS] += st.rackOfPenalty(ra);
    if (rb >= 0 && rb !== ra) q[Q_RACKS] += st.rackOfPenalty(rb);
    return q;
}

/** Shape ids present (movable) on h, ascending, into a reusable buffer; returns the count. */
export function keysInto(m: ShapeCounts, buf: number[]): number {
    let k = 0;
    if (m.size === 0) return 0;
    for (let s = 0; s < m.S && k < m.size; s++) if (m.get(s) > 0) buf[k++] = s;
    return k;
}

/** Most candidate hosts evaluated per piece, and most hosts looked at to find them. */
export const MAX_CANDIDATES = 48;
export const MAX_SCAN = 2048;

/** Quality of hosts a, b, c (distinct) into `q`, as `pairQuality` for three hosts. */
export function tripleQuality(
    st: State,
    a: number,
    b: number,
    c: number,
    q: Float64Array
): Float64Array {
    for (let i = 0; i < QLEN; i++) q[i] = 0;
    hostQuality(st, a, q);
    hostQuality(st, b, q);
    hostQuality(st, c, q);
    const ra = st.rackOf[a],
        rb = st.rackOf[b],
        rc = st.rackOf[c];
    if (ra >= 0) q[Q_RACKS] += st.rackOfPenalty(ra);
    if (rb >= 0 && rb !== ra) q[Q_RACKS] += st.rackOfPenalty(rb);
    if (rc >= 0 && rc !== ra && rc !== rb) q[Q_RACKS] += st.rackOfPenalty(rc);
    return q;
}

const EJECT_TOTAL = 100_000;

/** Quality over a set of distinct hosts, as `pairQuality`. */
export function setQuality(st: State, hosts: readonly number[], q: Float64Array): Float64Array {
    q.fill(0);
    const seen: number[] = [];
    for (const h of hosts) {
        hostQuality(st, h, q);
        const rk = st.rackOf[h];
        if (rk >= 0 && !seen.includes(rk)) {
            seen.push(rk);
            q[Q_RACKS] += st.rackOfPenalty(rk);
        }
    }
    return q;
}
