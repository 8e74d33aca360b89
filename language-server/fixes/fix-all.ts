/**
 * Fix all (spec, "Quick-fixes"): the preferred fixes applied in rounds — split fixes first, then
 * the rest, never two fixes on the same element in one round — re-checking the text after each
 * round, until none is left (at most 10 rounds); a round, or a fix of it, is applied only when it
 * leaves the plan better (`improves`: it parses, adds no error, places no fewer vCPUs, and places
 * more or has fewer diagnostics). Used by
 * the fix-all code action and by `dcplan fix`. The rounds judge the plan placed from nothing:
 * what a fix does to the lock (day 2: instances it renames or removes) is said in the result, the
 * moves to make, and does not veto it.
 *
 * The rounds run in a sandbox: a private set of dcplan services over an in-memory file system,
 * loaded with the text being fixed and the files it imports (read through a callback: the
 * editor's open buffers, or the disk). So fix-all never disturbs the editor's workspace and needs
 * no LSP connection. The sandbox is given the way to make its services (`sandbox.ts` and the
 * language services make it with `createDcplanServices`), so this module does not import the
 * services module, which imports the code actions that use it.
 */
import { URI, type LangiumDocument } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { DcplanServices } from '../dcplan-module.js';
import { importUri, resolveImports, shapesUsedByImporters } from '../imports.js';
import { isShape, type PlanFile } from '../generated/ast.js';
import type { DeferredFallback, PlanAnalysis } from '../analysis.js';
import type { Day2Plan } from '../../src/planner/day2.js';
import type { Lock } from '../../src/planner/lock.js';
import type { PlanModel } from '../../src/planner/model.js';
import { planWithExactFallback } from '../../src/planner/exact-runtime.js';
import { hasSyntaxErrors } from '../report-service.js';
import type { LockSource } from '../lock-files.js';
import {
    applyChanges,
    diagnosticCode,
    FIXABLE_CODES,
    fixesForDiagnostic,
    fixesForDocument,
    type Fix,
    type FixContext
} from './index.js';

/** Reads the text of a file the fixed text imports; `undefined` when it does not exist. */
export type ReadFile = (uri: URI) => Promise<string | undefined> | string | undefined;

/** Options of a fix-all run. */
export interface FixAllOptions {
    /** Only fixes of diagnostics with these codes (default: every fixable code). */
    readonly codes?: readonly string[];
    /** Rounds at most (default 10, the spec's). */
    readonly maxRounds?: number;
    /** See `FixContext.usedElsewhere`. */
    readonly usedElsewhere?: (shapeName: string) => boolean;
    /** See `FixContext.pinnedElsewhere`. */
    readonly pinnedElsewhere?: (shapeName: string) => boolean;
    /**
     * The lock each text is placed from (day 2), as `PlanAnalyzer.lockFor`: by default the
     * lock beside the file; `dcplan fix --lock FILE` gives another, `--no-lock` none.
     */
    readonly lockFor?: (uri: string) => LockSource | undefined;
    /**
     * Also say, of each error and warning left in the fixed text, why no fix of it was applied
     * (`FixAllResult.left`): `dcplan fix --write` prints it. Off by default (the editor's fix-all
     * does not show it, and it costs one more check and the fixes of the text).
     */
    readonly explainLeft?: boolean;
}

/**
 * What the fixed text changes in the placement of the lock it is placed from (day 2): set only
 * when the fixes add moves or removals to those the starting text already had.
 */
export interface FixLockChanges {
    /** The path of the lock file. */
    readonly lockFile: string;
    /** Instances moved to another host (or stopped) from the lock, after the fixes. */
    readonly moves: number;
    /** Instances of the lock the fixed plan no longer deploys (renamed or removed by a fix). */
    readonly removed: number;
    /** New instances the migration creates (`create` steps, blocked ones too). */
    readonly created: number;
    /** Locked instances rebuilt in place at their shape's new size (`rebuild` steps). */
    readonly rebuilt: number;
}

/** One fix applied by fix-all. */
export interface AppliedFix {
    readonly round: number;
    readonly code: string;
    readonly title: string;
}

/** A preferred fix fix-all offered on the text it stopped at and did not apply. */
export interface RejectedFix {
    readonly code: string;
    readonly title: string;
    /** Why, in words (`whyNot`): "it would add 1 pin-exceeds-deploy error". */
    readonly reason: string;
}

/**
 * Why fix-all left a diagnostic: its code has no quick-fix here (`no-fix`: none offered for it);
 * its fixes are offered but none is preferred (`not-preferred`, their titles); its preferred fix
 * was tried and refused (`rejected`, the `whyNot` reason); its preferred fix was not tried
 * (`not-applied`: the rounds ran out); or its code was not among those asked (`not-asked`).
 */
export type LeftReason =
    | { readonly kind: 'no-fix' }
    | { readonly kind: 'not-preferred'; readonly titles: readonly string[] }
    | { readonly kind: 'rejected'; readonly reason: string }
    | { readonly kind: 'not-applied'; readonly title: string }
    | { readonly kind: 'not-asked' };

/** An error or a warning of the fixed text, and why fix-all did not fix it. */
export interface LeftDiagnostic {
    readonly code: string;
    readonly severity: 'error' | 'warning';
    /** The line its range starts on, 1-based. */
    readonly line: number;
    readonly why: LeftReason;
}

/** The outcome of fix-all on one text. */
export interface FixAllResult {
    /** The fixed text (the input when nothing applied). */
    readonly text: string;
    readonly changed: boolean;
    readonly applied: readonly AppliedFix[];
    /** Rounds that applied something. */
    readonly rounds: number;
    /** The diagnostics of the fixed text (placed from its lock, when it has one). */
    readonly diagnostics: readonly Diagnostic[];
    /** Moves and removals from the lock that the fixes imply (absent when they imply none). */
    readonly lock?: FixLockChanges;
    /** The preferred fixes still offered where the run stopped, each with why it was not applied. */
    readonly rejected: readonly RejectedFix[];
    /**
     * With `FixAllOptions.explainLeft`, the errors and warnings of the fixed text in text order,
     * each with why it was left (absent otherwise, and for a text with syntax errors).
     */
    readonly left?: readonly LeftDiagnostic[];
}

/** A checked text in the sandbox. */
export interface SandboxCheck {
    readonly document: LangiumDocument<PlanFile>;
    readonly analysis: PlanAnalysis;
    readonly diagnostics: readonly Diagnostic[];
}

/**
 * The fixes fix-all applies in one round, from every fix offered: the preferred ones (of
 * `codes` when given); split fixes only while there are any; in `FIXABLE_CODES` order, then
 * offer order; a fix is skipped when it touches or claims (`Fix.claims`, a shape name it makes)
 * an element, or overlaps text, that another chosen fix touches or claims.
 */
export function selectRound(fixes: readonly Fix[], codes?: readonly string[]): Fix[] {
    let candidates = fixes.filter(
        f => f.preferred && f.changes.length > 0 && (!codes || codes.includes(f.code))
    );
    if (candidates.some(f => f.split)) candidates = candidates.filter(f => f.split);
    candidates = candidates
        .map((f, i) => ({ f, i, rank: FIXABLE_CODES.indexOf(f.code) }))
        .sort((a, b) => a.rank - b.rank || a.i - b.i)
        .map(x => x.f);
    const elements = new Set<string>();
    const ranges: { start: number; end: number }[] = [];
    const out: Fix[] = [];
    for (const f of candidates) {
        const claimed = [...f.changes.map(c => c.element), ...(f.claims ?? [])];
        if (claimed.some(el => elements.has(el))) continue;
        const overlaps = f.changes.some(c =>
            ranges.some(
                r =>
                    (c.start < r.end && r.start < c.end) ||
                    (c.start === c.end && c.start === r.start && r.start === r.end)
            )
        );
        if (overlaps) continue;
        for (const el of claimed) elements.add(el);
        for (const c of f.changes) ranges.push({ start: c.start, end: c.end });
        out.push(f);
    }
    return out;
}

/** Plans of the exact fallback kept by a sandbox, by placement inputs (the texts of one fix-all). */
const KEPT_PLANS = 32;

/**
 * The sandbox's `DeferredFallback`: where `place` leaves the exact fallback for later (the
 * language server installs `enableDeferredExactFallback`), the analysis asks for it here, and
 * `FixSandbox.checkNow` computes it before the text is judged. Elsewhere (`dcplan fix` loads the
 * fallback itself; tests without one) nothing is ever asked.
 */
class SandboxFallback implements DeferredFallback {
    private readonly plans = new Map<string, Day2Plan | null>();
    /** The plan the last analysis asked for, until it is computed. */
    asked: { key: string; model: PlanModel; lock?: Lock; lockFile?: string } | undefined;

    done(key: string): Day2Plan | null | undefined {
        return this.plans.get(key);
    }
    wait(
        _uri: string,
        key: string,
        model: PlanModel,
        lock: Lock | undefined,
        lockFile?: string
    ): boolean {
        this.asked = { key, model, lock, lockFile };
        return true;
    }
    forget(): void {
        // nothing runs in the background here
    }
    /** Keeps `plan` (`null`: the fallback failed, the heuristic's plan stands) for `key`. */
    keep(key: string, plan: Day2Plan | null): void {
        this.plans.set(key, plan);
        while (this.plans.size > KEPT_PLANS) this.plans.delete(this.plans.keys().next().value!);
    }
}

/**
 * A private dcplan workspace for checking texts that are not (or not yet) files: each `check`
 * replaces its documents. Calls are serialised. A text whose exact fallback `place` left for
 * later (the language server) is judged once the fallback's plan is there, as `dcplan check`
 * places it: fix-all compares placements on the footing the diagnostics end up on.
 */
export class FixSandbox {
    private readonly services: {
        readonly shared: LangiumSharedServices;
        readonly Dcplan: DcplanServices;
    };
    private queue: Promise<unknown> = Promise.resolve();
    private readonly fallback = new SandboxFallback();

    /**
     * `createServices`: a private set of dcplan services over an in-memory file system;
     * `solve`: how a plan is computed with the exact fallback (the solver's worker; tests give
     * their own).
     */
    constructor(
        createServices: () => {
            readonly shared: LangiumSharedServices;
            readonly Dcplan: DcplanServices;
        },
        private readonly solve: typeof planWithExactFallback = planWithExactFallback
    ) {
        this.services = createServices();
        this.services.Dcplan.analysis.PlanAnalyzer.deferred = this.fallback;
    }

    /**
     * Checks `text` as the file `uri` (its imports, transitively, read with `read`) and returns
     * the document, its analysis and its diagnostics. The result is valid until the next call.
     */
    check(uri: string, text: string, read: ReadFile): Promise<SandboxCheck> {
        const run = this.queue.then(() => this.checkNow(uri, text, read));
        this.queue = run.catch(() => undefined);
        return run;
    }

    /** `shapesUsedByImporters` of the texts `others` (parsed here, not linked). */
    shapesUsedByImporters(
        uri: string,
        others: readonly { uri: string; text: string }[]
    ): { used: Set<string>; pinned: Set<string> } {
        const parser = this.services.Dcplan.parser.LangiumParser;
        return shapesUsedByImporters(
            URI.parse(uri),
            others.map(o => ({ uri: URI.parse(o.uri), root: parser.parse<PlanFile>(o.text).value }))
        );
    }

    /** The URIs (as strings) that the imports of `text`, the file `uri`, point at (parsed here, not linked). */
    importUris(uri: string, text: string): string[] {
        const from = URI.parse(uri);
        const root = this.services.Dcplan.parser.LangiumParser.parse<PlanFile>(text).value;
        return (root.imports ?? []).flatMap(i => importUri(i, from)?.toString() ?? []);
    }

    /**
     * Fix-all on `text` as the file `uri` (spec, "Quick-fixes", Fix all). The rounds are judged
     * with the plan placed from nothing (day 2's lock ignored); the result's diagnostics, and
     * the moves and removals the fixes imply (`FixAllResult.lock`), are those placed from the lock.
     */
    async fixAll(
        uri: string,
        text: string,
        read: ReadFile,
        options: FixAllOptions = {}
    ): Promise<FixAllResult> {
        const run = this.queue.then(async () => {
            const analyzer = this.services.Dcplan.analysis.PlanAnalyzer;
            const before = analyzer.lockFor;
            // The rounds judge the plan, the intent, placed from nothing: what a change does to
            // the lock (instances renamed or removed, the placement kept where it was, so a
            // role crowds a host) is its consequence, the moves to make, not a reason to refuse
            // it. The fixed text is then checked against the lock, and the moves said.
            analyzer.lockFor = () => undefined;
            try {
                const result = await this.fixAllNow(uri, text, read, options);
                const lockFor = options.lockFor ?? before;
                const locked = lockFor(uri) !== undefined;
                // without a lock the rounds' own diagnostics are the result's
                if (!locked && !options.explainLeft) return result;
                if (locked) analyzer.lockFor = lockFor;
                const final = await this.checkNow(uri, result.text, read);
                // read before the next check replaces the sandbox's documents
                const left =
                    options.explainLeft && !hasSyntaxErrors(final.document)
                        ? { left: leftDiagnostics(final, result.rejected, options) }
                        : {};
                if (!locked) return { ...result, ...left };
                const lock = result.changed
                    ? lockChanges(await this.checkNow(uri, text, read), final)
                    : undefined;
                return {
                    ...result,
                    diagnostics: final.diagnostics,
                    ...(lock ? { lock } : {}),
                    ...left
                };
            } finally {
                analyzer.lockFor = before;
            }
        });
        this.queue = run.catch(() => undefined);
        return run;
    }

    private async fixAllNow(
        uri: string,
        original: string,
        read: ReadFile,
        options: FixAllOptions
    ): Promise<FixAllResult> {
        const applied: AppliedFix[] = [];
        let text = original;
        let rounds = 0;
        let checked = await this.checkNow(uri, text, read);
        // Text the parser could not read whole is left as it is: fixes computed on a recovered
        // tree could land in the wrong place.
        if (hasSyntaxErrors(checked.document))
            return {
                text,
                changed: false,
                applied,
                rounds,
                diagnostics: checked.diagnostics,
                rejected: []
            };
        let rejected: RejectedFix[] = [];
        // Shapes the run makes (absent from the starting text) may be reused by later rounds.
        const shapeNames = (c: SandboxCheck) =>
            c.document.parseResult.value.elements.filter(isShape).map(x => x.name);
        const originalShapes = new Set(shapeNames(checked));
        for (let round = 1; round <= (options.maxRounds ?? 10); round++) {
            const createdShapes = new Set(shapeNames(checked).filter(n => !originalShapes.has(n)));
            const ctx: FixContext = {
                document: checked.document,
                analysis: checked.analysis,
                usedElsewhere: options.usedElsewhere,
                pinnedElsewhere: options.pinnedElsewhere,
                createdShapes
            };
            const wanted = checked.diagnostics.filter(
                d => !options.codes || options.codes.includes(diagnosticCode(d) ?? '')
            );
            rejected = [];
            const step = await this.acceptedRound(
                uri,
                text,
                checked,
                fixesForDocument(ctx, wanted),
                read,
                rejected,
                options.codes
            );
            if (!step) break;
            for (const f of step.fixes) applied.push({ round, code: f.code, title: f.title });
            text = step.text;
            rounds = round;
            checked = step.checked;
        }
        return {
            text,
            changed: text !== original,
            applied,
            rounds,
            diagnostics: checked.diagnostics,
            // said only where the run stopped for want of an acceptable fix
            rejected: rounds === (options.maxRounds ?? 10) ? [] : rejected
        };
    }

    /**
     * The fixes of one round that leave the plan better (`improves`): the round `selectRound`
     * picks, checked as a whole; when the whole is not better, its fixes one at a time, each kept
     * when it improves on what was kept before. When none of a selection is kept, the selection
     * is made again without them (so a rejected split does not hold back the other fixes).
     * `undefined` when no fix can be applied. Each fix not kept is added to `why` with its reason.
     */
    private async acceptedRound(
        uri: string,
        text: string,
        current: SandboxCheck,
        offered: readonly Fix[],
        read: ReadFile,
        why: RejectedFix[],
        codes?: readonly string[]
    ): Promise<{ text: string; checked: SandboxCheck; fixes: Fix[] } | undefined> {
        const rejected = new Set<Fix>();
        const reject = (f: Fix, reason: string) => {
            rejected.add(f);
            why.push({ code: f.code, title: f.title, reason });
        };
        for (;;) {
            const chosen = selectRound(
                offered.filter(f => !rejected.has(f)),
                codes
            );
            if (chosen.length === 0) return undefined;
            const attempt = async (fixes: readonly Fix[]) => {
                let next: string;
                try {
                    next = applyChanges(
                        text,
                        fixes.flatMap(f => f.changes)
                    );
                } catch {
                    // overlapping changes: not applied
                    return 'its edits overlap those of another fix';
                }
                return next === text
                    ? 'it changes nothing'
                    : { text: next, checked: await this.checkNow(uri, next, read) };
            };
            const whole = await attempt(chosen);
            if (typeof whole !== 'string' && improves(whole.checked, current))
                return { ...whole, fixes: chosen };
            if (chosen.length > 1) {
                let kept: Fix[] = [];
                let state: { text: string; checked: SandboxCheck } | undefined;
                for (const f of chosen) {
                    const next = await attempt([...kept, f]);
                    const verdict =
                        typeof next === 'string'
                            ? next
                            : whyNot(next.checked, state?.checked ?? current);
                    if (verdict === undefined && typeof next !== 'string') {
                        kept = [...kept, f];
                        state = next;
                    } else {
                        reject(f, verdict ?? 'it changes nothing');
                    }
                }
                // The next round reads the sandbox's documents: those of the kept text.
                if (state)
                    return {
                        text: state.text,
                        checked:
                            kept.at(-1) === chosen.at(-1)
                                ? state.checked
                                : await this.checkNow(uri, state.text, read),
                        fixes: kept
                    };
            } else {
                reject(
                    chosen[0],
                    typeof whole === 'string'
                        ? whole
                        : (whyNot(whole.checked, current) ?? 'it changes nothing')
                );
            }
        }
    }

    private async checkNow(uri: string, text: string, read: ReadFile): Promise<SandboxCheck> {
        const { shared, Dcplan } = this.services;
        const documents = shared.workspace.LangiumDocuments;
        const builder = shared.workspace.DocumentBuilder;
        const old = documents.all.map(d => d.uri).toArray();
        // Deleting through the builder clears the analysis cache and the index.
        if (old.length > 0) await builder.update([], old);
        const main = documents.createDocument(URI.parse(uri), text) as LangiumDocument<PlanFile>;
        const queue: LangiumDocument[] = [main];
        const loaded: LangiumDocument[] = [main];
        while (queue.length > 0 && loaded.length < 200) {
            const doc = queue.pop()!;
            for (const i of resolveImports(doc, documents)) {
                if (documents.hasDocument(i.uri)) continue;
                const t = await read(i.uri);
                if (t === undefined) continue;
                const imported = documents.createDocument(i.uri, t);
                loaded.push(imported);
                queue.push(imported);
            }
        }
        await builder.build(loaded, { validation: true });
        const analysis = Dcplan.analysis.PlanAnalyzer.analyze(main);
        const asked = this.fallback.asked;
        this.fallback.asked = undefined;
        if (analysis.checking && asked) {
            // the heuristic's placement is not what the diagnostics end up on: wait for the
            // fallback's plan (a failure keeps the heuristic's), then check the text again with it
            let plan: Day2Plan | null;
            try {
                plan = await this.solve(asked.model, asked.lock, undefined, asked.lockFile);
            } catch {
                plan = null;
            }
            this.fallback.keep(asked.key, plan);
            return this.checkNow(uri, text, read);
        }
        return { document: main, analysis, diagnostics: main.diagnostics ?? [] };
    }
}

/**
 * The errors and warnings of the checked fixed text `check`, each with why fix-all left it
 * (`LeftReason`): the fixes each offers on that text, matched by code and title with the fixes
 * the run refused where it stopped (`rejected`). Those of a code outside `options.codes` are
 * `not-asked`.
 */
function leftDiagnostics(
    check: SandboxCheck,
    rejected: readonly RejectedFix[],
    options: FixAllOptions
): LeftDiagnostic[] {
    const ctx: FixContext = {
        document: check.document,
        analysis: check.analysis,
        usedElsewhere: options.usedElsewhere,
        pinnedElsewhere: options.pinnedElsewhere
    };
    const out: LeftDiagnostic[] = [];
    for (const d of check.diagnostics) {
        const severity =
            (d.severity ?? 1) === 1 ? 'error' : d.severity === 2 ? 'warning' : undefined;
        if (!severity) continue;
        const code = diagnosticCode(d) ?? '';
        const fixes = fixesForDiagnostic(ctx, d).filter(f => f.changes.length > 0);
        const preferred = fixes.filter(f => f.preferred);
        const refused = preferred
            .map(f => rejected.find(r => r.code === f.code && r.title === f.title))
            .find(r => r !== undefined);
        const why: LeftReason =
            options.codes && !options.codes.includes(code)
                ? { kind: 'not-asked' }
                : fixes.length === 0
                  ? { kind: 'no-fix' }
                  : preferred.length === 0
                    ? { kind: 'not-preferred', titles: fixes.map(f => f.title) }
                    : refused
                      ? { kind: 'rejected', reason: refused.reason }
                      : { kind: 'not-applied', title: preferred[0].title };
        out.push({ code, severity, line: d.range.start.line + 1, why });
    }
    return out.sort((a, b) => a.line - b.line);
}

/**
 * The moves, removals, creations and rebuilds from the lock of `after` when one of them is more
 * than in `before` (the fixes imply them), else `undefined`; `undefined` without a readable lock.
 */
function lockChanges(before: SandboxCheck, after: SandboxCheck): FixLockChanges | undefined {
    const day2 = after.analysis.day2;
    if (!day2?.delta) return undefined;
    const count = (c: SandboxCheck) => {
        const d = c.analysis.day2;
        const steps = d?.order ? [...d.order.steps, ...d.order.blocked] : [];
        return {
            moves: d?.delta?.moves.length ?? 0,
            removed: d?.delta?.removed.length ?? 0,
            created: steps.filter(s => s.kind === 'create').length,
            rebuilt: steps.filter(s => s.kind === 'rebuild').length
        };
    };
    const was = count(before),
        now = count(after);
    if (
        now.moves <= was.moves &&
        now.removed <= was.removed &&
        now.created <= was.created &&
        now.rebuilt <= was.rebuilt
    )
        return undefined;
    return { lockFile: day2.lockFile, ...now };
}

/** Counts of diagnostics by severity: errors, warnings, infos, hints. */
function severities(diagnostics: readonly Diagnostic[]): number[] {
    const n = [0, 0, 0, 0];
    for (const d of diagnostics) n[Math.min(Math.max((d.severity ?? 1) - 1, 0), 3)]++;
    return n;
}

/** "1 error, 2 warnings, 0 infos, 0 hints". */
function countsText(n: readonly number[]): string {
    const words = ['error', 'warning', 'info', 'hint'];
    return n.map((k, i) => `${k} ${words[i]}${k === 1 ? '' : 's'}`).join(', ');
}

/** The vCPUs the plan of a checked text places (the planner's figure; pins included). */
function placedCores(c: SandboxCheck): number {
    return c.analysis.figures.totals.placedCores;
}

/**
 * Why the checked text `after` is not better than `before` (`undefined` when it is), the rule
 * that makes fix-all safe and convergent, judged in this order: it parses; no error code has more
 * errors than before (a fix never adds an error); it places no fewer vCPUs (the planner's placed
 * cores: a fix never gives up placement, so a reserve or a split that leaves less placed is not
 * applied); then it is better when it places more vCPUs, else when its diagnostics, counted as
 * (errors, warnings, infos, hints) and compared in that order, are strictly fewer. Fix-all judges
 * the plan placed from nothing (see `fixAll`). Each applied round improves that measure, so a run
 * cannot cycle, and where it stops no fix is left that would be applied: a second run changes
 * nothing. The reason reads after "the fix was not applied: " ("it would add 1 unplaceable error").
 */
export function whyNot(after: SandboxCheck, before: SandboxCheck): string | undefined {
    if (hasSyntaxErrors(after.document)) return 'its result would not parse';
    const errorsByCode = (c: SandboxCheck) => {
        const m = new Map<string, number>();
        for (const d of c.diagnostics)
            if ((d.severity ?? 1) === 1)
                m.set(diagnosticCode(d) ?? '', (m.get(diagnosticCode(d) ?? '') ?? 0) + 1);
        return m;
    };
    const was = errorsByCode(before);
    const added: string[] = [];
    for (const [code, n] of errorsByCode(after)) {
        const more = n - (was.get(code) ?? 0);
        if (more > 0) added.push(`${more} ${code} ${more === 1 ? 'error' : 'errors'}`);
    }
    if (added.length > 0) return `it would add ${added.join(' and ')}`;
    const placedNow = placedCores(before),
        placedAfter = placedCores(after);
    const deployed = (c: SandboxCheck) => c.analysis.figures.totals.deployedCores;
    if (placedAfter < placedNow - 1e-9)
        return `it would place fewer vCPUs: ${placedAfter} of ${deployed(after)}, now ${placedNow} of ${deployed(before)}`;
    if (placedAfter > placedNow + 1e-9) return undefined;
    const a = severities(after.diagnostics),
        b = severities(before.diagnostics);
    for (let i = 0; i < 4; i++) if (a[i] !== b[i]) return a[i] < b[i] ? undefined : worse();
    return worse();
    function worse() {
        return `it would leave ${countsText(a)}, now ${countsText(b)}`;
    }
}

/** True when the checked text `after` is better than `before` (`whyNot` gives no reason). */
export function improves(after: SandboxCheck, before: SandboxCheck): boolean {
    return whyNot(after, before) === undefined;
}
