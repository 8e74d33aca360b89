/**
 * Which files are plans: a `.dcplan` file, or a document the editor opened with the language id
 * `dcplan` (an untitled buffer, a file the user set to dcplan). Nothing else in a workspace is
 * indexed, parsed, reported or edited (docs/lsp.md; the spec on imports): a repository's
 * scripts, notes, `.bak` copies of plans and bundles are not plans, even when their text starts
 * with `import`.
 */
import type { URI } from 'langium';

/** The file extension of plans (as in the language's metadata, case-sensitive as Langium matches it). */
export const PLAN_EXTENSION = '.dcplan';

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
