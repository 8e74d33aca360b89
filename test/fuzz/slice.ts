/**
 * The CI slice of the fuzzer (`npm run fuzz` runs 50,000): the first SLICE cases of seed SEED
 * (fuzz/cases.ts) through the in-process oracle (check, fix-all, formatter; fuzz/oracle.ts),
 * every SERVER_EVERY-th of them and the KNOWN reproducers through the real server over stdio
 * (fuzz/server-probe.ts). Split over two test files (even and odd cases) so vitest runs the
 * halves side by side.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect } from 'vitest';
import { fuzzCase } from '../../fuzz/cases.js';
import { FAILURE_KINDS, Oracle, type Failure } from '../../fuzz/oracle.js';
import { ServerProbe } from '../../fuzz/server-probe.js';

export const SEED = 1;
export const SLICE = 2000;
export const SERVER_EVERY = 25;

/**
 * One minimal reproducer per class of failure the fuzzer found on this branch that is fixed on
 * another (issue 13's parts), so the slice keeps them whatever the seed draws: an import
 * without its path and nameless elements; repeated attributes and a fix that adds an error;
 * the formatter on a run of `{` and a check at the instance limit.
 */
export const KNOWN: readonly { readonly name: string; readonly text: string }[] = [
    // an import without its path (typing `import`): importUri throws, the server exits
    { name: 'import without a path', text: 'import\n' },
    // a shape without a name (error recovery): "shape undefined is not deployed"
    { name: 'nameless shape', text: 'shape { role = proxy cores = 1 memory = 2 GiB }\n' },
    // repeated attributes: fix-all does not converge (proxy-split rounds, the count grows)
    {
        name: 'repeated attribute, fix-all',
        text: 'shape s { role = proxy cores = 1 cores = 2 memory = 2 GiB }\ndeploy 4 x s\n'
    },
    // a run of `{`: the formatter's output is quadratic in its input
    { name: 'run of {', text: 'shape s {\n' + '{\n'.repeat(200) },
    // a million instances (the limit) and a second deployment past it: the check takes 3-12 s,
    // a hang under `npm run fuzz`'s 3 s cap; under CI's 10 s cap only on a loaded machine
    {
        name: 'instances at the limit',
        text: 'deploy 1M x p\nshape p { role = proxy cores = 1 memory = 2 GiB }\ndeploy 1M x p\n'
    },
    // fix-all adds an error: hv01's invalid hypervisor_cores is replaced by 2, and hv01 is now
    // cpu-overcommitted by what it runs (an error the input did not have)
    {
        name: 'fix-all adds an error',
        text: readFileSync(
            path.resolve(__dirname, '../../examples/overcommit.dcplan'),
            'utf8'
        ).replace('hypervisor_cores = 2', 'hypervisor_cores = 1e3')
    }
];

/** The time one stage may take in CI before it counts as a hang (ms): `npm run fuzz` allows 3 s, CI machines are shared. */
export const CI_CAP_MS = 10_000;

/** The failures of the cases `index % 2 === half` of the slice (and of KNOWN, for half 0), as `case N: kind stage: detail` lines. */
export async function runSlice(half: 0 | 1): Promise<string[]> {
    console.error = () => undefined; // Langium logs the exceptions it contains; the oracle reports them
    const oracle = new Oracle(CI_CAP_MS);
    const server = new ServerProbe(path.resolve(__dirname, '../../dist/language-server.cjs'));
    const seen: string[] = [];
    const note = (what: string, fs: Failure[]) => {
        for (const f of fs)
            seen.push(`${what}: ${f.kind} ${f.stage}: ${f.detail.split('\n')[0].slice(0, 200)}`);
    };
    try {
        if (half === 0) {
            for (const k of KNOWN) {
                note(k.name, await oracle.run(k.text));
                note(k.name, await server.probe(k.text));
            }
        }
        for (let i = half; i < SLICE; i += 2) {
            const c = fuzzCase(SEED, i);
            note(`case ${i}`, await oracle.run(c.text));
            if (i % SERVER_EVERY === 0) note(`case ${i}`, await server.probe(c.text));
        }
    } finally {
        await server.close();
    }
    return seen;
}

/** Asserts no failure of any kind, listing them all when there are some. */
export function expectNoFailures(seen: readonly string[]): void {
    const counts = Object.fromEntries(
        FAILURE_KINDS.map(k => [k, seen.filter(s => s.includes(`: ${k} `)).length])
    );
    expect({ counts, failures: seen }).toEqual({
        counts: Object.fromEntries(FAILURE_KINDS.map(k => [k, 0])),
        failures: []
    });
}
