/**
 * A rename that would make two declarations of one kind alike is refused, with the reason, as
 * gopls and rust-analyzer refuse one: the new name is already that of a shape (model, plan,
 * workload, host) in a file where the renamed one is seen — its own file, the files it imports,
 * the files that import it and the files these import — or in a file that sees it.
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
    const root = document.parseResult.value.$cstNode;
    if (!root) return undefined;
    const leaf = CstUtils.findDeclarationNodeAtOffset(
        root,
        document.textDocument.offsetAt(position),
        services.parser.GrammarConfig.nameRegexp
    );
    const target = leaf && services.references.References.findDeclarations(leaf)[0];
    const kind = target && KINDS[target.$type];
    if (!target || !kind) return undefined;
    const oldName = (target as { name?: string }).name;
    if (oldName === newName) return undefined;
    const documents: LangiumDocuments = services.shared.workspace.LangiumDocuments;
    const home = AstUtils.getDocument(target).uri.toString();
    // the files where the renamed declaration is seen: its own and its importers'
    const seeing = documents.all
        .filter(
            d => d.uri.toString() === home || visibleUris(d.parseResult.value, documents).has(home)
        )
        .toArray();
    const scope = new Set<string>();
    for (const d of seeing)
        for (const u of visibleUris(d.parseResult.value, documents)) scope.add(u);
    for (const uri of scope) {
        const d = documents.hasDocument(URI.parse(uri))
            ? documents.getDocument(URI.parse(uri))
            : undefined;
        if (!d) continue;
        for (const node of AstUtils.streamAllContents(d.parseResult.value)) {
            if (
                node !== target &&
                node.$type === target.$type &&
                (node as { name?: string }).name === newName
            ) {
                return `cannot rename ${kind} ${oldName} to ${newName}: a ${kind} named ${newName} is already declared at ${where(node)}`;
            }
        }
    }
    return undefined;
}
