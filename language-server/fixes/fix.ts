/**
 * What a quick-fix is (spec, "Quick-fixes"): replacements in the document's text, the fix that
 * groups them, and what the fixes of a document read. Shared by the fix families of this folder,
 * the registry (`index.ts`), fix-all (`fix-all.ts`) and the code-action provider.
 */
import type { LangiumDocument } from 'langium';
import type { PlanFile } from '../generated/ast.js';
import type { PlanAnalysis } from '../analysis.js';
import { IssueCodes } from '../../src/planner/findings.js';
import type { Role } from '../../src/planner/model.js';

/** One replacement in the document's text: `[start, end)` (UTF-16 offsets) becomes `newText`. */
export interface TextChange {
    readonly start: number;
    readonly end: number;
    readonly newText: string;
    /**
     * The element the change belongs to (`shape:proxy_4c`, `deploy@120`, `host@300`, `pin@410`):
     * fix-all applies at most one fix per element in a round.
     */
    readonly element: string;
}

/** A fix offered for one diagnostic. */
export interface Fix {
    /** The action's title, with its numbers ("Split into 4 × 3-core directors (maintenance impact 25%)"). */
    readonly title: string;
    /** The diagnostic code it fixes. */
    readonly code: string;
    /** The page's choice among the fixes of a diagnostic (LSP `isPreferred`); fix-all applies only these. */
    readonly preferred: boolean;
    /** Split fixes are applied first by fix-all (spec). */
    readonly split: boolean;
    /** Changes in the document's own text, not overlapping. */
    readonly changes: readonly TextChange[];
    /**
     * Elements the fix claims besides those of its changes: `shape:<name>` of a shape name it
     * introduces (a rename, a new shape) or reuses, so that fix-all never lets two fixes of one
     * round both make a shape of that name.
     */
    readonly claims?: readonly string[];
}

/** What the fixes of a document read. */
export interface FixContext {
    readonly document: LangiumDocument<PlanFile>;
    readonly analysis: PlanAnalysis;
    /**
     * True when a shape of this document is referenced from another file (a file that imports
     * this one): such a shape is never rewritten in place. Default: never.
     */
    readonly usedElsewhere?: (shapeName: string) => boolean;
    /**
     * True when a shape of this document is pinned (`runs`) by another file that imports this
     * one: such a shape is not split (its instances would move to a new shape and leave the pins
     * with none). Default: never.
     */
    readonly pinnedElsewhere?: (shapeName: string) => boolean;
    /**
     * Shapes of this document that the running fix-all made (absent from the text it started
     * from). A split or merge whose `_<C′>c` name is taken by such a shape, identical to what the
     * rewrite would give, moves the instances onto it instead of keeping the old name or adding a
     * duplicate. Default: none (a single quick-fix never reuses a shape).
     */
    readonly createdShapes?: ReadonlySet<string>;
}

/** The codes whose fixes are splits (applied first by fix-all). */
export const SPLIT_CODES: ReadonlySet<string> = new Set([
    IssueCodes.ProxySplit,
    IssueCodes.DirectorSplit,
    IssueCodes.BackendSplit,
    IssueCodes.DirectorRingTooLarge
]);

/**
 * Applies non-overlapping changes to `text` (changes touching at one offset are fine; an
 * insertion and a replacement that starts at the same offset keep that order).
 * Throws when two changes overlap.
 */
export function applyChanges(text: string, changes: readonly TextChange[]): string {
    const sorted = changes
        .map((c, i) => ({ c, i }))
        .sort((a, b) => a.c.start - b.c.start || a.c.end - b.c.end || a.i - b.i);
    let out = '';
    let at = 0;
    for (const { c } of sorted) {
        if (c.start < at) throw new Error(`overlapping changes at ${c.start}`);
        out += text.slice(at, c.start) + c.newText;
        at = c.end;
    }
    return out + text.slice(at);
}

/** Plural role names for titles. */
export const ROLE_PLURAL: Readonly<Record<Role, string>> = {
    proxy: 'proxies',
    director: 'directors',
    backend: 'backends'
};

/** Type guard that drops the fixes that could not be made. */
export const isFix = (f: Fix | undefined): f is Fix => f !== undefined;
