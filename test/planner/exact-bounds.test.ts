/**
 * Bounds of the exact mode that need no solver (src/planner/exact-bounds.ts): the busiest host's
 * least utilisation at the cores placed, and what it proves without a solve.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Highs } from 'highs';
import { buildPlan } from './fixtures.js';
import { busiestHostBound } from '../../src/planner/exact-bounds.js';
import { buildExactModel } from '../../src/planner/exact-model.js';
import { loadHighs, solveExactSync } from '../../src/planner/exact.js';
import { resolvePins } from '../../src/planner/placement.js';

let highs: Highs;
beforeAll(async () => {
    highs = await loadHighs();
});

// A newcomer's plan: 124 vCPUs on 8 hosts of 22 usable; the exact mode read "busiest host gap
// 3.1%" after 10 s though ⌈124 / 8⌉ = 16 of 22 is reached by the heuristic's placement.
const eightHosts = (pins: [number, string][] = []) =>
    buildPlan({
        shapes: [
            { name: 'px', role: 'proxy', cores: 2, memoryGiB: 4, loginProcesses: 2 },
            { name: 'dr', role: 'director', cores: 3, memoryGiB: 6, loginProcesses: 3 },
            { name: 'be4', role: 'backend', cores: 4, memoryGiB: 32 },
            { name: 'be6', role: 'backend', cores: 6, memoryGiB: 48 }
        ],
        deploy: [
            [8, 'px'],
            [4, 'dr', 'eu1'],
            [12, 'be4'],
            [8, 'be6']
        ],
        hosts: [
            {
                names: ['hv1'],
                cores: 24,
                memoryGiB: 384,
                hypervisorCores: 2,
                hypervisorMemoryGiB: 16,
                runs: pins
            },
            {
                names: ['hv2', 'hv3', 'hv4', 'hv5', 'hv6', 'hv7', 'hv8'],
                cores: 24,
                memoryGiB: 384,
                hypervisorCores: 2,
                hypervisorMemoryGiB: 16
            }
        ]
    });

describe('the busiest host’s least utilisation at the cores placed', () => {
    const bound = (model: ReturnType<typeof eightHosts>, free: number) => {
        const pp = resolvePins(model);
        return busiestHostBound(model, pp, buildExactModel(model, pp, Infinity), free);
    };

    it('124 whole vCPUs on 8 hosts of 22: 16 of 22 (0.727…), never above it', () => {
        const b = bound(eightHosts(), 124);
        expect(b).toBeCloseTo(16 / 22, 8);
        expect(b).toBeLessThanOrEqual(16 / 22);
    });

    it('whole vCPUs per host: 113 vCPUs need 15 of 22 on some host (7 × 14 + 15 is 113)', () => {
        expect(bound(eightHosts(), 113)).toBeCloseTo(15 / 22, 8);
    });

    it('a pinned host counts its pins: 20 of hv1’s 22 vCPUs pinned, the 104 free fit 15 per host', () => {
        const model = eightHosts([[5, 'be4']]);
        expect(bound(model, 104)).toBeCloseTo(15 / 22, 8);
        // below the bound the level is solved, not taken as proved: hv1 takes a proxy (22 of 22)
        // as hosts with one role count before the busiest host
        const r = solveExactSync(highs, model, { timeLimitSeconds: 10 });
        const busiest = r.levels.find(l => l.level === 'maxUtil')!;
        expect(busiest).toMatchObject({ status: 'optimal', value: 1, bound: 1 });
        expect(r.levels.find(l => l.level === 'singleRole')!.value).toBe(0);
    });

    it('nothing to place bounds nothing: 0', () => {
        expect(bound(eightHosts(), 0)).toBe(0);
    });

    it('the exact mode proves a start that reaches it without a solve (level maxUtil: trivial, 16 of 22)', () => {
        const r = solveExactSync(highs, eightHosts(), { timeLimitSeconds: 10 });
        expect(r.status).toBe('optimal');
        const busiest = r.levels.find(l => l.level === 'maxUtil')!;
        expect(busiest.status).toBe('trivial');
        expect(busiest.value).toBeCloseTo(16 / 22, 10);
        expect(busiest.bound).toBe(busiest.value);
    });
});
