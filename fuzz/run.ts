/**
 * `npm run fuzz`: mutated plans (fuzz/cases.ts) through check, fix-all and the formatter
 * in-process (fuzz/oracle.ts), and every SERVER_EVERY-th through the real server over stdio
 * (fuzz/server-probe.ts). Not in CI (a seeded slice is: test/fuzz/fuzz-slice.test.ts).
 *
 *   npm run fuzz -- [--cases 50000] [--seed 1] [--jobs <cpus>] [--server-every 25] [--out dist/fuzz-failures]
 *
 * Cases run in worker threads; a worker silent for WATCHDOG_MS on one case is ended, the case
 * counted a hang, and a new worker goes on with the next case. Prints the counts of crashes,
 * hangs, nondeterminism, invalid ranges, `undefined` said and round-trip failures (all must be
 * 0; the exit status is 1 otherwise), one line per distinct failure, and writes a reproducer per
 * failure (`<kind>-<case>.dcplan`, the text, and `.json`, what failed and how the text was made)
 * under the folder it prints. Interrupted (Ctrl-C, SIGTERM), it prints the counts so far.
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { availableParallelism } from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { fuzzCase, type FuzzCase } from './cases.js';
import { FAILURE_KINDS, Oracle, type Failure } from './oracle.js';
import { ServerProbe } from './server-probe.js';
import { ROOT } from './plans.js';

/** A worker silent this long on one case is ended and the case counted a hang (ms). */
const WATCHDOG_MS = 60_000;

interface Options {
    cases: number;
    seed: number;
    jobs: number;
    serverEvery: number;
    out: string;
}
type FromWorker =
    { type: 'start'; index: number } | { type: 'done'; index: number; failures: Failure[] };

function options(argv: string[]): Options {
    const arg = (name: string, d: string) => {
        const i = argv.indexOf(`--${name}`);
        return i >= 0 ? argv[i + 1] : d;
    };
    return {
        cases: Number(arg('cases', '50000')),
        seed: Number(arg('seed', '1')),
        jobs: Number(arg('jobs', String(Math.max(1, availableParallelism())))),
        serverEvery: Number(arg('server-every', '25')),
        out: path.resolve(arg('out', path.join(ROOT, 'dist', 'fuzz-failures')))
    };
}

/** Worker: runs the cases `from`, `from + stride`, … below `to`, reporting each. */
async function worker(): Promise<void> {
    const { seed, from, to, stride } = workerData as {
        seed: number;
        from: number;
        to: number;
        stride: number;
    };
    // Langium logs the exceptions it contains; the oracle reports them as failures.
    console.error = () => undefined;
    console.warn = () => undefined;
    console.log = () => undefined;
    const oracle = new Oracle();
    for (let index = from; index < to; index += stride) {
        parentPort!.postMessage({ type: 'start', index } satisfies FromWorker);
        let failures: Failure[];
        try {
            failures = await oracle.run(fuzzCase(seed, index).text);
        } catch (e) {
            failures = [{ kind: 'crash', stage: 'oracle', detail: String(e) }];
        }
        parentPort!.postMessage({ type: 'done', index, failures } satisfies FromWorker);
    }
}

async function main(): Promise<void> {
    const o = options(process.argv.slice(2));
    const out = path.join(o.out, `seed-${o.seed}`);
    mkdirSync(out, { recursive: true });
    const counts = Object.fromEntries(FAILURE_KINDS.map(k => [k, 0])) as Record<string, number>;
    const distinct = new Map<string, { n: number; index: number; failure: Failure }>();
    let done = 0;
    const t0 = Date.now();
    const record = (c: FuzzCase, failures: Failure[]) => {
        for (const f of failures) {
            counts[f.kind]++;
            const file = path.join(out, `${f.kind}-${f.stage}-${c.index}`);
            writeFileSync(`${file}.dcplan`, c.text);
            writeFileSync(
                `${file}.json`,
                JSON.stringify(
                    {
                        seed: o.seed,
                        case: c.index,
                        source: c.source,
                        mutations: c.mutations,
                        failure: f
                    },
                    null,
                    2
                ) + '\n'
            );
            const key = `${f.kind} ${f.stage}: ${f.detail.split('\n')[0].replace(/\d+/g, 'N').slice(0, 100)}`;
            const d = distinct.get(key);
            if (d) d.n++;
            else distinct.set(key, { n: 1, index: c.index, failure: f });
        }
    };
    let served = 0;
    const progress = setInterval(
        () =>
            process.stderr.write(
                `\r${done} / ${o.cases} cases, ${Math.round((Date.now() - t0) / 1000)} s `
            ),
        5000
    );

    /** Prints the counts (so far, when `interrupted`) and exits: 1 when anything failed. */
    const summary = (interrupted: boolean) => {
        clearInterval(progress);
        const seconds = (Date.now() - t0) / 1000;
        process.stderr.write('\n');
        console.log(
            `dcplan fuzz${interrupted ? ' (interrupted)' : ''}: seed ${o.seed}, ${done} cases in-process (check, fix-all, formatter), ${served} through the server, ${seconds.toFixed(0)} s`
        );
        for (const k of FAILURE_KINDS) console.log(`  ${k.padEnd(16)} ${counts[k]}`);
        if (distinct.size > 0) {
            console.log('\ndistinct failures (count, first case):');
            for (const [key, d] of [...distinct].sort((a, b) => b[1].n - a[1].n))
                console.log(`  ${String(d.n).padStart(6)}  case ${d.index}  ${key}`);
            console.log(`\nreproducers: ${out}`);
        }
        process.exit(Object.values(counts).some(n => n > 0) || interrupted ? 1 : 0);
    };
    process.once('SIGINT', () => summary(true));
    process.once('SIGTERM', () => summary(true));

    const self = fileURLToPath(import.meta.url);
    const runWorker = (from: number, stride: number): Promise<void> =>
        new Promise(resolve => {
            if (from >= o.cases) {
                resolve();
                return;
            }
            const w = new Worker(self, { workerData: { seed: o.seed, from, to: o.cases, stride } });
            let current = from;
            let settled = false;
            let timer: NodeJS.Timeout | undefined;
            /** The worker is gone without finishing (killed by the watchdog, or died on `current`): count it, go on after it. */
            const lost = (failure: Failure) => {
                if (settled) return;
                settled = true;
                clearTimeout(timer);
                record(fuzzCase(o.seed, current), [failure]);
                done++;
                void w.terminate();
                void runWorker(current + stride, stride).then(resolve);
            };
            w.on('message', (m: FromWorker) => {
                if (m.type === 'start') {
                    current = m.index;
                    clearTimeout(timer);
                    timer = setTimeout(
                        () =>
                            lost({
                                kind: 'hang',
                                stage: 'worker',
                                detail: `no answer in ${WATCHDOG_MS} ms`
                            }),
                        WATCHDOG_MS
                    );
                    return;
                }
                clearTimeout(timer);
                done++;
                if (m.failures.length > 0) record(fuzzCase(o.seed, m.index), m.failures);
                if (m.index + stride >= o.cases) {
                    settled = true;
                    void w.terminate();
                    resolve();
                }
            });
            w.on('error', e => lost({ kind: 'crash', stage: 'worker', detail: String(e) }));
            w.on('exit', code =>
                lost({ kind: 'crash', stage: 'worker', detail: `the worker exited (${code})` })
            );
        });
    const workers = Array.from({ length: o.jobs }, (_, j) => runWorker(j, o.jobs));

    // The server slice, in this thread beside the workers.
    const server = new ServerProbe(path.join(ROOT, 'dist', 'language-server.cjs'));
    for (let index = 0; index < o.cases; index += o.serverEvery) {
        const c = fuzzCase(o.seed, index);
        const failures = await server.probe(c.text);
        served++;
        if (failures.length > 0) record(c, failures);
    }
    await server.close();
    await Promise.all(workers);

    summary(false);
}

if (isMainThread) void main();
else void worker();
