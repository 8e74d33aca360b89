/**
 * A drained host (issue 12, day 2) in the editor tells one story: drained, what the lock runs on
 * it now, what the plan leaves on it (pins only, `drain-pinned`) and how many move out; no
 * `0 usable` table beside its full capacity. Hover and code lens of examples/day2-drain.dcplan
 * placed from its lock (given to the analysis as the CLI's `--lock` does).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { Dcplan, EXAMPLES_DIR, example, offsetOf, open } from './helpers.js';

const PLAN = example('day2-drain.dcplan');
/** The example's lock, its header naming the test document (`test.dcplan`) as the plan. */
const LOCK = readFileSync(join(EXAMPLES_DIR, 'day2-drain.dcplan.lock'), 'utf8').replace(
    'plan: day2-drain.dcplan',
    'plan: test.dcplan'
);
const SOURCE =
    '*Source: Dovecot "Virtualised Architecture", sections "No over commitment of resources" and "Allocating Virtual Instances on Physical Machines".*';

const analyzer = Dcplan.analysis.PlanAnalyzer;
const lockBeside = analyzer.lockFor;
afterEach(() => {
    analyzer.lockFor = lockBeside;
});

async function hoverAt(text: string, needle: string): Promise<string | undefined> {
    const doc = await open(text);
    const hover = await Dcplan.lsp.HoverProvider!.getHoverContent(doc, {
        textDocument: { uri: doc.uri.toString() },
        position: doc.textDocument.positionAt(offsetOf(text, needle, 0, 1))
    });
    return hover ? (hover.contents as { value: string }).value : undefined;
}

async function hostLenses(text: string): Promise<string[]> {
    const doc = await open(text);
    const lenses = await Dcplan.lsp.CodeLensProvider!.provideCodeLens(doc, {
        textDocument: { uri: doc.uri.toString() }
    });
    return (lenses ?? []).map(l => l.command?.title ?? '').filter(t => t.includes('host lost'));
}

const withLock = () => {
    analyzer.lockFor = () => ({ file: '/ws/test.dcplan.lock', text: LOCK });
};

describe('a drained host', () => {
    test('hover: drained, 8 instances in the lock, none in the plan, all 8 move out', async () => {
        withLock();
        expect(await hoverAt(PLAN, 'hv02 :')).toBe(
            [
                '**host hv02** (model dual_socket_24) — drained (`drain = true`): nothing may stay on it',
                'In the lock it runs 8 instances (22 vCPUs, 140 GiB): 4 × backend_4c, 1 × director_3c, 3 × proxy_1c.',
                'In the plan it runs nothing: 8 move out.',
                'While drained its capacity counts as 0 (otherwise 24 cores × 1 thread − 2 for the hypervisor = 22 vCPUs; 384 − 16 GiB = 368 GiB).',
                'Moves from the lock: hv02 0 in, 8 out.',
                SOURCE
            ].join('\n\n')
        );
        expect(await hostLenses(PLAN)).toEqual([
            '4 hosts: 88 / 88 vCPUs · 560 / 1472 GiB · one host lost: up to 25% of sessions · moves: 8 in, 0 out',
            'drained · in the lock 22 vCPUs · in the plan 0 vCPUs · host lost: 0% of sessions · moves: 0 in, 8 out'
        ]);
    });

    test('hover: the instances left unplaced are said as stopped, apart from the moves', async () => {
        withLock();
        // hv05 keeps 6 cores for the hypervisor: 18 usable for the 22 vCPUs hv02 runs
        const tight = PLAN.replace(
            'host hv01, hv[03..05] : dual_socket_24 {\n  hypervisor_cores  = 2',
            'host hv01, hv[03..04] : dual_socket_24 {\n  hypervisor_cores  = 2\n  hypervisor_memory = 16 GiB\n}\n\nhost hv05 : dual_socket_24 {\n  hypervisor_cores  = 6'
        );
        expect(tight).not.toBe(PLAN);
        const lines = (await hoverAt(tight, 'hv02 :'))!.split('\n\n');
        expect(lines[2]).toBe(
            'In the plan it runs nothing: 6 move out, 2 are stopped (no room in the plan).'
        );
        expect(lines[4]).toBe('Moves from the lock: hv02 0 in, 8 out.');
    });

    test('hover: a drained host the lock leaves empty says no count of 0', async () => {
        withLock();
        // hv05 is new (the lock runs nothing there) and drained too
        const empty = PLAN.replace(
            'host hv01, hv[03..05] : dual_socket_24 {\n  hypervisor_cores  = 2',
            'host hv01, hv[03..04] : dual_socket_24 {\n  hypervisor_cores  = 2\n  hypervisor_memory = 16 GiB\n}\n\nhost hv05 : dual_socket_24 {\n  drain = true\n  hypervisor_cores  = 2'
        );
        expect(empty).not.toBe(PLAN);
        const lines = (await hoverAt(empty, 'hv05 :'))!.split('\n\n');
        expect(lines.slice(1, 3)).toEqual([
            'In the lock it runs nothing.',
            'In the plan it runs nothing.'
        ]);
    });

    test('without a lock: drained, runs nothing, no lock line', async () => {
        analyzer.lockFor = () => undefined;
        expect(await hoverAt(PLAN, 'hv02 :')).toBe(
            [
                '**host hv02** (model dual_socket_24) — drained (`drain = true`): nothing may stay on it',
                'In the plan it runs nothing.',
                'While drained its capacity counts as 0 (otherwise 24 cores × 1 thread − 2 for the hypervisor = 22 vCPUs; 384 − 16 GiB = 368 GiB).',
                SOURCE
            ].join('\n\n')
        );
    });

    test('with pins: what the pins hold, said to contradict the drain; no overcommit line', async () => {
        withLock();
        // the pins take proxy_1c-4, -5, which the lock already has on hv02: they stay, 6 move out
        const pinned = PLAN.replace('drain = true', 'drain = true\n  runs = 2 x proxy_1c');
        const hover = await hoverAt(pinned, 'hv02 :');
        expect(hover!.split('\n\n').slice(1, 3)).toEqual([
            'In the lock it runs 8 instances (22 vCPUs, 140 GiB): 4 × backend_4c, 1 × director_3c, 3 × proxy_1c.',
            'In the plan it still runs 2 instances pinned by `runs` (2 vCPUs, 4 GiB): 2 × proxy_1c — a pin contradicts the drain (`drain-pinned`). 6 move out.'
        ]);
        expect(hover).not.toContain('Overcommitted');
        expect((await hostLenses(pinned))[1]).toBe(
            'drained · in the lock 22 vCPUs · in the plan 2 vCPUs pinned (drain-pinned) · host lost: 16.7% of sessions · moves: 0 in, 6 out'
        );
    });
});

describe('a drained host block', () => {
    test('inlay hint: "drained", not its usable vCPUs; the others keep theirs', async () => {
        const doc = await open(PLAN);
        const list = await Dcplan.lsp.InlayHintProvider!.getInlayHints(doc, {
            textDocument: { uri: doc.uri.toString() },
            range: { start: { line: 0, character: 0 }, end: { line: 10_000, character: 0 } }
        });
        const hosts = (list ?? []).filter(h => !String(h.label).endsWith('each'));
        expect(hosts.map(h => [h.label, h.tooltip])).toEqual([
            ['4 × 22 vCPUs', 'Usable vCPUs per host: 24 cores × 1 − 2 for the hypervisor = 22.'],
            [
                'drained',
                'Drained (`drain = true`): nothing may stay on it; its capacity counts as 0 while drained (otherwise usable vCPUs: 24 cores × 1 − 2 for the hypervisor = 22).'
            ]
        ]);
    });
});
