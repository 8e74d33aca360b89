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
