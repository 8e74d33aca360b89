/**
 * `dcplan fix` with a lock (day 2): the split fix renames instances, so the lock then names
 * instances the plan no longer deploys (`placement-drift`) and the placement kept from the lock
 * crowds the new proxies on hosts (`role-concentration`). Those are the consequence of the fix,
 * the moves to make, not a reason to refuse it: the fix is applied and its removals are said.
 * `--lock FILE` and `--no-lock` mean what they mean for `check` and `place`.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/main.js';

const PLAN = `plan recommended { title = "four hypervisors" }

workload peak {
  proxy    = 12 cores
  director = 12 cores
  backend  = 64 cores
}

shape proxy_2c { role = proxy cores = 2 memory = 4 GiB login_processes = 2 }
shape director_3c { role = director cores = 3  memory = 6 GiB   login_processes = 3 }
shape backend_4c  { role = backend  cores = 4  memory = 32 GiB }

deploy 6 x proxy_2c
deploy 4  x director_3c
deploy 16 x backend_4c

model dual_socket_24 { cores = 24  threads_per_core = 1  memory = 384 GiB }

host hv[01..04] : dual_socket_24 {
  hypervisor_cores  = 2
  hypervisor_memory = 16 GiB
}
`;

/** A lock with the placement as it runs now: 2 directors on hv01 and hv04, 5 backends on hv02 and hv03. */
const LOCK = `plan: plan.dcplan
dcplan: 0.1.0
shapes:
  backend_4c: { cores: 4, memory_gib: 32 }
  director_3c: { cores: 3, memory_gib: 6 }
  proxy_2c: { cores: 2, memory_gib: 4 }
placement:
${[
    ...['hv01', 'hv01', 'hv01', 'hv02', 'hv02', 'hv02', 'hv02', 'hv02'].map(
        (h, i) => `backend_4c-${i + 1}: ${h}`
    ),
    ...['hv03', 'hv03', 'hv03', 'hv03', 'hv03', 'hv04', 'hv04', 'hv04'].map(
        (h, i) => `backend_4c-${i + 9}: ${h}`
    ),
    ...['hv01', 'hv01', 'hv04', 'hv04'].map((h, i) => `director_3c-${i + 1}: ${h}`),
    ...['hv01', 'hv01', 'hv02', 'hv03', 'hv04', 'hv04'].map((h, i) => `proxy_2c-${i + 1}: ${h}`)
]
    .map(l => `  ${l}`)
    .join('\n')}
`;

const SPLIT = 'proxy-split: Split into 12 × 1-core proxies (maintenance impact 8.3%)';

let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-fix-lock-'));
});
afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

/** A new directory holding plan.dcplan and its lock; the plan's path. */
function planWithLock(): string {
    const dir = fs.mkdtempSync(path.join(tmp, 'p-'));
    const plan = path.join(dir, 'plan.dcplan');
    fs.writeFileSync(plan, PLAN);
    fs.writeFileSync(`${plan}.lock`, LOCK);
    return plan;
}

describe('dcplan fix with a lock', () => {
    it('the lock as it is: check shows proxy-split; fix applies it and says the 6 removals', async () => {
        const plan = planWithLock();
        const check = await runCli(['check', plan]);
        expect(check.stdout).toContain(
            'info proxy-split 6 x 2 cores -> 12 x 1 core: more 1-core proxies lower the maintenance impact (16.7% -> 8.3%; the page, "Virtualised Proxy sizing")'
        );
        const diff = await runCli(['fix', plan]);
        expect(diff.status).toBe(1);
        expect(diff.stderr).toBe(
            `dcplan: ${plan}: the fixes imply changes from ${plan}.lock: 6 instances removed, 12 created, 0 moved (see dcplan place ${plan})\n`
        );
        expect(diff.stdout).toContain(
            '-shape proxy_2c { role = proxy cores = 2 memory = 4 GiB login_processes = 2 }\n+shape proxy_1c { role = proxy cores = 1 memory = 2 GiB }\n'
        );
        expect(diff.stdout).toContain('-deploy 6 x proxy_2c\n+deploy 12 x proxy_1c\n');
        expect(fs.readFileSync(plan, 'utf8')).toBe(PLAN);

        const write = await runCli(['fix', '--write', plan]);
        expect(write).toEqual({
            stdout: `${plan}: 1 fix applied\n  ${SPLIT}\n  the fixes imply changes from ${plan}.lock: 6 instances removed, 12 created, 0 moved (see dcplan place ${plan})\n`,
            stderr: '',
            status: 0
        });
        expect(fs.readFileSync(plan, 'utf8')).toBe(
            PLAN.replace(
                'shape proxy_2c { role = proxy cores = 2 memory = 4 GiB login_processes = 2 }',
                'shape proxy_1c { role = proxy cores = 1 memory = 2 GiB }'
            ).replace('deploy 6 x proxy_2c', 'deploy 12 x proxy_1c')
        );
        // the fixed plan, placed from the lock: the drift is the removals, the fix is not offered again
        const after = await runCli(['check', plan]);
        expect(after.stdout).toContain(
            'info placement-drift the lock names instances the plan no longer deploys (removed): proxy_2c-1, proxy_2c-2, proxy_2c-3, proxy_2c-4, proxy_2c-5, proxy_2c-6'
        );
        expect(after.stdout).not.toContain('proxy-split');
        expect((await runCli(['fix', plan])).status).toBe(0);
    });

    it('every shape split under a lock written by dcplan lock: no role is ever left without a running instance', async () => {
        // the lock records each shape's role, so a removed proxy_4c is known to be a proxy even
        // when every shape of the plan is renamed at once (the sizes alone pair none of them)
        const dir = fs.mkdtempSync(path.join(tmp, 'all-'));
        const plan = path.join(dir, 'r.dcplan');
        fs.writeFileSync(
            plan,
            'workload w { proxy = 12 cores director = 12 cores backend = 56 cores }\n' +
                'shape proxy_4c { role = proxy cores = 4 memory = 8 GiB }\n' +
                'shape director_4c { role = director cores = 4 memory = 8 GiB login_processes = 4 }\n' +
                'shape backend_8c { role = backend cores = 8 memory = 64 GiB }\n' +
                'deploy 3 x proxy_4c\ndeploy 3 x director_4c\ndeploy 7 x backend_8c\n' +
                'host hv[1..4] { cores = 24 memory = 384 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }\n'
        );
        expect((await runCli(['lock', plan])).status).toBe(0);
        expect(fs.readFileSync(`${plan}.lock`, 'utf8')).toContain(
            'shapes:\n  backend_8c: { role: backend, cores: 8, memory_gib: 64 }\n  director_4c: { role: director, cores: 4, memory_gib: 8 }\n  proxy_4c: { role: proxy, cores: 4, memory_gib: 8 }\n'
        );
        expect((await runCli(['fix', '--write', plan])).status).toBe(0);
        const placed = await runCli(['place', plan]);
        const moves = placed.stdout.slice(placed.stdout.lastIndexOf('\nmoves: ') + 1);
        expect(moves.split('\n')[0]).toBe(
            `moves: 0 (from ${plan}.lock), in 43 steps with 13 removals, 30 creations`
        );
        // replay: running instances per role, from the lock's 3 / 3 / 7
        const running: Record<string, number> = { proxy: 3, director: 3, backend: 7 };
        const roleOf = (inst: string) => inst.replace(/_.*/, '');
        for (const line of moves.split('\n').slice(1, -1)) {
            const step = /^ {2}\d+\. (\S+): (create|remove) /.exec(line);
            expect(step).not.toBeNull();
            const [, inst, kind] = step!;
            running[roleOf(inst)] += kind === 'create' ? 1 : -1;
            expect(running[roleOf(inst)]).toBeGreaterThan(0);
        }
        expect(running).toEqual({ proxy: 12, director: 4, backend: 14 });
    });

    it('--no-lock: the same fix, no lock named', async () => {
        const plan = planWithLock();
        const r = await runCli(['fix', '--no-lock', '--write', plan]);
        expect(r).toEqual({
            stdout: `${plan}: 1 fix applied\n  ${SPLIT}\n`,
            stderr: '',
            status: 0
        });
    });

    it('--lock FILE: the lock named is the one the fixes are judged against', async () => {
        const plan = planWithLock();
        const other = path.join(path.dirname(plan), 'other.lock');
        fs.renameSync(`${plan}.lock`, other);
        const r = await runCli(['fix', '--lock', other, '--write', plan]);
        expect(r.stdout).toBe(
            `${plan}: 1 fix applied\n  ${SPLIT}\n  the fixes imply changes from ${other}: 6 instances removed, 12 created, 0 moved (see dcplan place ${plan})\n`
        );
        expect(r.status).toBe(0);
    });

    it('--lock and --no-lock together, or --lock naming no file: a usage error (status 2)', async () => {
        const plan = planWithLock();
        expect(await runCli(['fix', '--lock', `${plan}.lock`, '--no-lock', plan])).toEqual({
            stdout: '',
            stderr: "error: option '--lock <file>' cannot be used with option '--no-lock'\n",
            status: 2
        });
        const none = path.join(tmp, 'none.lock');
        expect(await runCli(['fix', '--lock', none, plan])).toEqual({
            stdout: '',
            stderr: `dcplan: ${none}: cannot read the lock file: no such file (--lock)\n`,
            status: 2
        });
    });
});
