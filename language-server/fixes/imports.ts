/** Import fixes (spec, "Quick-fixes"): the import a file needs for the shapes its imports take (`import-missing`). */
import type { AstNode } from 'langium';
import type { Diagnostic } from 'vscode-languageserver-types';
import { IssueCodes, type FindingDataByCode } from '../../src/planner/findings.js';
import { rangeContains, type Editor } from './editor.js';
import type { Fix, TextChange } from './fix.js';
import type { FixProviders } from './provider.js';

/**
 * `import-missing` for the shapes an imported file takes from a file this one does not import
 * (`data.importPath`, relative to this file): the import to add, on the line after the import
 * the diagnostic is on. The other `import-missing` errors (a file not found) have no fix.
 */
function importFixes(
    e: Editor,
    diagnostic: Diagnostic,
    data: Partial<FindingDataByCode['import-missing']>
): Fix[] {
    if (typeof data.importPath !== 'string') return [];
    const imp = e.root.imports.find(i => i.$cstNode && rangeContains(e, i, diagnostic));
    if (!imp || e.root.imports.some(i => i.path === data.importPath)) return [];
    const line = `import ${JSON.stringify(data.importPath)}`;
    return [
        {
            title: `Add ${line}`,
            code: IssueCodes.ImportMissing,
            preferred: true,
            split: false,
            changes: [importInsertion(e, imp, line)]
        }
    ];
}

/**
 * The change that adds the import statement `line` after the import `after`, among the imports:
 * on a line of its own after `after`'s line when nothing but a line comment follows it there;
 * when an element follows on the same line (`import "a.dcplan" host hv1 { … }`), the new import
 * goes between them, and the element on a line of its own after it.
 */
function importInsertion(e: Editor, after: AstNode, line: string): TextChange {
    const cst = after.$cstNode!;
    const indent = e.indentAt(cst.offset);
    const element = e.key(after);
    const lineEnd = e.lineEnd(cst.end);
    const rest = e.text.slice(cst.end, lineEnd);
    if (/^[ \t]*((\/\/|#).*)?$/.test(rest)) {
        return { start: lineEnd, end: lineEnd, newText: `${e.eol}${indent}${line}`, element };
    }
    // Something else on the line: the new import right after this one, and what followed on a
    // new line (blanks between them replaced; a block comment stays where it was).
    const gap = /^[ \t]*/.exec(rest)![0].length;
    const next = e.text.slice(cst.end + gap);
    if (next.startsWith('/*'))
        return { start: cst.end, end: cst.end, newText: `${e.eol}${indent}${line}`, element };
    return {
        start: cst.end,
        end: cst.end + gap,
        newText: `${e.eol}${indent}${line}${e.eol}${indent}`,
        element
    };
}

/** The imports family: `import-missing`. */
export const importFixProviders: FixProviders<'import-missing'> = {
    'import-missing': (e, data, diagnostic) => importFixes(e, diagnostic, data)
};
