/**
 * The preview webview's script (bundled as an IIFE into dist/webview.js). It receives reports from
 * the extension, renders them with the pure renderer, keeps the scroll position in the webview
 * state, and turns clicks on diagnostics, hosts and instances into "reveal" messages.
 */
import type {
    ExactView,
    FromWebview,
    PreviewTarget,
    ReportResult,
    ToWebview
} from '../protocol.js';
import { renderReport } from './render.js';
import { applyHighlight, topAnchor } from './sync.js';

interface State {
    readonly uri?: string;
    readonly scrollY?: number;
}

interface VsCodeApi {
    postMessage(message: FromWebview): void;
    getState(): State | undefined;
    setState(state: State): void;
}

declare function acquireVsCodeApi(): VsCodeApi;

const vscode = acquireVsCodeApi();
const root = document.getElementById('root')!;
let state: State = vscode.getState() ?? {};
let current: ReportResult | undefined;
/** window.scrollY right after the last render; a scroll event at that position is not the reader's. */
let renderedAt: number | undefined;
/** The element under the editor's cursor (scroll sync): marked again after each render. */
let highlighted: PreviewTarget | null = null;

function show(result: ReportResult, exact: ExactView | undefined): void {
    const sameDocument = state.uri === result.uri;
    // The position the reader chose (kept in the state), not window.scrollY: a render in between
    // that was shorter (a syntax-error notice, fewer hosts) must not pull the view up for good.
    const y = sameDocument ? (state.scrollY ?? 0) : 0;
    // Another plan: the element marked for the last one is not this one's.
    if (!sameDocument) highlighted = null;
    current = result;
    if (result.report) {
        root.innerHTML = renderReport(result.report, {
            interactive: true,
            stale: result.stale,
            exact
        });
    } else {
        root.innerHTML =
            '<p class="muted">This file does not parse yet: the preview appears with its first good version.</p>';
    }
    document.body.dataset.uri = result.uri;
    document.body.dataset.version = String(result.version);
    document.body.dataset.stale = String(result.stale);
    document.body.dataset.exact =
        exact?.state === 'done' ? exact.summary.status : (exact?.state ?? 'off');
    applyHighlight(root, highlighted, false);
    window.scrollTo(0, y);
    // Where the browser put it (at most the new page's end): the scroll event this causes is ours.
    renderedAt = window.scrollY;
    state = { uri: result.uri, scrollY: y };
    vscode.setState(state);
}

window.addEventListener('message', (event: MessageEvent<ToWebview>) => {
    const message = event.data;
    if (message.type === 'report') show(message.result, message.exact);
    else if (message.type === 'noDocument') {
        root.innerHTML =
            '<p class="muted">Open a <code>.dcplan</code> file to see its placement.</p>';
        current = undefined;
    } else if (message.type === 'highlight') {
        highlighted = message.target;
        // A scroll made to follow the editor is not the reader's: it must not move the editor back.
        // It is kept like the reader's own position, for the next render.
        if (applyHighlight(root, message.target, message.scroll)) {
            renderedAt = window.scrollY;
            state = { ...state, scrollY: window.scrollY };
            vscode.setState(state);
        }
    }
});

let scrollPending = false;
window.addEventListener('scroll', () => {
    if (scrollPending) return;
    scrollPending = true;
    requestAnimationFrame(() => {
        scrollPending = false;
        if (window.scrollY === renderedAt) return;
        renderedAt = undefined;
        state = { ...state, scrollY: window.scrollY };
        vscode.setState(state);
        postTopAnchor();
    });
});

/** Scroll sync to the editor: the element now at the top of the preview (the extension decides whether to follow). */
function postTopAnchor(): void {
    const anchor = current ? topAnchor(root) : null;
    if (current && anchor) vscode.postMessage({ type: 'scrolled', uri: current.uri, anchor });
}

function activate(target: EventTarget | null): void {
    const el = (target as Element | null)?.closest?.('[role=button]') as HTMLElement | null;
    if (!el || !current) return;
    const data = el.dataset;
    if (data.line) {
        vscode.postMessage({
            type: 'reveal',
            uri: data.file ?? current.uri,
            line: Number(data.line),
            column: Number(data.column ?? 1)
        });
    } else if (data.kind && data.name) {
        const kind = data.kind === 'host' || data.kind === 'shape' ? data.kind : 'instance';
        vscode.postMessage({ type: 'revealElement', uri: current.uri, kind, name: data.name });
    }
}

document.addEventListener('click', event => {
    // day 2: the "Save Current Placement" quick action; the extension runs the command on the plan on show
    const action = (event.target as Element | null)?.closest?.('[data-action="save-placement"]');
    if (action) {
        if (current) vscode.postMessage({ type: 'savePlacement', uri: current.uri });
        return;
    }
    activate(event.target);
});
// The "Exact placement" toggle: the extension owns the state (setting dcplan.preview.exact) and re-renders.
document.addEventListener('change', event => {
    const input = event.target as HTMLInputElement | null;
    if (input?.dataset?.action === 'toggle-exact')
        vscode.postMessage({ type: 'setExact', enabled: input.checked });
});
document.addEventListener('keydown', event => {
    if (event.key === 'Enter' || event.key === ' ') {
        activate(event.target);
        if ((event.target as Element | null)?.closest?.('[role=button]')) event.preventDefault();
    }
});

vscode.postMessage({ type: 'ready' });
