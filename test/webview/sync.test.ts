/**
 * Scroll sync inside the webview (src/webview/sync.ts), in a real browser: Debian's Chromium
 * through playwright-core (as the UI suite uses it), on the preview's own markup and stylesheet
 * at 800 × 600. Checks which elements a target marks, that the first is brought into view only
 * when out of view, and which element the preview reports at its top after a scroll.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as esbuild from 'esbuild';
import * as path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { renderReport, REPORT_CSS } from '../../src/webview/render.js';
import type { PlanReport } from '../../src/planner/report.js';
import type { PreviewAnchor, PreviewTarget } from '../../src/protocol.js';
import { referenceReport } from './fixtures.js';

const CHROMIUM = process.env.DCPLAN_CHROMIUM ?? '/usr/bin/chromium';
let browser: Browser;
let page: Page;
let bundle: string;

async function load(report: PlanReport): Promise<void> {
    await page.setContent(
        `<!DOCTYPE html><html><head><style>${REPORT_CSS}</style></head><body class="vscode-dark"><main id="root">${renderReport(report, { interactive: true })}</main><div class="room-to-scroll" style="height:1200px"></div></body></html>`
    );
    await page.addScriptTag({ content: bundle });
    await page.evaluate(() => window.scrollTo(0, 0));
}

const highlight = (target: PreviewTarget | null, scroll = true) =>
    page.evaluate(
        ([t, s]) =>
            (window as any).sync.applyHighlight(document.getElementById('root'), t, s) as boolean,
        [target, scroll] as const
    );
const marked = () =>
    page.evaluate(() =>
        Array.from(document.querySelectorAll<HTMLElement>('.synced')).map(
            e => e.dataset.host ?? e.dataset.shape ?? e.dataset.name ?? e.tagName
        )
    );
const anchor = () =>
    page.evaluate(
        () =>
            (window as any).sync.topAnchor(document.getElementById('root')) as PreviewAnchor | null
    );
const scrollY = () => page.evaluate(() => window.scrollY);
/** Scrolls so that the element's top is at the viewport's top (plus `dy`). */
const scrollToTopOf = (selector: string, dy = 1) =>
    page.evaluate(
        ([sel, d]) => {
            const el = document.querySelector(sel)!;
            window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY + d);
        },
        [selector, dy] as const
    );
const inView = (selector: string) =>
    page.evaluate(sel => {
        const r = document.querySelector(sel)!.getBoundingClientRect();
        return r.top >= 0 && r.bottom <= window.innerHeight;
    }, selector);

beforeAll(async () => {
    const built = await esbuild.build({
        entryPoints: [path.resolve(__dirname, '../../src/webview/sync.ts')],
        bundle: true,
        write: false,
        format: 'iife',
        globalName: 'sync',
        target: 'es2022'
    });
    bundle = built.outputFiles[0].text;
    browser = await chromium.launch({
        executablePath: CHROMIUM,
        headless: true,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run']
    });
    page = await browser.newPage({ viewport: { width: 800, height: 600 } });
}, 120_000);

afterAll(async () => {
    await browser?.close();
});

describe('editor → preview: highlight', () => {
    it('a host block marks its hosts and scrolls the first into view', async () => {
        await load(referenceReport());
        expect(await scrollY()).toBe(0);
        expect(await inView('article.host[data-host="hv03"]')).toBe(false);
        expect(await highlight({ kind: 'host', names: ['hv03', 'hv04'], line: 38 })).toBe(true);
        expect(await marked()).toEqual(['hv03', 'hv04']);
        expect(await inView('article.host[data-host="hv03"]')).toBe(true);
        expect(await scrollY()).toBeGreaterThan(0);
    });

    it('an element already in view is marked without scrolling', async () => {
        const y = await scrollY();
        expect(await highlight({ kind: 'host', names: ['hv04'], line: 38 })).toBe(false);
        expect(await scrollY()).toBe(y);
        expect(await marked()).toEqual(['hv04']);
    });

    it('a deploy marks its instances: segments in host cards and unplaced chips, in page order', async () => {
        await load(referenceReport());
        await highlight({
            kind: 'deploy',
            names: ['proxy_4c-1', 'proxy_4c-2', 'proxy_4c-3'],
            line: 32
        });
        // the unplaced chip comes first on the page
        expect(await marked()).toEqual(['proxy_4c-3', 'proxy_4c-1', 'proxy_4c-2']);
    });

    it('a shape marks its instances and its entry in the roles table', async () => {
        await load(referenceReport());
        await highlight({ kind: 'shape', names: ['backend_8c'], line: 30 });
        expect(await marked()).toEqual([
            ...Array.from({ length: 8 }, (_, i) => `backend_8c-${i + 1}`),
            'backend_8c'
        ]);
        expect(await highlight(null)).toBe(false);
        expect(await marked()).toEqual([]);
    });

    it('names from the file are compared, never put into a selector', async () => {
        const r = referenceReport();
        const evil = 'a"]} *{x:y} [x="';
        await load({ ...r, hosts: r.hosts.map((h, i) => (i === 3 ? { ...h, name: evil } : h)) });
        await highlight({ kind: 'host', names: [evil], line: 38 });
        expect(await marked()).toEqual([evil]);
    });
});

describe('preview → editor: the element at the top', () => {
    it('line 1 at the top of the page, then hosts, shapes and diagnostics as scrolled', async () => {
        await load(referenceReport());
        expect(await anchor()).toEqual({ kind: 'line', line: 1 });
        await scrollToTopOf('article.host[data-host="hv03"]');
        expect(await anchor()).toEqual({ kind: 'host', name: 'hv03' });
        await scrollToTopOf('.shape-entry[data-shape="director_4c"]');
        expect(await anchor()).toEqual({ kind: 'shape', name: 'director_4c' });
        await scrollToTopOf('section.diagnostics', 0);
        const a = await anchor();
        expect(a?.kind).toBe('line');
        // the diagnostics are listed errors first: the first is the proxy's unplaceable on line 30
        expect(a).toEqual({
            kind: 'line',
            line: referenceReport()
                .diagnostics.filter(d => d.severity === 'error')
                .sort((x, y) => x.line - y.line)[0].line
        });
    });
});

describe('layout in the browser', () => {
    it('at 530 px the roles table scrolls sideways inside its container, with edge shadows', async () => {
        await page.setViewportSize({ width: 530, height: 600 });
        try {
            await load(referenceReport());
            const box = await page.evaluate(() => {
                const el = document.querySelector<HTMLElement>('section.roles .scroll-x')!;
                return {
                    scroll: el.scrollWidth,
                    client: el.clientWidth,
                    page: document.documentElement.scrollWidth,
                    bg: getComputedStyle(el).backgroundImage,
                    overflow: getComputedStyle(el).overflowX
                };
            });
            expect(box.scroll).toBeGreaterThan(box.client);
            expect(box.page).toBe(530); // the page itself does not scroll sideways
            expect(box.overflow).toBe('auto');
            expect(box.bg.match(/radial-gradient/g)).toHaveLength(2);
        } finally {
            await page.setViewportSize({ width: 800, height: 600 });
        }
    });

    it('high contrast: adjacent segments of one role are framed in the contrast border', async () => {
        await load(referenceReport());
        const seg = await page.evaluate(() => {
            document.body.className = 'vscode-high-contrast';
            document.body.style.setProperty('--vscode-contrastBorder', 'rgb(111, 195, 223)');
            const el = document.querySelector<HTMLElement>(
                'article.host[data-host="hv01"] .seg[data-name="backend_8c-1"]'
            )!;
            const cs = getComputedStyle(el);
            return {
                right: cs.borderRightWidth,
                left: cs.borderLeftWidth,
                color: cs.borderRightColor
            };
        });
        expect(seg).toEqual({ right: '3px', left: '1px', color: 'rgb(111, 195, 223)' });
    });
});
