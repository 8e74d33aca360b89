/**
 * Day 2 from the shell (issue 12): `dcplan lock` writes the lock beside the plan, `check` and
 * `place` plan from it (`--lock FILE`, `--no-lock`), `place` prints the moves and JSON adds
 * them; examples/day2-drain.dcplan does what its header states. Real files in a temp directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { wroteLockText } from '../../src/cli/lock.js';
import type { PlanReport } from '../../src/planner/report.js';
import { formatMoveReason } from '../../src/planner/format.js';
import { statedMoves } from '../helpers/plan-header.js';
import { diagnosticLines } from '../helpers/diagnostics.js';

const examples = path.resolve(__dirname, '../../examples');
let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-lock-'));
});
afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

const seed = () => fs.readFileSync(path.join(examples, 'seed-recommended.dcplan'), 'utf8');
/** seed-recommended with `hv[01..04]` replaced by `hosts` (the rest of the block kept). */
const withHosts = (hosts: string, extra = '') =>
    seed().replace(
        'host hv[01..04] : dual_socket_24 {',
        `host ${hosts} : dual_socket_24 {${extra}`
    );

/** Copies the lock of `from` (a plan path) beside the plan `to`, its header naming `to` (as `dcplan lock` would). */
function copyLock(from: string, to: string): void {
    const text = fs.readFileSync(`${from}.lock`, 'utf8');
    fs.writeFileSync(
        `${to}.lock`,
        text.replace(`plan: ${path.basename(from)}\n`, `plan: ${path.basename(to)}\n`)
    );
}

function write(name: string, text: string): string {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, text);
    return file;
}

describe('dcplan lock', () => {
    it('writes FILE.lock beside the plan: header, shapes, one line per instance in a stable order', async () => {
        const plan = write('seed.dcplan', seed());
        const r = await runCli(['lock', plan]);
        expect(r.status).toBe(0);
        expect(r.stdout).toBe(`wrote ${plan}.lock (32 instances)\n`);
        const text = fs.readFileSync(`${plan}.lock`, 'utf8');
        const lines = text.split('\n');
        expect(lines.slice(0, 9)).toEqual([
            '# dcplan lock: the placement that runs now; seed.dcplan stays the intent.',
            '# Written by `dcplan lock` (or "dcplan: Save Current Placement"); one line per instance.',
            'plan: seed.dcplan',
            'dcplan: 0.1.0',
            'shapes:',
            '  backend_4c: { role: backend, cores: 4, memory_gib: 32 }',
            '  director_3c: { role: director, cores: 3, memory_gib: 6 }',
            '  proxy_1c: { role: proxy, cores: 1, memory_gib: 2 }',
            'placement:'
        ]);
        expect(lines.slice(9, 14)).toEqual([
            '  backend_4c-1: hv01',
            '  backend_4c-2: hv01',
            '  backend_4c-3: hv01',
            '  backend_4c-4: hv01',
            '  backend_4c-5: hv02'
        ]);
        expect(lines).toHaveLength(9 + 32 + 1);
        // written again from itself: the same bytes
        expect((await runCli(['lock', plan])).stdout).toBe(
            `wrote ${plan}.lock (32 instances, 0 moves from the previous lock)\n`
        );
        expect(fs.readFileSync(`${plan}.lock`, 'utf8')).toBe(text);
    });

    it('writes no lock for a plan with errors (status 1)', async () => {
        const plan = write(
            'bad.dcplan',
            fs.readFileSync(path.join(examples, 'seed-reference.dcplan'), 'utf8')
        );
        const r = await runCli(['lock', plan]);
        expect(r.status).toBe(1);
        expect(r.stderr).toBe(`dcplan: ${plan}: 2 errors (see dcplan check): no lock written\n`);
        expect(fs.existsSync(`${plan}.lock`)).toBe(false);
    });

    it('locks the placement check prints, with the exact fallback: all 50 instances of fifty-on-three', async () => {
        // the heuristic alone leaves one instance unplaced (an error); check places all 314 cores
        const plan = write(
            'fifty-on-three.dcplan',
            fs.readFileSync(
                path.resolve(__dirname, '../fixtures/exact-fit/fifty-on-three.dcplan'),
                'utf8'
            )
        );
        const r = await runCli(['lock', plan]);
        expect(r).toEqual({
            stdout: `${wroteLockText(`${plan}.lock`, 50)}\n`,
            stderr: '',
            status: 0
        });
        const placed = await runCli(['place', '--format', 'json', plan]);
        const report = JSON.parse(placed.stdout) as PlanReport;
        expect([report.totals.placedCores, report.unplaced.length, report.moves]).toEqual([
            314,
            0,
            []
        ]);
    });

    it('writes no lock for a physical plan and keeps the lock it has (status 1)', async () => {
        // seed-recommended locked, then turned physical: its lock would have no instance
        const plan = write('phys.dcplan', seed());
        expect((await runCli(['lock', plan])).status).toBe(0);
        const before = fs.readFileSync(`${plan}.lock`, 'utf8');
        fs.writeFileSync(
            plan,
            seed().replace(/^plan recommended \{/m, '$&\n  platform = physical')
        );
        const r = await runCli(['lock', plan]);
        expect([r.status, r.stdout, r.stderr]).toEqual([
            1,
            '',
            `dcplan: ${plan}: a physical plan places no VMs on hosts (platform = physical): no lock written\n`
        ]);
        expect(fs.readFileSync(`${plan}.lock`, 'utf8')).toBe(before);
    });

    it('a lock beside the plan that does not parse: says how to replace it, and --no-lock does', async () => {
        const plan = write('broken-lock.dcplan', seed());
        fs.writeFileSync(`${plan}.lock`, 'garbage: [\n');
        const r = await runCli(['lock', plan]);
        expect(r.status).toBe(2);
        expect(r.stderr).toBe(
            `dcplan: ${plan}.lock:2: Flow sequence in block collection must be sufficiently indented and end with a ] (lock-invalid: ${plan} is placed as if it had no lock)\n` +
                `dcplan: ${plan}: 1 error (see dcplan check): no lock written; to replace the lock that cannot be read, place from nothing: dcplan lock --no-lock\n`
        );
        expect(fs.readFileSync(`${plan}.lock`, 'utf8')).toBe('garbage: [\n');
        // before: --no-lock was status 2 with the lock's parse error, the lock kept (a plan file
        // of its own: runCli shares one process's documents)
        const plan2 = write('broken-lock2.dcplan', seed());
        fs.writeFileSync(`${plan2}.lock`, 'garbage: [\n');
        const fresh = await runCli(['lock', '--no-lock', plan2]);
        expect([fresh.status, fresh.stderr]).toEqual([0, '']);
        expect(fresh.stdout).toBe(`wrote ${plan2}.lock (32 instances)\n`);
        expect(fs.readFileSync(`${plan2}.lock`, 'utf8')).toContain('\nplacement:\n');
    });
});

describe("dcplan lock's count of the moves it adopts", () => {
    it('is the `moves: N` of dcplan place over the same steps, the stops named apart', async () => {
        // seed-recommended locked on four hosts, then hv04 gone with no room elsewhere: its 8
        // instances are stopped (left unplaced). Before, the lock's line counted only the
        // planner's moves (here 0), not the stops that `place` counts in `moves: 8`.
        const plan = write('stopped.dcplan', seed());
        expect((await runCli(['lock', plan])).status).toBe(0);
        const gone = write('stopped3.dcplan', withHosts('hv[01..03]'));
        copyLock(plan, gone);
        const placed = await runCli(['place', gone]);
        expect(placed.stdout).toContain(`\nmoves: 8 (from ${gone}.lock; 0 moved, 8 stopped)\n`);
        const json = JSON.parse(
            (await runCli(['place', '--format', 'json', gone])).stdout
        ) as PlanReport;
        expect(wroteLockText(`${gone}.lock`, 24, json.moves)).toBe(
            `wrote ${gone}.lock (24 instances, 8 moves from the previous lock: 0 moved, 8 stopped)`
        );
        // such a plan has `unplaceable` errors: no lock is written for it
        const locked = await runCli(['lock', gone]);
        expect([locked.status, locked.stdout]).toEqual([1, '']);
        expect(locked.stderr).toBe(
            `dcplan: ${gone}: 3 errors (see dcplan check): no lock written\n`
        );
    });

    it('counts a hop as part of its move, blocked moves too, removals and rebuilds not', () => {
        const step = (kind: 'move' | 'stop' | 'remove' | 'rebuild', instance: string) => ({
            kind,
            instance
        });
        const steps = [
            step('remove', 'px-9'),
            step('stop', 'dir-2'),
            // a temporary hop, then on to its target: one move
            step('move', 'be-1'),
            step('move', 'be-1'),
            step('rebuild', 'dir-1'),
            // listed after the steps, as the report lists blocked moves
            { ...step('move', 'be-2'), blocked: true }
        ];
        expect(wroteLockText('p.dcplan.lock', 30, steps)).toBe(
            'wrote p.dcplan.lock (30 instances, 3 moves from the previous lock: 2 moved, 1 stopped)'
        );
        expect(wroteLockText('p.dcplan.lock', 1, [step('move', 'be-1')])).toBe(
            'wrote p.dcplan.lock (1 instance, 1 move from the previous lock)'
        );
        expect(wroteLockText('p.dcplan.lock', 32)).toBe('wrote p.dcplan.lock (32 instances)');
    });
});

describe('placing from the lock', () => {
    it('seed-recommended locked on four hosts, then hv[01..05]: 0 moves; then hv02 drained: its 8 instances move to hv05, none else', async () => {
        const plan = write('grow.dcplan', seed());
        expect((await runCli(['lock', plan])).status).toBe(0);
        // each change in a file of its own, the lock beside it
        const next = (name: string, text: string) => {
            const f = write(name, text);
            copyLock(plan, f);
            return f;
        };
        const five = next('grow5.dcplan', withHosts('hv[01..05]'));
        const grown = await runCli(['place', five]);
        expect(grown.status).toBe(0);
        expect(grown.stdout.endsWith(`\nmoves: 0 (from ${five}.lock)\n`)).toBe(true);
        const drain = next(
            'drain.dcplan',
            withHosts('hv01, hv[03..05]') +
                '\nhost hv02 : dual_socket_24 { hypervisor_cores = 2  hypervisor_memory = 16 GiB  drain = true }\n'
        );
        const drained = await runCli(['place', drain]);
        expect(drained.stdout.slice(drained.stdout.indexOf('moves:'))).toBe(
            [
                `moves: 8 (from ${drain}.lock)`,
                '  1. proxy_1c-4: hv02 -> hv05 (hv02 drained)',
                '  2. proxy_1c-5: hv02 -> hv05 (hv02 drained)',
                '  3. proxy_1c-6: hv02 -> hv05 (hv02 drained)',
                '  4. director_3c-2: hv02 -> hv05 (hv02 drained)',
                '  5. backend_4c-5: hv02 -> hv05 (hv02 drained)',
                '  6. backend_4c-6: hv02 -> hv05 (hv02 drained)',
                '  7. backend_4c-7: hv02 -> hv05 (hv02 drained)',
                '  8. backend_4c-8: hv02 -> hv05 (hv02 drained)',
                ''
            ].join('\n')
        );
        const json = JSON.parse(
            (await runCli(['place', '--format', 'json', drain])).stdout
        ) as PlanReport;
        expect(json.lockFile).toBe(`${drain}.lock`);
        expect(json.moves![0]).toStrictEqual({
            step: 1,
            kind: 'move',
            instance: 'proxy_1c-4',
            from: 'hv02',
            to: 'hv05',
            temporary: false,
            reason: 'host-drained'
        });
        expect(json.moves).toHaveLength(8);
        // --no-lock: placed from nothing, no moves listed
        const fresh = JSON.parse(
            (await runCli(['place', '--format', 'json', '--no-lock', drain])).stdout
        ) as PlanReport;
        expect(fresh.moves).toBeUndefined();
        expect(fresh.lockFile).toBeUndefined();
    });

    it('lock --no-lock says how the lock it replaces differed: 24 instances otherwise, then identical', async () => {
        const plan = write('relock.dcplan', seed());
        expect((await runCli(['lock', plan])).status).toBe(0);
        // hv02 drained: placed from nothing, its 8 instances go elsewhere
        fs.writeFileSync(
            plan,
            withHosts('hv01, hv[03..05]') +
                '\nhost hv02 : dual_socket_24 { hypervisor_cores = 2  hypervisor_memory = 16 GiB  drain = true }\n'
        );
        // placed from nothing, not from the lock: 24 instances land elsewhere than it says (the 8 of
        // hv02 and those the fresh placement puts on hv05)
        const first = await runCli(['lock', '--no-lock', plan]);
        expect(first.stdout).toBe(
            `wrote ${plan}.lock (32 instances), replacing a lock that placed 24 instances otherwise\n`
        );
        const again = await runCli(['lock', '--no-lock', plan]);
        expect(again.stdout).toBe(
            `wrote ${plan}.lock (32 instances), replacing an identical lock\n`
        );
    });

    it('--lock FILE names the lock; a lock that cannot be read is status 2 with its line', async () => {
        const plan = write('named.dcplan', seed());
        const lock = write('other.lock', 'plan: named.dcplan\nplacement:\n  proxy_1c-1: [hv01]\n');
        const r = await runCli(['place', '--lock', lock, plan]);
        expect(r.status).toBe(2);
        expect(r.stderr).toBe(
            `dcplan: ${lock}:3: \`placement\` maps each instance to its host (\`instance: host\`) (lock-invalid: ${plan} is placed as if it had no lock)\n`
        );
        const good = write('good.lock', 'plan: named2.dcplan\nplacement:\n  proxy_1c-1: hv02\n');
        // a plan file of its own, placed from the good lock
        const plan2 = write('named2.dcplan', seed());
        const moved = await runCli(['place', '--lock', good, plan2]);
        expect(moved.status).toBe(0);
        // proxy_1c-1 stays where the lock has it (hv02 has room for it); the rest is placed new,
        // each new instance a creation step
        expect(moved.stdout).toContain(
            `\nmoves: 0 (from ${good}), in 31 steps with 31 creations\n`
        );
        expect(moved.stdout).toContain('\n  1. proxy_1c-2: create on hv01 (1 vCPU, 2 GiB) (new)\n');
        expect(moved.stdout).toContain('\nhv02: proxy_1c-1, ');
        const missing = await runCli(['place', '--lock', path.join(tmp, 'none.lock'), plan2]);
        expect(missing.status).toBe(2);
        expect(missing.stderr).toBe(
            `dcplan: ${path.join(tmp, 'none.lock')}: cannot read the lock file: no such file (--lock)\n`
        );
        expect(missing.stdout).toBe('');
    });

    it('says placement-drift when the lock names instances and hosts the plan no longer has', async () => {
        const plan = write('drift.dcplan', seed());
        await runCli(['lock', plan]);
        const changed = write(
            'drift2.dcplan',
            withHosts('hv01, hv02, hv03')
                .replace('deploy 12 x proxy_1c', 'deploy 10 x proxy_1c')
                .replace('deploy 16 x backend_4c', 'deploy 12 x backend_4c')
        );
        copyLock(plan, changed);
        const json = JSON.parse(
            (await runCli(['check', '--format', 'json', changed])).stdout
        ) as PlanReport;
        const drift = json.diagnostics.filter(d => d.code === 'placement-drift');
        expect(
            drift.map(
                d => `${d.severity} ${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.message}`
            )
        ).toEqual([
            'info 11:6-11:17 the lock names instances the plan no longer deploys (removed): backend_4c-13, backend_4c-14, backend_4c-15, backend_4c-16, proxy_1c-11, proxy_1c-12; hosts the plan no longer has: hv04'
        ]);
    });
});

describe('examples/day2-drain.dcplan', () => {
    it('moves exactly what its header states, in that order', async () => {
        const file = path.join(examples, 'day2-drain.dcplan');
        const stated = statedMoves(file);
        expect(stated).toHaveLength(8);
        const r = await runCli(['place', '--format', 'json', file]);
        expect(r.status).toBe(0);
        const report = JSON.parse(r.stdout) as PlanReport;
        expect(diagnosticLines(report.diagnostics)).toEqual([
            "info host-failure 22:6-22:17 no spare capacity to re-place a lost host's instances; N+1 needs 5 hosts, not counting the drained one"
        ]);
        expect(report.hosts.find(h => h.name === 'hv02')).toMatchObject({
            usableCores: 0,
            usedCores: 0,
            instances: []
        });
        // each with its reason, as the text prints it: "(hv02 drained)"
        expect(
            report.moves!.map(
                m => `${m.instance}: ${m.from} -> ${m.to} (${formatMoveReason(m.reason, m.from)})`
            )
        ).toEqual(stated);
        expect(report.moves!.some(m => m.temporary)).toBe(false);
    });
});
