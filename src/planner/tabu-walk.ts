/**
 * Tabu walk of the local search (small, fully placed plans, after the set pass): relocations
 * and swaps of one piece between two hosts, taking the best move that is not tabu even when it
 * is no better, so that chains over many hosts are reached one step at a time — the chains that
 * no exchange among two to four hosts improves on its own (a busiest host whose pieces fill any
 * one receiving host to the same level unless the receiver passes a piece on, and so on). The
 * walk keeps the best state it saw by the whole objective (`globalQuality`) and ends there.
 * Deterministic: fixed scan order, ties to the first; its budget counts evaluated moves. Pure.
 */
import { addRoleTerms, EPS, lexLess, Q_ROLE_TERMS, QLEN } from './objective.js';
import { globalQuality, keysInto, type Budget, type State } from './placement-state.js';

/** Iterations a piece may not return to the host it left. */
const TENURE = 10;

/**
 * What the walk lowers (see `tabuWalk`): `roles` rules 3–4 (spread, single-role hosts, missing
 * roles, rack excess); `balance` the busiest host, rules 3–4 never worse.
 */
export type WalkMode = 'roles' | 'balance';

/** Most iterations without progress before the walk stops, per mode. */
const STALL: Record<WalkMode, number> = { roles: 50, balance: 60 };

const before = new Float64Array(QLEN),
    after = new Float64Array(QLEN),
    moveQ = new Float64Array(QLEN),
    bestMoveQ = new Float64Array(QLEN);
const roles = new Int32Array(6);
const keysA: number[] = [],
    keysB: number[] = [];

/**
 * The walk from the state `st`. Each move lowers, in this order: rules 3–4 (spread, single-role
 * hosts, missing roles, rack excess; in `balance` mode never worse), then (`balance`) the vCPUs
 * above the limits — per host, the most vCPUs that stay strictly below the busiest host's
 * utilisation, set again, lower, each time no host is above them — then the two hosts' Σ
 * utilisation². In `balance` the hosts above the limits send (any host when none of their moves
 * is allowed); in `roles` every host. Runs while `budget` lasts (one unit per evaluated move) and
 * STALL iterations bring neither a better state nor (balance) fewer vCPUs above the limits;
 * leaves `st` in the best state seen by `globalQuality` (the start when none is better) and
 * returns true when that is better than the start. A plan of fewer than 3 hosts within their
 * capacity, or (balance) with pieces of fractional vCPUs, is left as it is.
 */
export function tabuWalk(st: State, mode: WalkMode, budget: Budget): boolean {
    const H = st.H,
        S = st.S;
    const hosts: number[] = [];
    // a host whose pins overcommit it is not counted as the busiest (`measure`), nor moved to
    for (let h = 0; h < H; h++)
        if (st.avail[h] && st.capC[h] > 0 && st.usedC[h] <= st.capC[h] + EPS) hosts.push(h);
    if (hosts.length < 3) return false;
    const balance = mode === 'balance';
    if (balance) for (let s = 0; s < S; s++) if (!Number.isInteger(st.sC[s])) return false;
    const limit = new Float64Array(H);
    const setLimits = () => {
        let u = 0;
        for (const h of hosts) u = Math.max(u, st.util(h));
        // the most vCPUs a host may run while staying strictly below the busiest host's level
        for (const h of hosts) limit[h] = Math.ceil(u * st.capC[h] - EPS) - 1;
    };
    const over = (h: number, load: number) => (balance ? Math.max(0, load - limit[h]) : 0);
    let overTotal = 0;
    const sumOver = () => {
        overTotal = 0;
        for (const h of hosts) overTotal += over(h, st.usedC[h]);
    };
    setLimits();
    sumOver();
    const tabu = new Int32Array(S * H).fill(-1);
    const start = globalQuality(st);
    let bestQ = start;
    let best = snapshot(st);
    let stall = 0;
    // fewer vCPUs above the limits than ever since they were set is progress too
    let leastOver = overTotal;
    for (let it = 0; budget.left > 0 && stall < STALL[mode]; it++) {
        // the best move not tabu: [a, s, b, t] (t = -1: relocate)
        let found = false,
            bestSq = Infinity,
            mA = -1,
            mS = -1,
            mB = -1,
            mT = -1;
        // the hosts above the limits send; when none of their moves is allowed, any host
        for (let pass = balance ? 0 : 1; pass < 2 && !found; pass++)
            for (const a of hosts) {
                // out of work: stop the scan (not only the evaluations), or 100,000 hosts cost
                // 10^10 empty turns; a host with nothing movable sends nothing
                if (budget.left <= 0) break;
                if (pass === 0 && over(a, st.usedC[a]) <= 0) continue;
                const na = keysInto(st.mov[a], keysA);
                if (na === 0) continue;
                for (const b of hosts) {
                    if (budget.left <= 0) break;
                    if (b === a) continue;
                    const nb = keysInto(st.mov[b], keysB);
                    for (let i = 0; i < na; i++) {
                        const s = keysA[i];
                        if (tabu[s * H + b] >= it) continue;
                        for (let j = -1; j < nb; j++) {
                            const t = j < 0 ? -1 : keysB[j];
                            if (t === s) continue;
                            if (t >= 0 && tabu[t * H + a] >= it) continue;
                            budget.left--;
                            const sq = evaluate(st, a, s, b, t, over, moveQ);
                            if (sq === null) continue;
                            if (balance && lexLess(zero, moveQ, Q_ROLE_TERMS)) continue;
                            if (
                                !found ||
                                lexLess(moveQ, bestMoveQ) ||
                                (!lexLess(bestMoveQ, moveQ) && sq < bestSq - EPS)
                            ) {
                                found = true;
                                bestSq = sq;
                                for (let k = 0; k < QLEN; k++) bestMoveQ[k] = moveQ[k];
                                mA = a;
                                mS = s;
                                mB = b;
                                mT = t;
                            }
                        }
                    }
                }
            }
        if (!found) break;
        st.move(mS, mA, mB);
        if (mT >= 0) st.move(mT, mB, mA);
        st.commit(mA);
        st.commit(mB);
        tabu[mS * H + mA] = it + TENURE;
        if (mT >= 0) tabu[mT * H + mB] = it + TENURE;
        sumOver();
        if (overTotal <= EPS) {
            setLimits();
            sumOver();
            leastOver = Infinity;
        }
        let progress = false;
        if (overTotal < leastOver - EPS) {
            leastOver = overTotal;
            progress = true;
        }
        const q = globalQuality(st);
        if (lexLess(q, bestQ)) {
            bestQ = q;
            best = snapshot(st);
            progress = true;
        }
        stall = progress ? 0 : stall + 1;
    }
    restore(st, best);
    return lexLess(bestQ, start);
}

const zero = new Float64Array(QLEN);

/**
 * The change of the objective by moving one piece of shape s from a to b and (t ≥ 0) one of t
 * from b to a, into q: [Δ spread, Δ single-role, Δ missing roles, Δ rack excess, Δ vCPUs above
 * the limits (`over`), 0]; returns the change of the two hosts' Σ utilisation², or null when
 * the move does not fit.
 */
function evaluate(
    st: State,
    a: number,
    s: number,
    b: number,
    t: number,
    over: (h: number, load: number) => number,
    q: Float64Array
): number | null {
    const dC = st.sC[s] - (t >= 0 ? st.sC[t] : 0),
        dM = st.sM[s] - (t >= 0 ? st.sM[t] : 0);
    const ca = st.usedC[a] - dC,
        cb = st.usedC[b] + dC,
        ma = st.usedM[a] - dM,
        mb = st.usedM[b] + dM;
    if (ca > st.capC[a] + EPS || cb > st.capC[b] + EPS) return null;
    if (ma > st.capM[a] + EPS || mb > st.capM[b] + EPS) return null;
    const rs = st.sRole[s],
        rt = t >= 0 ? st.sRole[t] : -1;
    before.fill(0);
    after.fill(0);
    for (let r = 0; r < 3; r++) {
        roles[r] = st.roleCnt[3 * a + r];
        roles[3 + r] = st.roleCnt[3 * b + r];
    }
    addRoleTerms(roles, 0, st.cap, st.R, before);
    addRoleTerms(roles, 3, st.cap, st.R, before);
    roles[rs]--;
    roles[3 + rs]++;
    if (rt >= 0) {
        roles[rt]++;
        roles[3 + rt]--;
    }
    addRoleTerms(roles, 0, st.cap, st.R, after);
    addRoleTerms(roles, 3, st.cap, st.R, after);
    for (let k = 0; k < 3; k++) q[k] = after[k] - before[k];
    q[3] = 0;
    const ka = st.rackOf[a],
        kb = st.rackOf[b];
    if (st.nRacks > 0 && ka !== kb && rs !== rt) {
        // the role counts of a's and b's racks change by one piece each way
        for (const [k, sign] of [
            [ka, -1],
            [kb, 1]
        ] as const) {
            if (k < 0) continue;
            for (let r = 0; r < 3; r++) {
                const c = st.rackCnt[3 * k + r],
                    d = (r === rs ? sign : 0) - (r === rt ? sign : 0);
                if (d === 0) continue;
                q[3] += Math.max(0, c + d - st.rackCap[r]) - Math.max(0, c - st.rackCap[r]);
            }
        }
    }
    q[4] = over(a, ca) + over(b, cb) - over(a, st.usedC[a]) - over(b, st.usedC[b]);
    q[5] = 0;
    const ua = ca / st.capC[a],
        ub = cb / st.capC[b],
        ua0 = st.util(a),
        ub0 = st.util(b);
    return ua * ua + ub * ub - ua0 * ua0 - ub0 * ub0;
}

/** The movable counts of a state, index h · S + s. */
function snapshot(st: State): Int32Array {
    const out = new Int32Array(st.H * st.S);
    for (let h = 0; h < st.H; h++)
        for (let s = 0; s < st.S; s++) out[h * st.S + s] = st.mov[h].get(s);
    return out;
}

/** Puts the state back to the counts of `snapshot` (through the unplaced pool), indexes included. */
function restore(st: State, counts: Int32Array): void {
    for (let h = 0; h < st.H; h++)
        for (let s = 0; s < st.S; s++)
            for (let d = st.mov[h].get(s) - counts[h * st.S + s]; d > 0; d--) st.move(s, h, -1);
    for (let h = 0; h < st.H; h++)
        for (let s = 0; s < st.S; s++)
            for (let d = counts[h * st.S + s] - st.mov[h].get(s); d > 0; d--) st.move(s, -1, h);
    st.commitAll();
}
