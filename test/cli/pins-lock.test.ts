/**
 * Issue 12 from the shell: a `runs` pin that writes down what a host already runs moves nothing.
 * seed-recommended is locked with backend_4c-4..-7 on hv02, then `runs = 3 x backend_4c` is added
 * on hv02: `dcplan place` and `dcplan place --optimal` report 0 moves, the pin holding the
 * backends hv02 runs. Real files in a temp directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/main.js';
import type { PlanReport } from '../../src/planner/report.js';
import type { ExactSummary } from '../../src/protocol.js';

const examples = path.resolve(__dirname, '../../examples');
let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-pins-lock-'));
});
afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

const HOST = `: dual_socket_24 {
  hypervisor_cores  = 2
  hypervisor_memory = 16 GiB`;

describe('dcplan place with a pin of what hv02 runs', () => {
    it('reports 0 moves, heuristic and --optimal, the pin on backend_4c-4..-6', async () => {
        const plan = path.join(tmp, 'pinned.dcplan');
        const seed = fs.readFileSync(path.join(examples, 'seed-recommended.dcplan'), 'utf8');
        fs.writeFileSync(plan, seed);
        expect((await runCli(['lock', plan])).status).toBe(0);
        // what runs: backend_4c-4 on hv02 and backend_4c-8 on hv01 (swapped from the fresh lock)
        const lock = fs.readFileSync(`${plan}.lock`, 'utf8');
        expect(lock).toContain('\n  backend_4c-4: hv01\n');
        expect(lock).toContain('\n  backend_4c-8: hv02\n');
        fs.writeFileSync(
            `${plan}.lock`,
            lock
                .replace('\n  backend_4c-4: hv01\n', '\n  backend_4c-4: hv02\n')
                .replace('\n  backend_4c-8: hv02\n', '\n  backend_4c-8: hv01\n')
        );
        // the intent: hv02 runs 3 backends (hv01, hv02, hv03..04 in that order)
        fs.writeFileSync(
            plan,
            seed.replace(
                `host hv[01..04] ${HOST}`,
                `host hv01 ${HOST}\n}\n\nhost hv02 ${HOST}\n  runs = 3 x backend_4c\n}\n\nhost hv[03..04] ${HOST}`
            )
        );

        const r = await runCli(['place', plan]);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        const lines = r.stdout.split('\n');
        expect(lines.filter(l => /^hv0\d: /.test(l))).toEqual([
            'hv01: proxy_1c-1, proxy_1c-2, proxy_1c-3, director_3c-1, backend_4c-1, backend_4c-2, backend_4c-3, backend_4c-8',
            'hv02: backend_4c-4, backend_4c-5, backend_4c-6, proxy_1c-4, proxy_1c-5, proxy_1c-6, director_3c-2, backend_4c-7',
            'hv03: proxy_1c-7, proxy_1c-8, proxy_1c-9, director_3c-3, backend_4c-9, backend_4c-10, backend_4c-11, backend_4c-12',
            'hv04: proxy_1c-10, proxy_1c-11, proxy_1c-12, director_3c-4, backend_4c-13, backend_4c-14, backend_4c-15, backend_4c-16'
        ]);
        expect(r.stdout.endsWith(`\nmoves: 0 (from ${plan}.lock)\n`)).toBe(true);
        expect(r.stdout).not.toContain('migration-blocked');

        const optimal = await runCli(['place', '--optimal', '--format', 'json', plan]);
        expect(optimal.status).toBe(0);
        const json = JSON.parse(optimal.stdout) as PlanReport & { exact: ExactSummary };
        expect(json.moves).toEqual([]);
        expect(json.exact.status).toBe('optimal');
        expect(json.exact.levels.find(l => l.level === 'moves')).toMatchObject({
            value: 0,
            bound: 0
        });
        expect(json.diagnostics.map(d => d.code)).toEqual(['host-failure']);
    });
});
