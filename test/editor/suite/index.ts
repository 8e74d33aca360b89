/**
 * Entry of the extension-host test suite (the contract @vscode/test-electron and the workbench's
 * `extensionTestsPath` use): exports `run()`, which runs the mocha tests bundled beside it and
 * rejects when one fails. DCPLAN_TEST_RESULT (in the extension host's environment) names a file
 * that receives a JSON summary as well.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import Mocha from 'mocha';

export function run(): Promise<void> {
    const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
    for (const f of fs
        .readdirSync(__dirname)
        .filter(f => f.endsWith('.suite.cjs'))
        .sort())
        mocha.addFile(path.join(__dirname, f));
    const results: { title: string; state: string; ms?: number; error?: string }[] = [];
    return new Promise((resolve, reject) => {
        try {
            const runner = mocha.run(failures => {
                const file = process.env.DCPLAN_TEST_RESULT;
                if (file) fs.writeFileSync(file, JSON.stringify({ failures, results }, null, 1));
                if (failures > 0) reject(new Error(`${failures} editor test(s) failed`));
                else resolve();
            });
            runner.on('pass', t =>
                results.push({ title: t.fullTitle(), state: 'passed', ms: t.duration })
            );
            runner.on('fail', (t, err) =>
                results.push({
                    title: t.fullTitle(),
                    state: 'failed',
                    error: String(err?.stack ?? err).slice(0, 3000)
                })
            );
        } catch (error) {
            reject(error);
        }
    });
}
