/**
 * Set re-partition of the local search (small plans): every split of the movable pieces of three
 * or four hosts, for the improvements that no move between two hosts reaches: a coarse backend
 * that can leave the busiest host only when a third host takes a piece of the receiving one, a
 * role that reaches a host only through a chain of exchanges, 1-for-2 swaps of a large piece
 * against smaller ones across hosts. Evaluated through the one objective (`objective.ts`). Pure.
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
import type { Budget, State } from './placement-state.js';

/** Most hosts one re-split takes. */
const SET_MAX_HOSTS = 4;

/** Most nodes (splits and partial splits) one set re-split may enumerate. */
const SET_SPLIT_LIMIT = 20_000;

/**
 * The scratch state of the set re-split: the hosts, the shapes present on them, the split being
 * built and the best one so far. One instance, used by one call at a time (not re-entrant).
 */
class SetResplit {
    k = 0;
    readonly hosts = new Int32Array(SET_MAX_HOSTS);
    readonly rk = new Int32Array(SET_MAX_HOSTS);
    readonly shapes: number[] = [];
    readonly tot: number[] = [];
    /** Per shape i and host j (index i·k + j): the current count, the split being built, the best. */
    readonly cur: number[] = [];
    readonly pick: number[] = [];
    readonly best: number[] = [];
    /** Role counts per host (3 per host) and load per host, as the split being built leaves them. */
    readonly role = new Int32Array(3 * SET_MAX_HOSTS);
    readonly loadC = new Float64Array(SET_MAX_HOSTS);
    readonly loadM = new Float64Array(SET_MAX_HOSTS);
    readonly qTry = new Float64Array(QLEN);
    readonly qBest = new Float64Array(QLEN);
    n = 0;
    nodes = 0;
    limit = 0;
    found = false;
    st: State | undefined;

    /**
     * Re-splits the movable pieces of `hosts` (2–4 distinct available hosts) between them:
     * enumerates the counts of each shape on each host that fit every host (vCPUs and GiB,
     * pruned as soon as a host overflows, and as soon as the spread excess of the decided shapes
     * exceeds the best split's: it only grows), and applies the lexicographically smallest
     * quality of the set (spread, single-role hosts, missing roles, rack excess, busiest of the
     * set, Σ utilisation²) when it is strictly better than the current one. At most `limit`
     * nodes are enumerated, charged to `allowance`; when the limit cuts the enumeration, the best
     * split seen is still applied (the order is fixed, so this is deterministic). A set that found
     * nothing is remembered by its hosts' states (and racks), and charged the same when it comes
     * again unchanged.
     */
    run(st: State, hosts: readonly number[], allowance: Budget, limit: number): boolean {
        if (allowance.left <= 0) return false;
        const k = (this.k = hosts.length);
        for (let j = 0; j < k; j++) this.hosts[j] = hosts[j];
        st.limitMemos();
        const memo = st.setFailed;
        memo.begin();
        memo.push(k);
        for (let j = 0; j < k; j++) memo.push(st.stateId(hosts[j]));
        if (st.nRacks > 0)
            for (let j = 0; j < k; j++) {
                const rk = st.rackOf[hosts[j]];
                memo.push(rk);
                if (rk >= 0) for (let r = 0; r < 3; r++) memo.push(st.rackCnt[3 * rk + r]);
            }
        const known = memo.find();
        if (known >= 0) {
            allowance.left -= known;
            return false;
        }
        // memo.begin() is not called again before the add below (stateId uses its own memo)
        let n = 0;
        for (let s = 0; s < st.S; s++) {
            let t = 0;
            for (let j = 0; j < k; j++) t += st.mov[hosts[j]].get(s);
            if (t === 0) continue;
            this.shapes[n] = s;
            this.tot[n] = t;
            for (let j = 0; j < k; j++) this.cur[n * k + j] = st.mov[hosts[j]].get(s);
            n++;
        }
        if (n === 0) return false;
        this.st = st;
        this.n = n;
        for (let j = 0; j < k; j++) {
            const h = hosts[j];
            this.rk[j] = st.rackOf[h];
            for (let r = 0; r < 3; r++) this.role[3 * j + r] = st.roleCnt[3 * h + r];
            this.loadC[j] = st.usedC[h];
            this.loadM[j] = st.usedM[h];
        }
        // the current split's quality, then the pinned pieces only
        this.evaluate(this.qBest);
        for (let i = 0; i < n; i++) {
            const s = this.shapes[i],
                r = st.sRole[s];
            for (let j = 0; j < k; j++) {
                const c = this.cur[i * k + j];
                this.loadC[j] -= c * st.sC[s];
                this.loadM[j] -= c * st.sM[s];
                this.role[3 * j + r] -= c;
            }
        }
        this.nodes = 0;
        this.limit = Math.min(limit, allowance.left);
        this.found = false;
        this.shape(0);
        allowance.left -= this.nodes;
        this.st = undefined;
        if (!this.found) {
            memo.add(this.nodes);
            return false;
        }
        for (let i = 0; i < n; i++) {
            const s = this.shapes[i];
            // pieces leave into the pool first, so that no count goes negative on the way
            for (let j = 0; j < k; j++)
                for (let d = this.cur[i * k + j] - this.best[i * k + j]; d > 0; d--)
                    st.move(s, hosts[j], -1);
            for (let j = 0; j < k; j++)
                for (let d = this.best[i * k + j] - this.cur[i * k + j]; d > 0; d--)
                    st.move(s, -1, hosts[j]);
        }
        for (let j = 0; j < k; j++) st.commit(hosts[j]);
        return true;
    }

    /** Quality of the split as this.role and this.loadC hold it, into q. */
    private evaluate(q: Float64Array): void {
        const st = this.st!,
            k = this.k;
        q[Q_SPREAD] = 0;
        q[Q_SINGLE_ROLE] = 0;
        q[Q_MISSING_ROLES] = 0;
        q[Q_RACKS] = 0;
        let maxU = 0,
            sq = 0;
        for (let j = 0; j < k; j++) {
            addRoleTerms(this.role, 3 * j, st.cap, st.R, q);
            const cap = st.capC[this.hosts[j]];
            const u = cap > 0 ? this.loadC[j] / cap : 0;
            if (u > maxU) maxU = u;
            sq += u * u;
        }
        if (st.nRacks > 0) {
            const rk = this.rk;
            for (let j = 0; j < k; j++) {
                const x = rk[j];
                let seen = x < 0;
                for (let i = 0; i < j && !seen; i++) seen = rk[i] === x;
                if (seen) continue;
                for (let r = 0; r < 3; r++) {
                    let c = st.rackCnt[3 * x + r];
                    for (let i = 0; i < k; i++)
                        if (rk[i] === x)
                            c += this.role[3 * i + r] - st.roleCnt[3 * this.hosts[i] + r];
                    if (c > st.rackCap[r]) q[Q_RACKS] += c - st.rackCap[r];
                }
            }
        }
        q[Q_MAX_UTIL] = maxU;
        q[Q_UTIL_SQUARES] = sq;
    }

    /** Spread excess of the role counts decided so far (a lower bound of the split's). */
    private partialSpread(): number {
        const cap = this.st!.cap,
            role = this.role;
        let x = 0;
        for (let j = 0; j < 3 * this.k; j++) {
            const over = role[j] - cap[j % 3];
            if (over > 0) x += over;
        }
        return x;
    }

    /** Depth-first over the shapes from shape i; records the best split in this.best / qBest. */
    private shape(i: number): void {
        if (this.nodes >= this.limit) return;
        this.nodes++;
        if (i === this.n) {
            this.evaluate(this.qTry);
            if (lexLess(this.qTry, this.qBest)) {
                copyQ(this.qBest, this.qTry);
                for (let j = 0; j < this.n * this.k; j++) this.best[j] = this.pick[j];
                this.found = true;
            }
            return;
        }
        if (this.partialSpread() > this.qBest[Q_SPREAD] + EPS) return;
        this.spread(i, 0, this.tot[i]);
    }

    /** How many more pieces of shape s fit on host j of the set as the split being built leaves it. */
    private room(j: number, s: number): number {
        const st = this.st!,
            h = this.hosts[j];
        const c = st.sC[s],
            m = st.sM[s];
        const byC = c > 0 ? Math.floor((st.capC[h] + EPS - this.loadC[j]) / c) : Infinity,
            byM = m > 0 ? Math.floor((st.capM[h] + EPS - this.loadM[j]) / m) : Infinity;
        return Math.max(0, Math.min(byC, byM));
    }

    /**
     * Gives host j of the set x pieces of shape i, then the next host, the last host taking what
     * is left; x ranges only over the counts that fit j and leave no more than the later hosts
     * can take (so no branch ends without a split). Each call is one node.
     */
    private spread(i: number, j: number, left: number): void {
        if (this.nodes >= this.limit) return;
        this.nodes++;
        const st = this.st!,
            s = this.shapes[i],
            c = st.sC[s],
            m = st.sM[s],
            r = st.sRole[s];
        const here = this.room(j, s);
        let later = 0;
        for (let j2 = j + 1; j2 < this.k && later < left; j2++) later += this.room(j2, s);
        const lo = Math.max(0, left - later),
            hi = Math.min(left, here);
        const last = j === this.k - 1;
        for (let x = lo; x <= hi; x++) {
            this.loadC[j] += x * c;
            this.loadM[j] += x * m;
            this.role[3 * j + r] += x;
            this.pick[i * this.k + j] = x;
            if (last) this.shape(i + 1);
            else this.spread(i, j + 1, left - x);
            this.loadC[j] -= x * c;
            this.loadM[j] -= x * m;
            this.role[3 * j + r] -= x;
            if (this.nodes >= this.limit) break;
        }
    }
}

const resplit = new SetResplit();

/**
 * See `SetResplit.run`: re-splits the movable pieces of `hosts` (2–`SET_MAX_HOSTS` distinct
 * hosts); true when it applied a better split. False at once when a host is not available.
 */
export function setRepartition(
    st: State,
    hosts: readonly number[],
    allowance: Budget,
    limit = SET_SPLIT_LIMIT
): boolean {
    if (hosts.length < 2 || hosts.length > SET_MAX_HOSTS) return false;
    for (let j = 0; j < hosts.length; j++) {
        if (!st.avail[hosts[j]]) return false;
        for (let i = 0; i < j; i++) if (hosts[i] === hosts[j]) return false;
    }
    return resplit.run(st, hosts, allowance, limit);
}
