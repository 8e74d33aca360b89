/**
 * The quick-fixes of the spec ("Quick-fixes") as a pure text-edit engine: given a checked
 * document and one of its diagnostics, the fixes it offers, each a list of replacements in the
 * document's text. The LSP code-action provider (`lsp/code-actions.ts`) and `dcplan fix`
 * (`fix-all.ts`) both use it; nothing here needs an LSP connection.
 *
 * Fixes are registered by diagnostic code (`FIX_PROVIDERS`), one file a family: `splits.ts`,
 * `ring.ts`, `hosts.ts` (hosts and hypervisor reserve), `capacity.ts`, `imports.ts`, `values.ts`, `attributes.ts`.
 * Each reads the facts of its code typed (`FindingDataByCode` of `src/planner/findings.ts`, the
 * type the rules make them with). To add a fix: its code's data in `FindingDataByCode`, a provider
 * in its family's file, the code in `FIXABLE_CODES`, tests in `test/language/fixes-<family>.test.ts`.
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import { IssueCodes } from '../../src/planner/findings.js';
import { Editor } from './editor.js';
import type { Fix, FixContext } from './fix.js';
import type { FixableCode, FixProvider, FixProviders } from './provider.js';
import { capacityFixProviders } from './capacity.js';
import { hostFixProviders } from './hosts.js';
import { importFixProviders } from './imports.js';
import { ringFixProviders } from './ring.js';
import { splitFixProviders } from './splits.js';
import { valueFixProviders } from './values.js';
import { attributeFixProviders } from './attributes.js';

export { applyChanges, type Fix, type FixContext, type TextChange } from './fix.js';
export type { FixableCode } from './provider.js';

/** Every fix provider, by the code it fixes (the type makes the list complete). */
export const FIX_PROVIDERS: FixProviders<FixableCode> = {
    ...splitFixProviders,
    ...ringFixProviders,
    ...hostFixProviders,
    ...capacityFixProviders,
    ...importFixProviders,
    ...valueFixProviders,
    ...attributeFixProviders
};

/** The codes that have quick-fixes, in the order fix-all tries them (split fixes first). */
export const FIXABLE_CODES: readonly string[] = [
    IssueCodes.ProxySplit,
    IssueCodes.DirectorSplit,
    IssueCodes.BackendSplit,
    IssueCodes.DirectorRingTooLarge,
    IssueCodes.RingNotForRole,
    IssueCodes.LoginIdleCores,
    IssueCodes.NoHypervisorReserve,
    IssueCodes.RoleOnOneHost,
    IssueCodes.CapacityShort,
    IssueCodes.SingleInstance,
    IssueCodes.Unplaceable,
    IssueCodes.ImportMissing,
    IssueCodes.SizeUnit,
    IssueCodes.DuplicateAttribute
] satisfies readonly FixableCode[];

/** The diagnostic code of an LSP diagnostic (`code`, else `data.code`). */
export function diagnosticCode(d: Diagnostic): string | undefined {
    const c = d.code ?? (d.data as { code?: string } | undefined)?.code;
    return c === undefined ? undefined : String(c);
}

/**
 * The fixes for every fixable diagnostic of the document (its `diagnostics` after validation,
 * or those given), in diagnostic order. Identical fixes of several diagnostics (one per host of
 * a range) are returned once.
 */
export function fixesForDocument(
    ctx: FixContext,
    diagnostics: readonly Diagnostic[] = ctx.document.diagnostics ?? []
): Fix[] {
    const out: Fix[] = [];
    const seen = new Set<string>();
    for (const d of diagnostics) {
        for (const f of fixesForDiagnostic(ctx, d)) {
            const key = f.code + '\u0000' + f.title + '\u0000' + JSON.stringify(f.changes);
            if (seen.has(key)) continue;
            seen.add(key);
            out.push(f);
        }
    }
    return out;
}

/** The fixes one diagnostic offers (none for a code without quick-fixes or when no edit is possible). */
export function fixesForDiagnostic(ctx: FixContext, diagnostic: Diagnostic): Fix[] {
    const code = diagnosticCode(diagnostic);
    if (code === undefined || !Object.hasOwn(FIX_PROVIDERS, code)) return [];
    // The diagnostic comes back from the client: its data is read as the code's, each field checked where used.
    const data =
        typeof diagnostic.data === 'object' && diagnostic.data !== null ? diagnostic.data : {};
    const provider = FIX_PROVIDERS[code as FixableCode] as FixProvider<FixableCode>;
    try {
        return provider(new Editor(ctx), data, diagnostic);
    } catch {
        // A document in an unexpected state (half-typed text): offer nothing rather than fail the request.
        return [];
    }
}
