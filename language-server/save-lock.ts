/**
 * `dcplan/saveLock` (issue 12, day 2; src/protocol.ts): writes the current placement of a plan to
 * `plan.dcplan.lock` beside it, as `dcplan lock` does, for "dcplan: Save Current Placement".
 * A plan with errors, one that is not a file on disk (an untitled buffer, a new file not saved
 * yet) and a document that is not a `.dcplan` file get no lock (the answer says why).
 */
import { untilValidated } from './wait-document.js';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { IssueCodes } from '../src/planner/findings.js';
import { DocumentState, type LangiumDocument, URI } from 'langium';
import type { CancellationToken, Connection } from 'vscode-languageserver';
import type { LangiumSharedServices } from 'langium/lsp';
import type { DcplanServices } from './dcplan-module.js';
import { lockPathOf, notAFile, writeLockFile } from './lock-files.js';
import { isFileOnDisk, readFailure } from './plan-file-system.js';
import { lockRefusal, serialiseLock } from '../src/planner/lock.js';
import { tallyMoves } from '../src/planner/move-count.js';
import { SaveLockRequest, type SaveLockParams, type SaveLockResult } from '../src/protocol.js';
import { isPlanUri } from './plan-files.js';
import { resolveImports } from './imports.js';
import { checkedParams, uriField } from './request-params.js';

/** The dcplan version written in lock headers (as the CLI's). */
const VERSION = '0.1.0';

/** Whether an open document's text is the text of its file on disk (a leading BOM aside). */
function sameAsOnDisk(document: LangiumDocument): boolean {
    try {
        const onDisk = fs.readFileSync(document.uri.fsPath, 'utf8').replace(/^\uFEFF/, '');
        return onDisk === document.textDocument.getText().replace(/^\uFEFF/, '');
    } catch {
        return false;
    }
}

/** How long `dcplan/saveLock` waits for the exact fallback of the plan, milliseconds. */
const FALLBACK_WAIT_MS = 60_000;

/**
 * Resolves true once the plan's analysis no longer waits for the exact fallback (at once when it
 * does not), after the validation the fallback's end brings; false after `FALLBACK_WAIT_MS` or
 * when the request is cancelled.
 */
async function fallbackSettled(
    shared: LangiumSharedServices,
    Dcplan: DcplanServices,
    document: LangiumDocument,
    token: CancellationToken
): Promise<boolean> {
    const end = Date.now() + FALLBACK_WAIT_MS;
    while (Dcplan.analysis.PlanAnalyzer.analyze(document).checking) {
        const left = end - Date.now();
        if (left <= 0 || token.isCancellationRequested) return false;
        await new Promise<void>(resolve => {
            const timer = setTimeout(done, Math.min(left, 1000));
            const phase = shared.workspace.DocumentBuilder.onDocumentPhase(
                DocumentState.Validated,
                d => {
                    if (d.uri.toString() === document.uri.toString()) done();
                }
            );
            function done() {
                clearTimeout(timer);
                phase.dispose();
                resolve();
            }
        });
    }
    return true;
}

/** Registers `dcplan/saveLock` on the connection. */
export function registerSaveLock(
    connection: Connection,
    shared: LangiumSharedServices,
    Dcplan: DcplanServices
): void {
    connection.onRequest(SaveLockRequest, async (received, token): Promise<SaveLockResult> => {
        const params = checkedParams<SaveLockParams>(SaveLockRequest.method, received, {
            uri: uriField
        });
        const uri = URI.parse(params.uri);
        // as `dcplan lock` refuses them: a file that is not a plan (notes.txt opened as dcplan)
        // and a buffer not saved to disk get no lock file, nothing is written
        const notOnDisk: SaveLockResult = {
            instances: 0,
            moves: 0,
            stops: 0,
            error: 'the plan is not a file on disk: save it first'
        };
        if (uri.scheme !== 'file') return notOnDisk;
        if (!isPlanUri(uri))
            return {
                instances: 0,
                moves: 0,
                stops: 0,
                error: `${path.basename(uri.fsPath)}: not a .dcplan file: only plans are locked`
            };
        // a .dcplan file opened as another language: never built (plan-files.ts)
        if (!shared.ServiceRegistry.hasServices(uri))
            return {
                instances: 0,
                moves: 0,
                stops: 0,
                error: 'not a plan (a .dcplan file): no lock written'
            };
        if (!isFileOnDisk(shared.workspace.FileSystemProvider, uri)) return notOnDisk;
        await untilValidated(shared, uri, token);
        const documents = shared.workspace.LangiumDocuments;
        const document = documents.getDocument(uri);
        if (!document) return { instances: 0, moves: 0, stops: 0, error: 'the plan is not open' };
        // the lock records what the saved plan places: an edit not saved yet (of the plan or of a
        // file it imports) would write VMs that were never deployed
        const unsaved = [document, ...resolveImports(document, documents).map(i => i.target)]
            .filter((d): d is LangiumDocument => d !== undefined)
            .find(d => shared.workspace.TextDocuments?.get(d.uri.toString()) && !sameAsOnDisk(d));
        if (unsaved)
            return {
                instances: 0,
                moves: 0,
                stops: 0,
                error: `${path.basename(unsaved.uri.fsPath)} has unsaved changes: save it first (the lock records what the saved plan places)`
            };
        // the exact fallback still running: its `unplaceable` errors are provisional (`check` and
        // `dcplan lock` wait for it); the lock waits for the validation that follows the solve
        if (!(await fallbackSettled(shared, Dcplan, document, token)))
            return {
                instances: 0,
                moves: 0,
                stops: 0,
                error: 'the exact solver is still checking whether more can be placed: try again in a moment'
            };
        const settled = documents.getDocument(uri) ?? document;
        const errorList = (settled.diagnostics ?? []).filter(d => d.severity === 1);
        const errors = errorList.length;
        if (errors > 0) {
            // a lock that cannot be read (another plan's, a directory) is not replaced by this
            // command: say how, as `dcplan lock` does
            const lockFile = lockPathOf(uri.fsPath);
            const lockName = path.basename(lockFile);
            // `--no-lock` replaces a file, not a directory (or a pipe) at the lock's path
            const hint = !errorList.some(d => d.code === IssueCodes.LockInvalid)
                ? ''
                : notAFile(lockFile) === undefined
                  ? `; ${lockName} cannot be read as this plan's lock: to save this placement, delete or rename it, or run dcplan lock --no-lock ${path.basename(uri.fsPath)}`
                  : `; ${lockName} is not a file: to save this placement, remove or rename it`;
            return {
                instances: 0,
                moves: 0,
                stops: 0,
                error: `the plan has ${errors} error${errors === 1 ? '' : 's'}: no lock written${hint}`
            };
        }
        const analysis = Dcplan.analysis.PlanAnalyzer.analyze(settled);
        const refusal = lockRefusal(analysis.built.model);
        if (refusal) return { instances: 0, moves: 0, stops: 0, error: refusal };
        if (analysis.day2?.error)
            return { instances: 0, moves: 0, stops: 0, error: analysis.day2.error };
        const file = lockPathOf(uri.fsPath);
        try {
            writeLockFile(
                file,
                serialiseLock(
                    analysis.built.model,
                    analysis.placement,
                    path.basename(uri.fsPath),
                    VERSION
                )
            );
        } catch (e) {
            return {
                instances: 0,
                moves: 0,
                stops: 0,
                error: `${file}: cannot write: ${readFailure(e)}`
            };
        }
        // the plan is now placed from the lock just written: report it again
        await shared.workspace.DocumentBuilder.update([uri], []);
        // counted from the steps as the report's `moves: N` is (countMoves): stops and blocked too
        const order = analysis.day2?.order;
        const { moves, stopped } = tallyMoves(order ? [...order.steps, ...order.blocked] : []);
        return {
            lockFile: file,
            instances: analysis.placement.hostOf.filter(h => h >= 0).length,
            moves,
            stops: stopped
        };
    });
}
