/**
 * The repair of a nearly full placement by re-packing neighbourhoods of hosts
 * (src/planner/exact-repair.ts, issue 15): one instance placed by re-packing two hosts, idle
 * capacity gathered from many hosts onto one, nothing where no idle capacity suffices, and the
 * dealt plans of bench/adversarial.ts the pattern model left short, placed fully by it.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Highs } from 'highs';
import { countsOf, loadHighs } from '../../src/planner/exact.js';
import { solveByPatterns } from '../../src/planner/exact-patterns.js';
import { repairByNeighbourhoods, type RepairHost } from '../../src/planner/exact-repair.js';
import { adversarialModel, dealtPlan } from '../../bench/adversarial.js';
import { place, resolvePins } from '../../src/planner/placement.js';
import type { PlanModel } from '../../src/planner/model.js';
import type { PinnedPlan } from '../../src/planner/pins.js';
import { buildPlan } from './fixtures.js';

let highs: Highs;
beforeAll(async () => {
    highs = await loadHighs();
});

/** A plan of `deploy` instances of `shapes` on hosts of the given vCPUs and GiB. */
function plan(
    shapes: [name: string, cores: number, memoryGiB: number][],
    deploy: [count: number, shape: string][],
    hosts: [cores: number, memoryGiB: number][]
): PlanModel {
    return buildPlan({
        shapes: shapes.map(([name, cores, memoryGiB], k) => ({
            name,
            role: (['proxy', 'director', 'backend'] as const)[k % 3],
            cores,
            memoryGiB
        })),
        deploy,
        hosts: hosts.map(([cores, memoryGiB], k) => ({
            names: `h${k + 1}`,
            cores,
            memoryGiB,
            hypervisorCores: 0,
            hypervisorMemoryGiB: 0
        }))
    });
}

/** Every host of the plan, as the repair takes them. */
function hostsOf(model: PlanModel): RepairHost[] {
    return model.hosts.map((h, host) => ({
        host,
        cores: h.usableCores,
        memoryGiB: h.usableMemoryGiB
    }));
}

/** counts[s * H + h] from per-host lists of [shape name, count]. */
function countsFrom(pp: PinnedPlan, H: number, perHost: [string, number][][]): Int32Array {
    const counts = new Int32Array(pp.S * H);
    perHost.forEach((list, h) => {
        for (const [name, n] of list) counts[pp.shapeNames.indexOf(name) * H + h] = n;
    });
    return counts;
}

/** Per host, the counts of each shape in `pp.shapeNames` order. */
function perHost(pp: PinnedPlan, H: number, counts: Int32Array): number[][] {
    return Array.from({ length: H }, (_, h) =>
        Array.from({ length: pp.S }, (_, s) => counts[s * H + h])
    );
}

describe('repair by neighbourhoods', () => {
    it('places the v7 left out by re-packing both hosts exactly (22 vCPUs, 46 and 48 GiB)', () => {
        const model = plan(
            [
                ['v3', 3, 7],
                ['v5', 5, 11],
                ['v7', 7, 13]
            ],
            [
                [5, 'v3'],
                [3, 'v5'],
                [2, 'v7']
            ],
            [
                [22, 46],
                [22, 48]
            ]
        );
        const pp = resolvePins(model);
        // 18 vCPUs / 40 GiB and 19 / 41 placed: 4 + 3 vCPUs idle, one v7 (7 / 13) unplaced
        const start = countsFrom(pp, 2, [
            [
                ['v5', 3],
                ['v3', 1]
            ],
            [
                ['v3', 4],
                ['v7', 1]
            ]
        ]);
        const before = Int32Array.from(start);
        const r = repairByNeighbourhoods(hostsOf(model), pp, 2, start)!;
        // the only exact fills: 3 × v5 + v7 = 22 / 46, 5 × v3 + v7 = 22 / 48
        expect(pp.shapeNames).toEqual(['v3', 'v5', 'v7']);
        expect(perHost(pp, 2, r)).toEqual([
            [0, 3, 1],
            [5, 0, 1]
        ]);
        expect(start).toEqual(before);
    });

    it('gathers on one host the idle vCPU of each of 8 hosts for an 8-vCPU instance', () => {
        // 56 × 1 vCPU / 1 GiB, 7 on each 8-vCPU host: the 8-vCPU instance needs the idle capacity
        // of all 8 hosts, more than one neighbourhood's search takes
        const model = plan(
            [
                ['p1', 1, 1],
                ['b8', 8, 8]
            ],
            [
                [56, 'p1'],
                [1, 'b8']
            ],
            Array.from({ length: 8 }, () => [8, 8] as [number, number])
        );
        const pp = resolvePins(model);
        const start = countsFrom(
            pp,
            8,
            Array.from({ length: 8 }, () => [['p1', 7]] as [string, number][])
        );
        const r = repairByNeighbourhoods(hostsOf(model), pp, 8, start)!;
        expect(pp.shapeNames).toEqual(['b8', 'p1']);
        const rows = perHost(pp, 8, r);
        // one host runs the b8 alone, the other seven 8 × p1 each
        expect(rows.filter(([b, p]) => b === 1 && p === 0)).toHaveLength(1);
        expect(rows.filter(([b, p]) => b === 0 && p === 8)).toHaveLength(7);
        // seeded: the same answer every time
        expect(repairByNeighbourhoods(hostsOf(model), pp, 8, start)).toEqual(r);
    });

    it('places nothing where all idle capacity together is too little (9 vCPUs on 8 idle)', () => {
        const model = plan(
            [
                ['p1', 1, 1],
                ['b9', 9, 9]
            ],
            [
                [56, 'p1'],
                [1, 'b9']
            ],
            Array.from({ length: 8 }, () => [8, 8] as [number, number])
        );
        const pp = resolvePins(model);
        const start = countsFrom(
            pp,
            8,
            Array.from({ length: 8 }, () => [['p1', 7]] as [string, number][])
        );
        expect(repairByNeighbourhoods(hostsOf(model), pp, 8, start)).toBeUndefined();
        // no work, no repair
        const fits = plan(
            [
                ['p1', 1, 1],
                ['b8', 8, 8]
            ],
            [
                [56, 'p1'],
                [1, 'b8']
            ],
            Array.from({ length: 8 }, () => [8, 8] as [number, number])
        );
        expect(
            repairByNeighbourhoods(hostsOf(fits), resolvePins(fits), 8, start, 0)
        ).toBeUndefined();
    });

    it("dealt_4_200_slack1: the pattern model leaves 14 vCPUs unplaced; the repair of the heuristic's placement, or of the model's answer, places all 1,015, proved", () => {
        const model = adversarialModel(dealtPlan(4, 200, 1));
        const pp = resolvePins(model);
        // as place's fallback: the heuristic's placement seeds the columns
        const seed = countsOf(model, pp, place(model, { exactFallback: false }));
        const options = { maxNodes: 1000, seed };
        const without = solveByPatterns(highs, model, pp, {
            ...options,
            lp: { left: 5000 },
            repairWork: 0,
            firstRepairWork: 0
        })!;
        expect([without.placedFreeCores, without.proved]).toEqual([1001, false]);
        // the heuristic's placement is repaired before any MIP runs: no LP iteration used
        const lp = { left: 5000 };
        const r = solveByPatterns(highs, model, pp, { ...options, lp })!;
        expect([r.placedFreeCores, r.proved, lp.left]).toEqual([1015, true, 5000]);
        // without that first repair, the MIP's answer is repaired: the same 1,015
        const afterMip = solveByPatterns(highs, model, pp, {
            ...options,
            lp: { left: 5000 },
            firstRepairWork: 0
        })!;
        expect([afterMip.placedFreeCores, afterMip.proved]).toEqual([1015, true]);
        // every host within its vCPUs and GiB
        const H = model.hosts.length;
        model.hosts.forEach((host, h) => {
            let c = 0,
                m = 0;
            for (let s = 0; s < pp.S; s++) {
                c += r.counts[s * H + h] * pp.sC[s];
                m += r.counts[s * H + h] * pp.sM[s];
            }
            expect(c).toBeLessThanOrEqual(host.usableCores);
            expect(m).toBeLessThanOrEqual(host.usableMemoryGiB + 1e-6);
        });
    });
});
