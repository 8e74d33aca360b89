/**
 * The `dcplan` command line: `check` and `place` (text or `--format json`), for CI pipelines and
 * the shell. Thin: the language layer checks the files, this formats and sets the exit status
 * (spec, "The plan report"): 0 no errors, 1 errors in a plan, 2 the command itself failed.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { UnreadableFileError } from '../../language-server/check.js';
import { checkEach, folderArguments, internalFailure, planArguments } from './files.js';
import { fileHeader, formatTextReport } from './text-report.js';
import { runFix } from './fix.js';
import { runPlaceOptimal } from './optimal.js';
import { enableExactFallback } from '../planner/exact-fallback.js';
import type { PlanReport } from '../planner/report.js';
import { reportJson } from '../planner/format.js';
import { timeLimitProblem } from '../protocol.js';
import { exportReport } from '../webview/export.js';
import {
    formatMoves,
    lockErrors,
    lockFileUnreadable,
    type LockOption,
    runLock,
    shortPath,
    withLockOption
} from './lock.js';

/** Exit statuses of the spec. */
export const EXIT = { ok: 0, planErrors: 1, failure: 2 } as const;

/** Output written by a command, and its exit status (kept apart from process I/O for tests). */
export interface CliResult {
    readonly stdout: string;
    readonly stderr: string;
    readonly status: number;
}

type Format = 'text' | 'json' | 'svg' | 'html';

async function runCheck(
    files: string[],
    format: Format,
    placement: boolean,
    lock?: LockOption,
    several = files.length > 1
): Promise<CliResult> {
    await enableExactFallback();
    // A file that cannot be read or meets an internal error is reported (status 2) without hiding the reports of the others.
    // Day 2 (issue 12): placed from the lock beside each plan, or `--lock FILE`, or none with `--no-lock`.
    const run = await withLockOption(lock, async () => {
        const r = await checkEach(files);
        return { ...r, unreadable: r.unreadable + lockErrors(r.checked) };
    });
    if ('failure' in run) return { stdout: '', stderr: run.failure, status: EXIT.failure };
    const { checked, unreadable } = run;
    // the lock named as a path from the working directory, like the plan files
    const reports: PlanReport[] = checked.map(c =>
        c.report.lockFile === undefined
            ? c.report
            : { ...c.report, lockFile: shortPath(c.report.lockFile) }
    );
    if (unreadable && reports.length === 0)
        return { stdout: '', stderr: unreadable, status: EXIT.failure };
    const errors = reports.some(r => r.diagnostics.some(d => d.severity === 'error'));
    let stdout: string;
    if (format === 'json') {
        stdout = reportJson(several ? reports : reports[0]);
    } else if (format === 'svg' || format === 'html') {
        // The preview's renderer: one standalone file, so one plan at a time.
        if (reports.length !== 1)
            return {
                stdout: '',
                stderr: `dcplan: --format ${format} takes one file\n`,
                status: EXIT.failure
            };
        stdout = exportReport(reports[0], format).trimEnd();
    } else {
        stdout = reports
            .map(
                r =>
                    fileHeader(r.file, several) +
                    formatTextReport(r, placement) +
                    (placement && r.moves ? '\n\n' + formatMoves(r) : '')
            )
            .join('\n\n');
    }
    return {
        stdout: stdout + '\n',
        stderr: unreadable,
        status: unreadable ? EXIT.failure : errors ? EXIT.planErrors : EXIT.ok
    };
}

/**
 * Adds `--lock <file>` and `--no-lock` to `cmd` (check, place, fix), as usage errors (status 2, before
 * any plan is read): both given, or a `--lock` file that cannot be read. Commander's own
 * `conflicts()` cannot tell the two apart (they set the same value, `lock`), so the options given
 * are noted as they are parsed.
 */
function addLockOptions(cmd: Command, lockHelp: string): Command {
    const given = new Set<string>();
    cmd.option('--lock <file>', lockHelp)
        .option('--no-lock', 'place from nothing, ignoring any lock file')
        .on('option:lock', () => given.add('lock'))
        .on('option:no-lock', () => given.add('no-lock'))
        .hook('preAction', () => {
            if (given.size === 2)
                cmd.error("error: option '--lock <file>' cannot be used with option '--no-lock'", {
                    code: 'dcplan.conflictingOption'
                });
            const file: LockOption = cmd.opts<{ lock?: LockOption }>().lock;
            const why = typeof file === 'string' ? lockFileUnreadable(file) : undefined;
            if (why)
                cmd.error(`dcplan: ${file}: ${why} (--lock)`, { code: 'dcplan.lockUnreadable' });
        });
    return cmd;
}

/**
 * Runs `run` on the plans among `files` (`folderArguments`, then `planArguments`): the files
 * refused as no plan (and the folders with none) are said on stderr before the command's own
 * output, and make the exit status 2. `several` is true when more than one plan is run, or a
 * folder was named: its output is then that of several files (a JSON array, a header per
 * file) whatever the folder holds, so that a script reads one shape.
 */
async function onPlans(
    files: readonly string[],
    verb: string,
    anyExtension: boolean | undefined,
    run: (plans: string[], several: boolean) => Promise<CliResult>
): Promise<CliResult> {
    const expanded = folderArguments(files, verb);
    const given = planArguments(expanded.files, verb, anyExtension);
    const plans = given.files;
    const refused = expanded.refused + given.refused;
    if (plans.length === 0) return { stdout: '', stderr: refused, status: EXIT.failure };
    const r = await run(plans, plans.length > 1 || expanded.folders);
    return refused ? { stdout: r.stdout, stderr: refused + r.stderr, status: EXIT.failure } : r;
}

/** `--any-extension` of the commands that only read their files (check, place). */
const anyExtensionOption = () =>
    new Option(
        '--any-extension',
        'read files not named .dcplan as plans too (a plan saved under another name, /dev/stdin)'
    );

/**
 * Runs the CLI on `argv` (without `node` and the script) and returns what it printed and its
 * status. Never throws: a failure of the command itself is status 2 with a message on stderr.
 */
export async function runCli(argv: readonly string[]): Promise<CliResult> {
    let result: CliResult | undefined;
    let stderr = '';
    let stdout = '';
    const program = new Command('dcplan')
        .description('Check and place Dovecot cluster plans (.dcplan files)')
        .version('0.1.0')
        .exitOverride()
        .configureOutput({
            writeOut: s => {
                stdout += s;
            },
            writeErr: s => {
                stderr += s;
            }
        });
    const formatOption = (...more: string[]) =>
        new Option('-f, --format <format>', 'output format')
            .choices(['text', 'json', ...more])
            .default('text');
    const check = program
        .command('check')
        .description(
            'check plans: diagnostics, figures per role and host (exit 1 when a plan has errors)'
        )
        .argument('<files...>', '.dcplan files, or folders: every .dcplan file under them')
        .addOption(formatOption())
        .addOption(anyExtensionOption());
    addLockOptions(
        check,
        'place from this lock file (default: FILE.lock beside each plan when it exists)'
    ).action(
        async (
            files: string[],
            opts: { format: Format; lock?: LockOption; anyExtension?: boolean }
        ) => {
            result = await onPlans(files, 'checked', opts.anyExtension, (plans, several) =>
                runCheck(plans, opts.format, false, opts.lock, several)
            );
        }
    );
    const place = program
        .command('place')
        .description(
            'check plans and print the placement of every instance on every host (svg, html: the preview as a standalone file)'
        )
        .argument('<files...>', '.dcplan files, or folders: every .dcplan file under them')
        .addOption(formatOption('svg', 'html'))
        .option(
            '--optimal',
            'prove the placement optimal with the exact solver (HiGHS), or report the gap left'
        )
        // a time limit is the exact solver's: asking for one asks for the solver
        .addOption(
            new Option(
                '--time-limit <seconds>',
                "time limit of the exact solve per plan, after the plan's check (implies --optimal)"
            )
                .default('10')
                .implies({ optimal: true })
                // every bad value said at the option, in commander's words as other options' are
                // (a word where the seconds go, `--time-limit plan.dcplan`, is not "missing
                // required argument 'files'")
                .argParser((v: string) => {
                    const problem = timeLimitProblem(v.trim() === '' ? Number.NaN : Number(v));
                    if (problem) throw new InvalidArgumentError(`--time-limit ${problem}`);
                    return v;
                })
        )
        .addOption(anyExtensionOption());
    addLockOptions(
        place,
        'place from this lock file and print the moves (default: FILE.lock beside each plan when it exists)'
    ).action(
        async (
            files: string[],
            opts: {
                format: Format;
                optimal?: boolean;
                timeLimit: string;
                lock?: LockOption;
                anyExtension?: boolean;
            }
        ) => {
            result = await onPlans(files, 'checked', opts.anyExtension, (plans, several) =>
                opts.optimal
                    ? runPlaceOptimal(
                          plans,
                          opts.format,
                          Number(opts.timeLimit),
                          opts.lock,
                          several
                      )
                    : runCheck(plans, opts.format, true, opts.lock, several)
            );
        }
    );
    program
        .command('lock')
        .description(
            'write the placement of each plan to FILE.lock beside it (placed from the existing lock unless --no-lock); no lock for a plan with errors'
        )
        .argument('<files...>', '.dcplan files')
        .option('--no-lock', 'place from nothing, ignoring the existing lock file')
        .action(async (files: string[], opts: { lock?: false }) => {
            result = await onPlans(files, 'locked', false, plans =>
                runLock(plans, opts.lock === false ? false : undefined)
            );
        });
    const fix = program
        .command('fix')
        .description(
            'apply the preferred quick-fixes in rounds (fix all); prints a unified diff, or rewrites the files with --write (exit: 0 nothing to fix / fixed, 1 fixes available without --write or errors left with --write, 2 failure)'
        )
        .argument('<files...>', '.dcplan files')
        .option(
            '--code <code>',
            'only fix diagnostics with this code (repeat it, or separate codes with commas)',
            (code: string, codes: string[] = []) => [...codes, code]
        )
        .option(
            '-w, --write',
            'write the fixed files instead of printing a diff, and list the fixes applied and the errors and warnings left'
        );
    addLockOptions(
        fix,
        'place from this lock file while fixing (default: FILE.lock beside each plan when it exists)'
    ).action(
        async (files: string[], opts: { code?: string[]; write?: boolean; lock?: LockOption }) => {
            result = await onPlans(files, 'fixed', false, plans => runFix(plans, opts));
        }
    );
    try {
        await program.parseAsync([...argv], { from: 'user' });
    } catch (e) {
        if (e instanceof CommanderError) {
            // --help and --version exit 0; help shown because a command is missing is a usage error.
            return { stdout, stderr, status: e.exitCode === 0 ? EXIT.ok : EXIT.failure };
        }
        if (e instanceof UnreadableFileError)
            return { stdout, stderr: stderr + `dcplan: ${e.message}\n`, status: EXIT.failure };
        // one line; the stack only with DCPLAN_DEBUG=1
        return { stdout, stderr: stderr + internalFailure(undefined, e), status: EXIT.failure };
    }
    if (!result) {
        program.outputHelp();
        return { stdout, stderr, status: EXIT.failure };
    }
    return {
        stdout: stdout + result.stdout,
        stderr: stderr + result.stderr,
        status: result.status
    };
}
