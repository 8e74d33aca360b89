/**
 * Containment of unexpected exceptions (spec, "Checks": `internal-error`). A bug in a build
 * phase (parsing, indexing, scoping, linking, the reference index), in a validation check or in a
 * listener of the builder must not take the language server down, nor stop the other documents
 * of the build: the document gets one `internal-error` diagnostic (the message of the exception),
 * the stack goes to the log (the server's `connection.console`; in the CLI only with
 * `DCPLAN_DEBUG=1`), and the next build and the next request run as usual.
 */
import {
    type AstNode,
    Cancellation,
    DefaultDocumentBuilder,
    DefaultWorkspaceManager,
    DocumentState,
    isOperationCancelled,
    OperationCancelled,
    type LangiumDocument,
    type LangiumSharedCoreServices,
    type FileSystemNode,
    type Stream,
    URI,
    UriUtils
} from 'langium';
import type { Disposable, DocumentBuildListener, DocumentPhaseListener } from 'langium';
import type { Diagnostic } from 'vscode-languageserver-types';
import { ResponseError } from 'vscode-languageserver';
import { IssueCodes } from '../../src/planner/findings.js';
import { isScannedEntry } from '../plan-files.js';
import { noDocumentError } from '../wait-document.js';

/** Where the stacks of contained exceptions go: a line of text per call. */
export type InternalErrorLog = (text: string) => void;

/** Stacks to stderr when `DCPLAN_DEBUG` is set (the CLI, tests), else nowhere: the diagnostic says what failed. */
let log: InternalErrorLog = text => {
    if (process.env.DCPLAN_DEBUG) console.error(text);
};

/** Sends the stacks of contained exceptions to `to` (the language server's `connection.console.error`); returns the log it replaces. */
export function setInternalErrorLog(to: InternalErrorLog): InternalErrorLog {
    const previous = log;
    log = to;
    return previous;
}

/** Logs a contained exception with its stack: `dcplan internal error while <doing>: <stack>`. */
export function logInternalError(doing: string, err: unknown): void {
    try {
        log(
            `dcplan internal error while ${doing}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`
        );
    } catch {
        // a failing log must not become the next exception
    }
}

/** The exception in one line: `TypeError: Path must be a string`. */
export function describeError(err: unknown): string {
    if (err instanceof Error) return `${err.name}: ${err.message}`.split(/\r?\n/)[0];
    return String(err).split(/\r?\n/)[0];
}

/** What a build phase does, in words, by the state it brings a document to. */
const PHASES: Partial<Record<DocumentState, string>> = {
    [DocumentState.Parsed]: 'parsing',
    [DocumentState.IndexedContent]: 'indexing',
    [DocumentState.ComputedScopes]: 'computing scopes',
    [DocumentState.Linked]: 'linking',
    [DocumentState.IndexedReferences]: 'indexing references',
    [DocumentState.Validated]: 'checking'
};

/**
 * The `internal-error` diagnostic (an error): `message` names what failed and the exception; it
 * is on `range` (a node's), else on the first character of the file.
 */
export function internalErrorDiagnostic(message: string, range?: Diagnostic['range']): Diagnostic {
    return {
        severity: 1,
        code: IssueCodes.InternalError,
        source: 'dcplan',
        message: `internal error of the dcplan checker ${message}: the other diagnostics of this file may be incomplete (please report it)`,
        range: range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        data: { code: IssueCodes.InternalError }
    };
}

/** A build phase's failure on one document: the first since the document was last reset. */
interface Failure {
    readonly state: DocumentState;
    readonly message: string;
}

/**
 * Langium's document builder with every phase of every document, and every listener, contained:
 * an exception (not a cancellation) is logged and remembered for the document, the phase counts
 * as done and the build goes on; the document's validation then adds one `internal-error`. A
 * validation that throws gives that one diagnostic alone. Checks that throw are reported by the
 * validation registry as `internal-error` too (`DcplanValidationRegistry`): at most one is kept
 * per document, the first.
 */
export class DcplanDocumentBuilder extends DefaultDocumentBuilder {
    private readonly failures = new Map<string, Failure>();

    /**
     * Set by `registerPublishing` on a server's builder (publishing.ts): `beforeWait` starts the
     * build of the texts held back by the edit pause before a request waits for a document state
     * (a promise for when that build has started, `undefined` when nothing is held back);
     * `validates` tells the documents that are validated (the open ones). Unset (the CLI, the
     * tests' services), the builder is Langium's.
     */
    publishing:
        | {
              readonly beforeWait: (uri?: URI) => Promise<void> | undefined;
              readonly validates: (document: LangiumDocument) => boolean;
          }
        | undefined;

    override waitUntil(
        state: DocumentState,
        cancelToken?: Cancellation.CancellationToken
    ): Promise<void>;
    override waitUntil(
        state: DocumentState,
        uri?: URI,
        cancelToken?: Cancellation.CancellationToken
    ): Promise<URI>;
    override waitUntil(
        state: DocumentState,
        uriOrToken?: URI | Cancellation.CancellationToken,
        cancelToken?: Cancellation.CancellationToken
    ): Promise<URI | void> {
        // A document that is not a plan is never built (plan-files.ts): a request about it is
        // not kept waiting, nor answered ServerCancelled ("No document found", which clients
        // retry), but goes on to Langium's handler, which answers it as a language it has not.
        if (URI.isUri(uriOrToken) && !this.serviceRegistry.hasServices(uriOrToken))
            return Promise.resolve(uriOrToken);
        const wait = (): Promise<URI | void> =>
            URI.isUri(uriOrToken)
                ? super.waitUntil(state, uriOrToken, cancelToken)
                : this.untilBuilderState(state, uriOrToken ?? cancelToken);
        // a document the client never opened and no file of the workspace: "nothing there", an
        // error the client shows (Langium's ServerCancelled invites it to ask again)
        const go = () =>
            URI.isUri(uriOrToken) && !this.langiumDocuments.hasDocument(uriOrToken)
                ? Promise.reject(noDocumentError(uriOrToken))
                : wait();
        const started = this.publishing?.beforeWait(URI.isUri(uriOrToken) ? uriOrToken : undefined);
        return started ? started.then(go) : go();
    }

    /** Requests waiting for the workspace to reach a state (`untilBuilderState`). */
    private readonly stateWaiters: { state: DocumentState; resolve: () => void }[] = [];

    /**
     * Resolves once the workspace has reached `state` (Langium's `awaitBuilderState`, without its
     * race): Langium notifies a phase's build listeners from a copy of its list and only then
     * sets the builder's state, so a request that began waiting while a listener of that phase
     * was running (the edit pause waited in one, publishing.ts) was left out and waited for the
     * next build — references, highlight and rename typed after a hover went unanswered until
     * the next keystroke. Here the waiters are resolved after each phase's listeners.
     */
    private untilBuilderState(
        state: DocumentState,
        cancelToken: Cancellation.CancellationToken = Cancellation.CancellationToken.None
    ): Promise<void> {
        if (this.currentState >= state) return Promise.resolve();
        if (cancelToken.isCancellationRequested) return Promise.reject(OperationCancelled);
        return new Promise((resolve, reject) => {
            const waiter = {
                state,
                resolve: () => {
                    cancel.dispose();
                    resolve();
                }
            };
            const cancel = cancelToken.onCancellationRequested(() => {
                const i = this.stateWaiters.indexOf(waiter);
                if (i >= 0) this.stateWaiters.splice(i, 1);
                cancel.dispose();
                reject(OperationCancelled);
            });
            this.stateWaiters.push(waiter);
        });
    }

    protected override async notifyBuildPhase(
        documents: LangiumDocument[],
        state: DocumentState,
        cancelToken: Cancellation.CancellationToken
    ): Promise<void> {
        await super.notifyBuildPhase(documents, state, cancelToken);
        // the builder's state becomes `state` as soon as this returns (a phase with no document
        // too): its waiters go on
        for (let i = this.stateWaiters.length - 1; i >= 0; i--) {
            const w = this.stateWaiters[i];
            if (w.state > state) continue;
            this.stateWaiters.splice(i, 1);
            w.resolve();
        }
    }

    protected override shouldValidate(document: LangiumDocument): boolean {
        return super.shouldValidate(document) && (this.publishing?.validates(document) ?? true);
    }

    constructor(services: LangiumSharedCoreServices) {
        super(services);
    }

    private fail(document: LangiumDocument, state: DocumentState, err: unknown): void {
        const doing = `${PHASES[state] ?? 'building'} ${document.uri.toString()}`;
        logInternalError(doing, err);
        const key = document.uri.toString();
        if (!this.failures.has(key))
            this.failures.set(key, {
                state,
                message: `while ${PHASES[state] ?? 'building'} (${describeError(err)})`
            });
    }

    protected override async runCancelable(
        documents: LangiumDocument[],
        targetState: DocumentState,
        cancelToken: Cancellation.CancellationToken,
        callback: (document: LangiumDocument) => unknown
    ): Promise<void> {
        return super.runCancelable(documents, targetState, cancelToken, async document => {
            try {
                await callback(document);
            } catch (err) {
                if (isOperationCancelled(err)) throw err;
                this.fail(document, targetState, err);
            }
        });
    }

    protected override async validate(
        document: LangiumDocument,
        cancelToken: Cancellation.CancellationToken
    ): Promise<void> {
        try {
            await super.validate(document, cancelToken);
        } catch (err) {
            if (isOperationCancelled(err)) throw err;
            logInternalError(`checking ${document.uri.toString()}`, err);
            document.diagnostics = [
                internalErrorDiagnostic(`while checking (${describeError(err)})`)
            ];
            return;
        }
        const diagnostics = document.diagnostics ?? [];
        const failure = this.failures.get(document.uri.toString());
        // one internal-error per document: a phase's failure first, else the first failing check
        let kept = failure !== undefined;
        const out: Diagnostic[] = failure ? [internalErrorDiagnostic(failure.message)] : [];
        for (const d of diagnostics) {
            if (d.code === IssueCodes.InternalError) {
                if (kept) continue;
                kept = true;
            }
            out.push(d);
        }
        document.diagnostics = out;
    }

    override resetToState<T extends AstNode>(
        document: LangiumDocument<T>,
        state: DocumentState
    ): void {
        const failure = this.failures.get(document.uri.toString());
        // the failed phase runs again: its failure is forgotten until it fails again
        if (failure && failure.state > state) this.failures.delete(document.uri.toString());
        try {
            super.resetToState(document, state);
        } catch (err) {
            // unlinking a half-built document: it is rebuilt from `state` all the same
            logInternalError(`resetting ${document.uri.toString()}`, err);
            if (document.state > state) document.state = state;
        }
    }

    protected override cleanUpDeleted<T extends AstNode>(document: LangiumDocument<T>): void {
        this.failures.delete(document.uri.toString());
        super.cleanUpDeleted(document);
    }

    /** Langium's test, and when it throws: relink (a document rebuilt for nothing costs less than a stale one). */
    protected override shouldRelink(document: LangiumDocument, changedUris: Set<string>): boolean {
        try {
            return super.shouldRelink(document, changedUris);
        } catch (err) {
            logInternalError(
                `finding the documents affected by a change of ${[...changedUris].join(', ')}`,
                err
            );
            return true;
        }
    }

    /** A listener's exception is logged and remembered for the document; the other listeners and the build go on. */
    override onDocumentPhase(
        targetState: DocumentState,
        callback: DocumentPhaseListener
    ): Disposable {
        return super.onDocumentPhase(targetState, async (document, cancelToken) => {
            try {
                await callback(document, cancelToken);
            } catch (err) {
                if (isOperationCancelled(err)) throw err;
                this.fail(document, targetState, err);
            }
        });
    }

    /** A listener's exception is logged; the build goes on. */
    override onBuildPhase(targetState: DocumentState, callback: DocumentBuildListener): Disposable {
        return super.onBuildPhase(targetState, async (documents, cancelToken) => {
            try {
                await callback(documents, cancelToken);
            } catch (err) {
                if (isOperationCancelled(err)) throw err;
                logInternalError(
                    `after ${PHASES[targetState] ?? 'building'} ${documents.length} document(s)`,
                    err
                );
            }
        });
    }
}

/** The entry methods of Langium's LSP providers: those a request handler calls. */
const REQUEST_METHODS = [
    'getHoverContent',
    'getCodeActions',
    'getCompletion',
    'getSymbols',
    'formatDocument',
    'formatDocumentRange',
    'formatDocumentOnType',
    'rename',
    'prepareRename',
    'findReferences',
    'getDefinition',
    'provideCodeLens',
    'resolveCodeLens',
    'getInlayHints',
    'semanticHighlight',
    'semanticHighlightRange',
    'semanticHighlightDelta',
    'getFoldingRanges',
    'getDocumentHighlight',
    'getDocumentLinks'
];

/** Errors already logged by a wrapper (an error may pass through several on its way out). */
const loggedErrors = new WeakSet<object>();

/**
 * Wraps the request entry methods of the LSP providers in `lsp` (Langium's `services.lsp`): an
 * exception (not a cancellation) is logged with its stack, once, then thrown on, so that the
 * client gets the error response Langium gives and the server goes on serving. Without it the
 * response says only the message, and the log nothing.
 */
export function containRequests(lsp: object): void {
    for (const key of Object.keys(lsp)) {
        const provider = (lsp as Record<string, unknown>)[key];
        if (typeof provider !== 'object' || provider === null) continue;
        const target = provider as Record<string, unknown>;
        for (const method of REQUEST_METHODS) {
            const original = target[method];
            if (typeof original !== 'function') continue;
            const fail = (err: unknown): never => {
                if (
                    !isOperationCancelled(err) &&
                    !(typeof err === 'object' && err !== null && loggedErrors.has(err))
                ) {
                    if (typeof err === 'object' && err !== null) loggedErrors.add(err);
                    // a ResponseError (a refused rename's name) is an answer, not a failure
                    if (!(err instanceof ResponseError))
                        logInternalError(`answering ${key}.${method}`, err);
                }
                throw err;
            };
            target[method] = function (this: unknown, ...args: unknown[]): unknown {
                try {
                    const result = (original as (...a: unknown[]) => unknown).apply(this, args);
                    return result instanceof Promise ? result.catch(fail) : result;
                } catch (err) {
                    return fail(err);
                }
            };
        }
    }
}

/**
 * Langium's workspace manager, loading the workspace's plans one by one: a file that cannot be
 * read (removed between the folder's listing and its reading, permission denied) is logged and
 * left out. Langium loads them all in one `Promise.all`: one failure rejected the startup, and
 * the workspace never became ready, so every later change and request waited for ever.
 */
export class DcplanWorkspaceManager extends DefaultWorkspaceManager {
    /** The entries the scan takes: `isScannedEntry` (plan-files.ts), which `dcplan check FOLDER` uses too. */
    override shouldIncludeEntry(entry: FileSystemNode): boolean {
        return isScannedEntry(UriUtils.basename(entry.uri), entry, () =>
            this.serviceRegistry.hasServices(entry.uri)
        );
    }

    protected override async loadWorkspaceDocuments(
        uris: Stream<URI>,
        collector: (document: LangiumDocument) => void
    ): Promise<void> {
        await Promise.all(
            uris.map(async uri => {
                let document: LangiumDocument;
                try {
                    document = await this.langiumDocuments.getOrCreateDocument(uri);
                } catch (err) {
                    logInternalError(`loading ${uri.toString()} into the workspace`, err);
                    return;
                }
                collector(document);
            })
        );
    }
}
