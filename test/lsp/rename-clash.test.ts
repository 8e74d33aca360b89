/**
 * Rename refuses a name that another declaration of the kind already has where the renamed one
 * is seen (issue 14; gopls and rust-analyzer refuse so): the `textDocument/rename` request is
 * answered with an error whose message gives the reason. Over stdio, in a folder of real files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RenameRequest } from 'vscode-languageserver-protocol/node.js';
import { planFolder, startStdioServer, type LanguageFeatureServer } from './stdio.js';

const files = {
    lib: 'shape a { role = proxy cores = 1 memory = 2 GiB }\nshape b { role = proxy cores = 1 memory = 2 GiB }\nmodel r640 { cores = 24 memory = 256 GiB }\n',
    main: 'import "lib.dcplan"\nshape m { role = backend cores = 4 memory = 32 GiB }\ndeploy 2 x a\ndeploy 1 x m\nhost hv01 : r640 { }\nhost hv02 : r640 { }\n',
    other: 'shape c { role = proxy cores = 1 memory = 2 GiB }\ndeploy 1 x c\n'
};
const folder = planFolder('dcplan-rename-', files);
const uri = folder.uri;

let server: LanguageFeatureServer;
beforeAll(async () => {
    server = await startStdioServer({}, folder.rootUri);
    await server.open(uri('main'), files.main);
    await server.open(uri('lib'), files.lib);
}, 60_000);
afterAll(async () => {
    await server?.stop();
    folder.remove();
});

const rename = (file: keyof typeof files, line: number, character: number, newName: string) =>
    server.conn.sendRequest(RenameRequest.type, {
        textDocument: { uri: uri(file) },
        position: { line, character },
        newName
    });

describe('rename to a name that exists', () => {
    it('a shape renamed to the name of another shape of its file is refused', async () => {
        await expect(rename('lib', 0, 6, 'b')).rejects.toThrow(
            'cannot rename shape a to b: a shape named b is already declared at lib.dcplan:2'
        );
    });

    it('from a reference in an importer, and to a name declared in the importer', async () => {
        await expect(rename('main', 2, 11, 'b')).rejects.toThrow(
            'cannot rename shape a to b: a shape named b is already declared at lib.dcplan:2'
        );
        await expect(rename('lib', 0, 6, 'm')).rejects.toThrow(
            'cannot rename shape a to m: a shape named m is already declared at main.dcplan:2'
        );
    });

    it('hosts and models alike', async () => {
        await expect(rename('main', 5, 5, 'hv01')).rejects.toThrow(
            'cannot rename host hv02 to hv01: a host named hv01 is already declared at main.dcplan:5'
        );
        // a model and a shape may share a name: another kind
        const edit = await rename('lib', 2, 6, 'b');
        expect(Object.keys(edit!.changes!).sort()).toEqual([uri('lib'), uri('main')].sort());
    });

    it('a name used only in a file that does not see the renamed one is free', async () => {
        const edit = await rename('lib', 0, 6, 'c');
        expect(
            Object.fromEntries(
                Object.entries(edit!.changes!).map(([u, es]) => [
                    u,
                    es.map(e => [e.range.start.line, e.range.start.character, e.newText])
                ])
            )
        ).toEqual({
            [uri('lib')]: [[0, 6, 'c']],
            [uri('main')]: [[2, 11, 'c']]
        });
    });
});
