/**
 * Linking and reference indexing that only look for references in the node types that can hold
 * one (`deploy … x shape`, `host … : model`, the pins of `runs = …`). Langium's defaults ask
 * every node of the tree for its references: on a plan with thousands of hosts most nodes are
 * host blocks' names and attributes, and that search was a good part of linking. Same references
 * in the same order, so the same links, errors and reference index.
 */
import {
    type AstNode, type AstReflection, AstUtils, Cancellation, DefaultLinker, DefaultReferenceDescriptionProvider,
    interruptAndCheck, type LangiumCoreServices, type LangiumDocument, type ReferenceDescription
} from 'langium';

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
        for (const node of AstUtils.streamAst(document.parseResult.value)) {
            await interruptAndCheck(cancelToken);
            if (this.hasReferences(node.$type)) AstUtils.streamReferences(node).forEach(ref => this.doLink(ref, document));
        }
    }
}

/** Langium's reference descriptions (the index of find-references and rename), same skipping. */
export class DcplanReferenceDescriptionProvider extends DefaultReferenceDescriptionProvider {
    private readonly hasReferences: (type: string) => boolean;

    constructor(services: LangiumCoreServices) {
        super(services);
        this.hasReferences = referencingTypes(services.shared.AstReflection);
    }

    override async createDescriptions(document: LangiumDocument, cancelToken = Cancellation.CancellationToken.None): Promise<ReferenceDescription[]> {
        const descr: ReferenceDescription[] = [];
        const root: AstNode = document.parseResult.value;
        for (const node of AstUtils.streamAst(root)) {
            await interruptAndCheck(cancelToken);
            if (!this.hasReferences(node.$type)) continue;
            AstUtils.streamReferences(node).forEach(refInfo => {
                if (!refInfo.reference.error) descr.push(...this.createInfoDescriptions(refInfo));
            });
        }
        return descr;
    }
}
