/**
 * A split diagnostic states the role's maintenance impact before and after the split (issue 14):
 * the largest instance's share of the role's cores, counting the role's other shapes, as the
 * split fix's title does — not the split shape's own share.
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
});
