/**
 * The VS Code extension: starts the dcplan language server (dist/language-server.cjs) over Node
 * IPC and registers the preview. Thin on purpose: the language features live in the server.
 */
import * as vscode from 'vscode';
import {
    LanguageClient,
    TransportKind,
    type LanguageClientOptions,
    type Middleware,
    type ServerOptions
} from 'vscode-languageclient/node.js';
import { PreviewManager } from './preview.js';
import { SHOW_INSTANCES_COMMAND } from '../protocol.js';
import { padHoverTables } from './hover-tables.js';
import { quietWhenStopped } from './quiet-when-stopped.js';
import type { Location, Position } from 'vscode-languageclient';
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
        debug: {
            module: serverModule,
            transport: TransportKind.ipc,
            options: { execArgv: ['--nolazy', '--inspect=6019'] }
        }
    };
    const clientOptions: LanguageClientOptions = {
        // Every scheme: saved files, untitled documents, other file systems.
        documentSelector: [{ language: 'dcplan' }],
        // day 2 (issue 12): a plan is placed from the lock beside it
        synchronize: {
            fileEvents: [
                vscode.workspace.createFileSystemWatcher('**/*.dcplan'),
                vscode.workspace.createFileSystemWatcher('**/*.dcplan.lock')
            ]
        },
        // quiet while stopping (a window reload): no "provider FAILED / Starting server failed"
        middleware: quietWhenStopped<Middleware>(
            {
                // VS Code draws hover tables without cell padding (hover-tables.ts)
                provideHover: async (document, position, token, next) => {
                    const hover = await next(document, position, token);
                    if (!hover) return hover;
                    const contents = hover.contents.map(c => {
                        if (!(c instanceof vscode.MarkdownString)) return c;
                        const padded = new vscode.MarkdownString(
                            padHoverTables(c.value),
                            c.supportThemeIcons
                        );
                        padded.isTrusted = c.isTrusted;
                        padded.supportHtml = c.supportHtml;
                        return padded;
                    });
                    return new vscode.Hover(contents, hover.range);
                },
                // The code lenses' command shows its locations in a references peek here; other
                // clients have the server execute it.
                executeCommand: async (command, args, next) => {
                    if (command !== SHOW_INSTANCES_COMMAND || !client) return next(command, args);
                    const [uri, position, locations] = args as [string, Position, Location[]];
                    const p2c = client.protocol2CodeConverter;
                    return vscode.commands.executeCommand(
                        'editor.action.showReferences',
                        p2c.asUri(uri),
                        p2c.asPosition(position),
                        locations.map(l => p2c.asLocation(l))
                    );
                }
            },
            () => client?.isRunning() ?? false
        )
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
    const stopping = client;
    client = undefined;
    // A client still starting (a reload right after activation) or whose start failed has no
    // connection to stop: stop() would throw "Client is not running and can't be stopped".
    if (stopping?.isRunning()) await stopping.stop();
}
