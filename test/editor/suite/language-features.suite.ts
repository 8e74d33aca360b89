/**
 * The language features of the server as VS Code shows them (issue 5): completion inside an
 * unfinished block, hover with the computed figures, and rename of a shape across every use —
 * each once, through VS Code's own provider commands in the extension host.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { until } from './wait.js';

/** An untitled dcplan document with `text`, open in an editor, once the server has checked it. */
async function openPlan(text: string): Promise<vscode.TextDocument> {
    const doc = await vscode.workspace.openTextDocument({ language: 'dcplan', content: text });
    await vscode.window.showTextDocument(doc);
    await vscode.extensions.getExtension('dcplan.dcplan')!.activate();
    return doc;
}

function positionOf(doc: vscode.TextDocument, needle: string, offset = 0): vscode.Position {
    const at = doc.getText().indexOf(needle);
    assert.ok(at >= 0, `'${needle}' is in the document`);
    return doc.positionAt(at + offset);
}

const hoverText = (hovers: vscode.Hover[]) =>
    hovers
        .flatMap(h =>
            h.contents.map(c => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))
        )
        .join('\n');

const PLAN = [
    'shape proxy_1c    { role = proxy    cores = 1  memory = 2 GiB }',
    'shape director_3c { role = director cores = 3  memory = 6 GiB   login_processes = 3 }',
    'shape backend_4c  { role = backend  cores = 4  memory = 32 GiB }',
    'deploy 12 x proxy_1c',
    'deploy 4  x director_3c',
    'deploy 16 x backend_4c',
    'host hv[01..04] { cores = 24 memory = 384 GiB hypervisor_cores = 2 hypervisor_memory = 16 GiB }',
    ''
].join('\n');

suite('dcplan language features in VS Code', () => {
    suiteTeardown(async () => {
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    test('completion in an unclosed host block offers the attributes not set yet', async () => {
        const doc = await openPlan(
            'shape p { role = proxy cores = 1 memory = 2 GiB }\nhost h1 {\n  cores = 8\n  \n'
        );
        const items = await until('completion items', async () => {
            const list = await vscode.commands.executeCommand<vscode.CompletionList>(
                'vscode.executeCompletionItemProvider',
                doc.uri,
                new vscode.Position(3, 2)
            );
            return list && list.items.length > 0 ? list.items : undefined;
        });
        const labels = items.map(i => (typeof i.label === 'string' ? i.label : i.label.label));
        for (const attribute of [
            'memory',
            'hypervisor_cores',
            'hypervisor_memory',
            'threads_per_core',
            'runs'
        ])
            assert.ok(
                labels.includes(attribute),
                `${attribute} is offered (got ${labels.join(', ')})`
            );
        assert.ok(!labels.includes('cores'), 'cores is set already and not offered again');
    });

    test('hover on a shape gives its figures: 12 instances, 12 cores, 24 GiB, 8.3%', async () => {
        const doc = await openPlan(PLAN);
        const text = await until('a hover with figures', async () => {
            const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
                'vscode.executeHoverProvider',
                doc.uri,
                positionOf(doc, 'proxy_1c', 2)
            );
            const t = hoverText(hovers ?? []);
            return t.includes('8.3%') ? t : undefined;
        });
        assert.match(text, /12 instances/);
        assert.match(text, /12 cores/);
        assert.match(text, /24 GiB/);
        assert.match(text, /Virtualised Proxy sizing/);
    });

    test('rename of a shape changes its declaration and every deploy line', async () => {
        const doc = await openPlan(PLAN);
        const edit = await until('a rename edit', () =>
            Promise.resolve(
                vscode.commands.executeCommand<vscode.WorkspaceEdit>(
                    'vscode.executeDocumentRenameProvider',
                    doc.uri,
                    positionOf(doc, 'backend_4c', 1),
                    'backend_small'
                )
            )
        );
        const changes = edit.get(doc.uri);
        assert.equal(changes.length, 2, 'the declaration and the deploy line');
        assert.ok(await vscode.workspace.applyEdit(edit));
        assert.match(doc.getText(), /^shape backend_small {2}\{ role = backend/m);
        assert.match(doc.getText(), /^deploy 16 x backend_small$/m);
        assert.ok(!doc.getText().includes('backend_4c'));
    });
});
