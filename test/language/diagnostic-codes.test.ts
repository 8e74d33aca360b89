/**
 * Every diagnostic code is asserted (issue 11, item 4). `IssueCodes` (src/planner/rules.ts) is the
 * list of codes; each has a fixture in `test/fixtures/diagnostics/`: a small plan named after the
 * code whose trailing `// Expected` block lists exactly the diagnostics `dcplan check` gives it, one
 * `severity code L:C-L:C message` line each (test/helpers/diagnostics.ts). A code added to
 * `IssueCodes` without a fixture fails here; so does a fixture whose diagnostics change.
 *
 * A fixture folder (`import-cycle/`) holds a plan that needs other files: its `<folder>/a.dcplan`
 * is the fixture, the files without an `// Expected` block are only imported.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { checkFiles } from '../../language-server/check.js';
import { IssueCodes } from '../../src/planner/findings.js';
import { diagnosticLines } from '../helpers/diagnostics.js';

const ROOT = path.resolve(__dirname, '../..');
const DIR = path.join(ROOT, 'test/fixtures/diagnostics');
const MARK = '// Expected';

/**
 * Codes no plan text can produce, with the test that asserts them instead: `internal-error` is the
 * checker's own exception, provoked there by a service that throws.
 */
const ASSERTED_ELSEWHERE: Readonly<Record<string, string>> = {
    'internal-error': 'test/language/containment.test.ts'
};

/** The `.dcplan` files under `dir`, recursively, as paths relative to `DIR`, sorted. */
function planFiles(dir: string): string[] {
    return readdirSync(dir, { withFileTypes: true })
        .flatMap(e =>
            e.isDirectory()
                ? planFiles(path.join(dir, e.name))
                : e.name.endsWith('.dcplan')
                  ? [path.relative(DIR, path.join(dir, e.name))]
                  : []
        )
        .sort();
}

/** The lines of a fixture's `// Expected` block (`undefined` for a file that is only imported). */
function expectedLines(text: string): string[] | undefined {
    const lines = text.split(/\r?\n/);
    const at = lines.findIndex(l => l.startsWith(MARK));
    if (at < 0) return undefined;
    return lines
        .slice(at + 1)
        .filter(l => l.startsWith('// '))
        .map(l => l.slice(3));
}

/** The code a fixture is about: its file name, or its folder's name for a fixture in a folder. */
const codeOf = (file: string) =>
    file.includes(path.sep) ? file.split(path.sep)[0] : path.basename(file, '.dcplan');

const fixtures = planFiles(DIR)
    .map(file => ({ file, expected: expectedLines(readFileSync(path.join(DIR, file), 'utf8')) }))
    .filter((f): f is { file: string; expected: string[] } => f.expected !== undefined);
const actual = new Map<string, string[]>();

beforeAll(async () => {
    const checked = await checkFiles(fixtures.map(f => path.join(DIR, f.file)));
    // The one machine-dependent text: the absolute path a missing import was looked for at.
    checked.forEach((c, i) =>
        actual.set(
            fixtures[i].file,
            diagnosticLines(c.report.diagnostics).map(l => l.split(DIR).join('<dir>'))
        )
    );
}, 120_000);

describe('diagnostic code fixtures (test/fixtures/diagnostics)', () => {
    it('every code of IssueCodes has a fixture that asserts it, or names the test that does', () => {
        const asserted = new Set(fixtures.flatMap(f => f.expected.map(l => l.split(' ')[1])));
        const missing = Object.values(IssueCodes).filter(
            code => !asserted.has(code) && !(code in ASSERTED_ELSEWHERE)
        );
        expect(missing).toEqual([]);
        for (const [code, test] of Object.entries(ASSERTED_ELSEWHERE)) {
            expect(
                readFileSync(path.join(ROOT, test), 'utf8'),
                `${test} asserts ${code}`
            ).toContain(`'${code}'`);
        }
    });

    it('each fixture is named after a code and its expected diagnostics include that code', () => {
        const codes = new Set<string>(Object.values(IssueCodes));
        expect(fixtures.length).toBe(codes.size - Object.keys(ASSERTED_ELSEWHERE).length);
        for (const f of fixtures) {
            expect(codes.has(codeOf(f.file)), `${f.file} is named after a code`).toBe(true);
            expect(
                f.expected.map(l => l.split(' ')[1]),
                f.file
            ).toContain(codeOf(f.file));
        }
    });

    it('every code is in the table of the spec (docs/dcplan-language.md)', () => {
        const spec = readFileSync(path.join(ROOT, 'docs/dcplan-language.md'), 'utf8');
        expect(Object.values(IssueCodes).filter(code => !spec.includes(`\`${code}\``))).toEqual([]);
    });

    for (const f of fixtures) {
        it(`${f.file}: exactly the diagnostics of its Expected block`, () => {
            expect([...actual.get(f.file)!].sort()).toEqual([...f.expected].sort());
        });
    }
});
