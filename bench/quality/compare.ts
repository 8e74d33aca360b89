/**
 * Issue 15's quality comparison: every plan of the independent set (plans.ts) is written as a
 * `.dcplan` file and checked through the real language layer (`checkFiles`, as the CLI does, with
 * the exact fallback loaded), and its model is placed by `place` alone (no fallback). Both are
 * measured (measure.ts) against the independent optimum (optimum.ts), read from the committed
 * cache bench/quality/optima.json (keyed by the SHA-256 of the plan text; missing entries are
 * solved and added; `refresh` re-solves all). The permutation test checks each plan in 5 more
 * block orders with `place` alone and compares the objective value with the file order's.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createHash } from 'node:crypto';
import { place, setPlacementFallback } from '../../src/planner/placement.js';
import { loadHighs } from '../../src/planner/exact.js';
import { enableExactFallback } from '../../src/planner/exact-fallback.js';
import { checkFiles, nodeServices } from '../../language-server/check.js';
import type { PlanModel } from '../../src/planner/model.js';
import {
    DISTRIBUTIONS,
    permutation,
    planText,
    qualityPlans,
    type Distribution,
    type QualityPlan
} from './plans.js';
import { solveOptimum, type Level, type Optimum } from './optimum.js';
import {
    objectiveOfPlacement,
    objectiveOfReport,
    sameObjective,
    type Objective
} from './measure.js';

/** The cache file's shape. */
interface OptimaFile {
    readonly note: string;
    readonly timeLimitPerLevel: number;
    readonly plans: Record<string, { name: string; optimum: Optimum }>;
}

/** The result of one plan. */
export interface PlanOutcome {
    readonly name: string;
    readonly distribution: Distribution;
    readonly hash: string;
    readonly instances: number;
    readonly hosts: number;
    readonly optimum: Optimum;
    /** `place(model, { exactFallback: false })`. */
    readonly heuristic: Objective;
    /** What `dcplan check` reports (exact fallback loaded). */
    readonly cli: Objective;
    /** Objective of each permuted order equal to the file order's (place alone). */
    readonly permutationsEqual: boolean[];
    /** The permuted orders' objectives that differ (for FINDINGS.md). */
    readonly permutationsDiffer: { order: number[]; objective: Objective }[];
    /** Targets this plan fails (see `failures`). */
    readonly fails: string[];
    /** Busiest-host gap in points where compared (same earlier levels), else null. */
    readonly gapPoints: number | null;
}

/** Per-distribution figures. */
export interface DistributionFigures {
    readonly plans: number;
    readonly optFull: number;
    readonly heurFull: number;
    readonly cliFull: number;
    readonly optShort: number;
    readonly heurMost: number;
    readonly cliMost: number;
    readonly spreadExists: number;
    readonly heurSpread: number;
    readonly gapCompared: number;
    readonly gapMean: number;
    readonly gapWorst: number;
    /** Full plans where the heuristic's spread/mix/racks is worse than the optimum's (no gap compared). */
    readonly prefixWorse: number;
    readonly permPlans: number;
    readonly permEqual: number;
    readonly notProved: number;
}

export const textHash = (text: string) =>
    createHash('sha256').update(text).digest('hex').slice(0, 16);
const OPTIMA = (root: string) => path.join(root, 'bench', 'quality', 'optima.json');
/** Orders tried per plan in the permutation test (besides the file order). */
export const PERMUTATIONS = 5;

function levelsBefore(a: Objective, o: Optimum): 'same' | 'worse' | 'better' {
    // a level the optimum did not reach (time limit without a solution: null) ends the comparison
    const av = [a.spread, a.singleRole, a.missingRoles, a.racks],
        ov = [o.spread, o.singleRole, o.missingRoles, o.racks];
    for (let k = 0; k < av.length; k++) {
        const ok = ov[k];
        if (ok === null) return 'same';
        if (av[k] > ok) return 'worse';
        if (av[k] < ok) return 'better';
    }
    return 'same';
}

/** The targets a plan fails (issue 15's list). */
function failures(
    o: Optimum,
    h: Objective,
    cli: Objective,
    perm: boolean[],
    gap: number | null
): string[] {
    const f: string[] = [];
    if (o.full && h.placedCores < o.deployedCores) f.push('full-heuristic');
    if (o.full && cli.placedCores < o.deployedCores) f.push('full-cli');
    if (!o.full && h.placedCores < o.placedCores) f.push('most-cores-heuristic');
    if (!o.full && cli.placedCores < o.placedCores) f.push('most-cores-cli');
    if (o.full && o.spread === 0 && (h.placedCores < o.deployedCores || h.spread > 0))
        f.push('spread');
    if (
        o.full &&
        h.placedCores === o.deployedCores &&
        levelsBefore(h, o) === 'worse' &&
        !(o.spread === 0 && h.spread > 0)
    )
        f.push('mix-or-racks');
    if (gap !== null && gap > 3 + 1e-9) f.push('gap>3');
    if (perm.some(x => !x)) f.push('permutation');
    return f;
}

/**
 * Runs the comparison. `perDistribution` plans per distribution (default 50: 300 plans);
 * `refresh` re-solves every optimum; `timeLimit` seconds per MILP level. Writes optima.json back
 * when it solved anything. `log` gets one line per 25 plans.
 */
export async function runQuality(
    root: string,
    opts: {
        perDistribution?: number;
        refresh?: boolean;
        timeLimit?: number;
        log?: (s: string) => void;
        /** Each solved optimum's levels (see `solveOptimum`), for the second-solver check. */
        onLevel?: (plan: string, level: Level, lp: string, value: number, proved: boolean) => void;
    } = {}
): Promise<{
    outcomes: PlanOutcome[];
    figures: Record<Distribution | 'all', DistributionFigures>;
    plans: QualityPlan[];
    solved: number;
}> {
    const log = opts.log ?? (() => undefined);
    const timeLimit = opts.timeLimit ?? 10;
    const plans = qualityPlans(opts.perDistribution ?? 50);
    const cacheFile = OPTIMA(root);
    const cache: OptimaFile =
        !opts.refresh && fs.existsSync(cacheFile)
            ? (JSON.parse(fs.readFileSync(cacheFile, 'utf8')) as OptimaFile)
            : {
                  note: 'bench/quality/optimum.ts results, keyed by the SHA-256 (16 hex) of the plan text; `npm run bench:quality -- --refresh-optima` recomputes',
                  timeLimitPerLevel: timeLimit,
                  plans: {}
              };
    const highs = await loadHighs();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-quality-'));
    const services = nodeServices();
    /** Parses and checks one text through the language layer; returns the model and the report. */
    const check = async (file: string, text: string) => {
        fs.writeFileSync(file, text);
        const [c] = await checkFiles([file], services);
        const model: PlanModel = services.Dcplan.analysis.PlanAnalyzer.analyze(c.document).built
            .model;
        await services.shared.workspace.DocumentBuilder.update([], [c.document.uri]);
        fs.rmSync(file);
        return { model, report: c.report };
    };
    let solved = 0;
    const writeCache = () =>
        fs.writeFileSync(
            cacheFile,
            JSON.stringify({ ...cache, timeLimitPerLevel: timeLimit }, null, 1) + '\n'
        );
    const outcomes: PlanOutcome[] = [];
    const base: {
        model: PlanModel;
        heuristic: Objective;
        cli: Objective;
        optimum: Optimum;
        hash: string;
    }[] = [];
    await enableExactFallback();
    for (const [k, p] of plans.entries()) {
        const text = planText(p);
        const hash = textHash(text);
        const { model, report } = await check(path.join(dir, `${p.name}.dcplan`), text);
        const cli = objectiveOfReport(model, report);
        const heuristic = objectiveOfPlacement(model, place(model, { exactFallback: false }));
        let optimum = cache.plans[hash]?.optimum;
        if (!optimum) {
            optimum = solveOptimum(
                highs,
                model,
                timeLimit,
                opts.onLevel && ((l, lp, v, ok) => opts.onLevel!(p.name, l, lp, v, ok))
            );
            cache.plans[hash] = { name: p.name, optimum };
            solved++;
        }
        base.push({ model, heuristic, cli, optimum, hash });
        if (solved > 0 && (k + 1) % 25 === 0) writeCache();
        if ((k + 1) % 25 === 0)
            log(`  quality: ${k + 1}/${plans.length} plans checked (${solved} optima solved)`);
    }
    if (solved > 0) writeCache();
    // the permutation test: place alone (deterministic, no wall-clock budget)
    setPlacementFallback(undefined);
    for (const [k, p] of plans.entries()) {
        const b = base[k];
        const equal: boolean[] = [];
        const differ: PlanOutcome['permutationsDiffer'] = [];
        for (let j = 0; j < PERMUTATIONS; j++) {
            const order = permutation(p.blocks.length, 77_001 + 131 * k + j);
            const { model } = await check(
                path.join(dir, `${p.name}-perm${j}.dcplan`),
                planText(p, order)
            );
            const o = objectiveOfPlacement(model, place(model, { exactFallback: false }));
            const same = sameObjective(o, b.heuristic);
            equal.push(same);
            if (!same) differ.push({ order, objective: o });
        }
        const o = b.optimum,
            h = b.heuristic;
        const gap =
            o.full &&
            o.maxUtil !== null &&
            h.placedCores === o.deployedCores &&
            levelsBefore(h, o) === 'same'
                ? (h.maxUtil - o.maxUtil!) * 100
                : null;
        outcomes.push({
            name: p.name,
            distribution: p.distribution,
            hash: b.hash,
            instances: b.model.instances.length,
            hosts: b.model.hosts.length,
            optimum: o,
            heuristic: h,
            cli: b.cli,
            permutationsEqual: equal,
            permutationsDiffer: differ,
            fails: failures(o, h, b.cli, equal, gap),
            gapPoints: gap
        });
        if ((k + 1) % 50 === 0) log(`  quality: ${k + 1}/${plans.length} plans permuted`);
    }
    fs.rmSync(dir, { recursive: true, force: true });
    const figures = {} as Record<Distribution | 'all', DistributionFigures>;
    for (const d of [...DISTRIBUTIONS, 'all'] as const)
        figures[d] = summarise(outcomes.filter(x => d === 'all' || x.distribution === d));
    return { outcomes, figures, plans, solved };
}

/** The figures of a group of outcomes. */
export function summarise(xs: readonly PlanOutcome[]): DistributionFigures {
    const full = xs.filter(x => x.optimum.full),
        short = xs.filter(x => !x.optimum.full);
    const gaps = xs.map(x => x.gapPoints).filter((g): g is number => g !== null);
    const spreadExists = full.filter(x => x.optimum.spread === 0);
    return {
        plans: xs.length,
        optFull: full.length,
        heurFull: full.filter(x => x.heuristic.placedCores === x.optimum.deployedCores).length,
        cliFull: full.filter(x => x.cli.placedCores === x.optimum.deployedCores).length,
        optShort: short.length,
        heurMost: short.filter(x => x.heuristic.placedCores >= x.optimum.placedCores).length,
        cliMost: short.filter(x => x.cli.placedCores >= x.optimum.placedCores).length,
        spreadExists: spreadExists.length,
        heurSpread: spreadExists.filter(
            x => x.heuristic.placedCores === x.optimum.deployedCores && x.heuristic.spread === 0
        ).length,
        gapCompared: gaps.length,
        gapMean: gaps.reduce((a, b) => a + b, 0) / Math.max(1, gaps.length),
        gapWorst: Math.max(0, ...gaps),
        prefixWorse: full.filter(
            x =>
                x.heuristic.placedCores === x.optimum.deployedCores &&
                levelsBefore(x.heuristic, x.optimum) === 'worse'
        ).length,
        permPlans: xs.length,
        permEqual: xs.filter(x => x.permutationsEqual.every(Boolean)).length,
        notProved: xs.filter(x => Object.values(x.optimum.proved).some(v => v === false)).length
    };
}
