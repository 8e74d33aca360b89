/**
 * The day 2 words of the language (issue 12): `drain = true|false` on hosts, `rebalance_moves = N`
 * in the plan block, checked with exact codes and ranges; a drained host takes nothing unpinned
 * even without a lock.
 */
import { describe, expect, it } from 'vitest';
import * as path from 'node:path';
import { checkFiles } from '../../language-server/check.js';
import { tempPlanChecker } from '../helpers/temp-plans.js';
import { diagnosticLines } from '../helpers/diagnostics.js';
import { statedDiagnostics } from '../helpers/plan-header.js';

const check = tempPlanChecker('dcplan-day2-');

const BASE = 'shape p { role = proxy cores = 1 memory = 1 GiB }\ndeploy 2 x p\n';

describe('drain and rebalance_moves', () => {
    it('reports a drain value that is not true or false, and a negative rebalance_moves', async () => {
        const r = await check(
            'bad.dcplan',
            'plan q { rebalance_moves = -1 }\n' +
                BASE +
                'host h1, h2 { cores = 4 memory = 8 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB drain = maybe }\n'
        );
        expect(diagnosticLines(r.diagnostics)).toEqual([
            'error invalid-number 1:28-1:30 rebalance_moves must be zero or more (-1 given)',
            "error invalid-value 4:95-4:100 unknown drain 'maybe': true or false"
        ]);
    });

    it('places nothing unpinned on a drained host, and reports drain given twice', async () => {
        const r = await check(
            'drain.dcplan',
            BASE +
                'host h1 { cores = 4 memory = 8 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB drain = true }\n' +
                'host h2, h3 { cores = 4 memory = 8 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB drain = false }\n'
        );
        expect(r.hosts.map(h => `${h.name}: ${h.instances.join(', ')}`)).toEqual([
            'h1: ',
            'h2: p-1',
            'h3: p-2'
        ]);
        const twice = await check(
            'twice.dcplan',
            BASE + 'host h1 { cores = 4 memory = 8 GiB drain = true drain = false }\n'
        );
        expect(
            twice.diagnostics
                .filter(d => d.code === 'duplicate-attribute')
                .map(d => `${d.line}:${d.column}`)
        ).toHaveLength(1);
    });
});

describe('the day 2 diagnostic fixtures (test/fixtures/diagnostics, with their locks)', () => {
    for (const name of ['migration-blocked', 'placement-drift']) {
        it(`${name}.dcplan gives exactly its Expected block`, async () => {
            const file = path.resolve(__dirname, '../fixtures/diagnostics', `${name}.dcplan`);
            const expected = statedDiagnostics(file);
            const [c] = await checkFiles([file]);
            expect(diagnosticLines(c.report.diagnostics)).toEqual(expected);
            expect(expected.some(l => l.split(' ')[1] === name)).toBe(true);
        });
    }
});
