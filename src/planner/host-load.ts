/**
 * The per-host load of a placement under construction (day 2, issue 12): vCPUs, GiB and
 * instances per role, with room checks against a model's usable capacity. Pure.
 */
import { ROLE_INDEX, type PlanModel } from './model.js';
import { EPS } from './objective.js';

/**
 * Mutable per-host load (vCPUs, GiB) and role counts of a placement being planned from a lock,
 * shared by the phases of `planPlacement` (incremental.ts) and `rebalance`.
 */
export class Load {
    readonly c: Float64Array;
    readonly m: Float64Array;
    /** roles[h * 3 + r]: instances of role r on host h. */
    readonly roles: Int32Array;
    constructor(readonly model: PlanModel) {
        const H = model.hosts.length;
        this.c = new Float64Array(H);
        this.m = new Float64Array(H);
        this.roles = new Int32Array(H * 3);
    }
    add(i: number, h: number, sign = 1): void {
        const it = this.model.instances[i];
        this.c[h] += sign * it.cores;
        this.m[h] += sign * it.memoryGiB;
        this.roles[h * 3 + ROLE_INDEX[it.role]] += sign;
    }
    fits(i: number, h: number, cap: PlanModel): boolean {
        const it = this.model.instances[i],
            host = cap.hosts[h];
        return (
            this.c[h] + it.cores <= host.usableCores + EPS &&
            this.m[h] + it.memoryGiB <= host.usableMemoryGiB + EPS
        );
    }
}

/**
 * Per host, 1 where what the lock keeps there is more than the host's usable vCPUs or GiB in
 * `cap` (hosts that shrank, pins that take the room): the `runs` pins (`pinned[h]`) and the
 * instances that may stay (`stayHost`, not a resized one). Something leaves such a host; its
 * moves say `overcommitted` whichever piece the planner moves (the heuristic and the exact mode
 * alike). Pure.
 */
export function overLockedHosts(
    model: PlanModel,
    cap: PlanModel,
    stayHost: Int32Array,
    resized: (i: number) => boolean,
    pinned: readonly (readonly number[])[]
): Uint8Array {
    const load = new Load(model);
    pinned.forEach((list, h) => list.forEach(i => load.add(i, h)));
    stayHost.forEach((h, i) => {
        if (h >= 0 && !resized(i)) load.add(i, h);
    });
    return Uint8Array.from(cap.hosts, (h, k) =>
        load.c[k] > h.usableCores + EPS || load.m[k] > h.usableMemoryGiB + EPS ? 1 : 0
    );
}
