/**
 * Day 2 from the shell (issue 12 follow-up): the migration order lists every change as a step of
 * its kind — `remove` (no longer deployed), `stop` (left unplaced), `move`, `rebuild` (in place at
 * a new size) — in the text and the JSON, and `moves: N` counts moves and stops, as the exact
 * mode's moves level does; a temporary hop is listed only when a step that is not a hop follows
 * it. Real files in a temp directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { copyPlanWithLock } from '../helpers/temp-plans.js';
import type { PlanReport } from '../../src/planner/report.js';

const EXAMPLES = path.resolve(__dirname, '../../examples');
let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-steps-'));
});
afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

/**
 * examples/day2-drain.dcplan with its lock, changed: hv05 keeps 6 cores for the hypervisor (18
 * usable, 4 fewer than hv02 ran), 11 proxies (proxy_1c-12 on hv04 is removed) and directors of
 * 8 GiB (6 in the lock: rebuilt in place).
 */
function changedExample(): string {
    return copyPlanWithLock(
        path.join(EXAMPLES, 'day2-drain.dcplan'),
        path.join(tmp, 'steps.dcplan'),
        text =>
            text
                .replace(
                    'host hv01, hv[03..05] : dual_socket_24 {\n  hypervisor_cores  = 2',
                    'host hv01, hv[03..04] : dual_socket_24 {\n  hypervisor_cores  = 2\n  hypervisor_memory = 16 GiB\n}\n\nhost hv05 : dual_socket_24 {\n  hypervisor_cores  = 6'
                )
                .replace('deploy 12 x proxy_1c', 'deploy 11 x proxy_1c')
                .replace('cores = 3  memory = 6 GiB', 'cores = 3  memory = 8 GiB')
    );
}

describe('the migration steps of each kind', () => {
    it('removes, stops, moves and rebuilds, in that order where room requires it (text)', async () => {
        const plan = changedExample();
        const r = await runCli(['place', plan]);
        // the lock is named as the plan file is (outside the working directory: its full path)
        const lock = `${plan}.lock`;
        expect(r.stdout.slice(r.stdout.lastIndexOf('\nmoves: ') + 1)).toBe(
            [
                // 8 = 7 moved + 1 stopped; the removal and the 3 rebuilds are steps, not moves
                `moves: 8 (from ${lock}; 7 moved, 1 stopped), in 12 steps with 1 removal, 3 rebuilds in place`,
                // what is shut down says its size: the lock's (director_3c ran at 6 GiB)
                '  1. proxy_1c-12: remove from hv04 (1 vCPU, 2 GiB) (no longer deployed)',
                '  2. director_3c-2: stop on hv02 (3 vCPUs, 6 GiB) (left unplaced: no room in the plan)',
                '  3. proxy_1c-4: hv02 -> hv05 (hv02 drained)',
                '  4. proxy_1c-5: hv02 -> hv05 (hv02 drained)',
                // hv04 has the room only once proxy_1c-12 is removed
                '  5. proxy_1c-6: hv02 -> hv04 (hv02 drained)',
                '  6. backend_4c-5: hv02 -> hv05 (hv02 drained)',
                '  7. backend_4c-6: hv02 -> hv05 (hv02 drained)',
                '  8. backend_4c-7: hv02 -> hv05 (hv02 drained)',
                '  9. backend_4c-8: hv02 -> hv05 (hv02 drained)',
                // the lock's 6 GiB, the plan's 8; the vCPUs unchanged
                '  10. director_3c-1: rebuild on hv01 (3 vCPUs, 6 -> 8 GiB)',
                '  11. director_3c-3: rebuild on hv03 (3 vCPUs, 6 -> 8 GiB)',
                '  12. director_3c-4: rebuild on hv04 (3 vCPUs, 6 -> 8 GiB)',
                ''
            ].join('\n')
        );
    });

    it('gives each step its kind in the JSON, `to: null` for a stop or removal', async () => {
        const plan = changedExample();
        const json = JSON.parse(
            (await runCli(['place', '--format', 'json', plan])).stdout
        ) as PlanReport;
        expect(json.moves!.slice(0, 3)).toStrictEqual([
            {
                step: 1,
                kind: 'remove',
                instance: 'proxy_1c-12',
                from: 'hv04',
                to: null,
                temporary: false,
                fromSize: { cores: 1, memoryGiB: 2 },
                reason: 'no-longer-deployed'
            },
            {
                step: 2,
                kind: 'stop',
                instance: 'director_3c-2',
                from: 'hv02',
                to: null,
                temporary: false,
                // the lock's size, not the plan's 8 GiB: the one that runs and is shut down
                fromSize: { cores: 3, memoryGiB: 6 },
                reason: 'no-room'
            },
            {
                step: 3,
                kind: 'move',
                instance: 'proxy_1c-4',
                from: 'hv02',
                to: 'hv05',
                temporary: false,
                reason: 'host-drained'
            }
        ]);
        expect(json.moves!.at(-1)).toStrictEqual({
            step: 12,
            kind: 'rebuild',
            instance: 'director_3c-4',
            from: 'hv04',
            to: 'hv04',
            temporary: false,
            fromSize: { cores: 3, memoryGiB: 6 },
            toSize: { cores: 3, memoryGiB: 8 },
            reason: 'resized'
        });
    });

    it("says the sizes of a rebuild and of a resizing move, the lock's then the plan's (text and JSON)", async () => {
        // examples/day2-drain.dcplan without the drain, its directors 4 vCPUs (3 in the lock):
        // before, step 5 read `director_3c-1: rebuild on hv01 (its shape changed size)`
        const file = copyPlanWithLock(
            path.join(EXAMPLES, 'day2-drain.dcplan'),
            path.join(tmp, 'grown.dcplan'),
            text =>
                text
                    .replace('cores = 3  memory = 6 GiB', 'cores = 4  memory = 6 GiB')
                    .replace('  drain = true\n', '')
        );
        const text = (await runCli(['place', file])).stdout;
        expect(text.slice(text.lastIndexOf('\nmoves: ') + 1)).toBe(
            [
                `moves: 4 (from ${file}.lock), in 5 steps with 1 rebuild in place`,
                '  1. proxy_1c-1: hv01 -> hv05 (room for the placement)',
                // a director that moves comes up at its shape's new size: said as a rebuild's
                // (before: `director_3c-2: hv02 -> hv05`, no sizes)
                '  2. director_3c-2: hv02 -> hv05 (3 -> 4 vCPUs, 6 GiB) (shape resized)',
                '  3. director_3c-3: hv03 -> hv05 (3 -> 4 vCPUs, 6 GiB) (shape resized)',
                '  4. director_3c-4: hv04 -> hv05 (3 -> 4 vCPUs, 6 GiB) (shape resized)',
                '  5. director_3c-1: rebuild on hv01 (3 -> 4 vCPUs, 6 GiB)',
                ''
            ].join('\n')
        );
        const json = JSON.parse(
            (await runCli(['place', '--format', 'json', file])).stdout
        ) as PlanReport;
        expect(json.moves!.at(-1)).toStrictEqual({
            step: 5,
            kind: 'rebuild',
            instance: 'director_3c-1',
            from: 'hv01',
            to: 'hv01',
            temporary: false,
            fromSize: { cores: 3, memoryGiB: 6 },
            toSize: { cores: 4, memoryGiB: 6 },
            reason: 'resized'
        });
        expect(json.moves![1]).toStrictEqual({
            step: 2,
            kind: 'move',
            instance: 'director_3c-2',
            from: 'hv02',
            to: 'hv05',
            temporary: false,
            fromSize: { cores: 3, memoryGiB: 6 },
            toSize: { cores: 4, memoryGiB: 6 },
            reason: 'resized'
        });
        // the proxy's shape kept its size: its move carries none
        expect(json.moves!.filter(m => 'fromSize' in m || 'toSize' in m).map(m => m.step)).toEqual([
            2, 3, 4, 5
        ]);
    });

    it('counts as the exact mode proves: its moves level is the 8 of `moves: 8`', async () => {
        const plan = changedExample();
        const json = JSON.parse(
            (await runCli(['place', '--optimal', '--format', 'json', plan])).stdout
        ) as PlanReport & { exact: { levels: { level: string; value: number; bound: number }[] } };
        expect(json.exact.levels.find(l => l.level === 'moves')).toMatchObject({
            value: 8,
            bound: 8
        });
        expect(json.moves!.map(m => m.kind)).toEqual([
            'remove',
            'stop',
            ...Array<string>(7).fill('move'),
            'rebuild',
            'rebuild',
            'rebuild'
        ]);
        // its removal and stop say their sizes as the heuristic's do
        expect(json.moves!.slice(0, 2).map(m => [m.instance, m.fromSize, m.toSize])).toEqual([
            ['proxy_1c-12', { cores: 1, memoryGiB: 2 }, undefined],
            ['director_3c-2', { cores: 3, memoryGiB: 6 }, undefined]
        ]);
    }, 60_000);

    it('says placement-drift, with the lock file and line, for a shape the plan does not have', async () => {
        const plan = changedExample();
        const lock = fs
            .readFileSync(`${plan}.lock`, 'utf8')
            .replace('shapes:\n', 'shapes:\n  backend_2c: { cores: 2, memory_gib: 16 }\n');
        fs.writeFileSync(`${plan}.lock`, lock);
        const json = JSON.parse(
            (await runCli(['place', '--format', 'json', plan])).stdout
        ) as PlanReport;
        expect(
            json.diagnostics
                .filter(d => d.code === 'placement-drift')
                .map(d => `${d.line}:${d.column} ${d.message}`)
        ).toEqual([
            '22:6 the lock names instances the plan no longer deploys (removed): proxy_1c-12',
            // line 6 of the lock (after its 2 comment lines, plan, dcplan and shapes:)
            '22:6 the lock records a shape the plan does not have: backend_2c (steps.dcplan.lock:6)'
        ]);
    });

    it('lists no temporary hop that makes room only for blocked moves: the instances stay put', async () => {
        // 3 x px (1c), 2 x dr (3c), 6 x be (4c) locked on h2, h3, h1 (12 usable vCPUs each); a
        // third dr pinned with the others on h1 leaves 3 vCPUs free in all: no 4-core backend can
        // leave h1, and hopping px-1, px-2 or dr-1 (once listed, a px-1/px-2 swap) achieves nothing
        const head =
            'plan s { title = "s" }\n' +
            'shape px { role = proxy cores = 1 memory = 2 GiB }\n' +
            'shape dr { role = director cores = 3 memory = 6 GiB login_processes = 3 }\n' +
            'shape be { role = backend cores = 4 memory = 32 GiB }\n' +
            'deploy 3 x px\n';
        const hosts = (runs: string) =>
            'host h2, h3 { cores = 14 memory = 128 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }\n' +
            `host h1 { ${runs}cores = 14 memory = 128 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }\n`;
        const plan = path.join(tmp, 'hops.dcplan');
        fs.writeFileSync(plan, `${head}deploy 2 x dr\ndeploy 6 x be\n${hosts('')}`);
        expect((await runCli(['lock', plan])).status).toBe(0);
        fs.writeFileSync(plan, `${head}deploy 3 x dr\ndeploy 6 x be\n${hosts('runs = 3 x dr ')}`);
        const r = await runCli(['place', plan]);
        expect(r.status).toBe(1);
        expect(r.stdout).toContain(
            'error migration-blocked no safe migration order: these 6 steps block (no host has room for them, even for a temporary hop, without overcommitting or putting a role on one host): px-1: h2 -> h1, px-2: h3 -> h1, dr-1: h2 -> h1, be-5: h1 -> h2, be-6: h1 -> h3, dr-3: create on h1 (3 vCPUs, 6 GiB)'
        );
        expect(r.stdout.slice(r.stdout.lastIndexOf('\nmoves: ') + 1)).toBe(
            [
                `moves: 5 (from ${plan}.lock), 6 blocked (migration-blocked)`,
                '  1. px-1: h2 -> h1 (room for the placement) (blocked: no safe order, migration-blocked)',
                '  2. px-2: h3 -> h1 (room for the placement) (blocked: no safe order, migration-blocked)',
                '  3. dr-1: h2 -> h1 (pinned by runs) (blocked: no safe order, migration-blocked)',
                '  4. be-5: h1 -> h2 (h1 overcommitted) (blocked: no safe order, migration-blocked)',
                '  5. be-6: h1 -> h3 (h1 overcommitted) (blocked: no safe order, migration-blocked)',
                '  6. dr-3: create on h1 (3 vCPUs, 6 GiB) (new) (blocked: no safe order, migration-blocked)',
                ''
            ].join('\n')
        );
    });
});
