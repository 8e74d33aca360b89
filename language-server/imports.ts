/**
 * `import "file.dcplan"` (spec, "Elements"): the path is relative to the importing file, imports
 * are not transitive, and without an import names resolve only inside the file.
 */
import {
    AstUtils,
    GrammarUtils,
    type AstNode,
    type LangiumDocument,
    type LangiumDocuments,
    type LangiumSharedCoreServices,
    URI,
    UriUtils,
    WorkspaceCache
} from 'langium';
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
export function resolveImports(
    document: LangiumDocument,
    documents: LangiumDocuments
): { node: Import; uri: URI; target?: LangiumDocument<PlanFile> }[] {
    const root = document.parseResult?.value as PlanFile | undefined;
    if (!Array.isArray(root?.imports)) return [];
    const out: { node: Import; uri: URI; target?: LangiumDocument<PlanFile> }[] = [];
    for (const node of root.imports) {
        const uri = importUri(node, document.uri);
        if (!uri || !isPlanPath(node.path)) continue;
        const target = documents.hasDocument(uri)
            ? (documents.getDocument(uri) as LangiumDocument<PlanFile>)
            : undefined;
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
 * The shape names that the files `others` deploy or pin (`used`), and those they pin (`pinned`),
 * among the files that import `uri` directly: shapes of `uri` another file uses, which a fix
 * must not rename or rewrite in place, nor split at all when pinned (the pins would be left with
 * no instance). `users` gives, per name used, the URIs of the files that use it (in the order of
 * `others`, each once). Names as written (the texts need not be linked).
 */
export function shapesUsedByImporters(
    uri: URI,
    others: Iterable<{ uri: URI; root: PlanFile }>
): { used: Set<string>; pinned: Set<string>; users: Map<string, URI[]> } {
    const used = new Set<string>(),
        pinned = new Set<string>();
    const users = new Map<string, URI[]>();
    const use = (name: string, by: URI) => {
        used.add(name);
        const list = users.get(name);
        if (!list) users.set(name, [by]);
        else if (list.at(-1) !== by) list.push(by);
    };
    const target = uri.toString();
    for (const other of others) {
        if (!other.root?.imports?.some(i => importUri(i, other.uri)?.toString() === target))
            continue;
        for (const e of other.root.elements ?? []) {
            if (isDeploy(e) && e.shape?.$refText) use(e.shape.$refText, other.uri);
            else if (isHost(e))
                for (const p of e.pins)
                    if (p.shape?.$refText) {
                        use(p.shape.$refText, other.uri);
                        pinned.add(p.shape.$refText);
                    }
        }
    }
    return { used, pinned, users };
}

/**
 * `shapesUsedByImporters` of `uri` among the workspace's documents (those that import anything):
 * what the files importing it deploy or pin.
 */
export function shapesUsedInWorkspace(
    uri: URI,
    documents: LangiumDocuments
): ReturnType<typeof shapesUsedByImporters> {
    return shapesUsedByImporters(
        uri,
        documents.all
            .filter(d => ((d.parseResult.value as PlanFile).imports?.length ?? 0) > 0)
            .map(d => ({ uri: d.uri, root: d.parseResult.value as PlanFile }))
    );
}

/**
 * The import graph of one workspace state, read lazily: the strongly connected components of the
 * files reached so far (Tarjan's algorithm, started from each file asked about that is not yet
 * reached; each file's imports are resolved once), and the files that import others, transitively.
 * Linear in the files and imports it reaches: a check per file of whether an import closes a
 * cycle, or of whether a file imports a changed one, no longer walks the whole graph each time
 * (an import chain of 10,000 files was quadratic). Valid while the documents and their texts
 * do not change: `importGraph` keeps one per workspace state.
 */
export class ImportGraph {
    private readonly edges = new Map<string, LangiumDocument[]>();
    private readonly component = new Map<string, number>();
    private components = 0;

    constructor(private readonly documents: LangiumDocuments) {}

    private readonly visibleSets = new Map<string, Set<string>>();

    /** `visibleUris` of `document`, made once per workspace state (each import's check asks it: a file of 4,000 imports made it 4,000 times). */
    visible(document: LangiumDocument): Set<string> {
        const key = document.uri.toString();
        let out = this.visibleSets.get(key);
        if (!out)
            this.visibleSets.set(
                key,
                (out = visibleUris(document.parseResult.value, this.documents))
            );
        return out;
    }

    /** The loaded documents `document` imports (each once, in import order). */
    importsOf(document: LangiumDocument): LangiumDocument[] {
        const key = document.uri.toString();
        let out = this.edges.get(key);
        if (!out) {
            out = [];
            for (const i of resolveImports(document, this.documents))
                if (i.target && !out.includes(i.target)) out.push(i.target);
            this.edges.set(key, out);
        }
        return out;
    }

    /** The number of the strongly connected component of `document` (files that import each other, directly or not, share one). */
    componentOf(document: LangiumDocument): number {
        const key = document.uri.toString();
        const known = this.component.get(key);
        if (known !== undefined) return known;
        this.connect(document);
        return this.component.get(key)!;
    }

    /**
     * When `imported` imports `document`, directly or through its own imports: the file whose
     * import names `document` (the first met in a depth-first walk from `imported`, whose
     * stack takes a file's last import first), else
     * `undefined`. Only the files of their common component are walked.
     */
    cycleBack(imported: LangiumDocument, document: LangiumDocument): LangiumDocument | undefined {
        const component = this.componentOf(document);
        if (this.componentOf(imported) !== component) return undefined;
        const target = document.uri.toString();
        const seen = new Set<string>();
        const stack: LangiumDocument[] = [imported];
        while (stack.length > 0) {
            const from = stack.pop()!;
            if (seen.has(from.uri.toString())) continue;
            seen.add(from.uri.toString());
            for (const i of resolveImports(from, this.documents)) {
                if (i.uri.toString() === target) return from;
                // files outside the component cannot lead back to `document`
                if (i.target && this.componentOf(i.target) === component) stack.push(i.target);
            }
        }
        return undefined;
    }

    /** Tarjan's algorithm from `start`, iteratively (an import chain may be 10,000 files deep). */
    private connect(start: LangiumDocument): void {
        const index = new Map<string, number>();
        const low = new Map<string, number>();
        const onStack = new Set<string>();
        const stack: string[] = [];
        let next = 0;
        const frames: { doc: LangiumDocument; key: string; edge: number }[] = [];
        const enter = (doc: LangiumDocument) => {
            const key = doc.uri.toString();
            index.set(key, next);
            low.set(key, next);
            next++;
            stack.push(key);
            onStack.add(key);
            frames.push({ doc, key, edge: 0 });
        };
        enter(start);
        while (frames.length > 0) {
            const frame = frames[frames.length - 1];
            const imports = this.importsOf(frame.doc);
            if (frame.edge < imports.length) {
                const to = imports[frame.edge++];
                const toKey = to.uri.toString();
                if (this.component.has(toKey)) continue; // a component found before: not on this walk's stack
                if (!index.has(toKey)) enter(to);
                else if (onStack.has(toKey))
                    low.set(frame.key, Math.min(low.get(frame.key)!, index.get(toKey)!));
                continue;
            }
            frames.pop();
            if (frames.length > 0) {
                const parent = frames[frames.length - 1].key;
                low.set(parent, Math.min(low.get(parent)!, low.get(frame.key)!));
            }
            if (low.get(frame.key) === index.get(frame.key)) {
                const c = this.components++;
                for (;;) {
                    const k = stack.pop()!;
                    onStack.delete(k);
                    this.component.set(k, c);
                    if (k === frame.key) break;
                }
            }
        }
    }

    /**
     * The URI strings of the documents among `all` that import one of `uris`, directly or
     * transitively (one walk of the reversed graph).
     */
    importersOf(uris: ReadonlySet<string>, all: Iterable<LangiumDocument>): Set<string> {
        const importers = new Map<string, string[]>();
        for (const doc of all) {
            for (const i of resolveImports(doc, this.documents)) {
                const key = i.uri.toString();
                let list = importers.get(key);
                if (!list) importers.set(key, (list = []));
                list.push(doc.uri.toString());
            }
        }
        const out = new Set<string>();
        const queue = [...uris];
        while (queue.length > 0) {
            for (const from of importers.get(queue.pop()!) ?? []) {
                if (out.has(from)) continue;
                out.add(from);
                queue.push(from);
            }
        }
        return out;
    }
}

const graphs = new WeakMap<LangiumSharedCoreServices, WorkspaceCache<'graph', ImportGraph>>();

/** The import graph of the workspace's current state (a new one after every workspace update or build). */
export function importGraph(shared: LangiumSharedCoreServices): ImportGraph {
    let cache = graphs.get(shared);
    if (!cache) graphs.set(shared, (cache = new WorkspaceCache(shared)));
    return cache.get('graph', () => new ImportGraph(shared.workspace.LangiumDocuments));
}

/**
 * For an import whose path was written with backslashes (a Windows path): in a string a
 * backslash starts an escape, so `"..\shared\lib.dcplan"` lost them (`..sharedlib.dcplan`);
 * the hint says to write `/`. Empty otherwise.
 */
export function backslashHint(imp: Import): string {
    const written = imp.$cstNode
        ? GrammarUtils.findNodeForProperty(imp.$cstNode, 'path')?.text
        : '';
    if (!written?.includes('\\')) return '';
    const meant = written.slice(1, -1).replace(/\\\\/g, '\\').replace(/\\/g, '/');
    return `; a backslash in a string starts an escape: write paths with /, as in "${meant}"`;
}
