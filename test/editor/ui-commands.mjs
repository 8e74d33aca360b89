// UI level, its later steps (run by ui.mjs in the same code-server and page): Save Preview as
// SVG with its confirmation and Open, Show Source in the preview's title bar, Toggle Preview
// Locking, and day 2 (a plan placed from its lock: the preview's moves, Save Current Placement).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { REPO, log } from './code-server.mjs';

/**
 * The later steps, after the exact placement was turned off, with seed-reference.dcplan's preview
 * open beside its editor. `ui`: the page, the preview's webview frame `wv`, the quick input
 * `quick`, `palette(command, rowText)`, `check(name, ok, detail)` (throws on a failed check),
 * `shot(name)` and the `workspace` folder.
 */
export async function previewCommandsAndDay2({ page, wv, quick, palette, check, shot, workspace }) {
    // Save Preview as SVG: the save dialog proposes <plan>.placement.svg beside the plan; a
    // notification confirms with Open and Reveal in Explorer View; Open opens the file.
    await palette('dcplan: Save Preview as SVG', 'Save Preview as SVG');
    await quick.locator('input').waitFor({ state: 'visible' });
    // The simple file dialog fills its input in steps (the folder, then the name).
    await page
        .waitForFunction(
            () => /\.svg$/.test(document.querySelector('.quick-input-widget input')?.value ?? ''),
            null,
            { timeout: 15_000 }
        )
        .catch(() => {});
    const proposed = await quick.locator('input').inputValue();
    check(
        'the save dialog proposes seed-reference.placement.svg',
        proposed.endsWith('seed-reference.placement.svg'),
        proposed
    );
    await page.keyboard.press('Enter');
    const toast = page.locator('.notifications-toasts .notification-list-item', {
        hasText: 'saved the placement as SVG'
    });
    await toast.waitFor({ timeout: 30_000 });
    const toastText = (await toast.innerText()).replace(/\s+/g, ' ');
    check(
        'a notification confirms the save',
        /dcplan: saved the placement as SVG to seed-reference\.placement\.svg\./.test(toastText),
        toastText
    );
    const buttons = await toast.locator('.monaco-button').allInnerTexts();
    check(
        '... with Open and Reveal in Explorer View',
        JSON.stringify(buttons.map(b => b.trim())) ===
            JSON.stringify(['Open', 'Reveal in Explorer View']),
        buttons.join(',')
    );
    check(
        'the file is written',
        fs
            .readFileSync(path.join(workspace, 'seed-reference.placement.svg'), 'utf8')
            .startsWith('<svg xmlns="http://www.w3.org/2000/svg"')
    );
    await shot('8-saved');
    await toast.locator('.monaco-button', { hasText: 'Open' }).click();
    await page
        .locator('.tabs-container .tab.active[aria-label^="seed-reference.placement.svg"]')
        .waitFor({ timeout: 20_000 });
    check('Open opens the saved file', true);
    await page.keyboard.press('Control+W');

    // Show Source: the preview's title bar has the button when the preview is the active editor.
    await page.locator('.tabs-container .tab[aria-label^="Preview seed-reference.dcplan"]').click();
    const showSource = page.locator(
        '.editor-group-container.active .editor-actions .action-label[aria-label^="Show Source"]'
    );
    await showSource.waitFor({ timeout: 20_000 });
    await shot('9-show-source-button');
    await showSource.click();
    await page.waitForFunction(
        () =>
            /^seed-reference\.dcplan/.test(
                document
                    .querySelector('.editor-group-container.active .tab.active')
                    ?.getAttribute('aria-label') ?? ''
            ),
        null,
        { timeout: 20_000 }
    );
    check("Show Source brings the plan's editor to the front", true);

    // Toggle Preview Locking: the preview stays on seed-reference while seed-recommended is edited.
    await palette('dcplan: Toggle Preview Locking', 'Toggle Preview Locking');
    await page
        .locator('.tabs-container .tab[aria-label^="[Preview] seed-reference.dcplan"]')
        .waitFor({ timeout: 20_000 });
    check('a locked preview says so in its title', true);
    // Quick Open from the plan's editor (the focus may be in the preview's webview after the
    // command); once under load the Enter went nowhere and no tab opened: tried twice
    const recommendedTab = page.locator(
        '.tabs-container .tab.active[aria-label^="seed-recommended.dcplan"]'
    );
    for (let attempt = 1; ; attempt++) {
        await page.locator('.monaco-editor .view-lines').first().click();
        await page.keyboard.press('Control+P');
        await quick.locator('input').waitFor({ state: 'visible' });
        await page.keyboard.type('seed-recommended.dcplan');
        const row = quick
            .locator('.monaco-list-row', { hasText: 'seed-recommended.dcplan' })
            .first();
        await row.waitFor();
        await page.waitForTimeout(300);
        await page.keyboard.press('Enter');
        const opened = await recommendedTab.waitFor({ timeout: 20_000 }).then(
            () => true,
            () => false
        );
        if (opened) break;
        if (attempt === 2) throw new Error('Quick Open did not open seed-recommended.dcplan');
        log('Quick Open opened nothing: again');
        await page.keyboard.press('Escape');
    }
    await page.waitForTimeout(1500);
    const lockedUtils = await wv.locator('article.host .util').allInnerTexts();
    check(
        'the locked preview stays on seed-reference',
        lockedUtils.length === 4 &&
            lockedUtils.every(u => u.startsWith('20 / 22')) &&
            (await page
                .locator('.tabs-container .tab[aria-label^="[Preview] seed-reference.dcplan"]')
                .count()) === 1,
        lockedUtils.join(' | ')
    );
    await palette('dcplan: Toggle Preview Locking', 'Toggle Preview Locking');
    await page
        .locator('.tabs-container .tab[aria-label^="Preview seed-recommended.dcplan"]')
        .waitFor({ timeout: 20_000 });
    const untilUtils = Date.now() + 20_000;
    let followUtils = [];
    while (Date.now() < untilUtils) {
        followUtils = await wv.locator('article.host .util').allInnerTexts();
        if (followUtils.length === 4 && followUtils.every(u => u.startsWith('22 / 22'))) break;
        await page.waitForTimeout(200);
    }
    check(
        'unlocked, it follows the active plan again',
        followUtils.every(u => u.startsWith('22 / 22')),
        followUtils.join(' | ')
    );
    await shot('10-unlocked');

    // Day 2: a plan placed from its lock. The preview lists the moves the example's header states
    // (hv02 drained: its 8 instances to hv05), in order. Written now, so that the counts above are the seed plans'.
    for (const f of ['day2-drain.dcplan', 'day2-drain.dcplan.lock'])
        fs.copyFileSync(path.join(REPO, 'examples', f), path.join(workspace, f));
    // Opened from the Explorer row, not Quick Open: Quick Open's file search may not have
    // indexed a file written a moment ago (a CI run waited 60 s for it in vain).
    const drainRow = page.locator(
        '.explorer-folders-view .monaco-list-row[aria-label="day2-drain.dcplan"]'
    );
    await drainRow.waitFor({ timeout: 30_000 });
    await drainRow.dblclick();
    await page.locator('.tabs-container .tab.active[aria-label^="day2-drain.dcplan"]').waitFor();
    const untilMoves = Date.now() + 30_000;
    let steps = [];
    while (Date.now() < untilMoves) {
        steps = (await wv.locator('section.moves li.step').allInnerTexts()).map(t =>
            t.replace(/\s+/g, ' ').trim()
        );
        if (steps.length === 8) break;
        await page.waitForTimeout(250);
    }
    const expectedSteps = [
        'proxy_1c-4',
        'proxy_1c-5',
        'proxy_1c-6',
        'director_3c-2',
        'backend_4c-5',
        'backend_4c-6',
        'backend_4c-7',
        'backend_4c-8'
    ].map(i => `${i}: hv02 → hv05 (hv02 drained)`);
    check(
        'the preview of day2-drain lists its 8 moves in order',
        JSON.stringify(steps) === JSON.stringify(expectedSteps),
        steps.join(' | ')
    );
    const hv02 = (
        await wv.locator('article.host[data-host="hv02"] .host-head').innerText()
    ).replace(/\s+/g, ' ');
    check(
        'the drained hv02 says drained and 0 in, 8 out',
        hv02.includes('drained') && hv02.includes('0 in, 8 out'),
        hv02
    );
    check(
        'the preview has the Save Current Placement button',
        (await wv.locator('button[data-action="save-placement"]').count()) === 1
    );
    await wv.locator('section.moves').scrollIntoViewIfNeeded();
    await shot('11-day2-moves');
    // The quick action runs "dcplan: Save Current Placement": the lock now says what runs after the moves.
    await wv.locator('button[data-action="save-placement"]').click();
    const saved = page.locator('.notifications-toasts .notification-list-item-message', {
        hasText: 'wrote day2-drain.dcplan.lock'
    });
    await saved.first().waitFor({ timeout: 30_000 });
    const lockText = fs.readFileSync(path.join(workspace, 'day2-drain.dcplan.lock'), 'utf8');
    check(
        'Save Current Placement in the preview writes the lock',
        /\n {2}backend_4c-5: hv05\n/.test(lockText) && !/: hv02\n/.test(lockText),
        (await saved.first().innerText()).slice(0, 200)
    );
}
