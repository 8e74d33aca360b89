/**
 * `dcplan/locate` (src/protocol.ts): where a host, an instance or a shape of a document's plan is
 * defined, so that the preview can reveal it when clicked. A host is found by its expanded name
 * (`hv03` inside `hv[01..04]`), an instance `<shape>-<k>` by the `deploy` line that creates its
 * k-th instance (counting across the deployments of the shape in model order: imported files
 * first, then the document), a shape by its name.
 */
import {
    GrammarUtils,
    URI,
    type AstNode,
    type LangiumDocument,
    type LangiumDocuments
} from 'langium';
import type { Connection } from 'vscode-languageserver';
import { isDeploy, isHost, isShape, type PlanFile } from './generated/ast.js';
import { expandHostName } from './model-builder.js';
import { resolveImports } from './imports.js';
import { parseCount } from './values.js';
import {
    LocateRequest,
    PreviewTargetRequest,
    type LocateParams,
    type LocateResult,
    type PreviewTarget,
    type PreviewTargetParams
} from '../src/protocol.js';
import { checkedParams, lineField, oneOf, stringField, uriField } from './request-params.js';

function position(
    document: LangiumDocument,
    node: AstNode,
    property?: string
): LocateResult | null {
    const cst =
        (property ? GrammarUtils.findNodeForProperty(node.$cstNode, property) : undefined) ??
        node.$cstNode;
    if (!cst) return null;
    return {
        uri: document.uri.toString(),
        line: cst.range.start.line + 1,
        column: cst.range.start.character + 1
    };
}

/** The documents whose elements make up the plan of `document`: its imports, then itself. */
function planDocuments(
    document: LangiumDocument,
    documents: LangiumDocuments
): LangiumDocument<PlanFile>[] {
    const imported = resolveImports(document, documents).flatMap(i => (i.target ? [i.target] : []));
    return [...imported, document as LangiumDocument<PlanFile>];
}

/**
 * `dcplan/locate`: where the host, instance or shape `params.name` of the document's plan is
 * defined; null when the plan has none of that name (an instance numbered past its shape's
 * deployments included).
 */
export function locate(documents: LangiumDocuments, params: LocateParams): LocateResult | null {
    const uri = URI.parse(params.uri);
    if (!documents.hasDocument(uri)) return null;
    const docs = planDocuments(documents.getDocument(uri)!, documents);

    if (params.kind === 'host') {
        for (const doc of [...docs].reverse()) {
            for (const element of doc.parseResult.value.elements ?? []) {
                if (!isHost(element)) continue;
                for (const name of element.names) {
                    if (name.name === params.name || expandHostName(name)?.includes(params.name))
                        return position(doc, name, 'name');
                }
            }
        }
        return null;
    }

    if (params.kind === 'shape') {
        for (const doc of [...docs].reverse()) {
            const shape = (doc.parseResult.value.elements ?? []).find(
                e => isShape(e) && e.name === params.name
            );
            if (shape) return position(doc, shape, 'name');
        }
        return null;
    }

    // An instance: `<shape>-<k>`.
    const dash = params.name.lastIndexOf('-');
    const shapeName = dash > 0 ? params.name.slice(0, dash) : params.name;
    const suffix = dash > 0 ? params.name.slice(dash + 1) : '';
    // instances are numbered 1, 2, …: `px-03` or `px-0` names none (Number() read it as px-3)
    if (/^\d+$/.test(suffix) && !/^[1-9]\d*$/.test(suffix)) return null;
    const k = dash > 0 ? Number(suffix) : NaN;
    // a number past the deployments' count (`px-99` of 4) is no instance: not found
    const numbered = Number.isInteger(k);
    let seen = 0;
    let first: LocateResult | null = null;
    for (const doc of docs) {
        for (const element of doc.parseResult.value.elements ?? []) {
            if (!isDeploy(element) || element.shape?.$refText !== shapeName) continue;
            const count = parseCount(element.count ?? '');
            const n = count.ok ? count.value : 0;
            first ??= position(doc, element);
            if (numbered && k > seen && k <= seen + n) return position(doc, element);
            seen += n;
        }
    }
    return numbered ? null : first;
}

/**
 * `dcplan/previewTarget`: the host block, shape or deploy line of the document's own elements
 * that spans a 1-based line, as the preview shows it (scroll sync from the editor). A deploy's
 * instances are numbered as the planner numbers them: across the deployments of the shape in
 * model order (imported files first). Null when no such element spans the line.
 */
export function previewTarget(
    documents: LangiumDocuments,
    params: PreviewTargetParams
): PreviewTarget | null {
    const uri = URI.parse(params.uri);
    if (!documents.hasDocument(uri)) return null;
    const document = documents.getDocument(uri)!;
    const line = params.line - 1;
    const spans = (node: AstNode) =>
        !!node.$cstNode &&
        node.$cstNode.range.start.line <= line &&
        line <= node.$cstNode.range.end.line;
    const first = (node: AstNode) => node.$cstNode!.range.start.line + 1;
    const element = ((document.parseResult.value as PlanFile).elements ?? []).find(spans);
    if (!element) return null;
    if (isHost(element))
        return {
            kind: 'host',
            names: element.names.flatMap(n => expandHostName(n) ?? []),
            line: first(element)
        };
    if (isShape(element))
        return element.name ? { kind: 'shape', names: [element.name], line: first(element) } : null;
    if (!isDeploy(element)) return null;
    const shapeName = element.shape?.$refText;
    if (!shapeName) return null;
    let seen = 0;
    for (const doc of planDocuments(document, documents)) {
        for (const e of doc.parseResult.value.elements ?? []) {
            if (!isDeploy(e) || e.shape?.$refText !== shapeName) continue;
            const count = parseCount(e.count ?? '');
            const n = count.ok ? count.value : 0;
            if (e === element)
                return {
                    kind: 'deploy',
                    names: Array.from(
                        { length: Math.min(n, 10_000) },
                        (_, i) => `${shapeName}-${seen + i + 1}`
                    ),
                    line: first(element)
                };
            seen += n;
        }
    }
    return null;
}

/** Registers the `dcplan/locate` and `dcplan/previewTarget` handlers on the server's connection. */
export function registerLocate(connection: Connection, documents: LangiumDocuments): void {
    connection.onRequest(LocateRequest, params =>
        locate(
            documents,
            checkedParams<LocateParams>(LocateRequest.method, params, {
                uri: uriField,
                kind: oneOf('host', 'instance', 'shape'),
                name: stringField
            })
        )
    );
    connection.onRequest(PreviewTargetRequest, params =>
        previewTarget(
            documents,
            checkedParams<PreviewTargetParams>(PreviewTargetRequest.method, params, {
                uri: uriField,
                line: lineField
            })
        )
    );
}
