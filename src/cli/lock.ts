/**
 * Day 2 in the CLI (issue 12): `dcplan lock plan.dcplan` writes `plan.dcplan.lock` beside the
 * plan; `check` and `place` plan from that lock (`--lock FILE` names another, `--no-lock`
 * ignores it) and `place` prints the migration steps. The file access is here and in
 * language-server/lock-files.ts; the format and the planning are pure (src/planner).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { nodeServices } from '../../language-server/check.js';
import { readFailure } from '../../language-server/plan-file-system.js';
import {
    lockPathOf,
    notAFile,
    readLockSource,
    type LockSource,
    writeLockFile
} from '../../language-server/lock-files.js';
import { IssueCodes } from '../planner/findings.js';
import { enableExactFallback } from '../planner/exact-fallback.js';
import {
    lockRefusal,
    parseLock,
    serialiseLock,
    otherPlanAdvice,
    writtenForOtherPlan,
    type Lock
} from '../planner/lock.js';
import type { PlanAnalysis } from '../../language-server/analysis.js';
import { countMoves, moveOrigins, tallyMoves } from '../planner/move-count.js';
import { formatStepReason, formatStepSizes } from '../planner/format.js';
import type { PlanReport, StepKind } from '../planner/report.js';
import type { CheckedFile } from '../../language-server/check.js';
import { checkEach } from './files.js';
import { terminalSafe } from './text-report.js';
import type { CliResult } from './main.js';

/** The dcplan version written in lock headers. */
export const DCPLAN_VERSION = '0.1.0';

/** `--lock FILE` (a path), `--no-lock` (false) or neither (undefined: the lock beside the plan). */
export type LockOption = string | false | undefined;

/**
 * Runs `body` with the analysis taking its lock as `option` says, then restores the default.
 * Returns an error line (status 2) when `--lock FILE` names a file that cannot be read.
 */
export async function withLockOption<T>(
    option: LockOption,
    body: () => Promise<T>
): Promise<T | { failure: string }> {
    const analyzer = nodeServices().Dcplan.analysis.PlanAnalyzer;
    const before = analyzer.lockFor;
    if (typeof option === 'string') {
        const source = readLockSource(option);
        if (!source)
            return {
                failure: `dcplan: ${option}: ${lockFileUnreadable(option) ?? 'cannot read the lock file'} (--lock)\n`
            };
        analyzer.lockFor = (): LockSource => source;
    } else if (option === false) {
        analyzer.lockFor = () => undefined;
    }
    try {
        return await body();
    } finally {
        analyzer.lockFor = before;
    }
}

/**
 * Why the lock file `file` (a path as given to `--lock`) cannot be read, in words (`cannot read
 * the lock file: no such file`), or `undefined` when it is a readable file.
 */
export function lockFileUnreadable(file: string): string | undefined {
    try {
        if (!fs.statSync(file).isFile()) return 'cannot read the lock file: not a file';
        fs.accessSync(file, fs.constants.R_OK);
        return undefined;
    } catch (e) {
        return `cannot read the lock file: ${readFailure(e)}`;
    }
}

/** `file` relative to the working directory when it is under it, else as it is. */
export function shortPath(file: string): string {
    const rel = path.relative(process.cwd(), file);
    return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : file;
}

/** The stderr lines of the locks of `checked` that could not be read (`dcplan: file:line: why`), '' when none. */
export function lockErrors(checked: readonly CheckedFile[]): string {
    const analyzer = nodeServices().Dcplan.analysis.PlanAnalyzer;
    let out = '';
    for (const c of checked) {
        const d = analyzer.analyze(c.document).day2;
        if (d?.error)
            out +=
                terminalSafe(
                    `dcplan: ${d.error.replace(d.lockFile, shortPath(d.lockFile))} (lock-invalid: ${c.file} is placed as if it had no lock)`
                ) + '\n';
    }
    return out;
}

/**
 * The text of the moves of a report placed from a lock: `moves: N (from <lock>)`, then one line
 * per step: `  k. instance: from -> to (reason)` for a move (`formatMoveReason`: `(hv02 drained)`,
 * `(rebalance)`, …; a temporary hop said as such; a move whose
 * shape changed size with its sizes as a rebuild's: `h1 -> h4 (3 -> 4 vCPUs, 8 GiB)`), `  k.
 * instance: remove from host (1 vCPU, 2 GiB) (no longer deployed)`, `  k. instance: stop on host
 * (1 vCPU, 2 GiB) (left unplaced: no room in the plan)` (the lock's size of its shape, when it
 * recorded one), `  k. instance: create on host (1 vCPU, 2 GiB) (new)` (the plan's), `  k.
 * instance: rebuild on host (3 -> 4 vCPUs, 6 GiB)` (the lock's size of its shape, then the
 * plan's: `formatStepSizes`). N counts the moves
 * needed (`countMoves`: moves and stops; blocked moves too: those come last, each marked
 * `(blocked: no safe order, migration-blocked)`); when the steps are more than N, the head says
 * how many and of which kinds. '' without a lock.
 */
export function formatMoves(report: PlanReport): string {
    if (!report.moves || report.lockFile === undefined) return '';
    const all = report.moves;
    // the kinds of the ordered steps (the blocked ones are counted apart)
    const of = (kind: StepKind) => all.filter(m => m.kind === kind && !m.blocked);
    const hops = all.filter(m => m.temporary).length;
    const blocked = all.filter(m => m.blocked).length;
    const stops = all.filter(m => m.kind === 'stop').length;
    const moves = countMoves(all);
    const ordered = all.length - blocked;
    const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    const kinds = [
        of('remove').length > 0 ? plural(of('remove').length, 'removal', 'removals') : '',
        of('create').length > 0 ? plural(of('create').length, 'creation', 'creations') : '',
        of('rebuild').length > 0
            ? plural(of('rebuild').length, 'rebuild in place', 'rebuilds in place')
            : '',
        hops > 0 ? plural(hops, 'temporary hop', 'temporary hops') : ''
    ].filter(Boolean);
    const extra = [
        kinds.length > 0
            ? `in ${plural(ordered, 'step', 'steps')} with ${kinds.join(', ')}`
            : undefined,
        blocked > 0 ? `${blocked} blocked (migration-blocked)` : undefined
    ].filter(Boolean);
    const split = stops > 0 ? `; ${moves - stops} moved, ${stops} stopped` : '';
    const origins = moveOrigins(all);
    const head = `moves: ${moves} (from ${report.lockFile}${split})${extra.map(e => `, ${e}`).join('')}`;
    const steps = all.map(m => `  ${m.step}. ${m.instance}: ${stepText(m, origins)}`);
    return terminalSafe([head, ...steps].join('\n'));
}

/** One step's text after `instance: ` (see `formatMoves`); `origins` as `moveOrigins` gives them. */
function stepText(
    m: NonNullable<PlanReport['moves']>[number],
    origins: ReadonlyMap<string, string>
): string {
    const blocked = m.blocked ? ' (blocked: no safe order, migration-blocked)' : '';
    // the sizes right after the host, as a resizing move's: `(1 vCPU, 2 GiB)`
    const sizes = formatStepSizes(m);
    const size = sizes ? ` (${sizes})` : '';
    switch (m.kind) {
        case 'remove':
            return `remove from ${m.from}${size} (no longer deployed)${blocked}`;
        case 'stop':
            return `stop on ${m.from}${size} (left unplaced: no room in the plan)${blocked}`;
        case 'create':
            return `create on ${m.to ?? m.from}${size} (new)${blocked}`;
        case 'rebuild':
            return `rebuild on ${m.from} (${sizes || 'its shape changed size'})${blocked}`;
        default:
            return `${m.from} -> ${m.to ?? 'no host'}${size}${why(m, origins)}${m.temporary ? ' (temporary: moves on later)' : ''}${blocked}`;
    }
}

/** A move's reason in parentheses (`formatStepReason`), '' without one. */
function why(m: NonNullable<PlanReport['moves']>[number], origins: ReadonlyMap<string, string>) {
    const text = formatStepReason(m, origins);
    return text ? ` (${text})` : '';
}

/**
 * The line `dcplan lock` prints for a lock written to `target` placing `placed` instances:
 * `wrote plan.dcplan.lock (32 instances)`, and when the plan was placed from a previous lock
 * (`steps`: its migration steps, blocked ones included) `, 8 moves from the previous lock` — N
 * as `dcplan place`'s `moves: N` (`countMoves`: moves and stops), the stops named when there
 * are any (`8 moves from the previous lock: 7 moved, 1 stopped`).
 */
export function wroteLockText(
    target: string,
    placed: number,
    steps?: readonly { readonly kind?: StepKind; readonly instance: string }[]
): string {
    let moves = '';
    if (steps) {
        const { moves: n, stopped } = tallyMoves(steps);
        const split = stopped > 0 ? `: ${n - stopped} moved, ${stopped} stopped` : '';
        moves = `, ${n} move${n === 1 ? '' : 's'} from the previous lock${split}`;
    }
    return `wrote ${target} (${placed} instance${placed === 1 ? '' : 's'}${moves})`;
}

/**
 * `dcplan lock FILE…`: checks each plan (placed from its current lock unless `--no-lock`) and
 * writes its placement to `FILE.lock`. A plan with errors gets no lock (status 1): what runs
 * must be a valid placement. Status 2 when a file cannot be read or written.
 */
export async function runLock(files: readonly string[], option: LockOption): Promise<CliResult> {
    // the placement `check` prints, with the exact fallback: a lock of the heuristic's alone
    // could leave unplaced what `check` places
    await enableExactFallback();
    const analyzer = nodeServices().Dcplan.analysis.PlanAnalyzer;
    // analysed while the option holds: after it, the lock beside the plan would be read again
    // (and `--no-lock` would write the placement planned from the old lock)
    const run = await withLockOption(option, async () => {
        const r = await checkEach(files);
        return {
            ...r,
            analyses: r.checked.map(c => analyzer.analyze(c.document)),
            lockLines: r.checked.map(c => lockErrors([c]))
        };
    });
    if ('failure' in run) return { stdout: '', stderr: run.failure, status: 2 };
    let stdout = '',
        stderr = run.unreadable,
        status = run.unreadable ? 2 : 0;
    for (const [k, c] of run.checked.entries()) {
        const errors = c.report.diagnostics.filter(d => d.severity === 'error');
        // a lock that cannot be read (another plan's, mistyped) is not replaced unless asked
        const unreadableLock = errors.some(d => d.code === IssueCodes.LockInvalid);
        if (unreadableLock) stderr += run.lockLines[k];
        if (errors.length > 0) {
            // a directory (or a socket, a pipe) at the lock's path is not replaced by `--no-lock`
            // either: the way out is to move it away
            const blocker = unreadableLock ? notAFile(lockPathOf(c.file)) : undefined;
            const other = unreadableLock
                ? writtenForOtherPlan(run.analyses[k].day2?.error ?? '')
                : undefined;
            const hint = !unreadableLock
                ? ''
                : blocker
                  ? `; ${lockPathOf(c.file)} ${blocker}: ${clearLockPath(c.file)}`
                  : other
                    ? `; ${lockPathOf(c.file)} was written for ${other.plan}: ${otherPlanAdvice(other.plan, other.planFile, lockPathOf(c.file), c.file)}`
                    : '; to replace the lock that cannot be read, place from nothing: dcplan lock --no-lock';
            stderr += terminalSafe(
                `dcplan: ${c.file}: ${errors.length} error${errors.length === 1 ? '' : 's'} (see dcplan check): no lock written${hint}\n`
            );
            status = Math.max(status, unreadableLock ? 2 : 1);
            continue;
        }
        const analysis = run.analyses[k];
        const refusal = lockRefusal(analysis.built.model);
        if (refusal) {
            stderr += terminalSafe(`dcplan: ${c.file}: ${refusal}\n`);
            status = Math.max(status, 1);
            continue;
        }
        if (analysis.day2?.error) {
            stderr += `dcplan: ${analysis.day2.error}\n`;
            status = 2;
            continue;
        }
        const target = lockPathOf(c.file);
        const text = serialiseLock(
            analysis.built.model,
            analysis.placement,
            path.basename(c.file),
            DCPLAN_VERSION
        );
        // `--no-lock` places from nothing: say what the lock it replaces recorded differently
        const replaced = option === false ? replacedLockText(target, analysis) : '';
        try {
            writeLockFile(target, text);
        } catch (e) {
            const blocker = notAFile(target);
            stderr += terminalSafe(
                blocker
                    ? `dcplan: ${target}: cannot write: it ${blocker}: ${clearLockPath(c.file)}\n`
                    : `dcplan: ${target}: cannot write: ${readFailure(e)}\n`
            );
            status = 2;
            continue;
        }
        const placed = analysis.placement.hostOf.filter(h => h >= 0).length;
        const order = analysis.day2?.order;
        // counted from the steps as `dcplan place` counts them (`moves: N`): blocked ones too
        stdout +=
            terminalSafe(
                wroteLockText(target, placed, order && [...order.steps, ...order.blocked]) +
                    replaced
            ) + '\n';
    }
    return { stdout, stderr, status };
}

/**
 * What `dcplan lock --no-lock` says of the lock file it replaces at `target` (read before the
 * write): `, replacing a lock that placed 16 instances otherwise` — instances on another host
 * in it, or in one of the two only; `, replacing an identical lock` when none; '' when there was
 * no readable lock (nothing, or a file that is not a lock).
 */
function replacedLockText(target: string, analysis: PlanAnalysis): string {
    let old: Lock;
    try {
        old = parseLock(fs.readFileSync(target, 'utf8'));
    } catch {
        return '';
    }
    const model = analysis.built.model,
        placement = analysis.placement;
    const now = new Map<string, string>();
    placement.hostOf.forEach((h, i) => {
        if (h >= 0) now.set(model.instances[i].name, model.hosts[h].name);
    });
    let differ = 0;
    for (const [instance, host] of now) if (old.placement.get(instance) !== host) differ++;
    for (const instance of old.placement.keys()) if (!now.has(instance)) differ++;
    return differ === 0
        ? ', replacing an identical lock'
        : `, replacing a lock that placed ${differ} instance${differ === 1 ? '' : 's'} otherwise`;
}

/** What to do when `notAFile` holds for the lock of `plan`: the way out, then the command again. */
function clearLockPath(plan: string): string {
    return `remove or rename it, then run dcplan lock ${plan} again`;
}
