/**
 * In an editor, the workspace holds the `.dcplan` files under the opened folder. A plan may import
 * a file from elsewhere (`import "/srv/inventory/hosts.dcplan"`): after each build, load such files
 * from disk and rebuild the files that import them, so names resolve as they do in the CLI.
 */
import { DocumentState, type LangiumDocument, type URI } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import { resolveImports } from './imports.js';

/** Registers the loader on the shared services of a language server. */
export function registerImportLoader(shared: LangiumSharedServices): void {
    const documents = shared.workspace.LangiumDocuments;
    const fileSystem = shared.workspace.FileSystemProvider;
    const builder = shared.workspace.DocumentBuilder;
    builder.onBuildPhase(DocumentState.Validated, async (built: LangiumDocument[]) => {
        const load = new Map<string, URI>();
        const importers = new Map<string, URI>();
        const loadable = (uri: URI): boolean => {
            if (uri.scheme !== 'file' || load.has(uri.toString())) return false;
            try {
                return fileSystem.existsSync(uri) && fileSystem.statSync(uri).isFile;
            } catch {
                return false;
            }
        };
        // The imports of the built documents, and theirs in turn (an import chain outside the
        // workspace is loaded in one go, not one file per build).
        const queue: LangiumDocument[] = [...built];
        while (queue.length > 0) {
            const doc = queue.pop()!;
            for (const imp of resolveImports(doc, documents)) {
                if (imp.target || !loadable(imp.uri)) continue;
                load.set(imp.uri.toString(), imp.uri);
                importers.set(doc.uri.toString(), doc.uri);
                queue.push(await documents.getOrCreateDocument(imp.uri));
            }
        }
        if (load.size === 0) return;
        // Runs after this build, under the workspace lock as every build (a build beside another
        // one validated documents twice: doubled diagnostics): the importers are relinked and
        // validated with the loaded files.
        const lock = shared.workspace.WorkspaceLock;
        const changed = [...load.values(), ...importers.values()];
        setTimeout(() => void lock.write(token => builder.update(changed, [], token)), 0);
    });
}
