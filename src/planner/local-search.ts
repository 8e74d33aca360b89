/**
 * The local search of `place`: rule 2 (insert, make room, eject-and-refill), then rules 3–5
 * (relocate, swap, spread repair chains, pair re-partition, ejection chains, balance). Only
 * strict lexicographic improvements of the objective are accepted. Pure.
 */
import { ejectionChain, tryEject } from './ejection.js';
import {
    copyQ,
    EPS,
    lexLess,
    Q_MISSING_ROLES,
    Q_SINGLE_ROLE,
    Q_SPREAD,
    QLEN
} from './objective.js';
import {
    type Budget,
    hostQuality,
    keysInto,
    MAX_CANDIDATES,
    MAX_SCAN,
    pairQuality,
    State,
    tripleQuality
} from './placement-state.js';
import { repartition } from './repartition.js';
import { setRepartition } from './set-resplit.js';

// ---------------------------------------------------------------------------------------------
// Local search

/**
 * The local search on `st`: rounds (at most 8) of rule 2 (`improveShortfall`, while cores are
 * unplaced) then rules 3–5 (`improveQuality`; without `balance`, rule 5 is left out) until a
 * round changes nothing or `budget` is spent. `afterRound` is called after each round that
 * changed something. Without `roles`, rules 3–4 are not searched (balance only).
 */
export function improve(
    st: State,
    budget: Budget,
    balance = true,
    afterRound?: () => void,
    roles = true
): void {
    if (st.H === 0) return;
    for (let round = 0; round < 8 && budget.left > 0; round++) {
        let changed = false;
        if (st.unplacedCores() > EPS) changed = improveShortfall(st, budget) || changed;
        changed = improveQuality(st, budget, balance, roles) || changed;
        if (!changed) break;
        afterRound?.();
    }
}

/** Shapes with unplaced instances, most urgent first: role with most unplaced cores, then larger. */
function pendingShapes(st: State, exclude = -1): number[] {
    const out: number[] = [];
    for (let s = 0; s < st.S; s++) if (st.unpl[s] > 0 && s !== exclude) out.push(s);
    out.sort(
        (a, b) =>
            st.roleUnplC[st.sRole[b]] - st.roleUnplC[st.sRole[a]] ||
            st.sC[b] - st.sC[a] ||
            st.sM[b] - st.sM[a] ||
            a - b
    );
    return out;
}

/** Rule 2: insert, make room by relocating, eject-and-refill; each step strictly lowers the shortfall. */
export function improveShortfall(st: State, budget: Budget): boolean {
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
                st.move(s, -1, h);
                st.commit(h);
                progress = true;
            }
        }
        if (progress) {
            any = true;
            continue;
        }
        // make room: move a placed piece elsewhere so that an unplaced one fits (useless when
        // no host has room for even the smallest piece)
        if (st.tree.find(st.minC, st.minM) >= 0) {
            for (const s of pendingShapes(st)) {
                for (let h1 = 0; h1 < st.H && st.unpl[s] > 0 && budget.left > 0; h1++) {
                    if (!st.avail[h1]) continue;
                    if (st.capC[h1] < st.sC[s] - EPS || st.capM[h1] < st.sM[s] - EPS) continue;
                    const needC = st.sC[s] - st.freeC(h1),
                        needM = st.sM[s] - st.freeM(h1);
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
                        st.move(t, h1, h2);
                        st.move(s, -1, h1);
                        st.commit(h1);
                        st.commit(h2);
                        progress = true;
                        break;
                    }
                }
            }
        }
        if (progress) {
            any = true;
            continue;
        }
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
                const roomC = st.freeC(h) + st.sC[t],
                    roomM = st.freeM(h) + st.sM[t];
                if (!pool.some(s => st.sC[s] <= roomC + EPS && st.sM[s] <= roomM + EPS)) continue;
                const before = st.shortfall();
                done.length = 0;
                st.move(t, h, -1);
                for (;;) {
                    let pick = -1;
                    for (const s of pool) {
                        if (st.unpl[s] === 0 || !st.fits(h, s)) continue;
                        if (pick < 0) {
                            pick = s;
                            continue;
                        }
                        const d =
                            st.roleUnplC[st.sRole[s]] - st.roleUnplC[st.sRole[pick]] ||
                            st.sC[s] - st.sC[pick] ||
                            st.sM[s] - st.sM[pick] ||
                            pick - s;
                        if (d > 0) pick = s;
                    }
                    if (pick < 0) break;
                    st.move(pick, -1, h);
                    done.push(pick);
                }
                if (done.length > 0 && lexLess(st.shortfall(), before)) {
                    st.commit(h);
                    progress = true;
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

const qBase = new Float64Array(QLEN),
    qTry = new Float64Array(QLEN),
    qBest = new Float64Array(QLEN);

/** Shape-id buffers: keysQ for `improveQuality`'s own loops (no callee touches it), keysB for candidates. */
const keysQ: number[] = [],
    keysB: number[] = [],
    keysT: number[] = [];

/**
 * Which candidate hosts b are worth trying for a piece of role r on host a (a closure per piece
 * would cost more than the test): below r's cap; running a role that a lacks (mix); in another
 * rack than a's rack `rk`; less utilised than a.
 */
const USEFUL_BELOW_CAP = 0,
    USEFUL_BRINGS_ROLE = 1,
    USEFUL_OTHER_RACK = 2,
    USEFUL_LESS_UTILISED = 3;

/** The test of one `USEFUL_*` kind for host b (see there). */
function useful(st: State, kind: number, a: number, r: number, rk: number, b: number): boolean {
    switch (kind) {
        case USEFUL_BELOW_CAP:
            return st.roleCnt[3 * b + r] < st.cap[r];
        case USEFUL_BRINGS_ROLE:
            for (let r2 = 0; r2 < 3; r2++)
                if (r2 !== r && st.roleCnt[3 * a + r2] === 0 && st.roleCnt[3 * b + r2] > 0)
                    return true;
            return false;
        case USEFUL_OTHER_RACK:
            return st.rackOf[b] !== rk && st.rackOf[b] >= 0;
        default:
            return st.util(b) < st.util(a) - EPS;
    }
}

/**
 * Tries relocating one `t` from a to a candidate b, or swapping it with one `u` of b; applies the
 * best strict improvement of the pair quality. Candidates are scanned cyclically from a + 1 (or
 * taken from `list`), filtered by `useful`, at most MAX_CANDIDATES evaluated. A candidate whose
 * moves gave nothing is remembered by the states of a and b and t (`State.movesFailed`) and,
 * while nothing is found, skipped when they come again; it is charged as if evaluated.
 */
function tryMoves(
    st: State,
    a: number,
    t: number,
    kind: number,
    rk: number,
    budget: Budget,
    list?: readonly number[]
): boolean {
    const r = st.sRole[t];
    let found = false,
        bestB = -1,
        bestU = -2;
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
            memo.push(st.stateId(a));
            memo.push(st.stateId(b));
            memo.push(t);
            st.pushRacks(memo, a, b);
            const known = memo.find();
            if (known >= 0) {
                budget.left -= known;
                continue;
            }
        }
        const foundBefore = found;
        let charged = 0;
        pairQuality(st, a, b, qBase);
        // relocate
        if (st.fits(b, t)) {
            st.move(t, a, b);
            pairQuality(st, a, b, qTry);
            st.move(t, b, a);
            if (lexLess(qTry, found ? qBest : qBase)) {
                copyQ(qBest, qTry);
                found = true;
                bestB = b;
                bestU = -1;
            }
        }
        // swap
        const nb = keysInto(st.mov[b], keysB);
        for (let k = 0; k < nb; k++) {
            const u = keysB[k];
            if (u === t) continue;
            const dC = st.sC[u] - st.sC[t],
                dM = st.sM[u] - st.sM[t];
            if (st.usedC[a] + dC > st.capC[a] + EPS || st.usedM[a] + dM > st.capM[a] + EPS)
                continue;
            if (st.usedC[b] - dC > st.capC[b] + EPS || st.usedM[b] - dM > st.capM[b] + EPS)
                continue;
            budget.left--;
            charged++;
            st.move(t, a, b);
            st.move(u, b, a);
            pairQuality(st, a, b, qTry);
            st.move(u, a, b);
            st.move(t, b, a);
            if (lexLess(qTry, found ? qBest : qBase)) {
                copyQ(qBest, qTry);
                found = true;
                bestB = b;
                bestU = u;
            }
        }
        // memo.begin() was not called again since the find above (stateId uses its own memo)
        if (!foundBefore && !found) memo.add(charged);
    }
    if (!found) return false;
    st.move(t, a, bestB);
    if (bestU >= 0) st.move(bestU, bestB, a);
    st.commit(a);
    st.commit(bestB);
    return true;
}

const qChainA = new Float64Array(QLEN),
    qChainB = new Float64Array(QLEN);

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
            if (
                st.usedC[b] - st.sC[u] + st.sC[t] > st.capC[b] + EPS ||
                st.usedM[b] - st.sM[u] + st.sM[t] > st.capM[b] + EPS
            )
                continue;
            const ru = st.sRole[u];
            // nothing outside a and b (as committed: the only hosts changed here) takes u
            if (st.noDestination(u)) {
                budget.left--;
                continue;
            }
            for (let jc = 0; jc < scan && budget.left > 0; jc++) {
                const c = (b + 1 + jc) % H;
                if (c === a || c === b || !st.avail[c]) continue;
                budget.left--;
                if (st.roleCnt[3 * c + ru] >= st.cap[ru] || !st.fits(c, u)) continue;
                tripleQuality(st, a, b, c, qChainA);
                st.move(u, b, c);
                st.move(t, a, b);
                tripleQuality(st, a, b, c, qChainB);
                if (lexLess(qChainB, qChainA)) {
                    st.commit(a);
                    st.commit(b);
                    st.commit(c);
                    return true;
                }
                st.move(t, b, a);
                st.move(u, c, b);
            }
        }
        // several pieces of b make room: the smallest first, each to the first host that takes it
        // below its role's cap (a included: t left room there)
        if (budget.left > 0 && tryEject(st, a, b, t, keysT, nb, budget)) return true;
    }
    return false;
}

const qHost = new Float64Array(QLEN);

/** Rules 3–5 (3–4 only with `roles`, 5 only with `balance`): relocate / swap placed pieces while it strictly improves the lexicographic quality. */
function improveQuality(st: State, budget: Budget, balance = true, roles = true): boolean {
    let any = false;
    const H = st.H;
    const q = qHost;
    // spread, mix and racks: work on the hosts that have a problem, a few passes
    for (let pass = 0; roles && pass < 4 && budget.left > 0; pass++) {
        let progress = false;
        for (let a = 0; a < H && budget.left > 0; a++) {
            if (!st.avail[a] || st.mov[a].size === 0) continue;
            for (let i = 0; i < QLEN; i++) q[i] = 0;
            hostQuality(st, a, q);
            const rk = st.rackOf[a];
            const rackBad = rk >= 0 && st.rackOfPenalty(rk) > 0;
            if (q[Q_SPREAD] === 0 && q[Q_SINGLE_ROLE] === 0 && q[Q_MISSING_ROLES] === 0 && !rackBad)
                continue;
            const na = keysInto(st.mov[a], keysQ);
            for (let k = 0; k < na; k++) {
                const t = keysQ[k];
                const r = st.sRole[t];
                const over = st.roleCnt[3 * a + r] > st.cap[r];
                const dup = st.roleCnt[3 * a + r] > 1;
                const rackRole = rackBad && st.rackCnt[3 * rk + r] > st.rackCap[r];
                // over the cap: hosts below it; a mix problem: hosts that run a role a lacks
                const kind = over
                    ? USEFUL_BELOW_CAP
                    : (q[Q_SINGLE_ROLE] > 0 || q[Q_MISSING_ROLES] > 0) && dup
                      ? USEFUL_BRINGS_ROLE
                      : rackRole
                        ? USEFUL_OTHER_RACK
                        : -1;
                if (kind < 0) continue;
                if (tryMoves(st, a, t, kind, rk, budget)) {
                    progress = true;
                    any = true;
                    break;
                }
                if (over && tryChain(st, a, t, budget)) {
                    progress = true;
                    any = true;
                    break;
                }
                if (tryRepartition(st, a, kind, r, rk, budget)) {
                    progress = true;
                    any = true;
                    break;
                }
                if (over && st.deep && ejectionChain(st, a, t)) {
                    progress = true;
                    any = true;
                    break;
                }
            }
            if (!progress && st.sets && trySets(st, a, true)) progress = any = true;
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
                if (tryMoves(st, top, keysQ[k], USEFUL_LESS_UTILISED, -1, budget, low)) {
                    moved = progress = any = true;
                    break;
                }
            }
            if (!moved) {
                for (const b of low) {
                    if (budget.left <= 0) break;
                    if (
                        b !== top &&
                        st.util(b) < st.util(top) - EPS &&
                        repartition(st, top, b, budget)
                    ) {
                        moved = progress = any = true;
                        break;
                    }
                }
            }
            if (!moved && st.sets && trySets(st, top, false)) moved = progress = any = true;
            if (!moved) break;
        }
        if (!progress) break;
    }
    return any;
}

/** Most hosts for which `trySets` tries sets of four (there are (H − 1)(H − 2)(H − 3) / 6 per host). */
const QUAD_MAX_HOSTS = 12;

const setBuf: number[] = [];

/**
 * The set re-split (`setRepartition`) of host a with every pair of other available hosts b < c
 * (in index order), then, on plans of at most QUAD_MAX_HOSTS hosts, with every triple b < c < d,
 * while the state's allowance lasts; true on the first that improves.
 */
function trySets(st: State, a: number, quads: boolean): boolean {
    const H = st.H;
    const allowance = quads ? st.setRoles : st.setBalance;
    setBuf.length = 3;
    setBuf[0] = a;
    for (let b = 0; b < H; b++) {
        if (b === a || !st.avail[b]) continue;
        for (let c = b + 1; c < H; c++) {
            if (allowance.left <= 0) return false;
            if (c === a || !st.avail[c]) continue;
            setBuf[1] = b;
            setBuf[2] = c;
            if (setRepartition(st, setBuf, allowance)) return true;
        }
    }
    if (!quads || H > QUAD_MAX_HOSTS) return false;
    setBuf.length = 4;
    setBuf[0] = a;
    for (let b = 0; b < H; b++) {
        if (b === a || !st.avail[b]) continue;
        for (let c = b + 1; c < H; c++) {
            if (c === a || !st.avail[c]) continue;
            for (let d = c + 1; d < H; d++) {
                if (allowance.left <= 0) return false;
                if (d === a || !st.avail[d]) continue;
                setBuf[1] = b;
                setBuf[2] = c;
                setBuf[3] = d;
                if (setRepartition(st, setBuf, allowance)) return true;
            }
        }
    }
    return false;
}

/**
 * `repartition` of a with up to MAX_CANDIDATES hosts b that pass `useful(kind, …)`, scanned cyclically
 * from a + 1; true on the first that improves.
 */
function tryRepartition(
    st: State,
    a: number,
    kind: number,
    r: number,
    rk: number,
    budget: Budget
): boolean {
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
