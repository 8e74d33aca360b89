/**
 * `import "file.dcplan"` (spec, "Elements"): the path is relative to the importing file, imports
 * are not transitive, and without an import names resolve only inside the file.
 */
import { AstUtils, type AstNode, type LangiumDocument, type LangiumDocuments, URI, UriUtils } from 'langium';
import { isDeploy, isHost, type Import, type PlanFile } from './generated/ast.js';
import { isPlanPath } from './plan-files.js';

/** A UTF-16 code unit of a surrogate pair without its other half. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * The URI an import statement points at, or `undefined` for an import without a path: error
 * recovery makes one of `import` alone (the moment before the quote is typed), and of a `.py` or
 * `.js` text that starts with `import`. A lone surrogate in the path (no file name can hold one)
 * becomes U+FFFD: a URI cannot encode it (`URIError: URI malformed` from every URI comparison),
 * and the import is then reported missing as any other.
 */
export function importUri(imp: Import, from: URI): URI | undefined {
    // Langium's STRING value converter has already removed the quotes and escapes.
    if (typeof imp.path !== 'string') return undefined;
    return UriUtils.resolvePath(UriUtils.dirname(from), imp.path.replace(LONE_SURROGATE, '\uFFFD'));
}

/**
 * The imports of a document that name a plan, with their target URI and, when loaded, the target
 * document. An import without a path, or of a file that is not a `.dcplan` file, is left out: it
 * imports nothing, is never read, and the validator reports it (`syntax-error`, `import-missing`).
 */
export function resolveImports(document: LangiumDocument, documents: LangiumDocuments): { node: Import; uri: URI; target?: LangiumDocument<PlanFile> }[] {
    const root = document.parseResult?.value as PlanFile | undefined;
    if (!Array.isArray(root?.imports)) return [];
    const out: { node: Import; uri: URI; target?: LangiumDocument<PlanFile> }[] = [];
    for (const node of root.imports) {
        const uri = importUri(node, document.uri);
        if (!uri || !isPlanPath(node.path)) continue;
        const target = documents.hasDocument(uri) ? documents.getDocument(uri) as LangiumDocument<PlanFile> : undefined;
        out.push({ node, uri, target });
    }
    return out;
}

/** The URI strings visible from the document of `node`: its own and those it imports directly. */
export function visibleUris(node: AstNode, documents: LangiumDocuments): Set<string> {
    const document = AstUtils.getDocument(node);
    const uris = new Set<string>([document.uri.toString()]);
    for (const i of resolveImports(document, documents)) uris.add(i.uri.toString());
    return uris;
}

/**
 * Every import of `start` and of the files it imports, transitively (each file's imports once,
 * depth first; import cycles end): the importing document and the import's target URI and
 * document (when loaded).
 */
export function* importEdges(start: LangiumDocument, documents: LangiumDocuments): Generator<{ from: LangiumDocument; uri: URI; target?: LangiumDocument<PlanFile> }> {
    const seen = new Set<string>();
    const stack: LangiumDocument[] = [start];
    while (stack.length > 0) {
        const from = stack.pop()!;
        if (seen.has(from.uri.toString())) continue;
        seen.add(from.uri.toString());
        for (const i of resolveImports(from, documents)) {
            yield { from, uri: i.uri, target: i.target };
            if (i.target) stack.push(i.target);
        }
    }
}

/**
 * The shape names that the files `others` deploy or pin (`used`), and those they pin (`pinned`),
 * among the files that import `uri` directly: shapes of `uri` another file uses, which a fix
 * must not rename or rewrite in place, nor split at all when pinned (the pins would be left with
 * no instance). Names as written (the texts need not be linked).
 */
export function shapesUsedByImporters(uri: URI, others: Iterable<{ uri: URI; root: PlanFile }>): { used: Set<string>; pinned: Set<string> } {
    const used = new Set<string>(), pinned = new Set<string>();
    const target = uri.toString();
    for (const other of others) {
        if (!other.root.imports?.some(i => importUri(i, other.uri)?.toString() === target)) continue;
        for (const e of other.root.elements ?? []) {
            if (isDeploy(e) && e.shape?.$refText) used.add(e.shape.$refText);
            else if (isHost(e)) for (const p of e.pins) if (p.shape?.$refText) { used.add(p.shape.$refText); pinned.add(p.shape.$refText); }
        }
    }
    return { used, pinned };
}
