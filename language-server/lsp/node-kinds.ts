/**
 * Symbol and completion kinds of dcplan's named elements, used by the outline, workspace symbols
 * and completion icons: a plan is a namespace, a workload an event, a shape a class, a model an
 * interface, a host an object.
 */
import { type AstNode, type AstNodeDescription, isAstNode } from 'langium';
import { DefaultNodeKindProvider } from 'langium/lsp';
import { CompletionItemKind, SymbolKind } from 'vscode-languageserver-types';

const SYMBOL_KINDS: Record<string, SymbolKind> = {
    Plan: SymbolKind.Namespace,
    Workload: SymbolKind.Event,
    Shape: SymbolKind.Class,
    HostModel: SymbolKind.Interface,
    Host: SymbolKind.Object,
    HostName: SymbolKind.Object,
    Deploy: SymbolKind.Array
};

const COMPLETION_KINDS: Record<string, CompletionItemKind> = {
    Plan: CompletionItemKind.Module,
    Workload: CompletionItemKind.Event,
    Shape: CompletionItemKind.Class,
    HostModel: CompletionItemKind.Interface,
    Host: CompletionItemKind.Value,
    HostName: CompletionItemKind.Value
};

/** Langium's node-kind provider with a kind per dcplan element type. */
export class DcplanNodeKindProvider extends DefaultNodeKindProvider {
    override getSymbolKind(node: AstNode | AstNodeDescription): SymbolKind {
        return SYMBOL_KINDS[typeOf(node)] ?? super.getSymbolKind(node);
    }

    override getCompletionItemKind(node: AstNode | AstNodeDescription): CompletionItemKind {
        return COMPLETION_KINDS[typeOf(node)] ?? super.getCompletionItemKind(node);
    }
}

function typeOf(node: AstNode | AstNodeDescription): string {
    return isAstNode(node) ? node.$type : node.type;
}
