/**
 * Ejection chains of the local search (small plans): longer relocation sequences that lower the
 * spread excess, and the eject-to-make-room repair of `tryEject`. Pure.
 */
import { EPS, lexLess, QLEN } from './objective.js';
import { type Budget, keysInto, MAX_SCAN, setQuality, State } from './placement-state.js';

/**
 * Longest ejection chain (relocations), most relocations tried per chain search, and per
 * placement (all the searches of the final spread repair together).
 */
const EJECT_DEPTH = 6;

const EJECT_NODES = 20_000;

const ejS: number[] = [],
    ejFrom: number[] = [],
    ejTo: number[] = [];

/** Nodes the current ejection-chain search has visited, and the most it may. */
const ej = { nodes: 0, limit: 0 };

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
export function ejectionChain(st: State, a: number, t: number): boolean {
    const r = st.sRole[t];
    ej.nodes = 0;
    ej.limit = Math.min(EJECT_NODES, st.ejectLeft);
    let done = false;
    search: for (let depth = 1; depth <= EJECT_DEPTH; depth++) {
        for (let b = 0; b < st.H; b++) {
            if (b === a || !st.avail[b] || st.roleCnt[3 * b + r] > st.cap[r]) continue;
            if (st.capC[b] < st.sC[t] - EPS || st.capM[b] < st.sM[t] - EPS) continue;
            if (ej.nodes >= ej.limit) break search;
            ej.nodes++;
            // b closed after the move (capacity and cap) ends the chain: only a chain of length 1
            const bOk =
                st.usedC[b] + st.sC[t] <= st.capC[b] + EPS &&
                st.usedM[b] + st.sM[t] <= st.capM[b] + EPS &&
                st.roleCnt[3 * b + r] + 1 <= st.cap[r];
            if (bOk !== (depth === 1)) continue;
            st.move(t, a, b);
            ejS[0] = t;
            ejFrom[0] = a;
            ejTo[0] = b;
            done = bOk || ejectFrom(st, b, t, 1, depth);
            if (done) {
                for (let k = 0; k < depth; k++) {
                    st.commit(ejFrom[k]);
                    st.commit(ejTo[k]);
                }
                break search;
            }
            st.move(t, b, a);
        }
    }
    st.ejectLeft -= ej.nodes;
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
            if (ej.nodes >= ej.limit) return false;
            ej.nodes++;
            // x and y closed or open after the move, worked out before making it: both closed
            // ends the chain (of this length only), both open is no chain, and the last
            // relocation must close both
            const xOk =
                st.usedC[x] - st.sC[u] <= st.capC[x] + EPS &&
                st.usedM[x] - st.sM[u] <= st.capM[x] + EPS &&
                st.roleCnt[3 * x + rin] - (ru === rin ? 1 : 0) <= st.cap[rin];
            const yOk =
                st.usedC[y] + st.sC[u] <= st.capC[y] + EPS &&
                st.usedM[y] + st.sM[u] <= st.capM[y] + EPS &&
                st.roleCnt[3 * y + ru] + 1 <= st.cap[ru];
            const last = len + 1 === depth;
            if (xOk && yOk ? !last : (!xOk && !yOk) || last) continue;
            st.move(u, x, y);
            ejS[len] = u;
            ejFrom[len] = x;
            ejTo[len] = y;
            const done =
                xOk && yOk
                    ? true
                    : xOk
                      ? ejectFrom(st, y, u, len + 1, depth)
                      : ejectFrom(st, x, inShape, len + 1, depth);
            if (done) return true;
            st.move(u, y, x);
        }
    }
    return false;
}

const ejKeys: number[][] = Array.from({ length: EJECT_DEPTH + 1 }, () => []);

const qSet = new Float64Array(QLEN),
    qSet2 = new Float64Array(QLEN);

/** Buffers of `tryEject`: b's other shapes, smallest first, and the pieces picked to leave. */
const ejOrder: number[] = [],
    ejPick: number[] = [];

/**
 * Spread repair for a piece t on host a over its role's cap, when b (below the cap) is too full
 * for t: two to four of b's other pieces (smallest first, until t fits) each move to the first
 * host from b + 1 that takes it below its role's cap; applied when the quality over the hosts
 * touched strictly improves. Most calls end before anything is tried (the pieces to move are
 * too few or too many, or one of them has no host to go to): that part allocates nothing.
 */
export function tryEject(
    st: State,
    a: number,
    b: number,
    t: number,
    us: readonly number[],
    nu: number,
    budget: Budget
): boolean {
    const H = st.H,
        scan = Math.min(H - 1, MAX_SCAN);
    // b's other shapes by size, smallest first (insertion sort: a handful of distinct ids)
    let no = 0;
    for (let k = 0; k < nu; k++) {
        const u = us[k];
        if (u === t) continue;
        let i = no++;
        while (i > 0) {
            const x = ejOrder[i - 1];
            if ((st.sC[x] - st.sC[u] || st.sM[x] - st.sM[u] || x - u) <= 0) break;
            ejOrder[i] = x;
            i--;
        }
        ejOrder[i] = u;
    }
    // pick pieces (with multiplicity) until t fits; more than four is no ejection
    const pick = ejPick;
    pick.length = 0;
    let freeC = st.freeC(b),
        freeM = st.freeM(b);
    for (let k = 0; k < no && pick.length <= 4; k++) {
        const u = ejOrder[k];
        let cnt = st.mov[b].get(u);
        while (
            cnt-- > 0 &&
            pick.length <= 4 &&
            (freeC < st.sC[t] - EPS || freeM < st.sM[t] - EPS)
        ) {
            pick.push(u);
            freeC += st.sC[u];
            freeM += st.sM[u];
        }
        if (freeC >= st.sC[t] - EPS && freeM >= st.sM[t] - EPS) break;
    }
    if (freeC < st.sC[t] - EPS || freeM < st.sM[t] - EPS || pick.length < 2 || pick.length > 4)
        return false;
    const moved: [number, number][] = []; // [shape, to]
    const touched = [a, b];
    const before = () => {
        setQuality(st, touched, qSet);
    };
    const undo = () => {
        for (let k = moved.length - 1; k >= 0; k--) st.move(moved[k][0], moved[k][1], b);
        moved.length = 0;
    };
    // a piece that no host takes (as committed; a has t's room more) makes the search useless
    const rt = st.sRole[t];
    for (const u of pick) {
        const ru = st.sRole[u];
        if (!st.noDestination(u)) continue;
        const aTakes =
            st.roleCnt[3 * a + ru] - (ru === rt ? 1 : 0) < st.cap[ru] &&
            st.usedC[a] - st.sC[t] + st.sC[u] <= st.capC[a] + EPS &&
            st.usedM[a] - st.sM[t] + st.sM[u] <= st.capM[a] + EPS;
        if (!aTakes) {
            budget.left--;
            return false;
        }
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
            to = c;
            break;
        }
        if (to < 0) {
            ok = false;
            break;
        }
        st.move(u, b, to);
        moved.push([u, to]);
        dest.push(to);
    }
    st.move(t, b, a);
    if (!ok) {
        undo();
        return false;
    }
    for (const c of dest) if (!touched.includes(c)) touched.push(c);
    // quality after (current: u's moved, t back on a) vs before (everything back)
    st.move(t, a, b);
    setQuality(st, touched, qSet2);
    st.move(t, b, a);
    undo();
    before();
    if (!lexLess(qSet2, qSet)) return false;
    for (let k = 0; k < pick.length; k++) st.move(pick[k], b, dest[k]);
    st.move(t, a, b);
    for (const h of touched) st.commit(h);
    return true;
}
