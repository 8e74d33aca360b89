/**
 * Import fixes (`language-server/fixes/imports.ts`): `import-missing` for the shapes an imported
 * file takes from a file this one does not import.
 */
import { describe, expect, it } from 'vitest';
import { Dcplan, open, testUri } from '../lsp/helpers.js';
import { fixed, lines } from './fixes-helpers.js';
import { diagnosticLines } from '../helpers/diagnostics.js';

describe('import-missing: shapes an imported file takes from a file this one does not import', () => {
    it('one error on the import naming the shapes and the file; the fix adds the import after it', async () => {
        const dir = 'tr' + Math.random().toString(36).slice(2);
        await open(
            lines(
                'shape b { role = backend cores = 4 memory = 8 GiB }',
                'shape p { role = proxy cores = 1 memory = 2 GiB }'
            ),
            testUri('lib/shapes.dcplan', dir)
        );
        await open(
            lines(
                'import "shapes.dcplan"',
                'deploy 4 x b',
                'host h[1..2] { cores = 16 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB runs = 1 x p, 1 x b }'
            ),
            testUri('lib/main.dcplan', dir)
        );
        const top = lines('  import "lib/main.dcplan"', 'plan top { title = "top" }');
        const document = await open(top, testUri('top.dcplan', dir));
        expect(diagnosticLines(document.diagnostics)).toEqual([
            'error import-missing 1:10-1:27 in lib/main.dcplan: deployments or pins use shapes b, p of lib/shapes.dcplan, which this file does not import (imports are not transitive): add import "lib/shapes.dcplan"'
        ]);
        expect(await fixed(top, 'import-missing', undefined, testUri('top2.dcplan', dir))).toBe(
            lines(
                '  import "lib/main.dcplan"',
                '  import "lib/shapes.dcplan"',
                'plan top { title = "top" }'
            )
        );
    });

    it('nothing when the file imports the shapes too, or when the imported file declares them itself', async () => {
        const dir = 'tr' + Math.random().toString(36).slice(2);
        await open(
            lines('shape b { role = backend cores = 4 memory = 8 GiB }'),
            testUri('shapes.dcplan', dir)
        );
        await open(lines('import "shapes.dcplan"', 'deploy 4 x b'), testUri('main.dcplan', dir));
        await open(
            lines('shape c { role = backend cores = 4 memory = 8 GiB }', 'deploy 2 x c'),
            testUri('self.dcplan', dir)
        );
        const both = await open(
            lines('import "main.dcplan"', 'import "shapes.dcplan"', 'import "self.dcplan"'),
            testUri('top.dcplan', dir)
        );
        expect((both.diagnostics ?? []).filter(d => d.code === 'import-missing')).toEqual([]);
        const analysis = Dcplan.analysis.PlanAnalyzer.analyze(both);
        expect(analysis.figures.roles.backend.instances).toBe(6);
    });
});
