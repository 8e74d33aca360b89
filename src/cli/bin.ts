/** Entry of the `dcplan` binary (bundled to dist/cli.cjs): runs the CLI on the process's arguments. */
import { runCli } from './main.js';

void runCli(process.argv.slice(2)).then(r => {
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    process.exitCode = r.status;
});
