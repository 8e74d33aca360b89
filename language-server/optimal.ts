/**
 * Exact placement for a document: the `dcplan/optimal` request of the language server and
 * `dcplan place --optimal` of the CLI (src/protocol.ts, `OptimalRequest`).
 *
 * The heuristic report is shown at once; this computes the proof in the exact solver's worker
 * thread (src/planner/exact.ts), so the server never blocks. Results are cached by plan content
 * — what the placement depends on: the hosts (capacity, pins, racks) and the instances (shape,
 * role, vCPUs, GiB) — so an edit that does not touch the placement (a comment, a demand, a title)
 * answers from the cache and no edit waits for the solver.
 *
 * The report of the exact placement is the heuristic report with the placement's figures
 * recomputed and the placement-dependent diagnostics swapped: findings of the rules that differ
 * between the two placements (e.g. `unplaceable`, `role-concentration`, `host-failure`) are
 * removed or added; all other diagnostics stay as the validator gave them.
 */
import { isUnknownPlan, noDocumentError, untilValidated } from './wait-document.js';
import { AstUtils, GrammarUtils, isOperationCancelled, type LangiumDocument, URI } from 'langium';
import { type Connection, LSPErrorCodes, ResponseError } from 'vscode-languageserver';
import type { LangiumSharedServices } from 'langium/lsp';
import type { DcplanServices } from './dcplan-module.js';
import { locateTarget, toReport, type PlanAnalysis } from './analysis.js';
import { toReportDiagnostics } from './report-service.js';
import { parsedVersion } from './overrides/publishing.js';
import { computeFigures } from '../src/planner/figures.js';
import { checkPlan } from '../src/planner/rules.js';
import { IssueCodes, type Finding } from '../src/planner/findings.js';
import { orderDelta } from '../src/planner/day2.js';
import { withDrainedEmptied } from '../src/planner/incremental.js';
import type { Lock } from '../src/planner/lock.js';
import {
    ExactSolveAborted,
    placementKey,
    solveExact,
    type ExactResult
} from '../src/planner/exact.js';
import type { PlanModel } from '../src/planner/model.js';
import type { PlacementResult } from '../src/planner/placement.js';
import type { PlanReport, ReportDiagnostic } from '../src/planner/report.js';
import {
    OptimalRequest,
    type ExactSummary,
    type OptimalParams,
    type OptimalResult
} from '../src/protocol.js';
import { checkedParams, optional, timeLimitField, uriField } from './request-params.js';

/** Default time limit of the exact solver, seconds (the issue's default). */
export const DEFAULT_TIME_LIMIT = 10;

/** The `exact` summary of a result, as the report JSON and `dcplan/optimal` carry it. */
export function exactSummary(r: ExactResult, timeLimitSeconds: number): ExactSummary {
    return {
        status: r.status,
        gap: Number.isNaN(r.gap) ? null : r.gap,
        gapLevel: r.gapLevel,
        placedCores: r.placedCores,
        placedCoresBound: r.placedCoresBound,
        deployedCores: r.deployedCores,
        maxUtilisation: r.maxUtilisation,
        ...(r.rebalanceDropped ? { rebalanceDropped: r.rebalanceDropped } : {}),
        seconds: r.seconds,
        timeLimitSeconds,
        ...(r.nothingToPlace ? { nothingToPlace: true } : {}),
        levels: r.levels.map(l => ({ ...l, bound: Number.isNaN(l.bound) ? null : l.bound }))
    };
}

/** The placement an exact solve starts from, and whether it is the heuristic's while the fallback runs. */
export interface PlacementStart {
    readonly placement: PlacementResult;
    readonly provisional: boolean;
}

/**
 * The plan report of `analysis` with the exact placement instead of the heuristic's (see the
 * module comment). `file` names the file in the report; `diagnostics` are the document's own
 * (1-based report form) for the heuristic placement. Never throws.
 */
export function reportWithPlacement(
    analysis: PlanAnalysis,
    file: string,
    diagnostics: readonly ReportDiagnostic[],
    exact: ExactResult
): PlanReport {
    const model = analysis.built.model;
    // as the analysis judges it: a drained host counts for nothing
    const judged = withDrainedEmptied(model);
    const figures = computeFigures(judged, exact.placement);
    // day 2: the exact placement's own moves and their order, in place of the heuristic's
    const d = analysis.day2;
    const day2 =
        d?.lock && exact.delta
            ? orderDelta(model, d.lock, exact.delta, exact.placement.hostOf, d.lockFile)
            : undefined;
    const lockCodes: readonly string[] = [
        IssueCodes.LockInvalid,
        IssueCodes.PlacementDrift,
        IssueCodes.MigrationBlocked
    ];
    const findings = [
        ...checkPlan({ model: judged, placement: exact.placement, figures }),
        ...(day2
            ? [
                  ...analysis.findings.filter(f => f.code === IssueCodes.LockInvalid),
                  ...day2.findings
              ]
            : analysis.findings.filter(f => lockCodes.includes(f.code)))
    ];
    const key = (f: Finding) => `${f.code}\u0000${f.message}`;
    const before = new Map<string, number>();
    for (const f of analysis.findings) before.set(key(f), (before.get(key(f)) ?? 0) + 1);
    const after = new Map<string, number>();
    for (const f of findings) after.set(key(f), (after.get(key(f)) ?? 0) + 1);
    // drop diagnostics of findings that the exact placement no longer has
    const drop = new Map<string, number>();
    for (const [k, n] of before) {
        const m = after.get(k) ?? 0;
        if (n > m) drop.set(k, n - m);
    }
    const kept = diagnostics.filter(d => {
        const k = `${d.code}\u0000${d.message}`;
        const n = drop.get(k) ?? 0;
        if (n > 0) {
            drop.set(k, n - 1);
            return false;
        }
        return true;
    });
    // add the findings that are new with the exact placement
    const added: ReportDiagnostic[] = [];
    const seen = new Map(before);
    for (const f of findings) {
        const n = seen.get(key(f)) ?? 0;
        if (n > 0) {
            seen.set(key(f), n - 1);
            continue;
        }
        const d = toDiagnostic(analysis, f);
        if (d) added.push(d);
    }
    const all = [...kept, ...added].sort((a, b) => a.line - b.line || a.column - b.column);
    const placed: PlanAnalysis = {
        ...analysis,
        figures,
        ...(d && day2 ? { day2: { ...d, delta: exact.delta, order: day2.order } } : {})
    };
    return { ...toReport(placed, file, all), file, diagnostics: all };
}

function toDiagnostic(analysis: PlanAnalysis, f: Finding): ReportDiagnostic | undefined {
    const loc = locateTarget(analysis, f.target);
    if (!loc) return undefined;
    const range =
        loc.range ??
        (loc.property
            ? GrammarUtils.findNodeForProperty(loc.node.$cstNode, loc.property)
            : loc.node.$cstNode
        )?.range ??
        loc.node.$cstNode?.range;
    if (!range) return undefined;
    const uri = AstUtils.getDocument(loc.node).uri.toString();
    return {
        code: f.code,
        severity: f.severity,
        message: f.message,
        line: range.start.line + 1,
        column: range.start.character + 1,
        endLine: range.end.line + 1,
        endColumn: range.end.character + 1,
        ...(uri !== analysis.uri ? { file: uri } : {})
    };
}

/** A solve in the cache: its result, and who still waits for it while it runs. */
interface CachedSolve {
    readonly result: Promise<ExactResult>;
    waiting: number;
    settled: boolean;
    readonly abort: AbortController;
}

/**
 * Caches exact results by `placementKey` (most recent 32), sharing solves in flight. A solve
 * that every request waiting for it has given up on (their `signal`s aborted) is stopped and
 * left out of the cache.
 */
export class OptimalCache {
    private readonly entries = new Map<string, CachedSolve>();
    constructor(private readonly max = 32) {}

    /**
     * The exact result for `model` (solved in the worker on a miss), planned from `lock` when
     * given (day 2: the fewest moves). Rejects like `solveExact`, and with `ExactSolveAborted` as
     * soon as `signal` aborts.
     */
    get(
        model: PlanModel,
        timeLimitSeconds: number,
        signal?: AbortSignal,
        lock?: Lock,
        start?: PlacementStart
    ): Promise<ExactResult> {
        if (signal?.aborted) return Promise.reject(new ExactSolveAborted());
        // a solve from the heuristic's start (the fallback still running) is not one from the
        // fallback's placement: the latter may show more placed
        const k = placementKey(model, timeLimitSeconds, lock) + (start?.provisional ? '|h' : '');
        let entry = this.entries.get(k);
        if (entry) {
            this.entries.delete(k);
        } else {
            const abort = new AbortController();
            const result = solveExact(
                model,
                {
                    timeLimitSeconds,
                    ...(lock ? { lock } : {}),
                    ...(start ? { start: start.placement } : {})
                },
                abort.signal
            );
            const created: CachedSolve = { result, waiting: 0, settled: false, abort };
            result.then(
                () => {
                    created.settled = true;
                },
                () => {
                    created.settled = true;
                    if (this.entries.get(k) === created) this.entries.delete(k);
                }
            );
            entry = created;
        }
        this.entries.set(k, entry);
        while (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value!);
        if (!signal || entry.settled) return entry.result;
        const solve = entry;
        solve.waiting++;
        return new Promise<ExactResult>((resolve, reject) => {
            const onAbort = () => {
                solve.waiting--;
                reject(new ExactSolveAborted());
                if (solve.waiting === 0 && !solve.settled) {
                    if (this.entries.get(k) === solve) this.entries.delete(k);
                    solve.abort.abort();
                }
            };
            signal.addEventListener('abort', onAbort, { once: true });
            solve.result.then(
                r => {
                    signal.removeEventListener('abort', onAbort);
                    solve.waiting--;
                    resolve(r);
                },
                e => {
                    signal.removeEventListener('abort', onAbort);
                    solve.waiting--;
                    reject(e);
                }
            );
        });
    }
}

/**
 * Registers `dcplan/optimal` on the connection: waits until the document is validated, then
 * answers with the exact placement's report and the solver's summary (from the cache when the
 * plan's placement inputs were solved before). A file that is not a plan answers `report: null`;
 * a plan neither open nor on disk is refused with RequestFailed (`noDocumentError`). A request the client cancels (`$/cancelRequest`) is answered at once with the
 * LSP `RequestCancelled` error, and its solve is stopped unless another request waits for it.
 */
export function registerOptimal(
    connection: Connection,
    shared: LangiumSharedServices,
    Dcplan: DcplanServices
): void {
    const cache = new OptimalCache();
    connection.onRequest(OptimalRequest, async (received, token): Promise<OptimalResult> => {
        // refused before anything runs: no solve starts for a time limit `--time-limit` refuses
        const params = checkedParams<OptimalParams>(OptimalRequest.method, received, {
            uri: uriField,
            timeLimitSeconds: optional(timeLimitField)
        });
        const cancelled = () =>
            new ResponseError(LSPErrorCodes.RequestCancelled, 'dcplan/optimal cancelled');
        const abort = new AbortController();
        const listener = token.onCancellationRequested(() => abort.abort());
        try {
            const uri = URI.parse(params.uri);
            await untilValidated(shared, uri, token);
            if (token.isCancellationRequested) throw cancelled();
            const documents = shared.workspace.LangiumDocuments;
            // a plan neither open nor on disk is refused as other requests about it are
            if (isUnknownPlan(shared, uri)) throw noDocumentError(params.uri);
            if (!documents.hasDocument(uri))
                return { uri: params.uri, version: 0, report: null, exact: null };
            const document: LangiumDocument = documents.getDocument(uri)!;
            const version = parsedVersion(document);
            const analysis = Dcplan.analysis.PlanAnalyzer.analyze(document);
            const diagnostics = toReportDiagnostics(document.diagnostics ?? []);
            const limit = params.timeLimitSeconds ?? DEFAULT_TIME_LIMIT;
            // from the placement the editor shows (the fallback's where it ran), so that the
            // exact mode never shows fewer cores placed than the plain check
            const exact = await cache.get(
                analysis.built.model,
                limit,
                abort.signal,
                analysis.day2?.lock,
                {
                    placement: analysis.placement,
                    provisional: analysis.checking === true
                }
            );
            return {
                uri: params.uri,
                version,
                report: reportWithPlacement(analysis, params.uri, diagnostics, exact),
                exact: exactSummary(exact, limit)
            };
        } catch (e) {
            if (
                e instanceof ExactSolveAborted ||
                isOperationCancelled(e) ||
                token.isCancellationRequested
            )
                throw cancelled();
            throw e;
        } finally {
            listener.dispose();
        }
    });
}
