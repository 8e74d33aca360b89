/**
 * `place --optimal` under a lock with `rebalance_moves = 10` on nearly full hosts
 * (test/fixtures/day2-unblock): the MILP's optimum spent all 10 moves, swapping instances between
 * full hosts, and its migration order ended with 3 blocked steps (exit 1: `moves: 10 (…), in 9
 * steps with 2 temporary hops, 3 blocked`, director_3c-11 and -12 h7 -> h2 against backend_6c-2
 * h2 -> h7), where plain `place` rebalances in 3 clean moves. A rebalance move is an option:
 * the exact mode now gives back rebalance moves until the order is clean, and says so.
 */
import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { runCli } from '../../src/cli/main.js';
import type { PlanReport } from '../../src/planner/report.js';
import type { ExactSummary } from '../../src/protocol.js';

const PLAN = path.relative(
    process.cwd(),
    path.resolve(__dirname, '../fixtures/day2-unblock/full.dcplan')
);

/** The text from `moves:` on. */
const movesOf = (stdout: string) => stdout.slice(stdout.lastIndexOf('\nmoves: ') + 1);

describe('the exact mode never shows a rebalanced placement whose order is blocked', () => {
    it('plain place: 3 rebalance moves in a clean order', async () => {
        const r = await runCli(['place', PLAN]);
        expect(r.status).toBe(0);
        expect(movesOf(r.stdout)).toBe(
            [
                `moves: 3 (from ${PLAN}.lock)`,
                '  1. director_3c-5: h6 -> h1 (rebalance)',
                '  2. proxy_2c-11: h4 -> h6 (rebalance)',
                '  3. proxy_2c-17: h5 -> h6 (rebalance)',
                ''
            ].join('\n')
        );
    });

    it("place --optimal: 7 of the optimum's 10 moves given back, no step blocked, exit 0", async () => {
        const r = await runCli(['place', '--optimal', PLAN]);
        expect(r.status).toBe(0);
        expect(r.stdout).not.toContain('migration-blocked');
        expect(movesOf(r.stdout).replace(/in [0-9.]+ s/, 'in S s')).toBe(
            [
                `moves: 3 (from ${PLAN}.lock)`,
                '  1. director_3c-7: h6 -> h1 (rebalance)',
                '  2. proxy_2c-10: h3 -> h6 (rebalance)',
                '  3. proxy_2c-15: h4 -> h6 (rebalance)',
                "exact: proved optimal in S s; 7 rebalance moves given back: the optimum's migration order is blocked",
                ''
            ].join('\n')
        );
        const json = JSON.parse(
            (await runCli(['place', '--optimal', '--format', 'json', PLAN])).stdout
        ) as PlanReport & { exact: ExactSummary };
        expect(json.exact.rebalanceDropped).toBe(7);
        expect(json.exact.status).toBe('optimal');
        // the levels stay the solve's: the fewest moves the plan needs is 0
        expect(json.exact.levels.find(l => l.level === 'moves')).toMatchObject({
            value: 0,
            bound: 0
        });
        expect(json.moves).toStrictEqual(
            [
                ['director_3c-7', 'h6', 'h1'],
                ['proxy_2c-10', 'h3', 'h6'],
                ['proxy_2c-15', 'h4', 'h6']
            ].map(([instance, from, to], k) => ({
                step: k + 1,
                kind: 'move',
                instance,
                from,
                to,
                temporary: false,
                reason: 'rebalance'
            }))
        );
        expect(json.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
    }, 120_000);
});
