/** Entry of the `dcplan` binary (bundled to dist/cli.cjs): runs the CLI on the process's arguments. */
import { runCli } from './main.js';
import { internalFailure } from './files.js';
import { preferBaselineWasm } from '../../language-server/baseline-wasm.js';

// `--optimal` solves run to the user's time limit: they keep V8's optimising tier
if (!process.argv.includes('--optimal')) preferBaselineWasm();

void runCli(process.argv.slice(2)).then(
    r => {
        // A reader that stops early (`dcplan place … | head`) closes the pipe: end quietly with the
        // command's own status (a plan with errors still exits 1), as other Unix tools do.
        for (const stream of [process.stdout, process.stderr]) {
            stream.on('error', (err: NodeJS.ErrnoException) => {
                if (err.code === 'EPIPE') process.exit(r.status);
                throw err;
            });
        }
        process.stdout.write(r.stdout);
        process.stderr.write(r.stderr);
        process.exitCode = r.status;
    },
    err => {
        // runCli does not throw; should it, one line and status 2 (the stack with DCPLAN_DEBUG=1)
        process.stderr.write(internalFailure(undefined, err));
        process.exitCode = 2;
    }
);
