/**
 * Linking and reference indexing that only look for references in the node types that can hold
 * one (`deploy … x shape`, `host … : model`, the pins of `runs = …`). Langium's defaults ask
 * every node of the tree for its references: on a plan with thousands of hosts most nodes are
 * host blocks' names and attributes, and that search was a good part of linking. The reference
 * index is made from the references the linker listed, with no walk at all. Same references in
 * the same order, so the same links, errors and reference index.
 */
import {
    type AstNode,
    type AstReflection,
    AstUtils,
    Cancellation,
    DefaultIndexManager,
    DefaultLinker,
    DefaultReferenceDescriptionProvider,
    interruptAndCheck,
    isMultiReference,
    isReference,
    type LangiumCoreServices,
    type LangiumDocument,
    type ReferenceDescription,
    type Stream,
    URI,
    type AstNodeDescription,
    stream
} from 'langium';
import { flattenAst } from './ast-walk.js';
import { ImportGraph, resolveImports } from '../imports.js';

/**
 * The tree walks below look at the cancellation token (and let `interruptAndCheck` yield) once
 * every INTERRUPT_EVERY + 1 nodes, not at every node as Langium's own loops do: an await per node
 * was a good part of the walk on large plans, and 512 nodes take well under a millisecond.
 */
export const INTERRUPT_EVERY = 511;

/**
 * `type → the names of its reference properties` (from the generated type metadata; empty when
 * it has none), or `undefined` when the type is unknown to the metadata (then every property is
 * asked, as Langium does).
 */
export function referenceProperties(
    reflection: AstReflection
): (type: string) => readonly string[] | undefined {
    const memo = new Map<string, readonly string[] | undefined>();
    return type => {
        if (memo.has(type)) return memo.get(type);
        let r: readonly string[] | undefined;
        try {
            r = Object.values(reflection.getTypeMetaData(type).properties)
                .filter(p => p.referenceType !== undefined)
                .map(p => p.name);
        } catch {
            r = undefined;
        }
        memo.set(type, r);
        return r;
    };
}

/** Langium's linker, skipping the nodes whose type has no reference property. */
export class DcplanLinker extends DefaultLinker {
    private readonly referencesOf: (type: string) => readonly string[] | undefined;

    constructor(services: LangiumCoreServices) {
        super(services);
        this.referencesOf = referenceProperties(services.shared.AstReflection);
    }

    override async link(
        document: LangiumDocument,
        cancelToken = Cancellation.CancellationToken.None
    ): Promise<void> {
        if (this.profiler?.isActive('linking')) return super.link(document, cancelToken);
        const { nodes } = flattenAst(document.parseResult.value);
        for (let k = 0; k < nodes.length; k++) {
            if ((k & INTERRUPT_EVERY) === 0) await interruptAndCheck(cancelToken);
            const node = nodes[k];
            const properties = this.referencesOf(node.$type);
            if (properties === undefined || properties.length > 1) {
                // unknown type, or several reference properties: Langium's own order (key order)
                AstUtils.streamReferences(node).forEach(ref => this.doLink(ref, document));
                continue;
            }
            if (properties.length === 0) continue;
            // one reference property (every dcplan type that has references): read it directly
            const property = properties[0];
            const value = (node as unknown as Record<string, unknown>)[property];
            if (isReference(value) || isMultiReference(value)) {
                this.doLink({ reference: value, container: node, property }, document);
            } else if (Array.isArray(value)) {
                for (let index = 0; index < value.length; index++) {
                    const element: unknown = value[index];
                    if (isReference(element) || isMultiReference(element))
                        this.doLink(
                            { reference: element, container: node, property, index },
                            document
                        );
                }
            }
        }
    }
}

/** Langium's reference descriptions (the index of find-references and rename), made from the references the linker listed. */
export class DcplanReferenceDescriptionProvider extends DefaultReferenceDescriptionProvider {
    override async createDescriptions(
        document: LangiumDocument,
        cancelToken = Cancellation.CancellationToken.None
    ): Promise<ReferenceDescription[]> {
        const descr: ReferenceDescription[] = [];
        // The linker has listed every reference of the document (in tree order) in
        // `document.references`: no walk over the tree is needed.
        const refs = document.references;
        for (let k = 0; k < refs.length; k += INTERRUPT_EVERY + 1) {
            await interruptAndCheck(cancelToken);
            this.describe(document, k, Math.min(refs.length, k + INTERRUPT_EVERY + 1), descr);
        }
        return descr;
    }

    /** The same, at once (for an index asked synchronously). */
    createDescriptionsNow(document: LangiumDocument): ReferenceDescription[] {
        const descr: ReferenceDescription[] = [];
        this.describe(document, 0, document.references.length, descr);
        return descr;
    }

    /** Descriptions of the references from..to − 1 of the document into `out`. A reference's container is the AST node of its CST node. */
    private describe(
        document: LangiumDocument,
        from: number,
        to: number,
        out: ReferenceDescription[]
    ): void {
        const refs = document.references;
        for (let k = from; k < to; k++) {
            const reference = refs[k];
            const container = reference.$refNode?.astNode;
            if (reference.error || !container) continue;
            for (const d of this.createInfoDescriptions({ reference, container, property: '' }))
                out.push(d);
        }
    }
}

/**
 * Langium's index manager with the reference index made when it is first asked: by find
 * references or rename, or to tell whether a change in another file affects a document (the
 * editor, on every change). The CLI never asks, so a check does not pay for it. Same descriptions
 * as Langium's (`DcplanReferenceDescriptionProvider`); a document reset by the builder drops its
 * pending entry as it drops its index entry.
 */
export class DcplanIndexManager extends DefaultIndexManager {
    /** Documents linked since their reference descriptions were last made, by URI. */
    private readonly pendingReferences = new Map<string, LangiumDocument>();

    override async updateReferences(document: LangiumDocument): Promise<void> {
        const uri = document.uri.toString();
        this.referenceIndex.delete(uri);
        this.pendingReferences.set(uri, document);
    }

    override removeReferences(uri: URI): void {
        this.pendingReferences.delete(uri.toString());
        super.removeReferences(uri);
    }

    /**
     * Makes every pending reference description, looking at the cancellation token between
     * documents (find references and rename call this first, so that a request the client
     * cancels in a large workspace stops here; the index itself is then read at once).
     * Rejects with `OperationCancelled` when cancelled.
     */
    async describePending(cancelToken = Cancellation.CancellationToken.None): Promise<void> {
        let k = 0;
        for (const uri of [...this.pendingReferences.keys()]) {
            if ((k++ & 31) === 0) await interruptAndCheck(cancelToken);
            this.describe(uri);
        }
        await interruptAndCheck(cancelToken);
    }

    override findAllReferences(
        targetNode: AstNode,
        astNodePath: string
    ): Stream<ReferenceDescription> {
        for (const uri of [...this.pendingReferences.keys()]) this.describe(uri);
        return super.findAllReferences(targetNode, astNodePath);
    }

    /**
     * Langium's test (a reference into a changed file), and also: the document imports a changed
     * file, directly or through the files it imports. The plan of a file holds the hosts,
     * deployments and workloads of its imports, and the checks of its imports look into theirs
     * (`import-missing`), with no reference needed: without this an edit of an inventory of hosts
     * left the diagnostics of the plans that import it as they were.
     */
    override isAffected(document: LangiumDocument, changedUris: Set<string>): boolean {
        this.describe(document.uri.toString());
        return (
            super.isAffected(document, changedUris) ||
            this.importsAny(document, changedUris) ||
            this.importedByAny(document, changedUris)
        );
    }

    /**
     * True when a changed file imports `document` (a shapes-only library: whether its shapes are
     * used, `unused-shape`, depends on its importers' deployments). Asked of the changed file's
     * imports before it is parsed again, and of its current text when it is open: an import
     * removed or added by the change is seen either way.
     */
    private importedByAny(document: LangiumDocument, uris: Set<string>): boolean {
        if (uris.size > 64) return false; // a workspace load, not an edit: every file is built anyway
        if (this.importedByChange?.changed !== uris) {
            // once per set of changed URIs: what their files import, and their current texts
            const imported = new Set<string>();
            // the file names its current text imports (an import the change added): `"…/name.dcplan"`
            const names = new Set<string>();
            for (const uri of uris) {
                const changed = this.documents.hasDocument(URI.parse(uri))
                    ? this.documents.getDocument(URI.parse(uri))
                    : undefined;
                if (!changed) continue;
                for (const i of resolveImports(changed, this.documents))
                    imported.add(i.uri.toString());
                for (const m of changed.textDocument
                    .getText()
                    .matchAll(/"(?:[^"\r\n]*\/)?([^"\r\n/]+)"/g))
                    names.add(m[1]);
            }
            this.importedByChange = { changed: uris, imported, names };
        }
        const { imported, names } = this.importedByChange;
        const target = document.uri.toString();
        if (uris.has(target)) return false;
        const base = document.uri.path.slice(document.uri.path.lastIndexOf('/') + 1);
        return imported.has(target) || names.has(base);
    }

    /** The changed URIs last asked about, the files their files import and the file names their texts quote. */
    private importedByChange:
        { changed: Set<string>; imported: Set<string>; names: Set<string> } | undefined;

    /** The changed URIs last asked about and the documents that import one of them, transitively. */
    private affectedByImports: { changed: Set<string>; importers: Set<string> } | undefined;

    /**
     * True when `document` imports one of `uris`, directly or transitively. The builder asks this
     * of every document for one set of changed URIs: the importers of that set are found once,
     * by one walk of the reversed import graph (a walk per document was quadratic on long chains).
     */
    private importsAny(document: LangiumDocument, uris: Set<string>): boolean {
        if (this.affectedByImports?.changed !== uris) {
            const graph = new ImportGraph(this.documents);
            this.affectedByImports = {
                changed: uris,
                importers: graph.importersOf(uris, this.documents.all)
            };
        }
        return this.affectedByImports.importers.has(document.uri.toString());
    }

    /**
     * Langium's `allElements`, reading only the index entries of `uris` when given (the files a
     * document sees: itself and its imports) instead of filtering every file's entry: the scope
     * of each document was a walk over the whole workspace. Order: the files of `uris` in their
     * order (a document, then its imports in import order).
     */
    override allElements(nodeType?: string, uris?: Set<string>): Stream<AstNodeDescription> {
        if (!uris) return super.allElements(nodeType);
        const present = [...uris].filter(uri => this.symbolIndex.has(uri));
        return stream(present).flatMap(uri => this.getFileDescriptions(uri, nodeType));
    }

    /** Makes the pending reference descriptions of the document `uri`, if any. */
    private describe(uri: string): void {
        const document = this.pendingReferences.get(uri);
        if (!document) return;
        this.pendingReferences.delete(uri);
        const provider = this.serviceRegistry.getServices(document.uri).workspace
            .ReferenceDescriptionProvider;
        const descriptions =
            provider instanceof DcplanReferenceDescriptionProvider
                ? provider.createDescriptionsNow(document)
                : [];
        this.referenceIndex.set(uri, descriptions);
    }
}
