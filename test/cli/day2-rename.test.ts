/**
 * Day 2 from the shell: a shape renamed (or swapped) under a lock by hand — the text changed, the
 * lock not (an LSP rename edits the lock too and leaves no steps: test/lsp/rename-lock.test.ts).
 * The old instances are removed and the new ones created in turn — remove one, create one in the
 * room it frees — so the role never runs with no instance (nor all on one host) during the
 * migration. Real files in a temp directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/main.js';
import type { PlanReport } from '../../src/planner/report.js';

const EXAMPLES = path.resolve(__dirname, '../../examples');
let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-rename-'));
});
afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

/** seed-recommended locked as it is, then its `proxy_1c` renamed `proxy_one` in the plan. */
async function renamedPlan(): Promise<string> {
    // a directory of its own: no lock from another test beside it
    const file = path.join(fs.mkdtempSync(path.join(tmp, 'case-')), 'plan.dcplan');
    fs.copyFileSync(path.join(EXAMPLES, 'seed-recommended.dcplan'), file);
    const locked = await runCli(['lock', file]);
    expect([locked.status, locked.stderr]).toEqual([0, '']);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/\bproxy_1c\b/g, 'proxy_one'));
    return file;
}

describe('a renamed shape under a lock', () => {
    it('removes each old proxy and creates a new one in its room, in turn (text)', async () => {
        const file = await renamedPlan();
        const r = await runCli(['place', file]);
        expect(r.status).toBe(0);
        const order: string[] = [];
        const hosts = ['hv01', 'hv02', 'hv03', 'hv04'];
        // the lock ran proxy_1c-1..3 on hv01, 4..6 on hv02, …; the plan puts proxy_one-k on
        // hv0((k-1) mod 4 + 1)
        for (let h = 0; h < 4; h++)
            for (let j = 0; j < 3; j++) {
                // each with its size: the lock's for proxy_1c, the plan's for proxy_one
                order.push(
                    `proxy_1c-${h * 3 + j + 1}: remove from ${hosts[h]} (1 vCPU, 2 GiB) (no longer deployed)`
                );
                order.push(
                    `proxy_one-${h + 1 + 4 * j}: create on ${hosts[h]} (1 vCPU, 2 GiB) (new)`
                );
            }
        expect(r.stdout.slice(r.stdout.lastIndexOf('\nmoves: ') + 1)).toBe(
            [
                // the lock is named as the plan file is (outside the working directory: its full path)
                `moves: 0 (from ${file}.lock), in 24 steps with 12 removals, 12 creations`,
                ...order.map((s, k) => `  ${k + 1}. ${s}`)
            ].join('\n') + '\n'
        );
        expect(order.slice(0, 4)).toEqual([
            'proxy_1c-1: remove from hv01 (1 vCPU, 2 GiB) (no longer deployed)',
            'proxy_one-1: create on hv01 (1 vCPU, 2 GiB) (new)',
            'proxy_1c-2: remove from hv01 (1 vCPU, 2 GiB) (no longer deployed)',
            'proxy_one-5: create on hv01 (1 vCPU, 2 GiB) (new)'
        ]);
    });

    it('lists the creations as steps in the JSON, with their host', async () => {
        const file = await renamedPlan();
        const json = JSON.parse(
            (await runCli(['place', '--format', 'json', file])).stdout
        ) as PlanReport;
        const moves = json.moves!;
        expect(moves).toHaveLength(24);
        expect(moves.slice(0, 2)).toStrictEqual([
            {
                step: 1,
                kind: 'remove',
                instance: 'proxy_1c-1',
                from: 'hv01',
                to: null,
                temporary: false,
                // the size it runs at (the lock's), alone: it is shut down
                fromSize: { cores: 1, memoryGiB: 2 },
                reason: 'no-longer-deployed'
            },
            {
                step: 2,
                kind: 'create',
                instance: 'proxy_one-1',
                from: 'hv01',
                to: 'hv01',
                temporary: false,
                // the size it comes up at (the plan's), alone: it is new
                toSize: { cores: 1, memoryGiB: 2 },
                reason: 'new'
            }
        ]);
        expect(moves.filter(m => m.kind === 'create').map(m => m.to)).toEqual([
            'hv01',
            'hv01',
            'hv01',
            'hv02',
            'hv02',
            'hv02',
            'hv03',
            'hv03',
            'hv03',
            'hv04',
            'hv04',
            'hv04'
        ]);
        expect(json.diagnostics.map(d => d.code)).not.toContain('migration-blocked');
    });
});
