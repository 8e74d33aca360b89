/**
 * The fuzzer's oracle: what must hold for any text, checked in-process on the same code the CLI
 * and the server bundle. For one text it runs
 * - check (dcplan services over an in-memory file system, as fix-all's sandbox): no exception
 *   (nor one contained as a diagnostic), within the time cap, the same diagnostics from a second
 *   set of services (fix-all's first check) or the same report twice when fix-all changed the
 *   text (determinism), every diagnostic range inside the document, no `undefined` or `NaN` in a
 *   message or a name of the report;
 * - fix-all: no exception; when it changes the text, the result parses, keeps every comment,
 *   the byte order mark and the line-ending kinds of the input, adds no error of a code the input
 *   did not have (the same shortfall may be split over more deployments), and a second run
 *   changes nothing (idempotent);
 * - the formatter: no exception; it changes only whitespace, keeps every comment, is idempotent,
 *   and its output is linear in its input (at most 4 × input + 200 characters).
 * A failure names its kind (the fuzzer's counters), the stage and what was seen.
 */
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { createFixSandbox } from '../language-server/fixes/sandbox.js';
import { toReport } from '../language-server/analysis.js';
import { toReportDiagnostics } from '../language-server/report-service.js';
import { formatDcplan } from '../language-server/lsp/formatter.js';
import { createDcplanServices } from '../language-server/dcplan-module.js';
import { EmptyFileSystem } from 'langium';

/** The kinds of failure the fuzzer counts; every count must be 0. */
export const FAILURE_KINDS = [
    'crash',
    'hang',
    'nondeterminism',
    'invalid-range',
    'undefined',
    'round-trip'
] as const;
export type FailureKind = (typeof FAILURE_KINDS)[number];

/** One thing that did not hold. `stage`: check, fix-all, format or server. */
export interface Failure {
    readonly kind: FailureKind;
    readonly stage: string;
    readonly detail: string;
}

/** Time one stage may take on one text before it counts as a hang (ms), in `npm run fuzz`. */
export const STAGE_CAP_MS = 3000;

/** The lines of `text` as LSP counts them (split at \r\n, \n and \r). */
export function lineLengths(text: string): number[] {
    return text.split(/\r\n|\r|\n/).map(l => l.length);
}

/** Why `range` is not inside a text of these line lengths, or `undefined` when it is. */
export function rangeProblem(
    range: Range | undefined,
    lines: readonly number[]
): string | undefined {
    if (!range) return 'no range';
    const ok = (p: { line: number; character: number }) =>
        Number.isInteger(p.line) &&
        Number.isInteger(p.character) &&
        p.line >= 0 &&
        p.line < lines.length &&
        p.character >= 0 &&
        p.character <= lines[p.line];
    if (!ok(range.start) || !ok(range.end))
        return `outside the document (${lines.length} lines): ${JSON.stringify(range)}`;
    if (
        range.start.line > range.end.line ||
        (range.start.line === range.end.line && range.start.character > range.end.character)
    )
        return `ends before it starts: ${JSON.stringify(range)}`;
    return undefined;
}

/** `undefined` or `NaN` said in `said` but not written in `text` (a name may legitimately be `undefined`). */
export function undefinedSaid(said: string, text: string): string | undefined {
    for (const word of ['undefined', 'NaN']) {
        const re = new RegExp(`\\b${word}\\b`);
        if (re.test(said) && !re.test(text))
            return said.match(new RegExp(`.{0,80}\\b${word}\\b.{0,40}`, 's'))![0];
    }
    return undefined;
}

const COMMENT = new Set(['SL_COMMENT', 'ML_COMMENT']);
const eolKinds = (t: string) => new Set([...t.matchAll(/\r\n|\r|\n/g)].map(m => m[0]));

/** The oracle, with its own services (one per worker). */
export class Oracle {
    private readonly checker = createFixSandbox();
    private readonly fixer = createFixSandbox();
    private readonly services = createDcplanServices({ ...EmptyFileSystem }).Dcplan;
    private readonly uri = 'file:///fuzz/case.dcplan';
    private readonly read = () => undefined;

    /** `capMs`: the time one stage may take before it counts as a hang (CI's slice gives more: shared machines). */
    constructor(private readonly capMs = STAGE_CAP_MS) {}

    /** The comments of `text` as the lexer reads them. */
    comments(text: string): string[] {
        const lexed = this.services.parser.Lexer.tokenize(text);
        return [...lexed.tokens, ...(lexed.hidden ?? [])]
            .filter(t => COMMENT.has(t.tokenType.name))
            .map(t => t.image);
    }

    /** Whether `text` parses without lexer or parser errors. */
    parses(text: string): boolean {
        const r = this.services.parser.LangiumParser.parse(text);
        return r.lexerErrors.length === 0 && r.parserErrors.length === 0;
    }

    /** The report and diagnostics of `text` (in-memory check). */
    async check(
        text: string
    ): Promise<{ report: string; diagnostics: readonly Diagnostic[]; errorCodes: string[] }> {
        const c = await this.checker.check(this.uri, text, this.read);
        const report = toReport(c.analysis, 'case.dcplan', toReportDiagnostics(c.diagnostics));
        return {
            report: JSON.stringify(report),
            diagnostics: c.diagnostics,
            errorCodes: errorCodes(c.diagnostics)
        };
    }

    /** Every failure of `text`; empty when all holds. */
    async run(text: string): Promise<Failure[]> {
        const out: Failure[] = [];
        const lines = lineLengths(text);
        const timed = async <T>(stage: string, f: () => Promise<T> | T): Promise<T | undefined> => {
            const t0 = performance.now();
            try {
                const v = await f();
                const ms = performance.now() - t0;
                if (ms > this.capMs)
                    out.push({
                        kind: 'hang',
                        stage,
                        detail: `${Math.round(ms)} ms (cap ${this.capMs} ms)`
                    });
                return v;
            } catch (e) {
                out.push({
                    kind: 'crash',
                    stage,
                    detail:
                        e instanceof Error
                            ? `${e.name}: ${e.message}\n${e.stack?.split('\n').slice(1, 6).join('\n')}`
                            : String(e)
                });
                return undefined;
            }
        };

        // check
        const first = await timed('check', () => this.check(text));
        if (first) {
            const contained = first.diagnostics.find(
                d =>
                    d.code === 'internal-error' ||
                    /An error occurred during|internal error/i.test(d.message)
            );
            if (contained)
                out.push({
                    kind: 'crash',
                    stage: 'check',
                    detail: `contained: ${contained.message.split('\n')[0]}`
                });
            for (const d of first.diagnostics) {
                const p = rangeProblem(d.range, lines);
                if (p) {
                    out.push({
                        kind: 'invalid-range',
                        stage: 'check',
                        detail: `${String(d.code)}: ${p}`
                    });
                    break;
                }
            }
            const u = undefinedSaid(first.report, text);
            if (u) out.push({ kind: 'undefined', stage: 'check', detail: u });
        }

        // fix-all
        const fixed = await timed('fix-all', () => this.fixer.fixAll(this.uri, text, this.read));
        if (fixed && first && !fixed.changed) {
            // the same text checked in another sandbox (fix-all's) must give the same diagnostics
            const a = JSON.stringify(toReportDiagnostics(first.diagnostics)),
                b = JSON.stringify(toReportDiagnostics(fixed.diagnostics));
            if (a !== b)
                out.push({ kind: 'nondeterminism', stage: 'check', detail: firstDifference(a, b) });
        } else if (fixed && first) {
            const again = await timed('check', () => this.check(text));
            if (again && again.report !== first.report)
                out.push({
                    kind: 'nondeterminism',
                    stage: 'check',
                    detail: firstDifference(first.report, again.report)
                });
        }
        if (fixed) {
            const u = undefinedSaid(JSON.stringify(fixed.applied.map(a => a.title)), text);
            if (u) out.push({ kind: 'undefined', stage: 'fix-all', detail: u });
            if (fixed.changed) {
                const r = fixed.text;
                const problems: string[] = [];
                if (!this.parses(r)) problems.push('the result does not parse');
                if (r.startsWith('\uFEFF') !== text.startsWith('\uFEFF'))
                    problems.push('byte order mark not kept');
                const inEols = eolKinds(text);
                const added = [...eolKinds(r)].filter(k => inEols.size > 0 && !inEols.has(k));
                if (added.length > 0)
                    problems.push(
                        `line endings ${JSON.stringify(added)} added to a text of ${JSON.stringify([...inEols])}`
                    );
                const lost = missing(this.comments(text), r);
                if (lost) problems.push(`comment lost: ${JSON.stringify(lost)}`);
                if (first) {
                    const added = errorCodes(fixed.diagnostics).filter(
                        c => !first.errorCodes.includes(c)
                    );
                    if (added.length > 0) problems.push(`adds errors ${added.join(', ')}`);
                }
                const second = await timed('fix-all', () =>
                    this.fixer.fixAll(this.uri, r, this.read)
                );
                if (second?.changed)
                    problems.push(
                        `not idempotent: a second run applied ${second.applied.map(a => a.code).join(', ')}`
                    );
                for (const d of fixed.diagnostics) {
                    const p = rangeProblem(d.range, lineLengths(r));
                    if (p) {
                        out.push({
                            kind: 'invalid-range',
                            stage: 'fix-all',
                            detail: `${String(d.code)}: ${p}`
                        });
                        break;
                    }
                }
                if (problems.length > 0)
                    out.push({
                        kind: 'round-trip',
                        stage: 'fix-all',
                        detail: `${problems.join('; ')}; applied ${fixed.applied.map(a => a.code).join(', ')}`
                    });
            }
        }

        // formatter
        const lexer = this.services.parser.Lexer;
        const formatted = await timed('format', () => formatDcplan(lexer, text));
        if (formatted) {
            const f = formatted.text;
            const problems: string[] = [];
            if (f.length > 4 * text.length + 200)
                problems.push(`not linear: ${text.length} → ${f.length} characters`);
            else {
                if (f.replace(/\s+/g, '') !== text.replace(/\s+/g, ''))
                    problems.push(
                        `changed more than whitespace: ${firstDifference(text.replace(/\s+/g, ''), f.replace(/\s+/g, ''))}`
                    );
                const lost = missing(this.comments(text), f);
                if (lost) problems.push(`comment lost: ${JSON.stringify(lost)}`);
                const twice = await timed('format', () => formatDcplan(lexer, f).text);
                if (twice !== undefined && twice !== f)
                    problems.push(`not idempotent: ${firstDifference(f, twice)}`);
            }
            for (const e of formatted.edits) {
                const p = rangeProblem(e.range, lines);
                if (p) {
                    out.push({ kind: 'invalid-range', stage: 'format', detail: p });
                    break;
                }
            }
            if (problems.length > 0)
                out.push({ kind: 'round-trip', stage: 'format', detail: problems.join('; ') });
        }
        return out;
    }
}

/** The codes of the errors among `diagnostics`, once each. */
function errorCodes(diagnostics: readonly Diagnostic[]): string[] {
    return [...new Set(diagnostics.filter(d => d.severity === 1).map(d => String(d.code)))];
}

/** The first of `comments` (counted with repeats) that `text` no longer holds. */
function missing(comments: readonly string[], text: string): string | undefined {
    const need = new Map<string, number>();
    for (const c of comments) need.set(c.trimEnd(), (need.get(c.trimEnd()) ?? 0) + 1);
    for (const [c, n] of need) {
        let found = 0;
        for (let at = text.indexOf(c); at >= 0 && found < n; at = text.indexOf(c, at + 1)) found++;
        if (found < n) return c;
    }
    return undefined;
}

/** Where two strings first differ, with a little context. */
export function firstDifference(a: string, b: string): string {
    let i = 0;
    while (i < a.length && i < b.length && a[i] === b[i]) i++;
    return `at ${i}: ${JSON.stringify(a.slice(Math.max(0, i - 30), i + 50))} vs ${JSON.stringify(b.slice(Math.max(0, i - 30), i + 50))}`;
}
