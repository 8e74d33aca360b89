/**
 * How the server builds and publishes while the user types (issue 13, "latest wins" and
 * "diagnostics exact and once"):
 *
 * - A changed text is built once the edits have paused for `EDIT_DELAY_MS` (a debounce, as many
 *   language servers do), not once per edit: a burst of changes costs a text update each, and one
 *   build. A request about the documents (hover, completion, formatting, `dcplan/report`, …)
 *   does not wait for the pause: it starts the build of the pending texts at once and is answered
 *   on them (Langium's requests wait for a document state through `DocumentBuilder.waitUntil`,
 *   which starts that build first).
 * - Validation (the planner) also waits for that pause after the last edit, so a build started by
 *   a request during typing parses and links at once but validates only the text that is left
 *   standing. Langium cancels a build when the next one is asked for (its workspace lock), and the
 *   wait is where that cancellation lands: under a burst only the last text is validated.
 * - `textDocument/publishDiagnostics` carries the version of the text the diagnostics are for (the
 *   version of the open document when it was parsed), and a publish for a text that the editor
 *   has already replaced is dropped: the build of the newer text publishes.
 */
import type { Connection, PublishDiagnosticsParams } from 'vscode-languageserver';
import {
    type AstNode,
    Cancellation,
    DefaultLangiumDocumentFactory,
    DocumentState,
    interruptAndCheck,
    type LangiumDocument,
    URI
} from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import { DcplanDocumentBuilder } from './containment.js';
import { DcplanDocumentUpdateHandler } from './document-update-handler.js';

/** The version of the open text each document was last parsed from (set by `registerPublishing`). */
const parsedVersions = new WeakMap<LangiumDocument, number>();

/**
 * The version of the text `document` was parsed from: the open document's version at its last
 * parse (the editor's text may be newer while a build is pending), else its text document's.
 */
export function parsedVersion(document: LangiumDocument): number {
    return parsedVersions.get(document) ?? document.textDocument.version;
}

/**
 * Langium's document factory, recording the version of the open text each document is parsed
 * from, read when the parse reads the text (Langium's factory reads it at once and parses after):
 * at the Parsed phase an edit may already have come in, and a report of the older text went out
 * under the newer version. `openVersion` is set by `registerPublishing`; unset (the CLI, the
 * tests' services), nothing is recorded.
 */
export class DcplanDocumentFactory extends DefaultLangiumDocumentFactory {
    openVersion: ((document: LangiumDocument) => number | undefined) | undefined;

    override async update<T extends AstNode = AstNode>(
        document: LangiumDocument<T>,
        cancellationToken: Cancellation.CancellationToken
    ): Promise<LangiumDocument<T>> {
        const openVersion = this.openVersion;
        const version = openVersion?.(document);
        const updated = await super.update(document, cancellationToken);
        if (openVersion) {
            if (version !== undefined) parsedVersions.set(updated, version);
            else parsedVersions.delete(updated);
        }
        return updated;
    }
}

/** Quiet time after the last edit before a changed text is built and validated, ms: below a typist's pause between keys, long enough for a client that sends a burst of changes at once. */
export const EDIT_DELAY_MS = 40;

/**
 * The quiet time a client asks for in its `initializationOptions` (`{ "editDelay": ms }`, a whole
 * number of 0 to 2,000 ms: 0 builds and validates every change), else `undefined`.
 */
export function editDelayOption(options: unknown): number | undefined {
    const ms = (options as { editDelay?: unknown } | null | undefined)?.editDelay;
    return typeof ms === 'number' && Number.isInteger(ms) && ms >= 0 && ms <= 2000 ? ms : undefined;
}

/**
 * Registers the debounce of builds and validations after edits and the versioned publishing on a
 * server's connection and services (see the module comment). Call before the server starts
 * listening. It sets the hooks of dcplan's update handler (`updateGate`), document builder
 * (`publishing`) and document factory (`openVersion`), and wraps the connection's
 * `sendDiagnostics`. Throws when the services are not dcplan's (`createDcplanServices`).
 */
export function registerPublishing(
    connection: Connection,
    shared: LangiumSharedServices,
    defaultDelayMs = EDIT_DELAY_MS
): void {
    let delayMs = defaultDelayMs;
    shared.lsp.LanguageServer.onInitialize(params => {
        delayMs = editDelayOption(params.initializationOptions) ?? defaultDelayMs;
    });
    const builder = shared.workspace.DocumentBuilder;
    const handler = shared.lsp.DocumentUpdateHandler;
    const factory = shared.workspace.LangiumDocumentFactory;
    if (
        !(builder instanceof DcplanDocumentBuilder) ||
        !(handler instanceof DcplanDocumentUpdateHandler) ||
        !(factory instanceof DcplanDocumentFactory)
    ) {
        throw new Error('dcplan: publishing needs the services of createDcplanServices');
    }
    const send = connection.sendDiagnostics.bind(connection);
    const textDocuments = shared.workspace.TextDocuments;
    const documents = shared.workspace.LangiumDocuments;
    const lock = shared.workspace.WorkspaceLock;

    // --- the debounced build of changed texts
    let lastEdit = -Infinity;
    textDocuments?.onDidChangeContent(() => {
        lastEdit = performance.now();
    });
    const pending = new Map<string, URI>();
    let timer: NodeJS.Timeout | undefined;
    /** Requests that wait until the update of the texts they flushed has reset those documents. */
    let started: { uris: Set<string>; resolve: () => void; marked: Promise<void> }[] = [];
    /** Releases the requests waiting for one of `uris` (all of them when not given). */
    const release = (uris?: readonly URI[]) => {
        const keys = uris && new Set(uris.map(u => u.toString()));
        const [go, stay] = [
            started.filter(w => !keys || [...w.uris].some(u => keys.has(u))),
            started.filter(w => keys && ![...w.uris].some(u => keys.has(u)))
        ];
        started = stay;
        for (const w of go) w.resolve();
    };
    // The update handler's way to the builder (after its own filters): changed texts are held
    // back until the pause; deletions go at once, with what was held back.
    const fire = (changed: URI[], deleted: URI[]) => handler.sendUpdate(changed, deleted);
    /** Starts the build of the pending texts (and `deleted`); resolves once it has marked them changed. */
    const flush = (deleted: URI[] = []): Promise<void> => {
        if (timer) {
            clearTimeout(timer);
            timer = undefined;
        }
        if (pending.size === 0 && deleted.length === 0) return Promise.resolve();
        const changed = [...pending.values()];
        pending.clear();
        const uris = new Set([...changed, ...deleted].map(u => u.toString()));
        let resolve!: () => void;
        const marked = new Promise<void>(r => (resolve = r));
        started.push({ uris, resolve, marked });
        fire(changed, deleted);
        // should the update fail before it announces itself: release once the lock is free. The
        // update handler queues its write once the workspace is ready: queue this read after it.
        void shared.workspace.WorkspaceManager.ready.then(() => lock.read(() => release()));
        return marked;
    };
    // One timer for a burst (not one per edit): when it fires before the pause is over, it is set
    // again for the rest of the pause.
    const onTimer = () => {
        timer = undefined;
        const wait = lastEdit + delayMs - performance.now();
        if (wait > 1) timer = setTimeout(onTimer, wait);
        else void flush();
    };
    handler.updateGate = (changed, deleted) => {
        for (const uri of changed) pending.set(uri.toString(), uri);
        if (deleted.length > 0) {
            // A text held back for a document now deleted (opened and closed within the pause)
            // is not built: Langium deletes before it adds, and it would come back empty.
            for (const uri of deleted) {
                const key = uri.toString();
                for (const held of [...pending.keys()])
                    if (held === key || held.startsWith(key.endsWith('/') ? key : key + '/'))
                        pending.delete(held);
            }
            void flush(deleted);
            return;
        }
        timer ??= setTimeout(onTimer, delayMs);
    };
    // update() announces its changes once it has reset the documents' states
    builder.onUpdate((changed, deleted) => release([...changed, ...deleted]));

    // --- only open documents are validated
    // The workspace's other files are parsed, indexed and linked (their names, references and
    // imports serve rename, references, workspace symbols and the plans that import them), not
    // validated: the planner ran for every file of a large workspace before the open one had
    // its diagnostics (2,000 files: 21 s, 2 GB), and an update that cancelled the first build
    // validated them all again. A file is validated when it is opened; its diagnostics are
    // cleared when it is closed.
    // A request's wait (`waitUntil`) starts the build of the held-back texts first; with none
    // held back, it waits for an update already sent for its document to have reset it (a new
    // file not on disk has no document before: a second request right after `didOpen` was
    // answered "No document found" while the first one's flush was still on its way)
    builder.publishing = {
        beforeWait: uri =>
            pending.size > 0
                ? flush()
                : uri && started.find(w => w.uris.has(uri.toString()))?.marked,
        validates: document => textDocuments?.get(document.uri.toString()) !== undefined
    };
    textDocuments?.onDidClose(e => {
        const document = documents.getDocument(URI.parse(e.document.uri));
        if (document) document.diagnostics = undefined;
        void send({ uri: e.document.uri, diagnostics: [] });
    });

    // --- validation waits for the pause after the last edit
    builder.onBuildPhase(
        DocumentState.IndexedReferences,
        async (built, cancelToken = Cancellation.CancellationToken.None) => {
            if (!built.some(d => textDocuments?.get(d.uri.toString()))) return;
            for (
                let wait = lastEdit + delayMs - performance.now();
                wait > 0;
                wait = lastEdit + delayMs - performance.now()
            ) {
                // a newer build cancels this one at once (its request must not wait out the pause)
                await new Promise<void>(resolve => {
                    const done = () => {
                        clearTimeout(timer);
                        cancelled.dispose();
                        resolve();
                    };
                    const timer = setTimeout(done, wait);
                    const cancelled = cancelToken.onCancellationRequested(done);
                });
                // a newer build was asked for: this one ends here (OperationCancelled, as the lock expects)
                await interruptAndCheck(cancelToken);
            }
        }
    );

    // --- versioned publishing
    // The version is taken when the parse reads the text (Langium's factory reads it at once and
    // parses after): at the Parsed phase an edit may already have come in, and a report of the
    // older text went out under the newer version.
    factory.openVersion = document => textDocuments?.get(document.uri.toString())?.version;
    connection.sendDiagnostics = (params: PublishDiagnosticsParams) => {
        const open = textDocuments?.get(params.uri);
        const document = open && documents.getDocument(URI.parse(params.uri));
        const version = document ? parsedVersions.get(document) : undefined;
        if (open && version !== undefined && params.version === undefined) {
            // superseded: the diagnostics of the newer text come with its build
            if (open.version !== version) return Promise.resolve();
            return send({ ...params, version });
        }
        return send(params);
    };
}
