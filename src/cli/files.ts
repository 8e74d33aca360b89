/**
 * Checking the files named on the command line one by one, so that one file that fails (cannot
 * be read, or meets an internal error of the checker) is reported without hiding the reports of
 * the others (`check`, `place`, `place --optimal`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'langium';
import {
    checkFiles,
    type CheckedFile,
    type ImportersOf,
    nodeServices,
    UnreadableFileError
} from '../../language-server/check.js';
import type { PlanFile } from '../../language-server/generated/ast.js';
import { importUri } from '../../language-server/imports.js';
import { DISK, importHeader, type NeighbourFiles } from './neighbours.js';
import { IssueCodes } from '../planner/findings.js';
import { describeError } from '../../language-server/overrides/containment.js';
import { isPlanPath, isScannedEntry } from '../../language-server/plan-files.js';
import { readFailure } from '../../language-server/plan-file-system.js';

/** True when `file` exists and is not a directory (a regular file, a pipe, a device). */
function isFile(file: string): boolean {
    try {
        return !fs.statSync(file).isDirectory();
    } catch {
        return false;
    }
}

/** The argument that names standard input (`dcplan check -`). */
const STDIN_ARGUMENT = '-';
/** The path standard input is read at (a pipe, a redirected file or a terminal). */
const STDIN_PATH = '/dev/stdin';

/** The files of a command that are plans, and one stderr line per file refused as no plan. */
export interface PlanArguments {
    readonly files: string[];
    /** `dcplan: <file>: not a .dcplan file: …` lines, empty when every file is a plan. */
    readonly refused: string;
}

/**
 * Splits the files named on the command line into plans (`.dcplan`, as in the editor and for
 * imports) and the others, refused with one line each (exit status 2): `dcplan check README.md`
 * is a slip, not a plan with 139 syntax errors. `anyExtension` (`--any-extension` of `check` and
 * `place`, which only read) takes every file as a plan: one saved under another name, or a pipe
 * (`/dev/stdin`). `-` is standard input: `/dev/stdin` for the commands that only read
 * (`verb` "checked"), refused by the others. `verb` says what the command does to plans
 * ("checked", "fixed", "locked").
 */
export function planArguments(
    files: readonly string[],
    verb: string,
    anyExtension = false
): PlanArguments {
    // `-` is standard input, as for most Unix tools (a file named `-` is `./-`): read by the
    // commands that only read (`/dev/stdin`, as --any-extension reads it), refused by the others
    if (files.includes(STDIN_ARGUMENT)) {
        const rest = planArguments(
            files.filter(f => f !== STDIN_ARGUMENT),
            verb,
            anyExtension
        );
        if (verb !== 'checked')
            return {
                files: rest.files,
                refused:
                    `dcplan: -: standard input cannot be ${verb}: only check and place read it\n` +
                    rest.refused
            };
        return {
            files: files
                .map(f => (f === STDIN_ARGUMENT ? STDIN_PATH : f))
                .filter(f => f === STDIN_PATH || rest.files.includes(f)),
            refused: rest.refused
        };
    }
    if (anyExtension) return { files: [...files], refused: '' };
    const hint = verb === 'checked' ? ' (--any-extension reads it as a plan)' : '';
    // a missing path or a directory is left to the reader, whose "cannot read: …" says more
    const isOtherFile = (f: string) => !isPlanPath(f) && isFile(f);
    return {
        files: files.filter(f => !isOtherFile(f)),
        refused: files
            .filter(isOtherFile)
            .map(f => `dcplan: ${f}: not a .dcplan file: only plans are ${verb}${hint}\n`)
            .join('')
    };
}

/** True when `file` names a folder (a symbolic link to one too: named on the command line, it is meant). */
function isFolder(file: string): boolean {
    try {
        return fs.statSync(file).isDirectory();
    } catch {
        return false;
    }
}

/**
 * The plans under the folder `dir`, at any depth, as the language server's workspace scan finds
 * them (`isScannedEntry`: `.dcplan` files only, outside dot-folders, `node_modules/` and `out/`;
 * symbolic links not followed, so no loop), sorted by path; and one `dcplan: <folder>: cannot
 * read: <why>` line per folder that cannot be listed. Paths are `dir` joined with the path under it.
 */
function plansUnder(dir: string): { files: string[]; failed: string; links: number } {
    const files: string[] = [];
    let failed = '',
        links = 0;
    const walk = (folder: string) => {
        let entries: fs.Dirent[];
        try {
            entries = fs.readdirSync(folder, { withFileTypes: true });
        } catch (e) {
            failed += `dcplan: ${folder}: cannot read: ${readFailure(e)}\n`;
            return;
        }
        for (const entry of entries) {
            const name = entry.name;
            // a linked plan or folder is not followed: counted, to say so where nothing is found
            if (entry.isSymbolicLink() && !name.startsWith('.')) links++;
            if (!isScannedEntry(name, { isFile: entry.isFile(), isDirectory: entry.isDirectory() }))
                continue;
            const child = path.join(folder, name);
            if (entry.isDirectory()) walk(child);
            else files.push(child);
        }
    };
    walk(dir);
    // code-unit order, not the locale's: the same on every machine
    files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return { files, failed, links };
}

/** The arguments with each folder replaced by its plans (`plansUnder`), and whether one was a folder. */
export interface FolderArguments extends PlanArguments {
    /** True when an argument named a folder: the output is then that of several files. */
    readonly folders: boolean;
}

/**
 * Replaces each folder among `files` by the plans under it (`plansUnder`; `dcplan check .`,
 * the spec: "`dcplan check` checks them all") for the commands that only read (`verb`
 * "checked"). A folder with no plan is refused (`dcplan: no .dcplan files under plans/`, exit
 * status 2), as is a folder given to a command that writes (`dcplan: plans: a folder cannot be
 * fixed: only check and place read a folder's plans`): it changes the files named, one by one.
 */
export function folderArguments(files: readonly string[], verb: string): FolderArguments {
    const out: string[] = [];
    let refused = '';
    let folders = false;
    for (const file of files) {
        if (file === STDIN_ARGUMENT || !isFolder(file)) {
            out.push(file);
            continue;
        }
        folders = true;
        if (verb !== 'checked') {
            refused += `dcplan: ${file}: a folder cannot be ${verb}: only check and place read a folder's plans\n`;
            continue;
        }
        const under = plansUnder(file);
        refused += under.failed;
        if (under.files.length === 0 && !under.failed)
            refused += `dcplan: no .dcplan files under ${file.endsWith('/') ? file : file + '/'}${
                under.links > 0
                    ? ` (${under.links} symbolic link${under.links === 1 ? '' : 's'} not followed: name the linked files)`
                    : ''
            }\n`;
        out.push(...under.files);
    }
    return { files: out, refused, folders };
}

/** The files that could be checked, in the order given, and one stderr line per file that failed. */
export interface CheckedEach {
    readonly checked: readonly CheckedFile[];
    /**
     * One `dcplan: …` line per file that failed (exit status 2), empty when none did: `dcplan:
     * <file>: cannot read: <why>`, or an internal error of the checker (its stack only with
     * `DCPLAN_DEBUG=1`). A file whose check met a contained internal error is also in `checked`,
     * its report holding the `internal-error` diagnostic.
     */
    readonly unreadable: string;
}

/**
 * The stderr text of an internal failure on `file`: one line, `dcplan: <file>: internal error
 * (<Error: message>)` (without a file: `dcplan: internal error (…)`), with the stack after it only when `DCPLAN_DEBUG` is set.
 */
export function internalFailure(file: string | undefined, err: unknown): string {
    const stack =
        process.env.DCPLAN_DEBUG && err instanceof Error && err.stack ? `${err.stack}\n` : '';
    return `dcplan: ${file ? `${file}: ` : ''}internal error (${describeError(err)})${stack ? '' : '; DCPLAN_DEBUG=1 shows the stack'}\n${stack}`;
}

/**
 * The files that import a checked file, among the files named on the command line and the plans
 * of the checked file's own folder, or of the folder of `besides` when given (`isScannedEntry`,
 * not its subfolders): the files the language
 * server's workspace would hold for that folder, as far as the command can see them. Of each
 * candidate only its imports are read (`importHeader`), once per command, whatever number of
 * files asks; a file that cannot be read imports nothing. Imports are resolved as the checker
 * resolves them (`importUri`), so `import "./shapes.dcplan"` and `import "../lib/shapes.dcplan"`
 * count too.
 */
export function importersFinder(
    files: readonly string[],
    neighbours: NeighbourFiles = DISK
): ImportersOf {
    const parser = nodeServices().Dcplan.parser.LangiumParser;
    // imported URI → the paths of the candidates that import it
    const byTarget = new Map<string, string[]>();
    const read = new Set<string>();
    const listed = new Set<string>();
    const take = (file: string) => {
        const full = path.resolve(file);
        if (read.has(full)) return;
        read.add(full);
        let header: string;
        try {
            header = importHeader(full, neighbours);
        } catch {
            return;
        }
        // most plans import nothing: their (empty) header is not parsed
        if (!header.includes('import')) return;
        const from = URI.file(full);
        for (const i of parser.parse<PlanFile>(header).value.imports ?? []) {
            const target = importUri(i, from)?.toString();
            if (target === undefined) continue;
            let list = byTarget.get(target);
            if (!list) byTarget.set(target, (list = []));
            if (!list.includes(full)) list.push(full);
        }
    };
    let argumentsRead = false;
    return (file, besides = file) => {
        if (!argumentsRead) {
            argumentsRead = true;
            for (const f of files) if (f !== STDIN_PATH && isPlanPath(f)) take(f);
        }
        const full = path.resolve(file);
        // standard input, or a file read with --any-extension, is no file the server would index
        if (!isPlanPath(full)) return [];
        const dir = path.dirname(path.resolve(besides));
        if (!listed.has(dir)) {
            listed.add(dir);
            let entries: fs.Dirent[] = [];
            try {
                entries = fs.readdirSync(dir, { withFileTypes: true });
            } catch {
                // an unlisted folder: only the files named are known
            }
            for (const e of entries)
                if (isScannedEntry(e.name, { isFile: e.isFile(), isDirectory: false }))
                    take(path.join(dir, e.name));
        }
        const self = URI.file(full).toString();
        return (byTarget.get(self) ?? []).filter(f => f !== full);
    };
}

/** Checks each of `files` (paths as given); an exception on one file is reported and the next is checked. */
export async function checkEach(files: readonly string[]): Promise<CheckedEach> {
    const checked: CheckedFile[] = [];
    let unreadable = '';
    const importersOf = importersFinder(files);
    for (const file of files) {
        try {
            for (const c of await checkFiles([file], undefined, importersOf)) {
                checked.push(c);
                const internal = c.report.diagnostics.find(
                    d => d.code === IssueCodes.InternalError
                );
                if (internal)
                    unreadable += `dcplan: ${c.file}:${internal.line}:${internal.column}: ${internal.message}\n`;
            }
        } catch (e) {
            unreadable +=
                e instanceof UnreadableFileError
                    ? `dcplan: ${e.message}\n`
                    : internalFailure(file, e);
        }
    }
    return { checked, unreadable };
}
