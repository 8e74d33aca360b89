/**
 * The preview's Markdown habits in a real extension host: scroll sync from the editor's cursor
 * (the line sent, what `dcplan/previewTarget` answers there), Show Source, Toggle Preview Locking
 * (the preview stays on its plan; the title says "[Preview]"), and the sync settings.
 * What the webview does with a highlight is checked in the UI suite (test/editor/ui.mjs).
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { until } from './wait.js';
import type { DcplanExtensionApi } from '../../../src/extension/main.js';
import { PreviewTargetRequest, type PreviewTarget } from '../../../src/protocol.js';

function workspaceFile(name: string): vscode.Uri {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the tests need a workspace folder with the examples');
    return vscode.Uri.joinPath(folder.uri, name);
}

let api: DcplanExtensionApi;

suite('dcplan preview habits', () => {
    suiteSetup(async () => {
        api = await vscode.extensions.getExtension<DcplanExtensionApi>('dcplan.dcplan')!.activate();
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    suiteTeardown(async () => {
        await vscode.workspace
            .getConfiguration('dcplan.preview')
            .update('scrollPreviewWithEditor', undefined, vscode.ConfigurationTarget.Global);
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    test('moving the cursor syncs the preview to the element under it', async () => {
        const uri = workspaceFile('seed-reference.dcplan');
        const editor = await vscode.window.showTextDocument(
            await vscode.workspace.openTextDocument(uri),
            vscode.ViewColumn.One
        );
        await vscode.commands.executeCommand('dcplan.showPreviewToSide');
        await until(
            'the preview of seed-reference',
            () =>
                api.preview.shown.result?.report &&
                api.preview.shown.uri?.toString() === uri.toString()
        );
        const hostLine = editor.document
            .getText()
            .split('\n')
            .findIndex(l => l.startsWith('host hv[01..04]'));
        const synced: number[] = [];
        const sub = api.preview.onDidSync(e => {
            if (e.direction === 'toPreview') synced.push(e.line);
        });
        try {
            editor.selection = new vscode.Selection(hostLine + 1, 2, hostLine + 1, 2);
            await until('a sync to the preview', () => synced.includes(hostLine + 2));
            // By method name: the suite's bundle has its own copy of vscode-jsonrpc's RequestType.
            const target = await api.client.sendRequest<PreviewTarget | null>(
                PreviewTargetRequest.method,
                { uri: uri.toString(), line: hostLine + 2 }
            );
            assert.deepEqual(target, {
                kind: 'host',
                names: ['hv01', 'hv02', 'hv03', 'hv04'],
                line: hostLine + 1
            });

            // Off: the cursor no longer moves the preview.
            await vscode.workspace
                .getConfiguration('dcplan.preview')
                .update('scrollPreviewWithEditor', false, vscode.ConfigurationTarget.Global);
            synced.length = 0;
            editor.selection = new vscode.Selection(0, 0, 0, 0);
            await new Promise(r => setTimeout(r, 600));
            assert.deepEqual(synced, []);
        } finally {
            sub.dispose();
            await vscode.workspace
                .getConfiguration('dcplan.preview')
                .update('scrollPreviewWithEditor', undefined, vscode.ConfigurationTarget.Global);
        }
    });

    test('Show Source opens the plan on show beside the preview', async () => {
        const uri = workspaceFile('seed-reference.dcplan');
        await until(
            'the preview of seed-reference',
            () => api.preview.shown.uri?.toString() === uri.toString()
        );
        // Close the plan's editor: only the preview is left.
        await vscode.window.showTextDocument(
            await vscode.workspace.openTextDocument(uri),
            vscode.ViewColumn.One
        );
        await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
        await until(
            'the plan editor to close',
            () =>
                !vscode.window.visibleTextEditors.some(
                    e => e.document.uri.toString() === uri.toString()
                )
        );
        await vscode.commands.executeCommand('dcplan.showSource');
        const active = await until('the source editor', () => vscode.window.activeTextEditor);
        assert.equal(active.document.uri.toString(), uri.toString());
        assert.notEqual(active.viewColumn, undefined);
    });

    test('a locked preview stays on its plan; unlocked, it follows the active editor again', async () => {
        const reference = workspaceFile('seed-reference.dcplan');
        const recommended = workspaceFile('seed-recommended.dcplan');
        await vscode.window.showTextDocument(
            await vscode.workspace.openTextDocument(reference),
            vscode.ViewColumn.One
        );
        await until(
            'the preview of seed-reference',
            () => api.preview.shown.uri?.toString() === reference.toString()
        );
        assert.equal(api.preview.shown.title, 'Preview seed-reference.dcplan');
        await vscode.commands.executeCommand('dcplan.togglePreviewLocking');
        try {
            assert.equal(api.preview.shown.locked, true);
            assert.equal(api.preview.shown.title, '[Preview] seed-reference.dcplan');
            await vscode.window.showTextDocument(
                await vscode.workspace.openTextDocument(recommended),
                vscode.ViewColumn.One
            );
            await new Promise(r => setTimeout(r, 500));
            assert.equal(api.preview.shown.uri?.toString(), reference.toString());
        } finally {
            await vscode.commands.executeCommand('dcplan.togglePreviewLocking');
        }
        assert.equal(api.preview.shown.locked, false);
        // Unlocking follows the active plan at once.
        await until(
            'the preview of seed-recommended',
            () =>
                api.preview.shown.uri?.toString() === recommended.toString() &&
                api.preview.shown.result?.report
        );
        assert.equal(api.preview.shown.title, 'Preview seed-recommended.dcplan');
    });
});
