/**
 * The lock matched to a plan's instances and hosts by name, once per (plan, lock) pair (issue
 * 12, day 2). Planning from a lock asked the same name lookups in five places (the start, the
 * pins' preference, the migration's stops and rebuilds, the drift findings): on a
 * 10,000-instance plan those string lookups cost more than placing the plan without a lock.
 * Each of them now reads this index; it is kept per lock object for the last model it was
 * asked for (a lock and a model are read-only once built).
 *
 * Pure: no I/O.
 */
import type { Lock } from './lock.js';
import type { PlanModel } from './model.js';

/** A lock matched to a model's instances and hosts by name. */
export interface LockIndex {
    /** `model.hosts` by name (the last host of a name, as a `Map` built from them keeps it). */
    readonly hostIndex: ReadonlyMap<string, number>;
    /** Per instance of the model: the host name the lock gives it, `undefined` for a new one. */
    readonly lockedHost: readonly (string | undefined)[];
    /** Per instance: the index into `model.hosts` of its locked host; -1 when new or that host is gone. */
    readonly lockedOn: Int32Array;
    /**
     * Per entry of `lock.placement`, in lock order: the index of the instance of that name (the
     * last one when names repeat), -1 when the plan no longer deploys it.
     */
    readonly entryInstance: Int32Array;
    /** Instances of the lock that the plan no longer deploys, in lock order. */
    readonly removed: readonly string[];
    /** Hosts the lock names that the plan no longer has, in lock order, each once. */
    readonly goneHosts: readonly string[];
}

const memo = new WeakMap<Lock, { model: PlanModel; index: LockIndex }>();

/** The `LockIndex` of `model` and `lock` (computed once per pair, see the module comment). Never throws. */
export function lockIndex(model: PlanModel, lock: Lock): LockIndex {
    const hit = memo.get(lock);
    if (hit && hit.model === model) return hit.index;
    const index = buildLockIndex(model, lock);
    memo.set(lock, { model, index });
    return index;
}

function buildLockIndex(model: PlanModel, lock: Lock): LockIndex {
    const n = model.instances.length;
    const hostIndex = new Map<string, number>();
    for (let h = 0; h < model.hosts.length; h++) hostIndex.set(model.hosts[h].name, h);
    const instanceIndex = new Map<string, number>();
    for (let i = 0; i < n; i++) instanceIndex.set(model.instances[i].name, i);
    const unique = instanceIndex.size === n;
    // names unique: each lock entry names at most one instance, so one pass over the lock fills
    // every instance's host; else every instance asks the lock for its name
    const lockedHost: (string | undefined)[] = unique
        ? new Array<string | undefined>(n).fill(undefined)
        : model.instances.map(it => lock.placement.get(it.name));
    const lockedOn = new Int32Array(n).fill(-1);
    const entryInstance = new Int32Array(lock.placement.size);
    const removed: string[] = [];
    const goneHosts = new Set<string>();
    let e = 0;
    for (const [inst, host] of lock.placement) {
        const i = instanceIndex.get(inst);
        const h = hostIndex.get(host);
        if (h === undefined) goneHosts.add(host);
        if (i === undefined) {
            removed.push(inst);
            entryInstance[e] = -1;
        } else {
            entryInstance[e] = i;
            if (unique) {
                lockedHost[i] = host;
                lockedOn[i] = h ?? -1;
            }
        }
        e++;
    }
    if (!unique)
        for (let i = 0; i < n; i++) {
            const name = lockedHost[i];
            if (name !== undefined) lockedOn[i] = hostIndex.get(name) ?? -1;
        }
    return { hostIndex, lockedHost, lockedOn, entryInstance, removed, goneHosts: [...goneHosts] };
}
