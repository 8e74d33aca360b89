/**
 * Host failure (spec, "Host failure"): tolerated losses by re-placing, N+1 host count.
 */
import { describe, expect, it } from 'vitest';
import { place } from '../../src/planner/placement.js';
import { explainHostFailure, hostFailure, hostsNeededForNPlus1, toleratedHostLosses, withCopiesOfLargestHost } from '../../src/planner/figures.js';
import { buildPlan, names, ringTooLarge, seedRecommended } from './fixtures.js';

const backend = { name: 'backend_4c', role: 'backend' as const, cores: 4, memoryGiB: 8 };

describe('tolerates', () => {
    it('is 1 when the others can take any one host but not any two', () => {
        // 6 × 4c on 3 hosts of 12: 8 used, 4 spare each; one lost: 8 cores into 4 + 4
        const m = buildPlan({ shapes: [backend], deploy: [[6, 'backend_4c']], hosts: [{ names: names('h', 1, 3), cores: 12, memoryGiB: 64 }] });
        const p = place(m);
        expect(hostFailure(m, p)).toEqual({ tolerates: 1, hostsNeededForNPlus1: 3 });
        expect(explainHostFailure(m, p)).toMatchObject({ host: -1, minSpareCores: 4 });
    });

    it('is 2 when any two hosts can go', () => {
        const m = buildPlan({ shapes: [backend], deploy: [[4, 'backend_4c']], hosts: [{ names: names('h', 1, 4), cores: 16, memoryGiB: 64 }] });
        expect(toleratedHostLosses(m, place(m))).toBe(2);
    });

    it('re-places pieces instead of comparing totals', () => {
        // 3 spare cores on each of 3 other hosts (9 in all) cannot take one 4-core backend + 2c
        const m = buildPlan({
            shapes: [backend, { name: 'proxy_2c', role: 'proxy', cores: 2, memoryGiB: 2 }],
            deploy: [[4, 'backend_4c'], [4, 'proxy_2c']],
            hosts: [{ names: names('h', 1, 4), cores: 9, memoryGiB: 64 }]
        });
        const p = place(m);
        expect(p.byHost.every(l => l.length === 2)).toBe(true);
        expect(toleratedHostLosses(m, p)).toBe(0);
    });

    it('counts memory too', () => {
        const m = buildPlan({
            shapes: [{ name: 'backend_1c', role: 'backend', cores: 1, memoryGiB: 60 }],
            deploy: [[2, 'backend_1c']],
            hosts: [{ names: names('h', 1, 2), cores: 16, memoryGiB: 100 }]
        });
        expect(hostFailure(m, place(m))).toEqual({ tolerates: 0, hostsNeededForNPlus1: 3 });
    });

    it('stays fast on thousands of alike hosts', () => {
        const m = buildPlan({ shapes: [backend], deploy: [[4000, 'backend_4c']], hosts: [{ names: names('h', 1, 2000, 4), cores: 12, memoryGiB: 64 }] });
        const p = place(m);
        const t = performance.now();
        expect(hostFailure(m, p)).toEqual({ tolerates: 2, hostsNeededForNPlus1: 2000 });
        expect(performance.now() - t).toBeLessThan(1000);
    });
});

describe('N+1', () => {
    it('needs 5 hosts for the recommended split and for ring-too-large', () => {
        expect(hostsNeededForNPlus1(seedRecommended())).toBe(5);
        expect(hostsNeededForNPlus1(ringTooLarge())).toBe(5);
    });

    it('adds copies of the largest host, without pins', () => {
        const m = withCopiesOfLargestHost(seedRecommended(), 2);
        expect(m.hosts.map(h => h.name)).toEqual(['hv01', 'hv02', 'hv03', 'hv04', 'hv01+1', 'hv01+2']);
        expect(m.hosts[5].pins).toEqual([]);
        expect(m.hosts[5].usableCores).toBe(22);
    });

    it('the 5-host placement of the recommended split survives any one loss', () => {
        const m = withCopiesOfLargestHost(seedRecommended(), 1);
        const p = place(m);
        expect(p.unplaced).toEqual([]);
        expect(toleratedHostLosses(m, p, 1)).toBe(1);
    });
});
