/**
 * The one way the tests print a diagnostic: `severity code L:C-L:C message`, lines and columns
 * 1-based, the end exclusive (as `dcplan check` prints them). It takes both an LSP `Diagnostic`
 * (0-based range, numeric severity) and a `ReportDiagnostic` of the CLI's report (1-based), so
 * a test of the server and a test of the CLI compare the same strings.
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import type { ReportDiagnostic } from '../../src/planner/report.js';

/** LSP `DiagnosticSeverity` 1..4 by name; a missing severity is an error (LSP 3.17, "Diagnostic"). */
const SEVERITY = ['error', 'error', 'warning', 'info', 'hint'] as const;

/** Either kind of diagnostic the tests see. */
export type AnyDiagnostic = Diagnostic | ReportDiagnostic;

/** The 1-based `L:C-L:C` range of a diagnostic. */
export function diagnosticRange(d: AnyDiagnostic): string {
    if ('range' in d) {
        const { start, end } = d.range;
        return `${start.line + 1}:${start.character + 1}-${end.line + 1}:${end.character + 1}`;
    }
    return `${d.line}:${d.column}-${d.endLine}:${d.endColumn}`;
}

/** The severity's name: `error`, `warning`, `info` or `hint`. */
export function diagnosticSeverity(d: AnyDiagnostic): string {
    return typeof d.severity === 'string' ? d.severity : SEVERITY[d.severity ?? 1];
}

/** `severity code L:C-L:C message`, e.g. `warning single-instance 3:1-3:20 the role …`. */
export function diagnosticLine(d: AnyDiagnostic): string {
    return `${diagnosticSeverity(d)} ${String(d.code)} ${diagnosticRange(d)} ${d.message}`;
}

/** Every diagnostic as `diagnosticLine`, in the given order. */
export function diagnosticLines(ds: readonly AnyDiagnostic[] | undefined): string[] {
    return (ds ?? []).map(diagnosticLine);
}
