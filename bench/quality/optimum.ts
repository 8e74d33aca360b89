/**
 * An independent optimum for the quality set: a MILP of its own (not src/planner/exact.ts's),
 * written as CPLEX LP text and solved with HiGHS's one-shot `solve` (a fresh solver per level),
 * lexicographically in the spec's order (docs/dcplan-language.md, "Placement"):
 *
 *  1. `placedCores`  most vCPUs placed (rule 2). The per-role sharing of a shortfall is not
 *                    modelled: for a plan that does not fit, only this level is solved (the
 *                    targets of issue 15 compare the cores placed there, nothing else);
 *  2. `spread`       Σ over hosts and roles of the instances above ⌈n/H⌉ (n all instances of
 *                    the role, H all hosts) (rule 3);
 *  3. `singleRole`   hosts running fewer than two roles, an empty host counting as one (when
 *                    the plan deploys several roles); then
 *  4. `missingRoles` Σ over hosts of the plan's roles the host does not run; then
 *  5. `racks`        Σ over racks and roles of the instances above ⌈n/racks⌉ (2+ racks) (rule 4);
 *  6. `maxUtil`      the busiest host's used / usable vCPUs (rule 5).
 *
 * Variables: y[s][h] ∈ ℕ, the free (unpinned) instances of shape s on host h; pins are
 * constants (a plan whose pins overcommit a host is outside this set: the generator keeps pins
 * within 40% of a host). Each level's optimum is fixed as a row before the next is solved. A
 * level that hits its time limit keeps its incumbent, marked not proved.
 */
import type { Highs } from 'highs';
import type { PlanModel, Role } from '../../src/planner/model.js';

/** The spec's levels, in order. */
export const LEVELS = [
    'placedCores',
    'spread',
    'singleRole',
    'missingRoles',
    'racks',
    'maxUtil'
] as const;
export type Level = (typeof LEVELS)[number];

/** The optimum of one plan (what optima.json stores per plan). */
export interface Optimum {
    readonly deployedCores: number;
    /** Most vCPUs placeable (incumbent when `proved.placedCores` is false). */
    readonly placedCores: number;
    /** Every instance placeable. */
    readonly full: boolean;
    /** Levels 2–6, only when `full` (null otherwise or when the level does not apply: 0 then). */
    readonly spread: number | null;
    readonly singleRole: number | null;
    readonly missingRoles: number | null;
    readonly racks: number | null;
    /** Busiest host, 0–1 fraction. */
    readonly maxUtil: number | null;
    /** Per level: proved optimal (true), cut by the time limit (false), not solved (absent). */
    readonly proved: Partial<Record<Level, boolean>>;
    readonly seconds: number;
}

const ROLE_INDEX: Record<Role, number> = { proxy: 0, director: 1, backend: 2 };

/** The aggregate data of a plan: shapes, free counts, pins per host. */
interface Data {
    S: number;
    H: number;
    sC: number[];
    sM: number[];
    sR: number[];
    free: number[];
    hC: number[];
    hM: number[];
    rack: (number | undefined)[];
    nRacks: number;
    pinC: number[];
    pinM: number[];
    pinRole: number[][];
    roleN: number[];
}

function data(model: PlanModel): Data {
    const shapeIdx = new Map<string, number>();
    const sC: number[] = [],
        sM: number[] = [],
        sR: number[] = [],
        count: number[] = [];
    for (const i of model.instances) {
        let s = shapeIdx.get(i.shape);
        if (s === undefined) {
            s = sC.length;
            shapeIdx.set(i.shape, s);
            sC.push(i.cores);
            sM.push(i.memoryGiB);
            sR.push(ROLE_INDEX[i.role]);
            count.push(0);
        }
        count[s]++;
    }
    const H = model.hosts.length;
    const free = [...count];
    const pinC = new Array<number>(H).fill(0),
        pinM = new Array<number>(H).fill(0);
    const pinRole = model.hosts.map(() => [0, 0, 0]);
    model.hosts.forEach((h, k) => {
        for (const p of h.pins) {
            const s = shapeIdx.get(p.shape);
            if (s === undefined) continue;
            const n = Math.min(p.count, free[s]);
            free[s] -= n;
            pinC[k] += n * sC[s];
            pinM[k] += n * sM[s];
            pinRole[k][sR[s]] += n;
        }
    });
    const rackIds = new Map<string, number>();
    for (const h of model.hosts)
        if (h.rack !== undefined && !rackIds.has(h.rack)) rackIds.set(h.rack, rackIds.size);
    const roleN = [0, 0, 0];
    for (const i of model.instances) roleN[ROLE_INDEX[i.role]]++;
    return {
        S: sC.length,
        H,
        sC,
        sM,
        sR,
        free,
        hC: model.hosts.map(h => h.usableCores),
        hM: model.hosts.map(h => h.usableMemoryGiB),
        rack: model.hosts.map(h => (h.rack === undefined ? undefined : rackIds.get(h.rack))),
        nRacks: rackIds.size >= 2 ? rackIds.size : 0,
        pinC,
        pinM,
        pinRole,
        roleN
    };
}

type Terms = [number, string][];
const lin = (t: Terms) =>
    t.length === 0
        ? '0 y_dummy'
        : t.map(([c, v], k) => `${c < 0 ? '-' : k ? '+' : ''} ${Math.abs(c)} ${v}`).join(' ');

/**
 * Solves the plan's optimum (see the module comment). `timeLimit` seconds per level. Never
 * throws on a well-formed virtual plan; a physical plan or one without hosts is not solved.
 * `onLevel` receives each level's CPLEX LP text (the earlier levels fixed at HiGHS's values)
 * and HiGHS's objective value, so a second solver can re-solve the same model (crosscheck.sh).
 */
export function solveOptimum(
    highs: Highs,
    model: PlanModel,
    timeLimit = 10,
    onLevel?: (level: Level, lp: string, value: number, proved: boolean) => void
): Optimum {
    const t0 = performance.now();
    const d = data(model);
    const { S, H } = d;
    const y = (s: number, h: number) => `y_${s}_${h}`;
    const deployed = model.instances.reduce((a, i) => a + i.cores, 0);
    const pinned = d.pinC.reduce((a, b) => a + b, 0);
    const rows: string[] = [];
    const bounds: string[] = [];
    const general: string[] = [];
    const binary: string[] = [];
    for (let s = 0; s < S; s++)
        for (let h = 0; h < H; h++) {
            const ub = Math.max(
                0,
                Math.min(
                    d.free[s],
                    Math.floor((d.hC[h] - d.pinC[h]) / d.sC[s]),
                    Math.floor((d.hM[h] - d.pinM[h]) / d.sM[s])
                )
            );
            bounds.push(`0 <= ${y(s, h)} <= ${ub}`);
            general.push(y(s, h));
        }
    for (let h = 0; h < H; h++) {
        rows.push(
            `cap_c_${h}: ${lin([...Array(S).keys()].map(s => [d.sC[s], y(s, h)]))} <= ${d.hC[h] - d.pinC[h]}`
        );
        rows.push(
            `cap_m_${h}: ${lin([...Array(S).keys()].map(s => [d.sM[s], y(s, h)]))} <= ${d.hM[h] - d.pinM[h]}`
        );
    }
    for (let s = 0; s < S; s++)
        rows.push(
            `count_${s}: ${lin([...Array(H).keys()].map(h => [1, y(s, h)]))} <= ${d.free[s]}`
        );
    const roleTerms = (h: number, r: number): Terms =>
        [...Array(S).keys()].filter(s => d.sR[s] === r).map(s => [1, y(s, h)]);
    const proved: Partial<Record<Level, boolean>> = {};
    const solve = (
        level: Level,
        objective: Terms,
        extra: { rows?: string[]; bounds?: string[]; general?: string[]; binary?: string[] } = {}
    ) => {
        const lp = [
            'Minimize',
            ` obj: ${lin(objective)}`,
            'Subject To',
            ...rows.map(r => ` ${r}`),
            ...(extra.rows ?? []).map(r => ` ${r}`),
            'Bounds',
            ...bounds.map(b => ` ${b}`),
            ...(extra.bounds ?? []).map(b => ` ${b}`),
            ' y_dummy = 0',
            'General',
            ...general.map(g => ` ${g}`),
            ...(extra.general ?? []).map(g => ` ${g}`),
            ...(binary.length + (extra.binary?.length ?? 0)
                ? ['Binary', ...binary.map(b => ` ${b}`), ...(extra.binary ?? []).map(b => ` ${b}`)]
                : []),
            'End'
        ].join('\n');
        const res = highs.solve(lp, {
            time_limit: timeLimit,
            mip_rel_gap: 0,
            mip_abs_gap: 1e-6,
            random_seed: 1,
            output_flag: false
        } as never);
        const ok = res.Status === 'Optimal';
        const has =
            ok ||
            (res.Status === 'Time limit reached' &&
                Number.isFinite(res.ObjectiveValue) &&
                Object.values(res.Columns).some(c => 'Primal' in c));
        proved[level] = ok;
        if (!has) throw new Unsolved();
        onLevel?.(level, lp, res.ObjectiveValue, ok);
        return res.ObjectiveValue;
    };
    const result = (
        placed: number,
        full: boolean,
        rest: Partial<
            Pick<Optimum, 'spread' | 'singleRole' | 'missingRoles' | 'racks' | 'maxUtil'>
        > = {}
    ): Optimum => ({
        deployedCores: deployed,
        placedCores: placed,
        full,
        spread: null,
        singleRole: null,
        missingRoles: null,
        racks: null,
        maxUtil: null,
        ...rest,
        proved,
        seconds: (performance.now() - t0) / 1000
    });
    // 1. placed cores (maximised: minimise the negative)
    const placedTerms: Terms = [];
    for (let s = 0; s < S; s++) for (let h = 0; h < H; h++) placedTerms.push([d.sC[s], y(s, h)]);
    const freeCores = d.free.reduce((a, n, s) => a + n * d.sC[s], 0);
    let placedFree: number;
    try {
        placedFree = Math.round(
            -solve(
                'placedCores',
                placedTerms.map(([c, v]) => [-c, v])
            )
        );
    } catch (e) {
        if (e instanceof Unsolved) return result(pinned, false);
        throw e;
    }
    const placed = placedFree + pinned;
    const full = placedFree === freeCores;
    if (!full) return result(placed, full);
    // levels 2–6: a level the time limit leaves without any solution ends the solve there (null from it on)
    const got: {
        spread?: number;
        singleRole?: number;
        missingRoles?: number;
        racks?: number;
        maxUtil?: number;
    } = {};
    try {
        rest(got);
    } catch (e) {
        if (e instanceof Unsolved) return result(placed, true, got);
        throw e;
    }
    return result(placed, true, got);
    function rest(out: typeof got): void {
        rows.push(`fix_placed: ${lin(placedTerms)} >= ${freeCores}`);
        // 2. spread
        const capR = d.roleN.map(n => Math.ceil(n / H));
        const spreadTerms: Terms = [];
        for (let h = 0; h < H; h++)
            for (let r = 0; r < 3; r++) {
                if (d.roleN[r] === 0) continue;
                const e = `e_${h}_${r}`;
                rows.push(
                    `spread_${h}_${r}: ${lin([...roleTerms(h, r), [-1, e]])} <= ${capR[r] - d.pinRole[h][r]}`
                );
                bounds.push(`${e} >= 0`);
                spreadTerms.push([1, e]);
            }
        const spread = spreadTerms.length ? Math.round(solve('spread', spreadTerms)) : 0;
        out.spread = spread;
        if (spreadTerms.length) rows.push(`fix_spread: ${lin(spreadTerms)} <= ${spread + 0.5}`);
        // 3–4. mix
        const roles = [0, 1, 2].filter(r => d.roleN[r] > 0);
        const nRoles = roles.length;
        const zTerms: Terms = [];
        for (let h = 0; h < H; h++)
            for (const r of roles) {
                const z = `z_${h}_${r}`;
                binary.push(z);
                rows.push(
                    `present_${h}_${r}: ${lin([[1, z], ...roleTerms(h, r).map(([c, v]) => [-c, v] as [number, string])])} <= ${d.pinRole[h][r]}`
                );
                zTerms.push([1, z]);
            }
        let single = 0;
        if (nRoles >= 2) {
            const singleTerms: Terms = [];
            for (let h = 0; h < H; h++) {
                binary.push(`u_${h}`);
                rows.push(
                    `single_${h}: ${lin([[2, `u_${h}`], ...zTerms.filter(([, v]) => v.startsWith(`z_${h}_`))])} >= 2`
                );
                singleTerms.push([1, `u_${h}`]);
            }
            single = Math.round(solve('singleRole', singleTerms));
            out.singleRole = single;
            rows.push(`fix_single: ${lin(singleTerms)} <= ${single + 0.5}`);
        }
        const present = Math.round(
            -solve(
                'missingRoles',
                zTerms.map(([c, v]) => [-c, v])
            )
        );
        const missing = H * nRoles - present;
        out.singleRole = single;
        out.missingRoles = missing;
        rows.push(`fix_missing: ${lin(zTerms)} >= ${present - 0.5}`);
        // 5. racks
        let racks = 0;
        if (d.nRacks > 0) {
            const rackCap = d.roleN.map(n => Math.ceil(n / d.nRacks));
            const rackTerms: Terms = [];
            for (let k = 0; k < d.nRacks; k++)
                for (const r of roles) {
                    const hs = [...Array(H).keys()].filter(h => d.rack[h] === k);
                    const pinnedHere = hs.reduce((a, h) => a + d.pinRole[h][r], 0);
                    const v = `g_${k}_${r}`;
                    rows.push(
                        `rack_${k}_${r}: ${lin([...hs.flatMap(h => roleTerms(h, r)), [-1, v]])} <= ${rackCap[r] - pinnedHere}`
                    );
                    bounds.push(`${v} >= 0`);
                    rackTerms.push([1, v]);
                }
            racks = Math.round(solve('racks', rackTerms));
            out.racks = racks;
            rows.push(`fix_racks: ${lin(rackTerms)} <= ${racks + 0.5}`);
        }
        // 6. busiest host
        for (let h = 0; h < H; h++) {
            if (d.hC[h] <= 0) continue;
            rows.push(
                `util_${h}: ${lin([...[...Array(S).keys()].map(s => [d.sC[s], y(s, h)] as [number, string]), [-d.hC[h], 'U']])} <= ${-d.pinC[h]}`
            );
        }
        bounds.push('U >= 0');
        out.racks = racks;
        out.maxUtil = solve('maxUtil', [[1, 'U']]);
    }
}

/** A level ended by the time limit without any solution. */
class Unsolved extends Error {}
