/**
 * The outline of a `.dcplan` file (LSP document symbols): the plan, workloads, shapes,
 * deployments ("deploy 12 x proxy_1c"), models and hosts, in file order, each with a short detail
 * (a shape's role, cores and memory; a host block's model and how many hosts it names).
 */
import {
    type AstNode,
    Cancellation,
    type CstNode,
    DocumentState,
    GrammarUtils,
    interruptAndCheck,
    type LangiumDocument,
    type MaybePromise,
    OperationCancelled
} from 'langium';
import type { DocumentSymbolProvider, LangiumSharedServices } from 'langium/lsp';
import {
    type DocumentSymbol,
    SymbolKind,
    type WorkspaceSymbol,
    type WorkspaceSymbolParams
} from 'vscode-languageserver';
import { INTERRUPT_EVERY } from '../overrides/linking.js';
import {
    isDeploy,
    isHost,
    isHostModel,
    isPlan,
    isShape,
    isWorkload,
    type PlanFile
} from '../generated/ast.js';
import { expandHostName } from '../model-builder.js';
import { toClientUris } from '../client-uris.js';

/** Document symbols of dcplan: one per top-level element, workload demands as children. */
export class DcplanDocumentSymbolProvider implements DocumentSymbolProvider {
    getSymbols(document: LangiumDocument): MaybePromise<DocumentSymbol[]> {
        const root = document.parseResult.value as PlanFile;
        const symbols: DocumentSymbol[] = [];
        for (const element of root.elements ?? []) {
            const symbol = elementSymbol(element);
            if (symbol) symbols.push(symbol);
        }
        return symbols;
    }
}

/** The outline entry of one top-level element, or `undefined` when it has no usable text yet. */
export function elementSymbol(element: AstNode): DocumentSymbol | undefined {
    const cst = element.$cstNode;
    if (!cst) return undefined;
    const named = (
        name: string | undefined,
        kind: SymbolKind,
        detail?: string,
        children?: DocumentSymbol[]
    ): DocumentSymbol | undefined => {
        const nameNode = GrammarUtils.findNodeForProperty(cst, 'name') ?? cst;
        if (!name) return undefined;
        return { name, kind, detail, range: cst.range, selectionRange: nameNode.range, children };
    };
    if (isPlan(element)) return named(element.name, SymbolKind.Namespace, element.title ?? 'plan');
    if (isWorkload(element)) {
        const children: DocumentSymbol[] = [];
        for (const d of element.demands) {
            if (!d.$cstNode || !d.role) continue;
            children.push({
                name: d.role,
                kind: SymbolKind.Property,
                detail: `${d.cores ?? '?'} cores${d.memory ? ', ' + d.memory : ''}`,
                range: d.$cstNode.range,
                selectionRange: (GrammarUtils.findNodeForProperty(d.$cstNode, 'role') ?? d.$cstNode)
                    .range
            });
        }
        return named(element.name, SymbolKind.Event, 'workload', children);
    }
    if (isShape(element)) {
        const parts = [
            element.role,
            element.cores !== undefined
                ? `${element.cores} ${element.cores === '1' ? 'core' : 'cores'}`
                : undefined,
            element.memory
        ];
        return named(element.name, SymbolKind.Struct, parts.filter(Boolean).join(' · '));
    }
    if (isHostModel(element)) {
        const parts = [
            element.cores !== undefined ? `${element.cores} cores` : undefined,
            element.memory
        ];
        return named(
            element.name,
            SymbolKind.Interface,
            parts.filter(Boolean).join(' · ') || 'model'
        );
    }
    if (isDeploy(element)) {
        const shape = element.shape?.$refText;
        if (!shape) return undefined;
        const shapeNode = GrammarUtils.findNodeForProperty(cst, 'shape') ?? cst;
        return {
            name: `deploy ${element.count ?? '?'} x ${shape}`,
            kind: SymbolKind.Variable,
            detail: element.ring ? `ring ${element.ring}` : undefined,
            range: cst.range,
            selectionRange: shapeNode.range
        };
    }
    if (isHost(element)) {
        const nameNodes = GrammarUtils.findNodesForProperty(cst, 'names');
        if (element.names.length === 0 || nameNodes.length === 0) return undefined;
        const count = element.names.reduce((n, hn) => n + (expandHostName(hn)?.length ?? 0), 0);
        const name = nameNodes.map((n: CstNode) => n.text).join(', ');
        const detail = [`${count} ${count === 1 ? 'host' : 'hosts'}`, element.model?.$refText]
            .filter(Boolean)
            .join(' · ');
        // one child per name of a list (`hv01, hv[02..04]`); a block of one name, range or not,
        // has none: the child would repeat the block's own name
        const children: DocumentSymbol[] =
            element.names.length > 1
                ? element.names.flatMap(hn =>
                      hn.$cstNode
                          ? [
                                {
                                    name: hn.$cstNode.text,
                                    kind: SymbolKind.Object,
                                    range: hn.$cstNode.range,
                                    selectionRange: hn.$cstNode.range
                                }
                            ]
                          : []
                  )
                : [];
        return {
            name,
            kind: SymbolKind.Object,
            detail,
            range: cst.range,
            selectionRange: {
                start: nameNodes[0].range.start,
                end: nameNodes[nameNodes.length - 1].range.end
            },
            children: children.length > 0 ? children : undefined
        };
    }
    return undefined;
}

/**
 * Most symbols one `workspace/symbol` answer holds. A range `host hv[1..100000]` is 100,000
 * hosts, and a client asks again at each keystroke of the query: the answer keeps the first
 * matches in index order (rust-analyzer caps its answer the same way, at 128 by default), and a
 * longer query narrows it.
 */
export const WORKSPACE_SYMBOL_LIMIT = 1_000;

/** Longest wait of `workspace/symbol` for the workspace to be indexed, ms. */
export const INDEX_WAIT_MS = 30_000;

/**
 * `workspace/symbol` from the workspace's index of exported names (shapes, models, plans, …)
 * and the hosts of every plan (one symbol per host; a range's hosts at the range, with the range
 * as written for container), once every file of the workspace is indexed: the server builds the
 * open documents before the rest (open-first.ts), and Langium's handler would answer from the
 * part indexed so far (the wait ends after INDEX_WAIT_MS, or when the client cancels). At most
 * WORKSPACE_SYMBOL_LIMIT symbols, the index's names first. The index and the hosts are read in slices of INTERRUPT_EVERY + 1 names between looks at the
 * cancellation token (Langium's provider awaited once per name).
 */
export async function workspaceSymbols(
    shared: LangiumSharedServices,
    params: WorkspaceSymbolParams,
    cancelToken: Cancellation.CancellationToken
): Promise<WorkspaceSymbol[]> {
    const documents = shared.workspace.LangiumDocuments;
    const builder = shared.workspace.DocumentBuilder;
    // At most INDEX_WAIT_MS: a file the build cannot read must not hold the answer back for ever.
    const until = performance.now() + INDEX_WAIT_MS;
    while (
        documents.all.some(d => d.state < DocumentState.IndexedContent) &&
        performance.now() < until
    ) {
        await new Promise<void>((resolve, reject) => {
            const done = () => {
                phase.dispose();
                cancel.dispose();
                clearTimeout(timer);
            };
            const phase = builder.onBuildPhase(DocumentState.IndexedContent, () => {
                done();
                resolve();
            });
            const cancel = cancelToken.onCancellationRequested(() => {
                done();
                reject(OperationCancelled);
            });
            const timer = setTimeout(
                () => {
                    done();
                    resolve();
                },
                Math.max(0, until - performance.now())
            );
        });
    }
    const matcher = shared.lsp.FuzzyMatcher;
    const kinds = shared.lsp.NodeKindProvider;
    const query = params.query.toLowerCase();
    const out: WorkspaceSymbol[] = [];
    let k = 0;
    for (const d of shared.workspace.IndexManager.allElements()) {
        if ((k++ & INTERRUPT_EVERY) === 0) await interruptAndCheck(cancelToken);
        if (!d.nameSegment || !matcher.match(query, d.name)) continue;
        if (out.length >= WORKSPACE_SYMBOL_LIMIT) return out;
        out.push({
            kind: kinds.getSymbolKind(d),
            name: d.name,
            location: { range: d.nameSegment.range, uri: d.documentUri.toString() }
        });
    }
    // Hosts are not in the index (a host block has no single name): each host of each plan, a
    // range's hosts one by one (`hv02` of `hv[01..04]`, found under the range as written).
    for (const document of documents.all) {
        const root = document.parseResult.value as PlanFile;
        const uri = document.uri.toString();
        for (const element of root.elements ?? []) {
            if (!isHost(element)) continue;
            for (const hostName of element.names) {
                const cst = hostName.$cstNode;
                const names = cst ? expandHostName(hostName) : undefined;
                if (!cst || !names) continue;
                const ranged = hostName.from !== undefined;
                for (const name of names) {
                    if ((k++ & INTERRUPT_EVERY) === 0) await interruptAndCheck(cancelToken);
                    if (!matcher.match(query, name)) continue;
                    if (out.length >= WORKSPACE_SYMBOL_LIMIT) return out;
                    out.push({
                        kind: SymbolKind.Object,
                        name,
                        ...(ranged ? { containerName: cst.text } : {}),
                        location: { range: cst.range, uri }
                    });
                }
            }
        }
    }
    return out;
}

/** Makes the server's workspace symbol provider answer with `workspaceSymbols`. */
export function registerWorkspaceSymbols(shared: LangiumSharedServices): void {
    const provider = shared.lsp.WorkspaceSymbolProvider;
    // locations in the client's own URI strings (client-uris.ts)
    if (provider)
        provider.getSymbols = (params, cancelToken = Cancellation.CancellationToken.None) =>
            workspaceSymbols(shared, params, cancelToken).then(toClientUris);
}
