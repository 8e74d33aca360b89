/**
 * `dcplan check` and `dcplan place` from the shell's point of view: exit statuses 0 / 1 / 2, the
 * text and JSON output, files that are not plans, terminal-safe output, and the rulebook's
 * plan-wide rules that only show on hand-written plans (peak demand, capped lists, one warning
 * per host range).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { runCli } from '../../src/cli/main.js';
import type { PlanReport } from '../../src/planner/report.js';
import { diagnosticRange } from '../helpers/diagnostics.js';

const examples = path.resolve(__dirname, '../../examples');
let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-check-'));
});
afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

function write(name: string, text: string | Buffer): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, text);
    return file;
}

async function json(file: string): Promise<PlanReport> {
    const r = await runCli(['check', '--format', 'json', file]);
    return JSON.parse(r.stdout) as PlanReport;
}

describe('dcplan check', () => {
    it('an import of a FIFO or a device says it is not a regular file (no workspace to open)', async () => {
        const dir = fs.mkdtempSync(path.join(tmp, 'fifo-'));
        execFileSync('mkfifo', [path.join(dir, 'pipe.dcplan')]);
        fs.symlinkSync('/dev/zero', path.join(dir, 'zero.dcplan'));
        const main = path.join(dir, 'main.dcplan');
        fs.writeFileSync(
            main,
            'import "pipe.dcplan"\nimport "zero.dcplan"\nplan p { title = "x" }\n'
        );
        const r = await json(main);
        expect(
            r.diagnostics
                .filter(d => d.code === 'import-missing')
                .map(d => `${d.line}:${d.column} ${d.message}`)
        ).toEqual([
            '1:8 pipe.dcplan is not a regular file (a pipe, a device or a socket): only plan files can be imported',
            '2:8 zero.dcplan is not a regular file (a pipe, a device or a socket): only plan files can be imported'
        ]);
    });

    it('the host table tells 4100 MiB used from 4096 usable: 4.0039/4, not 4/4', async () => {
        const file = write(
            'just-over.dcplan',
            [
                'plan t { title = "t" }',
                'shape p { role = proxy cores = 1 memory = 4100 MiB }',
                'deploy 1 x p',
                'host h1 { cores = 16 memory = 4 GiB  runs = 1 x p }',
                ''
            ].join('\n')
        );
        const r = await runCli(['place', file]);
        expect(r.stdout).toMatch(/^h1 +1\/16 +4\.0039\/4 +6\.3% +1 proxy +100%$/m);
    });

    it('JSON numbers read as written: 3 × 1.1 GiB is 3.3, a third is 0.333333333333', async () => {
        const file = write(
            'tenths.dcplan',
            [
                'plan t { title = "t" }',
                'shape p { role = proxy cores = 1 memory = 1.1 GiB }',
                'shape d { role = director cores = 1 memory = 1.1 GiB }',
                'shape b { role = backend cores = 1 memory = 1.1 GiB }',
                'deploy 3 x p',
                'deploy 3 x d',
                'deploy 3 x b',
                'host h[1..3] { cores = 16 memory = 64 GiB }',
                ''
            ].join('\n')
        );
        const r = await runCli(['place', '--format', 'json', file]);
        expect(r.stdout).toContain('"memoryGiB": 3.3,');
        expect(r.stdout).not.toMatch(/\d{13}/);
        const report = JSON.parse(r.stdout) as PlanReport;
        expect(report.roles.proxy.memoryGiB).toBe(3.3);
        expect(report.roles.proxy.maintenanceImpact).toBe(0.333333333333);
        expect(report.hosts.map(h => h.usedMemoryGiB)).toEqual([3.3, 3.3, 3.3]);
        expect(report.totals.deployedMemoryGiB).toBe(9.9);
    });

    it('places a plan that fits exactly, 50 VMs on 3 hosts, where generated packings alone miss one', async () => {
        const r = await json(
            path.resolve(__dirname, '../fixtures/exact-fit/fifty-on-three.dcplan')
        );
        expect(r.unplaced).toEqual([]);
        expect(r.totals.placedCores).toBe(314);
        expect(r.diagnostics.filter(d => d.code === 'unplaceable')).toEqual([]);
    });

    it('exits 0 without errors, 1 with errors in a plan, 2 when the command fails', async () => {
        expect(
            (await runCli(['check', path.join(examples, 'seed-recommended.dcplan')])).status
        ).toBe(0);
        expect((await runCli(['check', path.join(examples, 'seed-reference.dcplan')])).status).toBe(
            1
        );
        const missing = await runCli(['check', path.join(tmp, 'nope.dcplan')]);
        expect(missing.status).toBe(2);
        expect(missing.stderr).toContain('nope.dcplan: cannot read: no such file');
        expect(
            (
                await runCli([
                    'check',
                    '--format',
                    'xml',
                    path.join(examples, 'seed-recommended.dcplan')
                ])
            ).status
        ).toBe(2);
        expect((await runCli([])).status).toBe(2);
    });

    it("an unreadable file among others: its error on stderr, the others' reports still printed, exit 2", async () => {
        const good = path.join(examples, 'seed-recommended.dcplan');
        const r = await runCli(['check', path.join(tmp, 'nope.dcplan'), good]);
        expect(r.status).toBe(2);
        expect(r.stderr).toBe(
            `dcplan: ${path.join(tmp, 'nope.dcplan')}: cannot read: no such file\n`
        );
        expect(r.stdout.split('\n').slice(0, 3)).toEqual([
            `==> ${good} <==`,
            'plan recommended — Dovecot recommended VM split on four hypervisors (virtual)',
            '0 errors, 0 warnings, 1 info, 0 hints'
        ]);
        // JSON: an array for several files given, whichever could be read
        const json = await runCli([
            'check',
            '--format',
            'json',
            path.join(tmp, 'nope.dcplan'),
            good
        ]);
        expect(JSON.parse(json.stdout).map((x: { plan: string }) => x.plan)).toEqual([
            'recommended'
        ]);
    });

    it('place --optimal too: an unreadable file does not hide the proof for the others, exit 2', async () => {
        const good = path.join(examples, 'seed-recommended.dcplan');
        const r = await runCli(['place', '--optimal', path.join(tmp, 'nope.dcplan'), good]);
        expect(r.status).toBe(2);
        expect(r.stderr).toBe(
            `dcplan: ${path.join(tmp, 'nope.dcplan')}: cannot read: no such file\n`
        );
        expect(r.stdout.split('\n').slice(0, 2)).toEqual([
            `==> ${good} <==`,
            'plan recommended — Dovecot recommended VM split on four hypervisors (virtual)'
        ]);
        expect(r.stdout).toMatch(/^exact: proved optimal in [0-9.]+ s$/m);
        const alone = await runCli(['place', '--optimal', path.join(tmp, 'nope.dcplan')]);
        expect(alone).toMatchObject({ status: 2, stdout: '' });
    }, 60_000);

    it('several files: each report under ==> file <==, as head and tail do; one file: none', async () => {
        const a = path.join(examples, 'seed-recommended.dcplan'),
            b = path.join(examples, 'overcommit.dcplan');
        const r = await runCli(['check', a, b]);
        expect(r.stdout.split('\n').filter(l => l.startsWith('==> '))).toEqual([
            `==> ${a} <==`,
            `==> ${b} <==`
        ]);
        expect(r.stdout.startsWith(`==> ${a} <==\nplan recommended`)).toBe(true);
        expect((await runCli(['check', a])).stdout.startsWith('plan recommended')).toBe(true);
    });

    it('prints the diagnostics as file:line:col severity code message, and the tables', async () => {
        const file = path.join(examples, 'seed-reference.dcplan');
        const r = await runCli(['check', file]);
        expect(r.stdout).toContain(
            `${file}:32:1 error unplaceable cannot place proxy_4c-3 (4 cores)`
        );
        expect(r.stdout).toMatch(/proxy\s+3\s+4\s+12\s+24\s+12\s+33\.3%\s+1/);
        expect(r.stdout).toMatch(/hv01\s+20\/22\s+136\/368\s+90\.9%\s+1 proxy, 2 backend\s+33\.3%/);
        expect(r.stdout).toContain(
            'unplaced (8 cores, the pieces do not fit): proxy_4c-3, director_4c-3'
        );
        expect(r.stdout).toContain(
            'totals: demand 88 cores, deployed 88, usable 88, physical 96; placed 80, unplaced 8'
        );
    });

    it('the host failure line: N+k holds with the plan hosts when k losses are survived; none when nothing is deployed', async () => {
        const hosts =
            'host hv[1..5] { cores = 8 memory = 32 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }\n';
        const two = write(
            'two.dcplan',
            'plan p { tolerate_host_failures = 2 }\nshape proxy_1c { role = proxy cores = 1 memory = 2 GiB }\ndeploy 3 x proxy_1c\n' +
                hosts
        );
        const lines = (await runCli(['check', two])).stdout.split('\n');
        expect(lines.filter(l => l.startsWith('host failure'))).toEqual([
            "host failure: tolerates 2 host losses; N+2 holds with the plan's 5 hosts"
        ]);
        const empty = write('empty.dcplan', 'host hv01 { cores = 8 memory = 32 GiB }\n');
        const r = await runCli(['check', empty]);
        expect(r.stdout).not.toContain('host failure');
        expect(r.stdout).not.toContain('N+1');
        expect((await json(empty)).hostFailure).toBeNull();
    });

    it('names at most 50 unplaced instances, then how many more (deploy 1M x p printed 10 MB)', async () => {
        const file = write(
            'many-unplaced.dcplan',
            'shape p { role = proxy cores = 1 memory = 2 GiB }\n' +
                'host h { cores = 8 memory = 32 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }\n' +
                'deploy 60 x p\n'
        );
        const r = await runCli(['check', file]);
        const names = Array.from({ length: 50 }, (_, k) => `p-${k + 7}`).join(', ');
        expect(r.stdout.split('\n').filter(l => l.startsWith('unplaced'))).toEqual([
            `unplaced (54 cores, the total is short): ${names} and 4 more (--format json lists all)`
        ]);
        const json = JSON.parse((await runCli(['check', '--format', 'json', file])).stdout) as {
            unplaced: unknown[];
        };
        expect(json.unplaced).toHaveLength(54);
    });

    it('one unplaced core is "1 core" in the summary line', async () => {
        const file = write(
            'one-core-short.dcplan',
            'shape p { role = proxy cores = 1 memory = 2 GiB }\n' +
                'host h { cores = 4 memory = 32 GiB hypervisor_cores = 1 hypervisor_memory = 4 GiB }\n' +
                'deploy 4 x p\n'
        );
        const r = await runCli(['check', file]);
        expect(r.stdout.split('\n').filter(l => l.startsWith('unplaced'))).toEqual([
            'unplaced (1 core, the total is short): p-4'
        ]);
    });

    it('a drained host that keeps a pin reads drained, its CPU share -, not 0%', async () => {
        const file = write(
            'drain-pin.dcplan',
            'shape b { role = backend cores = 4 memory = 32 GiB }\ndeploy 2 x b\n' +
                'host hv1 { cores = 8 memory = 64 GiB hypervisor_cores = 1 hypervisor_memory = 4 GiB }\n' +
                'host hv2 { cores = 8 memory = 64 GiB hypervisor_cores = 1 hypervisor_memory = 4 GiB drain = true runs = 1 x b }\n'
        );
        const lines = (await runCli(['place', file])).stdout.split('\n');
        expect(lines.filter(l => /^hv\d /.test(l))).toEqual([
            'hv1                 4/7            32/60  57.1%  1 backend               50%',
            'hv2         4/0 drained     32/0 drained      -  1 backend               50%'
        ]);
    });

    it('place lists the instances of every host; several files give a JSON array', async () => {
        const r = await runCli(['place', path.join(examples, 'seed-recommended.dcplan')]);
        expect(r.stdout).toContain(
            'hv01: proxy_1c-1, proxy_1c-2, proxy_1c-3, director_3c-1, backend_4c-1, backend_4c-2, backend_4c-3, backend_4c-4'
        );
        const both = await runCli([
            'check',
            '--format',
            'json',
            path.join(examples, 'seed-recommended.dcplan'),
            path.join(examples, 'seed-physical.dcplan')
        ]);
        expect((JSON.parse(both.stdout) as PlanReport[]).map(p => p.plan)).toEqual([
            'recommended',
            'physical'
        ]);
    });

    it('refuses a file not named .dcplan (exit 2, one line), checks the plans beside it; --any-extension reads it', async () => {
        const txt = write(
            'plan.txt',
            fs.readFileSync(path.join(examples, 'seed-recommended.dcplan'))
        );
        const refused = await runCli(['check', txt]);
        expect(refused).toEqual({
            stdout: '',
            stderr: `dcplan: ${txt}: not a .dcplan file: only plans are checked (--any-extension reads it as a plan)\n`,
            status: 2
        });
        const beside = await runCli([
            'check',
            '-f',
            'json',
            txt,
            path.join(examples, 'seed-physical.dcplan')
        ]);
        expect(beside.status).toBe(2);
        expect(beside.stderr).toBe(refused.stderr);
        expect((JSON.parse(beside.stdout) as PlanReport).plan).toBe('physical');
        const placed = await runCli(['place', txt]);
        expect([placed.status, placed.stderr]).toEqual([2, refused.stderr]);
        for (const command of ['fix', 'lock'])
            expect(await runCli([command, txt])).toEqual({
                stdout: '',
                stderr: `dcplan: ${txt}: not a .dcplan file: only plans are ${command === 'fix' ? 'fixed' : 'locked'}\n`,
                status: 2
            });
        expect(fs.existsSync(txt + '.lock')).toBe(false);
        const r = await runCli(['check', '--any-extension', txt]);
        expect(r.status).toBe(0);
        expect(r.stdout).toContain('plan recommended');
        const bin = write('garbage.dcplan', Buffer.from([0x80, 0xff, 0x00, 0x41, 0x1b, 0x5b]));
        const b = await runCli(['check', bin]);
        expect(b.status).toBe(2);
        expect(b.stderr).toBe(`dcplan: ${bin}: cannot read: not a UTF-8 text file\n`);
    });

    it('shows control characters of a title as escapes, not raw', async () => {
        const file = write('esc.dcplan', 'plan p { title = "\u001b[2Jhello\u0007" }\n');
        const r = await runCli(['check', file]);
        expect(r.stdout.split('\n')[0]).toBe('plan p — \\x1b[2Jhello\\x07 (virtual)');
        expect(r.stdout).not.toContain('\u001b');
    });
});

describe('plan-wide rules on hand-written plans', () => {
    const hosts =
        'host hv[1..3] { cores = 8 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }\n';

    it("capacity is checked against the peak demand over the workloads, on the peak workload's line", async () => {
        const ok = await json(
            write(
                'peak.dcplan',
                'workload day { proxy = 12 cores }\nworkload night { proxy = 4 cores }\nshape p { role = proxy cores = 1 memory = 2 GiB }\ndeploy 12 x p\n' +
                    hosts
            )
        );
        expect(ok.diagnostics.filter(d => d.code.startsWith('capacity'))).toEqual([]);
        const short = await json(
            write(
                'short.dcplan',
                'workload day { proxy = 12 cores }\nworkload night { proxy = 4 cores }\nshape p { role = proxy cores = 1 memory = 2 GiB }\ndeploy 10 x p\n' +
                    hosts
            )
        );
        expect(
            short.diagnostics
                .filter(d => d.code.startsWith('capacity'))
                .map(d => [d.code, d.line, d.column, d.message])
        ).toEqual([
            [
                'capacity-short',
                1,
                16,
                'proxy needs 12 cores at the peak (workload day), 10 deployed: 2 short'
            ]
        ]);
        const excess = await json(
            write(
                'excess.dcplan',
                'workload day { proxy = 4 cores }\nshape p { role = proxy cores = 1 memory = 2 GiB }\ndeploy 6 x p\n' +
                    hosts
            )
        );
        expect(
            excess.diagnostics
                .filter(d => d.code.startsWith('capacity'))
                .map(d => [d.code, d.message])
        ).toEqual([
            [
                'capacity-excess',
                '6 proxy cores deployed for a peak demand of 4 (workload day): 50% above it (more than 25%)'
            ]
        ]);
    });

    it('an unplaceable message lists at most 8 instances, then how many more', async () => {
        const r = await json(
            write(
                'many.dcplan',
                'shape p { role = proxy cores = 1 memory = 2 GiB }\ndeploy 20 x p\nhost h1 { cores = 8 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }\n'
            )
        );
        const [u] = r.diagnostics.filter(d => d.code === 'unplaceable');
        expect(u.message).toBe(
            'cannot place p-7, p-8, p-9, p-10, p-11, p-12, p-13, p-14 and 6 more (14 cores): the total is short: 20 cores deployed, 6 usable; 6 cores placed, 14 unplaced: p-7, p-8, p-9, p-10, p-11, p-12, p-13, p-14 and 6 more; proved: at most 6 of 20 cores can be placed'
        );
        expect(r.unplaced).toHaveLength(14);
    });

    it('with a lock, unplaceable keeps the proved bound of the plan (day 2)', async () => {
        // locked with 4-core backends, then be resized to 5: 24 cores on 3 hosts of 8 usable,
        // the pieces do not fit; the bound is the plan's, whatever the lock says
        const file = write(
            'bound.dcplan',
            'shape px { role = proxy cores = 2 memory = 4 GiB login_processes = 2 }\nshape be { role = backend cores = 5 memory = 8 GiB }\ndeploy 2 x px\ndeploy 4 x be\nhost h1, h2, h3 { cores = 9 memory = 64 GiB hypervisor_cores = 1 hypervisor_memory = 4 GiB }\n'
        );
        write(
            'bound.dcplan.lock',
            'plan: bound.dcplan\ndcplan: 0.1.0\nshapes:\n  be: { cores: 4, memory_gib: 8 }\n  px: { cores: 2, memory_gib: 4 }\nplacement:\n  be-1: h1\n  be-2: h1\n  be-3: h2\n  be-4: h3\n  px-1: h2\n  px-2: h3\n'
        );
        const tail =
            '19 cores placed, 5 unplaced: be-2; proved: at most 19 of 24 cores can be placed';
        const [locked] = (await json(file)).diagnostics.filter(d => d.code === 'unplaceable');
        expect(locked.message).toBe(
            'cannot place be-2 (5 cores): the total fits (24 cores deployed, 24 usable), the pieces do not; ' +
                tail
        );
        const free = await runCli(['check', '--no-lock', '--format', 'json', file]);
        const [fresh] = (JSON.parse(free.stdout) as PlanReport).diagnostics.filter(
            d => d.code === 'unplaceable'
        );
        expect(fresh.message.endsWith('proved: at most 19 of 24 cores can be placed')).toBe(true);
    });

    it('no-hypervisor-reserve: one warning for a host range, naming its hosts', async () => {
        const r = await json(
            write(
                'reserve.dcplan',
                'shape p { role = proxy cores = 1 memory = 2 GiB }\ndeploy 4 x p\nhost hv[1..4] { cores = 8 memory = 64 GiB }\n'
            )
        );
        expect(
            r.diagnostics
                .filter(d => d.code === 'no-hypervisor-reserve')
                .map(d => [d.line, d.column, d.endColumn, d.message])
        ).toEqual([
            [
                3,
                6,
                14,
                "hv1, hv2, hv3, hv4 keep no cores and no memory for the hypervisor: Dovecot needs the cores and memory it is given (the page keeps 2 of a 24-core host's cores for the hypervisor)"
            ]
        ]);
    });

    it('syntax errors say what is wrong in one line', async () => {
        const r = await json(
            write(
                'typo.dcplan',
                'shape proxy_1c { role = proxy cores = 1 memroy = 2 GiB }\nhost x { cores = 4 memory = 8 GiB }\nshape q { role = proxy cores = 1 memory = 4 gib }\nhost h1 { cores = 4\n'
            )
        );
        expect(
            r.diagnostics
                .filter(d => d.code === 'syntax-error')
                .map(d => [d.line, d.column, d.message])
        ).toEqual([
            [1, 41, "unknown attribute 'memroy' here (did you mean memory?)"],
            [2, 6, "'x' is a reserved word and cannot be a name"],
            [4, 20, "the file ends before a block is closed: a '}' is missing"]
        ]);
        // a unit in the wrong case is the value's error, not a syntax error
        expect(
            r.diagnostics
                .filter(d => d.code === 'size-unit')
                .map(d => [d.line, d.column, d.message])
        ).toEqual([[3, 43, "units are case-sensitive: write '4 GiB', not '4 gib'"]]);
        // The shape with the typo is not also said to miss its memory.
        expect(r.diagnostics.filter(d => d.code === 'missing-attribute')).toEqual([]);
    });

    it('one error for one mistake, on the value, wherever a size or count is written: a unit in the wrong case, an exponent, too large', async () => {
        const r = await json(
            write(
                'one.dcplan',
                [
                    'workload w { backend = 4 cores, 8 gib  proxy = 1 cores, 1e3 GiB }',
                    'shape b { role = backend cores = 4 memory = 8 gib }',
                    'shape c { role = backend cores = 4 memory = 1e400 GiB }',
                    'shape d { role = backend cores = 4 memory = 8 }',
                    'shape e { role = backend cores = 1e3 memory = 8 GiB }',
                    'shape f { role = backend cores = 4 memory = 99999999999999999999 GiB }',
                    'shape p { role = proxy cores = 1 memory = 2 GiB }',
                    'shape g { role = proxy cores = 1 memory = .5 GiB }',
                    'deploy 1 x b',
                    'deploy 1 x p',
                    ''
                ].join('\n')
            )
        );
        expect(
            r.diagnostics
                .filter(d => d.code === 'size-unit' || d.code === 'invalid-number')
                .map(d => [d.line, d.column, d.code, d.message])
        ).toEqual([
            [1, 33, 'size-unit', "units are case-sensitive: write '8 GiB', not '8 gib'"],
            [
                1,
                57,
                'invalid-number',
                "numbers have no exponent: write 1000 for '1e3' (digits, with _ or the k and M suffixes)"
            ],
            [2, 45, 'size-unit', "units are case-sensitive: write '8 GiB', not '8 gib'"],
            [
                3,
                45,
                'invalid-number',
                "numbers have no exponent: write '1e400' in full (digits, with _ or the k and M suffixes)"
            ],
            // a number alone still gets the unit error
            [
                4,
                45,
                'size-unit',
                "memory needs a unit: did you mean '8 GiB'? (MiB, GiB, TiB, or decimal MB, GB, TB)"
            ],
            [
                5,
                34,
                'invalid-number',
                "cores: numbers have no exponent: write 1000 for '1e3' (digits, with _ or the k and M suffixes)"
            ],
            [6, 45, 'invalid-number', "'99999999999999999999 GiB' is too large"],
            [8, 43, 'invalid-number', "a number starts with a digit: write '0.5 GiB'"]
        ]);
        expect(r.diagnostics.filter(d => d.code === 'syntax-error')).toEqual([]);
    });

    it('a deploy with an invalid count does not make its shape "unused"', async () => {
        const r = await json(
            write(
                'count.dcplan',
                'shape p { role = proxy cores = 1 memory = 2 GiB }\ndeploy 0 x p\n'
            )
        );
        expect(r.diagnostics.map(d => d.code)).toEqual(['invalid-number']);
    });
    it('a byte order mark does not count as a column on the first line', async () => {
        const text = 'shape a { role = proxy cores = 1 memory = 2 GiB zork = 1 }\r\n';
        const plain = await json(write('nobom.dcplan', text));
        const bom = await json(write('bom.dcplan', '\uFEFF' + text));
        const at = (r: typeof plain) => r.diagnostics.map(d => `${d.code} ${diagnosticRange(d)}`);
        expect(at(plain)).toEqual(['unused-shape 1:7-1:8', 'syntax-error 1:49-1:53']);
        expect(at(bom)).toEqual(at(plain));
    });
    it('dcplan fix says why it applies nothing to a file with syntax errors', async () => {
        const file = write(
            'unclosed.dcplan',
            'shape p { role = proxy cores = 1 memory = 2 GiB }\ndeploy 2 x p\nhost h1 { cores = 8 memory = 16 GiB\n'
        );
        const r = await runCli(['fix', file]);
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe(
            `dcplan: ${file}:3:36: a syntax error (the file ends before a block is closed: a '}' is missing): no quick-fix applied; correct the text first\n`
        );
        // not "nothing to fix": with or without --write, a syntax error exits 1
        expect(r.status).toBe(1);
        expect((await runCli(['fix', '--write', file])).status).toBe(1);
    });
});

describe('dcplan place --optimal', () => {
    it('proves seed-reference cannot place more than 80 of 88 cores, in text, JSON and the HTML export', async () => {
        const file = path.join(examples, 'seed-reference.dcplan');
        const text = await runCli(['place', '--optimal', file]);
        expect(text.stdout).toMatch(
            /exact: proved optimal in [0-9.]+ s; 80 of 88 cores placed, no placement places more than 80/
        );
        const json = JSON.parse(
            (await runCli(['place', '--optimal', '--format', 'json', file])).stdout
        );
        expect(json.exact.status).toBe('optimal');
        expect(json.totals.placedCores).toBe(80);
        const html = (await runCli(['place', '--optimal', '--format', 'html', file])).stdout;
        expect(html).toContain('exact placement: <span class="exact-text">proved optimal');
    }, 60_000);

    it('with a lock (day 2): the exact placement proves its 8 moves and lists their order', async () => {
        const file = path.join(examples, 'day2-drain.dcplan');
        const text = (await runCli(['place', '--optimal', file])).stdout;
        expect(text).toContain(
            'moves: 8 (from examples/day2-drain.dcplan.lock)\n  1. proxy_1c-4: hv02 -> hv05 (hv02 drained)\n'
        );
        expect(text).toContain(
            '  8. backend_4c-8: hv02 -> hv05 (hv02 drained)\nexact: proved optimal in'
        );
        const json = JSON.parse(
            (await runCli(['place', '--optimal', '--format', 'json', file])).stdout
        );
        expect(json.lockFile).toBe('examples/day2-drain.dcplan.lock');
        expect(json.moves).toHaveLength(8);
        expect(
            json.moves.every(
                (m: { from: string; to: string }) => m.from === 'hv02' && m.to === 'hv05'
            )
        ).toBe(true);
        const level = json.exact.levels.find((l: { level: string }) => l.level === 'moves');
        expect(level).toMatchObject({ value: 8, bound: 8 });
        // without the lock: no moves, and no moves level
        const none = JSON.parse(
            (await runCli(['place', '--optimal', '--no-lock', '--format', 'json', file])).stdout
        );
        expect(none.moves).toBeUndefined();
        expect(none.exact.levels.map((l: { level: string }) => l.level)).not.toContain('moves');
    }, 60_000);
});

describe('newcomer findings on fix and --optimal', () => {
    it('fix leaves a file with an unclosed block alone and says why', async () => {
        const text = 'shape p_4c { role = proxy cores = 4 memory = 8 GiB\ndeploy 3 x p_4c\n';
        const file = write('syn.dcplan', text);
        const r = await runCli(['fix', '--write', file]);
        expect(fs.readFileSync(file, 'utf8')).toBe(text);
        expect(r.stderr).toMatch(
            /syn\.dcplan:\d+:\d+: a syntax error .*: no quick-fix applied; correct the text first/
        );
    });

    it('--code takes one code per use, so the file after it is a file', async () => {
        const file = write(
            'ring.dcplan',
            fs.readFileSync(path.join(examples, 'ring-too-large.dcplan'))
        );
        const r = await runCli(['fix', '--code', 'director-ring-too-large', file]);
        expect(r.status).toBe(1);
        expect(r.stdout).toContain('+deploy 4 x director_3c');
        const both = await runCli([
            'fix',
            '--code',
            'director-ring-too-large',
            '--code',
            'no-hypervisor-reserve',
            file
        ]);
        expect(both.status).toBe(1);
    });

    it('fix --write says on stderr that errors are left (exit 1), even when nothing could be fixed, and on stdout why', async () => {
        const file = write(
            'left.dcplan',
            'shape d { role = backend cores = 4 memory = 8 }\ndeploy 1 x d\n'
        );
        const r = await runCli(['fix', '--write', file]);
        // the unit is a guess: its fix is offered, not preferred, and stdout says so
        expect(r).toMatchObject({
            status: 1,
            stdout: [
                `${file}: no fix applied`,
                '  left:',
                '    error size-unit, line 1: its fixes are not preferred: Write 8 GiB',
                ''
            ].join('\n')
        });
        expect(r.stderr).toBe(`dcplan: ${file}: 1 error left: see dcplan check ${file}\n`);
    });

    it('--time-limit without --optimal runs the exact solver (it is its time limit)', async () => {
        const file = path.join(examples, 'seed-recommended.dcplan');
        expect((await runCli(['place', '--time-limit', '5', file])).stdout).toMatch(
            /^exact: proved optimal in [0-9.]+ s$/m
        );
        expect((await runCli(['place', file])).stdout).not.toMatch(/^exact:/m);
    }, 60_000);

    it('--time-limit above a day is refused, not overflowed', async () => {
        const r = await runCli([
            'place',
            '--optimal',
            '--time-limit',
            '1e9',
            path.join(examples, 'seed-recommended.dcplan')
        ]);
        expect(r).toMatchObject({
            status: 2,
            stdout: '',
            stderr: "error: option '--time-limit <seconds>' argument '1e9' is invalid. --time-limit takes a positive number of seconds, at most 86400\n"
        });
    });

    it('every bad --time-limit is said in the one style of option errors', async () => {
        const plan = path.join(examples, 'seed-recommended.dcplan');
        for (const bad of ['0', '-1', 'abc', ''])
            expect(await runCli(['place', '--time-limit', bad, plan])).toMatchObject({
                status: 2,
                stdout: '',
                stderr: `error: option '--time-limit <seconds>' argument '${bad}' is invalid. --time-limit takes a positive number of seconds, at most 86400\n`
            });
    });

    it('--time-limit followed by the file (the seconds forgotten) is said at the option', async () => {
        const plan = path.join(examples, 'seed-recommended.dcplan');
        expect(await runCli(['place', '--time-limit', plan])).toMatchObject({
            status: 2,
            stdout: '',
            stderr: `error: option '--time-limit <seconds>' argument '${plan}' is invalid. --time-limit takes a positive number of seconds, at most 86400\n`
        });
    });
});

describe('the headline past the cap of diagnostics per file', () => {
    it('counts the diagnostics shown, not the "N more" notice, and says how many were cut', async () => {
        // the same 10,005 host names twice: a duplicate-name error per name of the second range
        const block =
            'host a[1..10005] { cores = 8 memory = 32 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB }';
        const file = write('capped.dcplan', `${block}\n${block}\n`);
        const r = await runCli(['check', file]);
        expect(r.status).toBe(1);
        const lines = r.stdout.split('\n');
        expect(lines[1]).toBe(
            '10000 errors, 0 warnings, 0 infos, 0 hints; 5 more cut, not shown (the last diagnostic says so)'
        );
        expect(lines.filter(l => l.includes(' more diagnostics not shown'))).toEqual([
            `${file}:2:6 error limit-exceeded 5 more diagnostics not shown (the first 10,000 are)`
        ]);
    });
});
