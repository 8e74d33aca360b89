/**
 * The language-feature tests' view of the real server (test/lsp/stdio-server.ts) over stdio:
 * started with given client capabilities and the repository as the root, initialized, with the
 * server-to-client requests (`window/showDocument`, `workspace/configuration`, registrations)
 * answered and `window/showDocument` recorded.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
    ShowDocumentRequest,
    type ClientCapabilities,
    type InitializeResult,
    type ProtocolConnection,
    type PublishDiagnosticsParams,
    type ShowDocumentParams
} from 'vscode-languageserver-protocol/node.js';
import { ROOT, StdioServer } from './stdio-server.js';

/** A running, initialized server and what it sent. */
export interface LanguageFeatureServer {
    readonly conn: ProtocolConnection;
    readonly init: InitializeResult;
    /** Every publishDiagnostics, by the URI string the server sent. */
    readonly published: Map<string, PublishDiagnosticsParams[]>;
    /** Every `window/showDocument` the server asked for. */
    readonly shown: ShowDocumentParams[];
    /** Waits until `check` gives a value (re-checked on each message), or throws after `ms`. */
    until<T>(what: string, check: () => T | undefined, ms?: number): Promise<T>;
    /** Opens a document and waits for its diagnostics (published under exactly `uri`). */
    open(uri: string, text: string, version?: number): Promise<PublishDiagnosticsParams>;
    stop(): Promise<void>;
}

/** Starts the server with `capabilities` (and `rootUri`, by default the repository), initialized. */
export async function startStdioServer(
    capabilities: ClientCapabilities = {},
    rootUri = pathToFileURL(ROOT).toString()
): Promise<LanguageFeatureServer> {
    const server = new StdioServer();
    const shown: ShowDocumentParams[] = [];
    // registered before any await: no message is read before then (StdioServer's constructor)
    server.conn.onRequest(ShowDocumentRequest.type, p => {
        shown.push(p);
        server.poke();
        return { success: true };
    });
    server.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) =>
        p.items.map(() => null)
    );
    server.conn.onRequest('client/registerCapability', () => null);
    server.conn.onRequest('window/workDoneProgress/create', () => null);
    const init = await server.initialize({
        rootUri,
        workspaceFolders: [{ uri: rootUri, name: path.basename(rootUri) }],
        capabilities
    });
    return {
        conn: server.conn,
        init,
        published: server.published,
        shown,
        until: (what, check, ms) => server.until(what, check, ms),
        async open(uri, text, version = 1) {
            server.published.delete(uri);
            await server.open(uri, text, version);
            return server.until(`diagnostics of ${uri}`, () =>
                server.published
                    .get(uri)
                    ?.find(p => p.version === undefined || p.version >= version)
            );
        },
        stop: () => server.stop()
    };
}

/** A fresh temporary folder of real plan files, for a server rooted there. */
export interface PlanFolder<N extends string> {
    /** The folder's `file:` URI, the root to start the server with. */
    readonly rootUri: string;
    /** The `file:` URI of `name.dcplan` in the folder. */
    uri(name: N): string;
    /** Deletes the folder and its files. */
    remove(): void;
}

/** Writes `files` (name → text) as `name.dcplan` into a new temporary folder named `prefix…`. */
export function planFolder<N extends string>(
    prefix: string,
    files: Record<N, string>
): PlanFolder<N> {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    for (const [name, text] of Object.entries<string>(files))
        writeFileSync(path.join(dir, `${name}.dcplan`), text);
    return {
        rootUri: pathToFileURL(dir).toString(),
        uri: name => pathToFileURL(path.join(dir, `${name}.dcplan`)).toString(),
        remove: () => rmSync(dir, { recursive: true, force: true })
    };
}
