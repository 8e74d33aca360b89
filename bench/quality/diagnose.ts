/**
 * `tsx bench/quality/diagnose.ts`: why the failing plans of the last quality run
 * (bench/results/quality.json) fail, for FINDINGS.md. For each failing plan it tries what could
 * have found the optimum: a 10× local-search budget, the first-fit start, and src/planner's exact
 * solver on placed cores with the fallback's time limit (0.3 s) and with 5 s, and it says whether
 * the fallback is eligible at all (at most FALLBACK_MAX_INSTANCES instances). Prints one line per
 * plan and writes bench/results/quality-diagnosis.json.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { place, setPlacementFallback } from '../../src/planner/placement.js';
import { loadHighs, solveExactSync } from '../../src/planner/exact.js';
import { FALLBACK_MAX_INSTANCES, FALLBACK_MAX_NODES } from '../../src/planner/exact-fallback.js';
import { checkFiles, nodeServices } from '../../language-server/check.js';
import { planText, qualityPlans } from './plans.js';
import { objectiveOfPlacement } from './measure.js';
import type { PlanOutcome } from './compare.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const q = JSON.parse(
    fs.readFileSync(path.join(root, 'bench', 'results', 'quality.json'), 'utf8')
) as { outcomes: PlanOutcome[] };
const plans = new Map(qualityPlans(50).map(p => [p.name, p]));
const highs = await loadHighs();
setPlacementFallback(undefined);
const services = nodeServices();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-diagnose-'));
const out: unknown[] = [];
for (const o of q.outcomes.filter(x => x.fails.length > 0)) {
    const p = plans.get(o.name)!;
    const file = path.join(dir, `${p.name}.dcplan`);
    fs.writeFileSync(file, planText(p));
    const [c] = await checkFiles([file], services);
    const model = services.Dcplan.analysis.PlanAnalyzer.analyze(c.document).built.model;
    const n = model.instances.length;
    const big = objectiveOfPlacement(
        model,
        place(model, { exactFallback: false, maxEvaluations: 10 * (70_000 + 20 * n) })
    );
    const ff = objectiveOfPlacement(
        model,
        place(model, { exactFallback: false, start: 'first-fit' })
    );
    const quick = solveExactSync(highs, model, {
        maxNodes: FALLBACK_MAX_NODES,
        lastLevel: 'placedCores'
    });
    const long = solveExactSync(highs, model, { timeLimitSeconds: 5, lastLevel: 'placedCores' });
    const d = {
        name: o.name,
        distribution: o.distribution,
        fails: o.fails,
        instances: n,
        hosts: model.hosts.length,
        optimumCores: o.optimum.placedCores,
        deployedCores: o.optimum.deployedCores,
        heuristicCores: o.heuristic.placedCores,
        cliCores: o.cli.placedCores,
        fallbackEligible: n <= FALLBACK_MAX_INSTANCES,
        tenfoldBudget: { cores: big.placedCores, spread: big.spread, maxUtil: big.maxUtil },
        firstFit: { cores: ff.placedCores, spread: ff.spread },
        exact03s: { cores: quick.placedCores, status: quick.status, seconds: quick.seconds },
        exact5s: { cores: long.placedCores, status: long.status, seconds: long.seconds },
        heuristic: o.heuristic,
        optimum: o.optimum,
        gapPoints: o.gapPoints,
        permutations: o.permutationsDiffer.map(x => x.objective)
    };
    out.push(d);
    console.log(
        `${o.name} [${o.fails.join(',')}] n=${n} h=${model.hosts.length}: opt ${o.optimum.placedCores}/${o.optimum.deployedCores}, place ${o.heuristic.placedCores} (spread ${o.heuristic.spread}), cli ${o.cli.placedCores}; fallback ${n <= FALLBACK_MAX_INSTANCES ? 'eligible' : 'NOT eligible'}; 10× budget ${big.placedCores} (spread ${big.spread}, busiest ${(100 * big.maxUtil).toFixed(1)}%); first-fit ${ff.placedCores}; exact 0.3 s ${quick.placedCores} (${quick.status}, ${quick.seconds.toFixed(2)} s); exact 5 s ${long.placedCores} (${long.status}, ${long.seconds.toFixed(2)} s); gap ${o.gapPoints?.toFixed(2) ?? '-'}; perms ${o.permutationsDiffer.map(x => `${x.objective.placedCores}c/s${x.objective.spread}/${(100 * x.objective.maxUtil).toFixed(1)}%`).join(' ') || '-'}`
    );
    await services.shared.workspace.DocumentBuilder.update([], [c.document.uri]);
}
fs.rmSync(dir, { recursive: true, force: true });
fs.writeFileSync(
    path.join(root, 'bench', 'results', 'quality-diagnosis.json'),
    JSON.stringify(out, null, 1)
);
process.exit(0);
