/**
 * The report side of the server: after a document is validated, compute its plan report (or
 * keep the last good one while the text has syntax errors) and notify the client that it changed;
 * answer `dcplan/report` requests with it (notify-then-pull, see `src/protocol.ts`).
 */
import { DocumentState, type LangiumDocument, URI } from 'langium';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { DcplanServices } from './dcplan-module.js';
import { SEVERITY_NAMES, toReport } from './analysis.js';
import type { ReportDiagnostic } from '../src/planner/report.js';
import type { ReportResult } from '../src/protocol.js';
import { parsedVersion } from './overrides/publishing.js';

/**
 * LSP diagnostics (0-based) to the report's 1-based, end-exclusive form, in the order of the text
 * (by start, then end; diagnostics at the same range keep the checker's order), so the text and
 * JSON reports list them the same way whichever command made them.
 */
export function toReportDiagnostics(
    diagnostics: readonly Diagnostic[],
    file?: string
): ReportDiagnostic[] {
    const inTextOrder = [...diagnostics].sort(
        (a, b) =>
            a.range.start.line - b.range.start.line ||
            a.range.start.character - b.range.start.character ||
            a.range.end.line - b.range.end.line ||
            a.range.end.character - b.range.end.character
    );
    return inTextOrder.map(d => ({
        code: String(d.code ?? ''),
        severity: SEVERITY_NAMES[d.severity ?? 1] ?? 'error',
        line: d.range.start.line + 1,
        column: d.range.start.character + 1,
        endLine: d.range.end.line + 1,
        endColumn: d.range.end.character + 1,
        message: d.message,
        ...(file ? { file } : {})
    }));
}

/** True when the document has lexing or parsing errors. */
export function hasSyntaxErrors(document: LangiumDocument): boolean {
    return (
        document.parseResult.lexerErrors.length > 0 || document.parseResult.parserErrors.length > 0
    );
}

/** Keeps the last good report of each open document. */
export class ReportService {
    private readonly results = new Map<string, ReportResult>();

    constructor(private readonly services: DcplanServices) {}

    /** Recomputes the report of a validated document; returns the stored result. */
    update(document: LangiumDocument): ReportResult {
        const uri = document.uri.toString();
        const previous = this.results.get(uri);
        // the version of the text this report is of (the editor's may be newer: its build is pending)
        const version = parsedVersion(document);
        if (hasSyntaxErrors(document) && previous?.report) {
            const stale: ReportResult = {
                uri,
                version,
                report: {
                    ...previous.report,
                    diagnostics: toReportDiagnostics(document.diagnostics ?? [])
                },
                stale: true
            };
            this.results.set(uri, stale);
            return stale;
        }
        const analysis = this.services.analysis.PlanAnalyzer.analyze(document);
        const result: ReportResult = {
            uri,
            version,
            report: toReport(analysis, uri, toReportDiagnostics(document.diagnostics ?? [])),
            stale: hasSyntaxErrors(document),
            ...(analysis.checking ? { checking: true as const } : {})
        };
        this.results.set(uri, result);
        return result;
    }

    /** The stored result, computing it when the document is validated but not yet reported. */
    get(uri: string): ReportResult | undefined {
        const existing = this.results.get(uri);
        if (existing) return existing;
        const documents = this.services.shared.workspace.LangiumDocuments;
        const parsed = URI.parse(uri);
        if (!documents.hasDocument(parsed)) return undefined;
        const document = documents.getDocument(parsed)!;
        return document.state >= DocumentState.Validated ? this.update(document) : undefined;
    }

    forget(uri: string): void {
        this.results.delete(uri);
    }
}
