/**
 * Quick-fixes in a real extension host: on seed-reference.dcplan, the preferred quick-fix of
 * `proxy-split` (asked through VS Code's code-action API, as the lightbulb does) rewrites the text
 * as the spec says, and the diagnostics and the preview follow. The file is reverted afterwards.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { until } from './wait.js';
import type { DcplanExtensionApi } from '../../../src/extension/main.js';

const codeOf = (d: vscode.Diagnostic) => String(typeof d.code === 'object' ? d.code.value : d.code);

suite('dcplan quick-fixes', () => {
    let api: DcplanExtensionApi;

    suiteSetup(async () => {
        const ext = vscode.extensions.getExtension<DcplanExtensionApi>('dcplan.dcplan');
        assert.ok(ext, 'the dcplan extension is installed');
        api = await ext.activate();
    });

    suiteTeardown(async () => {
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    test('the preferred proxy-split quick-fix on seed-reference.dcplan: text, diagnostics and preview follow', async () => {
        const folder = vscode.workspace.workspaceFolders?.[0];
        assert.ok(folder, 'the tests need a workspace folder with the examples');
        const uri = vscode.Uri.joinPath(folder.uri, 'seed-reference.dcplan');
        const editor = await vscode.window.showTextDocument(
            await vscode.workspace.openTextDocument(uri),
            vscode.ViewColumn.One
        );
        const doc = editor.document;
        const before = doc.getText();
        await vscode.commands.executeCommand('dcplan.showPreviewToSide');
        await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
        try {
            const diagnostic = await until('the proxy-split diagnostic', () =>
                vscode.languages.getDiagnostics(uri).find(d => codeOf(d) === 'proxy-split')
            );
            // (Asked until answered: the server may be restarting.)
            const actions = await until('quick-fixes on proxy_4c', async () => {
                const list = await vscode.commands.executeCommand<vscode.CodeAction[]>(
                    'vscode.executeCodeActionProvider',
                    uri,
                    diagnostic.range,
                    vscode.CodeActionKind.QuickFix.value
                );
                return list.length > 0 ? list : undefined;
            });
            // (executeCodeActionProvider returns the actions without their diagnostics.)
            const preferred = actions.filter(
                a => a.isPreferred && a.kind?.value === 'quickfix' && a.title.includes('proxies')
            );
            const all = JSON.stringify(
                actions.map(a => [
                    a.title,
                    a.isPreferred,
                    a.kind?.value,
                    a.diagnostics?.map(codeOf)
                ])
            );
            assert.deepEqual(
                preferred.map(a => a.title),
                ['Split into 12 × 1-core proxies (maintenance impact 8.3%)'],
                all
            );
            assert.ok(await vscode.workspace.applyEdit(preferred[0].edit!));
            assert.equal(
                doc.getText(),
                before
                    .replace(
                        'shape proxy_4c    { role = proxy    cores = 4  memory = 8 GiB }',
                        'shape proxy_1c    { role = proxy    cores = 1  memory = 2 GiB }'
                    )
                    .replace('deploy 3 x proxy_4c', 'deploy 12 x proxy_1c')
            );
            await until(
                'proxy-split to go',
                () => !vscode.languages.getDiagnostics(uri).some(d => codeOf(d) === 'proxy-split')
            );
            await until('the preview to show 12 proxies', () => {
                const r = api.preview.shown.result;
                return (
                    !!r &&
                    vscode.Uri.parse(r.uri).toString() === uri.toString() &&
                    r.version === doc.version &&
                    r.report?.roles.proxy.instances === 12
                );
            });
        } finally {
            await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
            await vscode.commands.executeCommand('workbench.action.files.revert');
        }
    });
});
