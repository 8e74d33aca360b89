/**
 * `rebalance_moves = N` under a lock spends its moves in the objective's order: spread, then mix
 * (hosts running one role, roles missing from hosts) and racks, then balance. A newcomer's plan
 * (test/fixtures/day2-rebalance) lost role mix as N grew — 5, 4, 3, 4, 5, 6, 7, 8 roles missing
 * from hosts for N = 0…7 — while the greedy ranked balance above missing roles.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/main.js';
import type { PlanReport } from '../../src/planner/report.js';

const FIXTURES = path.resolve(__dirname, '../fixtures/day2-rebalance');
let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-rebalance-'));
});
afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

/** The plan with `rebalance_moves = n` and its lock, written as mix-N.dcplan; its JSON report. */
async function placed(n: number): Promise<PlanReport> {
    const plan = fs
        .readFileSync(path.join(FIXTURES, 'mix.dcplan'), 'utf8')
        .replace('rebalance_moves = 0', `rebalance_moves = ${n}`);
    const lock = fs
        .readFileSync(path.join(FIXTURES, 'mix.dcplan.lock'), 'utf8')
        .replace('plan: mix.dcplan', `plan: mix-${n}.dcplan`);
    const file = path.join(tmp, `mix-${n}.dcplan`);
    fs.writeFileSync(file, plan);
    fs.writeFileSync(`${file}.lock`, lock);
    const r = await runCli(['place', '--format', 'json', file]);
    return JSON.parse(r.stdout) as PlanReport;
}

/** Roles missing from hosts, as the objective counts them (roles deployed − roles on the host). */
function missingRoles(report: PlanReport): number {
    const roles = (['proxy', 'director', 'backend'] as const).filter(r =>
        report.hosts.some(h => h.roleCounts[r] > 0)
    );
    return report.hosts.reduce((a, h) => a + roles.filter(r => h.roleCounts[r] === 0).length, 0);
}

describe('rebalance_moves spends its moves in the objective order', () => {
    it('roles missing from hosts never rise with more moves: 5, 4, 3, 2, 2, 2, 2, 2 for N = 0…7', async () => {
        const missing: number[] = [];
        for (let n = 0; n <= 7; n++) {
            const report = await placed(n);
            expect(report.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
            expect(report.moves!.length).toBeLessThanOrEqual(n);
            missing.push(missingRoles(report));
        }
        expect(missing).toEqual([5, 4, 3, 2, 2, 2, 2, 2]);
    }, 60_000);
});
