/**
 * The shape of a fix family's entry in the registry (`registry.ts`): per diagnostic code, a
 * function from the diagnostic's facts (`FindingDataByCode`, the finding's `data`) to the fixes.
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import type { FindingDataByCode, IssueCode } from '../../src/planner/findings.js';
import type { Editor } from './editor.js';
import type { Fix } from './fix.js';

/** A code that has quick-fixes (its findings carry data: the constraint checks it). */
export type FixableCode = Extract<
    IssueCode & keyof FindingDataByCode,
    | 'proxy-split'
    | 'director-split'
    | 'backend-split'
    | 'director-ring-too-large'
    | 'ring-not-for-role'
    | 'login-idle-cores'
    | 'no-hypervisor-reserve'
    | 'role-on-one-host'
    | 'capacity-short'
    | 'single-instance'
    | 'unplaceable'
    | 'import-missing'
    | 'size-unit'
    | 'duplicate-attribute'
>;

/**
 * The fixes of one diagnostic of code `C`. `data` is the diagnostic's `data` as the rule or the
 * validator made it; it comes back from the client in a code-action request, so a provider reads
 * its fields defensively (a missing one gives no fix), and may throw on a document in an
 * unexpected state (the registry turns that into no fix).
 */
export type FixProvider<C extends FixableCode> = (
    e: Editor,
    data: Partial<FindingDataByCode[C]>,
    diagnostic: Diagnostic
) => Fix[];

/** A family's providers, by code. */
export type FixProviders<K extends FixableCode> = { readonly [C in K]: FixProvider<C> };
