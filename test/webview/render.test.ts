import { describe, expect, it } from 'vitest';
import {
    escapeHtml,
    renderReport,
    renderStandaloneHtml,
    renderSvg,
    shapeOfInstance,
    REPORT_CSS
} from '../../src/webview/render.js';
import { exportReport } from '../../src/webview/export.js';
import { largeReport, recommendedReport, referenceReport } from './fixtures.js';

const XSS = '<img src=x onerror=alert(1)>';

describe('renderReport', () => {
    it('the host-failure badge of a plan that survives two losses says N+2 holds with its hosts', () => {
        const html = renderReport(
            { ...recommendedReport(), hostFailure: { tolerates: 2, hostsNeededForNPlus1: 4 } },
            { interactive: true }
        );
        expect(html).toContain(
            '<div class="badge good">✔ survives 2 host losses; N+2 holds with the plan&#39;s 4 hosts</div>'
        );
        expect(html.match(/<div class="badge[^"]*">[^<]*N\+\d[^<]*<\/div>/g)).toEqual([
            '<div class="badge good">✔ survives 2 host losses; N+2 holds with the plan&#39;s 4 hosts</div>'
        ]);
    });

    it('all placed is no green check while pins overcommit a host', () => {
        const base = recommendedReport();
        const hosts = base.hosts.map((h, k) =>
            k === 0 ? { ...h, usedCores: 26, overcommitted: true } : h
        );
        const badges = (html: string) =>
            html.match(/<div class="badge (good|bad)">[^<]*placed<\/div>/g);
        expect(badges(renderReport({ ...base, hosts }, { interactive: true }))).toEqual([
            '<div class="badge bad">✖ 1 host overcommitted by pins; all 32 instances placed</div>'
        ]);
        expect(badges(renderReport(base, { interactive: true }))).toEqual([
            '<div class="badge good">✔ all 32 instances placed</div>'
        ]);
    });

    it('the roles table has no row for a role neither deployed nor asked for (as the CLI)', () => {
        const base = recommendedReport();
        const roles = {
            ...base.roles,
            director: { ...base.roles.director, instances: 0, cores: 0, demandCores: null }
        };
        const rows = (html: string) =>
            html
                .match(/<tr><td><span class="key role-(\w+)"><\/span>/g)
                ?.map(r => /role-(\w+)/.exec(r)![1]);
        expect(rows(renderReport({ ...base, roles }))).toEqual(['proxy', 'backend']);
        // asked for and not deployed: its row stays (its demand is short)
        const asked = { ...roles, director: { ...roles.director, demandCores: 12 } };
        expect(rows(renderReport({ ...base, roles: asked }))).toEqual([
            'proxy',
            'director',
            'backend'
        ]);
    });

    it('renders one card per host with its VMs, the reserve apart, memory and loss impact', () => {
        const html = renderReport(recommendedReport(), { interactive: true });
        expect(html.match(/<article class="host/g)).toHaveLength(4);
        expect(html).toContain('22 / 22 vCPUs · 100%');
        expect(html).toContain('hv 2');
        expect(html).toContain('3× proxy_1c');
        expect(html).toContain('1× director_3c');
        expect(html).toContain('4× backend_4c');
        expect(html).toContain('If lost: <b>25% of sessions</b>');
        expect(html).toContain('memory 140 / 368 GiB');
        expect(html).toContain('all 32 instances placed');
        expect(html).toContain('N+1 needs 5 hosts');
        // per-role table: maintenance impacts as the spec prints them
        expect(html).toContain('8.3%');
        expect(html).toContain('6.3%');
        expect(html).toMatch(/data-kind="host" data-name="hv01"/);
        expect(html).toMatch(/data-kind="instance" data-name="backend_4c-1"/);
        expect(html).not.toMatch(/style=/);
    });

    it('lists unplaced instances and clickable diagnostics; marks stale reports', () => {
        const html = renderReport(referenceReport(), { interactive: true, stale: true });
        expect(html).toContain('2 instances unplaced (8 cores)');
        expect(html).toContain('the total fits, the pieces do not');
        // not proved (no solver answer, no common divisor that rules it out): said so
        expect(
            renderReport(
                { ...referenceReport(), fragmentationProved: false },
                { interactive: true }
            )
        ).toContain('the total fits; not proved that the pieces cannot');
        expect(html).toMatch(/data-kind="instance" data-name="proxy_4c-3"/);
        expect(html).toMatch(/data-line="30" data-column="1"/);
        expect(html).toContain('last good placement');
        // errors are listed first
        expect(html.indexOf('unplaceable')).toBeLessThan(html.indexOf('login-idle-cores'));
    });

    it('exports are inert (no data-reveal attributes)', () => {
        expect(renderStandaloneHtml(referenceReport())).not.toContain('data-kind');
    });

    it('escapes every user string', () => {
        const r = referenceReport();
        const evil = {
            ...r,
            title: XSS,
            plan: XSS,
            file: `file:///x/${XSS}.dcplan`,
            diagnostics: [{ ...r.diagnostics[0], code: XSS, message: XSS, file: XSS }],
            hosts: r.hosts.map(h => ({
                ...h,
                name: XSS,
                rack: XSS,
                instances: [...h.instances, `${XSS}-1`]
            })),
            unplaced: [{ instance: XSS, shape: XSS, cores: 1, memoryGiB: 1 }],
            roles: {
                ...r.roles,
                proxy: {
                    ...r.roles.proxy,
                    shapes: [{ shape: XSS, instances: 1, cores: 1, memoryGiB: 1 }]
                }
            }
        };
        for (const text of [
            renderReport(evil, { interactive: true }),
            renderStandaloneHtml(evil),
            renderSvg(evil),
            exportReport(evil, 'html')
        ]) {
            expect(text).not.toContain('<img');
            expect(text).toContain('&lt;img src=x onerror=alert(1)&gt;');
        }
        expect(escapeHtml(`"'&<>`)).toBe('&quot;&#39;&amp;&lt;&gt;');
    });

    it('tells 4100 MiB used from 4096 usable in cards and compact rows: 4.0039 / 4', () => {
        const base = recommendedReport();
        const hosts = base.hosts.map((h, k) =>
            k === 0 ? { ...h, usedMemoryGiB: 4100 / 1024, usableMemoryGiB: 4 } : h
        );
        expect(renderReport({ ...base, hosts }, { interactive: true })).toContain(
            'memory 4.0039 / 4 GiB'
        );
        const many = largeReport(5000);
        const rows = renderReport(
            {
                ...many,
                hosts: many.hosts.map((h, k) =>
                    k === 0 ? { ...h, usedMemoryGiB: 4100 / 1024, usableMemoryGiB: 4 } : h
                )
            },
            { interactive: true }
        );
        expect(rows).toContain('<td class="n">4.0039 / 4</td>');
        expect(rows).toContain('<td class="n">140 / 368</td>');
    });

    it('renders thousands of hosts quickly as compact rows', () => {
        const report = largeReport(5000);
        const start = performance.now();
        const html = renderReport(report, { interactive: true });
        const ms = performance.now() - start;
        expect(html).toContain('5,000 hosts: shown as compact rows');
        expect(html).not.toContain('<article');
        expect(ms).toBeLessThan(1000);
    });

    it('has width classes for every per-mille', () => {
        expect(REPORT_CSS).toContain('.w-0{width:0%}');
        expect(REPORT_CSS).toContain('.w-1000{width:100%}');
    });

    it('splits instance names into shape and number', () => {
        expect(shapeOfInstance('proxy_1c-12')).toBe('proxy_1c');
        expect(shapeOfInstance('my-shape-3')).toBe('my-shape');
    });
});

describe('renderSvg', () => {
    it('is a standalone SVG with the hosts and unplaced instances', () => {
        const svg = renderSvg(referenceReport());
        expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
        expect(svg).toContain('>hv04<');
        expect(svg).toContain('proxy_4c-3 (4c)');
        expect(svg.trim().endsWith('</svg>')).toBe(true);
    });
});
