/**
 * The one protocol module: every message shared by the language server, the VS Code client and
 * the preview webview. The server pushes a small `dcplan/reportChanged` notification after a
 * document is validated; the client (for the preview) pulls the full report with the
 * `dcplan/report` request (notify-then-pull, so typing never ships whole reports nobody reads).
 * The webview messages are plain JSON between the extension and the webview.
 */
import { NotificationType, RequestType } from 'vscode-jsonrpc';
import type { PlanReport } from './planner/report.js';

/** Params of `dcplan/reportChanged`: the document whose report changed, and its version. */
export interface ReportChangedParams {
    readonly uri: string;
    readonly version: number;
}

/** Server → client, after validation of a `.dcplan` document (debounced). */
export const ReportChangedNotification = new NotificationType<ReportChangedParams>('dcplan/reportChanged');

/** Params of `dcplan/report`. */
export interface ReportParams {
    readonly uri: string;
}

/** Answer to `dcplan/report`. */
export interface ReportResult {
    readonly uri: string;
    /** The document version the report was computed from. */
    readonly version: number;
    /** The last good report; `null` when the document never parsed. */
    readonly report: PlanReport | null;
    /** True when the current text has syntax errors and `report` is the last good one. */
    readonly stale: boolean;
}

/** Client → server: the report of a document. */
export const ReportRequest = new RequestType<ReportParams, ReportResult, void>('dcplan/report');

/** Extension → webview. */
export type ToWebview =
    | { readonly type: 'report'; readonly result: ReportResult }
    | { readonly type: 'noDocument' };

/** Webview → extension. */
export type FromWebview =
    | { readonly type: 'ready' }
    /** Reveal a place in the source: 1-based line and column. */
    | { readonly type: 'reveal'; readonly uri: string; readonly line: number; readonly column: number }
    /** Reveal the definition of a host or an instance (by name) of the report's document. */
    | { readonly type: 'revealElement'; readonly uri: string; readonly kind: 'host' | 'instance' | 'shape'; readonly name: string };

/** Params of `dcplan/locate`: an element of a document, by kind and name. */
export interface LocateParams {
    readonly uri: string;
    readonly kind: 'host' | 'instance' | 'shape';
    /** A host name (`hv01`, also one expanded from a range), an instance (`proxy_1c-3`) or a shape. */
    readonly name: string;
}

/** Where an element is defined: 1-based line and column, in `uri` (an imported file when not the document). */
export interface LocateResult {
    readonly uri: string;
    readonly line: number;
    readonly column: number;
}

/** Client → server: where a host, an instance (its `deploy` line) or a shape is defined; `null` when unknown. */
export const LocateRequest = new RequestType<LocateParams, LocateResult | null, void>('dcplan/locate');
