/**
 * In an editor, the workspace holds the `.dcplan` files under the opened folder. A plan may import
 * a file from elsewhere (`import "/srv/inventory/hosts.dcplan"`): after each build, load such files
 * from disk and rebuild the files that import them, so names resolve as they do in the CLI.
 */
import { DocumentState, type LangiumDocument, type URI } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import { resolveImports } from './imports.js';
import { isFileOnDisk } from './plan-file-system.js';

/** What `registerImportLoader` gives the server. */
export interface ImportLoader {
    /**
     * Whether the document of `uri` (a URI string) was validated with an import that is on disk
     * but not loaded yet: its diagnostics then say `import-missing` and miss the imported
     * names, for the moment until the loader's rebuild (a newcomer saw 4 false errors flash in a
     * folder-less Neovim): the server holds such diagnostics back.
     */
    awaitingImports(uri: string): boolean;
}

/** Registers the loader on the shared services of a language server. */
export function registerImportLoader(shared: LangiumSharedServices): ImportLoader {
    const documents = shared.workspace.LangiumDocuments;
    const fileSystem = shared.workspace.FileSystemProvider;
    const builder = shared.workspace.DocumentBuilder;
    const onDisk = (uri: URI): boolean => isFileOnDisk(fileSystem, uri);
    const awaiting = new Set<string>();
    /** Builds in a row that held a document's diagnostics back: once only, never a loop. */
    const held = new Map<string, number>();
    const failed = new Set<string>();
    // before Langium's diagnostics handler (registered later) sees the document
    builder.onDocumentPhase(DocumentState.Validated, document => {
        const key = document.uri.toString();
        const pending = resolveImports(document, documents).some(
            i => !i.target && !failed.has(i.uri.toString()) && onDisk(i.uri)
        );
        const times = pending ? (held.get(key) ?? 0) + 1 : 0;
        if (times === 1) awaiting.add(key);
        else awaiting.delete(key);
        if (times > 0) held.set(key, times);
        else held.delete(key);
    });
    builder.onBuildPhase(DocumentState.Validated, async (built: LangiumDocument[]) => {
        const load = new Map<string, URI>();
        const importers = new Map<string, URI>();
        const loadable = (uri: URI): boolean => !load.has(uri.toString()) && onDisk(uri);
        // The imports of the built documents, and theirs in turn (an import chain outside the
        // workspace is loaded in one go, not one file per build).
        const queue: LangiumDocument[] = [...built];
        while (queue.length > 0) {
            const doc = queue.pop()!;
            for (const imp of resolveImports(doc, documents)) {
                if (imp.target || !loadable(imp.uri)) continue;
                load.set(imp.uri.toString(), imp.uri);
                importers.set(doc.uri.toString(), doc.uri);
                try {
                    queue.push(await documents.getOrCreateDocument(imp.uri));
                } catch {
                    // unreadable after all: the rebuild says import-missing, and is not held back
                    failed.add(imp.uri.toString());
                    load.delete(imp.uri.toString());
                }
            }
        }
        // every document whose diagnostics were held back is built again, whatever was loaded
        for (const doc of built)
            if (awaiting.has(doc.uri.toString())) importers.set(doc.uri.toString(), doc.uri);
        if (load.size === 0 && importers.size === 0) return;
        // Runs after this build, under the workspace lock as every build (a build beside another
        // one validated documents twice: doubled diagnostics): the importers are relinked and
        // validated with the loaded files.
        const lock = shared.workspace.WorkspaceLock;
        const changed = [...load.values(), ...importers.values()];
        setTimeout(
            () =>
                void lock.write(token => {
                    for (const u of importers.keys()) awaiting.delete(u);
                    return builder.update(changed, [], token);
                }),
            0
        );
    });
    return { awaitingImports: uri => awaiting.has(uri) };
}
