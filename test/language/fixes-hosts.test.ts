/**
 * Host fixes (`language-server/fixes/hosts.ts`): `no-hypervisor-reserve` and `role-on-one-host`,
 * exact text before and after.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Dcplan, example, open } from '../lsp/helpers.js';
import { placementLostShown } from '../../language-server/fixes/placed.js';
import { enableExactFallback } from '../../src/planner/exact-fallback.js';
import { setPlacementFallback } from '../../src/planner/placement.js';
import { applyChanges } from '../../language-server/fixes/index.js';
import { crlf, fixesOf, lines } from './fixes-helpers.js';

describe('no-hypervisor-reserve', () => {
    const text = lines(
        'shape backend_4c { role = backend cores = 4 memory = 32 GiB }',
        'deploy 4 x backend_4c',
        'host hv1 { cores = 16 memory = 256 GiB }',
        'host hv2 {',
        '  # second machine',
        '  cores = 16',
        '  memory = 256 GiB',
        '  hypervisor_memory = 0 GiB  // none yet',
        '}'
    );

    it('adds the missing reserve to a one-line block and to a block of lines (a 0 is replaced)', async () => {
        const fixes = await fixesOf(text, 'no-hypervisor-reserve');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            [
                'Add hypervisor_cores = 2 and hypervisor_memory = 8 GiB to hv1 (a starting value to adjust)',
                true
            ],
            [
                'Add hypervisor_cores = 2 and hypervisor_memory = 8 GiB to hv2 (a starting value to adjust)',
                true
            ]
        ]);
        expect(applyChanges(text, fixes[0].changes)).toBe(
            text.replace(
                'host hv1 { cores = 16 memory = 256 GiB }',
                'host hv1 { cores = 16 memory = 256 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }'
            )
        );
        expect(applyChanges(text, fixes[1].changes)).toBe(
            text.replace(
                '  hypervisor_memory = 0 GiB  // none yet\n',
                '  hypervisor_memory = 8 GiB  // none yet\n  hypervisor_cores = 2\n'
            )
        );
    });

    it('not preferred when the reserve leaves placed vCPUs unplaced; the title says how many', async () => {
        const t = lines(
            'shape proxy_4c { role = proxy cores = 4 memory = 8 GiB }',
            'shape director_4c { role = director cores = 4 memory = 8 GiB }',
            'shape backend_8c { role = backend cores = 8 memory = 64 GiB }',
            'deploy 3 x proxy_4c',
            'deploy 3 x director_4c',
            'deploy 8 x backend_8c',
            'host hv[1..4] { cores = 24 memory = 384 GiB',
            '  runs = 1 x backend_8c }'
        );
        const fixes = await fixesOf(t, 'no-hypervisor-reserve');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            [
                'Add hypervisor_cores = 2 and hypervisor_memory = 8 GiB to hv[1..4] (a starting value to adjust; 8 vCPUs placed now would no longer fit)',
                false
            ]
        ]);
        expect(applyChanges(t, fixes[0].changes)).toBe(
            t.replace(
                '  runs = 1 x backend_8c }',
                '  runs = 1 x backend_8c hypervisor_cores = 2 hypervisor_memory = 8 GiB }'
            )
        );
    });

    it('one fix for a block that names several hosts; CRLF kept', async () => {
        const t = crlf(
            lines(
                'shape backend_4c { role = backend cores = 4 memory = 32 GiB }',
                'deploy 4 x backend_4c',
                'host hv[1..3] {',
                '  cores = 24',
                '  memory = 256 GiB',
                '}'
            )
        );
        const fixes = await fixesOf(t, 'no-hypervisor-reserve');
        expect(fixes).toHaveLength(1);
        expect(applyChanges(t, fixes[0].changes)).toBe(
            t.replace(
                '256 GiB\r\n',
                '256 GiB\r\n  hypervisor_cores = 2\r\n  hypervisor_memory = 8 GiB\r\n'
            )
        );
    });
});

describe('role-on-one-host', () => {
    it('overcommit.dcplan: spread the pins evenly (not preferred); no removal, as the planner would put both proxies on hv02', async () => {
        const text = example('overcommit.dcplan');
        const fixes = await fixesOf(text, 'role-on-one-host');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Spread the 2 pinned proxies evenly over 2 hosts', false]
        ]);
        expect(applyChanges(text, fixes[0].changes)).toBe(
            text
                .replace(
                    'runs = 2 x proxy_2c, 5 x backend_4c',
                    'runs = 1 x proxy_2c, 5 x backend_4c'
                )
                .replace('runs = 1 x backend_4c', 'runs = 1 x backend_4c, 1 x proxy_2c')
        );
    });

    it('removes the whole runs line when only that role is pinned (comments stay), or spreads the pins', async () => {
        const text = lines(
            'shape proxy_1c { role = proxy cores = 1 memory = 2 GiB }',
            'deploy 2 x proxy_1c',
            'host hv1 { cores = 8 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB',
            '  runs = 2 x proxy_1c',
            '  // pinned by hand',
            '}',
            'host hv2 { cores = 8 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }'
        );
        const fixes = await fixesOf(text, 'role-on-one-host');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Remove the proxy pins from hv1 (the planner spreads the proxies)', false],
            ['Spread the 2 pinned proxies evenly over 2 hosts', false]
        ]);
        expect(applyChanges(text, fixes[0].changes)).toBe(
            text.replace('  runs = 2 x proxy_1c\n', '')
        );
        expect(applyChanges(text, fixes[1].changes)).toBe(
            text
                .replace('  runs = 2 x proxy_1c\n', '  runs = 1 x proxy_1c\n')
                .replace(
                    'host hv2 { cores = 8 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }',
                    'host hv2 { cores = 8 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB runs = 1 x proxy_1c }'
                )
        );
    });

    it('removes a runs list written before the closing brace: the brace goes to the line start', async () => {
        const text = lines(
            'shape proxy_1c { role = proxy cores = 1 memory = 2 GiB }',
            'deploy 2 x proxy_1c',
            'host hv1 { cores = 8 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB',
            '  runs = 2 x proxy_1c }',
            'host hv2 { cores = 8 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }'
        );
        const fixes = await fixesOf(text, 'role-on-one-host');
        expect(fixes[0].title).toBe(
            'Remove the proxy pins from hv1 (the planner spreads the proxies)'
        );
        expect(applyChanges(text, fixes[0].changes)).toBe(
            text.replace('  runs = 2 x proxy_1c }', '}')
        );
    });
});

describe('no-hypervisor-reserve on a plan only the exact fallback places entirely', () => {
    // fifty-on-three: the heuristic alone places 313 of its 314 vCPUs, `place` with the fallback
    // all 314; a reserve is then judged by the hosts' totals, not by a solve per fix
    it('says the certain loss as a bound: vCPUs when cores fall short, GiB when memory does', async () => {
        await enableExactFallback();
        try {
            const text = fs.readFileSync(
                path.resolve(__dirname, '../fixtures/exact-fit/fifty-on-three.dcplan'),
                'utf8'
            );
            const model = Dcplan.analysis.PlanAnalyzer.analyze(await open(text)).built.model;
            const less = (k: number, cores: number, memoryGiB: number) => ({
                ...model,
                hosts: model.hosts.map((h, i) =>
                    i === k
                        ? {
                              ...h,
                              usableCores: h.usableCores - cores,
                              usableMemoryGiB: h.usableMemoryGiB - memoryGiB
                          }
                        : h
                )
            });
            expect(placementLostShown(model, less(0, 2, 0))).toEqual({ vCPUs: 2, atLeast: true });
            const memory = model.instances.reduce((a, i) => a + i.memoryGiB, 0);
            const usable = model.hosts.reduce((a, h) => a + h.usableMemoryGiB, 0);
            const short = placementLostShown(model, less(1, 0, usable - memory + 6));
            expect(short).toEqual({
                vCPUs: 0,
                atLeast: true,
                memoryShortGiB: short.memoryShortGiB
            });
            expect(short.memoryShortGiB).toBeCloseTo(6, 9);
        } finally {
            setPlacementFallback(undefined);
        }
    });
});
