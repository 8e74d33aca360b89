/**
 * Capacity fixes (`language-server/fixes/capacity.ts`): `capacity-short` and `unplaceable`, exact
 * text before and after.
 */
import { describe, expect, it } from 'vitest';
import { applyChanges } from '../../language-server/fixes/index.js';
import { fixesOf, lines } from './fixes-helpers.js';
import { Dcplan, open } from '../lsp/helpers.js';

/** The instances the analysis leaves unplaced in `text`. */
async function unplacedIn(text: string): Promise<number> {
    const document = await open(text);
    return Dcplan.analysis.PlanAnalyzer.analyze(document).placement.unplaced.length;
}

describe('capacity-short', () => {
    it("raises the count of the role's last deployment to cover the cores and the memory", async () => {
        const text = lines(
            'workload peak { proxy = 14 cores  backend = 16 cores, 200 GiB }',
            'shape proxy_1c { role = proxy cores = 1 memory = 2 GiB }',
            'shape backend_4c { role = backend cores = 4 memory = 32 GiB }',
            'deploy 12 x proxy_1c // front',
            'deploy 4 x backend_4c',
            'host hv[1..4] { cores = 24 memory = 256 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }'
        );
        const fixes = await fixesOf(text, 'capacity-short');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Raise deploy 12 x proxy_1c to 14 (14 proxy cores for a demand of 14)', true],
            [
                'Raise deploy 4 x backend_4c to 7 (28 backend cores, 224 GiB for a demand of 16 cores, 200 GiB)',
                true
            ]
        ]);
        expect(applyChanges(text, fixes[0].changes)).toBe(
            text.replace('deploy 12 x proxy_1c', 'deploy 14 x proxy_1c')
        );
        expect(applyChanges(text, fixes[1].changes)).toBe(
            text.replace('deploy 4 x backend_4c', 'deploy 7 x backend_4c')
        );
    });
});

describe('capacity-short, memory', () => {
    it('raises the shape with the most GiB per core, not the last deployment', async () => {
        const text = lines(
            'workload w { backend = 16 cores, 100 GiB }',
            'shape be { role = backend cores = 4 memory = 16 GiB }',
            'shape be2 { role = backend cores = 8 memory = 16 GiB }',
            'deploy 2 x be',
            'deploy 1 x be2',
            'host a, b { cores = 14 memory = 128 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }'
        );
        const fixes = await fixesOf(text, 'capacity-short');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            // neither is preferred: 2 hosts of 12 usable vCPUs hold neither 6 × 4 + 8 nor 2 × 4 + 5 × 8
            [
                'Raise deploy 2 x be to 6 (32 backend cores, 112 GiB for a demand of 16 cores, 100 GiB)',
                false
            ],
            [
                'Raise deploy 1 x be2 to 5 (48 backend cores, 112 GiB for a demand of 16 cores, 100 GiB)',
                false
            ]
        ]);
        expect(applyChanges(text, fixes[0].changes)).toBe(
            text.replace('deploy 2 x be\n', 'deploy 6 x be\n')
        );
        expect(applyChanges(text, fixes[1].changes)).toBe(
            text.replace('deploy 1 x be2', 'deploy 5 x be2')
        );
    });

    it('the raise that leaves an instance unplaced is not preferred when another places all', async () => {
        // 36 GiB instances: a second one leaves no host room for the 8 GiB one (40 GiB per host)
        const text = lines(
            'workload w { backend = 4 cores, 70 GiB }',
            'shape big { role = backend cores = 4 memory = 36 GiB }',
            'shape small { role = backend cores = 2 memory = 8 GiB }',
            'deploy 1 x big',
            'deploy 1 x small',
            'host a, b { cores = 14 memory = 44 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }'
        );
        const fixes = await fixesOf(text, 'capacity-short');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            [
                'Raise deploy 1 x big to 2 (10 backend cores, 80 GiB for a demand of 4 cores, 70 GiB)',
                false
            ],
            [
                'Raise deploy 1 x small to 5 (14 backend cores, 76 GiB for a demand of 4 cores, 70 GiB)',
                true
            ]
        ]);
        const preferred = applyChanges(text, fixes[1].changes);
        expect(preferred).toBe(text.replace('deploy 1 x small', 'deploy 5 x small'));
        expect(await unplacedIn(preferred)).toBe(0);
        expect(await unplacedIn(applyChanges(text, fixes[0].changes))).toBe(1);
    });
});

describe('capacity-short, no raise places everything', () => {
    it('none is preferred when each raise leaves an instance placed now unplaced', async () => {
        // 200 GiB of backends on 2 hosts of 128 GiB: a third bfat (64 GiB) leaves no room for
        // the two proxies placed now; three more bthin do not fit the cores
        const text = lines(
            'workload w { backend = 16 cores, 200 GiB proxy = 2 cores }',
            'shape px { role = proxy cores = 1 memory = 2 GiB }',
            'shape bfat { role = backend cores = 4 memory = 64 GiB }',
            'shape bthin { role = backend cores = 4 memory = 16 GiB }',
            'deploy 2 x px',
            'deploy 2 x bfat',
            'deploy 2 x bthin',
            'host h[1..2] { cores = 14 memory = 136 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }'
        );
        const fixes = await fixesOf(text, 'capacity-short');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            [
                'Raise deploy 2 x bfat to 3 (20 backend cores, 224 GiB for a demand of 16 cores, 200 GiB)',
                false
            ],
            [
                'Raise deploy 2 x bthin to 5 (28 backend cores, 208 GiB for a demand of 16 cores, 200 GiB)',
                false
            ]
        ]);
        expect(await unplacedIn(text)).toBe(0);
        expect(await unplacedIn(applyChanges(text, fixes[0].changes))).toBe(2);
    });
});

describe('unplaceable', () => {
    it('a host block with pins: a new block with the same hardware and no pins', async () => {
        const text = lines(
            'shape backend_4c { role = backend cores = 4 memory = 32 GiB }',
            'deploy 6 x backend_4c',
            'host hv01 {',
            '  cores = 10  memory = 128 GiB  hypervisor_cores = 2  hypervisor_memory = 8 GiB',
            '  runs = 2 x backend_4c',
            '} // the only one'
        );
        const fixes = await fixesOf(text, 'unplaceable');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Add 2 hosts like hv01 (8 usable cores, 120 GiB): hv02, hv03', false]
        ]);
        expect(applyChanges(text, fixes[0].changes)).toBe(
            text.replace(
                '} // the only one\n',
                '} // the only one\nhost hv02, hv03 { cores = 10  memory = 128 GiB  hypervisor_cores = 2  hypervisor_memory = 8 GiB }\n'
            )
        );
    });

    it('a drained host is not copied: the largest host not drained is (its block grows)', async () => {
        const text = lines(
            'plan full { }',
            'shape px { role = proxy cores = 1 memory = 2 GiB }',
            'shape dr { role = director cores = 2 memory = 4 GiB login_processes = 2 }',
            'shape be { role = backend cores = 4 memory = 16 GiB }',
            'deploy 6 x px',
            'deploy 3 x dr',
            'deploy 6 x be',
            'host h[1..2] { cores = 14 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }',
            'host h3 { cores = 14 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB drain = true }'
        );
        expect(await unplacedIn(text)).toBe(7);
        const fixes = await fixesOf(text, 'unplaceable');
        expect([...new Set(fixes.map(f => f.title))]).toEqual([
            'Add 1 host like h2 (12 usable cores, 60 GiB): h4'
        ]);
        const after = applyChanges(text, fixes[0].changes);
        expect(after).toBe(text.replace('host h[1..2] {', 'host h[1..2], h4 {'));
        expect(await unplacedIn(after)).toBe(0);
    });

    it('every host drained: a new block with the hardware and no drain', async () => {
        const text = lines(
            'shape be { role = backend cores = 4 memory = 16 GiB }',
            'deploy 2 x be',
            'host h[1..2] { cores = 10 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB drain = true }'
        );
        expect(await unplacedIn(text)).toBe(2);
        const fixes = await fixesOf(text, 'unplaceable');
        expect([...new Set(fixes.map(f => f.title))]).toEqual([
            'Add 1 host like h2 (8 usable cores, 60 GiB): h3'
        ]);
        const after = applyChanges(text, fixes[0].changes);
        expect(after).toBe(
            text +
                'host h3 { cores = 10  memory = 64 GiB  hypervisor_cores = 2  hypervisor_memory = 4 GiB }\n'
        );
        expect(await unplacedIn(after)).toBe(0);
    });
});

describe('single-instance', () => {
    it('deploys a second director (preferred: both place), the deploy count only', async () => {
        const text = lines(
            'shape px { role = proxy cores = 1 memory = 2 GiB }',
            'shape dr { role = director cores = 3 memory = 6 GiB login_processes = 3 }',
            'deploy 2 x px',
            'deploy 1 x dr   // the ring',
            'host hv[1..2] { cores = 16 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }'
        );
        const fixes = await fixesOf(text, 'single-instance');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Deploy 2 × dr (a second director for redundancy, +3 cores, +6 GiB)', true]
        ]);
        const after = applyChanges(text, fixes[0].changes);
        expect(after).toBe(text.replace('deploy 1 x dr ', 'deploy 2 x dr '));
        expect(await unplacedIn(after)).toBe(0);
        expect(await fixesOf(after, 'single-instance')).toEqual([]);
    });

    it('a pinned single instance keeps its pin: the planner places the second', async () => {
        const text = lines(
            'shape px { role = proxy cores = 1 memory = 2 GiB }',
            'shape be { role = backend cores = 4 memory = 16 GiB }',
            'deploy 1 x px',
            'deploy 2 x be',
            'host hv1 { cores = 16 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB',
            '  runs = 1 x px }',
            'host hv2 { cores = 16 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }'
        );
        const fixes = await fixesOf(text, 'single-instance');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Deploy 2 × px (a second proxy for redundancy, +1 core, +2 GiB)', true]
        ]);
        const after = applyChanges(text, fixes[0].changes);
        expect(after).toBe(text.replace('deploy 1 x px', 'deploy 2 x px'));
        expect(await unplacedIn(after)).toBe(0);
    });

    it('not preferred when the second instance does not fit', async () => {
        // 12 usable cores: the two backends and the director leave 1 core, a second director needs 3
        const text = lines(
            'shape dr { role = director cores = 3 memory = 6 GiB login_processes = 3 }',
            'shape be { role = backend cores = 4 memory = 16 GiB }',
            'deploy 1 x dr',
            'deploy 2 x be',
            'host hv1 { cores = 14 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }'
        );
        const fixes = await fixesOf(text, 'single-instance');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Deploy 2 × dr (a second director for redundancy, +3 cores, +6 GiB)', false]
        ]);
        const after = applyChanges(text, fixes[0].changes);
        expect(after).toBe(text.replace('deploy 1 x dr', 'deploy 2 x dr'));
        expect(await unplacedIn(after)).toBe(1);
    });

    it('a physical plan: the same raise, a second machine (preferred)', async () => {
        const text = lines(
            'plan p { platform = physical }',
            'shape be { role = backend cores = 8 memory = 64 GiB }',
            'shape px { role = proxy cores = 2 memory = 4 GiB }',
            'deploy 1 x be',
            'deploy 3 x px'
        );
        const fixes = await fixesOf(text, 'single-instance');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Deploy 2 × be (a second backend for redundancy, +8 cores, +64 GiB)', true]
        ]);
        expect(applyChanges(text, fixes[0].changes)).toBe(
            text.replace('deploy 1 x be', 'deploy 2 x be')
        );
    });
});

describe('capacity-short, pins', () => {
    it('a raise that lets a pin overcommit its host is offered, not preferred', async () => {
        // hv1 pins 10 x be8 of 8 deployed: raised to 14, all 10 are pinned, 80 vCPUs of hv1's 70
        const text = lines(
            'workload peak { backend = 112 cores }',
            'shape be8 { role = backend cores = 8 memory = 32 GiB }',
            'deploy 8 x be8',
            'host hv1 { cores = 72 memory = 512 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB runs = 10 x be8 }',
            'host hv[2..4] { cores = 48 memory = 256 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }'
        );
        const fixes = await fixesOf(text, 'capacity-short');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Raise deploy 8 x be8 to 14 (112 backend cores for a demand of 112)', false]
        ]);
        const after = await open(applyChanges(text, fixes[0].changes));
        expect(
            Dcplan.analysis.PlanAnalyzer.analyze(after).placement.overcommitted.map(o => o.host)
        ).toEqual([0]);
    });
});

describe('capacity-short, a raise whose new instance does not fit', () => {
    it('is offered, not preferred: a preferred fix adds no unplaceable (fix-all refuses it too)', async () => {
        // 5 × 8 + 4 × 1 vCPUs on two hosts of 18: the fifth backend has no host
        const text = lines(
            'shape px { role = proxy   cores = 1 memory = 2 GiB }',
            'shape be { role = backend cores = 8 memory = 64 GiB }',
            'workload w { proxy = 4 cores backend = 40 cores }',
            'deploy 4 x px',
            'deploy 4 x be',
            'host a, b { cores = 20 memory = 256 GiB hypervisor_cores = 2 hypervisor_memory = 16 GiB }'
        );
        const fixes = await fixesOf(text, 'capacity-short');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Raise deploy 4 x be to 5 (40 backend cores for a demand of 40)', false]
        ]);
        expect(await unplacedIn(applyChanges(text, fixes[0].changes))).toBe(1);
    });
});
