/**
 * `dcplan fix FILE… [--code CODE…] [--write]`: fix-all (spec, "Quick-fixes") from the shell.
 *
 * Without `--write` it prints a unified diff of what it would change (stdout is a patch that
 * `patch -p0` or `git apply -p0` accepts; what the patch would leave goes to stderr, under
 * `left:`) and changes nothing; with `--write` it rewrites the
 * files, lists the fixes it applied and then, under `left:`, the errors and warnings the file
 * still has with why none of their fixes was applied (`leftLines`). `--code` limits the fixes to diagnostics with those
 * codes (several may follow one `--code`, or be given comma-separated). Of the other `.dcplan`
 * files of a fixed file's directory only their imports are read, and only those that import the
 * fixed file are read whole (`importers`).
 *
 * Exit status, like other fixers (`ruff --diff`, `black --check`):
 * - without `--write`: 0 nothing to fix, 1 fixes are available (a diff was printed);
 * - with `--write`: 0 the files are fixed (or nothing was to fix) and have no errors left,
 *   1 errors remain in a file after fixing (the fixes that could be made are written);
 * - 2 the command itself failed (an unknown code, bad arguments; an unreadable file, the others
 *   still fixed or diffed).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'langium';
import { createTwoFilesPatch } from 'diff';
import type {
    FixAllResult,
    FixLockChanges,
    LeftDiagnostic,
    LeftReason,
    RejectedFix
} from '../../language-server/fixes/fix-all.js';
import { fixSandbox } from '../../language-server/fixes/sandbox.js';
import { FIXABLE_CODES } from '../../language-server/fixes/index.js';
import { readPlanFile, UnreadableFileError } from '../../language-server/check.js';
import { IssueCodes } from '../planner/findings.js';
import { enableExactFallback } from '../planner/exact-fallback.js';
import { internalFailure } from './files.js';
import { readLockSource, type LockSource } from '../../language-server/lock-files.js';
import { readFailure } from '../../language-server/plan-file-system.js';
import { DISK, importHeader, type NeighbourFiles } from './neighbours.js';
import { type LockOption, shortPath } from './lock.js';

// the way the files beside a fixed file are read, as the tests replace it
export { DISK, type NeighbourFiles } from './neighbours.js';

/** What `dcplan fix` printed and its status. */
export interface FixCommandResult {
    readonly stdout: string;
    readonly stderr: string;
    readonly status: number;
}

/** Options of `dcplan fix`. */
export interface FixCommandOptions {
    /** Diagnostic codes to fix (default: all). Comma-separated entries are split. */
    readonly code?: readonly string[];
    readonly write?: boolean;
    /** `--lock FILE` (a path), `--no-lock` (false) or neither: the lock beside each plan, as `check`. */
    readonly lock?: LockOption;
}

/** Runs `dcplan fix` on `files` (paths as given, relative to the working directory). */
export async function runFix(
    files: readonly string[],
    options: FixCommandOptions,
    neighbours: NeighbourFiles = DISK
): Promise<FixCommandResult> {
    const codes = options.code
        ?.flatMap(c => c.split(','))
        .map(c => c.trim())
        .filter(Boolean);
    // fixes are judged on the placement `check` prints: with the exact fallback, as `check` loads it
    await enableExactFallback();
    let stderr = '';
    if (codes) {
        const known = new Set<string>(Object.values(IssueCodes));
        const unknown = codes.filter(c => !known.has(c));
        if (unknown.length > 0) {
            return {
                stdout: '',
                stderr: `dcplan: unknown diagnostic code ${unknown.join(', ')}\n`,
                status: 2
            };
        }
        for (const c of codes.filter(c => !FIXABLE_CODES.includes(c)))
            stderr += `dcplan: ${c} has no quick-fix\n`;
    }
    // Day 2: the lock each text is placed from, as `check` takes it (`withLockOption`)
    let lockFor: ((uri: string) => LockSource | undefined) | undefined;
    if (options.lock === false) lockFor = () => undefined;
    else if (typeof options.lock === 'string') {
        const source = readLockSource(options.lock);
        if (!source)
            return {
                stdout: '',
                stderr: `dcplan: ${options.lock}: cannot read the lock file (--lock)\n`,
                status: 2
            };
        lockFor = () => source;
    }
    // A file that cannot be read is reported (status 2); the others are still fixed.
    const texts: (string | undefined)[] = [];
    let unreadable = false;
    for (const file of files) {
        try {
            // as the checker reads it, the byte order mark kept for the file written back
            texts.push(readPlanFile(file, true));
        } catch (e) {
            if (!(e instanceof UnreadableFileError)) throw e;
            texts.push(undefined);
            unreadable = true;
            stderr += `dcplan: ${e.message}\n`;
        }
    }
    const read = (uri: URI) => {
        try {
            return readPlanFile(uri.fsPath);
        } catch {
            return undefined;
        }
    };
    let stdout = '';
    let changed = false;
    let errorsLeft = false;
    let syntaxBlocked = false;
    let failed = false;
    for (let i = 0; i < files.length; i++) {
        const file = files[i];
        const original = texts[i];
        if (original === undefined) continue;
        // A BOM is kept as it was: the sandbox reads the text without it.
        const bom = original.startsWith('\uFEFF') ? '\uFEFF' : '';
        const text = original.slice(bom.length);
        const uri = URI.file(path.resolve(file)).toString();
        // the shapes that the other .dcplan files beside it deploy or pin through an import of it
        // keep their name and size (a fix makes a new shape instead; a pinned one is not split),
        // as in the editor
        let result: FixAllResult;
        try {
            const { used, pinned } = fixSandbox().shapesUsedByImporters(
                uri,
                importers(file, neighbours)
            );
            result = await fixSandbox().fixAll(uri, text, read, {
                codes,
                usedElsewhere: name => used.has(name),
                pinnedElsewhere: name => pinned.has(name),
                lockFor,
                explainLeft: true
            });
        } catch (e) {
            // a failure of dcplan itself on one file: one line (status 2), the other files are still fixed
            failed = true;
            stderr += internalFailure(file, e);
            continue;
        }
        const syntax = result.diagnostics.filter(d => d.code === IssueCodes.SyntaxError);
        if (syntax.length > 0 && !result.changed) {
            syntaxBlocked = true;
            const first = syntax[0].range.start;
            stderr += `dcplan: ${file}:${first.line + 1}:${first.character + 1}: ${syntax.length === 1 ? 'a syntax error' : `${syntax.length} syntax errors`} (${syntax[0].message}): no quick-fix applied; correct the text first\n`;
        }
        // without --write, the patch's "left:" (on stderr too) already says why a warning's or
        // an error's fix was not applied: said once
        const explained = new Set(
            !options.write && result.changed
                ? (result.left ?? []).filter(d => d.why.kind === 'rejected').map(d => d.code)
                : []
        );
        stderr += rejectedLines(
            file,
            result.rejected.filter(r => !explained.has(r.code))
        );
        const errors = result.diagnostics.filter(d => d.severity === 1).length;
        errorsLeft ||= errors > 0;
        if (options.write && errors > 0 && syntax.length === 0) {
            stderr += `dcplan: ${file}: ${errors === 1 ? '1 error' : `${errors} errors`} left${result.changed ? ' after the fixes' : ''}: see dcplan check ${file}\n`;
        }
        // what --write leaves, and why: under the fixes applied, or alone when none was
        const left = leftLines(result.left ?? []);
        if (!result.changed) {
            // without --write, nothing to fix prints nothing (an empty patch)
            if (left && options.write) stdout += `${file}: no fix applied\n${left}`;
            continue;
        }
        changed = true;
        // the fixes rename or move instances of the lock: the moves are the operator's to make
        const lockNote = result.lock ? lockChangesLine(file, result.lock) : '';
        if (options.write) {
            const cannot = writeFailure(file, bom + result.text);
            if (cannot) {
                // this file only: the others are still fixed
                failed = true;
                stderr += `dcplan: ${file}: cannot write: ${cannot}: no fix applied\n`;
                continue;
            }
            stdout += `${file}: ${result.applied.length} ${result.applied.length === 1 ? 'fix' : 'fixes'} applied\n`;
            for (const a of result.applied) stdout += `  ${a.code}: ${a.title}\n`;
            stdout += lockNote ? `  ${lockNote}\n` : '';
            stdout += left;
        } else {
            // stdout stays a patch: the notes go to stderr, what the patch would leave too
            stderr += lockNote ? `dcplan: ${file}: ${lockNote}\n` : '';
            stderr += left ? `dcplan: ${file}: after this patch,\n${left}` : '';
            stdout += createTwoFilesPatch(
                file,
                file,
                original,
                bom + result.text,
                undefined,
                undefined,
                { context: 3 }
            );
        }
    }
    // without --write, a syntax error that keeps the fixes from being worked out is not "nothing to fix"
    const status =
        unreadable || failed
            ? 2
            : options.write
              ? errorsLeft
                  ? 1
                  : 0
              : changed || syntaxBlocked
                ? 1
                : 0;
    return { stdout, stderr, status };
}

/**
 * Writes `text` to `file`; `undefined` when written, else why not in words (`permission denied`,
 * `the file is read-only`). A file without any write permission is not written even where the
 * system would let this process (root): its mode says it is not to be changed.
 */
function writeFailure(file: string, text: string): string | undefined {
    try {
        if ((fs.statSync(file).mode & 0o222) === 0)
            return 'the file is read-only (chmod u+w to let dcplan fix it)';
        fs.writeFileSync(file, text, 'utf8');
        return undefined;
    } catch (e) {
        return readFailure(e);
    }
}

/**
 * One line per code of the preferred fixes that fix-all offered where it stopped and did not
 * apply, with why: `dcplan: plan.dcplan: import-missing: the fix was not applied: it would add
 * 1 pin-exceeds-deploy error`. Without them a run that applies nothing would be silent while
 * the plan keeps its errors.
 */
function rejectedLines(file: string, rejected: readonly RejectedFix[]): string {
    const byCode = new Map<string, RejectedFix[]>();
    for (const r of rejected) byCode.set(r.code, [...(byCode.get(r.code) ?? []), r]);
    let out = '';
    for (const [code, fixes] of byCode) {
        const reasons = [...new Set(fixes.map(f => f.reason))].join('; ');
        const what = fixes.length === 1 ? 'the fix was' : `${fixes.length} fixes were`;
        out += `dcplan: ${file}: ${code}: ${what} not applied: ${reasons}\n`;
    }
    return out;
}

/** Lines of one entry of the "left:" section at most (then "and N more"). */
const LEFT_LINES_SHOWN = 5;

/** Why a diagnostic was left, in words. */
function leftReason(why: LeftReason): string {
    switch (why.kind) {
        case 'no-fix':
            return 'no quick-fix';
        case 'not-preferred':
            return `its fixes are not preferred: ${why.titles.join('; ')}`;
        case 'rejected':
            return `the fix was not applied: ${why.reason}`;
        case 'not-applied':
            return `its fix was not tried (fix-all stopped): ${why.title}`;
        case 'not-asked':
            return 'not asked for (--code)';
    }
}

/**
 * The "left:" section of `dcplan fix --write`: the errors, then the warnings, that the fixed
 * file still has, one entry per code and reason with its lines, and why no fix of it was
 * applied: `    warning single-instance, line 6: no quick-fix`. Empty when none is left.
 */
function leftLines(left: readonly LeftDiagnostic[]): string {
    const groups = new Map<string, { d: LeftDiagnostic; reason: string; lines: number[] }>();
    for (const d of [...left].sort(
        (a, b) =>
            (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1) || a.line - b.line
    )) {
        const reason = leftReason(d.why);
        const key = `${d.severity}\u0000${d.code}\u0000${reason}`;
        const g = groups.get(key) ?? { d, reason, lines: [] };
        if (!g.lines.includes(d.line)) g.lines.push(d.line);
        groups.set(key, g);
    }
    if (groups.size === 0) return '';
    let out = '  left:\n';
    for (const { d, reason, lines } of groups.values()) {
        const shown = lines.slice(0, LEFT_LINES_SHOWN).join(', ');
        const more =
            lines.length > LEFT_LINES_SHOWN ? ` and ${lines.length - LEFT_LINES_SHOWN} more` : '';
        out += `    ${d.severity} ${d.code}, ${lines.length === 1 ? 'line' : 'lines'} ${shown}${more}: ${reason}\n`;
    }
    return out;
}

/**
 * The line saying what the fixes of `file` imply from its lock: `the fixes imply changes from
 * plan.dcplan.lock: 6 instances removed, 12 created, 0 moved (see dcplan place plan.dcplan)`
 * (creations and rebuilds in place said when there are some).
 */
function lockChangesLine(file: string, lock: FixLockChanges): string {
    const n = (k: number, what: string) => `${k} ${k === 1 ? 'instance' : 'instances'} ${what}`;
    const created = lock.created > 0 ? `, ${lock.created} created` : '';
    const rebuilt = lock.rebuilt > 0 ? `, ${lock.rebuilt} rebuilt in place` : '';
    return `the fixes imply changes from ${shortPath(lock.lockFile)}: ${n(lock.removed, 'removed')}${created}${rebuilt}, ${lock.moves} moved (see dcplan place ${file})`;
}

/**
 * The other `.dcplan` files of the directory of `file` that import it (URI and text). Of each
 * other file only its imports are read (they come first in a file, so reading stops at its first
 * element); only a file that imports `file` is read whole. A 50 MB plan beside a small file is
 * not read, and a file that cannot be read cannot import it.
 */
export function importers(
    file: string,
    neighbours: NeighbourFiles = DISK
): { uri: string; text: string }[] {
    const dir = path.dirname(path.resolve(file));
    const self = URI.file(path.resolve(file)).toString();
    const out: { uri: string; text: string }[] = [];
    let names: readonly string[];
    try {
        names = neighbours.list(dir);
    } catch {
        return out;
    }
    for (const name of names) {
        const full = path.join(dir, name);
        const uri = URI.file(full).toString();
        if (!name.endsWith('.dcplan') || uri === self) continue;
        try {
            const header = importHeader(full, neighbours);
            if (!fixSandbox().importUris(uri, header).includes(self)) continue;
            out.push({ uri, text: neighbours.readText(full) });
        } catch {
            // unreadable: it cannot be checked either
        }
    }
    return out;
}
