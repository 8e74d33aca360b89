/**
 * Placement rules (spec, "What the checker computes"): hard capacity, most cores placed with the
 * shortfall shared, spread, mix, balance, determinism, pins.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { place, type PlacementResult } from '../../src/planner/placement.js';
import { computeFigures, fragmentationProved } from '../../src/planner/figures.js';
import { ROLES, type PlanModel, type Role } from '../../src/planner/model.js';
import {
    buildPlan,
    names,
    seedRecommended,
    seedReference,
    type PlanSpec,
    type ShapeSpec
} from './fixtures.js';

/** Per host, the number of instances of each shape (names do not matter, counts do). */
function shapeCounts(model: PlanModel, p: PlacementResult): Record<string, Record<string, number>> {
    const out: Record<string, Record<string, number>> = {};
    p.byHost.forEach((list, h) => {
        const c: Record<string, number> = {};
        for (const i of list) c[model.instances[i].shape] = (c[model.instances[i].shape] ?? 0) + 1;
        out[model.hosts[h].name] = c;
    });
    return out;
}

function usedOf(model: PlanModel, p: PlacementResult, h: number): { cores: number; mem: number } {
    let cores = 0,
        mem = 0;
    for (const i of p.byHost[h]) {
        cores += model.instances[i].cores;
        mem += model.instances[i].memoryGiB;
    }
    return { cores, mem };
}

/** Placed cores of a plain first-fit-decreasing of the unpinned instances (the baseline). */
function firstFitDecreasing(model: PlanModel, p: PlacementResult): number {
    const over = new Set(p.overcommitted.map(o => o.host));
    const pinnedSet = new Set(p.pinned.flat());
    const free = model.hosts.map((h, k) => {
        let c = h.usableCores,
            m = h.usableMemoryGiB;
        for (const i of p.pinned[k]) {
            c -= model.instances[i].cores;
            m -= model.instances[i].memoryGiB;
        }
        return over.has(k) ? { c: -1, m: -1 } : { c, m };
    });
    const items = model.instances
        .filter((_, i) => !pinnedSet.has(i))
        .sort((a, b) => b.cores - a.cores || b.memoryGiB - a.memoryGiB);
    let placed = 0;
    for (const it of items) {
        const bin = free.find(f => f.c >= it.cores - 1e-9 && f.m >= it.memoryGiB - 1e-9);
        if (bin) {
            bin.c -= it.cores;
            bin.m -= it.memoryGiB;
            placed += it.cores;
        }
    }
    return placed;
}

function shuffled<T>(xs: readonly T[], seed: number): T[] {
    const a = [...xs];
    let s = seed;
    for (let i = a.length - 1; i > 0; i--) {
        s = (s * 1103515245 + 12345) & 0x7fffffff;
        const j = s % (i + 1);
        [a[i], a[j]] = [a[j], a[i]];
    }
    return a;
}

describe('determinism', () => {
    const spec: PlanSpec = {
        shapes: [
            { name: 'proxy_1c', role: 'proxy', cores: 1, memoryGiB: 2 },
            { name: 'proxy_2c', role: 'proxy', cores: 2, memoryGiB: 4 },
            { name: 'director_3c', role: 'director', cores: 3, memoryGiB: 6 },
            { name: 'backend_4c', role: 'backend', cores: 4, memoryGiB: 32 },
            { name: 'backend_8c', role: 'backend', cores: 8, memoryGiB: 64 }
        ],
        deploy: [
            [7, 'proxy_1c'],
            [3, 'proxy_2c'],
            [5, 'director_3c'],
            [11, 'backend_4c'],
            [3, 'backend_8c'],
            [2, 'proxy_1c']
        ],
        hosts: [
            {
                names: names('hv', 1, 3),
                cores: 24,
                memoryGiB: 256,
                hypervisorCores: 2,
                hypervisorMemoryGiB: 16
            },
            {
                names: names('hv', 4, 5),
                cores: 16,
                memoryGiB: 128,
                hypervisorCores: 2,
                hypervisorMemoryGiB: 8
            }
        ]
    };

    it('gives the same counts per host whatever the order of shapes and deployments', () => {
        const base = buildPlan(spec);
        const ref = shapeCounts(base, place(base));
        for (let seed = 1; seed <= 20; seed++) {
            const m = buildPlan({
                ...spec,
                shapes: shuffled(spec.shapes, seed),
                deploy: shuffled(spec.deploy, seed * 7)
            });
            expect(shapeCounts(m, place(m))).toEqual(ref);
        }
    });

    it('gives the same placement twice', () => {
        const m = buildPlan(spec);
        expect(place(m)).toEqual(place(m));
    });
});

describe('pins', () => {
    const shapes: ShapeSpec[] = [
        { name: 'proxy_1c', role: 'proxy', cores: 1, memoryGiB: 2 },
        { name: 'backend_4c', role: 'backend', cores: 4, memoryGiB: 32 }
    ];

    it('consumes the lowest-numbered instances, hosts in order, and reports pins beyond the deployments', () => {
        const m = buildPlan({
            shapes,
            deploy: [
                [2, 'proxy_1c'],
                [4, 'backend_4c']
            ],
            hosts: [
                {
                    names: 'a',
                    cores: 16,
                    memoryGiB: 128,
                    runs: [
                        [1, 'backend_4c'],
                        [3, 'proxy_1c']
                    ]
                },
                {
                    names: 'b',
                    cores: 16,
                    memoryGiB: 128,
                    runs: [
                        [1, 'proxy_1c'],
                        [1, 'backend_4c']
                    ]
                }
            ]
        });
        const p = place(m);
        expect(p.pinExcess).toEqual([
            { host: 0, pinIndex: 1, shape: 'proxy_1c', asked: 3, available: 2 },
            { host: 1, pinIndex: 0, shape: 'proxy_1c', asked: 1, available: 0 }
        ]);
        expect(p.pinned.map(l => l.map(i => m.instances[i].name))).toEqual([
            ['backend_4c-1', 'proxy_1c-1', 'proxy_1c-2'],
            ['backend_4c-2']
        ]);
        // the two free backends are spread
        expect(p.byHost.map(l => l.length)).toEqual([4, 2]);
        expect(p.unplaced).toEqual([]);
    });

    it('keeps overcommitting pins and puts nothing more on that host', () => {
        const m = buildPlan({
            shapes,
            deploy: [
                [4, 'proxy_1c'],
                [4, 'backend_4c']
            ],
            hosts: [
                { names: 'a', cores: 8, memoryGiB: 64, runs: [[3, 'backend_4c']] },
                { names: 'b', cores: 16, memoryGiB: 128 }
            ]
        });
        const p = place(m);
        expect(p.overcommitted).toEqual([{ host: 0, cores: 12, memoryGiB: 96 }]);
        expect(p.byHost[0]).toEqual(p.pinned[0]);
        expect(p.byHost[1]).toHaveLength(5);
    });
});

describe('shortfall', () => {
    it('says total-short when the cores do not exist, fragmentation when the pieces do not fit', () => {
        const short = buildPlan({
            shapes: [{ name: 'backend_4c', role: 'backend', cores: 4, memoryGiB: 8 }],
            deploy: [[12, 'backend_4c']],
            hosts: [{ names: names('h', 1, 4), cores: 10, memoryGiB: 64 }]
        });
        const p = place(short);
        expect(p.unplacedReason).toBe('total-short');
        // 2 per host fit: 8 placed, the highest-numbered stay out
        expect(p.unplaced.map(i => short.instances[i].name)).toEqual([
            'backend_4c-9',
            'backend_4c-10',
            'backend_4c-11',
            'backend_4c-12'
        ]);
        expect(place(seedReference()).unplacedReason).toBe('fragmentation');
        const memShort = buildPlan({
            shapes: [{ name: 'backend_4c', role: 'backend', cores: 1, memoryGiB: 40 }],
            deploy: [[5, 'backend_4c']],
            hosts: [{ names: names('h', 1, 2), cores: 10, memoryGiB: 64 }]
        });
        expect(place(memShort).unplacedReason).toBe('total-short');
    });

    it("says fragmentation is proved only with the solver's bound or a common divisor of the sizes", () => {
        // seed-reference: every size a multiple of 4, 22-core hosts hold 20 each: 80 < 88
        const ref = seedReference();
        const refPlaced = place(ref, { exactFallback: false });
        expect(fragmentationProved(ref, refPlaced, 88)).toBe(true);
        expect(computeFigures(ref, refPlaced).fragmentationProved).toBe(true);
        // 3- and 5-core pieces (divisor 1) on 8-core hosts: 8 = 3 + 5 fits; nothing proves a loss
        const odd = buildPlan({
            shapes: [
                { name: 'a', role: 'backend', cores: 3, memoryGiB: 4 },
                { name: 'b', role: 'backend', cores: 5, memoryGiB: 4 }
            ],
            deploy: [
                [2, 'a'],
                [2, 'b']
            ],
            hosts: [{ names: names('h', 1, 2), cores: 8, memoryGiB: 64 }]
        });
        const unplacedOne: PlacementResult = {
            ...place(odd, { exactFallback: false }),
            unplaced: [0],
            unplacedReason: 'fragmentation'
        };
        expect(fragmentationProved(odd, unplacedOne, 16)).toBe(false);
        // the solver's bound proves it whatever the sizes
        expect(fragmentationProved(odd, { ...unplacedOne, placedCoresBound: 13 }, 16)).toBe(true);
    });

    it('shares the shortfall between the roles: a director and a proxy out, not 4 proxies', () => {
        // the recommended split on hosts of 21 usable cores: 84 of 88 fit at best; leaving out
        // 1 director (3) + 1 proxy (1) is fairer than 4 proxies or one backend
        const m = seedRecommended();
        const tight = {
            ...m,
            hosts: m.hosts.map(h => ({ ...h, hypervisorCores: 3, usableCores: 21 }))
        };
        const f = computeFigures(tight, place(tight));
        expect(f.totals.placedCores).toBe(84);
        expect(f.unplaced.map(u => u.instance)).toEqual(['proxy_1c-12', 'director_3c-4']);
        expect(f.roles.backend.unplacedCores).toBe(0);
    });

    it('never overcommits and never places fewer cores than first-fit decreasing (random plans)', () => {
        const roleArb = fc.constantFrom<Role>('proxy', 'director', 'backend');
        const planArb = fc.record({
            shapes: fc.array(
                fc.record({
                    role: roleArb,
                    cores: fc.integer({ min: 1, max: 8 }),
                    memoryGiB: fc.integer({ min: 1, max: 64 })
                }),
                { minLength: 1, maxLength: 4 }
            ),
            deploy: fc.array(
                fc.record({ shape: fc.nat(), count: fc.integer({ min: 0, max: 12 }) }),
                { minLength: 1, maxLength: 5 }
            ),
            hosts: fc.array(
                fc.record({
                    cores: fc.integer({ min: 2, max: 32 }),
                    memoryGiB: fc.integer({ min: 8, max: 256 }),
                    hv: fc.integer({ min: 0, max: 2 }),
                    runs: fc.array(
                        fc.record({ shape: fc.nat(), count: fc.integer({ min: 1, max: 3 }) }),
                        { maxLength: 2 }
                    )
                }),
                { minLength: 1, maxLength: 6 }
            )
        });
        fc.assert(
            fc.property(planArb, raw => {
                const shapes = raw.shapes.map((s, k) => ({ ...s, name: `s${k}` }));
                const m = buildPlan({
                    shapes,
                    deploy: raw.deploy.map(
                        d => [d.count, shapes[d.shape % shapes.length].name] as [number, string]
                    ),
                    hosts: raw.hosts.map((h, k) => ({
                        names: `h${k}`,
                        cores: h.cores,
                        memoryGiB: h.memoryGiB,
                        hypervisorCores: h.hv,
                        hypervisorMemoryGiB: h.hv * 4,
                        runs: h.runs.map(
                            r => [r.count, shapes[r.shape % shapes.length].name] as [number, string]
                        )
                    }))
                });
                const p = place(m);
                const over = new Set(p.overcommitted.map(o => o.host));
                const seen = new Set<number>();
                m.hosts.forEach((host, h) => {
                    const u = usedOf(m, p, h);
                    if (over.has(h)) expect(p.byHost[h]).toEqual(p.pinned[h]);
                    else {
                        expect(u.cores).toBeLessThanOrEqual(host.usableCores);
                        expect(u.mem).toBeLessThanOrEqual(host.usableMemoryGiB + 1e-9);
                    }
                    for (const i of p.pinned[h]) expect(p.hostOf[i]).toBe(h);
                    for (const i of p.byHost[h]) {
                        expect(p.hostOf[i]).toBe(h);
                        seen.add(i);
                    }
                });
                for (const i of p.unplaced) {
                    expect(p.hostOf[i]).toBe(-1);
                    seen.add(i);
                }
                expect(seen.size).toBe(m.instances.length);
                const placed = m.instances.reduce(
                    (acc, it, i) => acc + (p.hostOf[i] >= 0 ? it.cores : 0),
                    0
                );
                const pinnedCores = p.pinned
                    .flat()
                    .reduce((acc, i) => acc + m.instances[i].cores, 0);
                expect(placed).toBeGreaterThanOrEqual(pinnedCores + firstFitDecreasing(m, p));
                // within a shape, the highest-numbered instances stay out
                for (const i of p.unplaced) {
                    for (let j = 0; j < m.instances.length; j++) {
                        if (
                            m.instances[j].shape === m.instances[i].shape &&
                            m.instances[j].number > m.instances[i].number
                        )
                            expect(p.hostOf[j]).toBe(-1);
                    }
                }
            }),
            { numRuns: 300, seed: 42 }
        );
    });
});

describe('spread and mix', () => {
    it('holds at most ⌈n/h⌉ of a role per host and mixes the roles when capacity is ample (random plans)', () => {
        fc.assert(
            fc.property(
                fc.array(
                    fc.record({
                        role: fc.constantFrom<Role>('proxy', 'director', 'backend'),
                        cores: fc.integer({ min: 1, max: 8 }),
                        count: fc.integer({ min: 1, max: 20 })
                    }),
                    { minLength: 1, maxLength: 5 }
                ),
                fc.integer({ min: 1, max: 8 }),
                (raw, hostCount) => {
                    const shapes = raw.map((s, k) => ({
                        name: `s${k}`,
                        role: s.role,
                        cores: s.cores,
                        memoryGiB: s.cores * 4
                    }));
                    const total = raw.reduce((a, s) => a + s.cores * s.count, 0);
                    const m = buildPlan({
                        shapes,
                        deploy: raw.map((s, k) => [s.count, `s${k}`] as [number, string]),
                        hosts: [
                            { names: names('h', 1, hostCount), cores: total, memoryGiB: total * 4 }
                        ]
                    });
                    const p = place(m);
                    expect(p.unplaced).toEqual([]);
                    const f = computeFigures(m, p);
                    for (const role of ROLES) {
                        const n = f.roles[role].instances;
                        expect(f.roles[role].maxOnOneHost).toBeLessThanOrEqual(
                            Math.ceil(n / hostCount)
                        );
                    }
                    for (const h of f.hosts) {
                        for (const role of ROLES) {
                            if (f.roles[role].instances >= hostCount)
                                expect(h.roleCounts[role]).toBeGreaterThan(0);
                        }
                    }
                }
            ),
            { numRuns: 200, seed: 7 }
        );
    });

    it('spreads every role when only multi-piece exchanges reach it (user case: 4 × 22 cores, 100% core load)', () => {
        const m = buildPlan({
            shapes: [
                { name: 'proxy_1c', role: 'proxy', cores: 1, memoryGiB: 2 },
                { name: 'director_3c', role: 'director', cores: 3, memoryGiB: 6 },
                { name: 'backend_4c', role: 'backend', cores: 4, memoryGiB: 32 },
                { name: 'backend_big', role: 'backend', cores: 16, memoryGiB: 300 }
            ],
            deploy: [
                [12, 'proxy_1c'],
                [4, 'director_3c'],
                [12, 'backend_4c'],
                [1, 'backend_big']
            ],
            hosts: [
                {
                    names: names('hv', 1, 4).map(h => h.replace(/hv(\d)$/, 'hv0$1')),
                    cores: 24,
                    memoryGiB: 384,
                    hypervisorCores: 2,
                    hypervisorMemoryGiB: 16
                }
            ]
        });
        const p = place(m);
        expect(p.unplaced).toEqual([]);
        const f = computeFigures(m, p);
        // ⌈12/4⌉ = 3 proxies, ⌈4/4⌉ = 1 director, ⌈13/4⌉ = 4 backends per host at most
        expect(f.roles.proxy.maxOnOneHost).toBe(3);
        expect(f.roles.director.maxOnOneHost).toBe(1);
        expect(f.roles.backend.maxOnOneHost).toBeLessThanOrEqual(4);
        for (let h = 0; h < 4; h++) expect(usedOf(m, p, h).cores).toBe(22);
    });

    it('spreads over racks', () => {
        const m = buildPlan({
            shapes: [{ name: 'backend_4c', role: 'backend', cores: 4, memoryGiB: 8 }],
            deploy: [[4, 'backend_4c']],
            hosts: [
                { names: ['a1', 'a2'], cores: 16, memoryGiB: 64, rack: 'A' },
                { names: ['b1', 'b2'], cores: 16, memoryGiB: 64, rack: 'B' }
            ]
        });
        const p = place(m);
        expect(p.byHost.map(l => l.length)).toEqual([1, 1, 1, 1]);
    });

    it('balances the busiest host', () => {
        const m = buildPlan({
            shapes: [
                { name: 'backend_4c', role: 'backend', cores: 4, memoryGiB: 8 },
                { name: 'proxy_2c', role: 'proxy', cores: 2, memoryGiB: 4 }
            ],
            deploy: [
                [3, 'backend_4c'],
                [3, 'proxy_2c']
            ],
            hosts: [{ names: names('h', 1, 3), cores: 12, memoryGiB: 64 }]
        });
        const f = computeFigures(m, place(m));
        expect(f.hosts.map(h => h.usedCores)).toEqual([6, 6, 6]);
    });
});

describe('speed', () => {
    function big(n: number, h: number): PlanModel {
        const p = Math.round((n * 3) / 8),
            d = Math.round(n / 8),
            b = n - p - d;
        const usable = Math.ceil((p + 3 * d + 4 * b) / h / 0.9);
        return buildPlan({
            shapes: [
                { name: 'proxy_1c', role: 'proxy', cores: 1, memoryGiB: 2 },
                { name: 'director_3c', role: 'director', cores: 3, memoryGiB: 6 },
                { name: 'backend_4c', role: 'backend', cores: 4, memoryGiB: 32 }
            ],
            deploy: [
                [p, 'proxy_1c'],
                [d, 'director_3c'],
                [b, 'backend_4c']
            ],
            hosts: [
                {
                    names: names('hv', 1, h, 5),
                    cores: usable + 2,
                    memoryGiB: 100_000,
                    hypervisorCores: 2,
                    hypervisorMemoryGiB: 16
                }
            ]
        });
    }

    it('places 10,000 instances on 1,000 hosts well under a second', () => {
        const m = big(10_000, 1_000);
        place(m);
        const t = performance.now();
        const p = place(m);
        expect(performance.now() - t).toBeLessThan(500);
        expect(p.unplaced).toEqual([]);
    });
});
