/**
 * Runs the extension-host suite in a downloaded VS Code with @vscode/test-electron (for machines
 * that can download VS Code; on this project's CI machines the download is blocked, and the same
 * suite runs in code-server: run-code-server.mjs).
 *
 * Usage: npm run bundle && node test/editor/build-suite.mjs && npx tsx test/editor/run-electron.ts
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';

async function main(): Promise<void> {
    const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
    const workspace = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-editor-'));
    for (const f of fs
        .readdirSync(path.join(repo, 'examples'))
        .filter(f => f.endsWith('.dcplan'))) {
        fs.copyFileSync(path.join(repo, 'examples', f), path.join(workspace, f));
    }
    await runTests({
        version: process.env.VSCODE_VERSION ?? 'stable',
        extensionDevelopmentPath: repo,
        extensionTestsPath: path.join(repo, 'out/editor-suite/index.cjs'),
        launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
        extensionTestsEnv: { DCPLAN_TEST_RESULT: path.join(workspace, 'mocha-result.json') }
    });
}

main().catch(error => {
    console.error('editor suite (electron) failed:', error);
    process.exit(1);
});
