/**
 * The MILP of `solveExactSync` (see `exact.ts` for the aggregate model and the levels): the
 * columns y[s][h], the hard constraints (capacity, symmetry between alike hosts, per-shape
 * totals) and one builder per objective level (`EXACT_LEVELS`), each giving that level's
 * expression and adding the auxiliary columns and rows it needs. The order in which columns and
 * rows are added is part of the behaviour (HiGHS's search depends on it): `buildExactModel`
 * calls the builders in the levels' order. Pure: no solver is called here.
 */
import { rackIndices, ROLE_INDEX, type PlanModel } from './model.js';
import { EPS } from './objective.js';
import type { PinnedPlan } from './placement.js';
import { EXACT_DAY2_LEVELS, EXACT_LEVELS, type ExactLevel } from './exact-types.js';

/** Sparse row: rowLower ≤ Σ vals·x[cols] ≤ rowUpper. */
export interface Row {
    cols: number[];
    vals: number[];
    lo: number;
    hi: number;
}

/**
 * A level's expression Σ vals·x[cols] + constant, minimised (`sense` 1) or maximised (−1);
 * `integral` when its value is a whole number at every integer solution.
 */
export interface Expr {
    cols: number[];
    vals: number[];
    constant: number;
    sense: 1 | -1;
    integral: boolean;
}

/**
 * The built MILP: column bounds and integrality, rows, the index of y[s][h] at `y[s * H + h]`
 * (−1 when the shape cannot go on the host), each level's expression, and the role counts the
 * solve loop's trivial bounds read (`roleN[r]` instances of role index r, `rolesPresent`).
 */
export interface ExactModel {
    lower: number[];
    upper: number[];
    integ: number[];
    rows: Row[];
    y: number[];
    exprs: Map<ExactLevel, Expr>;
    roleN: number[];
    rolesPresent: number[];
    nRoles: number;
    /** stay[s * H + h]: free instances of shape s that may stay on host h without a move (all 0 without a lock). */
    stay: Int32Array;
}

/**
 * The lock, as the moves level needs it (built by `exact.ts` from `lockedStart` in
 * incremental.ts, so the heuristic and the MILP count moves alike).
 */
export interface MovesInput {
    /** Per instance: the host it may stay on without a move, -1 when none (see `LockedStart.stayHost`). */
    readonly stayHost: Int32Array;
    /** Per instance: 1 for a new one (not in the lock, not pinned): placing it is no move. */
    readonly isNew: Uint8Array;
    /** Moves the pins make whatever is placed (a pinned instance the lock has on another host). */
    readonly pinnedMoves: number;
}

/**
 * Thrown by `buildExactModel` and `rowsToCsr` when their `deadline` passes: the user's time limit
 * bounds building the model too (issue 15); `solveExactSync` then returns the start, cut.
 */
export class ExactBuildCut extends Error {
    constructor() {
        super('the time limit ran out while the model was built');
    }
}

/** Instances per role index (`roleN[r]`), the role indices present, and how many there are. */
export function roleCounts(model: PlanModel): {
    roleN: number[];
    rolesPresent: number[];
    nRoles: number;
} {
    const roleN = [0, 0, 0];
    for (const i of model.instances) roleN[ROLE_INDEX[i.role]]++;
    const rolesPresent = [0, 1, 2].filter(r => roleN[r] > 0);
    return { roleN, rolesPresent, nRoles: rolesPresent.length };
}

/**
 * stay[s * H + h]: the free (unpinned) instances of shape s that may stay on host h without a
 * move, from `moves.stayHost`; all 0 without a lock.
 */
export function stayCounts(pp: PinnedPlan, H: number, moves?: MovesInput): Int32Array {
    const stay = new Int32Array(pp.S * H);
    if (moves)
        for (let s = 0; s < pp.S; s++)
            for (const i of pp.byShape[s].slice(pp.pinCursor[s]))
                if (moves.stayHost[i] >= 0) stay[s * H + moves.stayHost[i]]++;
    return stay;
}

/** What the builders share: the plan, its pins, and the model under construction. */
interface Builder extends ExactModel {
    model: PlanModel;
    pp: PinnedPlan;
    H: number;
    INF: number;
    avail: boolean[];
    /** Pinned instances per (host, role index): index 3 * h + r. */
    pinRole: number[];
    addCol(lo: number, hi: number, integer: boolean): number;
    /** Throws `ExactBuildCut` past the deadline (called once per host by each builder). */
    check(): void;
    /** Σ_{s∈r} y[s][h] as (cols, vals) and an upper bound on it. */
    roleTerms(r: number, h: number): { cols: number[]; vals: number[]; ub: number };
}

/**
 * Builds the MILP of `model` with pins `pp` (`resolvePins`); `INF` is the solver's infinity.
 * A host whose pins overcommit it, or without usable vCPUs, takes nothing (no columns). Only the
 * levels up to `lastLevel` are built. With `moves` (a lock), the levels `roleOnOneHost` and
 * `moves` are built too, and only hosts that the lock gives the same instances to count as alike
 * for symmetry. Throws `ExactBuildCut` once `performance.now()` passes `deadline` (milliseconds;
 * default none).
 */
export function buildExactModel(
    model: PlanModel,
    pp: PinnedPlan,
    INF: number,
    lastLevel: ExactLevel = 'maxUtil',
    deadline = Infinity,
    moves?: MovesInput
): ExactModel {
    const H = model.hosts.length;
    const { S, sRole, pinCount } = pp;
    const over = new Set(pp.overcommitted.map(o => o.host));
    const lower: number[] = [],
        upper: number[] = [],
        integ: number[] = [];
    const { roleN, rolesPresent, nRoles } = roleCounts(model);
    const pinRole = new Array<number>(3 * H).fill(0);
    for (let s = 0; s < S; s++)
        for (let h = 0; h < H; h++) pinRole[3 * h + sRole[s]] += pinCount[s * H + h];
    const stay = stayCounts(pp, H, moves);
    const b: Builder = {
        model,
        pp,
        stay,
        H,
        INF,
        avail: model.hosts.map((h, k) => !over.has(k) && h.usableCores > 0),
        lower,
        upper,
        integ,
        rows: [],
        y: new Array<number>(S * H).fill(-1),
        exprs: new Map(),
        roleN,
        rolesPresent,
        nRoles,
        pinRole,
        addCol: (lo, hi, integer) => {
            lower.push(lo);
            upper.push(hi);
            integ.push(integer ? 1 : 0);
            return lower.length - 1;
        },
        check: () => {
            if (performance.now() > deadline) throw new ExactBuildCut();
        },
        roleTerms: (r, h) => {
            const cols: number[] = [],
                vals: number[] = [];
            let ub = 0;
            for (let s = 0; s < S; s++) {
                const j = b.y[s * H + h];
                if (j < 0 || sRole[s] !== r) continue;
                cols.push(j);
                vals.push(1);
                ub += upper[j];
            }
            return { cols, vals, ub };
        }
    };
    addCountColumns(b);
    addCapacityRows(b);
    addSymmetryRows(b);
    addShapeTotalRows(b);
    // only the levels up to `lastLevel`: a later level's columns and rows (the mix binaries
    // above all) only give the solver more to presolve and cut at the root (issue 15)
    const order: readonly ExactLevel[] = moves ? EXACT_DAY2_LEVELS : EXACT_LEVELS;
    const upTo = (lv: ExactLevel) => order.indexOf(lv) <= order.indexOf(lastLevel);
    b.exprs.set('placedCores', placedCoresLevel(b));
    if (upTo('maxRoleShort')) {
        const short = roleShortLevels(b);
        b.exprs.set('maxRoleShort', short.max);
        b.exprs.set('minRoleShort', short.min);
    }
    if (moves && upTo('roleOnOneHost')) b.exprs.set('roleOnOneHost', roleOnOneHostLevel(b));
    if (moves && upTo('moves')) b.exprs.set('moves', movesLevel(b, moves));
    if (upTo('spread')) b.exprs.set('spread', spreadLevel(b));
    if (upTo('singleRole')) {
        const mix = mixLevels(b);
        b.exprs.set('singleRole', mix.singleRole);
        b.exprs.set('missingRoles', mix.missingRoles);
    }
    if (upTo('racks')) b.exprs.set('racks', racksLevel(b));
    if (upTo('maxUtil')) b.exprs.set('maxUtil', maxUtilLevel(b));
    return {
        lower,
        upper,
        integ,
        rows: b.rows,
        y: b.y,
        exprs: b.exprs,
        roleN,
        rolesPresent,
        nRoles: b.nRoles,
        stay
    };
}

/** y[s][h] ∈ [0, ub]: at most the free instances of s, and what fits beside the host's pins. */
function addCountColumns(b: Builder): void {
    const { model, pp, H, y } = b;
    const { S, sC, sM, free } = pp;
    for (let s = 0; s < S; s++) {
        if (free[s] === 0) continue;
        b.check();
        for (let h = 0; h < H; h++) {
            if (!b.avail[h]) continue;
            const host = model.hosts[h];
            const fc = host.usableCores - pp.pinC[h],
                fm = host.usableMemoryGiB - pp.pinM[h];
            const ub = Math.min(
                free[s],
                Math.floor((fc + EPS) / sC[s]),
                sM[s] > 0 ? Math.floor((fm + EPS) / sM[s]) : free[s]
            );
            if (ub <= 0) continue;
            y[s * H + h] = b.addCol(0, ub, true);
        }
    }
}

/** Capacity (rule 1, hard): each host's vCPUs and GiB beside its pins. */
function addCapacityRows(b: Builder): void {
    const { model, pp, H, y, rows, INF } = b;
    const { S, sC, sM } = pp;
    for (let h = 0; h < H; h++) {
        b.check();
        if (!b.avail[h]) continue;
        const host = model.hosts[h];
        const cc: number[] = [],
            vc: number[] = [],
            vm: number[] = [];
        for (let s = 0; s < S; s++) {
            const j = y[s * H + h];
            if (j >= 0) {
                cc.push(j);
                vc.push(sC[s]);
                vm.push(sM[s]);
            }
        }
        if (cc.length === 0) continue;
        rows.push({ cols: cc, vals: vc, lo: -INF, hi: host.usableCores - pp.pinC[h] + EPS });
        rows.push({
            cols: [...cc],
            vals: vm,
            lo: -INF,
            hi: host.usableMemoryGiB - pp.pinM[h] + 1e-6
        });
    }
}

/** Symmetry: hosts alike (capacity, rack, no pins) are interchangeable; order them by used vCPUs. */
function addSymmetryRows(b: Builder): void {
    const { model, pp, H, y, rows, INF } = b;
    const { S, sC } = pp;
    const classes = new Map<string, number[]>();
    for (let h = 0; h < H; h++) {
        const host = model.hosts[h];
        if (!b.avail[h] || host.pins.length > 0) continue;
        // with a lock, hosts are alike only when the lock gives them the same instances to keep
        let kept = '';
        for (let s = 0; s < S; s++) if (b.stay[s * H + h] > 0) kept += `|${s}:${b.stay[s * H + h]}`;
        const k = `${host.usableCores}|${host.usableMemoryGiB}|${host.rack ?? ''}${kept}`;
        const list = classes.get(k);
        if (list) list.push(h);
        else classes.set(k, [h]);
    }
    for (const list of classes.values()) {
        for (let k = 0; k + 1 < list.length; k++) {
            const a = list[k],
                c = list[k + 1];
            const cols: number[] = [],
                vals: number[] = [];
            for (let s = 0; s < S; s++) {
                const ja = y[s * H + a],
                    jb = y[s * H + c];
                if (ja >= 0) {
                    cols.push(ja);
                    vals.push(sC[s]);
                }
                if (jb >= 0) {
                    cols.push(jb);
                    vals.push(-sC[s]);
                }
            }
            if (cols.length > 0) rows.push({ cols, vals, lo: 0, hi: INF });
        }
    }
}

/** Per-shape totals: at most the free instances of each shape are placed. */
function addShapeTotalRows(b: Builder): void {
    const { pp, H, y, rows, INF } = b;
    for (let s = 0; s < pp.S; s++) {
        const cols: number[] = [];
        for (let h = 0; h < H; h++) if (y[s * H + h] >= 0) cols.push(y[s * H + h]);
        if (cols.length > 0) rows.push({ cols, vals: cols.map(() => 1), lo: -INF, hi: pp.free[s] });
    }
}

/** Level 1, `placedCores` (rule 2): the vCPUs placed, pinned ones included; maximised. */
function placedCoresLevel(b: Builder): Expr {
    const { pp, H, y } = b;
    const cols: number[] = [],
        vals: number[] = [];
    for (let s = 0; s < pp.S; s++)
        for (let h = 0; h < H; h++) {
            const j = y[s * H + h];
            if (j >= 0) {
                cols.push(j);
                vals.push(pp.sC[s]);
            }
        }
    let pinnedCores = 0;
    for (let h = 0; h < H; h++) pinnedCores += pp.pinC[h];
    return { cols, vals, constant: pinnedCores, sense: -1, integral: true };
}

/**
 * Level 2, `maxRoleShort` and `minRoleShort`: the role shortfall U_r = Σ_{s∈r} c_s free_s − Σ c_s y
 * bounded by zmax (minimised) and zmin (maximised).
 */
function roleShortLevels(b: Builder): { max: Expr; min: Expr } {
    const { pp, H, y, rows, INF } = b;
    const { S, sC, sRole, free } = pp;
    const roleFreeCores = [0, 0, 0];
    for (let s = 0; s < S; s++) roleFreeCores[sRole[s]] += sC[s] * free[s];
    const roleYTerms = (r: number) => {
        const cols: number[] = [],
            vals: number[] = [];
        for (let s = 0; s < S; s++)
            if (sRole[s] === r)
                for (let h = 0; h < H; h++) {
                    const j = y[s * H + h];
                    if (j >= 0) {
                        cols.push(j);
                        vals.push(sC[s]);
                    }
                }
        return { cols, vals };
    };
    const zmax = b.addCol(0, INF, false),
        zmin = b.addCol(0, INF, false);
    for (let r = 0; r < 3; r++) {
        const t = roleYTerms(r);
        // zmax ≥ F_r − Σ c y  ⇔  zmax + Σ c y ≥ F_r
        rows.push({
            cols: [zmax, ...t.cols],
            vals: [1, ...t.vals],
            lo: roleFreeCores[r],
            hi: INF
        });
        // zmin ≤ F_r − Σ c y  ⇔  zmin + Σ c y ≤ F_r
        rows.push({
            cols: [zmin, ...t.cols],
            vals: [1, ...t.vals],
            lo: -INF,
            hi: roleFreeCores[r]
        });
    }
    return {
        max: { cols: [zmax], vals: [1], constant: 0, sense: 1, integral: true },
        min: { cols: [zmin], vals: [1], constant: 0, sense: -1, integral: true }
    };
}

/**
 * Day 2, `roleOnOneHost` (before the moves): roles with two or more placed instances all on one
 * host, minimised. Per role r: p_rh = [r on h] (p ≤ Σ y ≤ ub·p), g_r = 1 when two or more are
 * placed (placed ≤ 1 + n_r·g), and w_r with w_r + Σ_h p_rh ≥ 2 g_r − (hosts its pins use).
 */
function roleOnOneHostLevel(b: Builder): Expr {
    const { H, rows, INF, roleN, pinRole } = b;
    const cols: number[] = [],
        vals: number[] = [];
    for (let r = 0; r < 3; r++) {
        if (roleN[r] < 2) continue;
        let pinHosts = 0,
            pinned = 0;
        for (let h = 0; h < H; h++) {
            pinned += pinRole[3 * h + r];
            if (pinRole[3 * h + r] > 0) pinHosts++;
        }
        if (pinHosts >= 2) continue;
        const ps: number[] = [],
            ys: number[] = [],
            yv: number[] = [];
        for (let h = 0; h < H; h++) {
            const t = b.roleTerms(r, h);
            if (t.cols.length === 0) continue;
            ys.push(...t.cols);
            yv.push(...t.vals);
            // a host its pins use already counts
            if (pinRole[3 * h + r] > 0) continue;
            const p = b.addCol(0, 1, true);
            rows.push({ cols: [p, ...t.cols], vals: [1, ...t.vals.map(x => -x)], lo: -INF, hi: 0 });
            rows.push({ cols: [p, ...t.cols], vals: [-t.ub, ...t.vals], lo: -INF, hi: 0 });
            ps.push(p);
        }
        if (ys.length === 0) continue;
        const g = b.addCol(0, 1, true);
        // pinned + Σ y ≤ 1 + n_r·g
        rows.push({ cols: [g, ...ys], vals: [-roleN[r], ...yv], lo: -INF, hi: 1 - pinned });
        const w = b.addCol(0, 1, true);
        // w + Σ p − 2g ≥ −pinHosts
        rows.push({
            cols: [w, g, ...ps],
            vals: [1, -2, ...ps.map(() => 1)],
            lo: -pinHosts,
            hi: INF
        });
        cols.push(w);
        vals.push(1);
    }
    return { cols, vals, constant: 0, sense: 1, integral: true };
}

/**
 * Day 2, `moves`: the locked instances that do not stay on their host (placed elsewhere, or left
 * unplaced: a running instance stopped is disturbed as much as one moved), minimised. Per shape
 * s and host h: k[s][h] ≤ min(y[s][h], stay[s][h]) instances kept; the level is the locked free
 * instances less Σ k, plus the pins' moves (constants). Instances of a shape are alike, so the
 * counts say everything: `nameForFewestMoves` (fewer-moves.ts) names the kept ones first.
 */
function movesLevel(b: Builder, moves: MovesInput): Expr {
    const { pp, H, y, rows, INF } = b;
    const cols: number[] = [],
        vals: number[] = [];
    let locked = 0;
    for (let s = 0; s < pp.S; s++) {
        for (const i of pp.byShape[s].slice(pp.pinCursor[s])) if (!moves.isNew[i]) locked++;
        for (let h = 0; h < H; h++) {
            const j = y[s * H + h];
            const L = b.stay[s * H + h];
            if (j < 0 || L === 0) continue;
            const k = b.addCol(0, L, false);
            rows.push({ cols: [k, j], vals: [1, -1], lo: -INF, hi: 0 });
            cols.push(k);
            vals.push(-1);
        }
    }
    return { cols, vals, constant: locked + moves.pinnedMoves, sense: 1, integral: true };
}

/** Level 3, `spread` (rule 3): e_rh ≥ pin_rh + Σ y − ⌈n_r/H⌉, Σ e minimised. */
function spreadLevel(b: Builder): Expr {
    const { H, rows, INF, roleN, pinRole } = b;
    const cols: number[] = [],
        vals: number[] = [];
    let constant = 0;
    for (let r = 0; r < 3; r++) {
        if (roleN[r] === 0) continue;
        const cap = Math.ceil(roleN[r] / H);
        for (let h = 0; h < H; h++) {
            b.check();
            const t = b.roleTerms(r, h);
            if (t.cols.length === 0) {
                constant += Math.max(0, pinRole[3 * h + r] - cap);
                continue;
            }
            if (pinRole[3 * h + r] + t.ub <= cap) continue;
            const e = b.addCol(0, INF, false);
            // e − Σ y ≥ pin − cap
            rows.push({
                cols: [e, ...t.cols],
                vals: [1, ...t.vals.map(v => -v)],
                lo: pinRole[3 * h + r] - cap,
                hi: INF
            });
            cols.push(e);
            vals.push(1);
        }
    }
    return { cols, vals, constant, sense: 1, integral: true };
}

/**
 * Level 4, `singleRole` and `missingRoles` (the mix): b_rh = [n_rh > 0], single q_h ∈ {0, 1}
 * with 2 q_h ≥ 2 − Σ b (a host with at most one role, an empty one included), missing
 * Σ_h (R − Σ_r b_rh) (maximise the pairs present).
 */
function mixLevels(b: Builder): { singleRole: Expr; missingRoles: Expr } {
    const { H, rows, INF, nRoles, rolesPresent, pinRole } = b;
    const qc: number[] = [],
        mc: number[] = [];
    let qConst = 0,
        mConst = 0;
    if (nRoles >= 1) {
        for (let h = 0; h < H; h++) {
            b.check();
            const terms = rolesPresent.map(r => b.roleTerms(r, h));
            const pins = rolesPresent.map(r => pinRole[3 * h + r]);
            if (terms.every(t => t.cols.length === 0)) {
                // fixed host: constant terms
                const d = pins.filter(x => x > 0).length;
                if (nRoles >= 2 && d <= 1) qConst++;
                mConst += nRoles - d;
                continue;
            }
            const bs: number[] = [];
            const bVals: number[] = [];
            let bConst = 0;
            terms.forEach((t, k) => {
                if (pins[k] > 0) {
                    bConst++;
                    return;
                }
                if (t.cols.length === 0) return;
                const v = b.addCol(0, 1, true);
                // b ≤ Σ y ; Σ y ≤ ub·b
                rows.push({
                    cols: [v, ...t.cols],
                    vals: [1, ...t.vals.map(x => -x)],
                    lo: -INF,
                    hi: 0
                });
                rows.push({ cols: [v, ...t.cols], vals: [-t.ub, ...t.vals], lo: -INF, hi: 0 });
                bs.push(v);
                bVals.push(1);
            });
            // single: 2q + Σ b ≥ 2 − bConst, q binary: q = 1 unless two roles are present
            // (none needed when the pins already give two roles)
            if (nRoles >= 2 && bConst < 2) {
                const q = b.addCol(0, 1, true);
                rows.push({ cols: [q, ...bs], vals: [2, ...bVals], lo: 2 - bConst, hi: INF });
                qc.push(q);
            }
            // missing: R − d, d = Σ b + bConst
            mConst += nRoles - bConst;
            for (const v of bs) mc.push(v);
        }
    }
    return {
        singleRole: {
            cols: qc,
            vals: qc.map(() => 1),
            constant: qConst,
            sense: 1,
            integral: true
        },
        missingRoles: {
            cols: mc,
            vals: mc.map(() => -1),
            constant: mConst,
            sense: 1,
            integral: true
        }
    };
}

/** Level 4, `racks` (rule 4): Σ over racks and roles of the excess over ⌈n_r/racks⌉; minimised. */
function racksLevel(b: Builder): Expr {
    const { model, H, rows, INF, roleN, pinRole } = b;
    const { count: nRacks, ofHost: rackOf } = rackIndices(model);
    const cols: number[] = [],
        vals: number[] = [];
    let constant = 0;
    for (let k = 0; k < nRacks; k++) {
        for (let r = 0; r < 3; r++) {
            if (roleN[r] === 0) continue;
            const cap = Math.ceil(roleN[r] / nRacks);
            const tc: number[] = [],
                tv: number[] = [];
            let pins = 0,
                ub = 0;
            b.check();
            for (let h = 0; h < H; h++) {
                if (rackOf[h] !== k) continue;
                pins += pinRole[3 * h + r];
                const t = b.roleTerms(r, h);
                tc.push(...t.cols);
                tv.push(...t.vals);
                ub += t.ub;
            }
            if (tc.length === 0) {
                constant += Math.max(0, pins - cap);
                continue;
            }
            if (pins + ub <= cap) continue;
            const e = b.addCol(0, INF, false);
            rows.push({
                cols: [e, ...tc],
                vals: [1, ...tv.map(v => -v)],
                lo: pins - cap,
                hi: INF
            });
            cols.push(e);
            vals.push(1);
        }
    }
    return { cols, vals, constant, sense: 1, integral: true };
}

/** Level 5, `maxUtil` (rule 5): the busiest host, t ≥ (pinC + Σ c y) / cap; minimised. */
function maxUtilLevel(b: Builder): Expr {
    const { model, pp, H, y, rows, INF } = b;
    const t = b.addCol(0, INF, false);
    let constant = 0;
    for (let h = 0; h < H; h++) {
        b.check();
        if (!b.avail[h]) continue;
        const cap = model.hosts[h].usableCores;
        const cc: number[] = [],
            vv: number[] = [];
        for (let s = 0; s < pp.S; s++) {
            const j = y[s * H + h];
            if (j >= 0) {
                cc.push(j);
                vv.push(-pp.sC[s] / cap);
            }
        }
        if (cc.length === 0) {
            constant = Math.max(constant, pp.pinC[h] / cap);
            continue;
        }
        rows.push({ cols: [t, ...cc], vals: [1, ...vv], lo: pp.pinC[h] / cap, hi: INF });
    }
    // a host that cannot change still bounds t from below
    b.lower[t] = constant;
    return { cols: [t], vals: [1], constant: 0, sense: 1, integral: false };
}

/**
 * The rows as a CSR matrix, duplicate columns of a row merged, columns in ascending order.
 * Throws `ExactBuildCut` once `performance.now()` passes `deadline` (milliseconds).
 */
export function rowsToCsr(
    rows: readonly Row[],
    deadline = Infinity
): {
    starts: number[];
    indices: number[];
    values: number[];
} {
    const starts = [0],
        indices: number[] = [],
        values: number[] = [];
    for (let k = 0; k < rows.length; k++) {
        if ((k & 1023) === 0 && performance.now() > deadline) throw new ExactBuildCut();
        const r = rows[k];
        // merge duplicate columns
        const m = new Map<number, number>();
        r.cols.forEach((c, k) => m.set(c, (m.get(c) ?? 0) + r.vals[k]));
        const keys = [...m.keys()].sort((a, b) => a - b);
        for (const c of keys) {
            indices.push(c);
            values.push(m.get(c)!);
        }
        starts.push(indices.length);
    }
    return { starts, indices, values };
}

/** The value of `e` at column values `x`. */
export function evalExpr(e: Expr, x: readonly number[]): number {
    let v = e.constant;
    e.cols.forEach((c, k) => {
        v += e.vals[k] * x[c];
    });
    return v;
}
