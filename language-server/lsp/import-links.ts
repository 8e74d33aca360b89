/**
 * `import "inventory.dcplan"` as a way to the imported file: the path is a document link
 * (`textDocument/documentLink`), and go-to-definition on it opens the file. Only imports of a plan
 * the server has loaded link anywhere: a missing file is the validator's `import-missing`.
 */
import { GrammarUtils, type LangiumDocument, type LangiumDocuments } from 'langium';
import {
    DefaultDefinitionProvider,
    type DocumentLinkProvider,
    type LangiumServices
} from 'langium/lsp';
import type {
    CancellationToken,
    DefinitionParams,
    DocumentLink,
    DocumentLinkParams,
    LocationLink,
    Range
} from 'vscode-languageserver';
import { resolveImports } from '../imports.js';

/** The path string of each loaded import of `document` (its range, without the quotes) and its target URI. */
function importTargets(
    document: LangiumDocument,
    documents: LangiumDocuments
): { range: Range; target: string }[] {
    const out: { range: Range; target: string }[] = [];
    for (const { node, target } of resolveImports(document, documents)) {
        const path = node.$cstNode && GrammarUtils.findNodeForProperty(node.$cstNode, 'path');
        if (!target || !path) continue;
        const { start, end } = path.range;
        // inside the quotes (one line: a STRING cannot span lines)
        out.push({
            range: {
                start: { line: start.line, character: start.character + 1 },
                end: { line: end.line, character: Math.max(start.character + 1, end.character - 1) }
            },
            target: target.uri.toString()
        });
    }
    return out;
}

const contains = (r: Range, p: { line: number; character: number }) =>
    p.line === r.start.line &&
    p.character >= r.start.character - 1 &&
    p.character <= r.end.character + 1;

/** Document links on the paths of imports. */
export class DcplanDocumentLinkProvider implements DocumentLinkProvider {
    private readonly documents: LangiumDocuments;

    constructor(services: LangiumServices) {
        this.documents = services.shared.workspace.LangiumDocuments;
    }

    getDocumentLinks(
        document: LangiumDocument,
        _params: DocumentLinkParams,
        _cancelToken?: CancellationToken
    ): DocumentLink[] {
        return importTargets(document, this.documents).map(({ range, target }) => ({
            range,
            target,
            tooltip: 'Open the imported plan'
        }));
    }
}

/** Langium's go-to-definition, and on an import's path (quotes included) the imported file. */
export class DcplanDefinitionProvider extends DefaultDefinitionProvider {
    private readonly documents: LangiumDocuments;

    constructor(services: LangiumServices) {
        super(services);
        this.documents = services.shared.workspace.LangiumDocuments;
    }

    override async getDefinition(
        document: LangiumDocument,
        params: DefinitionParams,
        cancelToken?: CancellationToken
    ): Promise<LocationLink[] | undefined> {
        const link = importTargets(document, this.documents).find(l =>
            contains(l.range, params.position)
        );
        if (link) {
            const top: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
            return [
                {
                    originSelectionRange: link.range,
                    targetUri: link.target,
                    targetRange: top,
                    targetSelectionRange: top
                }
            ];
        }
        return super.getDefinition(document, params, cancelToken);
    }
}
