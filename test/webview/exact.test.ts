import { describe, expect, it } from 'vitest';
import { renderReport, renderStandaloneHtml, renderSvg } from '../../src/webview/render.js';
import { exactBadge } from '../../src/webview/exact-badge.js';
import { exportReport } from '../../src/webview/export.js';
import type { ExactSummary, ExactView } from '../../src/protocol.js';
import { recommendedReport, referenceReport } from './fixtures.js';

/** seed-reference's proof, as `dcplan/optimal` answers it. */
function summary(over: Partial<ExactSummary> = {}): ExactSummary {
    return {
        status: 'optimal',
        gap: 0,
        gapLevel: null,
        placedCores: 80,
        placedCoresBound: 80,
        deployedCores: 88,
        maxUtilisation: 0.9090909,
        seconds: 0.27,
        timeLimitSeconds: 10,
        levels: [{ level: 'placedCores', value: 80, bound: 80, status: 'trivial', seconds: 0 }],
        ...over
    };
}
const done = (over: Partial<ExactSummary> = {}): ExactView => ({
    state: 'done',
    summary: summary(over)
});

describe('the exact-placement badge', () => {
    it('is absent when the toggle is off, and no toggle without the exact state', () => {
        expect(exactBadge(undefined)).toBeUndefined();
        expect(exactBadge({ state: 'off' })).toBeUndefined();
        const html = renderReport(referenceReport(), {
            interactive: true,
            exact: { state: 'off' }
        });
        expect(html).not.toContain('badge exact');
        expect(html).toContain('data-action="toggle-exact"');
        expect(html).not.toMatch(/data-action="toggle-exact" checked/);
        expect(renderReport(referenceReport(), { interactive: true })).not.toContain(
            'toggle-exact'
        );
    });

    it('solving: a spinner and the heuristic placement meanwhile; the toggle is checked', () => {
        const html = renderReport(referenceReport(), {
            interactive: true,
            exact: { state: 'solving' }
        });
        expect(html).toMatch(
            /<div class="badge exact solving" role="status" data-exact="solving"><span class="spinner"/
        );
        expect(html).toContain('solving for the exact placement…');
        expect(html).toContain('showing the heuristic placement meanwhile');
        expect(html).toContain('data-action="toggle-exact" checked');
    });

    it('proved optimal with rebalance moves given back: the badge says how many and why', () => {
        const b = exactBadge(done({ rebalanceDropped: 7 }))!;
        expect(b.text).toBe('proved optimal');
        expect(b.detail).toBe(
            "no placement places more than 80 of 88 cores · busiest host 90.9% · 7 rebalance moves given back: the optimum's migration order is blocked · 0.27 s"
        );
        expect(exactBadge(done({ rebalanceDropped: 1 }))!.detail).toContain(
            "· 1 rebalance move given back: the optimum's migration order is blocked ·"
        );
    });

    it('proved optimal, with the bound in words', () => {
        const b = exactBadge(done())!;
        expect(b.cls).toBe('good');
        expect(b.text).toBe('proved optimal');
        expect(b.detail).toContain('no placement places more than 80 of 88 cores');
        expect(b.detail).toContain('busiest host 90.9%');
        const html = renderReport(referenceReport(), { interactive: true, exact: done() });
        expect(html).toContain('data-exact="optimal"');
        expect(html).toContain('✔ <span class="exact-text">proved optimal</span>');
        // everything placed: no bound sentence about a shortfall
        expect(exactBadge(done({ placedCores: 88, placedCoresBound: 88 }))!.detail).toMatch(
            /^all 88 cores placed/
        );
    });

    it('gap at the time limit, with the unproved level and the bound', () => {
        const b = exactBadge(
            done({
                status: 'time-limit',
                gap: 0.0312,
                gapLevel: 'maxUtil',
                seconds: 10,
                placedCoresBound: 84
            })
        )!;
        expect(b.cls).toBe('warn');
        expect(b.text).toBe('gap 3.1% (time limit 10 s)');
        expect(b.detail).toBe(
            "unproved: the busiest host's utilisation · no placement places more than 84 of 88 cores · busiest host 90.9%"
        );
        expect(
            exactBadge(done({ status: 'time-limit', gap: null, placedCoresBound: 88 }))!.text
        ).toBe('gap unknown (time limit 10 s)');
        expect(
            exactBadge(done({ status: 'time-limit', gap: null, placedCoresBound: 88 }))!.detail
        ).toContain('80 of 88 cores placed, no bound below 88 proved');
    });

    it('a count level left open at the time limit: its value and the fewest not ruled out, not "gap 100%"', () => {
        const b = exactBadge(
            done({
                status: 'time-limit',
                gap: 1,
                gapLevel: 'singleRole',
                placedCores: 88,
                placedCoresBound: 88,
                levels: [
                    { level: 'placedCores', value: 88, bound: 88, status: 'optimal', seconds: 1 },
                    { level: 'singleRole', value: 3, bound: 0, status: 'time-limit', seconds: 9 }
                ]
            })
        )!;
        expect(b.cls).toBe('warn');
        expect(b.text).toBe('unproved (time limit 10 s)');
        expect(b.detail).toBe(
            'unproved: the hosts running one role, 3 here, perhaps as few as 0 · all 88 cores placed · busiest host 90.9%'
        );
    });

    it('a physical plan says nothing to place, not a busiest host of 0%', () => {
        const b = exactBadge(
            done({
                nothingToPlace: true,
                placedCores: 0,
                placedCoresBound: 0,
                deployedCores: 0,
                maxUtilisation: 0
            })
        )!;
        expect(b).toEqual({
            cls: 'good',
            text: 'nothing to place',
            detail: 'a physical plan: every instance is its own machine'
        });
    });

    it('solver failure and unavailable states say the heuristic is shown', () => {
        expect(exactBadge(done({ status: 'failed' }))).toEqual({
            cls: 'bad',
            text: 'the exact solver failed',
            detail: 'showing the heuristic placement'
        });
        // infeasible is said apart from a failure
        expect(exactBadge(done({ status: 'infeasible' }))).toEqual({
            cls: 'bad',
            text: 'the exact solver found no placement',
            detail: 'showing the heuristic placement'
        });
        const u = exactBadge({ state: 'unavailable', reason: 'the file has syntax errors' })!;
        expect(u).toMatchObject({
            cls: 'warn',
            text: 'no exact placement',
            detail: 'the file has syntax errors'
        });
    });

    it('escapes the reason, and the exports carry the badge but no toggle', () => {
        const evil: ExactView = { state: 'unavailable', reason: '<img src=x onerror=alert(1)>' };
        for (const text of [
            renderReport(recommendedReport(), { interactive: true, exact: evil }),
            renderSvg(recommendedReport(), { exact: evil }),
            exportReport(recommendedReport(), 'html', { exact: evil })
        ]) {
            expect(text).not.toContain('<img');
            expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
        }
        const html = renderStandaloneHtml(referenceReport(), { exact: done() });
        expect(html).toContain('✔ exact placement: <span class="exact-text">proved optimal</span>');
        expect(html).not.toContain('toggle-exact');
        const svg = exportReport(referenceReport(), 'svg', { exact: done() });
        expect(svg).toContain(
            '✔ exact placement: proved optimal<title>no placement places more than 80 of 88 cores'
        );
        expect(exportReport(referenceReport(), 'svg')).not.toContain('exact placement');
        expect(html).not.toMatch(/style=/);
    });
});
