/**
 * The extension in a real VS Code extension host: it opens the examples and waits for their
 * diagnostics from the language server (a child process over IPC), opens the preview and checks
 * the report it shows, edits the text and sees diagnostics and preview follow, follows the active
 * editor, works on untitled documents, reveals elements, and exports SVG and HTML.
 * The workspace folder holds a copy of examples/.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { until, WAIT } from './wait.js';
import type { DcplanExtensionApi } from '../../../src/extension/main.js';
import type { ReportResult } from '../../../src/protocol.js';

function workspaceFile(name: string): vscode.Uri {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the tests need a workspace folder with the examples');
    return vscode.Uri.joinPath(folder.uri, name);
}

const codesOf = (uri: vscode.Uri) =>
    vscode.languages
        .getDiagnostics(uri)
        .map(d => String(typeof d.code === 'object' ? d.code.value : d.code))
        .sort();

async function diagnosticsMatching(
    uri: vscode.Uri,
    expected: string[]
): Promise<vscode.Diagnostic[]> {
    await until(
        `diagnostics ${expected.join(',')} on ${uri.path} (now: ${codesOf(uri).join(',')})`,
        () => JSON.stringify(codesOf(uri)) === JSON.stringify([...expected].sort())
    );
    return vscode.languages.getDiagnostics(uri);
}

let api: DcplanExtensionApi;

/** The next preview result for `uri` that satisfies `accept`. */
function previewResult(
    uri: vscode.Uri,
    accept: (r: ReportResult) => boolean = () => true
): Promise<ReportResult> {
    const matches = (r: ReportResult | undefined) =>
        !!r && vscode.Uri.parse(r.uri).toString() === uri.toString() && accept(r);
    const now = api.preview.shown.result;
    if (matches(now)) return Promise.resolve(now!);
    return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
            sub.dispose();
            reject(
                new Error(
                    `no preview result for ${uri.toString()} within ${WAIT} ms (last: ${JSON.stringify(api.preview.shown.result?.version)})`
                )
            );
        }, WAIT);
        const sub = api.preview.onDidPostReport(r => {
            if (matches(r)) {
                clearTimeout(timer);
                sub.dispose();
                resolve(r);
            }
        });
    });
}

suite('dcplan extension', () => {
    suiteSetup(async () => {
        const ext = vscode.extensions.getExtension<DcplanExtensionApi>('dcplan.dcplan');
        assert.ok(ext, 'the dcplan extension is installed');
        api = await ext.activate();
        assert.ok(api.client.isRunning(), 'the language client runs');
    });

    suiteTeardown(async () => {
        await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    });

    test('seed-reference.dcplan: the language, its diagnostics with codes and ranges', async () => {
        const uri = workspaceFile('seed-reference.dcplan');
        const doc = await vscode.workspace.openTextDocument(uri);
        await vscode.window.showTextDocument(doc);
        assert.equal(doc.languageId, 'dcplan');
        const ds = await diagnosticsMatching(uri, [
            'backend-split',
            'director-split',
            'login-idle-cores',
            'proxy-split',
            'unplaceable',
            'unplaceable'
        ]);
        const unplaceable = ds.filter(d => String(d.code) === 'unplaceable');
        const lineOf = (prefix: string) =>
            doc
                .getText()
                .split(/\r?\n/)
                .findIndex(l => l.startsWith(prefix));
        assert.deepEqual(
            unplaceable.map(d => d.range.start.line).sort((a, b) => a - b),
            [lineOf('deploy 3 x proxy_4c'), lineOf('deploy 3 x director_4c')]
        );
        assert.ok(unplaceable.every(d => d.severity === vscode.DiagnosticSeverity.Error));
        const idle = ds.find(d => String(d.code) === 'login-idle-cores')!;
        assert.equal(idle.severity, vscode.DiagnosticSeverity.Warning);
        assert.match(doc.lineAt(idle.range.start.line).text, /^shape proxy_4c/);
    });

    test('seed-recommended.dcplan: only the host-failure info', async () => {
        const uri = workspaceFile('seed-recommended.dcplan');
        await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
        const [d] = await diagnosticsMatching(uri, ['host-failure']);
        assert.equal(d.severity, vscode.DiagnosticSeverity.Information);
    });

    test('the preview shows the report of the active document and follows the active editor', async () => {
        const recommended = workspaceFile('seed-recommended.dcplan');
        await vscode.window.showTextDocument(
            await vscode.workspace.openTextDocument(recommended),
            vscode.ViewColumn.One
        );
        await vscode.commands.executeCommand('dcplan.showPreviewToSide');
        const r = await previewResult(recommended, x => !!x.report);
        assert.equal(r.report!.hosts.length, 4);
        assert.deepEqual(
            r.report!.hosts.map(h => `${h.usedCores}/${h.usableCores}`),
            ['22/22', '22/22', '22/22', '22/22']
        );
        assert.equal(api.preview.shown.visible, true);

        const reference = workspaceFile('seed-reference.dcplan');
        await vscode.window.showTextDocument(
            await vscode.workspace.openTextDocument(reference),
            vscode.ViewColumn.One
        );
        const ref = await previewResult(reference, x => !!x.report);
        assert.deepEqual(ref.report!.unplaced.map(u => u.instance).sort(), [
            'director_4c-3',
            'proxy_4c-3'
        ]);
    });

    test('editing the text updates diagnostics and the preview; a syntax error keeps the last good placement', async () => {
        const uri = workspaceFile('seed-reference.dcplan');
        const editor = await vscode.window.showTextDocument(
            await vscode.workspace.openTextDocument(uri),
            vscode.ViewColumn.One
        );
        const doc = editor.document;
        const replace = async (from: string, to: string) => {
            const at = doc.getText().indexOf(from);
            assert.ok(at >= 0, `'${from}' is in the text`);
            assert.ok(
                await editor.edit(e =>
                    e.replace(
                        new vscode.Range(doc.positionAt(at), doc.positionAt(at + from.length)),
                        to
                    )
                )
            );
        };
        // Two more hosts: everything fits, the unplaceable errors go.
        await replace('host hv[01..04]', 'host hv[01..06]');
        await until('the unplaceable errors to go', () => !codesOf(uri).includes('unplaceable'));
        const after = await previewResult(uri, x => x.version === doc.version && !!x.report);
        assert.equal(after.report!.hosts.length, 6);
        assert.deepEqual(after.report!.unplaced, []);

        await replace('deploy 3 x proxy_4c', 'deploy 3 x');
        const stale = await previewResult(uri, x => x.version === doc.version);
        assert.equal(stale.stale, true);
        assert.equal(stale.report!.hosts.length, 6, 'the last good placement stays on show');
        assert.ok(
            vscode.languages
                .getDiagnostics(uri)
                .some(d => d.severity === vscode.DiagnosticSeverity.Error)
        );

        await vscode.commands.executeCommand('workbench.action.files.revert');
        await diagnosticsMatching(uri, [
            'backend-split',
            'director-split',
            'login-idle-cores',
            'proxy-split',
            'unplaceable',
            'unplaceable'
        ]);
    });

    test('an untitled document gets diagnostics and a preview', async () => {
        const doc = await vscode.workspace.openTextDocument({
            language: 'dcplan',
            content:
                'shape p { role = proxy cores = 2 memory = 2 GiB }\ndeploy 2 x p\nhost h1 { cores = 8 memory = 32 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }\n'
        });
        await vscode.window.showTextDocument(doc, vscode.ViewColumn.One);
        await until('diagnostics on the untitled document', () =>
            codesOf(doc.uri).includes('proxy-split')
        );
        const r = await previewResult(doc.uri, x => !!x.report);
        assert.deepEqual(
            r.report!.hosts.map(h => h.name),
            ['h1']
        );
        await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    });

    test('dcplan/locate and reveal: a host in a range, an instance by its deploy line', async () => {
        const uri = workspaceFile('seed-reference.dcplan');
        const host = await api.preview.locate(uri.toString(), 'host', 'hv02');
        assert.ok(host);
        const editor = await api.preview.reveal(vscode.Uri.parse(host.uri), host.line, host.column);
        assert.match(
            editor.document.lineAt(editor.selection.active.line).text,
            /^host hv\[01\.\.04\]/
        );
        const inst = await api.preview.locate(uri.toString(), 'instance', 'proxy_4c-3');
        assert.match(editor.document.lineAt(inst!.line - 1).text, /^deploy 3 x proxy_4c/);
    });

    test('exact placement: the toggle replaces the placement by the proved one; an edit re-proves it', async () => {
        const uri = workspaceFile('seed-reference.dcplan');
        const editor = await vscode.window.showTextDocument(
            await vscode.workspace.openTextDocument(uri),
            vscode.ViewColumn.One
        );
        const doc = editor.document;
        await vscode.commands.executeCommand('dcplan.showPreviewToSide');
        await previewResult(uri, x => x.version === doc.version && !!x.report);
        assert.equal(api.preview.shown.exact.state, 'off');
        assert.equal(vscode.workspace.getConfiguration('dcplan').get('preview.exact'), false);
        const proved = () => {
            const { result, exact } = api.preview.shown;
            return exact.state === 'done' &&
                result?.version === doc.version &&
                vscode.Uri.parse(result.uri).toString() === uri.toString()
                ? { result, summary: exact.summary }
                : undefined;
        };
        try {
            await vscode.commands.executeCommand('dcplan.toggleExactPlacement');
            assert.equal(vscode.workspace.getConfiguration('dcplan').get('preview.exact'), true);
            const { result, summary } = await until('the proof of seed-reference', proved);
            assert.equal(summary.status, 'optimal');
            assert.equal(summary.gap, 0);
            assert.equal(summary.placedCores, 80);
            assert.equal(summary.placedCoresBound, 80);
            assert.equal(summary.deployedCores, 88);
            assert.equal(result.report!.totals.placedCores, 80);
            assert.equal(result.stale, false);

            // Export exports what is shown: the exact placement and its badge.
            const svg = workspaceFile('exact.placement.svg');
            await vscode.commands.executeCommand('dcplan.savePreviewAsSvg', svg);
            assert.match(
                new TextDecoder().decode(await vscode.workspace.fs.readFile(svg)),
                /exact placement: proved optimal<title>no placement places more than 80 of 88 cores/
            );

            // Edits: an answer for an older version never replaces the new text's placement.
            const wrong: string[] = [];
            const watch = api.preview.onDidPostReport(r => {
                const exact = api.preview.shown.exact;
                if (exact.state === 'done' && r.version !== doc.version)
                    wrong.push(`exact v${r.version} shown at v${doc.version}`);
            });
            try {
                assert.ok(
                    await editor.edit(e => e.insert(new vscode.Position(0, 0), '// exact mode\n'))
                );
                const again = await until('the proof of the edited text', proved);
                assert.equal(again.result.version, doc.version);
                assert.equal(again.summary.placedCoresBound, 80);
                // Two quick edits that change the placement's inputs: six hosts, then five.
                const hostLine = doc
                    .getText()
                    .split('\n')
                    .findIndex(l => l.startsWith('host hv[01..04]'));
                const range = (from: string) =>
                    new vscode.Range(hostLine, 0, hostLine, from.length);
                assert.ok(
                    await editor.edit(e => e.replace(range('host hv[01..04]'), 'host hv[01..06]'))
                );
                assert.ok(
                    await editor.edit(e => e.replace(range('host hv[01..06]'), 'host hv[01..05]'))
                );
                const five = await until('the proof with five hosts', proved);
                assert.equal(five.result.report!.hosts.length, 5);
                assert.equal(five.summary.placedCores, 88);
                assert.equal(five.summary.status, 'optimal');
                assert.deepEqual(wrong, []);
            } finally {
                watch.dispose();
            }
        } finally {
            await vscode.commands.executeCommand('dcplan.toggleExactPlacement');
            await vscode.commands.executeCommand('workbench.action.files.revert');
        }
        assert.equal(vscode.workspace.getConfiguration('dcplan').get('preview.exact'), false);
        await until('the exact badge to go', () => api.preview.shown.exact.state === 'off');
    });

    test('Save Preview as SVG and as HTML', async () => {
        const uri = workspaceFile('seed-recommended.dcplan');
        await vscode.window.showTextDocument(
            await vscode.workspace.openTextDocument(uri),
            vscode.ViewColumn.One
        );
        await previewResult(uri, x => !!x.report);
        const svg = workspaceFile('out.placement.svg');
        const html = workspaceFile('out.placement.html');
        await vscode.commands.executeCommand('dcplan.savePreviewAsSvg', svg);
        await vscode.commands.executeCommand('dcplan.savePreviewAsHtml', html);
        const svgText = new TextDecoder().decode(await vscode.workspace.fs.readFile(svg));
        const htmlText = new TextDecoder().decode(await vscode.workspace.fs.readFile(html));
        assert.match(svgText, /^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
        assert.match(svgText, />hv04</);
        assert.match(htmlText, /^<!DOCTYPE html>/);
        assert.match(htmlText, /Dovecot recommended VM split/);
    });
});
