/**
 * Rename refuses a name that another declaration of the kind already has where the renamed one
 * is seen (issue 14; gopls and rust-analyzer refuse so): the `textDocument/rename` request is
 * answered with an error whose message gives the reason. So is `textDocument/prepareRename` on
 * text that is no name (a keyword, a role). Over stdio, in a folder of real files.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrepareRenameRequest, RenameRequest } from 'vscode-languageserver-protocol/node.js';
import { planFolder, startStdioServer, type LanguageFeatureServer } from './stdio.js';

const HW = 'cores = 8 memory = 32 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB';
const files = {
    lib: 'shape a { role = proxy cores = 1 memory = 2 GiB }\nshape b { role = proxy cores = 1 memory = 2 GiB }\nmodel r640 { cores = 24 memory = 256 GiB }\n',
    main: 'import "lib.dcplan"\nshape m { role = backend cores = 4 memory = 32 GiB }\ndeploy 2 x a\ndeploy 1 x m\nhost hv01 : r640 { }\nhost hv02 : r640 { }\n',
    other: 'shape c { role = proxy cores = 1 memory = 2 GiB }\ndeploy 1 x c\n',
    ranges: `host a1x { ${HW} }\nhost a3 { ${HW} }\nhost b[1..2] { ${HW} }\n`,
    ranges2: `host a1 { ${HW} }\nhost b[1..2] { ${HW} }\nhost c[08..10] { ${HW} }\n`,
    ranges3: `host a[1..3] { ${HW} }\nhost c[3..4] { ${HW} }\n`
};
const folder = planFolder('dcplan-rename-', files);
const uri = folder.uri;

let server: LanguageFeatureServer;
beforeAll(async () => {
    server = await startStdioServer({}, folder.rootUri);
    await server.open(uri('main'), files.main);
    await server.open(uri('lib'), files.lib);
    await server.open(uri('ranges'), files.ranges);
    await server.open(uri('ranges2'), files.ranges2);
    await server.open(uri('ranges3'), files.ranges3);
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

describe('rename of host names against the names of ranges', () => {
    const edits = (edit: Awaited<ReturnType<typeof rename>>) =>
        Object.values(edit!.changes!).flatMap(es =>
            es.map(e => [e.range.start.line, e.range.start.character, e.newText])
        );

    it('a name renamed to one a range names is refused, naming the range', async () => {
        await expect(rename('ranges', 0, 5, 'b1')).rejects.toThrow(
            'cannot rename host a1x to b1: a host named b1 is already declared at ranges.dcplan:3 (by the range b[1..2])'
        );
        // b3 is not in b[1..2]
        expect(edits(await rename('ranges', 0, 5, 'b3'))).toEqual([[0, 5, 'b3']]);
    });

    it("a range's prefix renamed so that it names a host that exists is refused", async () => {
        await expect(rename('ranges2', 1, 5, 'a')).rejects.toThrow(
            'cannot rename host b to a: the range b[1..2] would then name a1, and a host named a1 is already declared at ranges2.dcplan:1'
        );
        // zero padding as the plan expands it: c[08..10] as b names b08, b09, b10, none of b1, b2
        expect(edits(await rename('ranges2', 2, 5, 'b'))).toEqual([[2, 5, 'b']]);
        await expect(rename('ranges2', 2, 5, 'a')).resolves.toBeDefined();
        // a range against a range
        await expect(rename('ranges2', 1, 5, 'c')).resolves.toBeDefined();
        await expect(rename('ranges', 2, 5, 'a')).resolves.toBeDefined();
    });

    it('a range renamed onto the names of another range is refused, naming both', async () => {
        await expect(rename('ranges3', 1, 5, 'a')).rejects.toThrow(
            'cannot rename host c to a: the range c[3..4] would then name a3, and a host named a3 is already declared at ranges3.dcplan:1 (by the range a[1..3])'
        );
    });
});

describe('prepareRename', () => {
    const prepare = (file: keyof typeof files, line: number, character: number) =>
        server.conn.sendRequest(PrepareRenameRequest.type, {
            textDocument: { uri: uri(file) },
            position: { line, character }
        });
    const ONLY =
        'only the name of a shape, model, host, workload or the plan (or a use of it) can be renamed';

    it('answers the range of a name, and refuses a keyword or a role with the reason', async () => {
        expect(await prepare('main', 2, 11)).toEqual({
            start: { line: 2, character: 11 },
            end: { line: 2, character: 12 }
        });
        await expect(prepare('main', 2, 1)).rejects.toMatchObject({
            code: -32803,
            message: `cannot rename \`deploy\`: it is a keyword; ${ONLY}`
        });
        await expect(prepare('lib', 0, 19)).rejects.toMatchObject({
            code: -32803,
            message: `cannot rename \`proxy\`: it is a role, a word of the language; ${ONLY}`
        });
    });
});
