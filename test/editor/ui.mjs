#!/usr/bin/env node
// UI level: what a person sees. The packaged .vsix installed into code-server 4.100.3, driven
// through headless Chromium with playwright-core: open seed-reference.dcplan, see its errors in the
// Problems panel, open the preview and read the hosts and the unplaced instances inside the
// webview, click a host to reveal its definition, type the proxy split that fixes the plan and see
// the preview follow; scroll sync both ways (the cursor marks the host block's hosts and a deploy's
// instances in the preview; scrolling the preview scrolls the editor) and its setting; turn on the
// exact placement and see it proved optimal with its bound; then the same preview in a dark and a
// high-contrast theme (VM segments framed in the contrast border), the exact placement turned off by
// the command, Save Preview as SVG with its confirmation and Open, Show Source in the preview's
// title bar, and Toggle Preview Locking (those and day 2 in ui-commands.mjs).
// Screenshots: test-results/ui/*.png.
// Usage: node test/editor/ui.mjs [--vsix=path]   (without --vsix it runs `npm run package`)
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
    REPO,
    ensureCodeServer,
    installVsix,
    launchBrowser,
    log,
    makeRunDir,
    startCodeServer
} from './code-server.mjs';
import { previewCommandsAndDay2 } from './ui-commands.mjs';

const args = Object.fromEntries(process.argv.slice(2).map(a => a.replace(/^--/, '').split('=')));
const OVERALL_TIMEOUT_MS = Number(process.env.DCPLAN_UI_TIMEOUT_MS ?? 8 * 60_000);
const checks = [];
function check(name, ok, detail = '') {
    checks.push({ name, ok: !!ok, detail });
    log(`${ok ? 'ok  ' : 'FAIL'} ${name}${detail ? ': ' + detail : ''}`);
    if (!ok) throw new Error(`check failed: ${name} ${detail}`);
}

function packageVsix() {
    if (args.vsix) return path.resolve(args.vsix);
    const version = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')).version;
    try {
        execFileSync('npm', ['run', 'package'], { cwd: REPO, stdio: 'pipe', timeout: 5 * 60_000 });
    } catch (error) {
        console.error(String(error.stdout ?? ''), String(error.stderr ?? ''));
        throw error;
    }
    return path.join(REPO, `dcplan-${version}.vsix`);
}

/**
 * Writes beside the plans the files of an ordinary repository that are not plans: scripts that
 * start with `import` (after a shebang too), Markdown and text mentioning dcplan words, backup
 * copies of a plan (`.bak`, `.orig`), a binary, `node_modules/` and a large bundle. Returns their
 * base names, as the Problems panel shows them.
 */
function writeStrangers(workspace) {
    const plan = fs.readFileSync(path.join(REPO, 'examples', 'seed-reference.dcplan'), 'utf8');
    const files = {
        'tools/deploy.py': '#!/usr/bin/env python3\nimport os\nprint(os.getcwd())\n',
        'src/app.js': "import fs from 'node:fs';\nexport const hosts = fs.readdirSync('.');\n",
        'src/types.ts':
            "import type { Plan } from './plan';\nexport type Host = { name: string };\n",
        'bin/run.sh': '#!/bin/sh\nimport "$HOME/x"\nexec node app.js\n',
        'NOTES.md': '# Sizing notes\n\nshape proxy_4c { role = proxy cores = 4 }\nimport\n',
        'todo.txt': 'host hv01 {\n  cores = \n',
        'seed-reference.dcplan.bak': plan,
        'seed-reference.dcplan.orig': plan.replace('hv[01..04]', 'hv[01..02]'),
        'logo.bin': Buffer.from([
            0x89, 0x50, 0x4e, 0x47, 0, 1, 2, 255, 254, 0, 0x69, 0x6d, 0x70, 0x6f, 0x72, 0x74
        ]),
        'node_modules/left-pad/index.js': "import x from 'y';\nexport default x;\n",
        'dist/bundle.js':
            'import a from "a";\n' + 'var x = { a: 1, b: [1, 2, 3] };\n'.repeat(55_000)
    };
    for (const [name, body] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(workspace, name)), { recursive: true });
        fs.writeFileSync(path.join(workspace, name), body);
    }
    return Object.keys(files).map(f => path.basename(f));
}

async function main() {
    const referenceLines = fs
        .readFileSync(path.join(REPO, 'examples/seed-reference.dcplan'), 'utf8')
        .split(/\r?\n/);
    const lineOf = prefix => {
        const i = referenceLines.findIndex(l => l.startsWith(prefix));
        if (i < 0) throw new Error(`seed-reference.dcplan has no line starting with '${prefix}'`);
        return i + 1;
    };
    const L = {
        host: lineOf('host hv[01..04]'),
        proxyDeploy: lineOf('deploy 3 x proxy_4c'),
        directorDeploy: lineOf('deploy 3 x director_4c'),
        proxyShape: lineOf('shape proxy_4c'),
        directorShape: lineOf('shape director_4c')
    };
    const vsix = packageVsix();
    log('vsix', vsix);
    ensureCodeServer();
    const dir = makeRunDir('ui');
    const shots = dir.run;
    // Two examples only, so that the status bar's counts are this plan's (the server checks the whole workspace).
    for (const f of ['seed-reference.dcplan', 'seed-recommended.dcplan']) {
        fs.copyFileSync(path.join(REPO, 'examples', f), path.join(dir.workspace, f));
    }
    // Room below the plan's last line, so that the editor can bring any of its lines to its top
    // (the scroll-sync check from the preview to the editor); the lines above stay as they are.
    fs.appendFileSync(path.join(dir.workspace, 'seed-reference.dcplan'), '\n'.repeat(60));
    // Around the plans, what an ordinary repository holds: none of it is a plan, so none of it may
    // get a diagnostic, be parsed, or crash the server (a `.py`/`.js` file that starts with
    // `import` once did).
    const strangers = writeStrangers(dir.workspace);
    installVsix(dir, vsix);
    check(
        'the .vsix installs',
        fs.readdirSync(dir.exts).some(d => d.startsWith('dcplan.dcplan-'))
    );
    const server = await startCodeServer(dir);
    let browser;
    const guard = setTimeout(async () => {
        console.error(`UI test: over ${OVERALL_TIMEOUT_MS} ms, stopping`);
        await server.stop();
        process.exit(1);
    }, OVERALL_TIMEOUT_MS);
    let page;
    try {
        browser = await launchBrowser(dir, { width: 1600, height: 1000 });
        page = browser.pages()[0] ?? (await browser.newPage());
        page.setDefaultTimeout(60_000);
        const shot = async name => {
            await page.screenshot({ path: path.join(shots, `${name}.png`) });
            log('screenshot', name);
        };
        const quick = page.locator('.quick-input-widget');

        await page.goto(`${server.base}/?folder=${encodeURIComponent(dir.workspace)}`);
        await page.locator('.monaco-workbench').waitFor();
        await page
            .locator('.explorer-folders-view .monaco-list-row[aria-label="seed-reference.dcplan"]')
            .waitFor();
        log('workbench loaded');

        // Open the file with Quick Open.
        await page
            .locator('.monaco-workbench')
            .click({ position: { x: 800, y: 500 } })
            .catch(() => {});
        await page.keyboard.press('Control+P');
        await quick.locator('input').waitFor({ state: 'visible' });
        await page.keyboard.type('seed-reference.dcplan');
        // Quick Open ranks the exact name first, above the .bak and .orig copies beside it.
        await quick
            .locator('.monaco-list-row', { hasText: 'seed-reference.dcplan' })
            .first()
            .waitFor();
        await page.keyboard.press('Enter');
        await page
            .locator('.tabs-container .tab.active[aria-label^="seed-reference.dcplan"]')
            .waitFor();
        check(
            'the plan is open, not a copy',
            /^seed-reference\.dcplan(?!\.)/.test(
                await page.locator('.tabs-container .tab.active').getAttribute('aria-label')
            )
        );
        check(
            'language mode',
            /dcplan/i.test(await page.locator('#status\\.editor\\.mode').innerText())
        );
        // Highlighting: the TextMate grammar gives keywords and comments their own tokens.
        const colours = () =>
            page
                .locator('.monaco-editor .view-lines span[class^="mtk"]')
                .evaluateAll(els => new Set(els.map(e => e.className)).size);
        const until = Date.now() + 20_000;
        while ((await colours()) < 4 && Date.now() < until) await page.waitForTimeout(250);
        check('syntax highlighting', (await colours()) >= 4, `${await colours()} token colours`);

        // Diagnostics: squiggles, the status bar, the Problems panel.
        await page.locator('.monaco-editor .squiggly-error').first().waitFor();
        const status = page.locator('#status\\.problems a').first();
        await page.waitForFunction(
            () =>
                /Errors: 2/.test(
                    document.querySelector('#status\\.problems a')?.getAttribute('aria-label') ?? ''
                ),
            null,
            { timeout: 60_000 }
        );
        check('status bar counts the errors', true, await status.getAttribute('aria-label'));
        await page.keyboard.press('Control+Shift+M');
        const rows = page.locator('.markers-panel .monaco-list-row');
        await rows.filter({ hasText: 'unplaceable' }).first().waitFor();
        await rows.filter({ hasText: 'login-idle-cores' }).first().waitFor();
        const problemTexts = (await rows.allInnerTexts()).map(s => s.replace(/\s+/g, ' ').trim());
        check(
            'Problems panel lists unplaceable twice',
            problemTexts.filter(t => t.includes('unplaceable')).length === 2,
            problemTexts.join(' | ').slice(0, 400)
        );
        // The Problems panel groups markers under their file's row: only the plan may have one.
        await page.waitForTimeout(3_000); // the rest of the workspace is indexed by now
        const problemFiles = (await rows.allInnerTexts())
            .map(s => s.replace(/\s+/g, ' ').trim())
            .filter(t => strangers.some(f => t.includes(f)));
        check(
            'no diagnostic on the files that are not plans',
            problemFiles.length === 0,
            problemFiles.join(' | ').slice(0, 400)
        );
        await shot('1-problems');

        // Open the preview to the side with the command palette.
        await page.locator('.monaco-editor .view-lines').first().click();
        await page.keyboard.press('F1');
        await quick.locator('input').waitFor({ state: 'visible' });
        await page.keyboard.type('dcplan: Open Preview to the Side');
        await quick
            .locator('.monaco-list-row', { hasText: 'Open Preview to the Side' })
            .first()
            .waitFor();
        await page.keyboard.press('Enter');
        await page
            .locator('.tabs-container .tab[aria-label^="Preview seed-reference.dcplan"]')
            .waitFor();
        const wv = page.frameLocator('iframe.webview.ready').frameLocator('iframe#active-frame');
        await wv.locator('article.host').first().waitFor();
        const hostNames = await wv.locator('article.host .host-name').allInnerTexts();
        check(
            'the preview shows the four hosts',
            JSON.stringify(hostNames) === JSON.stringify(['hv01', 'hv02', 'hv03', 'hv04']),
            hostNames.join(',')
        );
        const unplaced = await wv.locator('.unplaced .chip b').allInnerTexts();
        check(
            'the preview lists the unplaced instances',
            JSON.stringify([...unplaced].sort()) ===
                JSON.stringify(['director_4c-3', 'proxy_4c-3']),
            unplaced.join(',')
        );
        const utils = await wv.locator('article.host .util').allInnerTexts();
        check(
            'each host uses 20 of its 22 vCPUs',
            utils.every(u => u.startsWith('20 / 22')),
            utils.join(' | ')
        );
        const diagCount = await wv.locator('.diagnostics .diag').count();
        check('the preview lists the diagnostics', diagCount === 6, String(diagCount));
        // Hide the panel for a clean view of editor and preview.
        await page.keyboard.press('Control+J').catch(() => {});
        await page.waitForTimeout(500);
        await shot('2-preview');

        // Click a host in the preview: the editor reveals its definition (host hv[01..04]).
        const atLine = n =>
            page.waitForFunction(
                ln =>
                    new RegExp(`Ln ${ln},`).test(
                        document.querySelector('#status\\.editor\\.selection')?.textContent ?? ''
                    ),
                n,
                { timeout: 20_000 }
            );
        await wv.locator('article.host .host-name', { hasText: 'hv03' }).click();
        await atLine(L.host);
        check(
            'clicking a host reveals its definition',
            true,
            await page.locator('#status\\.editor\\.selection').innerText()
        );
        // Click an unplaced instance: its deploy line.
        await wv.locator('.unplaced .chip', { hasText: 'proxy_4c-3' }).click();
        await atLine(L.proxyDeploy);
        check('clicking an unplaced instance reveals its deploy line', true);

        // Click a diagnostic: its range (the director's unplaceable is on its deploy line).
        await page.locator('.monaco-editor .view-lines').first().click();
        await page.keyboard.press('Control+Home');
        await wv
            .locator('.diagnostics .diag', { hasText: 'director_4c-3 (4 cores)' })
            .first()
            .click();
        await atLine(L.directorDeploy);
        check('clicking a diagnostic reveals its line', true);

        // Scroll sync, editor -> preview: the cursor on a host block marks its hosts in the preview
        // and brings them into view; on a deploy line, its instances.
        const gotoLine = async n => {
            await page.keyboard.press('Control+G');
            await quick.locator('input').waitFor({ state: 'visible' });
            await page.keyboard.type(String(n));
            await page.keyboard.press('Enter');
            await quick.locator('input').waitFor({ state: 'hidden' });
        };
        // From the preview's end, where the hosts are out of view. The preview may still be
        // laying out (CI saw scrollY stay 0 once): scroll again until it has moved.
        let bottomY = 0;
        for (const tEnd = Date.now() + 15_000; bottomY === 0 && Date.now() < tEnd;) {
            await wv
                .locator('body')
                .evaluate(() => window.scrollTo(0, document.scrollingElement.scrollHeight));
            await page.waitForTimeout(500);
            bottomY = await wv.locator('body').evaluate(() => window.scrollY);
        }
        await page.locator('.monaco-editor .view-lines').first().click();
        await gotoLine(L.host);
        await page.waitForTimeout(300);
        await wv.locator('article.host.synced').nth(3).waitFor({ timeout: 20_000 });
        const synced = await wv
            .locator('.synced')
            .evaluateAll(els => els.map(e => e.dataset.host ?? e.dataset.name));
        check(
            'the cursor on host hv[01..04] marks the four hosts in the preview',
            JSON.stringify(synced) === JSON.stringify(['hv01', 'hv02', 'hv03', 'hv04']),
            synced.join(',')
        );
        const hv01InView = await wv.locator('article.host[data-host="hv01"]').evaluate(el => {
            const r = el.getBoundingClientRect();
            return r.top >= 0 && r.bottom <= window.innerHeight;
        });
        const syncedY = await wv.locator('body').evaluate(() => window.scrollY);
        check(
            '... and scrolls the first into view',
            hv01InView && bottomY > 0 && syncedY < bottomY,
            `scrollY ${bottomY} -> ${syncedY}`
        );
        await shot('2c-sync-host');
        await gotoLine(L.proxyDeploy);
        const deploySynced = async () =>
            (await wv.locator('.synced').evaluateAll(els => els.map(e => e.dataset.name))).join(
                ','
            );
        const tDeploy = Date.now() + 20_000;
        while (
            (await deploySynced()) !== 'proxy_4c-3,proxy_4c-1,proxy_4c-2' &&
            Date.now() < tDeploy
        )
            await page.waitForTimeout(150);
        check(
            'the cursor on "deploy 3 x proxy_4c" marks its three instances (one unplaced)',
            (await deploySynced()) === 'proxy_4c-3,proxy_4c-1,proxy_4c-2',
            await deploySynced()
        );

        // Scroll sync, preview -> editor: scrolling the preview to a host scrolls the editor to its
        // block (the cursor stays); back to the top, to line 1.
        const firstVisibleLine = () =>
            page
                .locator('.monaco-editor')
                .first()
                .evaluate(ed => {
                    const nums = [
                        ...ed.querySelectorAll('.margin-view-overlays .line-numbers')
                    ].map(n => ({ n: Number(n.textContent), y: n.getBoundingClientRect().top }));
                    const viewTop = ed.querySelector('.overflow-guard').getBoundingClientRect().top;
                    return Math.min(...nums.filter(x => x.y >= viewTop - 2).map(x => x.n));
                });
        // At the top: VS Code's "reveal at top" keeps a few lines of context above the line (room for
        // sticky scroll): 4 lines in VS Code 1.100. The line's place is checked within 5 lines.
        const nearTop = (first, n) => first <= n && first >= Math.max(1, n - 5);
        const untilTopLine = async n => {
            const end = Date.now() + 20_000;
            while (!nearTop(await firstVisibleLine(), n) && Date.now() < end)
                await page.waitForTimeout(150);
            return nearTop(await firstVisibleLine(), n) ? n : firstVisibleLine();
        };
        // The cursor to line 1 (a comment: nothing to mark), so that it is apart from where the editor scrolls.
        await page.keyboard.press('Control+Home');
        await page.waitForTimeout(400);
        const topBefore = await firstVisibleLine();
        await wv
            .locator('.unplaced .chip[data-name="proxy_4c-3"]')
            .evaluate(el =>
                window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY + 2)
            );
        check(
            'scrolling the preview to the unplaced proxy_4c-3 scrolls the editor to its deploy line',
            topBefore !== L.proxyDeploy && (await untilTopLine(L.proxyDeploy)) === L.proxyDeploy,
            `first visible line ${topBefore} -> ${await firstVisibleLine()}`
        );
        check(
            '... and leaves the cursor where it was',
            (await page.locator('#status\\.editor\\.selection').innerText()).startsWith(
                'Ln 1, Col 1'
            )
        );
        check(
            '... and nothing is marked for a comment line',
            (await wv.locator('.synced').count()) === 0
        );
        await wv
            .locator('article.host[data-host="hv03"]')
            .evaluate(el =>
                window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY + 2)
            );
        check(
            'scrolling the preview to hv03 scrolls the editor to host hv[01..04]',
            (await untilTopLine(L.host)) === L.host,
            `first visible line ${await firstVisibleLine()}`
        );
        await shot('2d-sync-editor');
        await wv.locator('body').evaluate(() => window.scrollTo(0, 0));
        check(
            'scrolling the preview back to its top shows line 1',
            (await untilTopLine(1)) === 1,
            `first visible line ${await firstVisibleLine()}`
        );
        // The checks below are about re-renders keeping the reader's scroll position: the cursor
        // must not move the preview meanwhile (the user's settings.json, reloaded on change).
        // Turned off in the Settings editor, as a person does.
        await page.locator('.monaco-editor .view-lines').first().click();
        await page.keyboard.press('Control+Comma');
        await page.locator('.settings-editor').waitFor({ timeout: 20_000 });
        await page.waitForTimeout(800);
        await page.keyboard.type('dcplan.preview.scrollPreviewWithEditor');
        const syncBox = page.locator('.settings-editor .setting-item-bool .setting-value-checkbox');
        await page.waitForFunction(
            () =>
                document.querySelectorAll(
                    '.settings-editor .setting-item-bool .setting-value-checkbox'
                ).length === 1,
            null,
            { timeout: 20_000 }
        );
        check(
            'the Settings editor shows the setting, on by default',
            (await syncBox.getAttribute('aria-checked')) === 'true'
        );
        await syncBox.click();
        await page.waitForFunction(
            () =>
                document
                    .querySelector('.settings-editor .setting-item-bool .setting-value-checkbox')
                    ?.getAttribute('aria-checked') === 'false',
            null,
            { timeout: 10_000 }
        );
        await shot('2e-setting-off');
        await page.keyboard.press('Control+W');
        await page.waitForTimeout(500);
        await page.locator('.monaco-editor .view-lines').first().click();
        let stillSyncing = true;
        for (const end = Date.now() + 15_000; stillSyncing && Date.now() < end;) {
            await gotoLine(L.host);
            await page.waitForTimeout(800);
            stillSyncing = (await wv.locator('.synced').count()) > 0;
            await page.keyboard.press('Control+Home');
            await page.waitForTimeout(300);
        }
        check('dcplan.preview.scrollPreviewWithEditor: false stops the sync', !stillSyncing);

        // Scroll the preview to its tables: the scroll position must survive the updates below.
        await wv.locator('section.roles').scrollIntoViewIfNeeded();
        await page.waitForTimeout(300);
        await shot('2b-preview-tables');
        const scrolledTo = await wv.locator('body').evaluate(() => window.scrollY);
        check('the preview scrolls', scrolledTo > 100, `scrollY ${scrolledTo}`);

        // Type the fix: 12 single-core proxies instead of 3 four-core ones.
        const editorLines = page.locator('.monaco-editor .view-lines').first();
        await editorLines.click();
        const typeLine = async (n, text) => {
            await gotoLine(n);
            await page.keyboard.press('Home');
            await page.keyboard.press('Shift+End');
            await page.keyboard.type(text, { delay: 15 });
            await page.keyboard.press('Escape'); // close a completion list, if one opened
        };
        const t0 = Date.now();
        await typeLine(L.proxyDeploy, 'deploy 12 x proxy_4c');
        await typeLine(
            L.proxyShape,
            'shape proxy_4c    { role = proxy    cores = 1  memory = 2 GiB'
        );
        // The `{` typed above auto-closed: the line ends with the closing brace already.
        const typedAt = Date.now();
        // Wait for the last text's placement: an intermediate state (`deploy 12 x proxy_4`, an
        // unknown shape, so no proxies) is all placed too, and a busy server may show it first.
        const proxyRow = wv.locator('section.roles tr', { has: wv.locator('.key.role-proxy') });
        await wv
            .locator('.badge.good', { hasText: /all \d+ instances placed/ })
            .waitFor({ timeout: 30_000 });
        // the row's cells: role, instances, cores each (`12 × 1` and the shape below it), …
        const finalRow = async () => {
            const cells = await proxyRow
                .first()
                .locator('td')
                .allInnerTexts()
                .catch(() => []);
            return `${cells[1] ?? ''} ${cells[2] ?? ''}`
                .replace(/\s*\(.*$/s, '')
                .replace(/\s+/g, ' ')
                .trim();
        };
        for (let i = 0; i < 300 && (await finalRow()) !== '12 12 × 1'; i++)
            await page.waitForTimeout(100);
        const followMs = Date.now() - typedAt;
        check(
            'the preview follows the typing: everything placed',
            (await wv.locator('.unplaced').count()) === 0 && (await finalRow()) === '12 12 × 1',
            `${followMs} ms after the last keystroke (${Date.now() - t0} ms typing included)`
        );
        // Kept: the same scrollY, unless the page got shorter than that (then as far down as it goes).
        const { scrollAfter, maxScroll } = await wv.locator('body').evaluate(() => ({
            scrollAfter: window.scrollY,
            maxScroll: document.scrollingElement.scrollHeight - window.innerHeight
        }));
        const keptAt = Math.min(scrolledTo, maxScroll);
        check(
            'the preview keeps its scroll position while it updates',
            Math.abs(scrollAfter - keptAt) <= 1,
            `scrollY ${scrolledTo} -> ${scrollAfter} (page now scrolls to ${maxScroll} at most)`
        );
        await page.waitForFunction(
            () =>
                !/Errors: [1-9]/.test(
                    document.querySelector('#status\\.problems a')?.getAttribute('aria-label') ??
                        'Errors: 1'
                ),
            null,
            { timeout: 30_000 }
        );
        check('no errors left', true, await status.getAttribute('aria-label'));
        const after = await wv.locator('article.host .runs').allInnerTexts();
        check(
            'proxies spread over the hosts',
            after.every(t => /proxy_4c/.test(t)),
            after.join(' | ')
        );
        await shot('3-fixed');

        // Syntax error: the last good placement stays, with a notice.
        await typeLine(L.directorDeploy, 'deploy 3 x');
        await wv.locator('.notice.stale').waitFor({ timeout: 30_000 });
        check(
            'a syntax error keeps the last good placement with a notice',
            (await wv.locator('article.host').count()) === 4
        );
        await shot('4-stale');
        await page.keyboard.press('Escape');
        await typeLine(L.directorDeploy, 'deploy 3 x director_4c');
        await page.keyboard.press('Escape');
        await wv.locator('.notice.stale').waitFor({ state: 'detached', timeout: 30_000 });

        // Exact placement: back to the original text, then the preview header's toggle. The heuristic
        // placement stays on show with "solving…" until the proof replaces it.
        const palette = async (command, rowText = command) => {
            await page.locator('.monaco-editor .view-lines').first().click();
            await page.keyboard.press('F1');
            await quick.locator('input').waitFor({ state: 'visible' });
            await page.keyboard.type(command);
            await quick.locator('.monaco-list-row', { hasText: rowText }).first().waitFor();
            await page.keyboard.press('Enter');
            await quick.locator('input').waitFor({ state: 'hidden' });
        };
        await palette('File: Revert File', 'Revert File');
        await wv.locator('.unplaced .chip').first().waitFor({ timeout: 30_000 });
        const toggle = wv.locator('input[data-action="toggle-exact"]');
        check(
            'the preview header has the Exact placement toggle, off',
            !(await toggle.isChecked())
        );
        await wv.locator('label.exact-toggle').click();
        const exactStart = Date.now();
        // The first proof of a plan takes a few hundred ms: the heuristic placement shows meanwhile, with
        // "solving…" (best effort: a fast machine may prove it before the badge is drawn).
        await wv
            .locator('.badge.exact.solving')
            .waitFor({ timeout: 3_000 })
            .then(
                () => shot('4a-exact-solving'),
                () => log('the proof came before the solving badge showed')
            );
        const proved = wv.locator('.badge.exact.good', { hasText: 'proved optimal' });
        await proved.waitFor({ timeout: 30_000 });
        const badge = (await proved.innerText()).replace(/\s+/g, ' ');
        check(
            'the exact placement replaces the heuristic one: proved optimal with the bound',
            /no placement places more than 80 of 88 cores/.test(badge),
            `${badge} (${Date.now() - exactStart} ms after the click)`
        );
        check('the toggle shows on', await toggle.isChecked());
        const exactUnplaced = await wv.locator('.unplaced .chip').count();
        check(
            'the proved placement leaves 8 cores unplaced',
            /2 instances unplaced \(8 cores\)/.test(await wv.locator('.status').innerText()),
            `${exactUnplaced} unplaced chips`
        );
        await wv.locator('body').evaluate(() => window.scrollTo(0, 0));
        await page.waitForTimeout(300);
        await shot('4b-exact');

        // Themes, picked as a person does: Preferences: Color Theme.
        for (const [theme, name] of [
            ['Dark Modern', '5-dark'],
            ['Dark High Contrast', '6-high-contrast'],
            ['Light High Contrast', '7-high-contrast-light']
        ]) {
            await page.locator('.monaco-editor .view-lines').first().click();
            await page.keyboard.press('Control+K');
            await page.keyboard.press('Control+T');
            await quick
                .locator('input[placeholder*="Select Color Theme"]')
                .waitFor({ state: 'visible' });
            await page.keyboard.type(theme);
            await quick.locator('.monaco-list-row', { hasText: theme }).first().waitFor();
            await page.keyboard.press('Enter');
            await quick.locator('input').waitFor({ state: 'hidden' });
            const kind = theme.includes('Light High')
                ? 'vscode-high-contrast-light'
                : theme.includes('High')
                  ? 'vscode-high-contrast'
                  : 'vscode-dark';
            await wv.locator(`body.${kind}`).waitFor({ timeout: 30_000 });
            await page.waitForTimeout(400);
            await shot(name);
            if (kind === 'vscode-high-contrast') {
                // The preview alone, at full size: adjacent backend segments must read as two.
                const box = await page.locator('iframe.webview.ready').boundingBox();
                if (box)
                    await page.screenshot({
                        path: path.join(shots, `${name}-preview.png`),
                        clip: box
                    });
                const frame = await wv
                    .locator('article.host[data-host="hv01"] .seg.role-backend')
                    .first()
                    .evaluate(el => {
                        const cs = getComputedStyle(el);
                        return `${cs.borderRightWidth} ${cs.borderRightStyle} ${cs.borderRightColor} / left ${cs.borderLeftWidth}`;
                    });
                check(
                    'Dark High Contrast: backend segments framed in the contrast border',
                    /^3px solid rgb\(111, 195, 223\) \/ left 1px$/.test(frame),
                    frame
                );
            }
        }
        check('themes applied', true);

        // The command turns it off again: the badge goes, the toggle is unchecked.
        await palette(
            'dcplan: Toggle Exact Placement in Preview',
            'Toggle Exact Placement in Preview'
        );
        await wv.locator('.badge.exact').waitFor({ state: 'detached', timeout: 30_000 });
        check(
            'dcplan: Toggle Exact Placement in Preview turns it off',
            !(await toggle.isChecked())
        );

        await previewCommandsAndDay2({
            page,
            wv,
            quick,
            palette,
            check,
            shot,
            workspace: dir.workspace
        });

        // Through all of the above the language server stayed up (VS Code says so in a notification).
        const toasts = (
            await page
                .locator('.notifications-toasts .notification-list-item-message')
                .allInnerTexts()
        ).join(' | ');
        check(
            'the language server never crashed',
            !/crashed|stopped|Starting server failed/i.test(toasts),
            toasts.slice(0, 300)
        );
    } catch (error) {
        if (page) await page.screenshot({ path: path.join(shots, 'FAIL.png') }).catch(() => {});
        console.error(error);
        checks.push({ name: 'no exception', ok: false, detail: String(error).slice(0, 500) });
    } finally {
        clearTimeout(guard);
        await browser?.close().catch(() => {});
        await server.stop();
    }
    const passed = checks.filter(c => c.ok).length;
    const failed = checks.length - passed;
    fs.writeFileSync(path.join(shots, 'checks.json'), JSON.stringify(checks, null, 1));
    console.log(`UI in code-server with the packaged .vsix, screenshots in ${shots}:`);
    console.log(`ui: ${passed} passed, ${failed} failed`);
    process.exit(failed === 0 && passed > 0 ? 0 : 1);
}

main().catch(e => {
    console.error(e);
    process.exit(2);
});
