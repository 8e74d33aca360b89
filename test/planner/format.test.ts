/**
 * Percentages as the spec prints them ("The plan report"): at most one decimal, a trailing .0
 * dropped, and never "0%" or "100%" for a share that is neither.
 */
import { describe, expect, it } from 'vitest';
import { formatGiB, formatLevel, formatPercent } from '../../src/planner/format.js';

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
