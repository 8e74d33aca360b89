/**
 * Scoping of dcplan: names resolve inside the file and in the files it imports, nowhere else
 * (spec, "Elements": two plans in one workspace never see each other's shapes).
 */
import { DefaultScopeProvider, type LangiumDocuments, type ReferenceInfo, type Scope } from 'langium';
import type { LangiumServices } from 'langium/lsp';
import { visibleUris } from './imports.js';

/** Langium's default scope provider with the global scope narrowed to the visible files. */
export class DcplanScopeProvider extends DefaultScopeProvider {
    private readonly documents: LangiumDocuments;

    constructor(services: LangiumServices) {
        super(services);
        this.documents = services.shared.workspace.LangiumDocuments;
    }

    protected override getGlobalScope(referenceType: string, context: ReferenceInfo): Scope {
        const uris = visibleUris(context.container, this.documents);
        return this.createScope(this.indexManager.allElements(referenceType, uris));
    }
}
