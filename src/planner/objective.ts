/**
 * The placement objective (spec, "What the checker computes", "Placement": rules 2–5 in priority
 * order), shared by the constructive pass, the local search, the exact solver's `measure` and the
 * MILP's level order. Pure: no imports but types.
 */


/** Tolerance for comparing GiB amounts (decimal GB units give inexact binary fractions). */
export const EPS = 1e-9;

export function lexLess(a: readonly number[], b: readonly number[]): boolean {
    for (let i = 0; i < a.length; i++) {
        if (a[i] < b[i] - EPS) return true;
        if (a[i] > b[i] + EPS) return false;
    }
    return false;
}

/**
 * Length of a quality vector: [spread excess, single-role hosts, missing roles, rack excess,
 * max utilisation, Σ utilisation²] (see `hostQuality`).
 */
export const QLEN = 6;

/**
 * Adds one host's role terms (rules 3–4) into `q`, from its role counts `counts[o … o + 2]`
 * (proxy, director, backend): spread excess over `cap` into q[0]; single-role host into q[1]
 * (at most one role while the plan deploys R ≥ 2; an empty host counts); missing roles
 * R − distinct roles into q[2]. Shared by `hostQuality` (a host as it is) and the pair
 * re-split (a host as a split would leave it).
 */
export function addRoleTerms(counts: Int32Array, o: number, cap: Int32Array, R: number, q: Float64Array): void {
    let distinct = 0, spread = 0;
    for (let r = 0; r < 3; r++) {
        const c = counts[o + r];
        if (c > 0) { distinct++; if (c > cap[r]) spread += c - cap[r]; }
    }
    q[0] += spread;
    if (R >= 2 && distinct <= 1) q[1] += 1;
    q[2] += R - distinct;
}

export function lexLessF(a: Float64Array, b: Float64Array): boolean {
    for (let i = 0; i < a.length; i++) {
        if (a[i] < b[i] - EPS) return true;
        if (a[i] > b[i] + EPS) return false;
    }
    return false;
}

/** Copies a quality vector (QLEN entries) from `src` into `dst` (cheaper than `set` on tiny arrays). */
export function copyQ(dst: Float64Array, src: Float64Array): void {
    for (let i = 0; i < QLEN; i++) dst[i] = src[i];
}
