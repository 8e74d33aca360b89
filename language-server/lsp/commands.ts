/**
 * The commands the server executes (`workspace/executeCommand`, listed in the capabilities'
 * `executeCommandProvider`): `dcplan.showInstances`, the command of the code lenses, so that a
 * client without dcplan's extension (Neovim, eglot) can run a lens. VS Code's client runs it
 * itself (a references peek, src/extension/main.ts).
 */
import {
    AbstractExecuteCommandHandler,
    type ExecuteCommandAcceptor,
    type LangiumSharedServices
} from 'langium/lsp';
import {
    type CancellationToken,
    type Location,
    ResponseError,
    ErrorCodes,
    ShowDocumentRequest
} from 'vscode-languageserver';
import { SHOW_INSTANCES_COMMAND } from '../../src/protocol.js';

const isPosition = (p: unknown): boolean =>
    typeof p === 'object' &&
    p !== null &&
    Number.isInteger((p as { line?: unknown }).line) &&
    Number.isInteger((p as { character?: unknown }).character);
const isRange = (r: unknown): boolean =>
    typeof r === 'object' &&
    r !== null &&
    isPosition((r as { start?: unknown }).start) &&
    isPosition((r as { end?: unknown }).end);
const isLocation = (l: unknown): l is Location =>
    typeof l === 'object' &&
    l !== null &&
    typeof (l as { uri?: unknown }).uri === 'string' &&
    isRange((l as { range?: unknown }).range);

/** Executes dcplan's commands for clients that ask the server to. */
export class DcplanExecuteCommandHandler extends AbstractExecuteCommandHandler {
    private showDocument = false;

    constructor(private readonly shared: LangiumSharedServices) {
        super();
        shared.lsp.LanguageServer.onInitialize(params => {
            this.showDocument = params.capabilities.window?.showDocument?.support === true;
        });
    }

    /**
     * Langium's, except that a command this server does not execute is a JSON-RPC error
     * (`InvalidParams`, naming the command and the ones it executes), not a `null` result that a
     * client would take for success.
     * @throws ResponseError for an unknown command, or the wrong arguments of a known one
     */
    override async executeCommand(
        name: string,
        args: unknown[],
        cancelToken?: CancellationToken
    ): Promise<unknown> {
        if (!this.commands.includes(name))
            throw new ResponseError(
                ErrorCodes.InvalidParams,
                `unknown command '${name}': this server executes ${this.commands.join(', ')}`
            );
        return super.executeCommand(name, args, cancelToken);
    }

    registerCommands(accept: ExecuteCommandAcceptor): void {
        // [uri, position, locations]: opens the first location (when the client can be asked
        // to), answers with the locations.
        accept(SHOW_INSTANCES_COMMAND, async (args: unknown[]) => {
            const [uri, position, locations] = args ?? [];
            if (
                typeof uri !== 'string' ||
                !isPosition(position) ||
                !Array.isArray(locations) ||
                !locations.every(isLocation)
            ) {
                throw new ResponseError(
                    ErrorCodes.InvalidParams,
                    `${SHOW_INSTANCES_COMMAND} takes [uri, position, locations]`
                );
            }
            const first = locations[0];
            const connection = this.shared.lsp.Connection;
            if (first && this.showDocument && connection) {
                await connection.sendRequest(ShowDocumentRequest.type, {
                    uri: first.uri,
                    takeFocus: true,
                    selection: first.range
                });
            }
            return locations;
        });
    }
}
