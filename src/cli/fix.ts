/**
 * `dcplan fix FILE… [--code CODE…] [--write]`: fix-all (spec, "Quick-fixes") from the shell.
 *
 * Without `--write` it prints a unified diff of what it would change (stdout is a patch that
 * `patch -p0` or `git apply -p0` accepts) and changes nothing; with `--write` it rewrites the
 * files and lists the fixes it applied. `--code` limits the fixes to diagnostics with those
 * codes (several may follow one `--code`, or be given comma-separated).
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
import { fixSandbox, type FixAllResult } from '../../language-server/fix-all.js';
import { FIXABLE_CODES } from '../../language-server/fixes.js';
import { readPlanFile, UnreadableFileError } from '../../language-server/check.js';
import { IssueCodes } from '../planner/rules.js';

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
}

/** Runs `dcplan fix` on `files` (paths as given, relative to the working directory). */
export async function runFix(files: readonly string[], options: FixCommandOptions): Promise<FixCommandResult> {
    const codes = options.code?.flatMap(c => c.split(',')).map(c => c.trim()).filter(Boolean);
    let stderr = '';
    if (codes) {
        const known = new Set<string>(Object.values(IssueCodes));
        const unknown = codes.filter(c => !known.has(c));
        if (unknown.length > 0) {
            return { stdout: '', stderr: `dcplan: unknown diagnostic code ${unknown.join(', ')}\n`, status: 2 };
        }
        for (const c of codes.filter(c => !FIXABLE_CODES.includes(c))) stderr += `dcplan: ${c} has no quick-fix\n`;
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
        const { used, pinned } = fixSandbox().shapesUsedByImporters(uri, siblings(file));
        const result: FixAllResult = await fixSandbox().fixAll(uri, text, read, { codes, usedElsewhere: name => used.has(name), pinnedElsewhere: name => pinned.has(name) });
        const syntax = result.diagnostics.filter(d => d.code === IssueCodes.SyntaxError);
        if (syntax.length > 0 && !result.changed) {
            syntaxBlocked = true;
            const first = syntax[0].range.start;
            stderr += `dcplan: ${file}:${first.line + 1}:${first.character + 1}: ${syntax.length === 1 ? 'a syntax error' : `${syntax.length} syntax errors`} (${syntax[0].message}): no quick-fix applied; correct the text first\n`;
        }
        const errors = result.diagnostics.filter(d => d.severity === 1).length;
        errorsLeft ||= errors > 0;
        if (options.write && errors > 0 && syntax.length === 0) {
            stderr += `dcplan: ${file}: ${errors === 1 ? '1 error' : `${errors} errors`} left${result.changed ? ' after the fixes' : ''}: see dcplan check ${file}\n`;
        }
        if (!result.changed) continue;
        changed = true;
        if (options.write) {
            fs.writeFileSync(file, bom + result.text, 'utf8');
            stdout += `${file}: ${result.applied.length} ${result.applied.length === 1 ? 'fix' : 'fixes'} applied\n`;
            for (const a of result.applied) stdout += `  ${a.code}: ${a.title}\n`;
        } else {
            stdout += createTwoFilesPatch(file, file, original, bom + result.text, undefined, undefined, { context: 3 });
        }
    }
    // without --write, a syntax error that keeps the fixes from being worked out is not "nothing to fix"
    const status = unreadable ? 2 : options.write ? (errorsLeft ? 1 : 0) : (changed || syntaxBlocked ? 1 : 0);
    return { stdout, stderr, status };
}

/** The other readable `.dcplan` files of the directory of `file` (URI and text), the candidates to import it. */
function siblings(file: string): { uri: string; text: string }[] {
    const dir = path.dirname(path.resolve(file));
    const self = path.resolve(file);
    const out: { uri: string; text: string }[] = [];
    let names: string[];
    try { names = fs.readdirSync(dir); } catch { return out; }
    for (const name of names) {
        const full = path.join(dir, name);
        if (!name.endsWith('.dcplan') || full === self) continue;
        try {
            out.push({ uri: URI.file(full).toString(), text: readPlanFile(full) });
        } catch {
            // unreadable: it cannot be checked either
        }
    }
    return out;
}
