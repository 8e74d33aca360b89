/**
 * Day 2 from the shell, the faults a newcomer found (issue 12 follow-up), each at the CLI's exact
 * text: blocked moves listed and counted; a drained host with pins; a lock for another plan or
 * with keys of the wrong type; `--lock` naming no file; `--lock` with `--no-lock`; and files
 * that change between two checks in one process. Real files in a temp directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/main.js';
import type { PlanReport } from '../../src/planner/report.js';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURES = path.join(ROOT, 'test/fixtures/diagnostics');
const EXAMPLES = path.join(ROOT, 'examples');
let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-day2-'));
});
afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

function write(name: string, text: string): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, text);
    return file;
}

/** The example day2-drain.dcplan and its lock, copied as `name` (the lock's header naming it). */
function drainExample(name: string, edit: (plan: string) => string = p => p): string {
    const plan = write(
        name,
        edit(fs.readFileSync(path.join(EXAMPLES, 'day2-drain.dcplan'), 'utf8'))
    );
    write(
        `${name}.lock`,
        fs
            .readFileSync(path.join(EXAMPLES, 'day2-drain.dcplan.lock'), 'utf8')
            .replace('plan: day2-drain.dcplan', `plan: ${name}`)
    );
    return plan;
}

/** The text after `moves:` (the moves section of `dcplan place`). */
const movesOf = (stdout: string) => stdout.slice(stdout.lastIndexOf('\nmoves: ') + 1);

describe('blocked moves', () => {
    it('a blocked resize says its sizes in the diagnostic and the moves, and the head counts only ordered steps', async () => {
        // the lock runs be (4 vCPUs) twice on a and bf (4) twice on b, both full; the plan makes be 5
        // and bf 3: each host must end with one of each, and no order finds room for it
        const plan = write(
            'resize.dcplan',
            'shape be { role = backend cores = 5 memory = 8 GiB }\n' +
                'shape bf { role = backend cores = 3 memory = 8 GiB }\n' +
                'deploy 2 x be\ndeploy 2 x bf\n' +
                'host a, b { cores = 10 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }\n'
        );
        write(
            'resize.dcplan.lock',
            'plan: resize.dcplan\nshapes:\n  be: { cores: 4, memory_gib: 8 }\n  bf: { cores: 4, memory_gib: 8 }\n' +
                'placement:\n  be-1: a\n  be-2: a\n  bf-1: b\n  bf-2: b\n'
        );
        const r = await runCli(['place', plan]);
        expect(r.status).toBe(1);
        expect(r.stdout).toContain(
            'error migration-blocked no safe migration order: these 3 moves block (no host has room for them, even for a temporary hop, without overcommitting or putting a role on one host): be-2: a -> b (4 -> 5 vCPUs, 8 GiB), bf-1: b -> a (4 -> 3 vCPUs, 8 GiB), be-1: rebuild on a (4 -> 5 vCPUs, 8 GiB)'
        );
        expect(movesOf(r.stdout)).toBe(
            [
                `moves: 2 (from ${plan}.lock), in 1 step with 1 rebuild in place, 3 blocked (migration-blocked)`,
                '  1. bf-2: rebuild on b (4 -> 3 vCPUs, 8 GiB)',
                '  2. be-2: a -> b (4 -> 5 vCPUs, 8 GiB) (shape resized) (blocked: no safe order, migration-blocked)',
                '  3. bf-1: b -> a (4 -> 3 vCPUs, 8 GiB) (shape resized) (blocked: no safe order, migration-blocked)',
                '  4. be-1: rebuild on a (4 -> 5 vCPUs, 8 GiB) (blocked: no safe order, migration-blocked)',
                ''
            ].join('\n')
        );
    });

    it('are listed after the steps, marked blocked, and counted in moves: N (text and JSON)', async () => {
        const plan = path.join(FIXTURES, 'migration-blocked.dcplan');
        const text = await runCli(['place', plan]);
        expect(text.status).toBe(1);
        expect(movesOf(text.stdout)).toBe(
            [
                // the lock named from the working directory, as the plan files are
                `moves: 2 (from ${path.relative(process.cwd(), plan)}.lock), 2 blocked (migration-blocked)`,
                '  1. be-1: a -> b (pinned by runs) (blocked: no safe order, migration-blocked)',
                '  2. bf-2: b -> a (b overcommitted) (blocked: no safe order, migration-blocked)',
                ''
            ].join('\n')
        );
        const json = JSON.parse((await runCli(['place', '-f', 'json', plan])).stdout) as PlanReport;
        expect(json.moves).toStrictEqual([
            {
                step: 1,
                kind: 'move',
                instance: 'be-1',
                from: 'a',
                to: 'b',
                temporary: false,
                blocked: true,
                reason: 'pinned'
            },
            {
                step: 2,
                kind: 'move',
                instance: 'bf-2',
                from: 'b',
                to: 'a',
                temporary: false,
                blocked: true,
                reason: 'host-overcommitted'
            }
        ]);
        expect(Object.keys(json)).not.toContain('blockedMoves');
    });
});

describe('a drained host with pins', () => {
    it('is drain-pinned on its runs, and its row says what is on it against 0 that may stay', async () => {
        const plan = drainExample('pinned.dcplan', p =>
            p.replace('  drain = true', '  drain = true\n  runs = 2 x proxy_1c, 2 x backend_4c')
        );
        const r = await runCli(['place', plan]);
        expect(r.status).toBe(1);
        const lines = r.stdout.split('\n');
        expect(lines.filter(l => / (error|warning) /.test(l))).toEqual([
            `${plan}:51:3 error drain-pinned hv02 is drained (drain = true) but its runs pin 2 x proxy_1c, 2 x backend_4c on it (10 vCPUs, 68 GiB): a pin contradicts a drain; remove the pins or the drain`
        ]);
        expect(lines.find(l => l.startsWith('hv02 '))).toBe(
            'hv02       10/0 drained     68/0 drained      -  2 proxy, 2 backend                         16.7%'
        );
        // without pins the drained host reads `drained`, not 0/0
        const plain = await runCli(['place', drainExample('plain.dcplan')]);
        expect(plain.stdout.split('\n').find(l => l.startsWith('hv02 '))).toBe(
            'hv02            drained          drained     -  -                                             0%'
        );
    });
});

describe('a lock that is not this plan', () => {
    const lockLine = (plan: string, line: number, why: string) =>
        `dcplan: ${plan}.lock:${line}: ${why} (lock-invalid: ${plan} is placed as if it had no lock)\n`;

    it('names another plan file: lock-invalid on the plan, the line of `plan:` on stderr, status 2', async () => {
        const plan = drainExample('mine.dcplan');
        fs.writeFileSync(
            `${plan}.lock`,
            fs
                .readFileSync(`${plan}.lock`, 'utf8')
                .replace('plan: mine.dcplan', 'plan: theirs.dcplan')
        );
        const r = await runCli(['place', plan]);
        expect(r.status).toBe(2);
        expect(r.stderr).toBe(
            lockLine(plan, 3, 'the lock was written for theirs.dcplan, not for mine.dcplan')
        );
        expect(r.stdout.split('\n').filter(l => l.includes('lock-invalid'))).toEqual([
            `${plan}:22:6 error lock-invalid the lock was written for another plan, so this plan is placed as if it had none: mine.dcplan.lock:3: the lock was written for theirs.dcplan, not for mine.dcplan; if mine.dcplan is theirs.dcplan renamed, write \`plan: mine.dcplan\` in the lock to keep its placement; else record this plan's own placement from nothing: dcplan lock --no-lock mine.dcplan`
        ]);
        // placed as if without a lock: no moves section
        expect(r.stdout).not.toContain('\nmoves: ');
    });

    it('has keys of the wrong type: `plan: 5`, a host that is a number, a version that is a number', async () => {
        const plan = drainExample('typed.dcplan');
        const good = fs.readFileSync(`${plan}.lock`, 'utf8');
        const cases: [string, number, string][] = [
            [
                good.replace('plan: typed.dcplan', 'plan: 5'),
                3,
                '`plan` is the name of the plan file the lock was written for (a string)'
            ],
            [
                good.replace('dcplan: 0.1.0', 'dcplan: 1.5'),
                4,
                '`dcplan` is the dcplan version that wrote the lock (a string)'
            ],
            [
                good.replace('backend_4c-1: hv01', 'backend_4c-1: 5'),
                10,
                '`placement` maps each instance to its host (`instance: host`)'
            ]
        ];
        for (const [text, line, why] of cases) {
            fs.writeFileSync(`${plan}.lock`, text);
            const r = await runCli(['check', plan]);
            expect(r.status).toBe(2);
            expect(r.stderr).toBe(lockLine(plan, line, why));
        }
    });

    it('is a directory: lock-invalid saying so (check, place, lock), status 2, never ignored', async () => {
        const plan = write(
            'dir.dcplan',
            'shape px { role = proxy cores = 1 memory = 2 GiB }\ndeploy 2 x px\n' +
                'host h1 { cores = 4 memory = 8 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB }\n'
        );
        fs.mkdirSync(`${plan}.lock`);
        const stderr = `dcplan: ${plan}.lock: it is a directory, not a file (lock-invalid: ${plan} is placed as if it had no lock)\n`;
        for (const command of ['check', 'place']) {
            const r = await runCli([command, plan]);
            expect(r.status).toBe(2);
            expect(r.stderr).toBe(stderr);
            expect(r.stdout.split('\n').filter(l => l.includes('lock-invalid'))).toEqual([
                `${plan}:3:6 error lock-invalid the lock cannot be read, so the plan is placed as if it had none: dir.dcplan.lock: it is a directory, not a file`
            ]);
            expect(r.stdout).toContain('\n1 error, 1 warning, 1 info, 0 hints\n');
        }
        const json = await runCli(['check', '--format', 'json', plan]);
        expect(json.status).toBe(2);
        expect(
            (JSON.parse(json.stdout) as PlanReport).diagnostics
                .filter(d => d.code === 'lock-invalid')
                .map(d => `${d.line}:${d.column} ${d.message}`)
        ).toEqual([
            '3:6 the lock cannot be read, so the plan is placed as if it had none: dir.dcplan.lock: it is a directory, not a file'
        ]);
        // `dcplan lock` does not suggest `--no-lock` (which cannot replace a directory either):
        // it says what to do with the directory
        expect(await runCli(['lock', plan])).toEqual({
            stdout: '',
            stderr:
                stderr +
                `dcplan: ${plan}: 1 error (see dcplan check): no lock written; ${plan}.lock is a directory, not a file: remove or rename it, then run dcplan lock ${plan} again\n`,
            status: 2
        });
        expect(await runCli(['lock', '--no-lock', plan])).toEqual({
            stdout: '',
            stderr: `dcplan: ${plan}.lock: cannot write: it is a directory, not a file: remove or rename it, then run dcplan lock ${plan} again\n`,
            status: 2
        });
        expect(fs.statSync(`${plan}.lock`).isDirectory()).toBe(true);
        // the directory gone: no lock, no diagnostic, status 0 (a warning fails nothing)
        fs.rmdirSync(`${plan}.lock`);
        const gone = await runCli(['check', plan]);
        expect(gone.stderr).toBe('');
        expect(gone.stdout).not.toContain('lock-invalid');
        expect(gone.status).toBe(0);
    });
});

describe('dcplan lock', () => {
    it('a symbolic link at the lock path: written through to a file, refused when it names none', async () => {
        const plan = write(
            'linked.dcplan',
            'shape px { role = proxy cores = 1 memory = 2 GiB }\ndeploy 2 x px\n' +
                'host h1 { cores = 4 memory = 8 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB }\n'
        );
        // a link in a cloned repository may point anywhere: no file is created where it points
        fs.mkdirSync(path.join(tmp, 'elsewhere'));
        const elsewhere = path.join(tmp, 'elsewhere', 'linked.lock');
        fs.symlinkSync(elsewhere, `${plan}.lock`);
        const dangling = `${plan}.lock: it is a symbolic link to ${elsewhere}, which does not exist`;
        // read: a lock meant and not found, said (not placed from nothing without a word)
        const check = await runCli(['check', plan]);
        expect(check.status).toBe(2);
        expect(check.stdout).toContain(
            `error lock-invalid the lock cannot be read, so the plan is placed as if it had none: linked.dcplan.lock: it is a symbolic link to ${elsewhere}, which does not exist`
        );
        expect(await runCli(['lock', plan])).toEqual({
            stdout: '',
            stderr:
                `dcplan: ${dangling} (lock-invalid: ${plan} is placed as if it had no lock)\n` +
                `dcplan: ${plan}: 1 error (see dcplan check): no lock written; ${plan}.lock is a symbolic link to ${elsewhere}, which does not exist: remove or rename it, then run dcplan lock ${plan} again\n`,
            status: 2
        });
        expect(await runCli(['lock', '--no-lock', plan])).toEqual({
            stdout: '',
            stderr: `dcplan: ${plan}.lock: cannot write: it is a symbolic link to ${elsewhere}, which does not exist: remove or rename it, then run dcplan lock ${plan} again\n`,
            status: 2
        });
        expect(fs.existsSync(elsewhere)).toBe(false);
        // a lock kept elsewhere on purpose: the link's file is the lock
        fs.rmSync(`${plan}.lock`);
        const kept = path.join(tmp, 'elsewhere', 'kept.lock');
        fs.writeFileSync(kept, '');
        fs.symlinkSync(kept, `${plan}.lock`);
        expect(await runCli(['lock', '--no-lock', plan])).toMatchObject({ status: 0 });
        expect(fs.lstatSync(`${plan}.lock`).isSymbolicLink()).toBe(true);
        expect(fs.readFileSync(kept, 'utf8')).toContain('\n  px-1: h1\n');
    });

    it('does not replace a lock written for another plan; says how to (--no-lock), which places from nothing', async () => {
        const plan = drainExample('renamed.dcplan');
        const other = fs
            .readFileSync(`${plan}.lock`, 'utf8')
            .replace('plan: renamed.dcplan', 'plan: day2-drain.dcplan');
        fs.writeFileSync(`${plan}.lock`, other);
        expect(await runCli(['lock', plan])).toEqual({
            stdout: '',
            stderr:
                `dcplan: ${plan}.lock:3: the lock was written for day2-drain.dcplan, not for renamed.dcplan (lock-invalid: ${plan} is placed as if it had no lock)\n` +
                `dcplan: ${plan}: 1 error (see dcplan check): no lock written; ${plan}.lock was written for day2-drain.dcplan: if renamed.dcplan is day2-drain.dcplan renamed, write \`plan: renamed.dcplan\` in ${plan}.lock to keep its placement; else record this plan's own placement from nothing: dcplan lock --no-lock ${plan}\n`,
            status: 2
        });
        expect(fs.readFileSync(`${plan}.lock`, 'utf8')).toBe(other);
        expect(await runCli(['lock', '--no-lock', plan])).toEqual({
            stdout: `wrote ${plan}.lock (32 instances), replacing a lock that placed 24 instances otherwise\n`,
            stderr: '',
            status: 0
        });
        // placed from nothing: the same lock as the plan's without any lock beside it
        fs.mkdirSync(path.join(tmp, 'fresh'));
        const fresh = path.join(tmp, 'fresh', 'renamed.dcplan');
        fs.copyFileSync(plan, fresh);
        expect((await runCli(['lock', fresh])).status).toBe(0);
        expect(fs.readFileSync(`${plan}.lock`, 'utf8')).toBe(
            fs.readFileSync(`${fresh}.lock`, 'utf8')
        );
    });

    it('--no-lock writes the placement from nothing even when the lock beside it is good', async () => {
        const plan = drainExample('relock.dcplan');
        // from the lock: hv02's 8 instances all on hv05
        expect((await runCli(['lock', plan])).stdout).toBe(
            `wrote ${plan}.lock (32 instances, 8 moves from the previous lock)\n`
        );
        const fromLock = fs.readFileSync(`${plan}.lock`, 'utf8');
        expect(fromLock.match(/: hv05$/gm)).toHaveLength(8);
        expect((await runCli(['lock', '--no-lock', plan])).stdout).toBe(
            `wrote ${plan}.lock (32 instances), replacing a lock that placed 24 instances otherwise\n`
        );
        expect(fs.readFileSync(`${plan}.lock`, 'utf8')).not.toBe(fromLock);
    });
});

describe('--lock and --no-lock', () => {
    it('--lock naming a missing file: a usage error naming it (status 2, no report)', async () => {
        const plan = drainExample('missing.dcplan');
        const none = path.join(tmp, 'none.lock');
        for (const argv of [
            ['check', '--lock', none, plan],
            ['place', plan, '--lock', none],
            ['place', '--optimal', '--lock', none, plan]
        ]) {
            const r = await runCli(argv);
            expect(r).toEqual({
                stdout: '',
                stderr: `dcplan: ${none}: cannot read the lock file: no such file (--lock)\n`,
                status: 2
            });
        }
        const dir = await runCli(['check', '--lock', tmp, plan]);
        expect(dir.stderr).toBe(`dcplan: ${tmp}: cannot read the lock file: not a file (--lock)\n`);
        expect(dir.status).toBe(2);
    });

    it('both given, in either order: a usage error naming both (status 2)', async () => {
        const plan = drainExample('both.dcplan');
        for (const argv of [
            ['place', '--lock', `${plan}.lock`, '--no-lock', plan],
            ['check', '--no-lock', plan, '--lock', `${plan}.lock`]
        ]) {
            expect(await runCli(argv)).toEqual({
                stdout: '',
                stderr: "error: option '--lock <file>' cannot be used with option '--no-lock'\n",
                status: 2
            });
        }
    });
});

describe('files that change between two checks in one process', () => {
    it('a plan rewritten, then locked, then changed again: each check reads the file as it is now', async () => {
        const seed = fs.readFileSync(path.join(EXAMPLES, 'seed-recommended.dcplan'), 'utf8');
        const plan = write('live.dcplan', seed);
        expect((await runCli(['lock', plan])).stdout).toBe(`wrote ${plan}.lock (32 instances)\n`);
        // a fifth host: the plan read again (not the four-host text of the first check)
        fs.writeFileSync(plan, seed.replace('hv[01..04]', 'hv[01..05]'));
        const five = await runCli(['place', plan]);
        expect(five.stdout).toContain('\nhv05: (nothing)\n');
        expect(movesOf(five.stdout)).toBe(`moves: 0 (from ${plan}.lock)\n`);
        // hv02 drained: its 8 instances move to hv05
        fs.writeFileSync(
            plan,
            seed.replace(
                'host hv[01..04] : dual_socket_24 {',
                'host hv01, hv[03..05] : dual_socket_24 {'
            ) +
                '\nhost hv02 : dual_socket_24 { hypervisor_cores = 2  hypervisor_memory = 16 GiB  drain = true }\n'
        );
        const drained = await runCli(['place', plan]);
        expect(movesOf(drained.stdout).split('\n')[0]).toBe(`moves: 8 (from ${plan}.lock)`);
        // the drained placement locked, then placed again: 0 moves from the new lock
        expect((await runCli(['lock', plan])).stdout).toBe(
            `wrote ${plan}.lock (32 instances, 8 moves from the previous lock)\n`
        );
        expect(movesOf((await runCli(['place', plan])).stdout)).toBe(
            `moves: 0 (from ${plan}.lock)\n`
        );
    });

    it("a lock changed between two checks of the same plan: the diagnostics are the new lock's", async () => {
        const plan = drainExample('relocked.dcplan');
        const codes = async () =>
            (
                JSON.parse((await runCli(['check', '-f', 'json', plan])).stdout) as PlanReport
            ).diagnostics
                .map(d => d.code)
                .sort();
        expect(await codes()).toEqual(['host-failure']);
        const good = fs.readFileSync(`${plan}.lock`, 'utf8');
        fs.writeFileSync(`${plan}.lock`, good.replace('proxy_1c-1: hv01', 'proxy_1c-1: hv09'));
        expect(await codes()).toEqual(['host-failure', 'placement-drift']);
        fs.writeFileSync(`${plan}.lock`, good);
        expect(await codes()).toEqual(['host-failure']);
    });

    it('an imported file changed between two checks is read again', async () => {
        write('shapes.dcplan', 'shape be { role = backend cores = 4 memory = 8 GiB }\n');
        const plan = write(
            'main.dcplan',
            'import "shapes.dcplan"\ndeploy 2 x be\nhost a, b { cores = 10 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }\n'
        );
        const first = JSON.parse(
            (await runCli(['check', '-f', 'json', plan])).stdout
        ) as PlanReport;
        expect(first.totals.deployedCores).toBe(8);
        write('shapes.dcplan', 'shape be { role = backend cores = 2 memory = 8 GiB }\n');
        const second = JSON.parse(
            (await runCli(['check', '-f', 'json', plan])).stdout
        ) as PlanReport;
        expect(second.totals.deployedCores).toBe(4);
    });
});
