#!/usr/bin/env node
// Runs the extension-host suite (test/editor/suite) inside a real VS Code: code-server 4.100.3's
// extension host, with the workbench opened by headless Chromium with the `payload` query that
// names the extension under development (this repo) and the tests. The workbench calls
// codeAutomationExit(0|1) when the suite's run() resolves or rejects: that is the result.
// Usage: node test/editor/run-code-server.mjs   (builds the bundles and the suite first)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
    REPO,
    ensureCodeServer,
    launchBrowser,
    log,
    makeRunDir,
    startCodeServer
} from './code-server.mjs';

const SUITE_TIMEOUT_MS = Number(process.env.DCPLAN_SUITE_TIMEOUT_MS ?? 5 * 60_000);

async function main() {
    execFileSync(process.execPath, ['esbuild.mjs'], { cwd: REPO, stdio: 'inherit' });
    execFileSync(process.execPath, ['test/editor/build-suite.mjs'], {
        cwd: REPO,
        stdio: 'inherit'
    });
    ensureCodeServer();
    const dir = makeRunDir('editor-suite');
    for (const f of fs
        .readdirSync(path.join(REPO, 'examples'))
        .filter(f => f.endsWith('.dcplan'))) {
        fs.copyFileSync(path.join(REPO, 'examples', f), path.join(dir.workspace, f));
    }
    const resultFile = path.join(dir.run, 'mocha-result.json');
    dir.env.DCPLAN_TEST_RESULT = resultFile;
    const server = await startCodeServer(dir);
    let browser;
    let exitCode = 2;
    try {
        browser = await launchBrowser(dir);
        const logs = [];
        const done = new Promise((resolve, reject) => {
            const timer = setTimeout(
                () => reject(new Error(`the suite did not finish within ${SUITE_TIMEOUT_MS} ms`)),
                SUITE_TIMEOUT_MS
            );
            browser.exposeFunction('codeAutomationLog', (type, args) => {
                const line = (Array.isArray(args) ? args : [args])
                    .map(a => (typeof a === 'string' ? a : JSON.stringify(a)))
                    .join(' ');
                logs.push(line);
                if (process.env.DCPLAN_VERBOSE) console.log(`[host ${type}]`, line);
            });
            browser.exposeFunction('codeAutomationExit', code => {
                clearTimeout(timer);
                resolve(code);
            });
        });
        const remote = p => `vscode-remote://127.0.0.1:${server.port}${p}`;
        const payload = [
            ['extensionDevelopmentPath', remote(REPO)],
            ['extensionTestsPath', remote(path.join(REPO, 'out/editor-suite/index.cjs'))]
        ];
        const page = browser.pages()[0] ?? (await browser.newPage());
        await page.goto(
            `${server.base}/?folder=${encodeURIComponent(dir.workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`,
            { timeout: 60_000 }
        );
        log('workbench opened; running the suite');
        try {
            exitCode = await done;
        } finally {
            await page.screenshot({ path: path.join(dir.run, 'last.png') }).catch(() => {});
            fs.writeFileSync(path.join(dir.run, 'host.log'), logs.join('\n'));
        }
    } finally {
        await browser?.close().catch(() => {});
        await server.stop();
    }
    let passed = 0,
        failed = 0;
    if (fs.existsSync(resultFile)) {
        const result = JSON.parse(fs.readFileSync(resultFile, 'utf8'));
        for (const r of result.results) {
            console.log(
                `${r.state === 'passed' ? '  ✓' : '  ✗'} ${r.title}${r.ms !== undefined ? ` (${r.ms} ms)` : ''}`
            );
            if (r.error) console.log('    ' + r.error.split('\n').join('\n    '));
            if (r.state === 'passed') passed++;
            else failed++;
        }
    } else {
        console.log(`no result file: see ${path.join(dir.run, 'host.log')} and code-server.log`);
    }
    if (exitCode !== 0 && failed === 0) failed = 1;
    console.log(`editor suite in code-server (test/editor/suite):`);
    console.log(`editor-suite: ${passed} passed, ${failed} failed`);
    process.exit(exitCode === 0 && failed === 0 ? 0 : 1);
}

main().catch(e => {
    console.error(e);
    process.exit(2);
});
