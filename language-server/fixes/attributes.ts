/**
 * Attribute fixes (spec, "Quick-fixes"): `duplicate-attribute`, an attribute given twice in one
 * block ("cores is given twice; the last one counts").
 */
import { GrammarUtils, type AstNode, type CstNode } from 'langium';
import type { Diagnostic } from 'vscode-languageserver-types';
import { IssueCodes } from '../../src/planner/findings.js';
import type { Editor } from './editor.js';
import type { Fix, TextChange } from './fix.js';
import type { FixProviders } from './provider.js';

/** Longest attribute text quoted in a title (a long `title = "…"` is cut). */
const TITLE_TEXT = 40;

/**
 * `duplicate-attribute`, on the repeated value: remove the occurrence before it (preferred: the
 * meaning stays, the last one counted already), or, on the last occurrence, remove it so that the
 * one before counts (offered only: it changes the plan). Nothing where the block's text is not
 * `keyword = value` for each occurrence (a file in an unexpected state).
 */
function duplicateAttributeFixes(e: Editor, diagnostic: Diagnostic): Fix[] {
    const at = e.valueAt(diagnostic);
    if (!at) return [];
    const { feature, value } = at;
    const block = value.astNode;
    const values = GrammarUtils.findNodesForProperty(block.$cstNode, feature).sort(
        (a, b) => a.offset - b.offset
    );
    const k = values.findIndex(v => v.offset === value.offset);
    if (k < 1) return [];
    const spans = values.map(v => attributeSpan(e, block, v));
    const before = spans[k - 1],
        here = spans[k];
    if (!before || !here) return [];
    const element = `${e.key(block)}:${feature}`;
    const fixes: Fix[] = [
        {
            title: `Remove the earlier ${written(e, before)}`,
            code: IssueCodes.DuplicateAttribute,
            preferred: true,
            split: false,
            changes: [removal(e, before, element)]
        }
    ];
    if (k === values.length - 1)
        fixes.push({
            title: `Remove this ${written(e, here)}; the earlier ${written(e, before)} counts`,
            code: IssueCodes.DuplicateAttribute,
            preferred: false,
            split: false,
            changes: [removal(e, here, element)]
        });
    return fixes;
}

/** `keyword = value` around the value node `v`: its text span, or `undefined` when not so written. */
function attributeSpan(
    e: Editor,
    block: AstNode,
    v: CstNode
): { start: number; end: number } | undefined {
    const leaves = e.leaves(block);
    const i = leaves.findIndex(l => l.offset === v.offset);
    if (i < 2 || leaves[i - 1].text !== '=') return undefined;
    return { start: leaves[i - 2].offset, end: v.end };
}

/**
 * The edit removing an attribute: `Editor.removeSpan`, except where it stands first on its line
 * before a comment (`cores = 8 # why`): then up to the comment, which keeps its place and
 * indentation.
 */
function removal(e: Editor, span: { start: number; end: number }, element: string): TextChange {
    const blanksThenComment = /^[ \t]*(#|\/\/|\/\*)/.exec(e.text.slice(span.end));
    if (blanksThenComment && /^[ \t]*$/.test(e.text.slice(e.lineStart(span.start), span.start)))
        return {
            start: span.start,
            end: span.end + blanksThenComment[0].length - blanksThenComment[1].length,
            newText: '',
            element
        };
    return e.removeSpan(span.start, span.end, element);
}

/** An attribute's text for a title: blanks as one space, cut at `TITLE_TEXT` characters. */
function written(e: Editor, span: { start: number; end: number }): string {
    const t = e.text.slice(span.start, span.end).replace(/\s+/g, ' ');
    return t.length > TITLE_TEXT ? `${t.slice(0, TITLE_TEXT - 1)}…` : t;
}

/** The attributes family: `duplicate-attribute`. */
export const attributeFixProviders: FixProviders<'duplicate-attribute'> = {
    'duplicate-attribute': (e, _data, diagnostic) => duplicateAttributeFixes(e, diagnostic)
};
