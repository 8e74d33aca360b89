/**
 * Pair re-partition of the local search: every split of the movable pieces of two hosts. Pure.
 */
import {
    addRoleTerms,
    copyQ,
    EPS,
    lexLess,
    Q_MAX_UTIL,
    Q_MISSING_ROLES,
    Q_RACKS,
    Q_SINGLE_ROLE,
    Q_SPREAD,
    Q_UTIL_SQUARES,
    QLEN
} from './objective.js';
import { type Budget, State } from './placement-state.js';

// ---------------------------------------------------------------------------------------------
// Pair re-partition: every split of the movable pieces of two hosts

/** Most splits (product of (count + 1) over the shapes of the pair) that `repartition` enumerates. */
const REPART_LIMIT = 4096;

/**
 * The scratch state of the pair re-split (`repartition`): the pair being re-split, the shapes of
 * the pair, the split being built and the best one so far. Fields rather than a closure per call
 * (the re-split is the local search's hottest neighbourhood); one instance, used by one call at
 * a time (the search is not re-entrant).
 */
class PairResplit {
    readonly shapes: number[] = [];
    readonly tot: number[] = [];
    readonly cur: number[] = [];
    /** The split being built: count of each shape on a. */
    readonly pick: number[] = [];
    /** The best split found: count of each shape on a. */
    readonly best: number[] = [];
    readonly qTry = new Float64Array(QLEN);
    readonly qBest = new Float64Array(QLEN);
    /** The pair being re-split, for `evaluate` / `search`. */
    st: State | undefined;
    a = 0;
    b = 0;
    n = 0;
    ra = -1;
    rb = -1;
    racksDiffer = false;
    found = false;
    /** Role counts of a and b as the split being built leaves them; the pair's pinned and movable role counts. */
    readonly roleA = new Int32Array(3);
    readonly roleB = new Int32Array(3);
    readonly fixA = new Int32Array(3);
    readonly fixB = new Int32Array(3);
    readonly movA = new Int32Array(3);
    readonly movB = new Int32Array(3);

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
    run(st: State, a: number, b: number, budget: Budget, limit: number): boolean {
        if (a === b || !st.avail[a] || !st.avail[b]) return false;
        st.limitMemos();
        // the same two host states failed before: the same search fails again (charged all the same,
        // so the budget, hence the rest of the search, does not depend on the memo); rack terms
        // count only between two racks (see evaluate)
        const memo = st.repartFailed;
        memo.begin();
        memo.push(st.stateId(a));
        memo.push(st.stateId(b));
        if (st.rackOf[a] >= 0 && st.rackOf[b] >= 0 && st.rackOf[a] !== st.rackOf[b])
            st.pushRacks(memo, a, b);
        const known = memo.find();
        if (known >= 0) {
            if (budget.left > 0) budget.left -= known;
            return false;
        }
        let n = 0;
        // ascending shape ids: the enumeration order (hence the tie-break) is fixed
        const ma = st.mov[a],
            mb = st.mov[b];
        for (let s = 0; s < st.S; s++) if (ma.get(s) > 0 || mb.get(s) > 0) this.shapes[n++] = s;
        if (n === 0) return false;
        let product = 1;
        let movAC = 0,
            movAM = 0,
            movBC = 0,
            movBM = 0;
        this.movA.fill(0);
        this.movB.fill(0);
        for (let i = 0; i < n; i++) {
            const s = this.shapes[i];
            const ka = ma.get(s),
                kb = mb.get(s);
            this.cur[i] = ka;
            this.tot[i] = ka + kb;
            product *= ka + kb + 1;
            movAC += ka * st.sC[s];
            movAM += ka * st.sM[s];
            movBC += kb * st.sC[s];
            movBM += kb * st.sM[s];
            this.movA[st.sRole[s]] += ka;
            this.movB[st.sRole[s]] += kb;
            if (product > limit) return false;
        }
        if (budget.left <= 0) return false;
        budget.left -= product;
        const baseAC = st.usedC[a] - movAC,
            baseAM = st.usedM[a] - movAM,
            baseBC = st.usedC[b] - movBC,
            baseBM = st.usedM[b] - movBM;
        for (let r = 0; r < 3; r++) {
            this.fixA[r] = st.roleCnt[3 * a + r] - this.movA[r];
            this.fixB[r] = st.roleCnt[3 * b + r] - this.movB[r];
        }
        this.st = st;
        this.a = a;
        this.b = b;
        this.n = n;
        this.ra = st.rackOf[a];
        this.rb = st.rackOf[b];
        this.racksDiffer = this.ra >= 0 && this.rb >= 0 && this.ra !== this.rb;
        for (let r = 0; r < 3; r++) {
            this.roleA[r] = st.roleCnt[3 * a + r];
            this.roleB[r] = st.roleCnt[3 * b + r];
        }
        this.evaluate(this.qBest, st.usedC[a], st.usedC[b]);
        for (let r = 0; r < 3; r++) {
            this.roleA[r] = this.fixA[r];
            this.roleB[r] = this.fixB[r];
        }
        this.found = false;
        this.search(0, baseAC, baseAM, baseBC, baseBM);
        this.st = undefined;
        if (!this.found) {
            memo.add(product);
            return false;
        }
        for (let i = 0; i < n; i++) {
            const s = this.shapes[i];
            let d = this.best[i] - this.cur[i];
            for (; d > 0; d--) st.move(s, b, a);
            for (; d < 0; d++) st.move(s, a, b);
        }
        st.commit(a);
        st.commit(b);
        return true;
    }

    /** Quality of the split into q: a's role counts in this.roleA and vCPUs cA, b's in this.roleB and cB. */
    private evaluate(q: Float64Array, cA: number, cB: number): void {
        const st = this.st!;
        q[Q_SPREAD] = 0;
        q[Q_SINGLE_ROLE] = 0;
        q[Q_MISSING_ROLES] = 0;
        q[Q_RACKS] = 0;
        addRoleTerms(this.roleA, 0, st.cap, st.R, q);
        addRoleTerms(this.roleB, 0, st.cap, st.R, q);
        if (this.racksDiffer) {
            const a = this.a,
                b = this.b,
                ra = this.ra,
                rb = this.rb;
            for (let r = 0; r < 3; r++) {
                q[Q_RACKS] += Math.max(
                    0,
                    st.rackCnt[3 * ra + r] - st.roleCnt[3 * a + r] + this.roleA[r] - st.rackCap[r]
                );
                q[Q_RACKS] += Math.max(
                    0,
                    st.rackCnt[3 * rb + r] - st.roleCnt[3 * b + r] + this.roleB[r] - st.rackCap[r]
                );
            }
        }
        const capA = st.capC[this.a],
            capB = st.capC[this.b];
        const uA = capA > 0 ? cA / capA : 0,
            uB = capB > 0 ? cB / capB : 0;
        q[Q_MAX_UTIL] = uA > uB ? uA : uB;
        q[Q_UTIL_SQUARES] = uA * uA + uB * uB;
    }

    /**
     * Depth-first over the shapes of the pair from shape i, pruning on capacity (b's load counts
     * only the decided shapes); role counts are kept incrementally: all of shape i on b first, then
     * one by one to a. Records the best split in this.best / this.qBest.
     */
    private search(i: number, cA: number, mA: number, cB: number, mB: number): void {
        const st = this.st!;
        if (i === this.n) {
            this.evaluate(this.qTry, cA, cB);
            if (lexLess(this.qTry, this.qBest)) {
                copyQ(this.qBest, this.qTry);
                for (let j = 0; j < this.n; j++) this.best[j] = this.pick[j];
                this.found = true;
            }
            return;
        }
        const s = this.shapes[i],
            c = st.sC[s],
            m = st.sM[s],
            tot = this.tot[i],
            r = st.sRole[s];
        const capA = st.capC[this.a],
            capB = st.capC[this.b],
            capMA = st.capM[this.a],
            capMB = st.capM[this.b];
        this.roleB[r] += tot;
        for (let k = 0; k <= tot; k++) {
            if (k > 0) {
                this.roleA[r]++;
                this.roleB[r]--;
            }
            const nA = cA + k * c,
                nMA = mA + k * m;
            if (nA > capA + EPS || nMA > capMA + EPS) {
                this.roleA[r] -= k;
                this.roleB[r] -= tot - k;
                return;
            }
            const nB = cB + (tot - k) * c,
                nMB = mB + (tot - k) * m;
            if (nB > capB + EPS || nMB > capMB + EPS) continue;
            this.pick[i] = k;
            this.search(i + 1, nA, nMA, nB, nMB);
        }
        this.roleA[r] -= tot;
    }
}

const resplit = new PairResplit();

/** See `PairResplit.run`: re-splits the movable pieces of hosts a and b; true when it applied a better split. */
export function repartition(
    st: State,
    a: number,
    b: number,
    budget: Budget,
    limit = REPART_LIMIT
): boolean {
    return resplit.run(st, a, b, budget, limit);
}
