/**
 * `npm run bench:quality [-- --refresh-optima] [--fixtures] [--per N]`: the independent quality
 * comparison of issue 15 alone (bench/run.ts runs the same as its quality section). Prints the
 * per-distribution table with the targets held / not held, writes bench/results/quality.json
 * (every plan's figures), and with `--fixtures` writes the failing plans to
 * test/fixtures/placement-regressions/ (text + the optimum's figures in a header comment, and
 * expected.json).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runQuality } from './compare.js';
import { qualityRows } from './report.js';
import { planText } from './plans.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const arg = (name: string) => process.argv.includes(name);
const per = process.argv.includes('--per')
    ? Number(process.argv[process.argv.indexOf('--per') + 1])
    : 50;
const r = await runQuality(root, {
    perDistribution: per,
    refresh: arg('--refresh-optima'),
    timeLimit: Number(process.env.QUALITY_OPT_LIMIT ?? 10),
    log: s => console.error(s),
    // QUALITY_LP_DIR=dir: write each newly solved level's LP and HiGHS's value (crosscheck.sh)
    onLevel: process.env.QUALITY_LP_DIR
        ? (plan, level, lp, value, proved) => {
              const dir = process.env.QUALITY_LP_DIR!;
              fs.mkdirSync(dir, { recursive: true });
              fs.writeFileSync(path.join(dir, `${plan}.${level}.lp`), lp);
              fs.appendFileSync(
                  path.join(dir, 'highs.tsv'),
                  `${plan}\t${level}\t${value}\t${proved}\n`
              );
          }
        : undefined
});
for (const row of qualityRows(r.figures))
    console.log(
        `${row[3] === null ? '  ' : row[3] ? 'ok' : '!!'} ${row[0]}: ${row[1]} (target ${row[2]})`
    );
fs.mkdirSync(path.join(root, 'bench', 'results'), { recursive: true });
fs.writeFileSync(
    path.join(root, 'bench', 'results', 'quality.json'),
    JSON.stringify({ figures: r.figures, outcomes: r.outcomes }, null, 1)
);
console.log(`written bench/results/quality.json (${r.solved} optima solved)`);
if (arg('--fixtures')) {
    const dir = path.join(root, 'test', 'fixtures', 'placement-regressions');
    fs.mkdirSync(dir, { recursive: true });
    const expected: Record<string, unknown> = {};
    const byName = new Map(r.plans.map(p => [p.name, p]));
    for (const o of r.outcomes.filter(x => x.fails.length > 0)) {
        const p = byName.get(o.name)!;
        const opt = o.optimum;
        const fig = {
            distribution: o.distribution,
            fails: o.fails,
            deployedCores: opt.deployedCores,
            placedCores: opt.placedCores,
            full: opt.full,
            spread: opt.spread,
            singleRole: opt.singleRole,
            missingRoles: opt.missingRoles,
            racks: opt.racks,
            maxUtil: opt.maxUtil,
            proved: opt.proved,
            heuristic: o.heuristic,
            cli: o.cli,
            gapPoints: o.gapPoints,
            permutationOrdersThatDiffer: o.permutationsDiffer.map(d => d.order)
        };
        expected[o.name] = fig;
        const header = [
            `// placement regression (issue 15), from bench/quality (${o.distribution}); fails: ${o.fails.join(', ')}`,
            `// optimum (bench/quality/optimum.ts, HiGHS): ${opt.placedCores} of ${opt.deployedCores} cores placeable${opt.full ? `; spread ${opt.spread}, single-role hosts ${opt.singleRole}, missing roles ${opt.missingRoles}, rack excess ${opt.racks}, busiest host ${(100 * opt.maxUtil!).toFixed(2)}%` : ''}; proved: ${Object.entries(
                opt.proved
            )
                .map(([k, v]) => `${k} ${v ? 'yes' : 'NO'}`)
                .join(', ')}`,
            `// place alone: ${o.heuristic.placedCores} cores, spread ${o.heuristic.spread}, single-role ${o.heuristic.singleRole}, missing ${o.heuristic.missingRoles}, racks ${o.heuristic.racks}, busiest ${(100 * o.heuristic.maxUtil).toFixed(2)}%; CLI (exact fallback): ${o.cli.placedCores} cores`
        ].join('\n');
        fs.writeFileSync(path.join(dir, `${o.name}.dcplan`), `${header}\n${planText(p)}`);
    }
    fs.writeFileSync(path.join(dir, 'expected.json'), JSON.stringify(expected, null, 1) + '\n');
    console.log(
        `written ${Object.keys(expected).length} fixtures to test/fixtures/placement-regressions/`
    );
}
process.exit(0);
