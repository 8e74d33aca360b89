/**
 * What each host carries in a placement being searched (day 2, issue 12): used vCPUs and memory,
 * instances per role, and the unpinned instances on it (the ones a search may move). One tracker
 * for the local searches of fewer-moves.ts and move-search.ts and for the exact mode's
 * `roleOnOneHost` level (exact.ts), so that they count alike.
 *
 * Pure: no I/O.
 */
import type { PlanModel } from './model.js';
import { ROLE_INDEX } from './model.js';
import { EPS } from './objective.js';

/** Per-host loads of a placement, changed one instance at a time by `add`. */
export class HostLoads {
    /** vCPUs used per host. */
    readonly cores: Float64Array;
    /** Memory used per host (GiB). */
    readonly memoryGiB: Float64Array;
    /** Instances per (host, role): index `h * 3 + ROLE_INDEX[role]`. */
    readonly roles: Int32Array;
    /** The unpinned instances on each host (pins are counted in the loads, never moved). */
    readonly movable: Set<number>[];
    /** vCPUs placed on all hosts, pins included. */
    placedCores = 0;

    /**
     * Empty loads for the hosts of `model`. `cap` gives each host's room (`usableCores`,
     * `usableMemoryGiB`; the model with drained hosts emptied, same hosts in the same order);
     * `isPinned[i]` (1: instance i is a pin) keeps pins out of `movable`; absent, none is.
     */
    constructor(
        private readonly model: PlanModel,
        private readonly cap: PlanModel = model,
        private readonly isPinned?: Uint8Array
    ) {
        const H = model.hosts.length;
        this.cores = new Float64Array(H);
        this.memoryGiB = new Float64Array(H);
        this.roles = new Int32Array(H * 3);
        this.movable = Array.from({ length: H }, () => new Set<number>());
    }

    /** Loads of the placement `hostOf` (host per instance, -1 unplaced); see the constructor. */
    static of(
        model: PlanModel,
        hostOf: readonly number[],
        cap: PlanModel = model,
        isPinned?: Uint8Array
    ): HostLoads {
        const loads = new HostLoads(model, cap, isPinned);
        for (let i = 0; i < hostOf.length; i++) loads.add(i, hostOf[i], 1);
        return loads;
    }

    /** Counts instance `i` on host `h` (sign 1) or takes it off (-1); `h` < 0 (unplaced) does nothing. */
    add(i: number, h: number, sign: 1 | -1): void {
        if (h < 0) return;
        const it = this.model.instances[i];
        this.placedCores += sign * it.cores;
        this.cores[h] += sign * it.cores;
        this.memoryGiB[h] += sign * it.memoryGiB;
        this.roles[h * 3 + ROLE_INDEX[it.role]] += sign;
        if (this.isPinned?.[i]) return;
        if (sign > 0) this.movable[h].add(i);
        else this.movable[h].delete(i);
    }

    /** Whether instance `i` (not on `h`) fits on host `h` without going over its usable vCPUs or memory. */
    fits(i: number, h: number): boolean {
        const it = this.model.instances[i];
        return (
            this.cores[h] + it.cores <= this.cap.hosts[h].usableCores + EPS &&
            this.memoryGiB[h] + it.memoryGiB <= this.cap.hosts[h].usableMemoryGiB + EPS
        );
    }

    /** Whether instance `i` fits on host `h` once instance `j` (on `h`) leaves it: a swap. */
    fitsInstead(i: number, j: number, h: number): boolean {
        const a = this.model.instances[i],
            b = this.model.instances[j];
        return (
            this.cores[h] - b.cores + a.cores <= this.cap.hosts[h].usableCores + EPS &&
            this.memoryGiB[h] - b.memoryGiB + a.memoryGiB <= this.cap.hosts[h].usableMemoryGiB + EPS
        );
    }

    /** vCPUs host `h` has left (its usable vCPUs less those used; negative when overcommitted). */
    freeCores(h: number): number {
        return this.cap.hosts[h].usableCores - this.cores[h];
    }

    /** Memory host `h` has left (GiB; negative when overcommitted). */
    freeMemoryGiB(h: number): number {
        return this.cap.hosts[h].usableMemoryGiB - this.memoryGiB[h];
    }

    /** Per role index (proxy 0, director 1, backend 2): two or more placed, all on one host. */
    gatheredRoles(): boolean[] {
        const H = this.model.hosts.length;
        const out = [false, false, false];
        for (let r = 0; r < 3; r++) {
            let hosts = 0,
                placed = 0;
            for (let h = 0; h < H; h++) {
                const x = this.roles[h * 3 + r];
                if (x > 0) hosts++;
                placed += x;
            }
            out[r] = placed >= 2 && hosts === 1;
        }
        return out;
    }

    /** Roles with two or more placed instances, all on one host (the day 2 rule 3). */
    onOneHost(): number {
        return this.gatheredRoles().filter(Boolean).length;
    }
}
