/**
 * The tolerance pass of `place` (`tolerate_host_failures = k`): moves pieces until any k-host
 * loss re-places, never making spread, mix or racks worse. Pure.
 */
import type { PlanModel } from './model.js';
import { EPS, lexLess, Q_ROLE_TERMS, QLEN } from './objective.js';
import type { PinnedPlan } from './pins.js';
import { pairQuality, State } from './placement-state.js';
import { LOSS_PAIRS, LOSS_SINGLE, lossFailures, WorkBudget } from './replacement.js';

// ---------------------------------------------------------------------------------------------
// Host-failure tolerance (tolerate_host_failures = k)

/** Most hosts / instances for which `place` runs the tolerance pass. */
export const TOLERANCE_MAX_HOSTS = 64;
export const TOLERANCE_MAX_INSTANCES = 2_000;

/** Most re-placement checks (each checks every host class, and pairs for k = 2) per pass. */
const TOLERANCE_MAX_CHECKS = 3_000;

/**
 * Work units (see `WorkBudget`) the re-placement checks of one tolerance pass may spend together;
 * no check starts once they are spent. A loss not decided within them counts as failing.
 */
export const TOLERANCE_WORK = 200_000;

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
export function improveTolerance(
    st: State,
    model: PlanModel,
    pp: PinnedPlan,
    k: number,
    limit: number
): number {
    const work = new WorkBudget(limit);
    const H = st.H;
    const pinItems = pp.pinned.map(list =>
        list.map(i => ({ c: model.instances[i].cores, m: model.instances[i].memoryGiB }))
    );
    const capC = Array.from(st.capC),
        capM = Array.from(st.capM);
    const items = () => {
        // building the pieces and the checker's indexes: about one unit per piece and host
        work.charge(model.instances.length + H);
        const out: { c: number; m: number }[][] = [];
        for (let h = 0; h < H; h++) {
            const list = [...pinItems[h]];
            for (let s = 0; s < st.S; s++)
                for (let j = st.mov[h].get(s); j > 0; j--) list.push({ c: st.sC[s], m: st.sM[s] });
            out.push(list);
        }
        return out;
    };
    let checks = 1;
    let cur: number[] = lossFailures(capC, capM, items(), k, work);
    const qa = new Float64Array(QLEN),
        qb = new Float64Array(QLEN);
    // spread, mix and racks over the two hosts no worse (utilisation may get worse)
    const notWorse = (): boolean => !lexLess(qa, qb, Q_ROLE_TERMS);
    const bySize: number[] = Array.from({ length: st.S }, (_, s) => s).sort(
        (a, b) => st.sC[b] - st.sC[a] || st.sM[b] - st.sM[a] || a - b
    );
    const tryIt = (): boolean => {
        checks++;
        const m = lossFailures(capC, capM, items(), k, work);
        if (lexLess(m, cur)) {
            cur = m;
            return true;
        }
        return false;
    };
    while (
        (cur[LOSS_SINGLE] > 0 || cur[LOSS_PAIRS] > 0) &&
        checks < TOLERANCE_MAX_CHECKS &&
        !work.exhausted
    ) {
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
                        if (notWorse() && tryIt()) {
                            improved = true;
                            st.commit(x);
                            st.commit(y);
                            break search;
                        }
                        st.move(t, y, x);
                    }
                    for (const u of bySize) {
                        if (u === t || !st.mov[y].has(u)) continue;
                        if (st.sC[u] >= st.sC[t] && st.sM[u] >= st.sM[t]) continue; // only a smaller piece back
                        const dC = st.sC[u] - st.sC[t],
                            dM = st.sM[u] - st.sM[t];
                        if (
                            st.usedC[x] + dC > st.capC[x] + EPS ||
                            st.usedM[x] + dM > st.capM[x] + EPS
                        )
                            continue;
                        if (
                            st.usedC[y] - dC > st.capC[y] + EPS ||
                            st.usedM[y] - dM > st.capM[y] + EPS
                        )
                            continue;
                        st.move(t, x, y);
                        st.move(u, y, x);
                        pairQuality(st, x, y, qb);
                        if (notWorse() && tryIt()) {
                            improved = true;
                            st.commit(x);
                            st.commit(y);
                            break search;
                        }
                        st.move(u, x, y);
                        st.move(t, y, x);
                        if (checks >= TOLERANCE_MAX_CHECKS || work.exhausted) break search;
                    }
                }
            }
        }
        if (!improved) break;
    }
    return work.spent;
}
