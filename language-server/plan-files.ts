/**
 * Which files are plans: a `.dcplan` file, or an untitled buffer the editor opened with the
 * language id `dcplan` (it has no file behind it, so no name to go by). Nothing else in a
 * workspace is indexed, parsed, reported or edited (docs/lsp.md; the spec on imports): a
 * repository's scripts, notes, `.bak` and `~` copies of plans and bundles are not plans, even
 * when their text starts with `import`, and even when a client opens them as `dcplan`.
 */
import type { URI } from 'langium';

/** The file extension of plans (as in the language's metadata, case-sensitive as Langium matches it). */
export const PLAN_EXTENSION = '.dcplan';

/** The language id of plans (as in the language's metadata). */
export const PLAN_LANGUAGE_ID = 'dcplan';

/** True when a path (or a URI's path) names a `.dcplan` file: `a.dcplan`, not `a.dcplan.bak` nor `a.txt`. */
export function isPlanPath(path: string): boolean {
    return (
        path.endsWith(PLAN_EXTENSION) &&
        path.length > PLAN_EXTENSION.length &&
        !path.endsWith('/' + PLAN_EXTENSION)
    );
}

/** True when `uri` names a `.dcplan` file, whatever its scheme. */
export function isPlanUri(uri: URI): boolean {
    return isPlanPath(uri.path);
}

/** A folder's entry as a listing gives it (Langium's `FileSystemNode`, Node's `Dirent`). */
export interface FolderEntry {
    readonly isFile: boolean;
    readonly isDirectory: boolean;
}

/**
 * Folders the workspace scan never enters, besides dot-folders (`.git`): dependencies and build
 * output, as Langium's own scan has it.
 */
const SKIPPED_FOLDERS: ReadonlySet<string> = new Set(['node_modules', 'out']);

/**
 * Whether a folder's scan takes the entry `name`: a folder to walk into, or a plan file
 * (`isPlan`, by default `isPlanPath` of its name). Never a dot-name (`.git/`, `.a.dcplan`),
 * `node_modules/` or `out/`, nor a symbolic link (a listing gives it as neither a file nor a
 * folder: a linked folder cannot lead the walk in a loop). The language server's workspace scan
 * (`DcplanWorkspaceManager`) and `dcplan check FOLDER` both use it, so they read the same plans.
 */
export function isScannedEntry(
    name: string,
    entry: FolderEntry,
    isPlan: (name: string) => boolean = isPlanPath
): boolean {
    if (name.startsWith('.')) return false;
    if (entry.isDirectory) return !SKIPPED_FOLDERS.has(name);
    return entry.isFile && isPlan(name);
}

/**
 * The one test of what the server builds and serves (the workspace scan, the editor's documents,
 * the watcher's events, every request): `languageId` is the open document's, `undefined` for a
 * file that is not open. A `.dcplan` file is a plan unless the editor opened it as another
 * language; any other file is not, whatever language id it was opened with (`notes.txt` or
 * `small.dcplan.bak` sent as `dcplan`); an `untitled:` buffer is one while open as `dcplan`.
 */
export function isPlanDocument(uri: URI, languageId: string | undefined): boolean {
    if (isPlanUri(uri)) return languageId === undefined || languageId === PLAN_LANGUAGE_ID;
    return uri.scheme === 'untitled' && languageId === PLAN_LANGUAGE_ID;
}
