/**
 * How the checks report: a diagnostic with its stable code (spec, "Checks") in `code` and in
 * `data.code` (as the quick-fixes and Langium's own diagnostics carry it), and the finding's facts
 * (`FindingDataByCode`) beside it in `data`.
 */
import type { AstNode, ValidationAcceptor } from 'langium';
import type { DiagnosticRelatedInformation, Range } from 'vscode-languageserver-types';
import type { CodeWithData, FindingDataByCode, IssueCode } from '../../src/planner/findings.js';

/** Where and with what a diagnostic is reported. */
export interface ReportInfo {
    readonly node: AstNode;
    readonly property?: string;
    readonly index?: number;
    readonly range?: Range;
    /** The facts of the finding, typed per code (`FindingDataByCode`). */
    readonly data?: FindingDataByCode[CodeWithData];
    readonly relatedInformation?: DiagnosticRelatedInformation[];
}

/** Reports `code` with `data.code` set, as quick-fixes look it up. */
export function report(
    accept: ValidationAcceptor,
    severity: 'error' | 'warning' | 'info' | 'hint',
    code: IssueCode,
    message: string,
    info: ReportInfo
): void {
    // built field by field: object spread was a visible cost with thousands of findings
    const data: Record<string, unknown> = { code };
    if (info.data)
        for (const k in info.data)
            if (k !== 'code') data[k] = (info.data as Readonly<Record<string, unknown>>)[k];
    accept(severity, message, {
        // a repeated attribute is reported where the value read is: the last one written
        // (Langium's default index is the first)
        node: info.node,
        property: info.property,
        index: info.index ?? (info.property !== undefined ? Number.MAX_SAFE_INTEGER : undefined),
        range: info.range,
        relatedInformation: info.relatedInformation,
        code,
        data
    } as never);
}

/** The attribute as written in the file (`loginProcesses` → `login_processes`). */
export function attributeName(property: string): string {
    return property.replace(/[A-Z]/g, c => '_' + c.toLowerCase());
}
