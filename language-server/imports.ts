/**
 * `import "file.dcplan"` (spec, "Elements"): the path is relative to the importing file, imports
 * are not transitive, and without an import names resolve only inside the file.
 */
import { AstUtils, type AstNode, type LangiumDocument, type LangiumDocuments, URI, UriUtils } from 'langium';
import type { Import, PlanFile } from './generated/ast.js';

/** The URI an import statement points at. */
export function importUri(imp: Import, from: URI): URI {
    // Langium's STRING value converter has already removed the quotes and escapes.
    return UriUtils.resolvePath(UriUtils.dirname(from), imp.path);
}

/** The imports of a document with their target URI and, when loaded, the target document. */
export function resolveImports(document: LangiumDocument, documents: LangiumDocuments): { node: Import; uri: URI; target?: LangiumDocument<PlanFile> }[] {
    const root = document.parseResult?.value as PlanFile | undefined;
    if (!root?.imports) return [];
    return root.imports.map(node => {
        const uri = importUri(node, document.uri);
        const target = documents.hasDocument(uri) ? documents.getDocument(uri) as LangiumDocument<PlanFile> : undefined;
        return { node, uri, target };
    });
}

/** The URI strings visible from the document of `node`: its own and those it imports directly. */
export function visibleUris(node: AstNode, documents: LangiumDocuments): Set<string> {
    const document = AstUtils.getDocument(node);
    const uris = new Set<string>([document.uri.toString()]);
    for (const i of resolveImports(document, documents)) uris.add(i.uri.toString());
    return uris;
}
