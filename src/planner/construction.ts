/**
 * The constructive passes of `place`: the slot-aware `spread` start, the capped starts of the
 * restarts and first-fit decreasing. Each fills a fresh `State` from the unplaced pool. Pure.
 */
import { EPS } from './objective.js';
import { State } from './placement-state.js';

// ---------------------------------------------------------------------------------------------
// Constructive pass

/**
 * The constructive pass of the `spread` start, slot-aware. Pieces go largest first, in groups of
 * equal vCPUs; within a group the roles and shapes interleave by their position k/f within the
 * shape (ties: more memory, role order, shape id). Each piece goes to a host where it fits, in
 * the order of:
 *  1. the role's count there: below the role's cap ⌈n/h⌉ first — and in the last group that
 *     has pieces of the role, a host without the role that runs another one, then an empty
 *     host, before one with some (rule 4: an empty host counts as single-role, so a piece mixes
 *     a host only where another role runs) — then the fewest above the cap;
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
export function constructSlots(st: State, free: readonly number[]): void {
    const H = st.H;
    const shapes: number[] = [];
    let totC = 0,
        totM = 0;
    for (let s = 0; s < st.S; s++)
        if (free[s] > 0) {
            shapes.push(s);
            totC += free[s] * st.sC[s];
            totM += free[s] * st.sM[s];
        }
    shapes.sort((a, b) => st.sC[b] - st.sC[a] || a - b);
    const memToC = totM > 0 ? totC / totM : 0;
    const remaining = [0, 0, 0],
        groupLeft = [0, 0, 0];
    for (const s of shapes) remaining[st.sRole[s]] += free[s];
    const w = new Float64Array(3);
    const mixFirst = [false, false, false];
    // a heap holds every host once, plus the stale entries of hosts given a piece since
    const heaps = [0, 1, 2].map(() => new SlotHeap(Math.max(64, 2 * H)));
    const cap = st.cap,
        roleCnt = st.roleCnt;
    const version = new Int32Array(H);
    /**
     * New entries for host h in the heaps of the roles of the current group (its older entries
     * become stale); the heap of role `top` gets it by replacing its top entry (which must be
     * h's), `append` adds without ordering (the caller heapifies).
     */
    const pushAll = (h: number, top = -1, append = false): void => {
        if (!st.avail[h] || st.full(h)) {
            if (top >= 0) heaps[top].pop();
            return;
        }
        let slots = 0;
        for (let r = 0; r < 3; r++) {
            const open = cap[r] - roleCnt[3 * h + r];
            if (open > 0) slots += w[r] * open;
        }
        const fc = st.freeC(h),
            fm = st.freeM(h) * memToC;
        const room = memToC > 0 && fm < fc ? fm : fc;
        const x = room / (slots > 0.25 ? slots : 0.25);
        const k2 = -x / (1 + x);
        const v = ++version[h];
        for (let r = 0; r < 3; r++) {
            if (groupLeft[r] === 0) {
                if (r === top) heaps[r].pop();
                continue;
            }
            const cnt = roleCnt[3 * h + r],
                over = cnt - cap[r] + 1;
            // in the role's last group, a host without it: one that runs another role first (it
            // stops being single-role), then an empty one (it stays single-role: rule 4 counts it)
            const k =
                (over > 0
                    ? over + 1
                    : mixFirst[r] && cnt === 0
                      ? roleCnt[3 * h] + roleCnt[3 * h + 1] + roleCnt[3 * h + 2] > 0
                          ? -1
                          : 0
                      : 1) + k2;
            if (r === top) heaps[r].replaceTop(h, k, v);
            else if (append) heaps[r].append(h, k, v);
            else heaps[r].push(h, k, v);
        }
    };
    // the fit tree is brought up to date only before it is asked (the fall-back below)
    const dirty: number[] = [];
    const isDirty = new Uint8Array(H);
    const parked: number[] = [];
    const held = new Int32Array(32),
        heldK = new Float64Array(32);
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
            for (let h = 0; h < H; h++)
                if (st.avail[h]) open += Math.max(0, cap[r] - roleCnt[3 * h + r]);
            w[r] = open > 0 ? Math.min(1, remaining[r] / open) : 0;
            mixFirst[r] = groupLeft[r] === remaining[r];
            heaps[r].size = 0;
        }
        for (let h = 0; h < H; h++) pushAll(h, -1, true);
        for (let r = 0; r < 3; r++) heaps[r].heapify();
        let left = 0;
        for (const s of group) left += free[s];
        for (; left > 0; left--) {
            let best = -1,
                bestF = Infinity;
            for (const s of group) {
                if (next[s] > free[s]) continue;
                const f = (next[s] - 0.5) / free[s];
                if (
                    best < 0 ||
                    f < bestF - 1e-12 ||
                    (Math.abs(f - bestF) <= 1e-12 &&
                        (st.sM[s] > st.sM[best] ||
                            (st.sM[s] === st.sM[best] &&
                                (st.sRole[s] < st.sRole[best] ||
                                    (st.sRole[s] === st.sRole[best] && s < best)))))
                ) {
                    best = s;
                    bestF = f;
                }
            }
            next[best]++;
            const s = best,
                r = st.sRole[s];
            remaining[r]--;
            groupLeft[r]--;
            const heap = heaps[r];
            let nHeld = 0,
                chosen = -1;
            // the first valid top entry that fits stays on top (replaced below)
            while (nHeld < 32 && heap.size > 0) {
                const h = heap.topH();
                if (heap.topV() !== version[h]) {
                    heap.pop();
                    continue;
                }
                if (st.fits(h, s)) {
                    chosen = h;
                    break;
                }
                heap.pop();
                if (st.freeC(h) < st.sC[s] - EPS) {
                    parked.push(h);
                    version[h]++;
                    continue;
                }
                held[nHeld] = h;
                heldK[nHeld++] = heap.outK;
            }
            const fromHeap = chosen >= 0;
            if (!fromHeap) {
                for (const h of dirty) {
                    st.tree.set(h, st.freeC(h), st.freeM(h));
                    isDirty[h] = 0;
                }
                dirty.length = 0;
                chosen = st.tree.find(st.sC[s], st.sM[s]);
            }
            if (chosen >= 0) {
                st.move(s, -1, chosen);
                if (!isDirty[chosen]) {
                    isDirty[chosen] = 1;
                    dirty.push(chosen);
                }
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
    outH = -1;
    outK = 0;
    outV = 0;

    /** `capacity`: entries held before the arrays grow (they double when full). */
    constructor(capacity: number) {
        this.hs = new Int32Array(capacity);
        this.ks = new Float64Array(capacity);
        this.vs = new Int32Array(capacity);
    }

    push(h: number, k: number, v: number): void {
        if (this.size === this.hs.length) this.grow();
        const hs = this.hs,
            ks = this.ks,
            vs = this.vs;
        let i = this.size++;
        while (i > 0) {
            const p = (i - 1) >> 1;
            const pk = ks[p];
            if (pk < k || (pk === k && hs[p] < h)) break;
            hs[i] = hs[p];
            ks[i] = pk;
            vs[i] = vs[p];
            i = p;
        }
        hs[i] = h;
        ks[i] = k;
        vs[i] = v;
    }
    /** Adds an entry at the end without restoring the heap order (then `heapify`). */
    append(h: number, k: number, v: number): void {
        if (this.size === this.hs.length) this.grow();
        const i = this.size++;
        this.hs[i] = h;
        this.ks[i] = k;
        this.vs[i] = v;
    }
    /** Restores the heap order after `append`s (bottom-up, linear time). */
    heapify(): void {
        for (let i = (this.size >> 1) - 1; i >= 0; i--)
            this.siftDown(i, this.hs[i], this.ks[i], this.vs[i], this.size);
    }
    /** Host, key and tag of the smallest entry (size > 0). */
    topH(): number {
        return this.hs[0];
    }
    topV(): number {
        return this.vs[0];
    }
    /** Replaces the smallest entry (size > 0) by (h, k, v): one sift instead of a pop and a push. */
    replaceTop(h: number, k: number, v: number): void {
        this.siftDown(0, h, k, v, this.size);
    }
    /** Removes the smallest entry into `out*`; false when empty. */
    pop(): boolean {
        if (this.size === 0) return false;
        const hs = this.hs,
            ks = this.ks,
            vs = this.vs;
        this.outH = hs[0];
        this.outK = ks[0];
        this.outV = vs[0];
        const last = --this.size;
        if (last > 0) this.siftDown(0, hs[last], ks[last], vs[last], last);
        return true;
    }
    /** Puts (h, k, v) at position i and moves it down within the first `n` entries. */
    private siftDown(i: number, h: number, k: number, v: number, n: number): void {
        const hs = this.hs,
            ks = this.ks,
            vs = this.vs;
        for (;;) {
            let c = 2 * i + 1;
            if (c >= n) break;
            const r = c + 1;
            if (r < n && (ks[r] < ks[c] || (ks[r] === ks[c] && hs[r] < hs[c]))) c = r;
            if (k < ks[c] || (k === ks[c] && h < hs[c])) break;
            hs[i] = hs[c];
            ks[i] = ks[c];
            vs[i] = vs[c];
            i = c;
        }
        hs[i] = h;
        ks[i] = k;
        vs[i] = v;
    }
    private grow(): void {
        const n = this.hs.length * 2;
        const hs = new Int32Array(n);
        hs.set(this.hs);
        this.hs = hs;
        const ks = new Float64Array(n);
        ks.set(this.ks);
        this.ks = ks;
        const vs = new Int32Array(n);
        vs.set(this.vs);
        this.vs = vs;
    }
}

/**
 * Capped start: pieces largest first (variant bit 0: by vCPUs then memory, or by memory then
 * vCPUs), each on a host below its role's cap where it fits — bit 1: the tightest such host
 * (best fit by free vCPUs; bit 2: by the fraction of its vCPUs left) or the one with most free
 * vCPUs; when no host below the cap takes it,
 * the tightest host that fits at all. Ties: lowest host index.
 */
export function constructCapped(st: State, free: readonly number[], variant: number): void {
    const items: number[] = [];
    for (let s = 0; s < st.S; s++) for (let k = 0; k < free[s]; k++) items.push(s);
    const byMem = (variant & 1) === 1,
        tight = (variant & 2) === 0,
        relative = (variant & 4) === 4;
    items.sort((a, b) =>
        byMem
            ? st.sM[b] - st.sM[a] || st.sC[b] - st.sC[a] || a - b
            : st.sC[b] - st.sC[a] || st.sM[b] - st.sM[a] || a - b
    );
    // variants from 8 on: the host choice perturbed by a seeded noise (deterministic per variant)
    let seed = (variant * 2654435761) >>> 0;
    const rnd =
        variant >= 8
            ? () => {
                  seed = (seed * 1103515245 + 12345) >>> 0;
                  return (seed >>> 8) / 16777216;
              }
            : null;
    for (const s of items) {
        const r = st.sRole[s];
        let pick = -1,
            pickKey = 0,
            any = -1,
            anyKey = 0;
        for (let h = 0; h < st.H; h++) {
            if (!st.fits(h, s)) continue;
            const rest = st.freeC(h) - st.sC[s];
            // bit 2: the same measured relative to the host (fraction of its vCPUs left)
            const fit = relative ? rest / st.capC[h] : rest;
            const key = (tight ? fit : -fit) + (rnd ? rnd() * (relative ? 0.2 : 4) : 0);
            if (st.roleCnt[3 * h + r] < st.cap[r] && (pick < 0 || key < pickKey - EPS)) {
                pick = h;
                pickKey = key;
            }
            if (any < 0 || rest < anyKey - EPS) {
                any = h;
                anyKey = rest;
            }
        }
        const h = pick >= 0 ? pick : any;
        if (h < 0) continue;
        st.move(s, -1, h);
    }
    st.commitAll();
}

/** First-fit decreasing start: largest pieces first, each on the first host (model order) where it fits. */
export function constructFirstFit(st: State, free: readonly number[]): void {
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
