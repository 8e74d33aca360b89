/**
 * `rebalance_moves = N` (issue 12, day 2): once a placement planned from a lock makes only the
 * moves it must, up to N further moves of instances still on their locked host are spent on
 * spread, mix and balance, best first. Pure.
 */
import { rackIndices, ROLE_INDEX, type PlanModel } from './model.js';
import { lexLess } from './objective.js';
import { Load } from './host-load.js';

/**
 * Spends up to `budget` moves of instances still on their locked host on spread, mix, racks and
 * balance, best first: each round takes the single move that lowers (spread excess, hosts
 * with one role, roles missing from hosts, rack excess, sum of the hosts' squared core use) the
 * most — the objective's order (objective.ts) — and stops when none does. Returns the instances
 * it moved. Pins are never chosen.
 */
export function rebalance(
    model: PlanModel,
    cap: PlanModel,
    hostOf: number[],
    isPinned: Uint8Array,
    lockedHost: readonly (string | undefined)[],
    hostIndex: ReadonlyMap<string, number>,
    open: readonly boolean[],
    budget: number
): Set<number> {
    const moved = new Set<number>();
    if (budget <= 0) return moved;
    const H = model.hosts.length;
    const load = new Load(model);
    for (let i = 0; i < hostOf.length; i++) if (hostOf[i] >= 0) load.add(i, hostOf[i]);
    const roleN = [0, 0, 0];
    for (let i = 0; i < hostOf.length; i++)
        if (hostOf[i] >= 0) roleN[ROLE_INDEX[model.instances[i].role]]++;
    const openCount = Math.max(1, open.filter(Boolean).length);
    // roles the plan deploys: with two or more, a host with at most one counts as single-role,
    // an empty one too (the objective's rule 4, objective.ts): else a move onto an empty host
    // (a host just added) made a single-role host of it and never looked better
    const R = roleN.filter(n => n > 0).length;
    // racks as the objective counts them (2 or more): each role's excess over its even share
    const { count: nRacks, ofHost: rackIndex } = rackIndices(model);
    const perRack = new Array<number>(3 * Math.max(1, nRacks));
    // balance as the sum of squared core use: any move from a fuller host to an emptier one lowers it
    const quality = (): number[] => {
        let spread = 0,
            single = 0,
            missing = 0,
            squares = 0;
        perRack.fill(0);
        for (let h = 0; h < H; h++) {
            let rolesOn = 0;
            for (let r = 0; r < 3; r++) {
                const k = load.roles[h * 3 + r];
                spread += Math.max(0, k - Math.ceil(roleN[r] / openCount));
                if (k > 0) rolesOn++;
                if (rackIndex[h] >= 0) perRack[3 * rackIndex[h] + r] += k;
            }
            if (R >= 2 && rolesOn <= 1) single++;
            missing += R - rolesOn;
            const u = cap.hosts[h].usableCores;
            if (u > 0) squares += (load.c[h] / u) ** 2;
        }
        let racks = 0;
        for (let k = 0; k < nRacks; k++)
            for (let r = 0; r < 3; r++)
                racks += Math.max(0, perRack[3 * k + r] - Math.ceil(roleN[r] / nRacks));
        return [spread, single, missing, racks, squares];
    };
    for (let round = 0; round < budget; round++) {
        let best: [number, number] | undefined,
            bestQ = quality();
        for (let i = 0; i < hostOf.length; i++) {
            const h = hostOf[i];
            if (h < 0 || isPinned[i] || moved.has(i) || hostIndex.get(lockedHost[i] ?? '') !== h)
                continue;
            for (let t = 0; t < H; t++) {
                if (t === h || !open[t] || !load.fits(i, t, cap)) continue;
                load.add(i, h, -1);
                load.add(i, t);
                const q = quality();
                load.add(i, t, -1);
                load.add(i, h);
                if (lexLess(q, bestQ)) {
                    best = [i, t];
                    bestQ = q;
                }
            }
        }
        if (!best) break;
        const [i, t] = best;
        load.add(i, hostOf[i], -1);
        load.add(i, t);
        hostOf[i] = t;
        moved.add(i);
    }
    return moved;
}
