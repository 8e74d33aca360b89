/**
 * A rename that would make two declarations of one kind alike is refused, with the reason, as
 * gopls and rust-analyzer refuse one: the new name is already that of a shape (model, plan,
 * workload, host) in a file where the renamed one is seen — its own file, the files it imports,
 * the files that import it and the files these import — or in a file that sees it. Host names
 * are compared as the plan expands them: a name, or each name of a range (`b[1..2]`: b1, b2).
 */
import {
    type AstNode,
    AstUtils,
    CstUtils,
    type LangiumDocument,
    type LangiumDocuments,
    URI
} from 'langium';
import type { LangiumServices } from 'langium/lsp';
import type { Position } from 'vscode-languageserver';
import { visibleUris } from '../imports.js';
import { isHostName, type HostName } from '../generated/ast.js';
import { expandHostName } from '../model-builder.js';

/** The word for each kind of declaration a rename can reach. */
const KINDS: Record<string, string> = {
    Shape: 'shape',
    HostModel: 'model',
    Plan: 'plan',
    Workload: 'workload',
    HostName: 'host'
};

/** The file name and 1-based line of a node, for messages. */
function where(node: AstNode): string {
    const uri = AstUtils.getDocument(node).uri;
    return `${uri.path.slice(uri.path.lastIndexOf('/') + 1)}:${(node.$cstNode?.range.start.line ?? 0) + 1}`;
}

/** The declaration a rename at `position` of `document` renames (a name or a reference to it), if any. */
export function renameTarget(
    services: LangiumServices,
    document: LangiumDocument,
    position: Position
): AstNode | undefined {
    const root = document.parseResult.value.$cstNode;
    if (!root) return undefined;
    const leaf = CstUtils.findDeclarationNodeAtOffset(
        root,
        document.textDocument.offsetAt(position),
        services.parser.GrammarConfig.nameRegexp
    );
    return leaf && services.references.References.findDeclarations(leaf)[0];
}

/** The documents where the declaration `target` is seen: its own and those that import it directly. */
export function seeingDocuments(services: LangiumServices, target: AstNode): LangiumDocument[] {
    const documents: LangiumDocuments = services.shared.workspace.LangiumDocuments;
    const home = AstUtils.getDocument(target).uri.toString();
    return documents.all
        .filter(
            d => d.uri.toString() === home || visibleUris(d.parseResult.value, documents).has(home)
        )
        .toArray();
}

/**
 * Why renaming the name at `position` of `document` to `newName` would clash, or `undefined`
 * when it would not (or when there is no declaration there: the rename itself answers that).
 */
export function renameClash(
    services: LangiumServices,
    document: LangiumDocument,
    position: Position,
    newName: string
): string | undefined {
    const target = renameTarget(services, document, position);
    const kind = target && KINDS[target.$type];
    if (!target || !kind) return undefined;
    const oldName = (target as { name?: string }).name;
    if (oldName === newName) return undefined;
    const documents: LangiumDocuments = services.shared.workspace.LangiumDocuments;
    const seeing = seeingDocuments(services, target);
    const scope = new Set<string>();
    for (const d of seeing)
        for (const u of visibleUris(d.parseResult.value, documents)) scope.add(u);
    const hosts: HostName[] = [];
    for (const uri of scope) {
        const d = documents.hasDocument(URI.parse(uri))
            ? documents.getDocument(URI.parse(uri))
            : undefined;
        if (!d) continue;
        for (const node of AstUtils.streamAllContents(d.parseResult.value)) {
            if (isHostName(target)) {
                if (isHostName(node) && node !== target) hosts.push(node);
                continue;
            }
            if (
                node !== target &&
                node.$type === target.$type &&
                (node as { name?: string }).name === newName
            ) {
                return `cannot rename ${kind} ${oldName} to ${newName}: a ${kind} named ${newName} is already declared at ${where(node)}`;
            }
        }
    }
    return isHostName(target) ? hostClash(target, newName, hosts) : undefined;
}

/**
 * Why renaming the host name `target` (a name or the prefix of a range) to `newName` would make
 * it name a host that one of `others` (the other host names where it is seen) names, or
 * `undefined`. Hosts are compared as the plan expands them (`b[1..2]` names b1 and b2), so
 * `a1x` → `b1` beside `host b[1..2]` and the prefix `b` → `a` beside `host a1` are refused.
 */
function hostClash(
    target: HostName,
    newName: string,
    others: readonly HostName[]
): string | undefined {
    const renamed = expandHostName({ ...target, name: newName });
    if (!renamed) return undefined;
    const names = new Set(renamed);
    const range = (n: HostName) =>
        n.from !== undefined && n.to !== undefined ? (n.$cstNode?.text ?? n.name) : undefined;
    for (const other of others) {
        for (const name of expandHostName(other) ?? []) {
            if (!names.has(name)) continue;
            const by = range(other);
            const declared = `a host named ${name} is already declared at ${where(other)}${by ? ` (by the range ${by})` : ''}`;
            const mine = range(target);
            return mine
                ? `cannot rename host ${target.name} to ${newName}: the range ${mine} would then name ${name}, and ${declared}`
                : `cannot rename host ${target.name} to ${newName}: ${declared}`;
        }
    }
    return undefined;
}
