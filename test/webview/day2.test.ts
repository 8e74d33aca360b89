/**
 * Day 2 in the preview (issue 12): the report of examples/day2-drain.dcplan placed from its lock
 * (the moves its header states: hv02's 8 instances to hv05), rendered as the webview renders it:
 * the Moves section, the moved VM segments, "k in, m out" and "drained" on the host cards, the
 * "Save Current Placement" quick action; a plan without a lock shows none of it. And the CLI's
 * host table says "drained" instead of 0/0.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkFiles } from '../../language-server/check.js';
import { runCli } from '../../src/cli/main.js';
import type { PlanReport } from '../../src/planner/report.js';
import { renderReport, renderStandaloneHtml } from '../../src/webview/render.js';
import { recommendedReport } from './fixtures.js';

const XSS = '<img src=x onerror=alert(1)>';
const DRAINED_MOVES = [
    'proxy_1c-4',
    'proxy_1c-5',
    'proxy_1c-6',
    'director_3c-2',
    'backend_4c-5',
    'backend_4c-6',
    'backend_4c-7',
    'backend_4c-8'
];

async function report(file: string): Promise<PlanReport> {
    return (await checkFiles([file]))[0].report;
}

/** The `<article>` of a host card. */
function card(html: string, host: string): string {
    const start = html.indexOf(`<article class="host`, html.indexOf(`data-host="${host}"`) - 60);
    return html.slice(start, html.indexOf('</article>', start));
}

describe('the preview of a plan placed from its lock (day2-drain)', () => {
    it('lists the 8 moves in order, marks the moved segments, says 8 in / 8 out and drained', async () => {
        const r = await report('examples/day2-drain.dcplan');
        const html = renderReport(r, { interactive: true });
        const section = html.slice(
            html.indexOf('<section class="moves">'),
            html.indexOf('</section>', html.indexOf('<section class="moves">'))
        );
        expect(section).toContain(
            '<h2>Moves <span class="muted">(from <code>day2-drain.dcplan.lock</code>)</span></h2>'
        );
        expect(section).toContain('<p class="moves-summary">moves: 8</p>');
        const steps = [
            ...section.matchAll(
                /<li class="step" data-step="(\d+)"[^>]*><b>([^<]+)<\/b>: (\w+) → (\w+) <span class="muted reason">\((\w+) drained\)<\/span><\/li>/g
            )
        ].map(m => `${m[1]}. ${m[2]}: ${m[3]} → ${m[4]} (${m[5]} drained)`);
        // each move says why: its host is drained
        expect(steps).toEqual(
            DRAINED_MOVES.map((inst, i) => `${i + 1}. ${inst}: hv02 → hv05 (hv02 drained)`)
        );
        expect(section).not.toContain('temporary hop');
        expect(section).not.toContain('migration-blocked');
        // each step reveals its instance's deploy line
        expect(section).toContain(
            '<li class="step" data-step="1" data-kind="instance" data-name="proxy_1c-4" tabindex="0" role="button"'
        );

        const hv05 = card(html, 'hv05');
        expect(hv05).toContain(
            '<span class="inout" title="migration steps onto hv05: 8, off it: 0">8 in, 0 out</span>'
        );
        expect(hv05).not.toContain('class="drained"');
        const moved = [
            ...hv05.matchAll(
                /<span class="seg [^"]* moved" data-kind="instance" data-name="([^"]+)"[^>]* title="([^"]+)"><span class="moved-mark" aria-hidden="true">↘<\/span>/g
            )
        ].map(m => `${m[1]} | ${m[2]}`);
        expect(moved).toEqual([
            'proxy_1c-4 | proxy_1c-4 · proxy · 1 vCPU · 2 GiB · moved from hv02',
            'proxy_1c-5 | proxy_1c-5 · proxy · 1 vCPU · 2 GiB · moved from hv02',
            'proxy_1c-6 | proxy_1c-6 · proxy · 1 vCPU · 2 GiB · moved from hv02',
            'director_3c-2 | director_3c-2 · director · 3 vCPUs · 6 GiB · moved from hv02',
            'backend_4c-5 | backend_4c-5 · backend · 4 vCPUs · 32 GiB · moved from hv02',
            'backend_4c-6 | backend_4c-6 · backend · 4 vCPUs · 32 GiB · moved from hv02',
            'backend_4c-7 | backend_4c-7 · backend · 4 vCPUs · 32 GiB · moved from hv02',
            'backend_4c-8 | backend_4c-8 · backend · 4 vCPUs · 32 GiB · moved from hv02'
        ]);
        expect(html.match(/ moved"/g)).toHaveLength(8);

        const hv02 = card(html, 'hv02');
        expect(hv02).toContain(
            '<span class="drained" title="drain = true: in maintenance, it runs nothing unpinned">drained</span><span class="inout" title="migration steps onto hv02: 0, off it: 8">0 in, 8 out</span>'
        );
        expect(hv02).toContain('<span class="muted">runs nothing</span>');
        // hosts no step touches: no "in, out" label
        for (const h of ['hv01', 'hv03', 'hv04'])
            expect(card(html, h)).not.toContain('class="inout"');

        // the quick action, in the webview only (the exports are inert)
        expect(html).toContain(
            '<button type="button" class="save-placement" data-action="save-placement"'
        );
        expect(html).toContain('>Save Current Placement</button>');
        const exported = renderStandaloneHtml(r);
        expect(exported).not.toContain('<button');
        expect(exported).toContain('<p class="moves-summary">moves: 8</p>');

        // compact rows (many hosts) carry the same labels
        const rows = renderReport(r, { compactThreshold: 1 });
        const row = rows.slice(
            rows.indexOf('<tr><td><span class="host-name">hv02</span>'),
            rows.indexOf('</tr>', rows.indexOf('<span class="host-name">hv02</span>'))
        );
        expect(row).toContain(
            '<span class="host-name">hv02</span> <span class="drained" title="drain = true: in maintenance, it runs nothing unpinned">drained</span><span class="inout" title="migration steps onto hv02: 0, off it: 8">0 in, 8 out</span></td>'
        );
    });

    it('shows no Moves section, no moved marker and no in/out without a lock', async () => {
        const r = await report('examples/seed-recommended.dcplan');
        expect(r.moves).toBeUndefined();
        const html = renderReport(r, { interactive: true });
        expect(html).not.toContain('class="moves"');
        expect(html).not.toContain('moved');
        expect(html).not.toContain('class="inout"');
        expect(html).not.toContain('class="drained"');
        // the quick action is there: saving the first lock is how day 2 starts
        expect(html).toContain('data-action="save-placement"');
    });

    it('counts the kinds of the ordered steps only, as the CLI: blocked ones apart', () => {
        // a newcomer's renamed shape: 2 removals and 2 creations, all blocked, read "in 0 steps
        // with 2 removals, 2 creations, 4 blocked"
        const step = (n: number, kind: 'remove' | 'create', instance: string, host: string) => ({
            step: n,
            kind,
            instance,
            from: host,
            to: kind === 'remove' ? null : host,
            temporary: false,
            blocked: true as const
        });
        const html = renderReport(
            {
                ...recommendedReport(),
                lockFile: '/x/p.dcplan.lock',
                moves: [
                    step(1, 'remove', 'px-1', 'h1'),
                    step(2, 'remove', 'px-2', 'h2'),
                    step(3, 'create', 'proxy_4c-1', 'h1'),
                    step(4, 'create', 'proxy_4c-2', 'h2')
                ]
            },
            { interactive: false }
        );
        expect(html).toContain('<p class="moves-summary">moves: 0, 4 blocked</p>');
    });

    it('says 0 moves with a lock and nothing to move; temporary hops and blocked moves as such; escapes', () => {
        const base = recommendedReport();
        const none = renderReport(
            { ...base, lockFile: '/x/p.dcplan.lock', moves: [] },
            { interactive: true }
        );
        expect(none).toContain(
            '<p class="muted moves-none">moves: 0 — every instance stays where it runs.</p>'
        );
        expect(none).not.toContain('class="inout"');

        const hops = renderReport(
            {
                ...base,
                lockFile: '/x/p.dcplan.lock',
                moves: [
                    {
                        step: 1,
                        kind: 'move',
                        instance: 'backend_4c-1',
                        from: 'hv01',
                        to: 'hv03',
                        temporary: true
                    },
                    {
                        step: 2,
                        kind: 'move',
                        instance: 'backend_4c-5',
                        from: 'hv02',
                        to: 'hv01',
                        temporary: false
                    },
                    {
                        step: 3,
                        kind: 'move',
                        instance: 'backend_4c-1',
                        from: 'hv03',
                        to: 'hv02',
                        temporary: false
                    },
                    {
                        step: 4,
                        kind: 'move',
                        instance: 'proxy_1c-1',
                        from: 'hv01',
                        to: 'hv04',
                        temporary: false,
                        blocked: true
                    }
                ]
            },
            { interactive: false }
        );
        expect(hops).toContain(
            '<p class="moves-summary">moves: 3, in 3 steps with 1 temporary hop, 1 blocked</p>'
        );
        expect(hops).toContain(
            '<li class="step temporary" data-step="1" title="step 1: move backend_4c-1 from hv01 to hv03"><b>backend_4c-1</b>: hv01 → hv03 <span class="hop">temporary hop: it moves on in a later step</span></li>'
        );
        expect(hops).toContain(
            '<p class="bad-text">✖ migration-blocked: no safe order for this move</p><ul class="blocked"><li class="blocked-move" data-step="4"><b>proxy_1c-1</b>: hv01 → hv04 <span class="hop">blocked</span></li></ul>'
        );
        // why it is blocked is the diagnostic's (a newcomer's preview blamed "no host has room"
        // where a director would have been left on one host): shown as it says it, escaped
        const why =
            'no safe migration order: director would be left on one host while 2 new instances wait for room; these 4 steps block (…): <a>';
        const withWhy = renderReport(
            {
                ...base,
                lockFile: '/x/p.dcplan.lock',
                moves: [
                    {
                        step: 1,
                        kind: 'move',
                        instance: 'proxy_1c-1',
                        from: 'hv01',
                        to: 'hv04',
                        temporary: false,
                        blocked: true
                    }
                ],
                diagnostics: [
                    {
                        code: 'migration-blocked',
                        severity: 'error',
                        line: 1,
                        column: 1,
                        endLine: 1,
                        endColumn: 2,
                        message: why
                    }
                ]
            },
            { interactive: false }
        );
        expect(withWhy).toContain(
            '<p class="bad-text">✖ migration-blocked: no safe order for this move</p><p class="blocked-why">no safe migration order: director would be left on one host while 2 new instances wait for room; these 4 steps block (…): &lt;a&gt;</p>'
        );
        // the blocked move is not a step of the ordered list, but counts on its hosts and its segment says so
        expect(hops).not.toContain('<li class="step" data-step="4"');
        expect(card(hops, 'hv04')).toContain('>1 in, 0 out</span>');
        expect(hops).toContain(
            'title="proxy_1c-1 · proxy · 1 vCPU · 2 GiB · moves from hv01 (blocked: no safe order)"'
        );
        // the hop counts on the host it passes through, both ways; the segment says from where it came first
        expect(card(hops, 'hv03')).toContain('>1 in, 1 out</span>');
        // hv01: backend_4c-5 in; backend_4c-1 out, and proxy_1c-1 (blocked) out
        expect(card(hops, 'hv01')).toContain('>1 in, 2 out</span>');
        expect(hops).toContain(
            'title="backend_4c-5 · backend · 4 vCPUs · 32 GiB · moved from hv02"'
        );

        const evil = renderReport(
            {
                ...base,
                lockFile: `/x/${XSS}.lock`,
                hosts: base.hosts.map(h => ({
                    ...h,
                    name: XSS + h.name,
                    instances: [XSS + '-1', ...h.instances]
                })),
                moves: [
                    {
                        step: 1,
                        kind: 'move',
                        instance: XSS + '-1',
                        from: XSS,
                        to: XSS + 'hv01',
                        temporary: true
                    },
                    {
                        step: 2,
                        kind: 'move',
                        instance: XSS,
                        from: XSS,
                        to: XSS,
                        temporary: false,
                        blocked: true
                    }
                ]
            },
            { interactive: true }
        );
        expect(evil).not.toContain('<img');
        expect(evil).toContain('&lt;img src=x onerror=alert(1)&gt;');
    });
});

describe('the preview of a resizing move that hops', () => {
    it('says the sizes on the hop, where the new size is taken, and keeps them in the tooltip', () => {
        const html = renderReport(
            {
                ...recommendedReport(),
                lockFile: '/x/p.dcplan.lock',
                moves: [
                    {
                        step: 1,
                        kind: 'move',
                        instance: 'backend_4c-1',
                        from: 'hv01',
                        to: 'hv03',
                        temporary: true,
                        fromSize: { cores: 4, memoryGiB: 16 },
                        toSize: { cores: 4, memoryGiB: 32 }
                    },
                    {
                        step: 2,
                        kind: 'move',
                        instance: 'backend_4c-1',
                        from: 'hv03',
                        to: 'hv02',
                        temporary: false
                    }
                ]
            },
            { interactive: false }
        );
        expect(html).toContain(
            '<li class="step temporary" data-step="1" title="step 1: move backend_4c-1 from hv01 to hv03 at its shape&#39;s new size: 4 vCPUs, 16 → 32 GiB"><b>backend_4c-1</b>: hv01 → hv03 <span class="muted">(4 vCPUs, 16 → 32 GiB)</span> <span class="hop">temporary hop: it moves on in a later step</span></li>'
        );
        expect(html).toContain(
            '<li class="step" data-step="2" title="step 2: move backend_4c-1 from hv03 to hv02"><b>backend_4c-1</b>: hv03 → hv02</li>'
        );
        // the segment's tooltip: the whole move, from its first host, with the sizes of its hop
        expect(html).toContain(
            'title="backend_4c-1 · backend · 4 vCPUs · 32 GiB · moved from hv01 (with 1 temporary hop) at its shape&#39;s new size: 4 vCPUs, 16 → 32 GiB"'
        );
    });
});

describe('the preview of stop, remove and rebuild steps', () => {
    it('lists each kind as such, counts moves and stops, marks a rebuild, escapes every name', () => {
        const base = recommendedReport();
        const moves: NonNullable<PlanReport['moves']> = [
            {
                step: 1,
                kind: 'remove',
                instance: 'proxy_1c-13',
                from: 'hv04',
                to: null,
                temporary: false
            },
            {
                step: 2,
                kind: 'stop',
                instance: 'proxy_1c-4',
                from: 'hv02',
                to: null,
                temporary: false,
                fromSize: { cores: 1, memoryGiB: 2 }
            },
            {
                step: 3,
                kind: 'move',
                instance: 'backend_4c-5',
                from: 'hv02',
                to: 'hv01',
                temporary: false
            },
            {
                step: 4,
                kind: 'rebuild',
                instance: 'director_3c-1',
                from: 'hv01',
                to: 'hv01',
                temporary: false
            }
        ];
        const html = renderReport(
            { ...base, lockFile: '/x/p.dcplan.lock', moves },
            { interactive: true }
        );
        // 2 moves: the move and the stop; the removal and the rebuild are steps only
        expect(html).toContain(
            '<p class="moves-summary">moves: 2, in 4 steps with 1 stop, 1 removal, 1 rebuild in place</p>'
        );
        // a removed instance is not in the plan: no reveal on click; its shape's size unknown
        // (a lock without `shapes`): no size
        expect(html).toContain(
            '<li class="step remove" data-step="1" data-step-kind="remove" title="step 1: remove proxy_1c-13 from hv04: the plan no longer deploys it"><b>proxy_1c-13</b>: <span class="kind">remove</span> from hv04 <span class="muted">(no longer deployed)</span></li>'
        );
        // a stop says the size it ran at, as the CLI does
        expect(html).toContain(
            '<li class="step stop" data-step="2" data-step-kind="stop" data-kind="instance" data-name="proxy_1c-4" tabindex="0" role="button" title="step 2: stop proxy_1c-4 on hv02 (1 vCPU, 2 GiB): the plan leaves it unplaced (no room)"><b>proxy_1c-4</b>: <span class="kind">stop</span> on hv02 <span class="muted">(1 vCPU, 2 GiB) (left unplaced: no room in the plan)</span></li>'
        );
        expect(html).toContain(
            '<li class="step rebuild" data-step="4" data-step-kind="rebuild" data-kind="instance" data-name="director_3c-1" tabindex="0" role="button" title="step 4: rebuild director_3c-1 on hv01 at its shape&#39;s new size"><b>director_3c-1</b>: <span class="kind">rebuild</span> on hv01 <span class="muted">(its shape changed size)</span></li>'
        );
        // the rebuilt VM stays: its own marker and tooltip; hv01 counts the move in, not the rebuild
        expect(html).toContain(
            'title="director_3c-1 · director · 3 vCPUs · 6 GiB · rebuilt in place at its shape&#39;s new size"><span class="moved-mark" aria-hidden="true">⟳</span>'
        );
        expect(card(html, 'hv01')).toContain('>1 in, 0 out</span>');
        // the stop and the move leave hv02; the removal leaves hv04
        expect(card(html, 'hv02')).toContain('>0 in, 2 out</span>');
        expect(card(html, 'hv04')).toContain('>0 in, 1 out</span>');

        const evil = renderReport(
            {
                ...base,
                lockFile: '/x/p.dcplan.lock',
                moves: moves.map(m => ({
                    ...m,
                    instance: XSS + m.instance,
                    from: XSS,
                    to: m.to === null ? null : XSS
                }))
            },
            { interactive: true }
        );
        expect(evil).not.toContain('<img');
        expect(evil).toContain(
            '&lt;img src=x onerror=alert(1)&gt;proxy_1c-4</b>: <span class="kind">stop</span> on &lt;img'
        );
    });
});

describe('the preview of a creation step', () => {
    it('lists a removal then a creation in its room: a creation counts in, gets no moved mark', () => {
        const base = recommendedReport();
        const moves: NonNullable<PlanReport['moves']> = [
            {
                step: 1,
                kind: 'remove',
                instance: 'proxy_old-1',
                from: 'hv01',
                to: null,
                temporary: false,
                fromSize: { cores: 1, memoryGiB: 4 }
            },
            {
                step: 2,
                kind: 'create',
                instance: 'proxy_1c-1',
                from: 'hv01',
                to: 'hv01',
                temporary: false,
                toSize: { cores: 1, memoryGiB: 2 }
            }
        ];
        const html = renderReport(
            { ...base, lockFile: '/x/p.dcplan.lock', moves },
            { interactive: true }
        );
        expect(html).toContain(
            '<p class="moves-summary">moves: 0, in 2 steps with 1 removal, 1 creation</p>'
        );
        // each with its size, as the CLI says it: the lock's of the removed, the plan's of the new
        expect(html).toContain(
            '<li class="step remove" data-step="1" data-step-kind="remove" title="step 1: remove proxy_old-1 from hv01 (1 vCPU, 4 GiB): the plan no longer deploys it"><b>proxy_old-1</b>: <span class="kind">remove</span> from hv01 <span class="muted">(1 vCPU, 4 GiB) (no longer deployed)</span></li>'
        );
        expect(html).toContain(
            '<li class="step create" data-step="2" data-step-kind="create" data-kind="instance" data-name="proxy_1c-1" tabindex="0" role="button" title="step 2: create proxy_1c-1 on hv01 (1 vCPU, 2 GiB): a new instance"><b>proxy_1c-1</b>: <span class="kind">create</span> on hv01 <span class="muted">(1 vCPU, 2 GiB) (new)</span></li>'
        );
        // one out (the removal), one in (the creation)
        expect(card(html, 'hv01')).toContain('>1 in, 1 out</span>');
        expect(html).toContain('title="proxy_1c-1 · proxy · 1 vCPU · 2 GiB">');
    });
});

describe('the preview of a rebuild and a resizing move with their sizes', () => {
    it("says the lock's size and the plan's: director_3c grown from 3 to 4 vCPUs, rebuilt on hv01 or moved", async () => {
        // examples/day2-drain.dcplan without the drain, its directors 4 vCPUs (3 in the lock)
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-rebuild-'));
        try {
            const file = path.join(dir, 'day2-drain.dcplan');
            fs.writeFileSync(
                file,
                fs
                    .readFileSync('examples/day2-drain.dcplan', 'utf8')
                    .replace('cores = 3  memory = 6 GiB', 'cores = 4  memory = 6 GiB')
                    .replace('  drain = true\n', '')
            );
            fs.copyFileSync('examples/day2-drain.dcplan.lock', `${file}.lock`);
            const html = renderReport(await report(file), { interactive: true });
            expect(html).toContain(
                '<li class="step rebuild" data-step="5" data-step-kind="rebuild" data-kind="instance" data-name="director_3c-1" tabindex="0" role="button" title="step 5: rebuild director_3c-1 on hv01 at its shape&#39;s new size: 3 → 4 vCPUs, 6 GiB"><b>director_3c-1</b>: <span class="kind">rebuild</span> on hv01 <span class="muted">(3 → 4 vCPUs, 6 GiB)</span></li>'
            );
            // the rebuilt VM's tooltip says the sizes too (the segment shows the plan's 4 vCPUs)
            expect(html).toContain(
                'title="director_3c-1 · director · 4 vCPUs · 6 GiB · rebuilt in place at its shape&#39;s new size: 3 → 4 vCPUs, 6 GiB"><span class="moved-mark" aria-hidden="true">⟳</span>'
            );
            // a director that moves comes up at the new size: its step and tooltip say so as
            // the rebuild's do (before: `hv02 → hv05` and `moved from hv02`, no sizes)
            expect(html).toContain(
                '<li class="step" data-step="2" data-kind="instance" data-name="director_3c-2" tabindex="0" role="button" title="step 2: move director_3c-2 from hv02 to hv05 at its shape&#39;s new size: 3 → 4 vCPUs, 6 GiB: shape resized"><b>director_3c-2</b>: hv02 → hv05 <span class="muted">(3 → 4 vCPUs, 6 GiB)</span> <span class="muted reason">(shape resized)</span></li>'
            );
            expect(html).toContain(
                'title="director_3c-2 · director · 4 vCPUs · 6 GiB · moved from hv02 at its shape&#39;s new size: 3 → 4 vCPUs, 6 GiB"><span class="moved-mark" aria-hidden="true">↘</span>'
            );
            // the proxy kept its size: no sizes on its move
            expect(html).toContain(
                'title="step 1: move proxy_1c-1 from hv01 to hv05: room for the placement"><b>proxy_1c-1</b>: hv01 → hv05 <span class="muted reason">(room for the placement)</span></li>'
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe('dcplan place: the host table of a drained host', () => {
    it("a drained host's card: runs nothing, or what its pins hold against 0 that may stay (drain-pinned)", async () => {
        const base = recommendedReport();
        const hv02 = base.hosts.find(h => h.name === 'hv02')!;
        const empty = renderReport(
            {
                ...base,
                hosts: base.hosts.map(h =>
                    h === hv02
                        ? {
                              ...h,
                              drained: true,
                              usableCores: 0,
                              usableMemoryGiB: 0,
                              usedCores: 0,
                              usedMemoryGiB: 0,
                              instances: []
                          }
                        : h
                )
            },
            { interactive: false }
        );
        expect(card(empty, 'hv02')).toContain('<span class="util">runs nothing</span>');
        expect(card(empty, 'hv02')).not.toContain('overtext');
        const pinned = renderReport(
            {
                ...base,
                hosts: base.hosts.map(h =>
                    h === hv02
                        ? {
                              ...h,
                              drained: true,
                              usableCores: 0,
                              usableMemoryGiB: 0,
                              overcommitted: true
                          }
                        : h
                )
            },
            { interactive: false }
        );
        const c = card(pinned, 'hv02');
        expect(c).toContain('<span class="util">22 vCPUs pinned · 0 may stay</span>');
        expect(c).not.toContain('0%</span>');
        expect(c).toContain(
            '<div class="overtext">✖ drain-pinned: its pins hold 22 vCPUs on a drained host — a pin contradicts a drain</div>'
        );
        expect(c).not.toContain('overcommitted');
    });

    it('says drained instead of 0/0', async () => {
        const r = await runCli(['place', 'examples/day2-drain.dcplan']);
        expect(r.status).toBe(0);
        const lines = r.stdout.split('\n');
        expect(lines.filter(l => /^hv0[25] /.test(l))).toEqual([
            'hv05              22/22          140/368  100%  3 proxy, 1 director, 4 backend               25%',
            'hv02            drained          drained     -  -                                             0%'
        ]);
    });
});

describe('the preview of new instances of a role that loses none (test/fixtures/day2-creations)', () => {
    it('lists each creation in the Moves list, where the CLI has it', async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-preview-creations-'));
        try {
            const fixtures = path.resolve(__dirname, '../fixtures/day2-creations');
            for (const f of ['tight.dcplan', 'tight.dcplan.lock'])
                fs.copyFileSync(path.join(fixtures, f), path.join(dir, f));
            const r = await report(path.join(dir, 'tight.dcplan'));
            const html = renderReport(r, { interactive: true });
            expect(html).toContain(
                '<p class="moves-summary">moves: 7, in 27 steps with 6 removals, 2 creations, 12 rebuilds in place</p>'
            );
            expect(html).toContain(
                '<li class="step create" data-step="26" data-step-kind="create" data-kind="instance" data-name="px2-1" tabindex="0" role="button" title="step 26: create px2-1 on h1 (2 vCPUs, 3 GiB): a new instance"><b>px2-1</b>: <span class="kind">create</span> on h1 <span class="muted">(2 vCPUs, 3 GiB) (new)</span></li>'
            );
            expect(html).toContain('data-step="27" data-step-kind="create"');
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
