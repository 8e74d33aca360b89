/**
 * The LSP lifecycle rules the library leaves to the server (LSP 3.17, "Server lifecycle"): a
 * request that comes before `initialize` is answered with the error -32002 (server not
 * initialized) and a notification then is dropped (`exit` excepted); a request after `shutdown`
 * is answered with InvalidRequest. Without them a hover sent before `initialize` waited for it
 * (a client that pipelines got an answer it did not expect), and one sent after `shutdown` was
 * served by a server on its way out.
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
