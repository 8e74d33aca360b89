/**
 * Waiting for one document, not the workspace. After the first open, Langium's update validates
 * every plan of the workspace that was only indexed so far; a request about one document that
 * waited for the whole workspace (`waitUntil(Validated)` without a URI) waited for all of them —
 * a repository with a hundred fixture plans kept `dcplan/report` unanswered for minutes.
 */
import { type Cancellation, DocumentState, type URI } from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import { LSPErrorCodes, ResponseError } from 'vscode-languageserver';

/**
 * The refusal of a request about a plan that is neither open nor a file of the workspace
 * (docs/lsp.md): RequestFailed (-32803) with `no document <uri>: …`, an error the client shows.
 */
export function noDocumentError(uri: URI | string): ResponseError<void> {
    return new ResponseError(
        LSPErrorCodes.RequestFailed,
        `no document ${uri.toString()}: it is not open, and no plan of the workspace has that name`
    );
}

/**
 * Resolves once the document at `uri` is validated. A document the workspace does not hold yet
 * but the client has open (its first build is still to come) waits for the builder to reach the
 * validated state, as before; a file that is not a plan resolves at once. Never rejects: on
 * cancellation, or when Langium says the document was left out of validation, it resolves and
 * the caller answers with what it has.
 */
export async function untilValidated(
    shared: LangiumSharedServices,
    uri: URI,
    token?: Cancellation.CancellationToken
): Promise<void> {
    // a file that is not a plan is never built (plan-files.ts): nothing to wait for
    if (!shared.ServiceRegistry.hasServices(uri)) return;
    const builder = shared.workspace.DocumentBuilder;
    const known = shared.workspace.LangiumDocuments.hasDocument(uri);
    const open = shared.workspace.TextDocuments?.get(uri.toString()) !== undefined;
    try {
        if (known) await builder.waitUntil(DocumentState.Validated, uri, token);
        else if (open) await builder.waitUntil(DocumentState.Validated, token);
    } catch {
        // cancelled, or not to be validated: the caller answers from what exists
    }
}

/**
 * Whether `uri` names a plan (a `.dcplan` the server would parse) that is neither open nor a file
 * of the workspace: a request about it is refused (`noDocumentError`); a file that is not a plan
 * is answered as such instead.
 */
export function isUnknownPlan(shared: LangiumSharedServices, uri: URI): boolean {
    return (
        shared.ServiceRegistry.hasServices(uri) &&
        !shared.workspace.LangiumDocuments.hasDocument(uri)
    );
}
