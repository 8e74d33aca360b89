/**
 * The lock file (issue 12, day 2): the placement that runs now, beside the plan that states the
 * intent (`plan.dcplan` → `plan.dcplan.lock`). YAML, small and reviewable in a pull request:
 *
 * ```yaml
 * # dcplan lock: the placement that runs now; plan.dcplan stays the intent.
 * plan: plan.dcplan
 * dcplan: 0.1.0
 * shapes:
 *   backend_8c: { role: backend, cores: 8, memory_gib: 64 }
 * placement:
 *   backend_8c-1: hv01
 * ```
 *
 * `shapes` records the role and size each shape had when the lock was written, so that an
 * instance whose shape changed size is known to need a move (a rebuild), and the role of an
 * instance whose shape the plan no longer has is known (a role is never taken down to zero
 * running instances while it is replaced). Locks without `role` (written before it was
 * recorded) are read too: the role is then inferred from the plan's shapes (lock-roles.ts). `placement` has one line per placed
 * instance, `instance: host`, in a stable order (shape name, then instance number).
 *
 * Pure: parsing and serialising only (the CLI and the server read and write the file).
 */
import { isMap, isScalar, LineCounter, parseDocument, stringify } from 'yaml';
import { ROLES, type PlanModel, type Role } from './model.js';
import type { PlacementResult } from './placement.js';

/** The size (and role) of a shape as the lock recorded it. */
export interface LockedShape {
    /** Its role, absent in a lock written before roles were recorded. */
    readonly role?: Role;
    /** vCPUs of one instance. */
    readonly cores: number;
    /** Memory of one instance, GiB. */
    readonly memoryGiB: number;
}

/** A parsed lock file. */
export interface Lock {
    /** The plan file the lock was written for (its base name), when the lock names it. */
    readonly plan?: string;
    /** The dcplan version that wrote it, when the lock names it. */
    readonly version?: string;
    /** Shape name → its size when the lock was written. */
    readonly shapes: ReadonlyMap<string, LockedShape>;
    /** Instance name → host name, in file order. */
    readonly placement: ReadonlyMap<string, string>;
    /** Shape name → the 1-based line of its entry in `shapes` (absent on a lock not read from text). */
    readonly shapeLines?: ReadonlyMap<string, number>;
    /** Instance name → the 1-based line of its entry in `placement` (absent as `shapeLines`). */
    readonly placementLines?: ReadonlyMap<string, number>;
}

/** Why a lock file cannot be read: a message and the 1-based line it is about. */
export class LockError extends Error {
    constructor(
        message: string,
        readonly line: number
    ) {
        super(`line ${line}: ${message}`);
    }
}

/** The words of a `LockError` for a lock whose `plan` names another plan file. */
function writtenForText(plan: string, planFile: string): string {
    return `the lock was written for ${plan}, not for ${planFile}`;
}

/**
 * The plan a lock error says the lock was written for (`plan` of the lock) and the plan it was
 * read for, or `undefined` when `error` (a `LockError` message, maybe after `file:line: `) is
 * about something else: for the messages that say what to do instead of "cannot be read".
 */
export function writtenForOtherPlan(
    error: string
): { readonly plan: string; readonly planFile: string } | undefined {
    const m = /the lock was written for (.+), not for (.+)$/.exec(error);
    return m ? { plan: m[1], planFile: m[2] } : undefined;
}

/**
 * What to do about a lock written for the plan `plan` found beside the plan file `planFile` (its
 * base name; `path` as the command line names it, `lock` as the message names the lock): keep
 * the placement where the plan was renamed (`git mv` moves the lock along, still naming the old
 * file), else place from nothing. Re-placing is not the only way out: it forgets what runs where
 * (14 of 18 instances differed in a newcomer's test).
 */
export function otherPlanAdvice(
    plan: string,
    planFile: string,
    lock: string,
    path = planFile
): string {
    return `if ${planFile} is ${plan} renamed, write \`plan: ${planFile}\` in ${lock} to keep its placement; else record this plan's own placement from nothing: dcplan lock --no-lock ${path}`;
}

/** Instance names in the lock's order: by shape name (code units), then by instance number. */
export function compareInstanceNames(a: string, b: string): number {
    const ma = /^(.*)-(\d+)$/.exec(a),
        mb = /^(.*)-(\d+)$/.exec(b);
    const sa = ma ? ma[1] : a,
        sb = mb ? mb[1] : b;
    if (sa !== sb) return sa < sb ? -1 : 1;
    const na = ma ? Number(ma[2]) : -1,
        nb = mb ? Number(mb[2]) : -1;
    return na - nb || (a < b ? -1 : a > b ? 1 : 0);
}

/**
 * A YAML scalar as one line: plain when every YAML reader reads it back as the same string, else
 * quoted. Judged by YAML 1.1, whose plain `yes`, `on`, `off`, `y`, `1_000`, `1:20` and dates are
 * not strings (PyYAML, Ruby and older tools read a host named `yes` as `true`), not only by 1.2's
 * core schema, which this package's parser reads.
 */
export function yamlScalar(text: string): string {
    return stringify(text, { lineWidth: 0, version: '1.1' }).trimEnd();
}

/**
 * The text of the lock of `placement` (of `model`): the header comment and `plan`, `dcplan`,
 * `shapes` (those with a placed instance) and `placement` (every placed instance, one line each,
 * in `compareInstanceNames` order; unplaced instances are not in it). `planFile` is how the
 * header names the plan (its base name), `version` the dcplan version. Never throws.
 */
export function serialiseLock(
    model: PlanModel,
    placement: PlacementResult,
    planFile: string,
    version: string
): string {
    const placed: [string, string][] = [];
    const shapes = new Map<string, LockedShape>();
    for (let i = 0; i < model.instances.length; i++) {
        const h = placement.hostOf[i];
        if (h === undefined || h < 0) continue;
        const inst = model.instances[i];
        placed.push([inst.name, model.hosts[h].name]);
        shapes.set(inst.shape, { role: inst.role, cores: inst.cores, memoryGiB: inst.memoryGiB });
    }
    placed.sort((a, b) => compareInstanceNames(a[0], b[0]));
    const out = [
        `# dcplan lock: the placement that runs now; ${planFile.replace(/[\r\n]/g, ' ')} stays the intent.`,
        '# Written by `dcplan lock` (or "dcplan: Save Current Placement"); one line per instance.',
        `plan: ${yamlScalar(planFile)}`,
        `dcplan: ${yamlScalar(version)}`,
        shapes.size > 0 ? 'shapes:' : 'shapes: {}'
    ];
    for (const name of [...shapes.keys()].sort()) {
        const s = shapes.get(name)!;
        const role = s.role ? `role: ${s.role}, ` : '';
        out.push(`  ${yamlScalar(name)}: { ${role}cores: ${s.cores}, memory_gib: ${s.memoryGiB} }`);
    }
    out.push(placed.length > 0 ? 'placement:' : 'placement: {}');
    for (const [inst, host] of placed) out.push(`  ${yamlScalar(inst)}: ${yamlScalar(host)}`);
    return out.join('\n') + '\n';
}

/**
 * Parses the text of a lock file. Throws `LockError` (with the 1-based line) when the text is
 * not YAML, is not a mapping, when `plan` or `dcplan` is not a string, when `placement` is not a
 * mapping of instance names to host names (strings), or `shapes` not a mapping of names to
 * `{ role, cores, memory_gib }` with positive numbers (`role` optional: proxy, director or backend), or when a key is given twice. With `planFile`
 * (the base name of the plan the lock is read for), a lock whose `plan` names another file
 * throws too: it is another plan's placement. A lock without `plan` is taken as it is. Unknown
 * top-level keys are ignored (a later version may add some).
 *
 * A lock exactly as `serialiseLock` writes it is read line by line (`readWrittenLock`); any
 * other text (edited by hand, quoted names, flow maps) goes through the YAML parser.
 */
export function parseLock(text: string, planFile?: string): Lock {
    return readWrittenLock(text, planFile) ?? parseYamlLock(text, planFile);
}

/** A name `serialiseLock` writes plain and YAML reads back as that string (not `true`, `null`, a number). */
const PLAIN_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const YAML_WORD = /^(true|false|null|yes|no|on|off|y|n)$/i;
const LOCK_LINE = {
    top: /^(plan|dcplan): (\S+)$/,
    section: /^(shapes|placement):( \{\})?$/,
    shape: /^ {2}(\S+): \{ (?:role: (proxy|director|backend), )?cores: ([0-9]+(?:\.[0-9]+)?), memory_gib: ([0-9]+(?:\.[0-9]+)?) \}$/,
    placed: /^ {2}(\S+): (\S+)$/
};

/**
 * Whether `t` matches `PLAIN_NAME` and not `YAML_WORD` (as `readWrittenLock`'s `name`), by its
 * characters: a letter or `_`, then letters, digits, `_`, `.` or `-`.
 */
function plainName(t: string): boolean {
    const n = t.length;
    if (n === 0) return false;
    for (let k = 0; k < n; k++) {
        const c = t.charCodeAt(k) | 32; // ASCII letters to lower case
        const letter = c >= 97 && c <= 122;
        if (letter) continue;
        const ch = t.charCodeAt(k);
        if (ch === 95) continue; // _
        if (k > 0 && ((ch >= 48 && ch <= 57) || ch === 46 || ch === 45)) continue; // 0-9 . -
        return false;
    }
    if (n > 5) return true;
    // YAML_WORD's words start with t, f, n, y or o
    const first = t.charCodeAt(0) | 32;
    return (
        (first !== 116 && first !== 102 && first !== 110 && first !== 121 && first !== 111) ||
        !YAML_WORD.test(t)
    );
}

/**
 * Reads a lock in exactly the form `serialiseLock` writes (comment lines, `plan`, `dcplan`,
 * `shapes`, `placement`, one plain name per key and value), in one pass over its lines: the YAML
 * parser takes about a second on a 10,000-instance lock, longer than placing the plan. Returns
 * `undefined` for any other text (the YAML parser then reads it and says what is wrong); throws
 * `LockError` only for a lock written for another plan than `planFile`, as `parseYamlLock` does.
 */
export function readWrittenLock(text: string, planFile?: string): Lock | undefined {
    const name = (t: string) => PLAIN_NAME.test(t) && !YAML_WORD.test(t);
    const lines = text.split('\n');
    if (lines.at(-1) === '') lines.pop();
    let plan: string | undefined,
        version: string | undefined,
        planLine = 0;
    const shapes = new Map<string, LockedShape>();
    const placement = new Map<string, string>();
    const shapeLines = new Map<string, number>(),
        placementLines = new Map<string, number>();
    const seen = new Set<string>();
    let section: 'shapes' | 'placement' | undefined;
    for (let k = 0; k < lines.length; k++) {
        const line = lines[k];
        if (line.startsWith('#')) continue;
        if (section === 'placement') {
            // the common line, `  instance: host` with plain names, without a regular expression
            // (this loop is most of the time of reading a 10,000-instance lock); any other line
            // goes on to the checks below
            const colon = line.indexOf(': ', 2);
            if (colon > 2 && line.charCodeAt(0) === 32 && line.charCodeAt(1) === 32) {
                const inst = line.slice(2, colon),
                    host = line.slice(colon + 2);
                if (plainName(inst) && plainName(host)) {
                    const size = placement.size;
                    placement.set(inst, host);
                    if (placement.size === size) return undefined; // given twice
                    placementLines.set(inst, k + 1);
                    continue;
                }
            }
        }
        let m: RegExpExecArray | null;
        if (section === 'shapes' && (m = LOCK_LINE.shape.exec(line))) {
            const cores = Number(m[3]),
                memoryGiB = Number(m[4]);
            if (!name(m[1]) || shapes.has(m[1]) || !(cores > 0) || !(memoryGiB > 0))
                return undefined;
            shapes.set(m[1], { ...(m[2] ? { role: m[2] as Role } : {}), cores, memoryGiB });
            shapeLines.set(m[1], k + 1);
        } else if (section === 'placement' && (m = LOCK_LINE.placed.exec(line))) {
            if (!name(m[1]) || !name(m[2]) || placement.has(m[1])) return undefined;
            placement.set(m[1], m[2]);
            placementLines.set(m[1], k + 1);
        } else if ((m = LOCK_LINE.top.exec(line) ?? LOCK_LINE.section.exec(line))) {
            if (seen.has(m[1])) return undefined;
            seen.add(m[1]);
            section = undefined;
            if (m[1] === 'plan' || m[1] === 'dcplan') {
                // a version is a name or dotted numbers with two dots or more (YAML reads `1.5` as a number)
                if (!name(m[2]) && !/^[0-9]+(\.[0-9]+){2,}$/.test(m[2])) return undefined;
                if (m[1] === 'plan') [plan, planLine] = [m[2], k + 1];
                else version = m[2];
            } else if (m[2] === undefined) section = m[1] as 'shapes' | 'placement';
        } else return undefined;
    }
    if (!seen.has('placement')) return undefined;
    if (plan !== undefined && planFile !== undefined && plan !== planFile)
        throw new LockError(writtenForText(plan, planFile), planLine);
    return { plan, version, shapes, placement, shapeLines, placementLines };
}

/** `parseLock` by the YAML parser, for any lock text (see `parseLock`). */
export function parseYamlLock(text: string, planFile?: string): Lock {
    // the line of an offset by binary search over the line starts (yaml's LineCounter): slicing
    // the text up to each key made a 10,000-instance lock take seconds to read
    const lines = new LineCounter();
    const lineOf = (offset: number | undefined) =>
        offset === undefined ? 1 : lines.linePos(offset).line;
    // keys are checked unique below, with a set: yaml's own check (`uniqueKeys`) compares each
    // key with every earlier one, seconds on a 10,000-instance lock
    const doc = parseDocument(text, {
        uniqueKeys: false,
        prettyErrors: false,
        lineCounter: lines
    });
    const twice = (key: string, line: number) =>
        new LockError(`\`${key}\` appears twice (a key is given once)`, line);
    if (doc.errors.length > 0) {
        const e = doc.errors[0];
        throw new LockError(e.message.split('\n')[0], lineOf(e.pos[0]));
    }
    const root = doc.contents;
    if (root === null || (isScalar(root) && (root.value === null || root.value === '')))
        throw new LockError('the lock is empty', 1);
    if (!isMap(root))
        throw new LockError(
            'a lock is a mapping with `plan`, `dcplan`, `shapes` and `placement`',
            lineOf(root.range?.[0])
        );
    let plan: string | undefined, version: string | undefined;
    const shapes = new Map<string, LockedShape>();
    const placement = new Map<string, string>();
    const shapeLines = new Map<string, number>(),
        placementLines = new Map<string, number>();
    let sawPlacement = false;
    const topKeys = new Set<string>();
    for (const pair of root.items) {
        const key = isScalar(pair.key) ? String(pair.key.value) : undefined;
        const value = pair.value;
        const at = lineOf(isScalar(pair.key) ? pair.key.range?.[0] : undefined);
        if (key !== undefined && topKeys.has(key)) throw twice(key, at);
        if (key !== undefined) topKeys.add(key);
        if (key === 'plan' || key === 'dcplan') {
            // a string, as `serialiseLock` writes it: `plan: 5` is not a file name, `dcplan: 1.0` not a version
            if (!isScalar(value) || typeof value.value !== 'string' || value.value === '')
                throw new LockError(
                    key === 'plan'
                        ? '`plan` is the name of the plan file the lock was written for (a string)'
                        : '`dcplan` is the dcplan version that wrote the lock (a string)',
                    lineOf(
                        value?.range?.[0] ?? (isScalar(pair.key) ? pair.key.range?.[0] : undefined)
                    )
                );
            if (key === 'plan') {
                plan = value.value;
                if (planFile !== undefined && plan !== planFile)
                    throw new LockError(writtenForText(plan, planFile), lineOf(value.range?.[0]));
            } else version = value.value;
        } else if (key === 'shapes') {
            if (isScalar(value) && value.value === null) continue;
            if (!isMap(value))
                throw new LockError('`shapes` maps each shape to { role, cores, memory_gib }', at);
            for (const p of value.items) {
                const line = lineOf(isScalar(p.key) ? p.key.range?.[0] : undefined);
                if (!isScalar(p.key) || typeof p.key.value !== 'string' || !isMap(p.value))
                    throw new LockError(
                        '`shapes` maps each shape to { role, cores, memory_gib }',
                        line
                    );
                const cores = p.value.get('cores'),
                    memoryGiB = p.value.get('memory_gib');
                if (
                    typeof cores !== 'number' ||
                    !(cores > 0) ||
                    typeof memoryGiB !== 'number' ||
                    !(memoryGiB > 0)
                ) {
                    throw new LockError(
                        `shape ${String(p.key.value)}: cores and memory_gib are positive numbers`,
                        line
                    );
                }
                const role: unknown = p.value.get('role');
                if (
                    role !== undefined &&
                    !(typeof role === 'string' && ROLES.includes(role as Role))
                )
                    throw new LockError(
                        `shape ${p.key.value}: role is ${ROLES.join(', ')} (or absent)`,
                        line
                    );
                if (shapes.has(p.key.value)) throw twice(p.key.value, line);
                shapes.set(p.key.value, {
                    ...(role !== undefined ? { role: role as Role } : {}),
                    cores,
                    memoryGiB
                });
                shapeLines.set(p.key.value, line);
            }
        } else if (key === 'placement') {
            sawPlacement = true;
            if (isScalar(value) && value.value === null) continue;
            if (!isMap(value))
                throw new LockError(
                    '`placement` maps each instance to its host (`instance: host`)',
                    at
                );
            for (const p of value.items) {
                const line = lineOf(isScalar(p.key) ? p.key.range?.[0] : undefined);
                // names are strings: `be-1: 5` (a number) or `be-1: true` names no host
                if (
                    !isScalar(p.key) ||
                    typeof p.key.value !== 'string' ||
                    !isScalar(p.value) ||
                    typeof p.value.value !== 'string'
                ) {
                    throw new LockError(
                        '`placement` maps each instance to its host (`instance: host`)',
                        line
                    );
                }
                if (placement.has(p.key.value)) throw twice(p.key.value, line);
                placement.set(p.key.value, p.value.value);
                placementLines.set(p.key.value, line);
            }
        }
    }
    if (!sawPlacement) throw new LockError('the lock has no `placement`', 1);
    return { plan, version, shapes, placement, shapeLines, placementLines };
}

/**
 * Why no lock may be written for `model`, or `undefined` when one may: a physical plan
 * (`platform = physical`) runs each instance as its own machine and places nothing on hosts,
 * so its lock would be empty and would replace the one of the virtual plan it was.
 */
export function lockRefusal(model: PlanModel): string | undefined {
    return model.settings.platform === 'physical'
        ? 'a physical plan places no VMs on hosts (platform = physical): no lock written'
        : undefined;
}
