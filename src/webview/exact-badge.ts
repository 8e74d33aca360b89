/**
 * The preview's exact-placement badge (the "Exact placement" toggle's answer): what it says for
 * each state of the solve, and its HTML. Pure, as render.ts; every text goes through `escapeHtml`.
 */
import {
    formatLevel,
    formatPercent,
    formatRebalanceDropped,
    formatUnproved,
    formatUnprovedCount
} from '../planner/format.js';
import type { ExactSummary, ExactView } from '../protocol.js';
import { escapeHtml } from './escape.js';

const num = (n: number): string => n.toLocaleString('en-US');

/** What the exact-placement badge says: a class (`good`, `warn`, `bad`, `solving`, ``), a headline and a detail. */
export interface ExactBadge {
    readonly cls: string;
    readonly text: string;
    readonly detail: string;
}

/** How the solver's bound reads: "no placement places more than 80 of 88 cores" style. */
export function exactBoundText(s: ExactSummary): string {
    if (s.placedCoresBound < s.deployedCores)
        return `no placement places more than ${num(s.placedCoresBound)} of ${num(s.deployedCores)} cores`;
    if (s.placedCores >= s.deployedCores) return `all ${num(s.deployedCores)} cores placed`;
    return `${num(s.placedCores)} of ${num(s.deployedCores)} cores placed, no bound below ${num(s.placedCoresBound)} proved`;
}

function seconds(x: number): string {
    return x < 0.1
        ? `${Math.max(1, Math.round(x * 1000))} ms`
        : `${x < 10 ? x.toFixed(2) : x.toFixed(1)} s`;
}

/** The exact-placement badge of a state; undefined when the toggle is off. */
export function exactBadge(view: ExactView | undefined): ExactBadge | undefined {
    if (!view || view.state === 'off') return undefined;
    if (view.state === 'solving')
        return {
            cls: 'solving',
            text: 'solving for the exact placement…',
            detail: 'showing the heuristic placement meanwhile'
        };
    if (view.state === 'unavailable')
        return { cls: 'warn', text: 'no exact placement', detail: view.reason };
    const s = view.summary;
    if (s.nothingToPlace)
        return {
            cls: 'good',
            text: 'nothing to place',
            detail: 'a physical plan: every instance is its own machine'
        };
    const dropped = formatRebalanceDropped(s.rebalanceDropped); // day 2: see the CLI's exact line
    const util = `busiest host ${formatPercent(s.maxUtilisation)}${dropped ? ` · ${dropped}` : ''}`;
    if (s.status === 'optimal')
        return {
            cls: 'good',
            text: 'proved optimal',
            detail: `${exactBoundText(s)} · ${util} · ${seconds(s.seconds)}`
        };
    if (s.status === 'time-limit') {
        // a count level left open says its value and the best not ruled out, not "gap 100%"
        const level = s.levels.find(l => l.level === s.gapLevel);
        const count = formatUnprovedCount(level);
        return {
            cls: 'warn',
            text: `${count ? 'unproved' : formatUnproved(level, s.gap)} (time limit ${num(s.timeLimitSeconds)} s)`,
            detail: `${s.gapLevel ? `unproved: ${formatLevel(s.gapLevel)}${count ? `, ${count}` : ''} · ` : ''}${exactBoundText(s)} · ${util}`
        };
    }
    // infeasible or failed: the heuristic placement stays
    const text =
        s.status === 'infeasible'
            ? 'the exact solver found no placement'
            : 'the exact solver failed';
    return { cls: 'bad', text, detail: 'showing the heuristic placement' };
}

/** The mark before an exact badge's text, by its class. */
export const EXACT_MARK: Record<string, string> = {
    good: '✔',
    warn: '⚠',
    bad: '✖',
    solving: '',
    '': ''
};

/** The badge; the exports (no toggle beside it) say what it is about. */
export function renderExact(view: ExactView | undefined, interactive: boolean): string {
    const b = exactBadge(view);
    if (!b) return '';
    const spinner = b.cls === 'solving' ? '<span class="spinner" aria-hidden="true"></span>' : '';
    return `<div class="badge exact ${b.cls}" role="status" data-exact="${escapeHtml(view?.state === 'done' ? view.summary.status : (view?.state ?? ''))}">${spinner}${EXACT_MARK[b.cls] ? EXACT_MARK[b.cls] + ' ' : ''}${interactive ? '' : 'exact placement: '}<span class="exact-text">${escapeHtml(b.text)}</span> <span class="exact-detail">— ${escapeHtml(b.detail)}</span></div>`;
}
