/**
 * Plans that fit only just (src/planner/exact-waste.ts, issue 15): the packings of bounded
 * waste, the bin-completion search for a full placement, and the plans of an independent
 * generator (test/fixtures/dealt/: VMs dealt onto hosts sized to what each was dealt) on which
 * dcplan once said "does not fit" — all placed now, by either path, and proved.
 */
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Highs } from 'highs';
import { checkFiles, nodeServices } from '../../language-server/check.js';
import { loadHighs } from '../../src/planner/exact.js';
import { enableExactFallback } from '../../src/planner/exact-fallback.js';
import { solveByPatterns } from '../../src/planner/exact-patterns.js';
import {
    boundedWastePatterns,
    EXACT_FILL_WASTE_LIMITS,
    searchFullPlacement,
    WASTE_LIMITS
} from '../../src/planner/exact-waste.js';
import { adversarialModel, dealtPlan } from '../../bench/adversarial.js';
import { measure } from '../../src/planner/objective.js';
import { place, resolvePins, setPlacementFallback } from '../../src/planner/placement.js';
import type { PlanModel } from '../../src/planner/model.js';
import { buildPlan } from './fixtures.js';

let highs: Highs;
beforeAll(async () => {
    highs = await loadHighs();
});
afterAll(() => setPlacementFallback(undefined));

/** 5 × 3 vCPUs / 7 GiB, 3 × 5 / 11, 2 × 7 / 13: 44 vCPUs, 94 GiB. */
function threeShapes(hosts: [cores: number, memoryGiB: number][]): PlanModel {
    return buildPlan({
        shapes: [
            { name: 'v3', role: 'proxy', cores: 3, memoryGiB: 7 },
            { name: 'v5', role: 'director', cores: 5, memoryGiB: 11 },
            { name: 'v7', role: 'backend', cores: 7, memoryGiB: 13 }
        ],
        deploy: [
            [5, 'v3'],
            [3, 'v5'],
            [2, 'v7']
        ],
        hosts: hosts.map(([cores, memoryGiB], k) => ({
            names: `h${k + 1}`,
            cores,
            memoryGiB,
            hypervisorCores: 0,
            hypervisorMemoryGiB: 0
        }))
    });
}

describe('packings of bounded waste', () => {
    it('lists every packing within the idle bounds, and no other: 22 vCPUs, 46–48 GiB', () => {
        const model = threeShapes([[44, 100]]);
        const pp = resolvePins(model);
        const id = (name: string) => pp.shapeNames.indexOf(name);
        // 3a + 5b + 7c = 22: (4,2,0) 50 GiB, (5,0,1) 48, (0,3,1) 46, (1,1,2) 44; within 48 GiB and
        // at most 2 idle, two remain
        const r = boundedWastePatterns([{ cores: 22, memoryGiB: 48 }], pp, 0, 2);
        expect(r).toEqual([
            [
                [
                    [id('v5'), 3],
                    [id('v7'), 1]
                ],
                [
                    [id('v3'), 5],
                    [id('v7'), 1]
                ]
            ]
        ]);
        // one idle vCPU more: of the 21-vCPU packings, (2,3,0) holds 47 GiB ((3,1,1) 45 does not
        // reach 46); (7,0,0) would need 7 of the 5 v3
        expect(boundedWastePatterns([{ cores: 22, memoryGiB: 48 }], pp, 1, 2)).toEqual([
            [
                [
                    [id('v5'), 3],
                    [id('v7'), 1]
                ],
                [
                    [id('v3'), 5],
                    [id('v7'), 1]
                ],
                [
                    [id('v3'), 2],
                    [id('v5'), 3]
                ]
            ]
        ]);
        // past its limits it declines
        expect(
            boundedWastePatterns([{ cores: 22, memoryGiB: 48 }], pp, 1, 2, {
                patterns: 2,
                work: 1e6
            })
        ).toBeUndefined();
    });
});

describe('bin completion for a full placement', () => {
    it('fills two hosts of 22 vCPUs exactly, 46 and 48 GiB', () => {
        const model = threeShapes([
            [22, 46],
            [22, 48]
        ]);
        const pp = resolvePins(model);
        const r = searchFullPlacement(
            model.hosts.map(h => ({ cores: h.usableCores, memoryGiB: h.usableMemoryGiB })),
            pp,
            0,
            0,
            1e6
        );
        expect(r.kind).toBe('found');
        const counts = r.kind === 'found' ? r.counts : new Int32Array(0);
        const on = (shape: string, host: number) => counts[pp.shapeNames.indexOf(shape) * 2 + host];
        expect([on('v3', 0), on('v5', 0), on('v7', 0)]).toEqual([0, 3, 1]);
        expect([on('v3', 1), on('v5', 1), on('v7', 1)]).toEqual([5, 0, 1]);
    });

    it('proves there is none where no host can be filled within the idle bounds, and stops on its work', () => {
        // 47 GiB each: no packing of 22 vCPUs holds exactly 47
        const model = threeShapes([
            [22, 47],
            [22, 47]
        ]);
        const pp = resolvePins(model);
        const hosts = model.hosts.map(h => ({
            cores: h.usableCores,
            memoryGiB: h.usableMemoryGiB
        }));
        expect(searchFullPlacement(hosts, pp, 0, 0, 1e6).kind).toBe('none');
        expect(searchFullPlacement(hosts, pp, 0, 0, 0).kind).toBe('stopped');
    });

    it('999 hosts each sized to one instance: found without running out of stack', () => {
        // one search level per host: an earlier recursive search overflowed the stack here
        const shapes = [
            { name: 'p', role: 'proxy' as const, cores: 1, memoryGiB: 3 },
            { name: 'd', role: 'director' as const, cores: 2, memoryGiB: 5 },
            { name: 'b', role: 'backend' as const, cores: 3, memoryGiB: 7 }
        ];
        const model = buildPlan({
            shapes,
            deploy: [
                [333, 'p'],
                [333, 'd'],
                [333, 'b']
            ],
            hosts: Array.from({ length: 999 }, (_, h) => ({
                names: `h${h + 1}`,
                cores: shapes[h % 3].cores,
                memoryGiB: shapes[h % 3].memoryGiB,
                hypervisorCores: 0,
                hypervisorMemoryGiB: 0
            }))
        });
        const pp = resolvePins(model);
        const hosts = model.hosts.map(h => ({
            cores: h.usableCores,
            memoryGiB: h.usableMemoryGiB
        }));
        const r = searchFullPlacement(hosts, pp, 0, 0, 1e7);
        expect(r.kind).toBe('found');
        const counts = r.kind === 'found' ? r.counts : new Int32Array(0);
        // every host holds exactly the one instance of its size
        for (let h = 0; h < 999; h++)
            expect(counts[pp.shapeNames.indexOf(shapes[h % 3].name) * 999 + h]).toBe(1);
    });
});

describe('plans dealt onto hosts sized to what they were dealt (test/fixtures/dealt)', () => {
    const services = nodeServices();
    const load = async (file: string): Promise<PlanModel> => {
        const [checked] = await checkFiles(
            [path.resolve(__dirname, '../fixtures/dealt', file)],
            services
        );
        return services.Dcplan.analysis.PlanAnalyzer.analyze(checked.document).built.model;
    };
    // file, instances, the heuristic's vCPUs placed, all vCPUs, the free (unpinned) ones
    const cases: [string, number, number, number, number][] = [
        ['s107_n80_exact_plain.dcplan', 80, 512, 527, 527],
        ['s12_n200_exact_plain.dcplan', 200, 1521, 1545, 1545],
        ['s11_n500_exact_racks-pins.dcplan', 500, 3391, 3495, 2969]
    ];
    for (const [file, instances, heuristic, all, free] of cases) {
        it(`${file}: ${instances} instances, the heuristic ${heuristic} of ${all} vCPUs, the fallback all, proved; either path alone too`, async () => {
            const model = await load(file);
            expect(model.instances).toHaveLength(instances);
            expect(measure(model, place(model, { exactFallback: false })).placedCores).toBe(
                heuristic
            );
            expect(await enableExactFallback()).toBe(true);
            const p = place(model);
            expect(p.unplaced).toEqual([]);
            expect(measure(model, p).placedCores).toBe(all);
            expect(p.placedCoresBound).toBe(all);
            // bin completion alone, and the bounded-waste pattern model alone
            const pp = resolvePins(model);
            const search = solveByPatterns(highs, model, pp, { maxNodes: 1000 })!;
            expect([search.placedFreeCores, search.proved, search.patterns]).toEqual([
                free,
                true,
                0
            ]);
            const bounded = solveByPatterns(highs, model, pp, { maxNodes: 1000, searchWork: 0 })!;
            expect([bounded.placedFreeCores, bounded.proved]).toEqual([free, true]);
            expect(bounded.patterns).toBeGreaterThan(0);
        });
    }
});

describe('a plan with no idle capacity: every host filled exactly', () => {
    it('dealt_3_500: 513 exact packings within the exact-fill work, none within the default; all 4,340 vCPUs placed, proved', async () => {
        const model = adversarialModel(dealtPlan(3, 500, 0));
        const pp = resolvePins(model);
        const classes = model.hosts.map(h => ({
            cores: h.usableCores,
            memoryGiB: h.usableMemoryGiB
        }));
        expect(boundedWastePatterns(classes, pp, 0, 0, WASTE_LIMITS)).toBeUndefined();
        const exact = boundedWastePatterns(classes, pp, 0, 0, EXACT_FILL_WASTE_LIMITS)!;
        expect(exact.reduce((a, c) => a + c.length, 0)).toBe(513);
        expect(measure(model, place(model, { exactFallback: false })).placedCores).toBe(4259);
        expect(await enableExactFallback()).toBe(true);
        const p = place(model);
        expect(p.unplaced).toEqual([]);
        expect(measure(model, p).placedCores).toBe(4340);
        expect(p.placedCoresBound).toBe(4340);
    });
});
