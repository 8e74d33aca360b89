/**
 * Scroll sync between a `.dcplan` editor and its preview, as VS Code's Markdown preview does it
 * (settings `dcplan.preview.scrollPreviewWithEditor` and `dcplan.preview.scrollEditorWithPreview`,
 * both on by default):
 * - editor → preview: when the cursor moves in the document on show, the host block, shape or
 *   deploy line under it (`dcplan/previewTarget`) is highlighted in the preview and scrolled into
 *   view when it is out of view;
 * - preview → editor: when the reader scrolls the preview, the element at its top (a host, an
 *   instance, a shape, a diagnostic's line) is located (`dcplan/locate`) and the editor scrolls
 *   so that its line is at the top. Only the visible range changes: the cursor stays where it is,
 *   so this never feeds back into the first direction.
 */
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node.js';
import {
    LocateRequest,
    PreviewTargetRequest,
    type PreviewAnchor,
    type ToWebview
} from '../protocol.js';

/** Coalesces cursor moves (a held arrow key) into one request. */
const CURSOR_DEBOUNCE_MS = 60;

/** Whether a scroll-sync setting is on (`scrollPreviewWithEditor` / `scrollEditorWithPreview`; default on). */
export function syncEnabled(
    setting: 'scrollPreviewWithEditor' | 'scrollEditorWithPreview'
): boolean {
    return (
        vscode.workspace.getConfiguration('dcplan.preview').get<boolean>(setting, true) !== false
    );
}

/** What the sync needs from the preview: the document on show and a way to post to its webview. */
export interface SyncedPreview {
    shownUri(): vscode.Uri | undefined;
    post(message: ToWebview): void;
}

export class PreviewSync implements vscode.Disposable {
    private timer: ReturnType<typeof setTimeout> | undefined;
    private seq = 0;
    private readonly disposables: vscode.Disposable[] = [];
    private readonly synced = new vscode.EventEmitter<{
        readonly direction: 'toPreview' | 'toEditor';
        readonly line: number;
    }>();
    /** Fires after a sync step: the line highlighted in the preview, or the line revealed at the editor's top (tests wait on it). */
    readonly onDidSync = this.synced.event;

    constructor(
        private readonly client: LanguageClient,
        private readonly preview: SyncedPreview
    ) {
        this.disposables.push(
            vscode.window.onDidChangeTextEditorSelection(e => this.onSelection(e.textEditor)),
            // Turned off: the mark of the last cursor position goes too.
            vscode.workspace.onDidChangeConfiguration(e => {
                if (
                    e.affectsConfiguration('dcplan.preview.scrollPreviewWithEditor') &&
                    !syncEnabled('scrollPreviewWithEditor')
                ) {
                    this.seq++;
                    this.preview.post({ type: 'highlight', target: null, scroll: false });
                }
            }),
            this.synced
        );
    }

    private onSelection(editor: vscode.TextEditor): void {
        const uri = this.preview.shownUri();
        if (
            !uri ||
            editor.document.uri.toString() !== uri.toString() ||
            !syncEnabled('scrollPreviewWithEditor')
        )
            return;
        if (this.timer) clearTimeout(this.timer);
        this.timer = setTimeout(() => {
            this.timer = undefined;
            void this.toPreview(editor);
        }, CURSOR_DEBOUNCE_MS);
    }

    /** Highlights in the preview what is under the editor's cursor and scrolls it into view. */
    async toPreview(editor: vscode.TextEditor): Promise<void> {
        const seq = ++this.seq;
        const line = editor.selection.active.line + 1;
        const uri = editor.document.uri.toString();
        try {
            const target = await this.client.sendRequest(PreviewTargetRequest, { uri, line });
            if (seq !== this.seq || this.preview.shownUri()?.toString() !== uri) return;
            this.preview.post({ type: 'highlight', target, scroll: true });
            this.synced.fire({ direction: 'toPreview', line });
        } catch (error) {
            console.error('dcplan: previewTarget request failed', error);
        }
    }

    /** The reader scrolled the preview of `uri` to `anchor`: scroll the visible editors of the document to its line. */
    async toEditor(uri: string, anchor: PreviewAnchor): Promise<void> {
        if (!syncEnabled('scrollEditorWithPreview')) return;
        const shown = this.preview.shownUri()?.toString();
        if (!shown || vscode.Uri.parse(uri).toString() !== shown) return;
        let line: number;
        if (anchor.kind === 'line') {
            // A diagnostic in an imported file has no line in this document.
            if (anchor.uri && vscode.Uri.parse(anchor.uri).toString() !== shown) return;
            line = anchor.line;
        } else {
            const at = await this.client.sendRequest(LocateRequest, {
                uri,
                kind: anchor.kind,
                name: anchor.name
            });
            if (!at || vscode.Uri.parse(at.uri).toString() !== shown) return;
            line = at.line;
        }
        const editors = vscode.window.visibleTextEditors.filter(
            e => e.document.uri.toString() === shown
        );
        if (editors.length === 0) return;
        const position = new vscode.Position(Math.max(0, line - 1), 0);
        for (const editor of editors)
            editor.revealRange(
                new vscode.Range(position, position),
                vscode.TextEditorRevealType.AtTop
            );
        this.synced.fire({ direction: 'toEditor', line });
    }

    dispose(): void {
        if (this.timer) clearTimeout(this.timer);
        for (const d of this.disposables.splice(0)) d.dispose();
    }
}
