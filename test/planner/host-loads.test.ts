/**
 * The per-host load tracker of the day 2 searches and the exact mode's `roleOnOneHost` level
 * (src/planner/host-loads.ts): exact vCPUs, GiB, role counts and fits.
 */
import { describe, expect, it } from 'vitest';
import { HostLoads } from '../../src/planner/host-loads.js';
import { buildPlan } from './fixtures.js';

// two hosts of 10 usable vCPUs and 32 GiB; proxy-1..2 (2 vCPUs, 4 GiB), backend-1..2 (4, 16)
const model = buildPlan({
    shapes: [
        { name: 'proxy', role: 'proxy', cores: 2, memoryGiB: 4 },
        { name: 'backend', role: 'backend', cores: 4, memoryGiB: 16 }
    ],
    deploy: [
        [2, 'proxy'],
        [2, 'backend']
    ],
    hosts: [{ names: ['hv01', 'hv02'], cores: 10, memoryGiB: 32 }]
});

describe('HostLoads', () => {
    it('sums the vCPUs, GiB and roles of a placement, pins out of the movable set', () => {
        // proxy-1 (pinned) and both backends on hv01, proxy-2 on hv02
        const loads = HostLoads.of(model, [0, 1, 0, 0], model, Uint8Array.from([1, 0, 0, 0]));
        expect([...loads.cores]).toEqual([10, 2]);
        expect([...loads.memoryGiB]).toEqual([36, 4]);
        expect([...loads.roles]).toEqual([1, 0, 2, 1, 0, 0]);
        expect(loads.placedCores).toBe(12);
        expect([...loads.movable[0]]).toEqual([2, 3]);
        expect([...loads.movable[1]]).toEqual([1]);
        expect(loads.freeCores(0)).toBe(0);
        expect(loads.freeMemoryGiB(0)).toBe(-4);
    });

    it('fits by vCPUs and by memory, and a swap once a piece leaves', () => {
        const loads = HostLoads.of(model, [0, -1, 0, -1]);
        // hv01: 6 vCPUs, 20 GiB: a backend more is 10 vCPUs (fits), 36 GiB (does not)
        expect(loads.fits(3, 0)).toBe(false);
        expect(loads.fits(1, 0)).toBe(true);
        expect(loads.fits(3, 1)).toBe(true);
        // backend-2 in place of proxy-1: 8 vCPUs, 32 GiB
        expect(loads.fitsInstead(3, 0, 0)).toBe(true);
        // with proxy-2 there too (8 vCPUs, 24 GiB): in place of proxy-2 it is 36 GiB, of backend-1 24
        loads.add(1, 0, 1);
        expect(loads.fitsInstead(3, 1, 0)).toBe(false);
        expect(loads.fitsInstead(3, 2, 0)).toBe(true);
        loads.add(1, 0, -1);
        expect(loads.cores[0]).toBe(6);
    });

    it('counts the roles with two or more placed instances all on one host', () => {
        expect(HostLoads.of(model, [0, 0, 0, 1]).onOneHost()).toBe(1);
        expect(HostLoads.of(model, [0, 0, 0, 0]).onOneHost()).toBe(2);
        // one placed backend is not "on one host": the rule needs two
        expect(HostLoads.of(model, [0, 1, 0, -1]).onOneHost()).toBe(0);
    });
});
