/**
 * Issue 15's exact-mode figures and the fallback's work budget: the busiest host counts hosts
 * overcommitted by their pins, a physical plan says nothing to place, a solve limited by nodes
 * (work, not time) gives the same answer on every run, and `place` says when the fallback proved
 * the most cores placeable.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Highs } from 'highs';
import { buildPlan } from './fixtures.js';
import { loadHighs, solveExactSync } from '../../src/planner/exact.js';
import { enableExactFallback } from '../../src/planner/exact-fallback.js';
import { place, setPlacementFallback } from '../../src/planner/placement.js';

let highs: Highs;
beforeAll(async () => {
    highs = await loadHighs();
});
afterAll(() => {
    setPlacementFallback(undefined);
});

describe('exact-mode figures', () => {
    it("pins that overcommit a host count in the busiest host (109.1%, not the free hosts' 18.2%)", () => {
        // hv01: 12 cores usable, pins 12 + 1 = 13 cores → 13/12 = 108.3%; hv02 takes the rest
        const m = buildPlan({
            shapes: [{ name: 'b', role: 'backend', cores: 1, memoryGiB: 1 }],
            deploy: [[15, 'b']],
            hosts: [
                { names: 'hv01', cores: 12, memoryGiB: 64, runs: [[13, 'b']] },
                { names: 'hv02', cores: 11, memoryGiB: 64 }
            ]
        });
        const r = solveExactSync(highs, m, { timeLimitSeconds: 10 });
        expect(r.placement.byHost.map(l => l.length)).toEqual([13, 2]);
        expect(r.maxUtilisation).toBeCloseTo(13 / 12, 12);
    });

    it('a physical plan: nothing to place, not "busiest host 0%"', () => {
        const m = buildPlan({
            settings: { platform: 'physical' },
            shapes: [{ name: 'b', role: 'backend', cores: 4, memoryGiB: 8 }],
            deploy: [[3, 'b']]
        });
        const r = solveExactSync(highs, m, { timeLimitSeconds: 10 });
        expect(r.nothingToPlace).toBe(true);
        expect(r.status).toBe('optimal');
    });
});

describe('the fallback counts work, not time', () => {
    // 10 hosts of 13 cores, pieces of 3, 4 and 5: a knapsack-like fit the solver branches on
    const hard = () =>
        buildPlan({
            shapes: [
                { name: 'p3', role: 'proxy', cores: 3, memoryGiB: 1 },
                { name: 'd4', role: 'director', cores: 4, memoryGiB: 1 },
                { name: 'b5', role: 'backend', cores: 5, memoryGiB: 1 }
            ],
            deploy: [
                [13, 'p3'],
                [11, 'd4'],
                [9, 'b5']
            ],
            hosts: [
                {
                    names: ['h0', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'h7', 'h8', 'h9'],
                    cores: 13,
                    memoryGiB: 64
                }
            ]
        });

    it('a node limit alone gives the same placement and levels on every run', () => {
        const m = hard();
        const a = solveExactSync(highs, m, { maxNodes: 1, lastLevel: 'minRoleShort' });
        const b = solveExactSync(highs, m, { maxNodes: 1, lastLevel: 'minRoleShort' });
        expect(b.placement.hostOf).toEqual(a.placement.hostOf);
        expect(b.levels.map(l => [l.level, l.value, l.bound, l.status])).toEqual(
            a.levels.map(l => [l.level, l.value, l.bound, l.status])
        );
    });

    it('place says when the most cores placeable is proved (bound = what is placed)', async () => {
        expect(await enableExactFallback()).toBe(true);
        // 40 cores of 3- and 5-core pieces on 3 hosts of 13 (39 usable): 3+5+5 fills a host, but
        // there are only 5 fives, so two hosts of 13 and one of 3+3+5 = 11: at most 37
        const m = buildPlan({
            shapes: [
                { name: 'p3', role: 'proxy', cores: 3, memoryGiB: 1 },
                { name: 'b5', role: 'backend', cores: 5, memoryGiB: 1 }
            ],
            deploy: [
                [5, 'p3'],
                [5, 'b5']
            ],
            hosts: [{ names: ['h0', 'h1', 'h2'], cores: 13, memoryGiB: 64 }]
        });
        const p = place(m);
        const placed = m.instances.reduce((a, i, k) => a + (p.hostOf[k] >= 0 ? i.cores : 0), 0);
        expect(placed).toBe(37);
        expect(p.placedCoresBound).toBe(37);
        // without the fallback nothing is claimed
        expect(place(m, { exactFallback: false }).placedCoresBound).toBeUndefined();
    });
});
