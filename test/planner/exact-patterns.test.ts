/**
 * Rule 2 by packing patterns (src/planner/exact-patterns.ts), the exact fallback's first model:
 * the same optima as the aggregate model of `solveExactSync` on the fragmenting plans it exists
 * for, placements within every host's capacity and beside its pins, and the cases where it
 * declines so that the aggregate model runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Highs } from 'highs';
import { adversarialModel, dealtPlan, fragmentingPlan } from '../../bench/adversarial.js';
import { loadHighs, solveExactSync } from '../../src/planner/exact.js';
import { enableExactFallback } from '../../src/planner/exact-fallback.js';
import { solveByPatterns, type PatternSolve } from '../../src/planner/exact-patterns.js';
import { measure } from '../../src/planner/objective.js';
import {
    place,
    placementFromCounts,
    resolvePins,
    setPlacementFallback,
    type PinnedPlan
} from '../../src/planner/placement.js';
import type { PlanModel } from '../../src/planner/model.js';
import { buildPlan } from './fixtures.js';

let highs: Highs;
beforeAll(async () => {
    highs = await loadHighs();
});
afterAll(() => setPlacementFallback(undefined));

/** Every host within its usable vCPUs and GiB (pins included), every shape within its free count. */
function expectWithinCapacity(model: PlanModel, pp: PinnedPlan, r: PatternSolve): void {
    const H = model.hosts.length;
    for (let h = 0; h < H; h++) {
        let c = pp.pinC[h],
            m = pp.pinM[h],
            n = 0;
        for (let s = 0; s < pp.S; s++) {
            c += r.counts[s * H + h] * pp.sC[s];
            m += r.counts[s * H + h] * pp.sM[s];
            n += r.counts[s * H + h];
        }
        if (n > 0) {
            expect(c).toBeLessThanOrEqual(model.hosts[h].usableCores + 1e-9);
            expect(m).toBeLessThanOrEqual(model.hosts[h].usableMemoryGiB + 1e-6);
        }
    }
    for (let s = 0; s < pp.S; s++) {
        let n = 0;
        for (let h = 0; h < H; h++) n += r.counts[s * H + h];
        expect(n).toBeLessThanOrEqual(pp.free[s]);
    }
}

describe('rule 2 by packing patterns', () => {
    // the heuristic's vCPUs placed and the optimum (proved by both models) of bench/adversarial's
    // fragmenting plans
    const cases: [seed: number, instances: number, heuristic: number, optimum: number][] = [
        [3, 84, 337, 345],
        [4, 84, 364, 377],
        [2, 168, 729, 737]
    ];
    for (const [seed, instances, heuristicCores, optimum] of cases) {
        it(`frag_${seed}_${instances}: ${optimum} vCPUs proved (the heuristic ${heuristicCores}), the aggregate model's optimum and role shortfalls`, () => {
            const model = adversarialModel(fragmentingPlan(seed, instances));
            const pp = resolvePins(model);
            const heuristic = place(model, { exactFallback: false });
            expect(measure(model, heuristic).placedCores).toBe(heuristicCores);
            const r = solveByPatterns(highs, model, pp, { maxNodes: 1000 })!;
            expect(r).toBeDefined();
            expect(r.stopped).toBe(false);
            expect(r.proved).toBe(true);
            expect(r.placedFreeCores).toBe(optimum);
            expectWithinCapacity(model, pp, r);
            const H = model.hosts.length;
            const byPatterns = measure(
                model,
                placementFromCounts(model, pp, (s, h) => r.counts[s * H + h])
            );
            expect(byPatterns.placedCores).toBe(optimum);
            const aggregate = solveExactSync(highs, model, {
                maxNodes: 1000,
                lastLevel: 'minRoleShort',
                start: heuristic
            });
            expect(aggregate.levels.map(l => [l.level, l.value, l.bound])).toEqual([
                ['placedCores', optimum, optimum],
                [
                    'maxRoleShort',
                    Math.max(...byPatterns.roleShort),
                    Math.max(...byPatterns.roleShort)
                ],
                [
                    'minRoleShort',
                    Math.min(...byPatterns.roleShort),
                    Math.min(...byPatterns.roleShort)
                ]
            ]);
        });
    }

    it('places beside pins and leaves hosts whose pins overcommit them empty', () => {
        const model = buildPlan({
            shapes: [
                { name: 'p3', role: 'proxy', cores: 3, memoryGiB: 13 },
                { name: 'b5', role: 'backend', cores: 5, memoryGiB: 23 }
            ],
            deploy: [
                [6, 'p3'],
                [5, 'b5']
            ],
            hosts: [
                { names: 'over', cores: 4, memoryGiB: 64, runs: [[2, 'p3']] },
                { names: ['a', 'b'], cores: 13, memoryGiB: 50 },
                { names: 'c', cores: 13, memoryGiB: 50, runs: [[1, 'b5']] }
            ]
        });
        const pp = resolvePins(model);
        expect(pp.overcommitted.map(o => o.host)).toEqual([0]);
        const r = solveByPatterns(highs, model, pp, { maxNodes: 1000 })!;
        expect(r.proved).toBe(true);
        expectWithinCapacity(model, pp, r);
        // nothing more on the overcommitted host. Free: 4 × p3, 4 × b5 (32 vCPUs). a and b take
        // at most 11 vCPUs each (b5 + 2 × p3: 49 of 50 GiB; 2 × b5 is 10), c 6 beside its pin
        // (2 × p3: 26 of 27 GiB) or 5 (b5); the p3s are only four: 11 + 10 + 6 = 27
        const H = model.hosts.length;
        for (let s = 0; s < pp.S; s++) expect(r.counts[s * H + 0]).toBe(0);
        expect(r.placedFreeCores).toBe(
            solveExactSync(highs, model, { maxNodes: 1000, lastLevel: 'placedCores' }).placedCores -
                pp.pinC.reduce((a, b) => a + b, 0)
        );
        expect(r.placedFreeCores).toBe(27);
    });

    it('declines when the patterns pass the limit, and on fractional vCPUs', () => {
        const model = adversarialModel(fragmentingPlan(3, 84));
        expect(
            solveByPatterns(highs, model, resolvePins(model), { maxNodes: 1000, maxPatterns: 3 })
        ).toBeUndefined();
        const half = buildPlan({
            shapes: [{ name: 'p', role: 'proxy', cores: 0.5, memoryGiB: 1 }],
            deploy: [[3, 'p']],
            hosts: [{ names: 'a', cores: 1, memoryGiB: 8 }]
        });
        expect(solveByPatterns(highs, half, resolvePins(half), { maxNodes: 1000 })).toBeUndefined();
    });

    it('stops when asked, with no answer to keep', () => {
        const model = adversarialModel(fragmentingPlan(4, 84));
        const r = solveByPatterns(highs, model, resolvePins(model), {
            maxNodes: 1000,
            stopWhen: () => true
        })!;
        expect(r.stopped).toBe(true);
        expect(r.proved).toBe(false);
    });

    it("is place's fallback: frag_3_84 on hosts 3× as large, 370 vCPUs → 375 proved, every host within capacity", async () => {
        expect(await enableExactFallback()).toBe(true);
        const model = adversarialModel(fragmentingPlan(3, 84, 3));
        const pp = resolvePins(model);
        expect(measure(model, place(model, { exactFallback: false })).placedCores).toBe(370);
        // 692 patterns: the pattern model, not the aggregate one, answers
        expect(solveByPatterns(highs, model, pp, { maxNodes: 1000 })?.patterns).toBe(692);
        const p = place(model);
        expect(measure(model, p).placedCores).toBe(375);
        expect(p.placedCoresBound).toBe(375);
        for (let h = 0; h < model.hosts.length; h++) {
            const on = p.byHost[h] ?? [];
            expect(on.reduce((a, i) => a + model.instances[i].cores, 0)).toBeLessThanOrEqual(
                model.hosts[h].usableCores
            );
            expect(on.reduce((a, i) => a + model.instances[i].memoryGiB, 0)).toBeLessThanOrEqual(
                model.hosts[h].usableMemoryGiB + 1e-6
            );
        }
    });

    it('column generation from a seed, where patterns are not listed, reaches the listed optimum: frag_3_84 345 proved', () => {
        const model = adversarialModel(fragmentingPlan(3, 84));
        const pp = resolvePins(model);
        const H = model.hosts.length;
        const heuristic = place(model, { exactFallback: false });
        const seed = new Int32Array(pp.S * H);
        const id = new Map(pp.shapeNames.map((s, k) => [s, k]));
        for (let h = 0; h < H; h++)
            for (const i of heuristic.byHost[h] ?? [])
                seed[id.get(model.instances[i].shape)! * H + h]++;
        const r = solveByPatterns(highs, model, pp, { maxNodes: 1000, maxPatterns: 1, seed })!;
        expect(r.proved).toBe(true);
        expect(r.placedFreeCores).toBe(345);
        expectWithinCapacity(model, pp, r);
    });

    it('over 200 instances: 210 pieces of 3, 5 and 7 vCPUs that fill 42 hosts exactly are all placed', async () => {
        expect(await enableExactFallback()).toBe(true);
        // 21 hosts of 7 + 7 + 5 + 3 and 21 of 5 + 5 + 3 + 3 + 3 + 3 vCPUs: 22 each, all used
        const model = buildPlan({
            shapes: [
                { name: 'v3', role: 'backend', cores: 3, memoryGiB: 7 },
                { name: 'v5', role: 'backend', cores: 5, memoryGiB: 11 },
                { name: 'v7', role: 'backend', cores: 7, memoryGiB: 13 }
            ],
            deploy: [
                [105, 'v3'],
                [63, 'v5'],
                [42, 'v7']
            ],
            hosts: [
                {
                    names: Array.from({ length: 42 }, (_, k) => `h${k + 1}`),
                    cores: 24,
                    memoryGiB: 512,
                    hypervisorCores: 2,
                    hypervisorMemoryGiB: 16
                }
            ]
        });
        expect(measure(model, place(model, { exactFallback: false })).placedCores).toBeLessThan(
            924
        );
        const p = place(model);
        expect(p.unplaced).toEqual([]);
        expect(measure(model, p).placedCores).toBe(924);
    });

    it('dealt_2_80_slack1, whose root took seconds with HiGHS presolve: all 765 vCPUs placed, proved', async () => {
        expect(await enableExactFallback()).toBe(true);
        const model = adversarialModel(dealtPlan(2, 80, 1));
        expect(measure(model, place(model, { exactFallback: false })).placedCores).toBe(741);
        const p = place(model);
        expect(p.unplaced).toEqual([]);
        expect(measure(model, p).placedCores).toBe(765);
        expect(p.placedCoresBound).toBe(765);
    });

    it('an LP-iteration budget cuts the solve but keeps its incumbent: not stopped, the same twice', () => {
        const model = adversarialModel(dealtPlan(3, 200, 1));
        const pp = resolvePins(model);
        const seed = seedOf(model, pp, place(model, { exactFallback: false }));
        const heuristicFree = freeOf(pp, seed);
        const solve = () => {
            const lp = { left: 300 };
            // without the repairs of the seed and of its answer (exact-repair.test.ts), which
            // place all
            const r = solveByPatterns(highs, model, pp, {
                maxNodes: 1000,
                seed,
                lp,
                repairWork: 0,
                firstRepairWork: 0
            })!;
            return { r, left: lp.left };
        };
        const a = solve(),
            b = solve();
        expect(a.r.stopped).toBe(false);
        expect(a.r.proved).toBe(false);
        expect(a.left).toBeLessThanOrEqual(0);
        expect(a.r.placedFreeCores).toBeGreaterThanOrEqual(heuristicFree);
        expectWithinCapacity(model, pp, a.r);
        expect(b.r.placedFreeCores).toBe(a.r.placedFreeCores);
        expect([...b.r.counts]).toEqual([...a.r.counts]);
        expect(b.left).toBe(a.left);
    });

    it("place's fallback on dealt_3_200_slack1: the heuristic's placement repaired before any MIP: all 1,604 vCPUs placed, the same answer twice", async () => {
        expect(await enableExactFallback()).toBe(true);
        const model = adversarialModel(dealtPlan(3, 200, 1));
        const heuristic = measure(model, place(model, { exactFallback: false })).placedCores;
        const first = place(model);
        // a fallback installed anew has an empty cache of answers: the plan is solved again
        expect(await enableExactFallback()).toBe(true);
        const again = place(model);
        expect(heuristic).toBe(1553);
        // the repair by neighbourhoods places the other 51 (the generated columns' MIP, cut at
        // its LP budget, had placed 33 of them)
        expect(measure(model, first).placedCores).toBe(1604);
        expect(first.unplaced).toEqual([]);
        expect(first.placedCoresBound).toBe(1604);
        expect(again.hostOf).toEqual(first.hostOf);
    });
});

/** Free instances per (shape, host) of a placement: the seed of column generation. */
function seedOf(model: PlanModel, pp: PinnedPlan, p: ReturnType<typeof place>): Int32Array {
    const H = model.hosts.length;
    const seed = new Int32Array(pp.S * H);
    const id = new Map(pp.shapeNames.map((s, k) => [s, k]));
    for (let h = 0; h < H; h++)
        for (const i of p.byHost[h] ?? []) seed[id.get(model.instances[i].shape)! * H + h]++;
    return seed;
}

/** vCPUs of the free instances in a seed. */
function freeOf(pp: PinnedPlan, seed: Int32Array): number {
    const H = seed.length / pp.S;
    let c = 0;
    for (let s = 0; s < pp.S; s++) for (let h = 0; h < H; h++) c += seed[s * H + h] * pp.sC[s];
    return c;
}
