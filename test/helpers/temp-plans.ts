/**
 * Plans checked as files on disk, as the CLI checks them (`checkFiles`), in a temporary folder
 * made before the calling test file's tests and removed after them.
 */
import { afterAll, beforeAll } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkFiles } from '../../language-server/check.js';
import type { PlanReport } from '../../src/planner/report.js';

/**
 * Registers the folder's `beforeAll`/`afterAll` (its name starts with `prefix`) and returns
 * `check(name, text)`: writes `text` to `name` in the folder and resolves to its report.
 */
export function tempPlanChecker(
    prefix: string
): (name: string, text: string) => Promise<PlanReport> {
    let tmp: string;
    beforeAll(() => {
        tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    });
    afterAll(() => {
        fs.rmSync(tmp, { recursive: true, force: true });
    });
    return async (name, text) => {
        const file = path.join(tmp, name);
        fs.writeFileSync(file, text);
        return (await checkFiles([file]))[0].report;
    };
}

/**
 * Writes `to` as the plan `from` with `edit` applied to its text, and `to.lock` as `from`'s lock
 * recording `to`'s name (its `plan:` line), so that `to` is placed from the lock `from` runs.
 * Returns `to`.
 */
export function copyPlanWithLock(from: string, to: string, edit: (text: string) => string): string {
    fs.writeFileSync(to, edit(fs.readFileSync(from, 'utf8')));
    fs.writeFileSync(
        `${to}.lock`,
        fs
            .readFileSync(`${from}.lock`, 'utf8')
            .replace(`plan: ${path.basename(from)}`, `plan: ${path.basename(to)}`)
    );
    return to;
}
