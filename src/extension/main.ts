/**
 * The VS Code extension: starts the dcplan language server (dist/language-server.cjs) over Node
 * IPC and registers the preview. Thin on purpose: the language features live in the server.
 */
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node.js';
import { PreviewManager } from './preview.js';
import { registerSaveCurrentPlacement } from './save-lock.js';

let client: LanguageClient | undefined;

/** What `activate` returns: used by the extension-host tests. */
export interface DcplanExtensionApi {
    readonly client: LanguageClient;
    readonly preview: PreviewManager;
}

export async function activate(context: vscode.ExtensionContext): Promise<DcplanExtensionApi> {
    const serverModule = context.asAbsolutePath('dist/language-server.cjs');
    const serverOptions: ServerOptions = {
        run: { module: serverModule, transport: TransportKind.ipc },
        debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6019'] } }
    };
    const clientOptions: LanguageClientOptions = {
        // Every scheme: saved files, untitled documents, other file systems.
        documentSelector: [{ language: 'dcplan' }],
        // day 2 (issue 12): a plan is placed from the lock beside it
        synchronize: { fileEvents: [vscode.workspace.createFileSystemWatcher('**/*.dcplan'), vscode.workspace.createFileSystemWatcher('**/*.dcplan.lock')] }
    };
    // VS Code adds "server" to this name in its messages: "The dcplan language server crashed …".
    client = new LanguageClient('dcplan', 'dcplan language', serverOptions, clientOptions);
    const preview = new PreviewManager(context, client);
    context.subscriptions.push(preview);
    await client.start();
    preview.listen();
    registerSaveCurrentPlacement(context, client);
    return { client, preview };
}

export async function deactivate(): Promise<void> {
    await client?.stop();
    client = undefined;
}
