/**
 * Percentages as the spec prints them ("The plan report"): at most one decimal, a trailing .0
 * dropped, and never "0%" or "100%" for a share that is neither.
 */
import { describe, expect, it } from 'vitest';
import {
    formatGiB,
    formatGiBApart,
    formatLevel,
    formatNPlus1,
    formatPercent,
    formatResize
} from '../../src/planner/format.js';

describe('formatPercent', () => {
    it('prints the domain page figures: 1/12, 1/4, 1/16 (rounded half up), 1/3', () => {
        expect([1 / 12, 1 / 4, 1 / 16, 1 / 3, 0, 1, 2.5].map(formatPercent)).toEqual([
            '8.3%',
            '25%',
            '6.3%',
            '33.3%',
            '0%',
            '100%',
            '250%'
        ]);
    });

    it('says "< 0.1%" for one 1-core proxy of 3,000 cores, "> 99.9%" for 2,999 of 3,000', () => {
        expect(formatPercent(1 / 3000)).toBe('< 0.1%');
        expect(formatPercent(2999 / 3000)).toBe('> 99.9%');
        expect(formatPercent(1 / 2000)).toBe('0.1%');
        expect(formatPercent(1998 / 2000)).toBe('99.9%');
        expect(formatPercent(1999 / 2000)).toBe('> 99.9%');
    });

    it('keeps 0% and 100% for sums that are exactly none or all but for float error', () => {
        expect(formatPercent(0.1 + 0.2 - 0.3)).toBe('0%');
        expect(formatPercent((0.1 + 0.2) / 0.30000000000000004 - 1e-12)).toBe('100%');
    });
});

describe('formatGiB', () => {
    it('whole numbers as they are, others with at most two decimals', () => {
        expect([16, 1.5, 0.4883, 512].map(formatGiB)).toEqual(['16', '1.5', '0.49', '512']);
    });
});

describe('formatResize', () => {
    it('a changed figure as before -> after, an unchanged one once; the arrow given', () => {
        const size = (cores: number, memoryGiB: number) => ({ cores, memoryGiB });
        expect(formatResize(size(3, 6), size(4, 6))).toBe('3 -> 4 vCPUs, 6 GiB');
        expect(formatResize(size(3, 6), size(3, 8))).toBe('3 vCPUs, 6 -> 8 GiB');
        expect(formatResize(size(4, 32), size(2, 1.5), '→')).toBe('4 → 2 vCPUs, 32 → 1.5 GiB');
        // one vCPU after the rebuild: singular
        expect(formatResize(size(2, 2), size(1, 2))).toBe('2 -> 1 vCPU, 2 GiB');
        expect(formatResize(size(1, 2), size(1, 4))).toBe('1 vCPU, 2 -> 4 GiB');
    });
});

describe('formatLevel', () => {
    it('names the levels of the exact objective in words', () => {
        expect(['placedCores', 'spread', 'maxUtil', 'other'].map(formatLevel)).toEqual([
            'the cores placed',
            'the role spread',
            "the busiest host's utilisation",
            'other'
        ]);
    });
});

describe('formatNPlus1', () => {
    it('a plan that survives no loss: the host count N+1 needs', () => {
        expect(formatNPlus1({ tolerates: 0, hostsNeededForNPlus1: 5 })).toBe('N+1 needs 5 hosts');
        expect(
            formatNPlus1({ tolerates: 0, hostsNeededForNPlus1: 7, nPlus1Bound: 'at-least' })
        ).toBe('N+1 needs at least 7 hosts');
        expect(formatNPlus1({ tolerates: 0, hostsNeededForNPlus1: 2, drainedHosts: 2 })).toBe(
            'N+1 needs 2 hosts, not counting the 2 drained'
        );
    });
    it('a plan that survives k losses holds N+k with its own hosts, not "needs" them', () => {
        expect(formatNPlus1({ tolerates: 1, hostsNeededForNPlus1: 4 })).toBe(
            "N+1 holds with the plan's 4 hosts"
        );
        expect(formatNPlus1({ tolerates: 2, hostsNeededForNPlus1: 5 })).toBe(
            "N+2 holds with the plan's 5 hosts"
        );
        expect(
            formatNPlus1({
                tolerates: 1,
                hostsNeededForNPlus1: 4,
                drainedHosts: 1,
                toleratesBound: 'at-least'
            })
        ).toBe("N+1 holds with the plan's 4 hosts, not counting the drained one");
    });
});

describe('formatGiBApart', () => {
    it('keeps two decimals unless different amounts would read the same: 4100 MiB of 4096', () => {
        expect(formatGiBApart(3.3, 4100 / 1024)).toEqual(['3.3', '4']);
        expect(formatGiBApart(4100 / 1024, 4)).toEqual(['4.0039', '4']);
        expect(formatGiBApart(4, 4)).toEqual(['4', '4']);
        expect(formatGiBApart(89.851, 89.853)).toEqual(['89.851', '89.853']);
    });
});
