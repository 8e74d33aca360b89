/**
 * The example plans of `examples/`, built as models: the figures their headers state.
 */
import { describe, expect, it } from 'vitest';
import { place } from '../../src/planner/placement.js';
import { computeFigures, explainHostFailure, hostFailure } from '../../src/planner/figures.js';
import type { PlanModel } from '../../src/planner/model.js';
import {
    overcommit,
    ringTooLarge,
    seedPerHost,
    seedPhysical,
    seedRecommended,
    seedReference
} from './fixtures.js';

function figures(model: PlanModel) {
    const placement = place(model);
    return { placement, figures: computeFigures(model, placement) };
}

describe('seed-recommended', () => {
    const model = seedRecommended();
    const { figures: f } = figures(model);

    it('puts 3 proxies, 1 director and 4 backends on every host, 22 of 22 cores', () => {
        expect(f.hosts).toHaveLength(4);
        for (const h of f.hosts) {
            expect(h.roleCounts).toEqual({ proxy: 3, director: 1, backend: 4 });
            expect(h.usedCores).toBe(22);
            expect(h.usableCores).toBe(22);
            expect(h.vcpus).toBe(24);
            expect(h.overcommitted).toBe(false);
            expect(h.lossImpact.sessions).toBeCloseTo(0.25, 10);
            expect(h.lossImpact).toEqual({
                proxy: 0.25,
                director: 0.25,
                backend: 0.25,
                sessions: 0.25
            });
        }
        expect(f.hosts[0].instances).toEqual([
            'proxy_1c-1',
            'proxy_1c-2',
            'proxy_1c-3',
            'director_3c-1',
            'backend_4c-1',
            'backend_4c-2',
            'backend_4c-3',
            'backend_4c-4'
        ]);
        expect(f.hosts[0].usedMemoryGiB).toBe(3 * 2 + 6 + 4 * 32);
        expect(f.hosts[0].usableMemoryGiB).toBe(368);
    });

    it('has the maintenance impacts of the page', () => {
        expect(f.roles.proxy.maintenanceImpact).toBeCloseTo(1 / 12, 10);
        expect(f.roles.director.maintenanceImpact).toBeCloseTo(0.25, 10);
        expect(f.roles.backend.maintenanceImpact).toBeCloseTo(0.0625, 10);
        expect(f.roles.proxy).toMatchObject({
            instances: 12,
            cores: 12,
            memoryGiB: 24,
            demandCores: 12,
            hostsUsed: 4,
            maxOnOneHost: 3,
            unplacedCores: 0
        });
        expect(f.roles.backend.shapes).toEqual([
            { shape: 'backend_4c', instances: 16, cores: 4, memoryGiB: 32 }
        ]);
    });

    it('has the totals and host-failure figures', () => {
        expect(f.totals).toMatchObject({
            demandCores: 88,
            deployedCores: 88,
            usableCores: 88,
            physicalCores: 96,
            placedCores: 88,
            unplacedCores: 0
        });
        expect(f.unplaced).toEqual([]);
        expect(f.unplacedReason).toBeNull();
        expect(f.hostFailure).toEqual({ tolerates: 0, hostsNeededForNPlus1: 5 });
        expect(f.plan).toBe('recommended');
        expect(f.title).toBe('Dovecot recommended VM split on four hypervisors');
        expect(f.platform).toBe('virtual');
    });

    it('explains the shortfall: no spare capacity', () => {
        const e = explainHostFailure(model, place(model))!;
        expect(e.host).toBe(0);
        expect(e.minSpareCores).toBe(0);
        expect(e.maxSpareCores).toBe(0);
        expect(e.lostCores).toBe(22);
        expect(e.hostsNeededForNPlus1).toBe(5);
    });
});

describe('seed-reference', () => {
    const model = seedReference();
    const { placement: p, figures: f } = figures(model);

    it('places 80 of 88 cores and leaves out proxy_4c-3 and director_4c-3 (fragmentation)', () => {
        expect(f.unplaced.map(u => u.instance)).toEqual(['proxy_4c-3', 'director_4c-3']);
        expect(f.unplaced[0]).toEqual({
            instance: 'proxy_4c-3',
            shape: 'proxy_4c',
            cores: 4,
            memoryGiB: 8
        });
        expect(f.unplacedReason).toBe('fragmentation');
        expect(f.totals).toMatchObject({
            demandCores: 88,
            deployedCores: 88,
            usableCores: 88,
            physicalCores: 96,
            placedCores: 80,
            unplacedCores: 8
        });
        expect(f.roles.proxy.unplacedCores).toBe(4);
        expect(f.roles.director.unplacedCores).toBe(4);
        expect(f.roles.backend.unplacedCores).toBe(0);
        expect(p.unplaced.map(i => model.instances[i].name)).toEqual([
            'proxy_4c-3',
            'director_4c-3'
        ]);
    });

    it('runs 2 backends and one proxy or director on every host', () => {
        for (const h of f.hosts) {
            expect(h.roleCounts.backend).toBe(2);
            expect(h.roleCounts.proxy + h.roleCounts.director).toBe(1);
            expect(h.usedCores).toBe(20);
        }
    });

    it('has no host-failure figure while instances are unplaced', () => {
        expect(f.hostFailure).toBeNull();
        expect(hostFailure(model, p)).toBeNull();
        expect(explainHostFailure(model, p)).toBeNull();
    });

    it('has the maintenance impacts 1/3, 1/3, 1/8', () => {
        expect(f.roles.proxy.maintenanceImpact).toBeCloseTo(1 / 3, 10);
        expect(f.roles.director.maintenanceImpact).toBeCloseTo(1 / 3, 10);
        expect(f.roles.backend.maintenanceImpact).toBeCloseTo(1 / 8, 10);
    });
});

describe('seed-per-host', () => {
    const model = seedPerHost();
    const { placement: p, figures: f } = figures(model);

    it('keeps the pins exactly as written', () => {
        expect(p.pinExcess).toEqual([]);
        expect(p.overcommitted).toEqual([]);
        const names = p.pinned.map(list => list.map(i => model.instances[i].name));
        expect(names[0]).toEqual([
            'proxy_1c-1',
            'proxy_1c-2',
            'proxy_1c-3',
            'director_3c-1',
            'backend_4c-1',
            'backend_4c-2',
            'backend_4c-3',
            'backend_4c-4'
        ]);
        expect(names[3]).toEqual([
            'proxy_1c-10',
            'proxy_1c-11',
            'proxy_1c-12',
            'director_3c-4',
            'backend_4c-13',
            'backend_4c-14',
            'backend_4c-15',
            'backend_4c-16'
        ]);
        p.byHost.forEach((b, h) => expect(b).toEqual(p.pinned[h]));
    });

    it('uses 22 of 22 cores on every host, 88 of 96 in all', () => {
        for (const h of f.hosts) {
            expect(h.usedCores).toBe(22);
            expect(h.usableCores).toBe(22);
            expect(h.lossImpact.sessions).toBe(0.25);
        }
        expect(f.totals).toMatchObject({
            usableCores: 88,
            physicalCores: 96,
            placedCores: 88,
            // no workload states a demand: not stated, not 0
            demandCores: null
        });
        expect(f.roles.proxy.demandCores).toBeNull();
        expect(f.hostFailure).toEqual({ tolerates: 0, hostsNeededForNPlus1: 5 });
    });
});

describe('overcommit', () => {
    const model = overcommit();
    const { placement: p, figures: f } = figures(model);

    it('reports hv01 overcommitted with 24 vCPUs and 248 GiB pinned, and puts nothing more on it', () => {
        expect(p.overcommitted).toEqual([{ host: 0, cores: 24, memoryGiB: 248 }]);
        expect(f.hosts[0].overcommitted).toBe(true);
        expect(f.hosts[0].usedCores).toBe(24);
        expect(f.hosts[0].usedMemoryGiB).toBe(248);
        expect(p.byHost[0]).toEqual(p.pinned[0]);
        expect(f.hosts[1].overcommitted).toBe(false);
        expect(f.hosts[1].roleCounts).toEqual({ proxy: 0, director: 0, backend: 1 });
    });

    it('has the role figures the checks need and no host-failure figure', () => {
        expect(f.roles.proxy).toMatchObject({ hostsUsed: 1, maxOnOneHost: 2 });
        expect(f.roles.backend).toMatchObject({ instances: 6, maxOnOneHost: 5 });
        expect(f.roles.director).toEqual({
            instances: 0,
            cores: 0,
            memoryGiB: 0,
            demandCores: null,
            maintenanceImpact: 0,
            hostsUsed: 0,
            maxOnOneHost: 0,
            unplacedCores: 0,
            shapes: []
        });
        expect(f.hostFailure).toBeNull();
        expect(f.unplaced).toEqual([]);
    });
});

describe('ring-too-large', () => {
    const model = ringTooLarge();
    const { placement: p, figures: f } = figures(model);

    it('spreads directors 3/3/3/3, proxies 2/2/2/2, backends 2/2/2/2', () => {
        for (const h of f.hosts) {
            expect(h.roleCounts).toEqual({ proxy: 2, director: 3, backend: 2 });
            expect(h.usedCores).toBe(13);
        }
    });

    it('tolerates no host loss; N+1 needs 5 hosts; 1 spare core per host cannot take 13', () => {
        expect(f.hostFailure).toEqual({ tolerates: 0, hostsNeededForNPlus1: 5 });
        const e = explainHostFailure(model, p)!;
        expect(e).toMatchObject({
            host: 0,
            lostCores: 13,
            minSpareCores: 1,
            maxSpareCores: 1,
            spareCoresOfOthers: 3,
            largestLoadCores: 13,
            hostsNeededForNPlus1: 5
        });
    });
});

describe('seed-physical', () => {
    const model = seedPhysical();
    const { placement: p, figures: f } = figures(model);

    it('has no hosts and counts every instance as placed on its own machine', () => {
        expect(p.byHost).toEqual([]);
        expect(p.unplaced).toEqual([]);
        expect(f.hosts).toEqual([]);
        expect(f.hostFailure).toBeNull();
        expect(f.unplacedReason).toBeNull();
        expect(f.totals).toMatchObject({
            deployedCores: 88,
            usableCores: 88,
            physicalCores: 88,
            placedCores: 88,
            unplacedCores: 0
        });
        expect(f.platform).toBe('physical');
    });

    it('has the maintenance impacts 33.3%, 33.3%, 12.5%', () => {
        expect(f.roles.proxy.maintenanceImpact).toBeCloseTo(1 / 3, 10);
        expect(f.roles.director.maintenanceImpact).toBeCloseTo(1 / 3, 10);
        expect(f.roles.backend.maintenanceImpact).toBeCloseTo(1 / 8, 10);
        expect(f.roles.backend).toMatchObject({
            instances: 8,
            cores: 64,
            hostsUsed: 8,
            maxOnOneHost: 1
        });
    });
});
