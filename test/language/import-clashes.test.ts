/**
 * Two imported files that declare the same name (language-server/validation/names.ts): a host
 * `hv03` in two racks' inventories was one host in the plan without a word. The later import
 * gets a `duplicate-name` error naming the names and the earlier file.
 */
import { describe, expect, it } from 'vitest';
import type { URI } from 'langium';
import { createFixSandbox } from '../../language-server/fixes/sandbox.js';
import { diagnosticLines } from '../helpers/diagnostics.js';

const FILES: Record<string, string> = {
    'file:///w/inv/rack1.dcplan':
        'host hv[01..04] { cores = 24 memory = 256 GiB hypervisor_cores = 2 hypervisor_memory = 16 GiB }\n',
    'file:///w/inv/rack2.dcplan':
        'host hv[03..10] { cores = 24 memory = 256 GiB hypervisor_cores = 2 hypervisor_memory = 16 GiB }\n' +
        'host hv01, hv02 { cores = 24 memory = 256 GiB }\n' +
        'shape be { role = backend cores = 4 memory = 32 GiB }\n',
    'file:///w/all.dcplan': 'host hv[01..12] { cores = 24 memory = 256 GiB }\n',
    'file:///w/shapes.dcplan': 'shape be { role = backend cores = 8 memory = 64 GiB }\n'
};
const read = (uri: URI) => FILES[uri.toString()];

describe('names declared by two imported files', () => {
    const sandbox = createFixSandbox();
    it('the later import says which names and which earlier file, one error per kind', async () => {
        const text =
            'import "inv/rack1.dcplan"\nimport "shapes.dcplan"\nimport "inv/rack2.dcplan"\ndeploy 8 x be\n';
        const c = await sandbox.check('file:///w/main.dcplan', text, read);
        expect(diagnosticLines(c.diagnostics).filter(l => l.includes('duplicate-name'))).toEqual([
            'error duplicate-name 3:8-3:26 host hv03, hv04, hv01, hv02 are also declared in inv/rack1.dcplan',
            'error duplicate-name 3:8-3:26 shape be is also declared in shapes.dcplan'
        ]);
    });
    it('a file imported twice does not clash with itself', async () => {
        const text = 'import "shapes.dcplan"\nimport "shapes.dcplan"\ndeploy 1 x be\n';
        const c = await sandbox.check('file:///w/main.dcplan', text, read);
        expect(diagnosticLines(c.diagnostics).filter(l => l.includes('duplicate-name'))).toEqual(
            []
        );
    });
    it('the order of the imports decides which one is reported', async () => {
        const text = 'import "inv/rack2.dcplan"\nimport "inv/rack1.dcplan"\n';
        const c = await sandbox.check('file:///w/main.dcplan', text, read);
        expect(diagnosticLines(c.diagnostics).filter(l => l.includes('duplicate-name'))).toEqual([
            'error duplicate-name 2:8-2:26 host hv01, hv02, hv03, hv04 are also declared in inv/rack2.dcplan'
        ]);
    });
    it('more than five names: the first five, then how many more', async () => {
        const text = 'import "all.dcplan"\nimport "inv/rack2.dcplan"\n';
        const c = await sandbox.check('file:///w/main.dcplan', text, read);
        expect(diagnosticLines(c.diagnostics).filter(l => l.includes('duplicate-name'))).toEqual([
            'error duplicate-name 2:8-2:26 host hv03, hv04, hv05, hv06, hv07 and 5 more are also declared in all.dcplan'
        ]);
    });
});
