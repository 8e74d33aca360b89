/**
 * Day 2 from the shell: every new instance is a `create` step, also of a role that loses no
 * locked instance (4 x 8-vCPU backends become 8 x 4: the new ones are created after the rebuilds
 * that make room; proxies added beside moves), counted in the head line and listed in the JSON.
 * The plans of test/fixtures/day2-creations, copied to a temp directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { copyPlanWithLock } from '../helpers/temp-plans.js';
import type { PlanReport } from '../../src/planner/report.js';

const FIXTURES = path.resolve(__dirname, '../fixtures/day2-creations');
let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-creations-'));
    for (const f of fs.readdirSync(FIXTURES))
        fs.copyFileSync(path.join(FIXTURES, f), path.join(tmp, f));
});
afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

/** `dcplan place`'s text from its `moves:` line on. */
async function steps(name: string): Promise<string> {
    const r = await runCli(['place', path.join(tmp, name)]);
    return r.stdout.slice(r.stdout.lastIndexOf('\nmoves: ') + 1);
}

describe('new instances of a role that loses no locked instance', () => {
    it('creates the new backends after the rebuilds that make room on their hosts (text)', async () => {
        const lock = path.join(tmp, 'resize.dcplan.lock');
        expect(await steps('resize.dcplan')).toBe(
            [
                `moves: 0 (from ${lock}), in 23 steps with 3 removals, 16 creations, 4 rebuilds in place`,
                '  1. px_1c-1: create on hv01 (1 vCPU, 2 GiB) (new)',
                '  2. px_1c-2: create on hv01 (1 vCPU, 2 GiB) (new)',
                '  3. px_1c-5: create on hv02 (1 vCPU, 2 GiB) (new)',
                '  4. px_1c-6: create on hv02 (1 vCPU, 2 GiB) (new)',
                '  5. px_1c-7: create on hv02 (1 vCPU, 2 GiB) (new)',
                '  6. px_1c-8: create on hv02 (1 vCPU, 2 GiB) (new)',
                '  7. px_1c-9: create on hv03 (1 vCPU, 2 GiB) (new)',
                '  8. px_1c-10: create on hv03 (1 vCPU, 2 GiB) (new)',
                '  9. px_1c-11: create on hv03 (1 vCPU, 2 GiB) (new)',
                '  10. px_1c-12: create on hv03 (1 vCPU, 2 GiB) (new)',
                '  11. px_4c-1: remove from hv01 (4 vCPUs, 8 GiB) (no longer deployed)',
                '  12. px_1c-3: create on hv01 (1 vCPU, 2 GiB) (new)',
                '  13. px_1c-4: create on hv01 (1 vCPU, 2 GiB) (new)',
                '  14. px_4c-2: remove from hv02 (4 vCPUs, 8 GiB) (no longer deployed)',
                '  15. px_4c-3: remove from hv03 (4 vCPUs, 8 GiB) (no longer deployed)',
                // the new backends after the rebuilds that make room for them
                '  16. be-1: rebuild on hv01 (8 -> 4 vCPUs, 64 -> 32 GiB)',
                '  17. be-2: rebuild on hv01 (8 -> 4 vCPUs, 64 -> 32 GiB)',
                '  18. be-3: rebuild on hv02 (8 -> 4 vCPUs, 64 -> 32 GiB)',
                '  19. be-4: rebuild on hv03 (8 -> 4 vCPUs, 64 -> 32 GiB)',
                '  20. be-5: create on hv02 (4 vCPUs, 32 GiB) (new)',
                '  21. be-6: create on hv03 (4 vCPUs, 32 GiB) (new)',
                '  22. be-7: create on hv01 (4 vCPUs, 32 GiB) (new)',
                '  23. be-8: create on hv02 (4 vCPUs, 32 GiB) (new)',
                ''
            ].join('\n')
        );
    });

    it('creates the new proxies after the moves and rebuilds (text)', async () => {
        const text = (await steps('tight.dcplan')).split('\n');
        expect(text[0]).toBe(
            `moves: 7 (from ${path.join(tmp, 'tight.dcplan.lock')}), in 27 steps with 6 removals, 2 creations, 12 rebuilds in place`
        );
        expect(text.slice(7, 14)).toEqual([
            '  7. px-8: h5 -> h3 (h5 drained)',
            '  8. px-9: h5 -> h1 (h5 drained)',
            '  9. px-10: h5 -> h2 (h5 drained)',
            '  10. be-4: h1 -> h6 (4 -> 5 vCPUs, 30 -> 34 GiB) (shape resized)',
            '  11. be-8: h2 -> h6 (4 -> 5 vCPUs, 30 -> 34 GiB) (shape resized)',
            '  12. be-12: h3 -> h6 (4 -> 5 vCPUs, 30 -> 34 GiB) (shape resized)',
            '  13. be-16: h5 -> h6 (4 -> 5 vCPUs, 30 -> 34 GiB) (h5 drained)'
        ]);
        expect(text.slice(25)).toEqual([
            '  25. be-15: rebuild on h4 (4 -> 5 vCPUs, 30 -> 34 GiB)',
            '  26. px2-1: create on h1 (2 vCPUs, 3 GiB) (new)',
            '  27. px2-2: create on h2 (2 vCPUs, 3 GiB) (new)',
            ''
        ]);
    });

    it('lists the creations in the JSON moves, with their size', async () => {
        const r = await runCli(['place', '--format', 'json', path.join(tmp, 'tight.dcplan')]);
        const report = JSON.parse(r.stdout) as PlanReport;
        expect(report.moves!.filter(s => s.kind === 'create')).toEqual([
            {
                step: 26,
                kind: 'create',
                instance: 'px2-1',
                from: 'h1',
                to: 'h1',
                temporary: false,
                toSize: { cores: 2, memoryGiB: 3 },
                reason: 'new'
            },
            {
                step: 27,
                kind: 'create',
                instance: 'px2-2',
                from: 'h2',
                to: 'h2',
                temporary: false,
                toSize: { cores: 2, memoryGiB: 3 },
                reason: 'new'
            }
        ]);
        expect(report.moves).toHaveLength(27);
    });

    it('dcplan fix says the creations and rebuilds in place a backend split implies', async () => {
        // resize.dcplan before its fix: 4 x 8-core backends, as the lock runs them
        const plan = copyPlanWithLock(
            path.join(tmp, 'resize.dcplan'),
            path.join(tmp, 'split.dcplan'),
            text =>
                text
                    .replace('plan resize {', 'plan split {')
                    .replace('cores = 4 memory = 32 GiB }', 'cores = 8 memory = 64 GiB }')
                    .replace('deploy 8 x be', 'deploy 4 x be')
        );
        const r = await runCli(['fix', plan]);
        expect(r.stderr).toBe(
            `dcplan: ${plan}: the fixes imply changes from ${plan}.lock: 3 instances removed, 16 created, 4 rebuilt in place, 0 moved (see dcplan place ${plan})\n`
        );
    });
});
