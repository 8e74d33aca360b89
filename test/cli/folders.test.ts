/**
 * A folder named on the command line (`dcplan check .`, the spec: "`dcplan check` checks them
 * all"): `check` and `place` read every plan under it as the language server's workspace scan
 * finds them (`isScannedEntry`): `.dcplan` files only, outside dot-folders and `node_modules/`,
 * symbolic links not followed, in path order. A folder without a plan is exit status 2; `fix`
 * and `lock`, which write, refuse a folder. Real files in a temp directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { isScannedEntry } from '../../language-server/plan-files.js';
import type { PlanReport } from '../../src/planner/report.js';

const examples = path.resolve(__dirname, '../../examples');
const recommended = fs.readFileSync(path.join(examples, 'seed-recommended.dcplan'), 'utf8');
let tmp: string;
/** The folder of plans: two plans and what a repository holds beside them. */
let plans: string;

beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-folders-'));
    plans = path.join(tmp, 'plans');
    const files: Record<string, string> = {
        'b.dcplan': recommended,
        'sub/a.dcplan': recommended.replace('plan recommended {', 'plan second {'),
        'b.dcplan.bak': recommended,
        'b.dcplan~': recommended,
        'notes.txt': 'shape proxy_1c {\n',
        'node_modules/x.dcplan': 'import\n',
        'out/y.dcplan': 'import\n',
        '.git/z.dcplan': 'import\n',
        '.hidden.dcplan': 'import\n'
    };
    for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(plans, name)), { recursive: true });
        fs.writeFileSync(path.join(plans, name), text);
    }
    // a link back up (a loop if followed) and a linked plan: neither is followed
    fs.symlinkSync('..', path.join(plans, 'sub', 'loop'));
    fs.symlinkSync('../b.dcplan', path.join(plans, 'sub', 'link.dcplan'));
});
afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

describe('a folder argument', () => {
    it('check: exactly the two plans, in path order, each under its header; exit 0', async () => {
        const r = await runCli(['check', plans]);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        expect(r.stdout.split('\n').filter(l => l.startsWith('==> '))).toEqual([
            `==> ${path.join(plans, 'b.dcplan')} <==`,
            `==> ${path.join(plans, 'sub', 'a.dcplan')} <==`
        ]);
        expect(r.stdout.split('\n').filter(l => l.startsWith('plan '))).toEqual([
            'plan recommended — Dovecot recommended VM split on four hypervisors (virtual)',
            'plan second — Dovecot recommended VM split on four hypervisors (virtual)'
        ]);
    });

    it('check --format json: an array of the two reports, even for a folder of one plan', async () => {
        const r = await runCli(['check', '--format', 'json', plans]);
        expect(r.status).toBe(0);
        const reports = JSON.parse(r.stdout) as PlanReport[];
        expect(reports.map(x => [x.file, x.plan])).toEqual([
            [path.join(plans, 'b.dcplan'), 'recommended'],
            [path.join(plans, 'sub', 'a.dcplan'), 'second']
        ]);
        const one = await runCli(['check', '--format', 'json', path.join(plans, 'sub')]);
        const single = JSON.parse(one.stdout) as PlanReport[];
        expect(single.map(x => x.file)).toEqual([path.join(plans, 'sub', 'a.dcplan')]);
        // a file named alone is still one document
        const file = await runCli(['check', '--format', 'json', path.join(plans, 'b.dcplan')]);
        expect((JSON.parse(file.stdout) as PlanReport).plan).toBe('recommended');
    });

    it('paths are the folder as given joined with the path under it (`.`: none)', async () => {
        const cwd = process.cwd();
        process.chdir(plans);
        try {
            const r = await runCli(['place', '--format', 'json', '.']);
            expect((JSON.parse(r.stdout) as PlanReport[]).map(x => x.file)).toEqual([
                'b.dcplan',
                path.join('sub', 'a.dcplan')
            ]);
        } finally {
            process.chdir(cwd);
        }
    });

    it('a folder and a file together: the folder expanded where it stands', async () => {
        const r = await runCli([
            'check',
            '--format',
            'json',
            path.join(plans, 'sub'),
            path.join(plans, 'b.dcplan')
        ]);
        expect((JSON.parse(r.stdout) as PlanReport[]).map(x => x.plan)).toEqual([
            'second',
            'recommended'
        ]);
    });

    it('a folder with no plan: exit 2 and the message, nothing on stdout', async () => {
        const empty = path.join(tmp, 'empty');
        fs.mkdirSync(path.join(empty, 'node_modules'), { recursive: true });
        fs.writeFileSync(path.join(empty, 'node_modules', 'x.dcplan'), recommended);
        fs.writeFileSync(path.join(empty, 'a.dcplan.bak'), recommended);
        for (const cmd of ['check', 'place'])
            expect(await runCli([cmd, empty])).toEqual({
                stdout: '',
                stderr: `dcplan: no .dcplan files under ${empty}/\n`,
                status: 2
            });
        expect((await runCli(['check', `${empty}/`])).stderr).toBe(
            `dcplan: no .dcplan files under ${empty}/\n`
        );
    });

    it('a folder whose only plans are symbolic links says so', async () => {
        const linked = path.join(tmp, 'linked');
        fs.mkdirSync(linked);
        fs.writeFileSync(path.join(tmp, 'real.dcplan'), recommended);
        fs.symlinkSync('../real.dcplan', path.join(linked, 'link.dcplan'));
        expect(await runCli(['check', linked])).toEqual({
            stdout: '',
            stderr: `dcplan: no .dcplan files under ${linked}/ (1 symbolic link not followed: name the linked files)\n`,
            status: 2
        });
    });

    it('a folder among plans: the plans reported, the empty folder said, exit 2', async () => {
        const empty = fs.mkdtempSync(path.join(tmp, 'none-'));
        const r = await runCli(['check', empty, path.join(plans, 'b.dcplan')]);
        expect(r.stderr).toBe(`dcplan: no .dcplan files under ${empty}/\n`);
        // a folder was named: each report under its header, as for several files
        expect(
            r.stdout.startsWith(`==> ${path.join(plans, 'b.dcplan')} <==\nplan recommended`)
        ).toBe(true);
        expect(r.status).toBe(2);
    });

    it('fix and lock, which write, refuse a folder in words (exit 2, nothing written)', async () => {
        for (const [cmd, done] of [
            ['fix', 'fixed'],
            ['lock', 'locked']
        ])
            expect(await runCli([cmd, plans])).toEqual({
                stdout: '',
                stderr: `dcplan: ${plans}: a folder cannot be ${done}: only check and place read a folder's plans\n`,
                status: 2
            });
        expect(fs.existsSync(path.join(plans, 'b.dcplan.lock'))).toBe(false);
    });
});

describe('isScannedEntry, the workspace scan and the CLI alike', () => {
    const file = { isFile: true, isDirectory: false };
    const folder = { isFile: false, isDirectory: true };
    const link = { isFile: false, isDirectory: false };
    it('takes .dcplan files and folders, not dot-names, node_modules, out or links', () => {
        expect(isScannedEntry('a.dcplan', file)).toBe(true);
        expect(isScannedEntry('plans', folder)).toBe(true);
        for (const name of ['a.dcplan.bak', 'a.dcplan~', 'a.dcplan.lock', 'a.txt', '.a.dcplan'])
            expect([name, isScannedEntry(name, file)]).toEqual([name, false]);
        for (const name of ['node_modules', 'out', '.git', '.vscode'])
            expect([name, isScannedEntry(name, folder)]).toEqual([name, false]);
        expect(isScannedEntry('a.dcplan', link)).toBe(false);
    });
});
