/**
 * The CLI on the inputs that crashed it (issue 13, items 1 and 2): `import` alone (the moment
 * before the quote is typed) in a checked file or in a neighbour of a fixed one, an import of a
 * file that is not a plan, and an unexpected exception in the checker: one line on stderr and
 * exit status 2 (the stack only with DCPLAN_DEBUG=1), the other files still checked.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { LangiumDocument } from 'langium';
import { runCli } from '../../src/cli/main.js';
import { nodeServices } from '../../language-server/check.js';
import type { PlanReport } from '../../src/planner/report.js';
import { diagnosticLines } from '../helpers/diagnostics.js';

const bin = path.resolve(__dirname, '../../bin/dcplan.cjs');
let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-robust-'));
});
afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

function write(name: string, text: string): string {
    const file = path.join(tmp, name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, text);
    return file;
}

const GOOD =
    'shape p { role = proxy cores = 1 memory = 2 GiB }\n' +
    'host hv[1..2] { cores = 8 memory = 32 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }\ndeploy 2 x p\n';

/** The report's diagnostics as `code line:col-line:col message`. */
const diagnostics = (r: PlanReport) => diagnosticLines(r.diagnostics);

describe('import without a path', () => {
    it('check: exit 1, one syntax error at the end of `import`, no stack', async () => {
        const file = write('typing/a.dcplan', 'import\n');
        const r = await runCli(['check', '--format', 'json', file]);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(1);
        expect(diagnostics(JSON.parse(r.stdout) as PlanReport)).toEqual([
            'error syntax-error 1:7-1:7 the file ends in the middle of an element'
        ]);
    });

    it('the binary: exit 1, the diagnostic on stdout, nothing on stderr', () => {
        const file = write('typing/b.dcplan', 'import\n' + GOOD);
        const r = spawnSync(process.execPath, [bin, 'check', file], { encoding: 'utf8' });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(1);
        expect(r.stdout).toContain(
            `${file}:2:1 error syntax-error unexpected 'shape': expected a string`
        );
    });

    it('fix of a good file beside a neighbour with `import` alone works as without it', async () => {
        const good = write('neighbour/good.dcplan', GOOD);
        const alone = await runCli(['fix', good]);
        write('neighbour/typing.dcplan', 'import\n');
        write('neighbour/typing2.dcplan', 'import "good.dcplan"\nimport\n');
        const beside = await runCli(['fix', good]);
        expect(beside).toEqual(alone);
        expect(beside.stderr).toBe('');
    });
});

describe('imports of files that are not plans', () => {
    it('is import-missing on the path; the file is never read as a plan', async () => {
        write('other/notes.txt', 'shape x {\n');
        write('other/a.dcplan.bak', GOOD);
        const file = write(
            'other/main.dcplan',
            'import "notes.txt"\nimport "a.dcplan.bak"\ndeploy 1 x p\n'
        );
        const r = await runCli(['check', '--format', 'json', file]);
        expect(r.status).toBe(1);
        expect(diagnostics(JSON.parse(r.stdout) as PlanReport)).toEqual([
            'error import-missing 1:8-1:19 notes.txt is not a .dcplan file: only plans can be imported',
            'error import-missing 2:8-2:22 a.dcplan.bak is not a .dcplan file: only plans can be imported',
            "error unresolved-name 3:12-3:13 unknown shape 'p'"
        ]);
    });
});

describe('an internal error', () => {
    const { Dcplan } = nodeServices();
    const restore: (() => void)[] = [];
    afterEach(() => {
        for (const r of restore.splice(0)) r();
        delete process.env.DCPLAN_DEBUG;
    });

    /** Makes the linker throw for documents whose text holds `boom`. */
    function breakLinker(): void {
        const linker = Dcplan.references.Linker;
        const link = linker.link.bind(linker);
        linker.link = async (document: LangiumDocument, token) => {
            if (document.textDocument.getText().includes('boom'))
                throw new TypeError('boom in the linker');
            return link(document, token);
        };
        restore.push(() => {
            linker.link = link;
        });
    }

    it('contained in the build: one internal-error, one stderr line, exit 2, the other file still reported', async () => {
        breakLinker();
        const bad = write('internal/bad.dcplan', '// boom\n' + GOOD);
        const good = write('internal/good.dcplan', GOOD);
        const r = await runCli(['check', '--format', 'json', bad, good]);
        expect(r.status).toBe(2);
        const message =
            'internal error of the dcplan checker while linking (TypeError: boom in the linker): the other diagnostics of this file may be incomplete (please report it)';
        expect(r.stderr).toBe(`dcplan: ${bad}:1:1: ${message}\n`);
        const [badReport, goodReport] = JSON.parse(r.stdout) as PlanReport[];
        expect(diagnostics(badReport).filter(d => d.startsWith('error internal-error'))).toEqual([
            `error internal-error 1:1-1:1 ${message}`
        ]);
        expect(goodReport.diagnostics.map(d => d.code)).toEqual(
            (
                JSON.parse((await runCli(['check', '--format', 'json', good])).stdout) as PlanReport
            ).diagnostics.map(d => d.code)
        );
        expect(goodReport.diagnostics.some(d => d.code === 'internal-error')).toBe(false);
    });

    it('thrown out of the check: one line (the stack only with DCPLAN_DEBUG=1), exit 2, the next file still checked', async () => {
        const analyzer = Dcplan.analysis.PlanAnalyzer;
        const analyze = analyzer.analyze.bind(analyzer);
        analyzer.analyze = (document: LangiumDocument) => {
            if (document.textDocument.getText().includes('boom'))
                throw new RangeError('boom in the analysis');
            return analyze(document);
        };
        restore.push(() => {
            analyzer.analyze = analyze;
        });
        const bad = write('thrown/bad.dcplan', '// boom\n' + GOOD);
        const good = write('thrown/good.dcplan', GOOD);
        const r = await runCli(['check', bad, good]);
        expect(r.status).toBe(2);
        expect(r.stderr).toBe(
            `dcplan: ${bad}: internal error (RangeError: boom in the analysis); DCPLAN_DEBUG=1 shows the stack\n`
        );
        expect(r.stdout).toContain('hv1');
        process.env.DCPLAN_DEBUG = '1';
        const debug = await runCli(['check', bad]);
        expect(debug.status).toBe(2);
        const lines = debug.stderr.split('\n');
        expect(lines[0]).toBe(`dcplan: ${bad}: internal error (RangeError: boom in the analysis)`);
        expect(lines[1]).toBe('RangeError: boom in the analysis');
        expect(lines[2]).toMatch(/^ {4}at /);
    });
});
