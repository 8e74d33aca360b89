// `npm run langium:generate`: runs `langium generate`, then the TextMate fix-up.
// Langium warns "Found multiple assignments to 'X' with the '=' assignment operator" for every
// attribute of a block written as `( 'cores' '=' cores=Count | … )*`. That is intended: an
// attribute given twice is reported by the checker (`duplicate-attribute`), so those warnings are
// counted in one line here instead of 26; every other line of the generator is passed through.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../node_modules/langium-cli/bin/langium.js', import.meta.url));
const run = spawnSync(process.execPath, [cli, 'generate'], { encoding: 'utf8' });
const lines = `${run.stdout}${run.stderr}`.split('\n').filter(l => l.trim() !== '');
const intended = lines.filter(l =>
    /Found multiple assignments to '\w+' with the '=' assignment operator/.test(l)
);
for (const l of lines.filter(l => !intended.includes(l))) console.log(l);
if (intended.length > 0)
    console.log(
        `(${intended.length} warnings about repeated block attributes left out: the checker reports a repeated attribute)`
    );
if (run.status !== 0) process.exit(run.status ?? 1);
const fix = spawnSync(
    process.execPath,
    [fileURLToPath(new URL('./fix-textmate.mjs', import.meta.url))],
    { stdio: 'inherit' }
);
process.exit(fix.status ?? 1);
