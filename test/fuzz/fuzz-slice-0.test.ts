/**
 * Fuzzing in CI, half 0 of the seeded slice (test/fuzz/slice.ts): the even cases and the known reproducers,
 * through check, fix-all, the formatter and (a sample) the real server; no crash, hang,
 * nondeterminism, invalid range, `undefined` said or round-trip failure.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { beforeAll, it } from 'vitest';
import { expectNoFailures, runSlice, SEED, SLICE } from './slice.js';

const ROOT = path.resolve(__dirname, '../..');
beforeAll(() => {
    if (!existsSync(path.join(ROOT, 'dist/language-server.cjs')))
        execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
});

it(`fuzz slice: seed ${SEED}, cases ${0}, ${0 + 2}, … below ${SLICE}: zero failures of every kind`, async () => {
    expectNoFailures(await runSlice(0));
}, 900_000);
