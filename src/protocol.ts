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
export const ReportChangedNotification = new NotificationType<ReportChangedParams>(
    'dcplan/reportChanged'
);

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
    /**
     * True while the exact fallback of the plan runs (issue 15): `report` is the heuristic's
     * placement, its `unplaceable` diagnostics say that the solver is checking, and a
     * `dcplan/reportChanged` of the same version follows when the solver is done. Absent otherwise.
     */
    readonly checking?: true;
}

/** Client → server: the report of a document. */
export const ReportRequest = new RequestType<ReportParams, ReportResult, void>('dcplan/report');

/**
 * The preview's exact-placement state ("Exact placement" toggle, setting `dcplan.preview.exact`):
 * `off`: the toggle is off; `solving`: the heuristic placement is shown while `dcplan/optimal`
 * runs; `done`: the placement shown is the exact one, with the solver's summary; `unavailable`:
 * no exact placement for this version (syntax errors, the request failed), the heuristic is shown.
 */
export type ExactView =
    | { readonly state: 'off' }
    | { readonly state: 'solving' }
    | { readonly state: 'done'; readonly summary: ExactSummary }
    | { readonly state: 'unavailable'; readonly reason: string };

/**
 * What the preview shows for a place in the source (scroll sync, `dcplan/previewTarget`):
 * `host`: the cards of the hosts a `host` block defines (expanded names: `hv01`…`hv04`);
 * `shape`: the shape's entry in the roles table and the segments of its instances;
 * `deploy`: the instances the `deploy` line creates (`backend_8c-1`…), in host cards or unplaced.
 */
export interface PreviewTarget {
    readonly kind: 'host' | 'shape' | 'deploy';
    /** Host names, the shape's name, or instance names. */
    readonly names: readonly string[];
    /** The element's first line in the source, 1-based. */
    readonly line: number;
}

/** Params of `dcplan/previewTarget`: a document and a 1-based line in it. */
export interface PreviewTargetParams {
    readonly uri: string;
    readonly line: number;
}

/** Client → server: the host, shape or deploy at a line of a document (null: none there). */
export const PreviewTargetRequest = new RequestType<
    PreviewTargetParams,
    PreviewTarget | null,
    void
>('dcplan/previewTarget');

/** Extension → webview. `result` is what is shown (the exact report when `exact` is `done`). */
export type ToWebview =
    | { readonly type: 'report'; readonly result: ReportResult; readonly exact?: ExactView }
    | { readonly type: 'noDocument' }
    /** Scroll sync: mark the elements of `target` (none: null) and, with `scroll`, bring them into view. */
    | {
          readonly type: 'highlight';
          readonly target: PreviewTarget | null;
          readonly scroll: boolean;
      };

/** The topmost element of the preview's viewport (scroll sync from the preview to the editor). */
export type PreviewAnchor =
    | { readonly kind: 'host' | 'instance' | 'shape'; readonly name: string }
    | { readonly kind: 'line'; readonly line: number; readonly uri?: string };

/** Webview → extension. */
export type FromWebview =
    | { readonly type: 'ready' }
    /** The preview's "Exact placement" toggle. */
    | { readonly type: 'setExact'; readonly enabled: boolean }
    /** Reveal a place in the source: 1-based line and column. */
    | {
          readonly type: 'reveal';
          readonly uri: string;
          readonly line: number;
          readonly column: number;
      }
    /** Reveal the definition of a host or an instance (by name) of the report's document. */
    | {
          readonly type: 'revealElement';
          readonly uri: string;
          readonly kind: 'host' | 'instance' | 'shape';
          readonly name: string;
      }
    /** The reader scrolled the preview: `anchor` is the element now at its top. */
    | { readonly type: 'scrolled'; readonly uri: string; readonly anchor: PreviewAnchor }
    /** The preview's "Save Current Placement" quick action (day 2): run `dcplan.saveCurrentPlacement` on `uri`. */
    | { readonly type: 'savePlacement'; readonly uri: string };

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
export const LocateRequest = new RequestType<LocateParams, LocateResult | null, void>(
    'dcplan/locate'
);

/**
 * Params of `dcplan/optimal`: the document, and the solver's time limit in seconds (default 10;
 * absent or `null`: the default; else as `--time-limit`, see `timeLimitProblem`).
 */
export interface OptimalParams {
    readonly uri: string;
    readonly timeLimitSeconds?: number | null;
}

/** The longest solver time limit accepted: one day (longer ones overflow Node's timers). */
export const MAX_TIME_LIMIT_SECONDS = 86_400;

/**
 * Why `seconds` is no time limit of the exact solver, as the end of a sentence that starts with
 * the option's name (`--time-limit takes …`, `timeLimitSeconds takes …`), or undefined when it
 * is one: a number above 0 and at most `MAX_TIME_LIMIT_SECONDS`. One rule for the CLI and the
 * server, so both refuse the same values with the same words.
 */
export function timeLimitProblem(seconds: unknown): string | undefined {
    return typeof seconds === 'number' && seconds > 0 && seconds <= MAX_TIME_LIMIT_SECONDS
        ? undefined
        : `takes a positive number of seconds, at most ${MAX_TIME_LIMIT_SECONDS}`;
}

/** The exact solver's account of a placement (also the `exact` field of `dcplan place --optimal --format json`). */
export interface ExactSummary {
    /** `optimal`: proved; `time-limit`: stopped with `gap` left; `infeasible`: no placement found, `failed`: the solver threw (both: the report keeps the heuristic placement). */
    readonly status: 'optimal' | 'time-limit' | 'infeasible' | 'failed';
    /** Relative gap (0–1) of the first unproved level; 0 when proved; null when unknown. */
    readonly gap: number | null;
    /** The first unproved level of the lexicographic objective, null when proved. */
    readonly gapLevel: string | null;
    /** Placed vCPUs, and the most that any placement can place (proved bound; equal when proved). */
    readonly placedCores: number;
    readonly placedCoresBound: number;
    readonly deployedCores: number;
    /** Busiest host's core utilisation (0–1, above 1 where pins overcommit a host) of the exact placement. */
    readonly maxUtilisation: number;
    /** A physical plan: nothing to place on hosts (the figures above are those of its machines). */
    readonly nothingToPlace?: boolean;
    /**
     * Day 2 with `rebalance_moves`: the rebalance moves given back because the optimum's
     * migration order is blocked and a placement with fewer moves orders cleanly (the placement
     * shown); the levels stay the solve's. Absent otherwise.
     */
    readonly rebalanceDropped?: number;
    readonly seconds: number;
    readonly timeLimitSeconds: number;
    /** Each level in order: value reached, bound proved (null when unknown), status. */
    readonly levels: readonly {
        readonly level: string;
        readonly value: number;
        readonly bound: number | null;
        readonly status: string;
        readonly seconds: number;
    }[];
}

/** Answer to `dcplan/optimal`. */
export interface OptimalResult {
    readonly uri: string;
    /** The document version the report was computed from (compare with the heuristic report's). */
    readonly version: number;
    /** The plan report with the exact placement; null when the server does not know the document. */
    readonly report: PlanReport | null;
    readonly exact: ExactSummary | null;
}

/**
 * Client → server: the exact (HiGHS) placement of a document, proved optimal or with the gap
 * left after the time limit. Solved in a worker thread and cached by plan content: the answer
 * may take up to the time limit; show the heuristic `dcplan/report` meanwhile.
 */
export const OptimalRequest = new RequestType<OptimalParams, OptimalResult, void>('dcplan/optimal');

/**
 * The command of dcplan's code lenses: arguments `[uri, position, locations]` (LSP `string`,
 * `Position`, `Location[]`), as VS Code's `editor.action.showReferences` takes them. The VS Code
 * client shows the locations in a references peek; other clients ask the server to execute it
 * (`workspace/executeCommand`), which opens the first location (`window/showDocument`) and
 * answers with the locations.
 */
export const SHOW_INSTANCES_COMMAND = 'dcplan.showInstances';
/** Params of `dcplan/saveLock` (issue 12, day 2): the plan whose current placement is saved. */
export interface SaveLockParams {
    readonly uri: string;
}

/** Answer to `dcplan/saveLock`: the lock written, or why none was. */
export interface SaveLockResult {
    /** The path of the lock written (`plan.dcplan.lock` beside the plan); absent when none was. */
    readonly lockFile?: string;
    /** How many instances the lock places. */
    readonly instances: number;
    /**
     * Moves from the previous lock that this lock adopts (0 without a previous lock), counted as
     * the report's `moves: N` (`countMoves`): instances that changed host and those stopped.
     */
    readonly moves: number;
    /** Of `moves`, the locked instances stopped (left unplaced: no room in the plan). */
    readonly stops: number;
    /** Why no lock was written (the plan has errors, it is not a file on disk or not a `.dcplan` file, the write failed). */
    readonly error?: string;
}

/** Client → server: write the current placement of a plan to its lock ("dcplan: Save Current Placement"). */
export const SaveLockRequest = new RequestType<SaveLockParams, SaveLockResult, void>(
    'dcplan/saveLock'
);
