/**
 * Placement digest: places every `examples/*.dcplan` (through the whole check) and a fixed set of
 * the generator's plans (bench/generate.ts), and prints one SHA-256 per group of every
 * instance → host assignment, the figures and the objective's measures, then a total. A refactor
 * of the planner that must not change behaviour keeps every line identical:
 *
 *   npx tsx bench/placement-digest.ts            # prints the digest lines
 *   npx tsx bench/placement-digest.ts --exact    # also the exact solver on small plans
 *
 * The exact group solves with a generous time limit and hashes the placements and the levels'
 * values only: whether the last level is proved within the limit depends on the machine's load.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { place, type PlaceOptions } from '../src/planner/placement.js';
import { computeFigures } from '../src/planner/figures.js';
import { hostsNeededForNPlus1, toleratedHostLosses } from '../src/planner/host-failure.js';
import { loadHighs, measure, solveExactSync } from '../src/planner/exact.js';
import type { PlanModel } from '../src/planner/model.js';
import { generate, largePlan, qualitySet, toModel } from './generate.js';
import { checkFiles } from '../language-server/check.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const total = createHash('sha256');

/** Prints the digest of one group of JSON-able results. */
function group(name: string, items: unknown[]): void {
    const h = createHash('sha256');
    for (const x of items) h.update(JSON.stringify(x) + '\n');
    const d = h.digest('hex').slice(0, 16);
    total.update(`${name} ${d}\n`);
    console.log(`${name.padEnd(28)} ${String(items.length).padStart(4)} plans  ${d}`);
}

/** What one placement is summed up by: assignment, figures, measures. */
function placed(model: PlanModel, options: PlaceOptions = {}, figures = true): unknown {
    const p = place(model, options);
    return {
        hostOf: p.hostOf,
        unplacedReason: p.unplacedReason,
        measure: measure(model, p),
        figures: figures ? computeFigures(model, p) : undefined
    };
}

// examples through the whole check (parse, link, place, figures, rules)
const exampleFiles = fs
    .readdirSync(path.join(root, 'examples'))
    .filter(f => f.endsWith('.dcplan'))
    .sort()
    .map(f => path.join(root, 'examples', f));
const checked = await checkFiles(exampleFiles);
group(
    'examples (whole check)',
    checked.map(c => ({ file: path.basename(c.file), report: c.report }))
);

const quality = qualitySet(120);
group(
    'qualitySet(120)',
    quality.map(q => placed(q.model))
);
group(
    'qualitySet no fallback',
    quality.map(q => placed(q.model, { exactFallback: false }, false))
);
group(
    'qualitySet first-fit',
    quality.slice(0, 40).map(q => placed(q.model, { start: 'first-fit' }, false))
);
group(
    'qualitySet construct only',
    quality.slice(0, 40).map(q => placed(q.model, { skipLocalSearch: true }, false))
);
const tolerance: unknown[] = [];
for (const k of [1, 2]) {
    for (let j = 0; j < 40; j++) {
        const load = k === 1 ? 0.55 + (j % 5) * 0.07 : 0.45 + (j % 5) * 0.06;
        const model = toModel(
            generate({ seed: 500 + j, hosts: 4 + (j % 13), load, maxInstances: 100, tolerate: k })
        );
        const p = place(model, { exactFallback: false });
        tolerance.push({
            hostOf: p.hostOf,
            tolerated: toleratedHostLosses(model, p, k),
            nPlus1: hostsNeededForNPlus1(model, p)
        });
    }
}
group('tolerate 1 and 2', tolerance);
group(
    'racks (60, 300 hosts)',
    [60, 300].map(hosts =>
        placed(toModel(generate({ seed: 9, hosts, load: 0.85, shapesPerRole: 2, racks: 4 })))
    )
);
group(
    'seed 3 (100, 2000 hosts)',
    [100, 2000].map(hosts =>
        placed(toModel(generate({ seed: 3, hosts, load: 0.85, shapesPerRole: 2 })))
    )
);
group(
    'largePlan (1k, 10k)',
    [
        [1_000, 100],
        [10_000, 1_000]
    ].map(([n, h]) => placed(largePlan(n, h), {}, false))
);
const mixed: unknown[] = [];
for (let s = 0; s < 30; s++) {
    const model = toModel(
        generate({
            seed: 7000 + s,
            hosts: 3 + (s % 9),
            load: 0.7 + (s % 4) * 0.1,
            directors: s % 3 !== 0,
            maxInstances: 60
        })
    );
    mixed.push(placed(model));
}
group('mixed loads, 2.4 plans', mixed);

if (process.argv.includes('--exact')) {
    const highs = await loadHighs();
    const exact = quality.slice(0, 12).map(q => {
        const e = solveExactSync(highs, q.model, { timeLimitSeconds: 30 });
        // statuses and bounds depend on the machine's speed (a level may or may not be proved
        // within the limit); the placement and the levels' values are what must not change
        return { levels: e.levels.map(l => [l.level, l.value]), hostOf: e.placement.hostOf };
    });
    group('exact (12 quality plans)', exact);
}
console.log(`${'total'.padEnd(28)}             ${total.digest('hex').slice(0, 16)}`);
