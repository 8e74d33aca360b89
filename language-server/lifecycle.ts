/**
 * The LSP lifecycle rules the library leaves to the server (LSP 3.17, "Server lifecycle"): a
 * request that comes before `initialize` is answered with the error -32002 (server not
 * initialized) and a notification then is dropped (`exit` excepted); a request after `shutdown`
 * is answered with InvalidRequest. Without them a hover sent before `initialize` waited for it
 * (a client that pipelines got an answer it did not expect), and one sent after `shutdown` was
 * served by a server on its way out.
 *
 * A standard request whose params are not the object the protocol gives it (`null`, a number, a
 * `textDocument` without a string `uri`, a hover without a `position`, a code action with
 * `range: null`) is answered with InvalidParams saying so: the library's handlers read them as
 * given (`params: null` answered -32603 "Cannot read properties of null").
 *
 * The gate is a `MessageStrategy` of the JSON-RPC connection: it sees every incoming message
 * before dispatch. A refused request is dispatched as a request of `REFUSED_METHOD` (same id)
 * whose handler answers the error, so that the answer goes through the connection as any other.
 */
import {
    ErrorCodes,
    type Message,
    type MessageStrategy,
    type NotificationMessage,
    type RequestMessage,
    ResponseError
} from 'vscode-languageserver/node.js';

/** The method a refused request is dispatched as (its handler answers the error). */
export const REFUSED_METHOD = 'dcplan/lifecycleRefused';

/** The lifecycle state the gate follows: before `initialize`, serving, after `shutdown`. */
type Phase = 'starting' | 'serving' | 'shutDown';

/** What a refused request is rewritten to carry: the answer's code and message. */
interface Refusal {
    readonly code: number;
    readonly message: string;
}

/**
 * A lifecycle gate: `strategy` for the connection's options, `register` to install the refusal
 * handler on the connection made with it (before it listens).
 */
export function lifecycleGate(): {
    readonly strategy: MessageStrategy;
    register(connection: {
        onRequest(method: string, handler: (params: unknown) => unknown): unknown;
    }): void;
} {
    let phase: Phase = 'starting';
    // the refusals the gate made: a client that sends REFUSED_METHOD itself is not answered so
    const made = new WeakSet<object>();
    const refuse = (request: RequestMessage, refusal: Refusal): RequestMessage => {
        made.add(refusal);
        return {
            jsonrpc: request.jsonrpc,
            id: request.id,
            method: REFUSED_METHOD,
            params: refusal
        };
    };
    return {
        strategy: {
            handleMessage(message: Message, next: (message: Message) => void): void {
                const m = message as Partial<RequestMessage & NotificationMessage>;
                if (typeof m.method !== 'string') return next(message); // a response
                const isRequest = m.id !== undefined && m.id !== null;
                if (phase === 'starting') {
                    if (m.method === 'initialize') {
                        phase = 'serving';
                        return next(message);
                    }
                    if (!isRequest) return m.method === 'exit' ? next(message) : undefined;
                    return next(
                        refuse(m as RequestMessage, {
                            code: ErrorCodes.ServerNotInitialized,
                            message: `the server is not initialized: ${m.method} was sent before initialize`
                        })
                    );
                }
                if (phase === 'shutDown' && isRequest)
                    return next(
                        refuse(m as RequestMessage, {
                            code: ErrorCodes.InvalidRequest,
                            message: `the server is shut down: ${m.method} was sent after shutdown`
                        })
                    );
                if (m.method === 'shutdown' && isRequest) phase = 'shutDown';
                const bad = isRequest ? paramsProblem(m.method, m.params) : undefined;
                if (bad)
                    return next(
                        refuse(m as RequestMessage, {
                            code: ErrorCodes.InvalidParams,
                            message: bad
                        })
                    );
                next(message);
            }
        },
        register(connection) {
            connection.onRequest(REFUSED_METHOD, params => {
                if (typeof params !== 'object' || params === null || !made.has(params))
                    throw new ResponseError(
                        ErrorCodes.MethodNotFound,
                        `Unhandled method ${REFUSED_METHOD}`
                    );
                const r = params as Refusal;
                throw new ResponseError(r.code, r.message);
            });
        }
    };
}

/** The standard requests whose params are an object (LSP 3.17): all but `shutdown`'s. */
const OBJECT_PARAMS =
    /^(textDocument|workspace|workspaceSymbol|completionItem|codeAction|codeLens|inlayHint|documentLink|callHierarchy|typeHierarchy)\//;

/**
 * Why `params` are not those of the standard request `method` (an object; for a
 * `textDocument/…` request one whose `textDocument` has a string `uri`), else undefined. The
 * server's own requests (`dcplan/…`) check theirs (request-params.ts).
 */
function paramsProblem(method: string, params: unknown): string | undefined {
    if (!OBJECT_PARAMS.test(method)) return undefined;
    if (typeof params !== 'object' || params === null || Array.isArray(params))
        return `${method} takes an object as params (${params === null ? 'null' : Array.isArray(params) ? 'an array' : typeof params} given)`;
    const p = params as Record<string, unknown>;
    for (const field of FIELDS[method] ?? []) {
        const bad = FIELD_RULES[field](p[field]);
        if (bad) return `${method}: ${field} ${bad}`;
    }
    if (!method.startsWith('textDocument/')) return undefined;
    const doc = p.textDocument;
    if (
        typeof doc !== 'object' ||
        doc === null ||
        typeof (doc as { uri?: unknown }).uri !== 'string'
    )
        return `${method} takes params.textDocument.uri, a string`;
    return undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
const whole = (v: unknown) => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isPosition = (v: unknown) => isObject(v) && whole(v.line) && whole(v.character);

/** The checks of the fields below: why the value is not the field's, else undefined. */
const FIELD_RULES: Record<string, (v: unknown) => string | undefined> = {
    position: v =>
        isPosition(v) ? undefined : 'must have a line and a character, whole numbers from 0',
    range: v =>
        isObject(v) && isPosition(v.start) && isPosition(v.end)
            ? undefined
            : 'must have a start and an end, each a line and a character (whole numbers from 0)',
    context: v => (isObject(v) ? undefined : 'must be an object'),
    query: v => (typeof v === 'string' ? undefined : 'must be a string'),
    newName: v => (typeof v === 'string' ? undefined : 'must be a string')
};

/**
 * The fields a standard request reads without looking (a newcomer's hover without `position`,
 * codeAction with `range: null`: -32603 "Cannot read properties of …"). Completion's position is
 * checked, with the same words, by its handler (request-params.ts: it clamps one past the end).
 */
const FIELDS: Record<string, readonly string[]> = {
    'textDocument/hover': ['position'],
    'textDocument/definition': ['position'],
    'textDocument/declaration': ['position'],
    'textDocument/typeDefinition': ['position'],
    'textDocument/implementation': ['position'],
    'textDocument/references': ['position'],
    'textDocument/documentHighlight': ['position'],
    'textDocument/signatureHelp': ['position'],
    'textDocument/prepareRename': ['position'],
    'textDocument/rename': ['position', 'newName'],
    'textDocument/onTypeFormatting': ['position'],
    'textDocument/codeAction': ['range', 'context'],
    'textDocument/inlayHint': ['range'],
    'textDocument/rangeFormatting': ['range'],
    'workspace/symbol': ['query']
};
