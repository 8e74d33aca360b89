/**
 * `/dev/stdin` as the README documents it (`cat plan.dcplan | dcplan check --any-extension
 * /dev/stdin`): the built CLI reads a pipe on its standard input, as it reads a redirected file,
 * and reads a folder as the plans under it (`.dcplan` files only); `-` names standard input.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const cli = path.resolve(__dirname, '../../dist/cli.cjs');

const PLAN = [
    'shape px { role = proxy cores = 1 memory = 2 GiB }',
    'deploy 2 x px',
    'host h1, h2 { cores = 8 memory = 16 GiB hypervisor_cores = 1 hypervisor_memory = 2 GiB }',
    ''
].join('\n');

/**
 * Runs `script` in bash, with `$PLAN` a file holding `text` and `$DCPLAN` the built CLI: the
 * shell makes real pipes (`cat | dcplan`, `<(…)`), where node's own `stdio: 'pipe'` is a socket.
 */
function runShell(
    script: string,
    text: string
): Promise<{ stdout: string; stderr: string; status: number | null }> {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-stdin-'));
    const plan = path.join(tmp, 'plan.txt');
    fs.writeFileSync(plan, text);
    return new Promise(resolve => {
        const child = spawn('bash', ['-c', script], {
            stdio: ['ignore', 'pipe', 'pipe'],
            env: { ...process.env, PLAN: plan, DCPLAN: cli, NODE: process.execPath }
        });
        let stdout = '',
            stderr = '';
        child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
        child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
        child.on('close', status => {
            fs.rmSync(tmp, { recursive: true, force: true });
            resolve({ stdout, stderr, status });
        });
    });
}

describe('dcplan reading /dev/stdin from a pipe', () => {
    it('check reads the plan piped in (written late) and reports it under /dev/stdin', async () => {
        // the writer is late: the CLI waits for it rather than take the empty pipe as the end
        const r = await runShell(
            '(sleep 0.3; cat "$PLAN") | "$NODE" "$DCPLAN" check --any-extension /dev/stdin',
            PLAN
        );
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.stdout).toContain(
            '/dev/stdin (virtual)\n0 errors, 0 warnings, 0 infos, 0 hints\n'
        );
        expect(r.stdout).toContain(
            'totals: demand not stated, deployed 2, usable 14, physical 16; placed 2, unplaced 0\n'
        );
    }, 60_000);

    it('place --format json reads it too', async () => {
        const r = await runShell(
            'cat "$PLAN" | "$NODE" "$DCPLAN" place --format json --any-extension /dev/stdin',
            PLAN
        );
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        const report = JSON.parse(r.stdout) as {
            file: string;
            hosts: { name: string; instances: string[] }[];
        };
        expect(report.file).toBe('/dev/stdin');
        expect(report.hosts.map(h => [h.name, h.instances])).toEqual([
            ['h1', ['px-1']],
            ['h2', ['px-2']]
        ]);
    }, 60_000);

    it('a plan with an error read through <(…) gives its diagnostic and status 1', async () => {
        // `<(…)` names a pipe as /dev/fd/N
        const r = await runShell(
            '"$NODE" "$DCPLAN" check --any-extension <(cat "$PLAN")',
            PLAN.replace('deploy 2 x px', 'deploy 1e3 x px')
        );
        expect(r.stderr).toBe('');
        expect(r.status).toBe(1);
        expect(r.stdout).toMatch(/^\/dev\/fd\/\d+ \(virtual\)\n1 error, /);
        expect(r.stdout).toMatch(
            /\/dev\/fd\/\d+:2:8 error invalid-number count: numbers have no exponent: write 1000 for '1e3'/
        );
    }, 60_000);

    it("standard input's imports resolve from the current folder", async () => {
        // a newcomer's `cd plans && cat small.dcplan | dcplan check -` found no import (under /dev)
        const r = await runShell(
            'cd "$(dirname "$PLAN")" && ' +
                "printf 'shape px { role = proxy cores = 1 memory = 2 GiB }\\n' > shapes.dcplan && " +
                'cat "$PLAN" | "$NODE" "$DCPLAN" check -',
            'import "shapes.dcplan"\n' + PLAN.split('\n').slice(1).join('\n')
        );
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.stdout).toContain(
            '/dev/stdin (virtual)\n0 errors, 0 warnings, 0 infos, 0 hints\n'
        );
        expect(r.stdout).toContain('placed 2, unplaced 0\n');
    }, 60_000);

    it('`-` is standard input for check and place (no --any-extension needed), refused by fix and lock', async () => {
        const r = await runShell('cat "$PLAN" | "$NODE" "$DCPLAN" check -', PLAN);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.stdout).toContain(
            '/dev/stdin (virtual)\n0 errors, 0 warnings, 0 infos, 0 hints\n'
        );
        const placed = await runShell(
            '"$NODE" "$DCPLAN" place --format json - < "$PLAN"',
            PLAN.replace('deploy 2 x px', 'deploy 3 x px')
        );
        expect(placed.stderr).toBe('');
        const report = JSON.parse(placed.stdout) as { hosts: { instances: string[] }[] };
        expect(report.hosts.map(h => h.instances)).toEqual([['px-1', 'px-2'], ['px-3']]);
        for (const [verb, done] of [
            ['fix', 'fixed'],
            ['lock', 'locked']
        ]) {
            const refused = await runShell(`cat "$PLAN" | "$NODE" "$DCPLAN" ${verb} -`, PLAN);
            expect(refused).toEqual({
                stdout: '',
                stderr: `dcplan: -: standard input cannot be ${done}: only check and place read it\n`,
                status: 2
            });
        }
    }, 60_000);

    it('a folder is read as its plans, even with --any-extension: none here, said in words (status 2)', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-stdin-dir-'));
        fs.writeFileSync(path.join(dir, 'plan.txt'), PLAN);
        const r = await runShell(`"$NODE" "$DCPLAN" check --any-extension '${dir}'`, '');
        fs.rmSync(dir, { recursive: true, force: true });
        expect(r.stdout).toBe('');
        expect(r.stderr).toBe(`dcplan: no .dcplan files under ${dir}/\n`);
        expect(r.status).toBe(2);
    }, 60_000);
});
