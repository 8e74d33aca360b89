/**
 * What a plan file's `//` comments state about it: the diagnostics and the moves that the header
 * of an example (examples/) or a fixture (test/fixtures/) promises, read the one way the tests
 * read them, so the file stays the contract its header says it is.
 */
import * as fs from 'node:fs';

/** The `//` comment lines of the plan at `file`, whole, in order. */
function commentLines(file: string): string[] {
    return fs
        .readFileSync(file, 'utf8')
        .split('\n')
        .filter(l => l.startsWith('//'));
}

/**
 * The diagnostics the file states, one `// severity code L:C-L:C message` line each, as
 * `severity code L:C-L:C message` (the form of `diagnosticLine`).
 */
export function statedDiagnostics(file: string): string[] {
    return commentLines(file)
        .filter(l => /^\/\/ (error|warning|info|hint) /.test(l))
        .map(l => l.slice(3));
}

/**
 * The moves the file states: the N lines after `//   moves: N`, as `instance: from -> to`.
 * Throws when the file has no such line or fewer than N lines follow it.
 */
export function statedMoves(file: string): string[] {
    const header = commentLines(file);
    const at = header.findIndex(l => /^\/\/ {3}moves: \d+$/.test(l));
    if (at < 0) throw new Error(`${file}: no \`//   moves: N\` line`);
    const count = Number(/moves: (\d+)/.exec(header[at])![1]);
    const stated = header.slice(at + 1, at + 1 + count).map(l => l.replace(/^\/\/\s+/, ''));
    if (stated.length !== count)
        throw new Error(`${file}: states ${count} moves, lists ${stated.length}`);
    return stated;
}
