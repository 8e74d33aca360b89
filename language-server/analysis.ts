/**
 * The plan analysis of one document: its resolved model (with the files it imports), the
 * placement, the figures and the rule findings, computed once per workspace state and shared by
 * the validator, hover, code lenses, code actions, the preview's report request and the CLI.
 */
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import {
    type AstNode,
    GrammarUtils,
    type LangiumDocument,
    type LangiumDocuments,
    URI,
    WorkspaceCache
} from 'langium';
import type { Range } from 'vscode-languageserver-types';
import type { LangiumServices } from 'langium/lsp';
import type { Host, PlanFile } from './generated/ast.js';
import { buildModel, type BuiltModel, type SourceFile } from './model-builder.js';
import { resolveImports } from './imports.js';
import type { PlacementResult } from '../src/planner/placement.js';
import { type Day2Plan, planDay2, planTarget } from '../src/planner/day2.js';
import { deferredExactFallbacks } from '../src/planner/exact-deferred.js';
import { type LockDelta, withDrainedEmptied } from '../src/planner/incremental.js';
import type { MigrationOrder } from '../src/planner/migration.js';
import { otherPlanAdvice, writtenForOtherPlan, type Lock } from '../src/planner/lock.js';
import { lockBeside, readLock, type LockSource } from './lock-files.js';
import { computeFigures } from '../src/planner/figures.js';
import { checkPlan } from '../src/planner/rules.js';
import { IssueCodes, type Finding, type FindingTarget } from '../src/planner/findings.js';
import type { PlanModel } from '../src/planner/model.js';
import type { PlanReport, ReportDiagnostic, Severity } from '../src/planner/report.js';

/** Everything computed for one document. */
export interface PlanAnalysis {
    readonly uri: string;
    readonly files: readonly SourceFile[];
    readonly built: BuiltModel;
    readonly placement: PlacementResult;
    readonly figures: Omit<PlanReport, 'file' | 'diagnostics'>;
    readonly findings: readonly Finding[];
    /** Day 2 (issue 12): the lock the plan was placed from, its moves and their order. Absent without a lock. */
    readonly day2?: Day2Analysis;
    /** The lock's path and text as read for this analysis ('' without a lock). */
    readonly lockKey: string;
    /**
     * True while the exact fallback of this plan runs in the solver's worker (the language
     * server, `DeferredFallback`): the placement, figures and findings are the heuristic's, and
     * `unplaceable` says that more may yet be placed (`CHECKING`). Absent otherwise.
     */
    readonly checking?: true;
}

/**
 * The words `unplaceable` ends with while the exact fallback runs (`PlanAnalysis.checking`):
 * the instances are not placed by the heuristic, and the solver may still place some of them.
 */
export const CHECKING = '; checking with the exact solver whether more can be placed';

/**
 * Where the analysis of a plan whose exact fallback `place` left for later
 * (`enableDeferredExactFallback` of src/planner/exact-deferred.ts) gets it: the language server runs it in
 * the solver's worker (exact-fallback.ts) and validates the document again once it is done.
 */
export interface DeferredFallback {
    /**
     * The plan (`planDay2` with the fallback) for the placement inputs `key`, once computed;
     * `null` when it failed (the heuristic's plan stands); `undefined` while none is there.
     */
    done(key: string): Day2Plan | null | undefined;
    /**
     * Called for each analysis of `uri` whose fallback was left for later: returns true when
     * the plan of `key` (`model`, planned from `lock`) is now being computed for it, false when
     * it is not (the document is not open: it keeps the heuristic's plan).
     */
    wait(
        uri: string,
        key: string,
        model: PlanModel,
        lock: Lock | undefined,
        lockFile?: string
    ): boolean;
    /** Called for each other analysis of `uri`: it waits for no plan (any solve for it may stop). */
    forget(uri: string): void;
}

/** What identifies a lock as read: its path, why it cannot be read and its text; '' for none. */
export function lockKeyOf(source: LockSource | undefined): string {
    return source ? `${source.file}\u0000${source.unreadable ?? ''}\u0000${source.text}` : '';
}

/** The lock of a plan and what planning from it gives. */
export interface Day2Analysis {
    /** The lock file's path. */
    readonly lockFile: string;
    /** Why the lock could not be read (the plan is then placed without it). */
    readonly error?: string;
    /** The lock as read (absent when it could not be): what runs now, for the hover's "in the lock"; the exact mode plans from it too. */
    readonly lock?: Lock;
    readonly delta?: LockDelta;
    readonly order?: MigrationOrder;
}

/** Where a finding lands in the syntax tree: the node and, optionally, the property to mark. */
export interface FindingLocation {
    readonly node: AstNode;
    readonly property?: string;
    /** A range that is not one node or property: `runs = …` from the keyword to the last pin. */
    readonly range?: Range;
}

/** Computes and caches `PlanAnalysis` per document; the cache is cleared on any workspace change. */
export class PlanAnalyzer {
    private readonly documents: LangiumDocuments;
    private readonly cache: WorkspaceCache<string, PlanAnalysis>;

    /**
     * The planner's results of the last models analysed (most recent 32), by a hash of the model:
     * an edit that leaves the model as it was (a comment, a blank line, a name's whitespace) or
     * a burst of edits that comes back to it is not placed again. Placement, figures and findings
     * depend on the model alone (src/planner is pure).
     */
    private readonly byModel = new Map<string, Planned>();
    /**
     * Whether `byModel` is used: on in the language server (edits), off by default (a CLI check
     * analyses each model once, and hashing it would only add to the check's time).
     */
    reuseByModel = false;
    /**
     * The lock a plan is placed from (issue 12): by default `plan.dcplan.lock` beside it; the
     * CLI sets another (`--lock FILE`) or none (`--no-lock`).
     */
    lockFor: (uri: string) => LockSource | undefined = lockBeside;
    /**
     * Where a plan's exact fallback runs when `place` left it for later (the language server's,
     * exact-fallback.ts); unset (the CLI: the fallback runs inside `place`), nothing is left.
     */
    deferred: DeferredFallback | undefined;

    constructor(services: LangiumServices) {
        this.documents = services.shared.workspace.LangiumDocuments;
        this.cache = new WorkspaceCache(services.shared);
    }

    /** The analysis of `document` (its AST must be parsed; linking is needed for model references). */
    analyze(document: LangiumDocument): PlanAnalysis {
        const uri = document.uri.toString();
        const cached = this.cache.get(uri, () => this.compute(document));
        // day 2: a lock written, changed or removed since is a new analysis too
        if (this.isOf(cached, document) && cached.lockKey === lockKeyOf(this.lockFor(uri)))
            return cached;
        // computed from syntax trees that have since been replaced (a request between an update and
        // the new parse): never serve it for the new text
        const fresh = this.compute(document);
        this.cache.set(uri, fresh);
        return fresh;
    }

    /** Whether `analysis` was computed from the current syntax trees of `document` and of the files it imports. */
    private isOf(analysis: PlanAnalysis, document: LangiumDocument): boolean {
        if (analysis.files.at(-1)?.root !== document.parseResult.value) return false;
        for (const file of analysis.files.slice(0, -1)) {
            const current = this.documents.hasDocument(URI.parse(file.uri))
                ? this.documents.getDocument(URI.parse(file.uri))!.parseResult.value
                : undefined;
            if (current !== file.root) return false;
        }
        return true;
    }

    private compute(document: LangiumDocument): PlanAnalysis {
        const uri = document.uri.toString();
        const main: SourceFile = { uri, root: document.parseResult.value as PlanFile };
        const imported: SourceFile[] = [];
        for (const i of resolveImports(document, this.documents)) {
            if (
                i.target &&
                i.target !== document &&
                !imported.some(f => f.uri === i.uri.toString())
            ) {
                imported.push({ uri: i.uri.toString(), root: i.target.parseResult.value });
            }
        }
        const built = buildModel(main, imported);
        const source = built.model.settings.platform === 'physical' ? undefined : this.lockFor(uri);
        const lockKey = lockKeyOf(source);
        const deferred = this.deferred;
        const key =
            this.reuseByModel || deferred
                ? createHash('sha1')
                      .update(JSON.stringify(built.model))
                      .update(lockKey)
                      .digest('hex')
                : undefined;
        const plan = (): Planned => {
            // the lock's `plan` must name this plan's file (its base name, as `dcplan lock` writes it)
            const read = source
                ? readLock(source, URI.parse(uri).path.split('/').pop())
                : undefined;
            // the plan the exact fallback made in the worker, when it is done
            const done = key === undefined ? undefined : deferred?.done(key);
            const before = deferredExactFallbacks();
            const day2 = done ?? planDay2(built.model, read?.lock, {}, read?.file);
            // `place` left its fallback for later (a failed one, `null`, is not tried again)
            const leftForLater = done === undefined && deferredExactFallbacks() !== before;
            const placement = day2.placement;
            // a drained host counts for nothing: capacity, spread and host failure while it is drained
            const judged = withDrainedEmptied(built.model);
            const figures = computeFigures(judged, placement);
            const findings = [
                ...checkPlan({ model: judged, placement, figures }),
                ...day2.findings,
                ...(read?.error ? lockInvalid(built.model, read.file, read.error) : [])
            ];
            const lockInfo: Day2Analysis | undefined = read
                ? {
                      lockFile: read.file,
                      error: read.error,
                      lock: read.lock,
                      delta: day2.delta,
                      order: day2.order
                  }
                : undefined;
            return {
                placement,
                figures,
                findings,
                ...(lockInfo ? { day2: lockInfo } : {}),
                deferred: leftForLater
            };
        };
        let planned: Planned | undefined;
        if (key !== undefined && this.reuseByModel) {
            planned = this.byModel.get(key);
            // the fallback left for later is done: planned again with its plan
            if (planned?.deferred && deferred?.done(key) !== undefined) planned = undefined;
            if (planned) this.byModel.delete(key);
            else planned = plan();
            this.byModel.set(key, planned);
            while (this.byModel.size > 32) this.byModel.delete(this.byModel.keys().next().value!);
        } else {
            planned = plan();
        }
        const { deferred: left, ...results } = planned;
        const files = [...imported, main];
        if (
            !left ||
            key === undefined ||
            !deferred?.wait(uri, key, built.model, results.day2?.lock, results.day2?.lockFile)
        ) {
            deferred?.forget(uri);
            return { uri, files, built, lockKey, ...results };
        }
        const findings = results.findings.map(f =>
            f.code === IssueCodes.Unplaceable ? { ...f, message: f.message + CHECKING } : f
        );
        return { uri, files, built, lockKey, ...results, findings, checking: true };
    }
}

/** The planner's part of an analysis, and whether `place` left its exact fallback for later. */
type Planned = Pick<PlanAnalysis, 'placement' | 'figures' | 'findings' | 'day2'> & {
    readonly deferred: boolean;
};

/**
 * `lock-invalid` (error): the lock beside the plan does not parse, so the plan is placed as if it
 * had none; on the plan's name, else its first host's (the CLI also prints the error, exit 2).
 */
function lockInvalid(model: PlanModel, file: string, error: string): Finding[] {
    // the lock's name, not its absolute path: it sits beside the plan
    const shown = error.startsWith(file) ? basename(file) + error.slice(file.length) : error;
    const target = planTarget(model);
    if (!target) return [];
    // another plan's lock reads well: say whose it is and how to record this plan's own
    const other = writtenForOtherPlan(error);
    return [
        {
            code: IssueCodes.LockInvalid,
            severity: 'error',
            target,
            message: other
                ? `the lock was written for another plan, so this plan is placed as if it had none: ${shown}; ${otherPlanAdvice(other.plan, other.planFile, 'the lock')}`
                : `the lock cannot be read, so the plan is placed as if it had none: ${shown}`
        }
    ];
}

/** The syntax node (and property) a finding's target names. */
export function locateTarget(
    analysis: PlanAnalysis,
    target: FindingTarget
): FindingLocation | undefined {
    const s = analysis.built.sources;
    switch (target.kind) {
        case 'plan':
            return s.plan
                ? { node: s.plan, property: target.property === 'name' ? 'name' : target.property }
                : undefined;
        case 'workload': {
            const w = s.workloads[target.index];
            return w ? { node: w, property: target.property } : undefined;
        }
        case 'demand': {
            const w = s.workloads[target.index];
            const line = w?.demands.filter(d => d.role === target.role).at(-1);
            return line ? { node: line } : undefined;
        }
        case 'shape': {
            const node = s.shapes[target.index];
            return node ? { node, property: target.property } : undefined;
        }
        case 'deployment': {
            const node = s.deployments[target.index];
            return node ? { node } : undefined;
        }
        case 'host': {
            const h = s.hosts[target.index];
            if (!h) return undefined;
            return target.property === 'runs'
                ? { node: h.block, range: runsRange(h.block) }
                : { node: h.name };
        }
        case 'pin': {
            const h = s.hosts[target.host];
            const pin = h?.block.pins[target.pinIndex];
            return pin ? { node: pin } : undefined;
        }
    }
}

/** The range of a host's `runs = …`: from the `runs` keyword to the end of its last pin. */
export function runsRange(host: Host): Range | undefined {
    const keyword = GrammarUtils.findNodeForKeyword(host.$cstNode, 'runs');
    const last = host.pins.at(-1)?.$cstNode;
    if (!keyword) return host.$cstNode?.range;
    return { start: keyword.range.start, end: (last ?? keyword).range.end };
}

/** LSP severities (1 error … 4 hint) in the spec's words. */
export const SEVERITY_NAMES: Record<number, Severity> = {
    1: 'error',
    2: 'warning',
    3: 'info',
    4: 'hint'
};

/**
 * The plan report of an analysis with the given diagnostics (already converted to the report's
 * 1-based form). `file` is how the report names its file (a path for the CLI, a URI in the editor).
 */
export function toReport(
    analysis: PlanAnalysis,
    file: string,
    diagnostics: readonly ReportDiagnostic[]
): PlanReport {
    const d = analysis.day2;
    // day 2: drained hosts say so (their usable figures are 0, which alone reads as a host without room)
    const drained = new Set(analysis.built.model.hosts.filter(h => h.drain).map(h => h.name));
    const figures =
        drained.size === 0
            ? analysis.figures
            : {
                  ...analysis.figures,
                  hosts: analysis.figures.hosts.map(h =>
                      drained.has(h.name) ? { ...h, drained: true } : h
                  )
              };
    // day 2: the lock's moves as steps (only when the plan was placed from a lock)
    if (d?.order) {
        // the blocked moves are needed too: listed (and counted) after the steps, marked
        const steps = d.order.steps;
        const blocked = d.order.blocked.map((b, k) => ({
            step: steps.length + k + 1,
            ...b,
            temporary: false,
            blocked: true as const
        }));
        return {
            file,
            ...figures,
            diagnostics,
            lockFile: d.lockFile,
            moves: [...steps, ...blocked]
        };
    }
    return { file, ...figures, diagnostics };
}
