/**
 * Which instances the `runs` pins take when a lock says what runs now (issue 12, day 2): a pin
 * that writes down what a host already runs must bind those very instances, or it makes
 * needless swaps (a pin of 3 × backend on hv02 took backend-1..3 from hv01 and sent three of
 * hv02's own backends the other way). `planPlacement` (heuristic) and the exact mode both
 * resolve the pins with the preference built here (through `lockedStart`), so they agree on
 * which instances are pinned and count moves alike. Pure.
 */
import type { Lock } from './lock.js';
import { lockIndex } from './lock-index.js';
import type { PlanModel } from './model.js';
import { EPS } from './objective.js';
import type { PinPreference } from './placement-types.js';

/**
 * The `PinPreference` of `model` under `lock`: per instance, the host the lock has it on (-1 when
 * it is new or its host is gone from the plan), and whether pinning it elsewhere costs no move of
 * its own: new, host gone, host drained (`drain = true`), or host overcommitted by the instances
 * the lock has on it at their sizes in the plan (vCPUs or GiB above the host's usable). Never
 * throws.
 */
export function pinPreferenceOf(model: PlanModel, lock: Lock): PinPreference {
    const n = model.instances.length,
        H = model.hosts.length;
    const { lockedOn } = lockIndex(model, lock);
    const cores = new Float64Array(H),
        memory = new Float64Array(H);
    for (let i = 0; i < n; i++) {
        const h = lockedOn[i];
        if (h < 0) continue;
        const it = model.instances[i];
        cores[h] += it.cores;
        memory[h] += it.memoryGiB;
    }
    const leaving = model.hosts.map(
        (host, h) =>
            host.drain === true ||
            cores[h] > host.usableCores + EPS ||
            memory[h] > host.usableMemoryGiB + EPS
    );
    const costless = new Uint8Array(n);
    for (let i = 0; i < n; i++) costless[i] = lockedOn[i] < 0 || leaving[lockedOn[i]] ? 1 : 0;
    return { lockedOn, costless };
}
