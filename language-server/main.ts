/**
 * The dcplan language server: serves LSP over stdio (`--stdio`, for Neovim, Helix and other
 * editors) or Node IPC (`--node-ipc`, as VS Code starts it). After each validation it sends
 * `dcplan/reportChanged`, and answers `dcplan/report` with the plan report (src/protocol.ts).
 */
import { DocumentState, EmptyFileSystem, URI } from 'langium';
import { startLanguageServer } from 'langium/lsp';
import { PlanFileSystem } from './plan-file-system.js';
import { createConnection, ProposedFeatures } from 'vscode-languageserver/node.js';
import { createDcplanServices } from './dcplan-module.js';
import { ReportService } from './report-service.js';
import { registerLocate } from './locate.js';
import { registerImportLoader } from './import-loader.js';
import { ReportChangedNotification, ReportRequest, type ReportParams } from '../src/protocol.js';
import { checkedParams, uriField } from './request-params.js';
import { registerOptimal } from './optimal.js';
import { enableDeferredExactFallback } from '../src/planner/exact-deferred.js';
import { logInternalError } from './overrides/containment.js';
import { registerPublishing } from './overrides/publishing.js';
import { registerOpenFirst } from './open-first.js';
import { registerWorkspaceSymbols } from './lsp/symbols.js';
import { normalizeUri, registerClientUris } from './client-uris.js';
import { registerSaveLock } from './save-lock.js';
import { isUnknownPlan, noDocumentError, untilValidated } from './wait-document.js';
import { registerExactFallback } from './exact-fallback.js';
import { preferBaselineWasm } from './baseline-wasm.js';
import { DcplanDocumentUpdateHandler } from './overrides/document-update-handler.js';
import { answerPlansOnly } from './plans-only.js';
import { lifecycleGate } from './lifecycle.js';

const lifecycle = lifecycleGate();
const connection = createConnection(ProposedFeatures.all, {
    messageStrategy: lifecycle.strategy
});
lifecycle.register(connection);
// The last line of containment: a rejection nobody awaited is logged, the server keeps serving.
process.on('unhandledRejection', err => logInternalError('serving', err));
const { shared, Dcplan } = createDcplanServices({
    connection,
    ...(process.env.DCPLAN_NO_FS ? EmptyFileSystem : PlanFileSystem)
});
// answers carry the client's own URI strings (before the handlers below are registered)
registerClientUris(connection, Dcplan.lsp, shared.lsp);
const reports = new ReportService(Dcplan);

shared.workspace.DocumentBuilder.onDocumentPhase(DocumentState.Validated, document => {
    if (document.textDocument.languageId !== 'dcplan' && !document.uri.path.endsWith('.dcplan'))
        return;
    const result = reports.update(document);
    void connection.sendNotification(ReportChangedNotification, {
        uri: result.uri,
        version: result.version
    });
});
// A closed document goes back to its file on disk, or leaves the workspace when it has none
// (DcplanDocumentUpdateHandler.didCloseDocument).
shared.workspace.TextDocuments.onDidClose(e => reports.forget(e.document.uri));

connection.onRequest(ReportRequest, async (received, token) => {
    const params = checkedParams<ReportParams>(ReportRequest.method, received, { uri: uriField });
    const uri = URI.parse(normalizeUri(params.uri));
    await untilValidated(shared, uri, token);
    // a plan neither open nor on disk: refused as other requests about it are; a file that is
    // not a plan (never parsed) answers `report: null`
    if (isUnknownPlan(shared, uri)) throw noDocumentError(params.uri);
    return (
        reports.get(normalizeUri(params.uri)) ?? {
            uri: params.uri,
            version: 0,
            report: null,
            stale: false
        }
    );
});

// not a plan (plan-files.ts): every feature answers null, as Langium's own handlers do
answerPlansOnly(connection, uri => shared.ServiceRegistry.hasServices(uri));
registerLocate(connection, shared.workspace.LangiumDocuments);
const importLoader = registerImportLoader(shared);
registerPublishing(connection, shared);
// diagnostics of a document validated before its imports on disk were loaded are held back: the
// loader's rebuild publishes the right ones (import-loader.ts); an empty list always goes out
const publish = connection.sendDiagnostics.bind(connection);
connection.sendDiagnostics = params =>
    params.diagnostics.length > 0 && importLoader.awaitingImports(params.uri)
        ? Promise.resolve()
        : publish(params);
registerOpenFirst(shared);
registerWorkspaceSymbols(shared);
registerOptimal(connection, shared, Dcplan);
registerSaveLock(connection, shared, Dcplan);
// while typing, an edit that leaves the model as it was is not placed again
Dcplan.analysis.PlanAnalyzer.reuseByModel = true;

// The planner's exact fallback for small plans runs in the solver's worker, never during a
// validation (a hard plan's MILP takes seconds, and every request would wait for it): `place`
// gives the heuristic's placement at once, and the open documents whose fallback was left for
// later are validated again when the worker's plan is there (exact-fallback.ts). Its final
// answer is the CLI's: the same placement under any load (issue 15).
preferBaselineWasm();
enableDeferredExactFallback();
const updates = shared.lsp.DocumentUpdateHandler;
if (!(updates instanceof DcplanDocumentUpdateHandler))
    throw new Error('dcplan: the exact fallback needs the services of createDcplanServices');
// a multi-root window: folders added or removed after `initialize`
let foldersFollowed = false;
shared.lsp.LanguageServer.onInitialize(params => {
    foldersFollowed = params.capabilities.workspace?.workspaceFolders === true;
});
shared.lsp.LanguageServer.onInitialized(() => {
    // only a client that has workspace folders sends their changes (the library throws otherwise)
    if (!foldersFollowed) return;
    connection.workspace.onDidChangeWorkspaceFolders(event => {
        updates
            .didChangeWorkspaceFolders(event)
            .catch(err => logInternalError('following the workspace folders', err));
    });
});
registerExactFallback(
    shared,
    Dcplan.analysis.PlanAnalyzer,
    uris => updates.sendUpdate(uris, []),
    message => connection.console.log(message)
);
startLanguageServer(shared);
