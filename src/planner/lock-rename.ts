/**
 * A rename in the plan carried into its lock file (issue 12, day 2): the lock records shapes,
 * instances (`<shape>-<k>`) and hosts by name, so a shape or host renamed in the plan alone would
 * read as the locked instances gone and new ones placed (spurious moves). This computes the text
 * edits of the lock's name tokens for a rename: only tokens that are exactly an old name (plain
 * or quoted), nothing else of the text (comments, layout, line endings) changes.
 *
 * Pure: no I/O (the language layer reads the lock and sends the edits).
 */
import { isMap, isScalar, parseDocument } from 'yaml';
import { parseLock, readWrittenLock, yamlScalar, type Lock } from './lock.js';

/** Names renamed in the plan, old name → new name, of the kinds the lock records by name. */
export interface LockRenames {
    /** Shapes: the lock's `shapes` keys and the shape part of its instance names. */
    readonly shapes: ReadonlyMap<string, string>;
    /** Hosts: the lock's `placement` values (a range renamed gives one pair per host). */
    readonly hosts: ReadonlyMap<string, string>;
}

/** One edit of the lock's text: the UTF-16 offsets `[start, end)` of a name token, and its new text. */
export interface LockTextEdit {
    readonly start: number;
    readonly end: number;
    readonly newText: string;
}

/** A name token of the lock: where it is, its value, what it names and how it is written. */
interface NameToken {
    readonly start: number;
    readonly end: number;
    readonly value: string;
    readonly kind: 'shape' | 'instance' | 'host';
    /** How it is written: plain, quoted, or otherwise (a block scalar: never edited). */
    readonly style: 'plain' | 'double' | 'single' | 'other';
}

/**
 * The edits that carry `renames` into the lock `text` (read for the plan whose file's base name
 * is `planFile`), in text order; `[]` when the lock names none of the old names. `undefined` —
 * the lock is then best left as it is — when the text is not a lock (`parseLock` throws), when a
 * token with an old name is not written as the name itself (`"hv01"`, `'hv01'` or plain; an
 * escape, an anchor, a block scalar), or when the edited lock would not read as the same lock
 * with the names renamed (a new name the lock already records: two shapes or instances of one
 * name). Never throws.
 */
export function lockRenameEdits(
    text: string,
    renames: LockRenames,
    planFile?: string
): LockTextEdit[] | undefined {
    if (renames.shapes.size === 0 && renames.hosts.size === 0) return [];
    let lock: Lock;
    try {
        lock = parseLock(text, planFile);
    } catch {
        return undefined;
    }
    const tokens = writtenTokens(text) ?? yamlTokens(text);
    if (!tokens) return undefined;
    const edits: LockTextEdit[] = [];
    for (const t of tokens) {
        const renamed = renamedName(t, renames);
        if (renamed === undefined) continue;
        const written = text.slice(t.start, t.end);
        const quoted = {
            plain: t.value,
            double: `"${t.value}"`,
            single: `'${t.value}'`,
            other: undefined
        }[t.style];
        // a token that is not the name as such is not edited, and then no token is
        if (written !== quoted) return undefined;
        edits.push({ start: t.start, end: t.end, newText: writeName(renamed, t.style) });
    }
    if (edits.length === 0) return [];
    edits.sort((a, b) => a.start - b.start);
    let after = '',
        at = 0;
    for (const e of edits) {
        after += text.slice(at, e.start) + e.newText;
        at = e.end;
    }
    after += text.slice(at);
    try {
        return sameRenamed(lock, parseLock(after, planFile), renames) ? edits : undefined;
    } catch {
        return undefined;
    }
}

/** The new name of a token under `renames`, or `undefined` when it is not renamed. */
function renamedName(t: NameToken, renames: LockRenames): string | undefined {
    if (t.kind === 'host') return renames.hosts.get(t.value);
    if (t.kind === 'shape') return renames.shapes.get(t.value);
    // an instance is named `<shape>-<k>`: its shape is the name without the last `-<k>`
    const m = /^(.*)-([0-9]+)$/.exec(t.value);
    const shape = m ? renames.shapes.get(m[1]) : undefined;
    return shape !== undefined && m ? `${shape}-${m[2]}` : undefined;
}

/** A name as a token of the `style` it replaces; a plain one quoted when YAML would misread it. */
function writeName(name: string, style: NameToken['style']): string {
    if (style === 'double') return JSON.stringify(name);
    if (style === 'single') return `'${name.replace(/'/g, "''")}'`;
    // plain (an `other` token is never edited)
    return yamlScalar(name);
}

/** Whether `after` is `before` with the names of `renames` renamed, and nothing else changed. */
function sameRenamed(before: Lock, after: Lock, renames: LockRenames): boolean {
    const instance = (name: string) =>
        renamedName({ start: 0, end: 0, value: name, kind: 'instance', style: 'plain' }, renames) ??
        name;
    if (before.shapes.size !== after.shapes.size) return false;
    for (const [name, s] of before.shapes) {
        const t = after.shapes.get(renames.shapes.get(name) ?? name);
        if (!t || t.role !== s.role || t.cores !== s.cores || t.memoryGiB !== s.memoryGiB)
            return false;
    }
    if (before.placement.size !== after.placement.size) return false;
    for (const [name, host] of before.placement)
        if (after.placement.get(instance(name)) !== (renames.hosts.get(host) ?? host)) return false;
    return before.plan === after.plan && before.version === after.version;
}

/**
 * The name tokens of a lock in the form `serialiseLock` writes (`readWrittenLock` reads it), by
 * its lines: `  shape: { … }` under `shapes:`, `  instance: host` under `placement:`; `undefined`
 * for any other text.
 */
function writtenTokens(text: string): NameToken[] | undefined {
    if (!readWrittenLock(text)) return undefined;
    const out: NameToken[] = [];
    let section: string | undefined,
        at = 0;
    for (const line of text.split('\n')) {
        if (!line.startsWith(' ') && !line.startsWith('#')) section = line.split(':')[0];
        else if (line.startsWith('  ')) {
            // the written form's names are plain and hold no `: ` (readWrittenLock checked them)
            const colon = line.indexOf(': ', 2);
            const key = line.slice(2, colon);
            const token = (start: number, value: string, kind: NameToken['kind']) =>
                out.push({ start, end: start + value.length, value, kind, style: 'plain' });
            if (section === 'shapes') token(at + 2, key, 'shape');
            else if (section === 'placement') {
                token(at + 2, key, 'instance');
                token(at + colon + 2, line.slice(colon + 2), 'host');
            }
        }
        at += line.length + 1;
    }
    return out;
}

/**
 * The name tokens of a lock by the YAML parser (any form `parseLock` reads): the keys of
 * `shapes`, the keys and values of `placement`; `undefined` when one is not a string scalar.
 */
function yamlTokens(text: string): NameToken[] | undefined {
    const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false });
    const root = doc.contents;
    if (!isMap(root)) return undefined;
    const out: NameToken[] = [];
    const token = (node: unknown, kind: NameToken['kind']): boolean => {
        if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return false;
        const style =
            node.type === 'PLAIN'
                ? 'plain'
                : node.type === 'QUOTE_DOUBLE'
                  ? 'double'
                  : node.type === 'QUOTE_SINGLE'
                    ? 'single'
                    : 'other';
        out.push({ start: node.range[0], end: node.range[1], value: node.value, kind, style });
        return true;
    };
    for (const pair of root.items) {
        const key = isScalar(pair.key) ? pair.key.value : undefined;
        if ((key !== 'shapes' && key !== 'placement') || !isMap(pair.value)) continue;
        for (const p of pair.value.items) {
            if (!token(p.key, key === 'shapes' ? 'shape' : 'instance')) return undefined;
            if (key === 'placement' && !token(p.value, 'host')) return undefined;
        }
    }
    return out;
}
