/**
 * Langium's language server with the kinds of dcplan's code actions in its capabilities
 * (`codeActionProvider.codeActionKinds`): clients that filter by kind — "Fix All" on save
 * (`editor.codeActionsOnSave: { "source.fixAll": "explicit" }`), Neovim's `vim.lsp.buf.code_action`
 * with `only`, eglot, Helix — then know that the server has quick-fixes and the fix-all action
 * (`source.fixAll.dcplan`, or `source.fixAll` when asked for by that kind).
 */
import { DefaultLanguageServer } from 'langium/lsp';
import {
    CodeActionKind,
    type InitializeParams,
    type InitializeResult
} from 'vscode-languageserver';
import { FIX_ALL_KIND } from './code-actions.js';

/**
 * The code action kinds the server returns: quick-fixes and fix-all, under dcplan's own kind and
 * under the plain `source.fixAll` (Emacs eglot and Helix match the kinds they ask for exactly).
 */
export const CODE_ACTION_KINDS: readonly string[] = [
    CodeActionKind.QuickFix,
    CodeActionKind.SourceFixAll,
    FIX_ALL_KIND
];

export class DcplanLanguageServer extends DefaultLanguageServer {
    protected override buildInitializeResult(params: InitializeParams): InitializeResult {
        const result = super.buildInitializeResult(params);
        if (result.capabilities.codeActionProvider)
            result.capabilities.codeActionProvider = { codeActionKinds: [...CODE_ACTION_KINDS] };
        // folders added or removed later are followed (DcplanDocumentUpdateHandler)
        result.capabilities.workspace = {
            ...result.capabilities.workspace,
            workspaceFolders: { supported: true, changeNotifications: true }
        };
        return result;
    }
}
