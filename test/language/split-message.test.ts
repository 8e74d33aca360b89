/**
 * A split diagnostic states the role's maintenance impact before and after the split (issue 14):
 * the largest instance's share of the role's cores, counting the role's other shapes, as the
 * split fix's title does — not the split shape's own share; a split that gains nothing is not
 * said; a ring merge says what each choice carries.
 */
import { describe, expect, it } from 'vitest';
import { Dcplan, open } from '../lsp/helpers.js';
import { fixesForDocument } from '../../language-server/fixes/index.js';

const PLAN = [
    'shape backend_12c { role = backend cores = 12 memory = 64 GiB }',
    'shape backend_6c  { role = backend cores = 6  memory = 32 GiB }',
    'deploy 4 x backend_12c',
    'deploy 2 x backend_6c',
    'host hv[01..04] { cores = 24 memory = 512 GiB hypervisor_cores = 2 hypervisor_memory = 16 GiB }',
    ''
].join('\n');

describe("split messages give the role's figure", () => {
    it('4 x 12-core and 2 x 6-core backends: 20% -> 10%, as the fix says', async () => {
        const document = await open(PLAN);
        const splits = (document.diagnostics ?? [])
            .filter(d => d.code === 'backend-split')
            .map(d => [d.range.start.line, d.message]);
        expect(splits).toEqual([
            [
                0,
                '4 x 12 cores -> 12 x 4 cores (maintenance impact 20% -> 10%; the page, "Virtualised Backend sizing")'
            ]
        ]);
        const analysis = Dcplan.analysis.PlanAnalyzer.analyze(document);
        expect(
            fixesForDocument({ document, analysis })
                .filter(f => f.code === 'backend-split' && f.preferred)
                .map(f => f.title)
        ).toEqual(['Split into 12 × 4-core backends (maintenance impact 10%)']);
    });

    it('a role of one shape: its own share, before and after', async () => {
        const document = await open(
            PLAN.replace('deploy 2 x backend_6c', '').replace(/shape backend_6c.*\n/, '')
        );
        expect(
            (document.diagnostics ?? []).filter(d => d.code === 'backend-split').map(d => d.message)
        ).toEqual([
            '4 x 12 cores -> 12 x 4 cores (maintenance impact 25% -> 8.3%; the page, "Virtualised Backend sizing")'
        ]);
    });

    it('no split for a shape while another of the role is as large: it would gain nothing', async () => {
        // 2 x 3-core and 2 x 5-core proxies: the 5-core ones set the role's 31.3%, so splitting
        // the 3-core shape alone leaves it at 31.3%; only the 5-core shape's split is said
        const document = await open(
            [
                'shape p3 { role = proxy cores = 3 memory = 6 GiB login_processes = 3 }',
                'shape p5 { role = proxy cores = 5 memory = 10 GiB login_processes = 5 }',
                'shape be { role = backend cores = 4 memory = 16 GiB }',
                'deploy 2 x p3',
                'deploy 2 x p5',
                'deploy 4 x be',
                'host h[1..4] { cores = 16 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }',
                ''
            ].join('\n')
        );
        expect(
            (document.diagnostics ?? [])
                .filter(d => d.code === 'proxy-split')
                .map(d => [d.range.start.line, d.message])
        ).toEqual([
            [
                1,
                '2 x 5 cores -> 10 x 1 core: more 1-core proxies lower the maintenance impact (31.3% -> 18.8%; the page, "Virtualised Proxy sizing")'
            ]
        ]);
    });

    it('two backend shapes of the same size: neither split alone lowers the impact', async () => {
        const document = await open(
            PLAN.replace(
                'backend_6c  { role = backend cores = 6  memory = 32 GiB',
                'backend_6c  { role = backend cores = 12 memory = 64 GiB'
            )
        );
        expect(
            (document.diagnostics ?? []).filter(d => d.code === 'backend-split').map(d => d.message)
        ).toEqual([]);
    });

    it('director-ring-too-large says what the merged ring carries: 9 x 13 cores is 117, not 114', async () => {
        const document = await open(
            [
                'shape d3 { role = director cores = 3 memory = 6 GiB login_processes = 3 }',
                'deploy 38 x d3',
                'host h[1..10] { cores = 16 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }',
                ''
            ].join('\n')
        );
        expect(
            (document.diagnostics ?? [])
                .filter(d => d.code === 'director-ring-too-large')
                .map(d => d.message)
        ).toEqual([
            '38 directors in ring main, at most 9: a larger ring raises the latency of ring communication (the page, "Virtualised Director sizing"); 9 x 13 cores (117) carry the 114 cores'
        ]);
    });
});
