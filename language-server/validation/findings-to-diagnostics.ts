/**
 * Findings → diagnostics: the rulebook's findings (`src/planner/rules.ts`, run once per document
 * by the plan analysis) reported at the element each is about, once per element and message;
 * those about an imported element go on the import that brings it in.
 */
import {
    AstUtils,
    GrammarUtils,
    type AstNode,
    type LangiumDocument,
    type URI,
    type ValidationAcceptor
} from 'langium';
import type { DiagnosticRelatedInformation, Range } from 'vscode-languageserver-types';
import { isDeploy, type PlanFile } from '../generated/ast.js';
import { IssueCodes, type Finding } from '../../src/planner/findings.js';
import { locateTarget, type PlanAnalysis } from '../analysis.js';
import { importUri } from '../imports.js';
import { report } from './report.js';

/**
 * Reports every finding of the analysis that belongs to this document; those about imported
 * elements go on the import. `importersUse(uri)` gives the shape names that the files importing
 * the file `uri` deploy or pin: an `unused-shape` of those is not reported, neither for this
 * document's shapes nor, on the import, for an imported library's (another plan deploys them).
 */
export function reportFindings(
    analysis: PlanAnalysis,
    document: LangiumDocument,
    file: PlanFile,
    accept: ValidationAcceptor,
    importersUse: (uri: URI) => Set<string>
): void {
    const uri = document.uri.toString();
    // what was reported per node: one diagnostic per (code, property, range, message), kept as a
    // key set (a node of `hv[1..100000]` gets a finding per host: a scan of the earlier ones per
    // finding took 18 s)
    const seen = new Map<AstNode, Set<string>>();
    const rangeKey = (r?: Range) =>
        r ? `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}` : '';
    // A shape named by a deploy line whose count is invalid is not "unused": the count is the error.
    let named: Set<string | undefined> | undefined;
    // …nor is a shape of a library file that a file importing it deploys or pins (computed once
    // per file, on demand)
    const usedByImporters = new Map<string, Set<string>>();
    for (const f of analysis.findings) {
        const loc = locateTarget(analysis, f.target);
        if (!loc) continue;
        const locDocument = AstUtils.getDocument(loc.node);
        const locUri = locDocument.uri.toString();
        if (f.code === IssueCodes.UnusedShape && f.target.kind === 'shape') {
            named ??= new Set(file.elements.filter(isDeploy).map(d => d.shape?.$refText));
            const name = analysis.built.model.shapes[f.target.index]?.name;
            let used = usedByImporters.get(locUri);
            if (name !== undefined && !used)
                usedByImporters.set(locUri, (used = importersUse(locDocument.uri)));
            if (named.has(name) || (name !== undefined && used!.has(name))) continue;
        }
        const related = relatedOf(analysis, f);
        if (locUri === uri) {
            let done = seen.get(loc.node);
            if (!done) seen.set(loc.node, (done = new Set()));
            const key = `${f.code}\u0000${loc.property ?? ''}\u0000${rangeKey(loc.range)}\u0000${f.message}`;
            if (done.has(key)) continue;
            done.add(key);
            report(accept, f.severity, f.code, f.message, {
                node: loc.node,
                property: loc.property,
                range: loc.range,
                data: f.data,
                relatedInformation: related
            });
        } else {
            const imp = file.imports.find(i => importUri(i, document.uri)?.toString() === locUri);
            if (imp)
                report(accept, f.severity, f.code, `in ${imp.path}: ${f.message}`, {
                    node: imp,
                    property: 'path',
                    data: f.data,
                    relatedInformation: related
                });
        }
    }
}

/** The related places of a finding (its `related` targets) as LSP related information. */
function relatedOf(analysis: PlanAnalysis, f: Finding): DiagnosticRelatedInformation[] | undefined {
    if (!f.related) return undefined;
    const out: DiagnosticRelatedInformation[] = [];
    for (const r of f.related) {
        const loc = locateTarget(analysis, r.target);
        const range =
            loc &&
            (loc.range ??
                (loc.property
                    ? GrammarUtils.findNodeForProperty(
                          loc.node.$cstNode,
                          loc.property,
                          Number.MAX_SAFE_INTEGER
                      )
                    : loc.node.$cstNode
                )?.range);
        if (!loc || !range) continue;
        out.push({
            location: { uri: AstUtils.getDocument(loc.node).uri.toString(), range },
            message: r.message
        });
    }
    return out.length > 0 ? out : undefined;
}
