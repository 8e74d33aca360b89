/**
 * `dcplan place --optimal`: the placement proved optimal by the exact solver (HiGHS, in a worker
 * thread; src/planner/exact.ts), or the gap left when the time limit strikes. Text output adds an
 * `exact:` line ("proved optimal" or "gap X%"); JSON adds an `exact` field (`ExactSummary` of
 * src/protocol.ts) to each report.
 */
import { nodeServices } from '../../language-server/check.js';
import { checkEach } from './files.js';
import { exactSummary, reportWithPlacement } from '../../language-server/optimal.js';
import { solveExact, stopExactWorker } from '../planner/exact.js';
import { enableExactFallback } from '../planner/exact-fallback.js';
import { exportReport } from '../webview/export.js';
import {
    formatLevel,
    formatRebalanceDropped,
    formatUnproved,
    reportJson
} from '../planner/format.js';
import { timeLimitProblem, type ExactSummary } from '../protocol.js';
import { fileHeader, formatTextReport } from './text-report.js';
import type { CliResult } from './main.js';
import { formatMoves, lockErrors, shortPath, withLockOption, type LockOption } from './lock.js';

/** The `exact:` line of the text output, with `rebalanceLine`'s when rebalance moves were given back. */
export function exactLine(e: ExactSummary): string {
    return solveLine(e) + rebalanceLine(e);
}

/**
 * `; 3 rebalance moves given back: the optimum's migration order is blocked` when the exact
 * mode shows a placement with fewer rebalance moves than its optimum (`rebalanceDropped`), ''
 * otherwise.
 */
function rebalanceLine(e: ExactSummary): string {
    const text = formatRebalanceDropped(e.rebalanceDropped);
    return text ? `; ${text}` : '';
}

/** The solve's part of the `exact:` line. */
function solveLine(e: ExactSummary): string {
    const secs = `${e.seconds.toFixed(2)} s`;
    const placed =
        e.placedCores < e.deployedCores
            ? `; ${e.placedCores} of ${e.deployedCores} cores placed, ${e.placedCoresBound < e.deployedCores ? `no placement places more than ${e.placedCoresBound}` : 'all may fit'}`
            : '';
    if (e.nothingToPlace) return 'exact: nothing to place (a physical plan)';
    switch (e.status) {
        case 'optimal':
            return `exact: proved optimal in ${secs}${placed}`;
        case 'time-limit':
            return `exact: the ${e.timeLimitSeconds} s time limit left ${formatLevel(e.gapLevel ?? '')} unproved (${formatUnproved(
                e.levels.find(l => l.level === e.gapLevel),
                e.gap
            )})${placed}`;
        case 'infeasible':
            return `exact: the solver found no placement; the heuristic placement is shown`;
        case 'failed':
            return `exact: the solver failed; the heuristic placement is shown`;
    }
}

/**
 * Checks `files`, solves each plan's placement exactly (each at most `timeLimitSeconds`) and
 * formats the reports of the exact placements. Exit status as `check`: 1 when a plan has errors
 * with the exact placement, 2 when a file cannot be read (the others are still reported).
 * `several`: the output of several files (a JSON array, a header per file), as for a folder.
 */
export async function runPlaceOptimal(
    files: string[],
    format: 'text' | 'json' | 'svg' | 'html',
    timeLimitSeconds: number,
    lock?: LockOption,
    several = files.length > 1
): Promise<CliResult> {
    const problem = timeLimitProblem(timeLimitSeconds);
    if (problem) return { stdout: '', stderr: `dcplan: --time-limit ${problem}\n`, status: 2 };
    if ((format === 'svg' || format === 'html') && files.length !== 1)
        return { stdout: '', stderr: `dcplan: --format ${format} takes one file\n`, status: 2 };
    await enableExactFallback();
    // An unreadable file is reported (status 2) without hiding the reports of the others.
    // Day 2: planned from the lock as `place` is (`--lock FILE`, `--no-lock`), with the fewest moves.
    const services = nodeServices();
    const out: { report: ReturnType<typeof reportWithPlacement>; exact: ExactSummary }[] = [];
    const run = await withLockOption(lock, async () => {
        const r = await checkEach(files);
        if (r.checked.length === 0) return { ...r, unreadable: r.unreadable };
        try {
            for (const c of r.checked) {
                const analysis = services.Dcplan.analysis.PlanAnalyzer.analyze(c.document);
                // from the placement `dcplan place` prints (with the exact fallback), so that a
                // cut solve never shows fewer cores placed than plain `place` (a newcomer's 1438-
                // core plan: 1437 placed by `place`, 1382 by `place --optimal --time-limit 1`)
                const exact = await solveExact(analysis.built.model, {
                    timeLimitSeconds,
                    start: analysis.placement,
                    ...(analysis.day2?.lock ? { lock: analysis.day2.lock } : {})
                });
                const report = reportWithPlacement(analysis, c.file, c.report.diagnostics, exact);
                out.push({
                    report:
                        report.lockFile === undefined
                            ? report
                            : { ...report, lockFile: shortPath(report.lockFile) },
                    exact: exactSummary(exact, timeLimitSeconds)
                });
            }
        } finally {
            await stopExactWorker();
        }
        return { ...r, unreadable: r.unreadable + lockErrors(r.checked) };
    });
    if ('failure' in run) return { stdout: '', stderr: run.failure, status: 2 };
    const { checked, unreadable } = run;
    if (unreadable && checked.length === 0) return { stdout: '', stderr: unreadable, status: 2 };
    const errors = out.some(o => o.report.diagnostics.some(d => d.severity === 'error'));
    let stdout: string;
    if (format === 'svg' || format === 'html') {
        stdout = exportReport(out[0].report, format, {
            exact: { state: 'done', summary: out[0].exact }
        }).trimEnd();
    } else if (format === 'json') {
        const docs = out.map(o => ({ ...o.report, exact: o.exact }));
        stdout = reportJson(several ? docs : docs[0]);
    } else {
        stdout = out
            .map(
                o =>
                    `${fileHeader(o.report.file, several)}${formatTextReport(o.report, true)}${o.report.moves ? '\n\n' + formatMoves(o.report) : ''}\n${exactLine(o.exact)}`
            )
            .join('\n\n');
    }
    return { stdout: stdout + '\n', stderr: unreadable, status: unreadable ? 2 : errors ? 1 : 0 };
}
