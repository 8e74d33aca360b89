/**
 * The `exact:` line of `dcplan place --optimal` when the time limit cuts the solve: what the
 * first unproved level has reached and what is not ruled out (a newcomer read "gap 100% on the
 * hosts running one role" of a full placement as a placement 100% off).
 */
import { describe, expect, it } from 'vitest';
import { exactLine } from '../../src/cli/optimal.js';
import type { ExactSummary } from '../../src/protocol.js';

/** A summary cut by a 10 s limit at `gapLevel`, all 969 of 969 vCPUs placed unless given. */
function cut(
    gapLevel: string,
    gap: number | null,
    value: number,
    bound: number | null,
    placed = 969
): ExactSummary {
    return {
        status: 'time-limit',
        gap,
        gapLevel,
        placedCores: placed,
        placedCoresBound: 969,
        deployedCores: 969,
        maxUtilisation: 1,
        seconds: 10.2,
        timeLimitSeconds: 10,
        levels: [{ level: gapLevel, value, bound, status: 'time-limit', seconds: 10 }]
    };
}

describe('the exact: line after the time limit', () => {
    it('a count level: the value reached and the fewest not ruled out', () => {
        expect(exactLine(cut('singleRole', 1, 3, 0))).toBe(
            'exact: the 10 s time limit left the hosts running one role unproved (3 here, perhaps as few as 0)'
        );
    });

    it('the cores placed: the value reached and the most not ruled out, with the placed figures', () => {
        expect(exactLine(cut('placedCores', 3 / 966, 966, 969, 966))).toBe(
            'exact: the 10 s time limit left the cores placed unproved (966 here, perhaps as many as 969); 966 of 969 cores placed, all may fit'
        );
    });

    it("the busiest host's utilisation: the relative gap, or unknown", () => {
        expect(exactLine(cut('maxUtil', 0.031, 0.9, 0.872))).toBe(
            "exact: the 10 s time limit left the busiest host's utilisation unproved (gap 3.1%)"
        );
        expect(exactLine(cut('maxUtil', null, 0.9, null))).toBe(
            "exact: the 10 s time limit left the busiest host's utilisation unproved (gap unknown)"
        );
    });

    it('a count level with no bound proved says so', () => {
        expect(exactLine(cut('missingRoles', null, 4, null))).toBe(
            'exact: the 10 s time limit left the roles missing from hosts unproved (4 here, no bound proved)'
        );
    });
});
