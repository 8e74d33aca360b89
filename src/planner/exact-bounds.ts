/**
 * Bounds of the exact mode's levels that need no solver: the most free vCPUs any placement
 * places (the fallback's "not proved that the pieces cannot", the `placedCores` level) and the
 * busiest host's least utilisation at the cores placed (the `maxUtil` level's row).
 */
import type { PlanModel } from './model.js';
import { EPS } from './objective.js';
import type { PinnedPlan } from './placement.js';
import type { ExactModel } from './exact-model.js';

/**
 * An upper bound on the free (unpinned) vCPUs any placement can place: the sum over hosts that
 * take more of the best bounded knapsack of free pieces into the host's free vCPUs (memory
 * ignored), at most the free vCPUs in all. Exact for plans whose pieces fragment every host
 * alike (seed-reference: 4 × 20 of 22). vCPUs are whole numbers (the spec). Never throws.
 */
export function placedCoresUpperBound(model: PlanModel, pp: PinnedPlan): number {
    const H = model.hosts.length;
    const over = new Set(pp.overcommitted.map(o => o.host));
    let total = 0;
    for (let s = 0; s < pp.S; s++) total += pp.free[s] * pp.sC[s];
    const caps: number[] = [];
    for (let h = 0; h < H; h++) {
        const host = model.hosts[h];
        if (over.has(h) || host.usableCores <= 0) continue;
        caps.push(Math.max(0, Math.floor(host.usableCores - pp.pinC[h] + EPS)));
    }
    if (caps.length === 0) return 0;
    const maxCap = Math.min(Math.max(...caps), Math.ceil(total));
    // dp[c]: most vCPUs of free pieces within c (bounded counts, binary splitting)
    const dp = new Float64Array(maxCap + 1);
    for (let s = 0; s < pp.S; s++) {
        const w = pp.sC[s];
        if (pp.free[s] === 0 || w > maxCap || !Number.isInteger(w)) continue;
        let left = Math.min(pp.free[s], Math.floor(maxCap / w));
        for (let k = 1; left > 0; k *= 2) {
            const take = Math.min(k, left);
            left -= take;
            const W = take * w;
            for (let c = maxCap; c >= W; c--) if (dp[c - W] + W > dp[c]) dp[c] = dp[c - W] + W;
        }
    }
    for (let c = 1; c <= maxCap; c++) if (dp[c - 1] > dp[c]) dp[c] = dp[c - 1];
    let sum = 0;
    for (const c of caps) sum += dp[Math.min(c, maxCap)];
    return Math.min(total, sum);
}

/**
 * A lower bound on the busiest host's utilisation (0–1, level `maxUtil`) of any solution of
 * `built` placing `freeCores` vCPUs of free (unpinned) pieces: the least t at which the hosts
 * with columns take them, each at most t of its usable vCPUs (pins included) — whole vCPUs per
 * host where every piece and pin is whole, as the spec's are. Given to the solver as a row, a
 * placement reaching it is proved at once (a newcomer's 8 hosts of 22 vCPUs with 124 placed read
 * "gap 3.1%" though ⌈124 / 8⌉ = 16 of 22 was already reached). 0 when nothing bounds it.
 */
export function busiestHostBound(
    model: PlanModel,
    pp: PinnedPlan,
    built: Pick<ExactModel, 'y' | 'upper'>,
    freeCores: number
): number {
    const H = model.hosts.length;
    const open: { cap: number; pin: number; room: number }[] = [];
    let whole = true;
    for (let h = 0; h < H; h++) {
        let room = 0;
        for (let s = 0; s < pp.S; s++) {
            const j = built.y[s * H + h];
            if (j < 0) continue;
            room += built.upper[j] * pp.sC[s];
            whole &&= Number.isInteger(pp.sC[s]);
        }
        const cap = model.hosts[h].usableCores;
        if (room <= 0 || cap <= 0) continue;
        whole &&= Number.isInteger(pp.pinC[h]);
        open.push({ cap, pin: pp.pinC[h], room: Math.min(room, Math.max(0, cap - pp.pinC[h])) });
    }
    const takes = (t: number) => {
        let sum = 0;
        for (const o of open) {
            const up = whole ? Math.floor(t * o.cap + 1e-9) : t * o.cap;
            sum += Math.min(o.room, Math.max(0, up - o.pin));
        }
        return sum >= freeCores - 1e-9;
    };
    if (freeCores <= 0 || !takes(1)) return 0;
    let lo = 0,
        hi = 1;
    for (let k = 0; k < 60; k++) {
        const mid = (lo + hi) / 2;
        if (takes(mid)) hi = mid;
        else lo = mid;
    }
    // just below the least such t: a bound, never above the optimum
    return Math.max(0, hi - 1e-9);
}
