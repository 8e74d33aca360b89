/**
 * The client's own URI strings in what the server sends. Langium keys documents by the normalized
 * form of a URI (`file:///caf%C3%A9.dcplan`); a client that sent `file:///caf%c3%a9.dcplan`
 * compares strings, and found no diagnostics for its document under the normalized one (Neovim,
 * eglot). For each document the client opens, the server remembers the client's string when it
 * differs from the normalized one, and answers with it: in `publishDiagnostics`, in the other
 * notifications, in the results of dcplan's requests and of the LSP providers that return
 * locations or edits (definition, references, rename, code actions, code lenses, document links).
 */
import { URI } from 'langium';
import type { Connection } from 'vscode-languageserver';

/** Normalized URI → the client's string, for open documents whose strings differ. */
const clientStrings = new Map<string, string>();

/** The normalized form of a URI string, as Langium keys documents (`URI.parse(uri).toString()`). */
export function normalizeUri(uri: string): string {
    try {
        return URI.parse(uri).toString();
    } catch {
        return uri;
    }
}

/** Remembers the URI string a client used for a document it opened. */
export function rememberClientUri(uri: string): void {
    const normalized = normalizeUri(uri);
    if (normalized !== uri) clientStrings.set(normalized, uri);
    else clientStrings.delete(normalized);
}

/** Forgets the string of a document the client closed. */
export function forgetClientUri(uri: string): void {
    clientStrings.delete(normalizeUri(uri));
}

/** The client's string for a URI (normalized or not); the URI as given when the client has none. */
export function clientUri(uri: string): string {
    return clientStrings.get(uri) ?? clientStrings.get(normalizeUri(uri)) ?? uri;
}

/**
 * `value` with every string and every object key that is the normalized URI of an open
 * document replaced by the client's string (a copy; `value` itself when there is none to replace).
 * Only plain objects and arrays are walked.
 */
export function toClientUris<T>(value: T): T {
    if (clientStrings.size === 0) return value;
    const walk = (v: unknown): unknown => {
        if (typeof v === 'string') return clientStrings.get(v) ?? v;
        if (Array.isArray(v)) return v.length > 0 && typeof v[0] === 'number' ? v : v.map(walk);
        if (typeof v === 'object' && v !== null && Object.getPrototypeOf(v) === Object.prototype) {
            const out: Record<string, unknown> = {};
            for (const [k, x] of Object.entries(v)) out[clientStrings.get(k) ?? k] = walk(x);
            return out;
        }
        return v;
    };
    return walk(value) as T;
}

/** The provider methods whose results hold URIs (locations, workspace edits, command arguments). */
const URI_RESULT_METHODS = [
    'getDefinition',
    'findReferences',
    'rename',
    'getCodeActions',
    'provideCodeLens',
    'resolveCodeLens',
    'getDocumentLinks',
    'executeCommand'
];

/**
 * Registers the translation on a server's connection and its LSP providers (`services.lsp` and
 * the shared `lsp` services): call before the server listens and before the other handlers are
 * registered (it wraps `onDidOpenTextDocument`, `onDidCloseTextDocument`, `onRequest`,
 * `sendDiagnostics` and `sendNotification`).
 */
export function registerClientUris(connection: Connection, ...providers: object[]): void {
    const onOpen = connection.onDidOpenTextDocument.bind(connection);
    connection.onDidOpenTextDocument = handler =>
        onOpen(params => {
            rememberClientUri(params.textDocument.uri);
            return handler(params);
        });
    const onClose = connection.onDidCloseTextDocument.bind(connection);
    connection.onDidCloseTextDocument = handler =>
        onClose(params => {
            // the handler clears the document's diagnostics, under the client's string
            try {
                return handler(params);
            } finally {
                forgetClientUri(params.textDocument.uri);
            }
        });
    const sendDiagnostics = connection.sendDiagnostics.bind(connection);
    connection.sendDiagnostics = params =>
        sendDiagnostics({ ...params, uri: clientUri(params.uri) });
    const sendNotification = connection.sendNotification.bind(connection) as (
        ...args: unknown[]
    ) => Promise<void>;
    (connection as { sendNotification: unknown }).sendNotification = (
        type: unknown,
        ...params: unknown[]
    ) => sendNotification(type, ...params.map(toClientUris));
    const onRequest = connection.onRequest.bind(connection) as (...args: unknown[]) => unknown;
    (connection as { onRequest: unknown }).onRequest = (...args: unknown[]) => {
        const handler = args[args.length - 1];
        if (typeof handler !== 'function') return onRequest(...args);
        const translated = (...params: unknown[]) => {
            const result = (handler as (...a: unknown[]) => unknown)(...params);
            return result instanceof Promise ? result.then(toClientUris) : toClientUris(result);
        };
        return onRequest(...args.slice(0, -1), translated);
    };
    for (const lsp of providers) {
        for (const provider of Object.values(lsp)) {
            if (typeof provider !== 'object' || provider === null) continue;
            const target = provider as Record<string, unknown>;
            for (const method of URI_RESULT_METHODS) {
                const original = target[method];
                if (typeof original !== 'function') continue;
                target[method] = function (this: unknown, ...params: unknown[]): unknown {
                    const result = (original as (...a: unknown[]) => unknown).apply(this, params);
                    return result instanceof Promise
                        ? result.then(toClientUris)
                        : toClientUris(result);
                };
            }
        }
    }
}
