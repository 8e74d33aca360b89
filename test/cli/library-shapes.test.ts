/**
 * A shapes-only library checked from the shell (the spec: "a shapes-only library is checked
 * against its importers"): `check` knows the files that import it, among the files named and the
 * plans of its folder, as the language server's workspace does, so a shape an importer deploys is
 * not `unused-shape`; one no importer deploys still is. Real files in a temp directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { importersFinder } from '../../src/cli/files.js';
import type { NeighbourFiles } from '../../src/cli/neighbours.js';
import { DISK } from '../../src/cli/neighbours.js';
import type { PlanReport } from '../../src/planner/report.js';

const SHAPES =
    'shape proxy_1c { role = proxy cores = 1 memory = 2 GiB }\n' +
    'shape director_2c { role = director cores = 2 memory = 4 GiB login_processes = 2 }\n' +
    'shape backend_4c { role = backend cores = 4 memory = 8 GiB }\n' +
    'shape spare_8c { role = backend cores = 8 memory = 16 GiB }\n';
const SPLIT =
    'import "shapes.dcplan"\n' +
    'plan split { title = "split" }\n' +
    'deploy 2 x proxy_1c\n' +
    'deploy 2 x director_2c\n' +
    'deploy 2 x backend_4c\n' +
    'host hv01, hv02 { cores = 24 memory = 256 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }\n';
/** Deploys a `spare_8c` of its own: it does not import the library, so it uses none of its shapes. */
const OTHER =
    'shape spare_8c { role = backend cores = 8 memory = 16 GiB }\n' +
    'deploy 1 x spare_8c\n' +
    'host hv01 { cores = 24 memory = 256 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }\n';

/** The one hint the library keeps: the shape that no importer deploys. */
const SPARE = 'shapes.dcplan:4:7 hint unused-shape shape spare_8c is not deployed';

let tmp: string;
let cwd: string;

beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-library-'));
    fs.writeFileSync(path.join(tmp, 'shapes.dcplan'), SHAPES);
    fs.writeFileSync(path.join(tmp, 'split.dcplan'), SPLIT);
    fs.writeFileSync(path.join(tmp, 'other.dcplan'), OTHER);
    cwd = process.cwd();
    process.chdir(tmp);
});
afterAll(() => {
    process.chdir(cwd);
    fs.rmSync(tmp, { recursive: true, force: true });
});

/** The diagnostic lines of a text report (`file:line:col severity code message`). */
function diagnosticLines(stdout: string): string[] {
    return stdout.split('\n').filter(l => /^\S+\.dcplan:\d+:\d+ /.test(l));
}

describe('check of a shapes-only library', () => {
    it.each([[['.']], [['shapes.dcplan', 'split.dcplan']], [['shapes.dcplan']]])(
        'check %j: unused-shape only for the shape no importer deploys',
        async args => {
            const r = await runCli(['check', ...args]);
            expect(r.stderr).toBe('');
            expect(r.status).toBe(0);
            expect(diagnosticLines(r.stdout).filter(l => l.startsWith('shapes.dcplan:'))).toEqual([
                SPARE
            ]);
        }
    );

    it('the importer, loaded first as a neighbour, is checked as when given alone', async () => {
        const alone = await runCli(['check', 'split.dcplan']);
        const all = await runCli(['check', '.']);
        const ofSplit = (out: string) => diagnosticLines(out).filter(l => l.startsWith('split'));
        expect(ofSplit(alone.stdout)).toEqual([
            'split.dcplan:1:8 hint unused-shape in shapes.dcplan: shape spare_8c is not deployed'
        ]);
        expect(ofSplit(all.stdout)).toEqual(ofSplit(alone.stdout));
    });

    it('JSON: the library lists the same one unused-shape, at its name', async () => {
        const r = await runCli(['check', '--format', 'json', 'shapes.dcplan']);
        const report = JSON.parse(r.stdout) as PlanReport;
        expect(
            report.diagnostics.map(d => [d.code, d.severity, d.line, d.column, d.message])
        ).toEqual([['unused-shape', 'hint', 4, 7, 'shape spare_8c is not deployed']]);
    });

    it('an importer in another folder counts when it is among the files checked', async () => {
        fs.mkdirSync(path.join(tmp, 'lib'));
        fs.mkdirSync(path.join(tmp, 'plans'));
        try {
            fs.writeFileSync(path.join(tmp, 'lib', 'shapes.dcplan'), SHAPES);
            fs.writeFileSync(
                path.join(tmp, 'plans', 'a.dcplan'),
                SPLIT.replace('"shapes.dcplan"', '"../lib/shapes.dcplan"')
            );
            // alone, only its own folder is read: no importer there (first: the documents a check
            // loads stay in the process's workspace, as in the server once the importer is open)
            const alone = await runCli(['check', 'lib/shapes.dcplan']);
            expect(diagnosticLines(alone.stdout)).toEqual([
                'lib/shapes.dcplan:1:7 hint unused-shape shape proxy_1c is not deployed',
                'lib/shapes.dcplan:2:7 hint unused-shape shape director_2c is not deployed',
                'lib/shapes.dcplan:3:7 hint unused-shape shape backend_4c is not deployed',
                'lib/' + SPARE
            ]);
            const both = await runCli(['check', 'lib/shapes.dcplan', 'plans/a.dcplan']);
            expect(diagnosticLines(both.stdout).filter(l => l.startsWith('lib/'))).toEqual([
                'lib/' + SPARE
            ]);
        } finally {
            fs.rmSync(path.join(tmp, 'lib'), { recursive: true, force: true });
            fs.rmSync(path.join(tmp, 'plans'), { recursive: true, force: true });
        }
    });
});

describe('check of an importer of a library in another folder', () => {
    it("counts the library's other importers beside it: no unused-shape for what they deploy", async () => {
        fs.mkdirSync(path.join(tmp, 'lib'));
        fs.mkdirSync(path.join(tmp, 'plans'));
        try {
            fs.writeFileSync(path.join(tmp, 'lib', 'shapes.dcplan'), SHAPES);
            fs.writeFileSync(
                path.join(tmp, 'plans', 'a.dcplan'),
                SPLIT.replace('"shapes.dcplan"', '"../lib/shapes.dcplan"')
            );
            // b deploys only proxy_1c: director_2c and backend_4c are a's, spare_8c nobody's
            fs.writeFileSync(
                path.join(tmp, 'plans', 'b.dcplan'),
                'import "../lib/shapes.dcplan"\n' +
                    'deploy 2 x proxy_1c\n' +
                    'host hv01, hv02 { cores = 24 memory = 256 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }\n'
            );
            const r = await runCli(['check', 'plans/b.dcplan']);
            expect(diagnosticLines(r.stdout).filter(l => l.includes('unused-shape'))).toEqual([
                'plans/b.dcplan:1:8 hint unused-shape in ../lib/shapes.dcplan: shape spare_8c is not deployed'
            ]);
        } finally {
            fs.rmSync(path.join(tmp, 'lib'), { recursive: true, force: true });
            fs.rmSync(path.join(tmp, 'plans'), { recursive: true, force: true });
        }
    });
});

describe('importersFinder', () => {
    it('reads each file of the folder once, only its imports, and finds the importers', () => {
        const opened: string[] = [];
        const counting: NeighbourFiles = {
            ...DISK,
            open: file => {
                opened.push(path.basename(file));
                return DISK.open(file);
            }
        };
        const find = importersFinder(['shapes.dcplan'], counting);
        expect(find('shapes.dcplan').map(f => path.basename(f))).toEqual(['split.dcplan']);
        expect(find('other.dcplan')).toEqual([]);
        expect(find('split.dcplan')).toEqual([]);
        expect([...opened].sort()).toEqual(['other.dcplan', 'shapes.dcplan', 'split.dcplan']);
    });
});
