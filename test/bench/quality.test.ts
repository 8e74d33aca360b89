/**
 * The independent quality bench (bench/quality): its MILP gives the figures known for the
 * reference plans (and agrees with src/planner/exact.ts's on them), its measure counts the spec's
 * levels, and the plan set is deterministic and fully cached in bench/quality/optima.json (so
 * `npm run bench` never re-solves 300 MILPs silently after a generator change).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Highs } from 'highs';
import { loadHighs, measure, solveExactSync } from '../../src/planner/exact.js';
import { seedRecommended, seedReference } from '../planner/fixtures.js';
import { solveOptimum } from '../../bench/quality/optimum.js';
import { objectiveOf } from '../../bench/quality/measure.js';
import { DISTRIBUTIONS, permutation, planText, qualityPlans } from '../../bench/quality/plans.js';
import { textHash } from '../../bench/quality/compare.js';

let highs: Highs;
beforeAll(async () => {
    highs = await loadHighs();
});

describe('bench/quality optimum', () => {
    it('proves 80 of 88 cores placeable on the reference plan', () => {
        const o = solveOptimum(highs, seedReference(), 10);
        expect(o).toMatchObject({
            deployedCores: 88,
            placedCores: 80,
            full: false,
            spread: null,
            maxUtil: null
        });
        expect(o.proved).toEqual({ placedCores: true });
    });

    it('gives the recommended plan the same levels as exact.ts', () => {
        const m = seedRecommended();
        const o = solveOptimum(highs, m, 10);
        const e = measure(m, solveExactSync(highs, m, { timeLimitSeconds: 10 }).placement);
        expect(o).toMatchObject({
            deployedCores: 88,
            placedCores: 88,
            full: true,
            spread: 0,
            singleRole: 0,
            missingRoles: 0,
            racks: 0
        });
        expect(o.maxUtil).toBeCloseTo(1, 9);
        expect([e.placedCores, e.spread, e.singleRole, e.missingRoles, e.racks]).toEqual([
            88, 0, 0, 0, 0
        ]);
        expect(e.maxUtil).toBeCloseTo(o.maxUtil!, 9);
        expect(Object.values(o.proved).every(Boolean)).toBe(true);
    });
});

describe('bench/quality measure', () => {
    it('counts an empty placement as every host single-role and every role missing', () => {
        const m = seedRecommended();
        expect(
            objectiveOf(
                m,
                m.hosts.map(() => [])
            )
        ).toEqual({
            placedCores: 0,
            spread: 0,
            singleRole: 4,
            missingRoles: 12,
            racks: 0,
            maxUtil: 0
        });
    });

    it('counts the excess over ⌈n/H⌉ and the busiest host of all instances on the first host', () => {
        const m = seedRecommended();
        const all = m.instances.map((_, i) => i);
        const o = objectiveOf(m, [all, [], [], []]);
        // 12 proxies, 4 directors, 16 backends on 4 hosts: caps 3, 1, 4 → excess 9 + 3 + 12
        expect(o).toMatchObject({ placedCores: 88, spread: 24, singleRole: 3, missingRoles: 9 });
        expect(o.maxUtil).toBeCloseTo(88 / m.hosts[0].usableCores, 9);
    });
});

describe('bench/quality plans', () => {
    const plans = qualityPlans(50);
    it('has 50 plans of each of the 7 distributions, the same on every call', () => {
        expect(DISTRIBUTIONS.map(d => plans.filter(p => p.distribution === d).length)).toEqual([
            50, 50, 50, 50, 50, 50, 50
        ]);
        expect(qualityPlans(50).map(p => planText(p))).toEqual(plans.map(p => planText(p)));
    });

    it('has every plan in the committed optima cache', () => {
        const cache = JSON.parse(
            fs.readFileSync(
                path.join(__dirname, '..', '..', 'bench', 'quality', 'optima.json'),
                'utf8'
            )
        ) as { plans: Record<string, { name: string }> };
        const missing = plans
            .filter(p => cache.plans[textHash(planText(p))]?.name !== p.name)
            .map(p => p.name);
        expect(missing).toEqual([]);
    });

    it('permutes the blocks without losing or adding one', () => {
        const p = plans.find(x => x.distribution === 'pins-racks')!;
        const order = permutation(p.blocks.length, 5);
        expect([...order].sort((a, b) => a - b)).toEqual(p.blocks.map((_, i) => i));
        expect(order).not.toEqual(p.blocks.map((_, i) => i));
        expect(planText(p, order).length).toBe(planText(p).length);
    });
});
