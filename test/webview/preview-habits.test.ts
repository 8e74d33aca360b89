/**
 * The preview's habits from issue 14: memory with thousands separators like vCPUs, a loss line
 * that names only the roles the plan deploys, tables that show they scroll, high-contrast frames
 * for VM segments, and the markup scroll sync finds (shape entries).
 */
import { describe, expect, it } from 'vitest';
import { gib } from '../../src/webview/gib.js';
import {
    renderReport,
    renderStandaloneHtml,
    rolesInPlan,
    REPORT_CSS
} from '../../src/webview/render.js';
import type { PlanReport } from '../../src/planner/report.js';
import { recommendedReport, referenceReport } from './fixtures.js';

/** seed-recommended without its directors (and their share on every host). */
function withoutDirectors(): PlanReport {
    const r = recommendedReport();
    return {
        ...r,
        roles: {
            ...r.roles,
            director: {
                ...r.roles.director,
                instances: 0,
                cores: 0,
                memoryGiB: 0,
                maintenanceImpact: 0,
                hostsUsed: 0,
                maxOnOneHost: 0,
                shapes: []
            }
        },
        hosts: r.hosts.map(h => ({
            ...h,
            instances: h.instances.filter(i => !i.startsWith('director')),
            lossImpact: { ...h.lossImpact, director: 0 }
        }))
    };
}

describe('memory figures', () => {
    it('gib separates thousands and keeps at most two decimals', () => {
        expect(gib(22080)).toBe('22,080');
        expect(gib(1472)).toBe('1,472');
        expect(gib(1472.5)).toBe('1,472.5');
        expect(gib(2 / 3)).toBe('0.67');
        expect(gib(368)).toBe('368');
        expect(gib(0)).toBe('0');
    });

    it('the totals and the roles table print memory like vCPUs', () => {
        const html = renderReport(recommendedReport());
        // usable memory: 4 hosts x 368 GiB
        expect(html).toContain(
            '<td>memory GiB</td><td class="n">—</td><td class="n">560</td><td class="n">1,472</td>'
        );
        const big = recommendedReport();
        const hosts = big.hosts.map(h => ({ ...h, usableMemoryGiB: 5520, usedMemoryGiB: 1234.5 }));
        const roles = { ...big.roles, backend: { ...big.roles.backend, memoryGiB: 22080 } };
        const html2 = renderReport({
            ...big,
            hosts,
            roles,
            totals: { ...big.totals, usableMemoryGiB: 22080 }
        });
        expect(html2).toContain('memory 1,234.5 / 5,520 GiB (+16 GiB hypervisor)');
        expect(html2).toContain('<td class="n">22,080</td></tr>');
        expect(html2).not.toMatch(/\b22080\b/);
    });
});

describe('loss line', () => {
    it('names every role of a plan that deploys all three', () => {
        const html = renderReport(recommendedReport());
        expect(html.match(/\(proxy 25%, director 25%, backend 25%\)/g)).toHaveLength(4);
    });

    it('omits the roles a plan does not deploy: no "director 0%"', () => {
        const report = withoutDirectors();
        expect(rolesInPlan(report)).toEqual(['proxy', 'backend']);
        const html = renderReport(report, { interactive: true });
        expect(html).not.toContain('director 0%');
        expect(
            html.match(
                /If lost: <b>25% of sessions<\/b> <span class="muted">\(proxy 25%, backend 25%\)<\/span>/g
            )
        ).toHaveLength(4);
    });

    it('keeps a deployed role at 0% on a host that runs none of it', () => {
        // seed-reference: directors are deployed, hv01 runs none
        const html = renderReport(referenceReport());
        expect(html).toContain('(proxy 33.3%, director 0%, backend 25%)');
    });
});

describe('tables that scroll', () => {
    it('wraps the roles and totals tables in a scroll container with edge shadows', () => {
        const html = renderReport(recommendedReport());
        expect(html).toContain(
            '<section class="roles"><h2>Roles</h2><div class="scroll-x"><table>'
        );
        expect(html).toContain('<section class="totals"><div class="scroll-x"><table>');
        const rule = REPORT_CSS.match(/\.scroll-x\{[^}]*\}/)![0];
        expect(rule).toContain('overflow-x:auto');
        // the covers move with the content (local), the shadows stay at the edges (scroll)
        expect(rule.match(/no-repeat local/g)).toHaveLength(2);
        expect(rule.match(/radial-gradient\(farthest-side at (0|100%) 50%/g)).toHaveLength(2);
        expect(rule.match(/no-repeat scroll/g)).toHaveLength(2);
    });

    it('roles table: each shape is an entry scroll sync can find', () => {
        const html = renderReport(recommendedReport());
        expect(html).toContain(
            '<span class="shape-entry" data-shape="proxy_1c">12 × 1 <span class="muted">(proxy_1c)</span></span>'
        );
        expect(html).toContain('data-shape="backend_4c"');
        const evil = recommendedReport();
        const html2 = renderReport({
            ...evil,
            roles: {
                ...evil.roles,
                proxy: {
                    ...evil.roles.proxy,
                    shapes: [{ shape: '"><b>x', instances: 1, cores: 1, memoryGiB: 1 }]
                }
            }
        });
        expect(html2).toContain('data-shape="&quot;&gt;&lt;b&gt;x"');
        expect(html2).not.toContain('<b>x');
    });
});

describe('high contrast', () => {
    it('frames every VM segment in the contrast border, thicker on the right', () => {
        expect(REPORT_CSS).toContain(
            'body.vscode-high-contrast .seg:not(.free),body.vscode-high-contrast-light .seg:not(.free){border:1px solid var(--vscode-contrastBorder,var(--fg));border-right-width:3px;'
        );
        expect(REPORT_CSS).toContain(
            'body.vscode-high-contrast .bar,body.vscode-high-contrast-light .bar{border-color:var(--vscode-contrastBorder,var(--fg))}'
        );
    });

    it('the scroll-sync mark is an outline in the focus colour', () => {
        expect(REPORT_CSS).toContain('.synced{outline:2px solid var(--focus);outline-offset:2px}');
        expect(renderStandaloneHtml(recommendedReport())).not.toContain('synced"');
    });
});
