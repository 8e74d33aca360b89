/**
 * `dcplan/previewTarget` (scroll sync from the editor to the preview): the host block, shape or
 * deploy line at a line of a document, with the names the preview shows — expanded host names,
 * and instance numbers counted across the deployments of a shape, imported files first.
 */
import { describe, expect, test } from 'vitest';
import { previewTarget } from '../../language-server/locate.js';
import { example, open, services, testUri } from './helpers.js';

const documents = services.shared.workspace.LangiumDocuments;

describe('dcplan/previewTarget', () => {
    test('seed-reference: every line of a host block, a shape, a deploy', async () => {
        const text = example('seed-reference.dcplan');
        const doc = await open(text);
        const uri = doc.uri.toString();
        const lines = text.split(/\r?\n/);
        const lineOf = (prefix: string) => lines.findIndex(l => l.startsWith(prefix)) + 1;
        const host = lineOf('host hv[01..04]');
        for (const line of [host, host + 1, host + 2, host + 3]) {
            expect(previewTarget(documents, { uri, line })).toEqual({
                kind: 'host',
                names: ['hv01', 'hv02', 'hv03', 'hv04'],
                line: host
            });
        }
        expect(previewTarget(documents, { uri, line: lineOf('shape backend_8c') })).toEqual({
            kind: 'shape',
            names: ['backend_8c'],
            line: lineOf('shape backend_8c')
        });
        expect(previewTarget(documents, { uri, line: lineOf('deploy 3 x proxy_4c') })).toEqual({
            kind: 'deploy',
            names: ['proxy_4c-1', 'proxy_4c-2', 'proxy_4c-3'],
            line: lineOf('deploy 3 x proxy_4c')
        });
        expect(
            previewTarget(documents, { uri, line: lineOf('deploy 8 x backend_8c') })?.names
        ).toHaveLength(8);
        // comments, blank lines, the plan and the workload have no element in the preview
        expect(previewTarget(documents, { uri, line: 1 })).toBeNull();
        expect(previewTarget(documents, { uri, line: lineOf('workload peak') })).toBeNull();
        expect(previewTarget(documents, { uri, line: lines.length + 5 })).toBeNull();
        expect(previewTarget(documents, { uri: 'file:///nowhere/x.dcplan', line: 1 })).toBeNull();
    });

    test('instances are numbered across deployments and imports; a host list names each host', async () => {
        const dir = 'pt' + Math.random().toString(36).slice(2, 8);
        await open(
            'shape p { role = proxy cores = 1 memory = 2 GiB }\ndeploy 2 x p\n',
            testUri('inventory.dcplan', dir)
        );
        const main = await open(
            'import "inventory.dcplan"\ndeploy 3 x p\ndeploy 1 x p\nhost a1, b[1..2] {\n  cores = 8 memory = 32 GiB\n}\n',
            testUri('main.dcplan', dir)
        );
        const uri = main.uri.toString();
        expect(previewTarget(documents, { uri, line: 2 })).toEqual({
            kind: 'deploy',
            names: ['p-3', 'p-4', 'p-5'],
            line: 2
        });
        expect(previewTarget(documents, { uri, line: 3 })).toEqual({
            kind: 'deploy',
            names: ['p-6'],
            line: 3
        });
        expect(previewTarget(documents, { uri, line: 5 })).toEqual({
            kind: 'host',
            names: ['a1', 'b1', 'b2'],
            line: 4
        });
        expect(previewTarget(documents, { uri, line: 1 })).toBeNull();
    });
});
