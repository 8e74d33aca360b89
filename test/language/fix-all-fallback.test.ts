/**
 * Fix-all in the language server, where `place` leaves the exact fallback for later
 * (`enableDeferredExactFallback`): the sandbox waits for the fallback's plan (the solver's worker;
 * here computed in process) before it judges a text, so a fix is judged on the placement the
 * diagnostics end up on, as `dcplan fix` judges it — not on the heuristic's alone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EmptyFileSystem } from 'langium';
import { createDcplanServices } from '../../language-server/dcplan-module.js';
import { FixSandbox } from '../../language-server/fixes/fix-all.js';
import { enableDeferredExactFallback } from '../../src/planner/exact-deferred.js';
import { enableExactFallback } from '../../src/planner/exact-fallback.js';
import { planDay2 } from '../../src/planner/day2.js';
import { setPlacementFallback } from '../../src/planner/placement.js';
import type { Lock } from '../../src/planner/lock.js';
import type { PlanModel } from '../../src/planner/model.js';

const FILE = 'file:///work/plans/fifty-on-three.dcplan';
const TEXT = fs.readFileSync(
    path.resolve(__dirname, '../fixtures/exact-fit/fifty-on-three.dcplan'),
    'utf8'
);
const create = () => createDcplanServices({ ...EmptyFileSystem });
let solves = 0;

/** The worker's `planWithExactFallback`, in process: `planDay2` with the exact fallback. */
async function solve(model: PlanModel, lock?: Lock, _s?: AbortSignal, lockFile?: string) {
    solves++;
    await enableExactFallback();
    try {
        return planDay2(model, lock, {}, lockFile);
    } finally {
        enableDeferredExactFallback();
    }
}

beforeAll(() => {
    enableDeferredExactFallback();
});
afterAll(() => {
    setPlacementFallback(undefined);
});

const APPLIED = [
    'login-idle-cores: Set login_processes = 7 on d1_7c (one login process per core)',
    'login-idle-cores: Set login_processes = 8 on d9_8c (one login process per core)'
];

describe('fix-all with the exact fallback left for later', () => {
    it('judges on the fallback placement: 314 of 314 placed, as dcplan check and dcplan fix say', async () => {
        const r = await new FixSandbox(create, solve).fixAll(FILE, TEXT, () => undefined);
        expect(solves).toBeGreaterThan(0);
        expect(r.applied.map(f => `${f.code}: ${f.title}`)).toEqual(APPLIED);
        // the reasons `dcplan fix` prints for this file (test/cli/fix.test.ts)
        expect(r.rejected.map(f => `${f.code}: ${f.title}: ${f.reason}`)).toEqual([
            'proxy-split: Split into 64 × 1-core proxies (maintenance impact 6.8%): it would add 2 unplaceable errors',
            'login-idle-cores: Split into 60 × 1-core proxies (maintenance impact 7.2%): it would add 1 unplaceable error',
            'login-idle-cores: Split into 64 × 1-core proxies (maintenance impact 6.8%): it would add 2 unplaceable errors',
            'login-idle-cores: Split into 24 × 1-core proxies (maintenance impact 7.2%): it would add 2 unplaceable errors',
            'login-idle-cores: Split into 30 × 1-core proxies (maintenance impact 7.2%): it would add 2 unplaceable errors',
            'login-idle-cores: Split into 39 × 1-core proxies (maintenance impact 7.2%): it would add 2 unplaceable errors'
        ]);
        // the fixed text's diagnostics are those of the fallback's placement: no error
        expect(r.diagnostics.filter(d => d.severity === 1)).toEqual([]);
    }, 120_000);

    it("a fallback that fails leaves the heuristic's placement: 313 of 314, said as such", async () => {
        const r = await new FixSandbox(create, () =>
            Promise.reject(new Error('the worker cannot start'))
        ).fixAll(FILE, TEXT, () => undefined);
        expect(r.applied.map(f => `${f.code}: ${f.title}`)).toEqual(APPLIED);
        expect(r.rejected[0]).toEqual({
            code: 'proxy-split',
            title: 'Split into 64 × 1-core proxies (maintenance impact 6.8%)',
            reason: 'it would place fewer vCPUs: 303 of 314, now 313 of 314'
        });
    });
});
