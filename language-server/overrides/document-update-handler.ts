/**
 * Langium's document update handler, for plans only (docs/lsp.md): the editor's changes of a
 * document that is not a plan (a client may send `didOpen` for every file it opens) and the
 * watcher's events of files that are not `.dcplan` files build nothing, so they are never
 * parsed, reported or edited. The file watcher asks for `**\/*.dcplan`, and for deletions
 * anywhere (a deleted folder takes its plans with it). A build that fails is contained: logged,
 * and the server keeps serving (containment.ts).
 *
 * Closing a document ends the editor's say over it (`didCloseDocument`): a plan on disk goes
 * back to the file's text, and a document with no file behind it (never saved, untitled) leaves
 * the workspace, as when the watcher reports the file changed or deleted.
 */
import { URI } from 'langium';
import { DefaultDocumentUpdateHandler, type LangiumSharedServices } from 'langium/lsp';
import {
    type DidChangeWatchedFilesParams,
    FileChangeType,
    type FileSystemWatcher,
    type TextDocumentChangeEvent,
    WatchKind,
    type WorkspaceFoldersChangeEvent
} from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { logInternalError } from './containment.js';
import { isPlanUri, PLAN_EXTENSION } from '../plan-files.js';
import { isFileOnDisk } from '../plan-file-system.js';

/** The watchers the server registers with the client: plan files, and deletions anywhere. */
export const PLAN_WATCHERS: readonly FileSystemWatcher[] = [
    { globPattern: `**/*${PLAN_EXTENSION}` },
    // day 2 (issue 12): a plan is placed from the lock beside it
    { globPattern: `**/*${PLAN_EXTENSION}.lock` },
    { globPattern: '**/*', kind: WatchKind.Delete }
];

/** dcplan's document update handler (see the file's comment). */
export class DcplanDocumentUpdateHandler extends DefaultDocumentUpdateHandler {
    private readonly langiumDocuments: LangiumSharedServices['workspace']['LangiumDocuments'];
    private readonly fileSystem: LangiumSharedServices['workspace']['FileSystemProvider'];
    constructor(services: LangiumSharedServices) {
        super(services);
        this.langiumDocuments = services.workspace.LangiumDocuments;
        this.fileSystem = services.workspace.FileSystemProvider;
        this.textDocuments = services.workspace.TextDocuments;
        services.lsp.LanguageServer.onInitialize(params => {
            const roots =
                params.workspaceFolders?.map(f => f.uri) ??
                (params.rootUri ? [params.rootUri] : []);
            this.folders = roots.map(u => this.uriOf(u).path.replace(/\/?$/, '/'));
        });
    }
    private readonly textDocuments: LangiumSharedServices['workspace']['TextDocuments'];

    /**
     * The editor closed a document: its unsaved text is discarded, so the workspace must not keep
     * it (a rename computed on it edited the file at the discarded text's positions; an import
     * resolved against a file that was never saved). Sent on as the watcher's event would be: a
     * plan file on disk as changed (re-read and rebuilt, its importers relinked and checked), any
     * other document as deleted (its diagnostics cleared, its importers relinked). The check is
     * synchronous so that a request right after `didClose` is answered on the file's text.
     */
    didCloseDocument(event: TextDocumentChangeEvent<TextDocument>): void {
        const uri = this.uriOf(event.document.uri);
        const type = this.isPlanOnDisk(uri) ? FileChangeType.Changed : FileChangeType.Deleted;
        this.didChangeWatchedFiles({ changes: [{ uri: event.document.uri, type }] });
    }

    /**
     * Folders added to or removed from the workspace after `initialize` (a multi-root window): the
     * plans under an added folder are read and indexed as the startup scan reads them; those under
     * a removed one leave the workspace, except documents open in the editor and plans under a
     * folder that stays.
     */
    async didChangeWorkspaceFolders(event: WorkspaceFoldersChangeEvent): Promise<void> {
        await this.workspaceManager.ready;
        const added = (
            await Promise.all(
                event.added.map(f => this.workspaceManager.searchFolder(this.uriOf(f.uri)))
            )
        )
            .flat()
            .filter(u => !this.langiumDocuments.hasDocument(u));
        const removed = event.removed.map(f => this.uriOf(f.uri).path.replace(/\/?$/, '/'));
        this.folders = [
            ...this.folders.filter(f => !removed.includes(f)),
            ...event.added.map(f => this.uriOf(f.uri).path.replace(/\/?$/, '/'))
        ];
        const open = this.textDocuments;
        const gone = this.langiumDocuments.all
            .map(d => d.uri)
            .filter(
                u =>
                    removed.some(r => u.path.startsWith(r)) &&
                    !this.folders.some(f => u.path.startsWith(f)) &&
                    !open?.get(u.toString())
            )
            .toArray();
        if (added.length > 0 || gone.length > 0) this.fireDocumentUpdate(added, gone);
    }

    /** The workspace folders' paths (ending in `/`), kept up to date by `didChangeWorkspaceFolders`. */
    folders: string[] = [];

    /** True when `uri` is a `.dcplan` file that exists on disk (a file, not a folder). */
    private isPlanOnDisk(uri: URI): boolean {
        return isPlanUri(uri) && isFileOnDisk(this.fileSystem, uri);
    }

    protected override getWatchers(): FileSystemWatcher[] {
        return [...PLAN_WATCHERS];
    }

    override didChangeContent(change: TextDocumentChangeEvent<TextDocument>): void {
        // a document of another language (its language id) or a file that is not a plan
        if (!this.serviceRegistry.hasServices(this.uriOf(change.document.uri))) return;
        super.didChangeContent(change);
    }

    override didChangeWatchedFiles(params: DidChangeWatchedFilesParams): void {
        // day 2 (issue 12): a lock written, changed or deleted: the plan beside it is placed again
        const locked = params.changes
            .map(c => this.uriOf(c.uri))
            .filter(u => u.path.endsWith(`${PLAN_EXTENSION}.lock`))
            .map(u => u.with({ path: u.path.slice(0, -'.lock'.length) }))
            .filter(u => this.langiumDocuments.hasDocument(u));
        if (locked.length > 0) this.fireDocumentUpdate(locked, []);
        // Changes of files that are not plans are dropped (a folder's change is a deletion, kept:
        // deleting documents under a URI that holds none does nothing).
        const changes = params.changes.filter(
            c =>
                c.type === FileChangeType.Deleted ||
                this.serviceRegistry.hasServices(this.uriOf(c.uri))
        );
        if (changes.length === 0) return;
        super.didChangeWatchedFiles({ ...params, changes });
    }

    /**
     * Set by `registerPublishing` on a server's handler: takes each update on its way to the
     * builder (to hold changed texts back until the edits pause) and sends it on with
     * `sendUpdate`. Unset (the CLI, the tests' services), updates go straight on.
     */
    updateGate: ((changed: URI[], deleted: URI[]) => void) | undefined;

    protected override fireDocumentUpdate(changed: URI[], deleted: URI[]): void {
        if (this.updateGate) this.updateGate(changed, deleted);
        else this.sendUpdate(changed, deleted);
    }

    /** The update sent to the builder, under the workspace lock once the workspace is ready; a failure is logged. */
    sendUpdate(changed: URI[], deleted: URI[]): void {
        this.workspaceManager.ready
            .then(() =>
                this.workspaceLock.write(token =>
                    this.documentBuilder.update(changed, deleted, token)
                )
            )
            .catch(err =>
                logInternalError(
                    `updating ${[...changed, ...deleted].map(u => u.toString()).join(', ')}`,
                    err
                )
            );
    }

    private uriOf(uri: string): URI {
        return URI.parse(uri);
    }
}
