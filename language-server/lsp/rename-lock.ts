/**
 * Rename carried into the lock files (issue 12, day 2): the lock beside a plan
 * (`plan.dcplan.lock`) records shapes, instances (`<shape>-<k>`) and hosts by name. A shape or
 * host renamed in the plan alone would make the plan read as if its locked instances were gone
 * and new ones placed (spurious moves), so the rename also edits the exact name tokens of the
 * lock of every plan that sees the renamed declaration, in the same WorkspaceEdit. A lock that
 * cannot be read or parsed (or would not read as the same lock renamed) is left as it is.
 */
import { URI, type AstNode, type LangiumDocument } from 'langium';
import type { LangiumServices } from 'langium/lsp';
import type { Position, TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { isHostName, isShape } from '../generated/ast.js';
import { expandHostName } from '../model-builder.js';
import type { DcplanServices } from '../dcplan-module.js';
import { lockRenameEdits, type LockRenames } from '../../src/planner/lock-rename.js';
import { renameTarget, seeingDocuments } from './rename-clash.js';

/**
 * What renaming `target` to `newName` renames in a lock: a shape's name, or each host a host
 * name names (a range `hv[01..04]` renamed `node` gives hv01 → node01, …); `undefined` for a
 * declaration the lock does not record (a model, the plan, a workload) or a range that does not
 * expand.
 */
function lockRenames(target: AstNode, newName: string): LockRenames | undefined {
    if (isShape(target) && target.name)
        return { shapes: new Map([[target.name, newName]]), hosts: new Map() };
    if (!isHostName(target)) return undefined;
    const before = expandHostName(target),
        after = expandHostName({ ...target, name: newName });
    if (!before || !after || before.length !== after.length) return undefined;
    return { shapes: new Map(), hosts: new Map(before.map((h, k) => [h, after[k]])) };
}

/** The LSP position of the UTF-16 offset `offset` of `text` (lines end at `\n`). */
function positionAt(text: string, offset: number): Position {
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    let character = offset - (before.lastIndexOf('\n') + 1);
    // an editor does not count a byte order mark as a character of the first line
    if (line === 0 && text.startsWith('\uFEFF')) character--;
    return { line, character };
}

/**
 * Adds to `edit` (the rename's WorkspaceEdit of the name at `position` of `document` to
 * `newName`) the edits of the locks that rename touches: for each plan that sees the renamed
 * shape or host, its lock as the analysis finds it (`PlanAnalyzer.lockFor`: the readable file
 * `plan.dcplan.lock` beside it), when that lock parses for the plan and carries the rename
 * exactly (`lockRenameEdits`). Returns `edit` itself, with the locks' URIs added to `changes`.
 */
export function addLockRenameEdits(
    services: LangiumServices,
    document: LangiumDocument,
    position: Position,
    newName: string,
    edit: WorkspaceEdit
): WorkspaceEdit {
    const target = renameTarget(services, document, position);
    const renames = target && lockRenames(target, newName);
    if (!target || !renames || !edit.changes) return edit;
    const analyzer = (services as DcplanServices).analysis.PlanAnalyzer;
    // the plans that place the renamed element: its own file's, and its importers'
    for (const plan of seeingDocuments(services, target)) {
        if (plan.uri.scheme !== 'file') continue;
        const source = analyzer.lockFor(plan.uri.toString());
        if (!source || source.unreadable !== undefined) continue;
        const edits = lockRenameEdits(source.text, renames, plan.uri.path.split('/').pop());
        if (!edits || edits.length === 0) continue;
        edit.changes[URI.file(source.file).toString()] = edits.map((e): TextEdit => ({
            range: {
                start: positionAt(source.text, e.start),
                end: positionAt(source.text, e.end)
            },
            newText: e.newText
        }));
    }
    return edit;
}
