/**
 * A shapes-only library that other files import (the layout the README recommends): a shape
 * deployed or pinned by any file that imports the library is used, so only the shapes no importer
 * uses get `unused-shape`; an edit of an importer updates the library's diagnostics. Over stdio,
 * in a folder of real files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    DidChangeTextDocumentNotification,
    HoverRequest,
    type MarkupContent
} from 'vscode-languageserver-protocol/node.js';
import { planFolder, startStdioServer, type LanguageFeatureServer } from './stdio.js';

const files = {
    shapes: 'shape proxy_1c { role = proxy cores = 1 memory = 2 GiB }\nshape backend_4c { role = backend cores = 4 memory = 32 GiB }\nshape director_3c { role = director cores = 3 memory = 6 GiB }\n',
    east: 'import "shapes.dcplan"\ndeploy 4 x proxy_1c\n',
    west: 'import "shapes.dcplan"\nhost hv01 { cores = 24 memory = 256 GiB runs = 1 x backend_4c }\ndeploy 2 x backend_4c\n',
    unrelated:
        'shape director_3c { role = director cores = 3 memory = 6 GiB }\ndeploy 3 x director_3c\n',
    /** Deploys only proxy_1c: the library's other shapes are the other importers' business. */
    north: 'import "shapes.dcplan"\ndeploy 1 x proxy_1c\n'
};
const folder = planFolder('dcplan-library-', files);
const uri = folder.uri;

let server: LanguageFeatureServer;
beforeAll(async () => {
    server = await startStdioServer({}, folder.rootUri);
}, 60_000);
afterAll(async () => {
    await server?.stop();
    folder.remove();
});

const brief = (p: {
    diagnostics: { code?: unknown; range: { start: { line: number } }; message: string }[];
}) => p.diagnostics.map(d => [d.code, d.range.start.line, d.message]);

describe('unused-shape in a library of shapes', () => {
    it('a shape deployed or pinned through an importer is used; one no importer uses is not', async () => {
        const published = await server.open(uri('shapes'), files.shapes);
        // director_3c is deployed only by a file that does not import the library
        expect(brief(published)).toEqual([
            ['unused-shape', 2, 'shape director_3c is not deployed']
        ]);
    });

    it('an importer that starts deploying a shape clears its unused-shape in the library', async () => {
        await server.open(uri('east'), files.east);
        server.published.delete(uri('shapes'));
        await server.conn.sendNotification(DidChangeTextDocumentNotification.type, {
            textDocument: { uri: uri('east'), version: 2 },
            contentChanges: [{ text: files.east + 'deploy 3 x director_3c\n' }]
        });
        // (opening east may have re-published the library before the change: wait for the one after it)
        await server.until(
            "the library's diagnostics without unused-shape",
            () => server.published.get(uri('shapes'))?.find(p => p.diagnostics.length === 0),
            10_000
        );
        expect(brief(server.published.get(uri('shapes'))!.at(-1)!)).toEqual([]);
    });

    it('an importer gets no unused-shape for the library shapes another importer deploys', async () => {
        // east now deploys proxy_1c and director_3c, west deploys and pins backend_4c
        const published = await server.open(uri('north'), files.north);
        expect(brief(published).filter(d => d[0] === 'unused-shape')).toEqual([]);
        expect(brief(published).map(d => d[0])).toEqual(['unplaceable', 'single-instance']);
    });

    it('the hover of a library shape names the importers that deploy or pin it', async () => {
        const hoverAt = async (line: number, character: number) => {
            const h = await server.conn.sendRequest(HoverRequest.type, {
                textDocument: { uri: uri('shapes') },
                position: { line, character }
            });
            return (h?.contents as MarkupContent).value.split('\n\n')[1];
        };
        expect(await hoverAt(1, 8)).toBe(
            'Not deployed in this file; deployed or pinned by the file that imports it: west.dcplan.'
        );
        expect(await hoverAt(0, 8)).toBe(
            'Not deployed in this file; deployed or pinned by the files that import it: east.dcplan, north.dcplan.'
        );
    });
});
