/**
 * The placement objective: the terms of the spec's rules 2–5 ("What the checker computes",
 * "Placement" in docs/dcplan-language.md) in their priority order, and the one lexicographic
 * comparison of them. The constructive pass, the local search (`placement-state.ts` builds the
 * vectors), the exact solver's `measure` and the MILP's level order (`EXACT_LEVELS`) all read
 * the order from here. Pure: no imports but types.
 */
import { rackIndices, ROLE_INDEX, type PlanModel } from './model.js';
import type { PlacementResult } from './placement-types.js';
import { EPS } from './eps.js';

export { EPS } from './eps.js';

/**
 * The objective's levels in the spec's priority order, as the exact solver optimises them one
 * after the other: rule 2 (placed vCPUs, then the largest and the smallest per-role shortfall),
 * rule 3 (spread excess over ⌈n/h⌉), rule 4 (single-role hosts, missing roles, rack excess),
 * rule 5 (the busiest host's core utilisation).
 */
export const OBJECTIVE_LEVELS = [
    'placedCores',
    'maxRoleShort',
    'minRoleShort',
    'spread',
    'singleRole',
    'missingRoles',
    'racks',
    'maxUtil'
] as const;

/**
 * The levels of planning from a lock (issue 12, day 2; docs/dcplan-language.md, "Day 2"), as the
 * exact solver optimises them: the cores placed, then `roleOnOneHost` (roles with two or more
 * placed instances all on one host), then `moves` (locked instances placed on another host than
 * the lock's), then the per-role shortfall, spread, mix and racks, balance as above. The
 * shortfall's split between roles comes after the moves: the day 2 order puts "most cores
 * placed" alone before them, and a fairer split is not worth moving running instances.
 */
export const DAY2_OBJECTIVE_LEVELS = [
    OBJECTIVE_LEVELS[0],
    'roleOnOneHost',
    'moves',
    ...OBJECTIVE_LEVELS.slice(1)
] as const;

/**
 * The heuristic's quality vector of rules 3–5 (`Float64Array` of `QLEN`), by slot: spread excess
 * (instances over the role caps), single-role hosts, missing (host, role) pairs, rack excess
 * (instances over the rack caps), the busiest host's utilisation (0–1), then Σ utilisation² as a
 * last tie-break that evens out the other hosts (not a level of the exact solver). Rule 2 comes
 * before it as the shortfall vector (`State.shortfall`: unplaced vCPUs in total, then per role
 * in descending order).
 */
export const Q_SPREAD = 0,
    Q_SINGLE_ROLE = 1,
    Q_MISSING_ROLES = 2,
    Q_RACKS = 3,
    Q_MAX_UTIL = 4,
    Q_UTIL_SQUARES = 5;
/** Length of a quality vector (see `Q_SPREAD`). */
export const QLEN = 6;
/** The slots of rules 3–4 only (spread, mix, racks): `Q_SPREAD` up to `Q_RACKS`. */
export const Q_ROLE_TERMS = Q_RACKS + 1;

/**
 * The one comparison of the objective: true when `a` is lexicographically smaller than `b` over
 * the first `length` entries (default: all of `a`), entries equal within `EPS`. Used on the
 * shortfall vector, the whole objective (`globalQuality`), the quality vectors and the loss
 * counts of the tolerance pass.
 */
export function lexLess(a: ArrayLike<number>, b: ArrayLike<number>, length = a.length): boolean {
    for (let i = 0; i < length; i++) {
        if (a[i] < b[i] - EPS) return true;
        if (a[i] > b[i] + EPS) return false;
    }
    return false;
}

/**
 * Adds one host's role terms (rules 3–4) into `q`, from its role counts `counts[o … o + 2]`
 * (proxy, director, backend): spread excess over `cap` into `Q_SPREAD`; a single-role host into
 * `Q_SINGLE_ROLE` (at most one role while the plan deploys R ≥ 2; an empty host counts); missing
 * roles R − distinct roles into `Q_MISSING_ROLES`. Shared by `hostQuality` (a host as it is) and
 * the pair re-split (a host as a split would leave it).
 */
export function addRoleTerms(
    counts: Int32Array,
    o: number,
    cap: Int32Array,
    R: number,
    q: Float64Array
): void {
    let distinct = 0,
        spread = 0;
    for (let r = 0; r < 3; r++) {
        const c = counts[o + r];
        if (c > 0) {
            distinct++;
            if (c > cap[r]) spread += c - cap[r];
        }
    }
    q[Q_SPREAD] += spread;
    if (R >= 2 && distinct <= 1) q[Q_SINGLE_ROLE] += 1;
    q[Q_MISSING_ROLES] += R - distinct;
}

/** Copies a quality vector (QLEN entries) from `src` into `dst` (cheaper than `set` on tiny arrays). */
export function copyQ(dst: Float64Array, src: Float64Array): void {
    for (let i = 0; i < QLEN; i++) dst[i] = src[i];
}

/** The levels' values of a placement (see `OBJECTIVE_LEVELS`). Units as in `ExactLevelResult.value`. */
export interface PlacementMeasures {
    readonly placedCores: number;
    readonly deployedCores: number;
    /** Unplaced vCPUs per role (proxy, director, backend). */
    readonly roleShort: readonly [number, number, number];
    readonly spread: number;
    readonly singleRole: number;
    readonly missingRoles: number;
    readonly racks: number;
    readonly maxUtil: number;
}

/**
 * Measures a placement of a (virtual) plan on the objective's levels: placed vCPUs, per-role
 * shortfall, spread excess (over ⌈n/h⌉, n all instances of the role, h all hosts), single-role
 * hosts, missing roles, rack excess, and the busiest non-overcommitted host's utilisation.
 * Never throws.
 */
export function measure(model: PlanModel, p: PlacementResult): PlacementMeasures {
    const H = model.hosts.length;
    const R = [0, 0, 0];
    const roleShort: [number, number, number] = [0, 0, 0];
    let deployed = 0,
        placed = 0;
    for (const i of model.instances) {
        R[ROLE_INDEX[i.role]]++;
        deployed += i.cores;
    }
    for (const i of p.unplaced)
        roleShort[ROLE_INDEX[model.instances[i].role]] += model.instances[i].cores;
    placed = deployed - roleShort[0] - roleShort[1] - roleShort[2];
    const nRoles = R.filter(x => x > 0).length;
    const cap = R.map(n => (H > 0 ? Math.ceil(n / H) : 0));
    const { count: nRacks, ofHost: rackOf } = rackIndices(model);
    const rackCnt = new Array<number>(3 * Math.max(1, nRacks)).fill(0);
    const rackCap = R.map(n => (nRacks > 0 ? Math.ceil(n / nRacks) : 0));
    const over = new Set(p.overcommitted.map(o => o.host));
    let spread = 0,
        single = 0,
        missing = 0,
        maxUtil = 0;
    for (let h = 0; h < H; h++) {
        const c = [0, 0, 0];
        let used = 0;
        for (const i of p.byHost[h] ?? []) {
            const it = model.instances[i];
            c[ROLE_INDEX[it.role]]++;
            used += it.cores;
        }
        const distinct = c.filter(x => x > 0).length;
        for (let r = 0; r < 3; r++) spread += Math.max(0, c[r] - cap[r]);
        if (nRoles >= 2 && distinct <= 1) single++;
        missing += nRoles - distinct;
        if (rackOf[h] >= 0) for (let r = 0; r < 3; r++) rackCnt[3 * rackOf[h] + r] += c[r];
        const u = model.hosts[h].usableCores > 0 ? used / model.hosts[h].usableCores : 0;
        if (!over.has(h) && u > maxUtil) maxUtil = u;
    }
    let rackExcess = 0;
    for (let k = 0; k < nRacks; k++)
        for (let r = 0; r < 3; r++) rackExcess += Math.max(0, rackCnt[3 * k + r] - rackCap[r]);
    return {
        placedCores: placed,
        deployedCores: deployed,
        roleShort,
        spread,
        singleRole: single,
        missingRoles: missing,
        racks: rackExcess,
        maxUtil
    };
}
