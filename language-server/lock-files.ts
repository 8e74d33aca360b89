/**
 * Finding and reading the lock file of a plan (issue 12, day 2): `plan.dcplan.lock` beside
 * `plan.dcplan`. The format and the planning are in src/planner (lock.ts, day2.ts); this is the
 * file access of the language layer, used by the analysis (CLI and server alike).
 */
import * as fs from 'node:fs';
import { URI } from 'langium';
import { LockError, parseLock, type Lock } from '../src/planner/lock.js';
import { readFailure } from './plan-file-system.js';

/** A lock file as found: its path and text, or why it cannot be read. */
export interface LockSource {
    /** The path of the lock file. */
    readonly file: string;
    /** Its text ('' when it cannot be read). */
    readonly text: string;
    /**
     * Why something is at the lock's path but cannot be read (`it is a directory, not a file`,
     * `cannot read it: permission denied`): reported as a lock that does not parse.
     */
    readonly unreadable?: string;
}

/** The lock of a plan as the analysis uses it: the lock, or why it cannot be read. */
export interface ReadLock {
    readonly file: string;
    readonly lock?: Lock;
    /** `<file>:<line>: <why>` when the lock cannot be read; the plan is then placed without it. */
    readonly error?: string;
}

/** The path of the lock beside a plan: the plan's path with `.lock` added. */
export function lockPathOf(planPath: string): string {
    return `${planPath}.lock`;
}

/**
 * The lock file beside the plan at `planUri` (a `file:` URI string), or `undefined` when there is
 * none or the URI is not a file. Something at the lock's path that cannot be read (a directory,
 * a file without read permission) is a source with `unreadable` set: the user must hear that
 * the lock they meant is not used, as for one that does not parse.
 */
export function lockBeside(planUri: string): LockSource | undefined {
    let uri: URI;
    try {
        uri = URI.parse(planUri);
    } catch {
        return undefined;
    }
    if (uri.scheme !== 'file') return undefined;
    const file = lockPathOf(uri.fsPath);
    return readLockSource(file) ?? unreadableLock(file);
}

/**
 * The lock at `file` that `readLockSource` could not read, as a source saying why, or `undefined`
 * when nothing is there (no file, a parent that is not a directory). A symbolic link that names
 * no file is a lock kept elsewhere and not found: unreadable, so the plan is not silently placed
 * from nothing (a newcomer's running cluster re-planned without a word).
 */
function unreadableLock(file: string): LockSource | undefined {
    let unreadable: string;
    try {
        const stat = fs.statSync(file);
        if (stat.isDirectory()) unreadable = 'it is a directory, not a file';
        else if (!stat.isFile()) unreadable = 'it is not a regular file';
        else {
            fs.accessSync(file, fs.constants.R_OK);
            // readable now: it changed since readLockSource looked; read on the next analysis
            return undefined;
        }
    } catch (e) {
        const code = (e as NodeJS.ErrnoException | undefined)?.code;
        // a link naming no file is a lock meant and not found: said, not placed from nothing
        const dangling = code === 'ENOENT' ? danglingLink(file) : undefined;
        if (dangling !== undefined) unreadable = `it ${dangling}`;
        else if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
        else unreadable = `cannot read it: ${readFailure(e)}`;
    }
    return { file, text: '', unreadable };
}

/** The text of the lock at `file`, or `undefined` when it does not exist or is not a readable file. */
export function readLockSource(file: string): LockSource | undefined {
    try {
        if (!fs.statSync(file).isFile()) return undefined;
        return { file, text: fs.readFileSync(file, 'utf8') };
    } catch {
        return undefined;
    }
}

/**
 * Parses a found lock for the plan whose file's base name is `planFile` (a lock written for
 * another plan is an error); a lock that does not parse, or cannot be read (`unreadable`), gives
 * its error (never throws).
 */
export function readLock(source: LockSource, planFile?: string): ReadLock {
    if (source.unreadable !== undefined)
        return { file: source.file, error: `${source.file}: ${source.unreadable}` };
    try {
        return { file: source.file, lock: parseLock(source.text, planFile) };
    } catch (e) {
        if (e instanceof LockError)
            return {
                file: source.file,
                error: `${source.file}:${e.line}: ${e.message.replace(/^line \d+: /, '')}`
            };
        return {
            file: source.file,
            error: `${source.file}: ${e instanceof Error ? e.message : String(e)}`
        };
    }
}

/**
 * `is a directory, not a file` (or `is not a regular file`: a socket, a pipe; `is a symbolic
 * link to X, which does not exist`) when something at the lock path `target` is not a file
 * `dcplan lock` can replace, else `undefined`
 * (nothing there, a file, or it cannot be looked at: the write then says why).
 */
export function notAFile(target: string): string | undefined {
    const dangling = danglingLink(target);
    if (dangling !== undefined) return dangling;
    try {
        const stat = fs.statSync(target);
        if (stat.isDirectory()) return 'is a directory, not a file';
        return stat.isFile() ? undefined : 'is not a regular file';
    } catch {
        return undefined;
    }
}

/**
 * Writes a lock's `text` at `target`. A symbolic link there is written through when its target
 * exists (a lock kept elsewhere on purpose), refused when it does not: a link in a cloned
 * repository would otherwise create a file wherever it points. Throws the write's error, or an
 * Error `is a symbolic link to DEST, which does not exist: …` for such a link.
 */
export function writeLockFile(target: string, text: string): void {
    const dangling = danglingLink(target);
    if (dangling !== undefined)
        throw new Error(`it ${dangling}: remove the link, or create the file it names`);
    fs.writeFileSync(target, text);
}

/**
 * `is a symbolic link to DEST, which does not exist` when `file` is a link that names no file
 * (the words of reading, `notAFile` and writing alike), else undefined.
 */
function danglingLink(file: string): string | undefined {
    try {
        if (fs.lstatSync(file).isSymbolicLink() && !fs.existsSync(file))
            return `is a symbolic link to ${fs.readlinkSync(file)}, which does not exist`;
    } catch {
        // nothing there, or not readable: not a dangling link
    }
    return undefined;
}
