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
        const load: URI[] = [];
        const importers: URI[] = [];
        for (const doc of built) {
            for (const imp of resolveImports(doc, documents)) {
                if (imp.target || imp.uri.scheme !== 'file' || load.some(u => u.toString() === imp.uri.toString())) continue;
                let exists = false;
                try { exists = fileSystem.existsSync(imp.uri) && fileSystem.statSync(imp.uri).isFile; } catch { exists = false; }
                if (!exists) continue;
                load.push(imp.uri);
                importers.push(doc.uri);
            }
        }
        if (load.length === 0) return;
        for (const uri of load) await documents.getOrCreateDocument(uri);
        // Runs after this build, under the workspace lock as every build (a build beside another
        // one validated documents twice: doubled diagnostics): the importers are relinked and
        // validated with the loaded files.
        const lock = shared.workspace.WorkspaceLock;
        setTimeout(() => void lock.write(token => builder.update([...load, ...importers], [], token)), 0);
    });
}
