/**
 * Finding and reading the lock file of a plan (issue 12, day 2): `plan.dcplan.lock` beside
 * `plan.dcplan`. The format and the planning are in src/planner (lock.ts, day2.ts); this is the
 * file access of the language layer, used by the analysis (CLI and server alike).
 */
import * as fs from 'node:fs';
import { URI } from 'langium';
import { LockError, parseLock, type Lock } from '../src/planner/lock.js';

/** A lock file as found: its path and text. */
export interface LockSource {
    /** The path of the lock file. */
    readonly file: string;
    readonly text: string;
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
 * none, the URI is not a file, or it cannot be read as text.
 */
export function lockBeside(planUri: string): LockSource | undefined {
    let uri: URI;
    try {
        uri = URI.parse(planUri);
    } catch {
        return undefined;
    }
    if (uri.scheme !== 'file') return undefined;
    return readLockSource(lockPathOf(uri.fsPath));
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
 * another plan is an error); a lock that does not parse gives its error (never throws).
 */
export function readLock(source: LockSource, planFile?: string): ReadLock {
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
