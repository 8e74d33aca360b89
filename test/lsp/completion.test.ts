/**
 * Completion at given positions, including inside unfinished text: the labels in order and the
 * range each item's textEdit replaces (the typed prefix).
 */
import { describe, expect, test } from 'vitest';
import { type CompletionItem, CompletionItemKind, InsertTextFormat } from 'vscode-languageserver';
import { distinctItems } from '../../language-server/lsp/completion.js';
import { Dcplan, open, testUri } from './helpers.js';

/** Completion at the `|` of `src`: items as "label [startLine:startChar-endChar]". */
async function complete(
    src: string,
    uri?: string
): Promise<{ labels: string[]; items: CompletionItem[] }> {
    const offset = src.indexOf('|');
    const text = src.replace('|', '');
    const doc = await open(text, uri);
    const list = await Dcplan.lsp.CompletionProvider!.getCompletion(doc, {
        textDocument: { uri: doc.uri.toString() },
        position: doc.textDocument.positionAt(offset)
    });
    const items = list?.items ?? [];
    const labels = items.map(i => {
        const e = i.textEdit && 'range' in i.textEdit ? i.textEdit.range : undefined;
        return e
            ? `${i.label} [${e.start.line}:${e.start.character}-${e.end.character}]`
            : `${i.label} [no edit]`;
    });
    return { labels, items };
}

const SHAPES =
    'shape proxy_1c { role = proxy cores = 1 memory = 2 GiB }\nshape backend_4c { role = backend cores = 4 memory = 32 GiB }\n';

describe('keywords and snippets at the top level', () => {
    test('an empty file: every element keyword, then the snippets', async () => {
        expect((await complete('|')).labels).toEqual([
            'deploy [0:0-0]',
            'host [0:0-0]',
            'import [0:0-0]',
            'model [0:0-0]',
            'plan [0:0-0]',
            'shape [0:0-0]',
            'workload [0:0-0]',
            'new deployment [0:0-0]',
            'new host [0:0-0]',
            'new shape [0:0-0]'
        ]);
    });
    test('a file with a plan block: every element keyword but a second plan, once each', async () => {
        const { labels } = await complete('plan p { }\n|\nshape s { role = proxy }\n');
        expect(labels).toEqual([
            'deploy [1:0-0]',
            'host [1:0-0]',
            'model [1:0-0]',
            'shape [1:0-0]',
            'workload [1:0-0]',
            'new deployment [1:0-0]',
            'new host [1:0-0]',
            'new shape [1:0-0]'
        ]);
        // the plan block later in the file counts too; typing over its keyword still offers it
        expect((await complete('|\nplan p { }\n')).labels).not.toContain('plan [0:0-0]');
        expect((await complete('pl|an p { }\n')).labels).toEqual(['plan [0:0-2]']);
    });
    test('an item is offered once per label and kind, the first kept', () => {
        const item = (label: string, kind: CompletionItemKind, detail?: string) => ({
            label,
            kind,
            ...(detail ? { detail } : {})
        });
        expect(
            distinctItems([
                item('plan', CompletionItemKind.Keyword),
                item('plan', CompletionItemKind.Keyword, 'Keyword'),
                item('proxy_1c', CompletionItemKind.Struct, 'proxy · 1 core'),
                item('proxy_1c', CompletionItemKind.Struct, 'proxy · 1 core (shapes.dcplan)'),
                item('proxy_1c', CompletionItemKind.Property),
                item('plan', CompletionItemKind.Keyword)
            ])
        ).toEqual([
            item('plan', CompletionItemKind.Keyword),
            item('proxy_1c', CompletionItemKind.Struct, 'proxy · 1 core'),
            item('proxy_1c', CompletionItemKind.Property)
        ]);
    });
    test('a typed prefix is replaced', async () => {
        expect((await complete(SHAPES + 'de|')).labels).toEqual([
            'deploy [2:0-2]',
            'new deployment [2:0-2]'
        ]);
    });
    test('the deployment snippet offers the shapes in scope', async () => {
        const { items } = await complete(SHAPES + 'dep|');
        const snippet = items.find(i => i.label === 'new deployment')!;
        expect(snippet.insertTextFormat).toBe(InsertTextFormat.Snippet);
        expect(snippet.textEdit?.newText).toBe('deploy ${1:1} x ${2|proxy_1c,backend_4c|}');
    });
    test("the host snippet uses a model when there is one, and the file's line endings", async () => {
        const { items } = await complete('model r640 { cores = 24 memory = 256 GiB }\r\nho|');
        expect(items.find(i => i.label === 'new host')?.textEdit?.newText).toBe(
            'host ${1:hv[01..04]} : ${2|r640|} {\r\n  hypervisor_cores  = ${3:2}\r\n  hypervisor_memory = ${4:16} GiB\r\n}'
        );
    });
    test('the shape snippet is one line, as the examples write shapes', async () => {
        const { items } = await complete('sh|');
        expect(items.find(i => i.label === 'new shape')?.textEdit?.newText).toBe(
            'shape ${1:proxy_1c} { role = ${2|proxy,director,backend|}  cores = ${3:1}  memory = ${4:2} GiB }'
        );
    });
});

describe('attributes not set yet', () => {
    test('in a shape whose role and cores are set', async () => {
        expect((await complete('shape a { role = proxy cores = 1 | }')).labels).toEqual([
            'memory [0:33-33]',
            'login_processes [0:33-33]',
            'login_mode [0:33-33]'
        ]);
    });
    test('a backend shape is not offered login attributes, a proxy not local_disk', async () => {
        expect((await complete('shape a { role = backend | }')).labels).toEqual([
            'cores [0:25-25]',
            'memory [0:25-25]',
            'local_disk [0:25-25]'
        ]);
    });
    test('attributes written after the cursor count as set', async () => {
        expect(
            (await complete('shape a {\n  |\n  role = proxy\n  memory = 2 GiB\n}')).labels
        ).toEqual(['cores [1:2-2]', 'login_processes [1:2-2]', 'login_mode [1:2-2]']);
    });
    test('inside an unclosed host block, with a typed prefix', async () => {
        expect(
            (await complete(SHAPES + 'host h1 {\n  cores = 24\n  hyp|\n\ndeploy 1 x proxy_1c\n'))
                .labels
        ).toEqual(['hypervisor_cores [4:2-5]', 'hypervisor_memory [4:2-5]']);
    });
    test('inside an unclosed host block at the end of the file', async () => {
        expect((await complete('host h1 {\n  cores = 4\n  |')).labels).toEqual([
            'threads_per_core [2:2-2]',
            'memory [2:2-2]',
            'numa_nodes [2:2-2]',
            'hypervisor_cores [2:2-2]',
            'hypervisor_memory [2:2-2]',
            'rack [2:2-2]',
            'runs [2:2-2]',
            'drain [2:2-2]'
        ]);
    });
    test('a workload offers the roles without a demand yet', async () => {
        expect((await complete('workload peak {\n  proxy = 12 cores\n  |\n}')).labels).toEqual([
            'sessions [2:2-2]',
            'active_users [2:2-2]',
            'director [2:2-2]',
            'backend [2:2-2]'
        ]);
    });
    test('a plan block', async () => {
        expect((await complete('plan p {\n  platform = virtual\n  |\n}')).labels).toEqual([
            'title [2:2-2]',
            'dovecot [2:2-2]',
            'mail_storage [2:2-2]',
            'tolerate_host_failures [2:2-2]',
            'rebalance_moves [2:2-2]'
        ]);
    });
});

describe('values', () => {
    test('roles after `role =`', async () => {
        expect((await complete('shape a { role = | }')).labels).toEqual([
            'proxy [0:17-17]',
            'director [0:17-17]',
            'backend [0:17-17]'
        ]);
    });
    test('a typed role prefix, in an unclosed block', async () => {
        expect((await complete('shape a { role = di|')).labels).toEqual(['director [0:17-19]']);
    });
    test('platform, mail storage, login mode', async () => {
        expect((await complete('plan p { platform = | }')).labels).toEqual([
            'virtual [0:20-20]',
            'physical [0:20-20]'
        ]);
        expect((await complete('plan p { mail_storage = o| }')).labels).toEqual([
            'object [0:24-25]'
        ]);
        expect((await complete('shape a { role = proxy login_mode = | }')).labels).toEqual([
            'performance [0:36-36]',
            'security [0:36-36]'
        ]);
    });
    test('`drain =` offers true and false (a flag of the host block, not host names)', async () => {
        const host =
            'host hv01 {\n  cores = 8  memory = 32 GiB\n  drain = |\n}\nhost hv02 { cores = 8 memory = 32 GiB }\n';
        const { labels, items } = await complete(SHAPES + host);
        expect(labels).toEqual(['true [4:10-10]', 'false [4:10-10]']);
        expect(items.map(i => [i.kind, (i.documentation as { value: string }).value])).toEqual([
            [
                CompletionItemKind.EnumMember,
                'The host is in maintenance: nothing unpinned may run on it; its instances move to the other hosts (the moves of day 2).'
            ],
            [CompletionItemKind.EnumMember, 'The host takes instances (as without `drain`).']
        ]);
        expect((await complete('host hv[1..2] { cores = 8 drain = f|')).labels).toEqual([
            'false [0:34-35]'
        ]);
    });
    test('dovecot versions, also inside an unterminated string', async () => {
        expect((await complete('plan p { dovecot = | }')).labels).toEqual([
            '"2.3" [0:19-19]',
            '"2.4" [0:19-19]',
            '"pro-3.0" [0:19-19]'
        ]);
        expect((await complete('plan p { dovecot = "2.|\n}')).labels).toEqual([
            '"2.3" [0:19-22]',
            '"2.4" [0:19-22]'
        ]);
    });
});

describe('names', () => {
    test('shape names after `deploy N x`, with their figures', async () => {
        const { labels, items } = await complete(SHAPES + 'deploy 12 x |');
        expect(labels).toEqual(['backend_4c [2:12-12]', 'proxy_1c [2:12-12]']);
        expect(items.map(i => i.detail)).toEqual([
            'backend · 4 cores · 32 GiB',
            'proxy · 1 core · 2 GiB'
        ]);
    });
    test('a typed shape prefix', async () => {
        expect((await complete(SHAPES + 'deploy 12 x pr|\n')).labels).toEqual([
            'proxy_1c [2:12-14]'
        ]);
    });
    test('shape names in `runs = N x`, inside an unclosed host', async () => {
        expect(
            (
                await complete(
                    SHAPES + 'host h1 {\n  cores = 8 memory = 64 GiB\n  runs = 2 x proxy_1c, 1 x |'
                )
            ).labels
        ).toEqual(['backend_4c [4:27-27]', 'proxy_1c [4:27-27]']);
    });
    test('model names after `host … :`', async () => {
        expect(
            (
                await complete(
                    'model r640 { cores = 24 memory = 256 GiB }\nmodel r740 { cores = 32 memory = 512 GiB }\nhost hv[01..02] : |'
                )
            ).labels
        ).toEqual(['r640 [2:18-18]', 'r740 [2:18-18]']);
    });
    test('shapes of an imported file, and only those', async () => {
        const dir = 'complete-import';
        await open(SHAPES, testUri('inventory.dcplan', dir));
        await open(
            'shape elsewhere { role = proxy cores = 1 memory = 2 GiB }\n',
            testUri('other.dcplan', dir)
        );
        const { labels, items } = await complete(
            'import "inventory.dcplan"\ndeploy 4 x |',
            testUri('main.dcplan', dir)
        );
        expect(labels).toEqual(['backend_4c [1:11-11]', 'proxy_1c [1:11-11]']);
        expect(items[1].detail).toBe('proxy · 1 core · 2 GiB (inventory.dcplan)');
    });
});

describe('units', () => {
    test('after a memory number', async () => {
        expect((await complete('shape a { role = proxy memory = 16 | }')).labels).toEqual([
            'MiB [0:35-35]',
            'GiB [0:35-35]',
            'TiB [0:35-35]',
            'GB [0:35-35]',
            'TB [0:35-35]',
            'MB [0:35-35]',
            'KiB [0:35-35]',
            'KB [0:35-35]'
        ]);
    });
    test('right after the digits a space is inserted', async () => {
        const { items } = await complete('host h { hypervisor_memory = 8|');
        expect(items.map(i => i.textEdit?.newText)).toEqual([
            ' MiB',
            ' GiB',
            ' TiB',
            ' GB',
            ' TB',
            ' MB',
            ' KiB',
            ' KB'
        ]);
    });
    test('a typed unit prefix', async () => {
        expect((await complete('shape a { local_disk = 200 G| }')).labels).toEqual([
            'GiB [0:27-28]',
            'GB [0:27-28]'
        ]);
    });
    test('a workload demand: `cores` after the count, units after the memory', async () => {
        expect((await complete('workload w {\n  backend = 64 |\n}')).labels).toEqual([
            'cores [1:15-15]'
        ]);
        expect((await complete('workload w {\n  backend = 64 cores, 512 |\n}')).labels).toEqual([
            'MiB [1:26-26]',
            'GiB [1:26-26]',
            'TiB [1:26-26]',
            'GB [1:26-26]',
            'TB [1:26-26]',
            'MB [1:26-26]',
            'KiB [1:26-26]',
            'KB [1:26-26]'
        ]);
    });
});

describe('completion in comments', () => {
    test('inside a line comment (# or //) nothing is offered; after a block comment or a string with # it is', async () => {
        expect((await complete(SHAPES + '# dep|')).labels).toEqual([]);
        expect((await complete(SHAPES + 'deploy 2 x proxy_1c // more he|')).labels).toEqual([]);
        expect((await complete(SHAPES + '// a note\nde|')).labels).not.toEqual([]);
        expect((await complete(SHAPES + '/* a // b */ de|')).labels).not.toEqual([]);
        // a # inside a string on the line is not a comment
        expect((await complete('plan p { title = "a # b" |')).labels).not.toEqual([]);
    });
});
