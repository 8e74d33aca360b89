/**
 * "dcplan: Save Current Placement" (issue 12, day 2): asks the language server (`dcplan/saveLock`,
 * src/protocol.ts) to write the active plan's placement to `plan.dcplan.lock` beside it, and
 * says what was written or why nothing was. Thin: the server places and writes.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import { SaveLockRequest } from '../protocol.js';
import { savedLockMessage } from './save-lock-message.js';

/** Registers the command; `target` (from a menu) or the active dcplan editor's document is saved. */
export function registerSaveCurrentPlacement(
    context: vscode.ExtensionContext,
    client: LanguageClient
): void {
    context.subscriptions.push(
        vscode.commands.registerCommand(
            'dcplan.saveCurrentPlacement',
            async (target?: vscode.Uri) => {
                const uri = target ?? vscode.window.activeTextEditor?.document.uri;
                if (!uri) {
                    void vscode.window.showWarningMessage(
                        'dcplan: open a plan to save its placement'
                    );
                    return;
                }
                const doc = vscode.workspace.textDocuments.find(
                    d => d.uri.toString() === uri.toString()
                );
                // the lock is of the plan on disk: the text the server places must be the saved one
                if (doc?.isDirty) await doc.save();
                const result = await client.sendRequest(SaveLockRequest, { uri: uri.toString() });
                if (result.error || !result.lockFile) {
                    // the server's reason is the whole sentence (it may say "no lock written"
                    // itself): said after the command's name, not after a second "no lock written"
                    void vscode.window.showErrorMessage(
                        `dcplan: Save Current Placement: ${result.error ?? 'no lock written'}`
                    );
                    return;
                }
                void vscode.window.showInformationMessage(
                    savedLockMessage(result, vscode.workspace.asRelativePath(result.lockFile))
                );
            }
        )
    );
}
