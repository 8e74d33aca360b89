/**
 * The spec's objective levels of a placement, measured here from the spec's own words
 * (docs/dcplan-language.md, "Placement") rather than with src/planner/exact.ts's `measure`, so a
 * bug shared by the planner and its exact mode does not hide: placed vCPUs, spread excess over
 * ⌈n/H⌉, hosts with fewer than two roles (an empty host counts), missing (host, role) pairs, rack
 * excess over ⌈n/racks⌉, and the busiest host's used / usable vCPUs.
 */
import type { PlacementResult } from '../../src/planner/placement.js';
import type { PlanModel, Role } from '../../src/planner/model.js';
import type { PlanReport } from '../../src/planner/report.js';

/** The objective vector of a placement, in the spec's order. */
export interface Objective {
    readonly placedCores: number;
    readonly spread: number;
    readonly singleRole: number;
    readonly missingRoles: number;
    readonly racks: number;
    /** 0–1 fraction. */
    readonly maxUtil: number;
}

const ROLE_INDEX: Record<Role, number> = { proxy: 0, director: 1, backend: 2 };

/** Measures hosts given as the instances each runs (instance indices into `model.instances`). */
export function objectiveOf(model: PlanModel, byHost: readonly (readonly number[])[]): Objective {
    const H = model.hosts.length;
    const roleN = [0, 0, 0];
    for (const i of model.instances) roleN[ROLE_INDEX[i.role]]++;
    const roles = [0, 1, 2].filter(r => roleN[r] > 0);
    const cap = roleN.map(n => Math.ceil(n / Math.max(1, H)));
    const rackIds = new Map<string, number>();
    for (const h of model.hosts)
        if (h.rack !== undefined && !rackIds.has(h.rack)) rackIds.set(h.rack, rackIds.size);
    const nRacks = rackIds.size >= 2 ? rackIds.size : 0;
    const rackCount = Array.from({ length: nRacks }, () => [0, 0, 0]);
    let placed = 0,
        spread = 0,
        single = 0,
        missing = 0,
        maxUtil = 0;
    for (let h = 0; h < H; h++) {
        const c = [0, 0, 0];
        let used = 0;
        for (const i of byHost[h] ?? []) {
            const it = model.instances[i];
            c[ROLE_INDEX[it.role]]++;
            used += it.cores;
        }
        placed += used;
        for (const r of roles) spread += Math.max(0, c[r] - cap[r]);
        const distinct = roles.filter(r => c[r] > 0).length;
        if (roles.length >= 2 && distinct < 2) single++;
        missing += roles.length - distinct;
        const rk = model.hosts[h].rack;
        if (nRacks && rk !== undefined)
            for (const r of roles) rackCount[rackIds.get(rk)!][r] += c[r];
        const u = model.hosts[h].usableCores > 0 ? used / model.hosts[h].usableCores : 0;
        maxUtil = Math.max(maxUtil, u);
    }
    let racks = 0;
    for (const rc of rackCount)
        for (const r of roles) racks += Math.max(0, rc[r] - Math.ceil(roleN[r] / nRacks));
    return {
        placedCores: placed,
        spread,
        singleRole: single,
        missingRoles: missing,
        racks,
        maxUtil
    };
}

/** The objective of `place`'s result. */
export function objectiveOfPlacement(model: PlanModel, p: PlacementResult): Objective {
    return objectiveOf(model, p.byHost);
}

/** The objective of what the CLI reports (`dcplan check --format json`: hosts and their instances by name). */
export function objectiveOfReport(model: PlanModel, report: PlanReport): Objective {
    const byName = new Map(model.instances.map((i, k) => [i.name, k]));
    const hostIdx = new Map(model.hosts.map((h, k) => [h.name, k]));
    const byHost: number[][] = model.hosts.map(() => []);
    for (const h of report.hosts) {
        const k = hostIdx.get(h.name);
        if (k === undefined) continue;
        for (const n of h.instances) {
            const i = byName.get(n);
            if (i !== undefined) byHost[k].push(i);
        }
    }
    return objectiveOf(model, byHost);
}

/** Equal objective value (utilisation compared to 1e-9). */
export function sameObjective(a: Objective, b: Objective): boolean {
    return (
        a.placedCores === b.placedCores &&
        a.spread === b.spread &&
        a.singleRole === b.singleRole &&
        a.missingRoles === b.missingRoles &&
        a.racks === b.racks &&
        Math.abs(a.maxUtil - b.maxUtil) < 1e-9
    );
}
