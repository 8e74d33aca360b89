/**
 * Scoping of dcplan: names resolve inside the file and in the files it imports, nowhere else
 * (spec, "Elements": two plans in one workspace never see each other's shapes).
 */
import {
    type AstNode,
    type AstNodeDescription,
    type AstReflection,
    AstUtils,
    Cancellation,
    DefaultScopeComputation,
    DefaultScopeProvider,
    DocumentState,
    GrammarAST,
    interruptAndCheck,
    type LangiumDocument,
    type LangiumDocuments,
    type LocalSymbols,
    MultiMap,
    type ReferenceInfo,
    type Scope,
    type Stream,
    stream,
    WorkspaceCache
} from 'langium';
import type { LangiumServices } from 'langium/lsp';
import { visibleUris } from '../imports.js';
import { INTERRUPT_EVERY } from './linking.js';
import { flattenAst } from './ast-walk.js';

/**
 * A scope over a fixed list of descriptions, with the lookups of Langium's `StreamScope` (first
 * element of a name wins, `getAllElements` in list order) answered from a name index.
 */
export class IndexedScope implements Scope {
    private readonly byName = new Map<string, AstNodeDescription>();

    constructor(private readonly elements: readonly AstNodeDescription[]) {
        for (const e of elements) if (!this.byName.has(e.name)) this.byName.set(e.name, e);
    }

    getElement(name: string): AstNodeDescription | undefined {
        return this.byName.get(name);
    }

    getElements(name: string): Stream<AstNodeDescription> {
        return this.byName.has(name)
            ? stream(this.elements).filter(e => e.name === name)
            : stream([]);
    }

    getAllElements(): Stream<AstNodeDescription> {
        return stream(this.elements);
    }
}

/** Langium's default scope provider with the global scope narrowed to the visible files. */
export class DcplanScopeProvider extends DefaultScopeProvider {
    private readonly documents: LangiumDocuments;
    /**
     * Global scope per (document, reference type). Cleared on every workspace update and every
     * time documents are indexed (a build without an update, as `checkFiles` runs it): the
     * exported symbols and a document's imports cannot change in between.
     */
    private readonly visibleScopes: WorkspaceCache<string, Scope>;
    /** Whole scopes per (document, reference type), with the local symbols they were made of; cleared with `visibleScopes`. */
    private readonly documentScopes: WorkspaceCache<string, { locals: LocalSymbols; scope: Scope }>;

    constructor(services: LangiumServices) {
        super(services);
        this.documents = services.shared.workspace.LangiumDocuments;
        this.visibleScopes = new WorkspaceCache(services.shared);
        this.documentScopes = new WorkspaceCache(services.shared);
        services.shared.workspace.DocumentBuilder.onBuildPhase(DocumentState.IndexedContent, () => {
            this.visibleScopes.clear();
            this.documentScopes.clear();
            this.last = undefined;
        });
        // the documentScopes cache is cleared on every workspace update: so is the last scope
        services.shared.workspace.DocumentBuilder.onUpdate(() => {
            this.last = undefined;
        });
    }

    /**
     * The scope last returned for a root-level reference, with what it was for: the linker asks
     * for the references of one document in a row, mostly from the same kind of node and
     * property (every host's model), so the lookup below is skipped for the next one.
     */
    private last:
        | {
              document: LangiumDocument;
              locals: LocalSymbols;
              type: string;
              property: string;
              scope: Scope;
          }
        | undefined;

    /**
     * Langium's scope (the local symbols of the reference's containers, then the global scope),
     * cached per document and reference type when only the document's root holds local symbols
     * (always so in dcplan: shapes and models are top-level): a scope with the same elements in
     * the same order, so the same lookups, built once instead of once per reference.
     */
    override getScope(context: ReferenceInfo): Scope {
        const document = AstUtils.getDocument(context.container);
        const locals = document.localSymbols;
        const root = document.parseResult.value;
        if (!locals) return super.getScope(context);
        for (let n: AstNode | undefined = context.container; n && n !== root; n = n.$container) {
            if (locals.has(n)) return super.getScope(context);
        }
        const last = this.last;
        if (
            last &&
            last.document === document &&
            last.locals === locals &&
            last.type === context.container.$type &&
            last.property === context.property
        )
            return last.scope;
        const referenceType = this.reflection.getReferenceType(context);
        const key = `${document.uri.toString()}\u0000${referenceType}`;
        const cached = this.documentScopes.get(key);
        if (cached && cached.locals === locals) {
            this.last = {
                document,
                locals,
                type: context.container.$type,
                property: context.property,
                scope: cached.scope
            };
            return cached.scope;
        }
        const own = locals.has(root)
            ? locals
                  .getStream(root)
                  .filter(d => this.reflection.isSubtype(d.type, referenceType))
                  .toArray()
            : [];
        const scope = new IndexedScope([
            ...own,
            ...this.getGlobalScope(referenceType, context).getAllElements()
        ]);
        this.documentScopes.set(key, { locals, scope });
        this.last = {
            document,
            locals,
            type: context.container.$type,
            property: context.property,
            scope
        };
        return scope;
    }

    protected override getGlobalScope(referenceType: string, context: ReferenceInfo): Scope {
        const document = AstUtils.getDocument(context.container);
        return this.visibleScopes.get(`${document.uri.toString()}\u0000${referenceType}`, () => {
            const uris = visibleUris(context.container, this.documents);
            return new IndexedScope(this.indexManager.allElements(referenceType, uris).toArray());
        });
    }
}

/**
 * Langium's scope computation, keeping as local symbols only the elements a reference can name
 * (the targets of the grammar's cross-references: shapes and host models). The scope provider
 * filters local symbols by the reference type, so the others (every host name of a plan) were
 * computed for nothing; nothing else reads local symbols (hover is dcplan's own).
 */
export class DcplanScopeComputation extends DefaultScopeComputation {
    private readonly referable: (type: string) => boolean;

    constructor(services: LangiumServices) {
        super(services);
        const reflection: AstReflection = services.shared.AstReflection;
        const targets = new Set<string>();
        for (const n of AstUtils.streamAllContents(services.Grammar)) {
            if (GrammarAST.isCrossReference(n) && n.type.ref) targets.add(n.type.ref.name);
        }
        const memo = new Map<string, boolean>();
        this.referable = type => {
            let r = memo.get(type);
            if (r === undefined) {
                r = [...targets].some(t => reflection.isSubtype(type, t));
                memo.set(type, r);
            }
            return r;
        };
    }

    override async collectLocalSymbols(
        document: LangiumDocument,
        cancelToken = Cancellation.CancellationToken.None
    ): Promise<LocalSymbols> {
        const symbols = new MultiMap<AstNode, AstNodeDescription>();
        const { nodes } = flattenAst(document.parseResult.value);
        // nodes[0] is the root: streamAllContents leaves it out
        for (let k = 1; k < nodes.length; k++) {
            if ((k & INTERRUPT_EVERY) === 0) await interruptAndCheck(cancelToken);
            const node = nodes[k];
            if (this.referable(node.$type)) this.addLocalSymbol(node, document, symbols);
        }
        return symbols;
    }
}
