/**
 * Pair re-partition of the local search: every split of the movable pieces of two hosts. Pure.
 */
import { addRoleTerms, copyQ, EPS, lexLess, Q_MAX_UTIL, Q_MISSING_ROLES, Q_RACKS, Q_SINGLE_ROLE, Q_SPREAD, Q_UTIL_SQUARES, QLEN } from './objective.js';
import { type Budget, State } from './placement-state.js';

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
export function repartition(st: State, a: number, b: number, budget: Budget, limit = REPART_LIMIT): boolean {
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
    q[Q_SPREAD] = 0; q[Q_SINGLE_ROLE] = 0; q[Q_MISSING_ROLES] = 0; q[Q_RACKS] = 0;
    addRoleTerms(rpRoleA, 0, st.cap, st.R, q);
    addRoleTerms(rpRoleB, 0, st.cap, st.R, q);
    if (rpRacksDiffer) {
        const a = rpA, b = rpB, ra = rpRa, rb = rpRb;
        for (let r = 0; r < 3; r++) {
            q[Q_RACKS] += Math.max(0, st.rackCnt[3 * ra + r] - st.roleCnt[3 * a + r] + rpRoleA[r] - st.rackCap[r]);
            q[Q_RACKS] += Math.max(0, st.rackCnt[3 * rb + r] - st.roleCnt[3 * b + r] + rpRoleB[r] - st.rackCap[r]);
        }
    }
    const capA = st.capC[rpA], capB = st.capC[rpB];
    const uA = capA > 0 ? cA / capA : 0, uB = capB > 0 ? cB / capB : 0;
    q[Q_MAX_UTIL] = uA > uB ? uA : uB;
    q[Q_UTIL_SQUARES] = uA * uA + uB * uB;
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
        if (lexLess(rpQ, rpQBest)) { copyQ(rpQBest, rpQ); for (let j = 0; j < rpN; j++) rpBest[j] = rpK[j]; rpFound = true; }
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
