/** Value fixes (spec, "Quick-fixes"): a size written as its message says (`size-unit`). */
import type { Diagnostic } from 'vscode-languageserver-types';
import { parseSize } from '../values.js';
import { IssueCodes, type FindingDataByCode } from '../../src/planner/findings.js';
import type { Editor } from './editor.js';
import type { Fix } from './fix.js';
import type { FixProviders } from './provider.js';

/**
 * `size-unit`: the size as its message says to write it (`data.replacement`): `8 gib` → `8 GiB`
 * (preferred: the unit is certain), `16` → `16 GiB` (the likely unit: offered, not preferred, so
 * fix-all does not guess).
 */
function sizeUnitFixes(
    e: Editor,
    diagnostic: Diagnostic,
    data: Partial<FindingDataByCode['size-unit']>
): Fix[] {
    if (typeof data.replacement !== 'string') return [];
    const value = sizeValueAt(e, diagnostic);
    if (!value) return [];
    const { start, end } = value;
    // Only the value in error: one whose own reading asks for this replacement.
    const read = parseSize(e.text.slice(start, end));
    if (read.ok || read.fix?.text !== data.replacement) return [];
    return [
        {
            title: `Write ${data.replacement}`,
            code: IssueCodes.SizeUnit,
            preferred: data.guess === false,
            split: false,
            changes: [{ start, end, newText: data.replacement, element: `size@${start}` }]
        }
    ];
}

/**
 * The size value a `size-unit` diagnostic is about: the value token at the diagnostic's start,
 * and when its attribute is repeated in the block, the last one written (the one the checker
 * reads), wherever the diagnostic's range points.
 */
function sizeValueAt(
    e: Editor,
    diagnostic: Diagnostic
): { start: number; end: number } | undefined {
    const at = e.valueAt(diagnostic);
    const last = at && e.prop(at.value.astNode, at.feature);
    return last ? { start: last.offset, end: last.end } : undefined;
}

/** The values family: `size-unit`. */
export const valueFixProviders: FixProviders<'size-unit'> = {
    'size-unit': (e, data, diagnostic) => sizeUnitFixes(e, diagnostic, data)
};
