/**
 * Linking and reference indexing that only look for references in the node types that can hold
 * one (`deploy … x shape`, `host … : model`, the pins of `runs = …`). Langium's defaults ask
 * every node of the tree for its references: on a plan with thousands of hosts most nodes are
 * host blocks' names and attributes, and that search was a good part of linking. The reference
 * index is made from the references the linker listed, with no walk at all. Same references in
 * the same order, so the same links, errors and reference index.
 */
import {
    type AstReflection, AstUtils, Cancellation, DefaultLinker, DefaultReferenceDescriptionProvider,
    interruptAndCheck, type LangiumCoreServices, type LangiumDocument, type ReferenceDescription
} from 'langium';
import { flattenAst } from './ast-walk.js';

/**
 * The tree walks below look at the cancellation token (and let `interruptAndCheck` yield) once
 * every INTERRUPT_EVERY + 1 nodes, not at every node as Langium's own loops do: an await per node
 * was a good part of the walk on large plans, and 512 nodes take well under a millisecond.
 */
export const INTERRUPT_EVERY = 511;

/** `type → true` when the AST type has a reference property (from the generated type metadata). */
export function referencingTypes(reflection: AstReflection): (type: string) => boolean {
    const memo = new Map<string, boolean>();
    return type => {
        let r = memo.get(type);
        if (r === undefined) {
            try {
                r = Object.values(reflection.getTypeMetaData(type).properties).some(p => p.referenceType !== undefined);
            } catch {
                r = true; // unknown type: ask it, as Langium does
            }
            memo.set(type, r);
        }
        return r;
    };
}

/** Langium's linker, skipping the nodes whose type has no reference property. */
export class DcplanLinker extends DefaultLinker {
    private readonly hasReferences: (type: string) => boolean;

    constructor(services: LangiumCoreServices) {
        super(services);
        this.hasReferences = referencingTypes(services.shared.AstReflection);
    }

    override async link(document: LangiumDocument, cancelToken = Cancellation.CancellationToken.None): Promise<void> {
        if (this.profiler?.isActive('linking')) return super.link(document, cancelToken);
        const { nodes } = flattenAst(document.parseResult.value);
        for (let k = 0; k < nodes.length; k++) {
            if ((k & INTERRUPT_EVERY) === 0) await interruptAndCheck(cancelToken);
            const node = nodes[k];
            if (this.hasReferences(node.$type)) AstUtils.streamReferences(node).forEach(ref => this.doLink(ref, document));
        }
    }
}

/** Langium's reference descriptions (the index of find-references and rename), made from the references the linker listed. */
export class DcplanReferenceDescriptionProvider extends DefaultReferenceDescriptionProvider {
    override async createDescriptions(document: LangiumDocument, cancelToken = Cancellation.CancellationToken.None): Promise<ReferenceDescription[]> {
        const descr: ReferenceDescription[] = [];
        // The linker has listed every reference of the document (in tree order) in
        // `document.references`: no walk over the tree is needed. A reference's container is the
        // AST node of its CST node.
        const refs = document.references;
        for (let k = 0; k < refs.length; k++) {
            if ((k & INTERRUPT_EVERY) === 0) await interruptAndCheck(cancelToken);
            const reference = refs[k];
            const container = reference.$refNode?.astNode;
            if (reference.error || !container) continue;
            for (const d of this.createInfoDescriptions({ reference, container, property: '' })) descr.push(d);
        }
        return descr;
    }
}
