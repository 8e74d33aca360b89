/**
 * The perfect-fit repack of day 2 (src/planner/repack.ts) on a reduced plan #73 of the bench:
 * a 14-vCPU host with 4 + 3 + 6 (1 spare), a 7-vCPU host with 4 (3 spare) and an unplaced
 * director of 4 vCPUs fit exactly (21 of 21) only when the 3-vCPU director changes host.
 */
import { describe, expect, it } from 'vitest';
import { repackHosts } from '../../src/planner/repack.js';
import { buildPlan } from './fixtures.js';

const model = buildPlan({
    shapes: [
        { name: 'proxy_4c', role: 'proxy', cores: 4, memoryGiB: 8 },
        { name: 'director_3c', role: 'director', cores: 3, memoryGiB: 6 },
        { name: 'director_4c', role: 'director', cores: 4, memoryGiB: 8 },
        { name: 'backend_6c', role: 'backend', cores: 6, memoryGiB: 48 }
    ],
    deploy: [
        [2, 'proxy_4c'],
        [1, 'director_3c'],
        [1, 'director_4c'],
        [1, 'backend_6c']
    ],
    hosts: [
        { names: 'hv01', cores: 14, memoryGiB: 128 },
        { names: 'hv02', cores: 7, memoryGiB: 64 }
    ]
});
const names = model.instances.map(it => it.name);
const none = new Uint8Array(names.length);
const open = [true, true];

describe('repackHosts', () => {
    it('places the unplaced director by moving the other one: 21 of 21 vCPUs, one move', () => {
        expect(names).toEqual([
            'proxy_4c-1',
            'proxy_4c-2',
            'director_3c-1',
            'director_4c-1',
            'backend_6c-1'
        ]);
        // locked: proxy_4c-1, director_3c-1 and backend_6c-1 on hv01, proxy_4c-2 on hv02;
        // director_4c-1 is new and unplaced
        const stayHost = Int32Array.from([0, 1, 0, -1, 0]);
        const hostOf = [0, 1, 0, -1, 0];
        // hv01 alone (4 + 4 + 6, the 3 unplaced), then hv02 alone (4 + 3)
        expect(repackHosts(model, model, hostOf, none, stayHost, open, true)).toBe(2);
        expect(hostOf).toEqual([0, 1, 1, 0, 0]);
    });

    it('with no piece to place and nothing moved, changes nothing', () => {
        const stayHost = Int32Array.from([0, 1, 1, 0, 0]);
        const hostOf = [0, 1, 1, 0, 0];
        expect(repackHosts(model, model, hostOf, none, stayHost, open, true)).toBe(0);
        expect(hostOf).toEqual([0, 1, 1, 0, 0]);
    });

    it('keeps the perfect fit over two locked pieces sent back (vCPUs first)', () => {
        // each director locked on the other host: swapped back, hv02 would need 8 of its 7 vCPUs
        const stayHost = Int32Array.from([0, 1, 0, 1, 0]);
        const hostOf = [0, 1, 1, 0, 0];
        expect(repackHosts(model, model, hostOf, none, stayHost, open, false)).toBe(0);
        expect(hostOf).toEqual([0, 1, 1, 0, 0]);
    });

    it('with nothing to place, sends locked pieces back: the two proxies swapped, 2 moves fewer', () => {
        // proxy_4c-1 is locked on hv02 and runs on hv01, proxy_4c-2 the other way round
        const stayHost = Int32Array.from([1, 0, 1, 0, 0]);
        const hostOf = [0, 1, 1, 0, 0];
        expect(repackHosts(model, model, hostOf, none, stayHost, open, false)).toBe(1);
        expect(hostOf).toEqual([1, 0, 1, 0, 0]);
    });
});
