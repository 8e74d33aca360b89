/**
 * The placement preview: one webview panel that shows the plan report of a `.dcplan` document
 * and follows the active `.dcplan` editor (as Markdown's preview does).
 *
 * Notify-then-pull: the server sends `dcplan/reportChanged` after validating a document; for the
 * document on show the preview (debounced) requests `dcplan/report` and posts the result to the
 * webview, which renders it with `src/webview/render.ts`. Clicks in the webview come back as
 * `reveal` / `revealElement` messages; elements are located with `dcplan/locate`.
 *
 * Exact placement (the header's toggle, the command "Toggle Exact Placement in Preview", the
 * setting `dcplan.preview.exact`): after each heuristic report the preview also sends
 * `dcplan/optimal` for the same document. The heuristic report is posted at once (unless the
 * proof is back within EXACT_GRACE_MS, as a cached one is, so the placement does not flash back
 * and forth while typing) with a "solving…" badge; the exact report replaces it when it arrives
 * and its version is still the document's. A newer report cancels the request in flight and
 * any answer for an older version is dropped, so typing never waits for the solver.
 *
 * Markdown's habits: "Show Source" in the preview's title bar, "Toggle Preview Locking" (a locked
 * preview stays on its plan, titled "[Preview] x"), scroll sync both ways (./preview-sync.ts), and
 * a confirmation with "Open" after a save.
 */
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import {
    LocateRequest,
    OptimalRequest,
    ReportChangedNotification,
    ReportRequest,
    type ExactView,
    type FromWebview,
    type LocateResult,
    type OptimalResult,
    type ReportResult,
    type ToWebview
} from '../protocol.js';
import { REPORT_CSS } from '../webview/render.js';
import { exportReport, type ExportFormat } from '../webview/export.js';
import { PreviewSync } from './preview-sync.js';

export const PREVIEW_VIEW_TYPE = 'dcplan.preview';
/** Delay between the server's "report changed" and the pull; coalesces bursts of keystrokes. */
const PULL_DEBOUNCE_MS = 40;
/** With exact placement on: how long the heuristic report waits for a (cached, fast) proof before it is shown. */
const EXACT_GRACE_MS = 150;
const EXACT_SETTING = 'preview.exact';

function exactEnabled(): boolean {
    return vscode.workspace.getConfiguration('dcplan').get<boolean>(EXACT_SETTING, false) === true;
}

/** Sets `dcplan.preview.exact` where it is in effect (the workspace's value when it has one, else the user's). */
async function setExactEnabled(enabled: boolean): Promise<void> {
    const config = vscode.workspace.getConfiguration('dcplan');
    const inspect = config.inspect<boolean>(EXACT_SETTING);
    const target =
        inspect?.workspaceFolderValue !== undefined
            ? vscode.ConfigurationTarget.WorkspaceFolder
            : inspect?.workspaceValue !== undefined
              ? vscode.ConfigurationTarget.Workspace
              : vscode.ConfigurationTarget.Global;
    await config.update(EXACT_SETTING, enabled, target);
}

const delay = (ms: number) =>
    new Promise<undefined>(resolve => setTimeout(() => resolve(undefined), ms));

function isDcplan(document: vscode.TextDocument | undefined): document is vscode.TextDocument {
    return !!document && document.languageId === 'dcplan';
}

/** Parses a location from the report: a URI (`file:`, `untitled:`, …) or a file path. */
function toUri(value: string): vscode.Uri {
    return /^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(value)
        ? vscode.Uri.parse(value)
        : vscode.Uri.file(value);
}

function baseName(uri: vscode.Uri): string {
    const p = uri.path;
    return p.slice(p.lastIndexOf('/') + 1) || p;
}

/**
 * The confirmation after "Save Preview as SVG/HTML", with VS Code's usual actions: "Open" opens
 * the file in an editor, "Reveal in Explorer View" (offered for a file inside the workspace)
 * selects it in the Explorer. Not awaited: the command's promise resolves once the file is written.
 */
function confirmSaved(target: vscode.Uri, format: ExportFormat): void {
    const OPEN = 'Open',
        REVEAL = 'Reveal in Explorer View';
    const actions = vscode.workspace.getWorkspaceFolder(target) ? [OPEN, REVEAL] : [OPEN];
    void vscode.window
        .showInformationMessage(
            `dcplan: saved the placement as ${format.toUpperCase()} to ${vscode.workspace.asRelativePath(target, false)}.`,
            ...actions
        )
        .then(async choice => {
            if (choice === OPEN) await vscode.commands.executeCommand('vscode.open', target);
            else if (choice === REVEAL)
                await vscode.commands.executeCommand('revealInExplorer', target);
        });
}

export class PreviewManager implements vscode.Disposable {
    private panel: vscode.WebviewPanel | undefined;
    private uri: vscode.Uri | undefined;
    /** What the webview shows: the heuristic report, or the exact one when `exact` is `done`. */
    private result: ReportResult | undefined;
    /** The last heuristic report (`dcplan/report`) of the document on show. */
    private heuristic: ReportResult | undefined;
    private exact: ExactView = { state: 'off' };
    private exactSeq = 0;
    private exactCancel: vscode.CancellationTokenSource | undefined;
    private timer: ReturnType<typeof setTimeout> | undefined;
    private pullSeq = 0;
    /** A locked preview stays on its document when another `.dcplan` editor becomes active (Markdown's "Toggle Preview Locking"). */
    private locked = false;
    private readonly sync: PreviewSync;
    private readonly disposables: vscode.Disposable[] = [];
    private readonly posted = new vscode.EventEmitter<ReportResult>();
    /** Fires after a report was posted to the webview (tests wait on it). */
    readonly onDidPostReport = this.posted.event;

    constructor(
        private readonly context: vscode.ExtensionContext,
        private readonly client: LanguageClient
    ) {
        const cmd = (id: string, fn: (...args: any[]) => unknown) =>
            this.disposables.push(vscode.commands.registerCommand(id, fn));
        cmd('dcplan.showPreviewToSide', (uri?: vscode.Uri) =>
            this.open(uri, vscode.ViewColumn.Beside, true)
        );
        cmd('dcplan.showPreview', (uri?: vscode.Uri) =>
            this.open(uri, vscode.ViewColumn.Active, false)
        );
        cmd('dcplan.savePreviewAsSvg', (target?: vscode.Uri) => this.save('svg', target));
        cmd('dcplan.savePreviewAsHtml', (target?: vscode.Uri) => this.save('html', target));
        cmd('dcplan.togglePreviewLocking', () => this.toggleLock());
        cmd('dcplan.showSource', () => this.showSource());
        cmd('dcplan.toggleExactPlacement', async () => {
            const enabled = !exactEnabled();
            await setExactEnabled(enabled);
            if (enabled && !this.panel && isDcplan(vscode.window.activeTextEditor?.document))
                await this.open(undefined, vscode.ViewColumn.Beside, true);
        });
        this.disposables.push(
            vscode.window.registerWebviewPanelSerializer(PREVIEW_VIEW_TYPE, {
                deserializeWebviewPanel: async (panel, state: { uri?: string } | undefined) => {
                    this.adopt(panel);
                    if (state?.uri) this.setDocument(toUri(state.uri));
                    else this.post({ type: 'noDocument' });
                }
            }),
            vscode.window.onDidChangeActiveTextEditor(editor => {
                if (
                    this.panel &&
                    !this.locked &&
                    isDcplan(editor?.document) &&
                    editor.document.uri.toString() !== this.uri?.toString()
                ) {
                    this.setDocument(editor.document.uri);
                }
            }),
            vscode.workspace.onDidChangeConfiguration(e => {
                if (!e.affectsConfiguration(`dcplan.${EXACT_SETTING}`) || !this.panel) return;
                if (this.heuristic) void this.showWithExact(this.heuristic);
                else void this.pull();
            }),
            // An edit makes any proof in flight stale: cancel it now (the next report starts a new one).
            vscode.workspace.onDidChangeTextDocument(e => {
                if (
                    this.uri &&
                    e.contentChanges.length > 0 &&
                    e.document.uri.toString() === this.uri.toString()
                )
                    this.cancelExact();
            }),
            this.posted
        );
        this.sync = new PreviewSync(client, {
            shownUri: () => this.uri,
            post: message => this.post(message)
        });
        this.disposables.push(this.sync);
    }

    /** Starts listening to the server (after the client started). */
    listen(): void {
        this.disposables.push(
            this.client.onNotification(ReportChangedNotification, params => {
                if (this.uri && toUri(params.uri).toString() === this.uri.toString())
                    this.schedulePull();
            })
        );
    }

    /** The document on show and its last posted result (tests read them). */
    get shown(): {
        readonly uri: vscode.Uri | undefined;
        readonly result: ReportResult | undefined;
        readonly exact: ExactView;
        readonly visible: boolean;
        readonly locked: boolean;
        readonly title: string | undefined;
    } {
        return {
            uri: this.uri,
            result: this.result,
            exact: this.exact,
            visible: !!this.panel,
            locked: this.locked,
            title: this.panel?.title
        };
    }

    /** Scroll sync events (tests wait on them). */
    get onDidSync() {
        return this.sync.onDidSync;
    }

    /** The preview's title: Markdown's habit, "[Preview] x" when locked. */
    private updateTitle(): void {
        if (this.panel && this.uri)
            this.panel.title = `${this.locked ? '[Preview]' : 'Preview'} ${baseName(this.uri)}`;
    }

    /** "dcplan: Toggle Preview Locking": a locked preview stays on its plan; unlocking follows the active `.dcplan` editor again. */
    private toggleLock(): void {
        if (!this.panel) {
            void vscode.window.showInformationMessage(
                'dcplan: open the preview first: locking keeps it on its plan.'
            );
            return;
        }
        this.locked = !this.locked;
        this.updateTitle();
        const active = vscode.window.activeTextEditor?.document;
        if (
            !this.locked &&
            this.panel &&
            isDcplan(active) &&
            active.uri.toString() !== this.uri?.toString()
        )
            this.setDocument(active.uri);
    }

    /** "dcplan: Show Source" (the preview's title bar): the plan on show in an editor, beside the preview. */
    private async showSource(): Promise<vscode.TextEditor | undefined> {
        if (!this.uri) return undefined;
        const existing = vscode.window.visibleTextEditors.find(
            e => e.document.uri.toString() === this.uri!.toString()
        );
        const previewColumn = this.panel?.viewColumn;
        const viewColumn =
            existing?.viewColumn ??
            (previewColumn === vscode.ViewColumn.One
                ? vscode.ViewColumn.Two
                : vscode.ViewColumn.One);
        return vscode.window.showTextDocument(await vscode.workspace.openTextDocument(this.uri), {
            viewColumn,
            preserveFocus: false
        });
    }

    private async open(
        uri: vscode.Uri | undefined,
        column: vscode.ViewColumn,
        preserveFocus: boolean
    ): Promise<void> {
        const target =
            uri ??
            (isDcplan(vscode.window.activeTextEditor?.document)
                ? vscode.window.activeTextEditor!.document.uri
                : undefined);
        if (!target) {
            void vscode.window.showInformationMessage(
                'dcplan: open a .dcplan file to preview its placement.'
            );
            return;
        }
        if (this.panel) this.panel.reveal(column, preserveFocus);
        else {
            const panel = vscode.window.createWebviewPanel(
                PREVIEW_VIEW_TYPE,
                'dcplan preview',
                { viewColumn: column, preserveFocus },
                {
                    enableScripts: true,
                    enableFindWidget: true,
                    localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist')]
                }
            );
            this.adopt(panel);
        }
        this.setDocument(target);
    }

    private adopt(panel: vscode.WebviewPanel): void {
        this.panel = panel;
        panel.iconPath = vscode.Uri.joinPath(this.context.extensionUri, 'icons', 'dcplan-file.svg');
        panel.webview.options = {
            enableScripts: true,
            localResourceRoots: [vscode.Uri.joinPath(this.context.extensionUri, 'dist')]
        };
        panel.webview.html = this.html(panel.webview);
        panel.webview.onDidReceiveMessage(
            (message: FromWebview) => this.onMessage(message),
            undefined,
            this.disposables
        );
        panel.onDidDispose(
            () => {
                if (this.panel === panel) {
                    this.panel = undefined;
                    this.uri = undefined;
                    this.locked = false;
                    this.result = undefined;
                    this.heuristic = undefined;
                    this.cancelExact();
                    this.exact = { state: 'off' };
                }
            },
            undefined,
            this.disposables
        );
    }

    private setDocument(uri: vscode.Uri): void {
        this.uri = uri;
        this.result = undefined;
        this.heuristic = undefined;
        this.cancelExact();
        this.updateTitle();
        void this.pull();
    }

    private schedulePull(): void {
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => {
            this.timer = undefined;
            void this.pull();
        }, PULL_DEBOUNCE_MS);
    }

    private async pull(): Promise<void> {
        const uri = this.uri;
        if (!uri || !this.panel) return;
        const seq = ++this.pullSeq;
        try {
            const result = await this.client.sendRequest(ReportRequest, { uri: uri.toString() });
            // A newer pull or another document took over meanwhile.
            if (seq !== this.pullSeq || this.uri?.toString() !== uri.toString()) return;
            if (this.heuristic && result.version < this.heuristic.version && this.heuristic.report)
                return;
            this.heuristic = result;
            await this.showWithExact(result);
        } catch (error) {
            if (seq === this.pullSeq) console.error('dcplan: report request failed', error);
        }
    }

    /** Shows `result` and records it as on show (tests wait on `onDidPostReport`). */
    private show(result: ReportResult, exact: ExactView): void {
        this.result = result;
        this.exact = exact;
        this.post({ type: 'report', result, exact });
        this.posted.fire(result);
    }

    private cancelExact(): void {
        this.exactSeq++;
        this.exactCancel?.cancel();
        this.exactCancel?.dispose();
        this.exactCancel = undefined;
    }

    /** The current version of a document when it is open (undefined otherwise). */
    private documentVersion(uri: string): number | undefined {
        const key = toUri(uri).toString();
        return vscode.workspace.textDocuments.find(d => d.uri.toString() === key)?.version;
    }

    /**
     * Shows a heuristic report and, with exact placement on, replaces it by the exact one when
     * `dcplan/optimal` answers for the same version (see the module comment).
     */
    private async showWithExact(result: ReportResult): Promise<void> {
        this.cancelExact();
        if (!exactEnabled()) return this.show(result, { state: 'off' });
        if (!result.report || result.stale) {
            return this.show(result, {
                state: 'unavailable',
                reason: result.report
                    ? 'the file has syntax errors: showing the last good heuristic placement'
                    : 'the file does not parse yet'
            });
        }
        const seq = this.exactSeq;
        const cancel = (this.exactCancel = new vscode.CancellationTokenSource());
        type Outcome = { readonly answer: OptimalResult } | { readonly error: unknown };
        const request: Promise<Outcome> = this.client
            .sendRequest(OptimalRequest, { uri: result.uri }, cancel.token)
            .then(
                answer => ({ answer }),
                (error: unknown) => ({ error })
            );
        let outcome = await Promise.race([request, delay(EXACT_GRACE_MS)]);
        if (seq !== this.exactSeq) return;
        if (!outcome) {
            this.show(result, { state: 'solving' });
            outcome = await request;
            if (seq !== this.exactSeq) return;
        }
        if ('error' in outcome) {
            const message =
                outcome.error instanceof Error ? outcome.error.message : String(outcome.error);
            console.error('dcplan: exact placement request failed', outcome.error);
            return this.show(result, {
                state: 'unavailable',
                reason: `the exact solver failed (${message}): showing the heuristic placement`
            });
        }
        const { answer } = outcome;
        // Only an answer for the version on show, which is still the document's, replaces the placement.
        const current = this.documentVersion(result.uri);
        if (
            answer.version !== result.version ||
            (current !== undefined && current !== answer.version)
        ) {
            if (this.exact.state !== 'solving') this.show(result, { state: 'solving' });
            return;
        }
        if (!answer.report || !answer.exact)
            return this.show(result, {
                state: 'unavailable',
                reason: 'the server does not know this document'
            });
        this.show(
            { uri: result.uri, version: answer.version, report: answer.report, stale: false },
            { state: 'done', summary: answer.exact }
        );
    }

    private post(message: ToWebview): void {
        void this.panel?.webview.postMessage(message);
    }

    private async onMessage(message: FromWebview): Promise<void> {
        switch (message.type) {
            case 'setExact':
                if (message.enabled !== exactEnabled()) await setExactEnabled(message.enabled);
                return;
            case 'ready':
                if (this.result)
                    this.post({ type: 'report', result: this.result, exact: this.exact });
                else if (this.uri) void this.pull();
                else this.post({ type: 'noDocument' });
                return;
            case 'reveal':
                await this.reveal(toUri(message.uri), message.line, message.column);
                return;
            case 'scrolled':
                await this.sync.toEditor(message.uri, message.anchor);
                return;
            case 'savePlacement':
                // only the plan on show: a message naming another document is not the reader's
                if (this.uri && message.uri === this.result?.uri)
                    await vscode.commands.executeCommand('dcplan.saveCurrentPlacement', this.uri);
                return;
            case 'revealElement': {
                const location = await this.locate(message.uri, message.kind, message.name);
                if (location) {
                    await this.reveal(toUri(location.uri), location.line, location.column);
                    return;
                }
                void vscode.window.showInformationMessage(
                    `dcplan: cannot find the definition of ${message.kind} ${message.name}.`
                );
                return;
            }
        }
    }

    /** Where a host, an instance (its deploy line) or a shape of a document is defined (`dcplan/locate`). */
    locate(
        uri: string,
        kind: 'host' | 'instance' | 'shape',
        name: string
    ): Promise<LocateResult | null> {
        return this.client.sendRequest(LocateRequest, { uri, kind, name });
    }

    /** Shows a 1-based line and column of a document in an editor beside the preview. */
    async reveal(uri: vscode.Uri, line: number, column: number): Promise<vscode.TextEditor> {
        const position = new vscode.Position(Math.max(0, line - 1), Math.max(0, column - 1));
        const existing = vscode.window.visibleTextEditors.find(
            e => e.document.uri.toString() === uri.toString()
        );
        const previewColumn = this.panel?.viewColumn;
        const viewColumn =
            existing?.viewColumn ??
            (previewColumn === vscode.ViewColumn.One
                ? vscode.ViewColumn.Two
                : vscode.ViewColumn.One);
        const document = await vscode.workspace.openTextDocument(uri);
        const editor = await vscode.window.showTextDocument(document, {
            viewColumn,
            preserveFocus: false,
            selection: new vscode.Range(position, position)
        });
        editor.revealRange(
            new vscode.Range(position, position),
            vscode.TextEditorRevealType.InCenterIfOutsideViewport
        );
        return editor;
    }

    /** "Save Preview as SVG/HTML": the shown report (else the active document's) to a file. */
    private async save(format: ExportFormat, target?: vscode.Uri): Promise<vscode.Uri | undefined> {
        // What is shown: the exact placement and its badge when the preview shows them.
        let result = this.result;
        let exact: ExactView | undefined = this.exact;
        const active = vscode.window.activeTextEditor?.document;
        if (!result || (!this.panel && isDcplan(active))) {
            const uri = this.uri ?? (isDcplan(active) ? active.uri : undefined);
            // a plan the server no longer has (deleted, closed) is refused: nothing to save
            if (uri)
                result = await this.client
                    .sendRequest(ReportRequest, { uri: uri.toString() })
                    .catch(() => undefined);
            exact = undefined;
        }
        if (!result?.report) {
            void vscode.window.showWarningMessage(
                'dcplan: no placement to save: open a .dcplan file that parses.'
            );
            return undefined;
        }
        const source = toUri(result.uri);
        if (!target) {
            const folder =
                source.scheme === 'file'
                    ? vscode.Uri.joinPath(source, '..')
                    : vscode.workspace.workspaceFolders?.[0]?.uri;
            const name = baseName(source).replace(/\.dcplan$/, '') + `.placement.${format}`;
            target = await vscode.window.showSaveDialog({
                defaultUri: folder ? vscode.Uri.joinPath(folder, name) : undefined,
                filters:
                    format === 'svg' ? { 'SVG image': ['svg'] } : { 'HTML page': ['html', 'htm'] },
                title: `Save the placement as ${format.toUpperCase()}`
            });
            if (!target) return undefined;
        }
        await vscode.workspace.fs.writeFile(
            target,
            new TextEncoder().encode(
                exportReport(result.report, format, { stale: result.stale, exact })
            )
        );
        confirmSaved(target, format);
        return target;
    }

    private html(webview: vscode.Webview): string {
        const nonce = randomBytes(18).toString('base64');
        const script = webview.asWebviewUri(
            vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'webview.js')
        );
        const csp = [
            "default-src 'none'",
            `style-src ${webview.cspSource} 'nonce-${nonce}'`,
            `script-src 'nonce-${nonce}'`,
            `img-src ${webview.cspSource} data:`,
            `font-src ${webview.cspSource}`
        ].join('; ');
        return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${csp}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<style nonce="${nonce}">${REPORT_CSS}</style>
</head><body>
<main id="root"><p class="muted">Computing the placement…</p></main>
<script nonce="${nonce}" src="${script}"></script>
</body></html>`;
    }

    dispose(): void {
        if (this.timer) clearTimeout(this.timer);
        this.cancelExact();
        this.panel?.dispose();
        for (const d of this.disposables.splice(0)) d.dispose();
    }
}
