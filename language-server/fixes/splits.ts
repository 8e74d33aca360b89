/**
 * Split fixes (spec, "Quick-fixes"): `proxy-split`, `director-split`, `backend-split`, and the
 * split or `login_processes` fix of `login-idle-cores`; the split planning the ring merges of
 * `ring.ts` reuse.
 *
 * A split of a C-core shape into C′-core instances (spec): every count of the shape (`deploy`
 * and `runs` pins) × C/C′; `memory` and `local_disk` × C′/C rounded up to a whole GiB;
 * `login_processes = C′` when it was at least C, dropped when C′ = 1; a name ending in `_<C>c`
 * renamed to `_<C′>c` everywhere unless that name is taken. When the shape cannot be rewritten
 * consistently in place (a count that does not scale, the shape declared in an imported file or
 * used by another file, a split that concerns only some deployments), a new shape is made and
 * only the instances that should move are moved to it.
 */
import type { Deploy, Host, Pin, Shape } from '../generated/ast.js';
import { LIMITS } from '../values.js';
import { IssueCodes, type SplitChoice } from '../../src/planner/findings.js';
import type { Role, Shape as ModelShape } from '../../src/planner/model.js';
import { countOf, removePins, type Editor } from './editor.js';
import { applyChanges, isFix, ROLE_PLURAL, SPLIT_CODES, type Fix, type TextChange } from './fix.js';
import type { FixProviders } from './provider.js';

/** The result of planning a split (or merge) of one shape. */
interface SplitPlan {
    readonly changes: TextChange[];
    /** The shape the moved instances have now. */
    readonly targetName: string;
    /**
     * In place, a new shape made for the moved instances, or a shape the plan already has that
     * is just what they become (`identicalShape`).
     */
    readonly mode: 'in-place' | 'new-shape' | 'existing-shape';
    /** Instances of the old shape moved (old count) and what they became (new count). */
    readonly movedFrom: number;
    readonly movedTo: number;
    /** `runs` pins that did not scale: rounded up to whole C′-core instances, or removed. */
    readonly pins?: 'rounded' | 'removed';
}

/**
 * The attribute changes that turn shape `s` (C cores) into C′ cores, as changes of the text
 * `[base, …)` where the shape's offsets are shifted by `-shift` (0 for the shape itself, its
 * start for a copy).
 */
export function shapeAttributeChanges(
    e: Editor,
    s: { model: ModelShape; node: Shape },
    newCores: number,
    newName: string | undefined,
    element: string
): TextChange[] {
    const C = s.model.cores;
    const out: TextChange[] = [];
    out.push(...e.replace(e.prop(s.node, 'cores'), String(newCores), element));
    if (s.node.memory !== undefined)
        out.push(
            ...e.replace(
                e.prop(s.node, 'memory'),
                e.sizeText(s.node.memory, (s.model.memoryGiB * newCores) / C),
                element
            )
        );
    if (s.node.localDisk !== undefined && s.model.localDiskGiB !== undefined) {
        out.push(
            ...e.replace(
                e.prop(s.node, 'localDisk'),
                e.sizeText(s.node.localDisk, (s.model.localDiskGiB * newCores) / C),
                element
            )
        );
    }
    if (s.model.role !== 'backend') {
        if (newCores === 1) {
            if (s.node.loginProcesses !== undefined)
                out.push(
                    ...e.removeAttribute(s.node, 'login_processes', 'loginProcesses', element)
                );
        } else if (s.model.loginProcesses >= C) {
            if (s.node.loginProcesses !== undefined)
                out.push(...e.replace(e.prop(s.node, 'loginProcesses'), String(newCores), element));
            else
                out.push(...e.insertAttributes(s.node, [`login_processes = ${newCores}`], element));
        }
    }
    if (newName !== undefined && newName !== s.node.name)
        out.push(...e.replace(e.prop(s.node, 'name'), newName, element));
    return out;
}

/** The name a split gives: `_<C>c` → `_<C′>c`; `undefined` when the name has no such ending. */
export function renamed(name: string, cores: number, newCores: number): string | undefined {
    const m = /^(.*_)(\d+)c$/.exec(name);
    return m && Number(m[2]) === cores ? `${m[1]}${newCores}c` : undefined;
}

/** Login processes of a C′-core instance split from `m` (one per core where `m` had as many). */
function splitLogin(m: ModelShape, newCores: number): number {
    return newCores === 1 ? 1 : m.loginProcesses >= m.cores ? newCores : m.loginProcesses;
}

/** `gib` of a C-core instance scaled to C′ cores, rounded up to a whole GiB (at least 1). */
function splitGiB(gib: number, cores: number, newCores: number): number {
    return Math.max(1, Math.ceil((gib * newCores) / cores - 1e-9));
}

/**
 * The shape a split or merge of `s` into C′ cores can reuse instead of rewriting `s` or adding a
 * copy: the `_<C′>c` name, when a shape of that name was made by the running fix-all
 * (`FixContext.createdShapes`), is declared in this file and is what the rewrite would give
 * (role, cores, memory, local disk, login processes and mode). `undefined` otherwise.
 */
export function reusableShape(
    e: Editor,
    s: { model: ModelShape; node: Shape },
    newCores: number
): string | undefined {
    const name = renamed(s.model.name, s.model.cores, newCores);
    if (name === undefined || !(e.ctx.createdShapes?.has(name) ?? false)) return undefined;
    const t = e.shape(name);
    if (!t || !e.inMain(t.node) || (e.ctx.usedElsewhere?.(name) ?? false)) return undefined;
    const C = s.model.cores;
    const gib = (g: number) => splitGiB(g, C, newCores);
    const m = s.model;
    const same =
        t.model.role === m.role &&
        t.model.cores === newCores &&
        t.model.memoryGiB === (s.node.memory !== undefined ? gib(m.memoryGiB) : m.memoryGiB) &&
        t.model.localDiskGiB ===
            (m.localDiskGiB !== undefined && s.node.localDisk !== undefined
                ? gib(m.localDiskGiB)
                : m.localDiskGiB) &&
        (m.role === 'backend' ||
            (t.model.loginProcesses === splitLogin(m, newCores) &&
                t.model.loginMode === m.loginMode));
    return same ? name : undefined;
}

/**
 * A shape the plan already sees (its own or an imported one) that is exactly what splitting `s`
 * into C′-core instances makes — role, cores, memory and local disk in proportion (or rounded up
 * to whole GiB), login processes and mode — so that a split of an imported `proxy_4c` deploys the
 * imported `proxy_1c` rather than adding a copy of it. `undefined` when there is none.
 */
export function identicalShape(
    e: Editor,
    s: { model: ModelShape; node: Shape },
    newCores: number
): string | undefined {
    const m = s.model;
    const C = m.cores;
    const close = (a: number | undefined, b: number | undefined) =>
        a === undefined || b === undefined ? a === b : Math.abs(a - b) < 1e-9;
    const scaledSize = (g: number | undefined, given: boolean) =>
        g === undefined
            ? [undefined]
            : given
              ? [(g * newCores) / C, splitGiB(g, C, newCores)]
              : [g];
    const memories = scaledSize(m.memoryGiB, s.node.memory !== undefined);
    const disks = scaledSize(m.localDiskGiB, s.node.localDisk !== undefined);
    const login = splitLogin(m, newCores);
    return e.model.shapes.find(
        t =>
            t.name !== m.name &&
            t.role === m.role &&
            t.cores === newCores &&
            memories.some(g => close(t.memoryGiB, g)) &&
            disks.some(g => close(t.localDiskGiB, g)) &&
            (m.role === 'backend' || (t.loginProcesses === login && t.loginMode === m.loginMode))
    )?.name;
}

/** A free shape name derived from `name` for C′ cores. */
export function freshShapeName(e: Editor, name: string, cores: number, newCores: number): string {
    const taken = e.shapeNames();
    const base = renamed(name, cores, newCores) ?? `${name}_${newCores}c`;
    if (!taken.has(base)) return base;
    for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

/**
 * Plans the split of shape `shapeName` into `newCores`-core instances for the deployments of
 * `scope` (default: every deployment of the shape in the main file). Counts scale by C/C′.
 * Returns `undefined` when nothing can move without changing what the plan means.
 *
 * `roundPins` (ring merges): a `runs` pin of m × C-core whose count does not scale (1 × 1-core
 * into 3-core directors) does not block the in-place rewrite. A pin says "this host runs these
 * instances of the role"; the most faithful whole-instance rewrite is ⌈m·C/C′⌉ × C′-core: every
 * pinned host keeps running the role, with at least the cores it pinned, and the total stays
 * within what the merge deploys. It is chosen when the rounded pins fit in the merged instances
 * and no host gets more pinned cores or memory than it can hold (that it did not already have);
 * otherwise every pin of the shape is removed (the planner places the instances). Either way the
 * plan says so (`pins`) and the fix's title names it.
 */
function planSplit(
    e: Editor,
    shapeName: string,
    newCores: number,
    scope?: readonly Deploy[],
    roundPins = false
): SplitPlan | undefined {
    const s = e.shape(shapeName);
    if (!s || (e.ctx.pinnedElsewhere?.(shapeName) ?? false)) return undefined;
    const C = s.model.cores;
    if (newCores === C || newCores < 1) return undefined;
    const scales = (n: number) => (n * C) % newCores === 0;
    const scaled = (n: number) => (n * C) / newCores;
    const deploys = e.deploysOf(shapeName);
    const inScope = scope ? deploys.filter(d => scope.includes(d)) : deploys;
    const pins = e.pinsOf(shapeName);
    const shapeElement = 'shape:' + shapeName;
    const totalInstances = e.model.deployments
        .filter(d => d.shape === shapeName)
        .reduce((a, d) => a + d.count, 0);
    // no split past the spec's limits (a deployment, a plan): the fixed file would not check
    const after = Math.ceil((totalInstances * C) / newCores);
    if (
        after > LIMITS.instancesPerDeployment ||
        e.model.instances.length - totalInstances + after > LIMITS.instancesPerPlan
    )
        return undefined;

    const consistent =
        e.inMain(s.node) &&
        !(e.ctx.usedElsewhere?.(shapeName) ?? false) &&
        inScope.length === deploys.length &&
        deploys.every(d => countOf(d.count) !== undefined && scales(countOf(d.count)!)) &&
        pins.every(
            p => countOf(p.pin.count) !== undefined && (roundPins || scales(countOf(p.pin.count)!))
        ) &&
        e.model.deployments.filter(d => d.shape === shapeName).reduce((a, d) => a + d.count, 0) ===
            deploys.reduce((a, d) => a + (countOf(d.count) ?? 0), 0);
    const changes: TextChange[] = [];

    if (consistent) {
        const proposed = renamed(shapeName, C, newCores);
        const reuse = reusableShape(e, s, newCores);
        const newName =
            reuse ??
            (proposed !== undefined && !e.shapeNames().has(proposed) ? proposed : shapeName);
        // Reusing a shape the run made: the old declaration stays as the user wrote it (undeployed).
        if (reuse === undefined)
            changes.push(...shapeAttributeChanges(e, s, newCores, newName, shapeElement));
        let from = 0;
        let to = 0;
        for (const d of deploys) {
            const n = countOf(d.count)!;
            from += n;
            to += scaled(n);
            changes.push(...e.replace(e.prop(d, 'count'), String(scaled(n)), e.key(d)));
            if (newName !== shapeName)
                changes.push(...e.replace(e.prop(d, 'shape'), newName, e.key(d)));
        }
        const allScale = pins.every(p => scales(countOf(p.pin.count)!));
        const pinCount = (m: number) => (allScale ? scaled(m) : Math.ceil((m * C) / newCores));
        const keepPins = allScale || roundedPinsFit(e, shapeName, pins, pinCount, newCores, to);
        if (keepPins) {
            for (const p of pins) {
                changes.push(
                    ...e.replace(
                        e.prop(p.pin, 'count'),
                        String(pinCount(countOf(p.pin.count)!)),
                        e.key(p.pin)
                    )
                );
                if (newName !== shapeName)
                    changes.push(...e.replace(e.prop(p.pin, 'shape'), newName, e.key(p.pin)));
            }
        } else {
            const byBlock = new Map<Host, Set<Pin>>();
            for (const p of pins)
                byBlock.set(p.block, (byBlock.get(p.block) ?? new Set()).add(p.pin));
            for (const [block, remove] of byBlock) changes.push(...removePins(e, block, remove));
        }
        return {
            changes,
            targetName: newName,
            mode: 'in-place',
            movedFrom: from,
            movedTo: to,
            pins: allScale ? undefined : keepPins ? 'rounded' : 'removed'
        };
    }

    // A new shape for the instances that can move; the rest keep the old one.
    const movable = inScope.filter(
        d => countOf(d.count) !== undefined && scales(countOf(d.count)!)
    );
    if (movable.length === 0) return undefined;
    const made = reusableShape(e, s, newCores);
    const existing = made === undefined ? identicalShape(e, s, newCores) : undefined;
    const reuse = made ?? existing;
    const newName = reuse ?? freshShapeName(e, shapeName, C, newCores);
    const movedFrom = movable.reduce((a, d) => a + countOf(d.count)!, 0);
    const movedTo = movable.reduce((a, d) => a + scaled(countOf(d.count)!), 0);
    const remaining = totalInstances - movedFrom;
    // Pins: move those that scale while the new shape has instances for them; the rest must
    // still fit in what is left of the old shape.
    let pinnedNew = 0;
    let pinnedOld = 0;
    const movedPins: typeof pins = [];
    for (const p of pins) {
        const m = countOf(p.pin.count);
        if (m === undefined) continue;
        if (scales(m) && pinnedNew + scaled(m) * p.hosts <= movedTo) {
            pinnedNew += scaled(m) * p.hosts;
            movedPins.push(p);
        } else {
            pinnedOld += m * p.hosts;
        }
    }
    if (pinnedOld > remaining) return undefined;

    // The new shape's text: a copy of the old block with its attributes changed, after it; or,
    // for a shape of an imported file, a new one-line block before the first moved deployment.
    if (reuse !== undefined) {
        // The run already made this shape, or the plan has one just like it: the moved
        // instances go to it.
    } else if (e.inMain(s.node) && s.node.$cstNode) {
        const block = s.node.$cstNode;
        const attrChanges = shapeAttributeChanges(e, s, newCores, newName, shapeElement).map(c => ({
            ...c,
            start: c.start - block.offset,
            end: c.end - block.offset
        }));
        const copy = applyChanges(e.text.slice(block.offset, block.end), attrChanges);
        const at = e.lineEnd(block.end);
        changes.push({
            start: at,
            end: at,
            newText: e.eol + e.indentAt(block.offset) + copy,
            element: shapeElement
        });
    } else {
        const m = s.model;
        const mem = e.sizeText('', (m.memoryGiB * newCores) / C);
        const attrs = [`role = ${m.role}`, `cores = ${newCores}`, `memory = ${mem}`];
        if (m.role !== 'backend') {
            const lp =
                newCores === 1
                    ? undefined
                    : m.loginProcesses >= C
                      ? newCores
                      : m.loginProcessesSet
                        ? m.loginProcesses
                        : undefined;
            if (lp !== undefined) attrs.push(`login_processes = ${lp}`);
            if (m.loginMode === 'security') attrs.push('login_mode = security');
        }
        if (m.localDiskGiB !== undefined)
            attrs.push(`local_disk = ${e.sizeText('', (m.localDiskGiB * newCores) / C)}`);
        const first = movable[0].$cstNode!;
        const at = e.lineStart(first.offset);
        changes.push({
            start: at,
            end: at,
            newText: `shape ${newName} { ${attrs.join('  ')} }${e.eol}`,
            element: shapeElement
        });
    }
    for (const d of movable) {
        changes.push(...e.replace(e.prop(d, 'count'), String(scaled(countOf(d.count)!)), e.key(d)));
        changes.push(...e.replace(e.prop(d, 'shape'), newName, e.key(d)));
    }
    for (const p of movedPins) {
        changes.push(
            ...e.replace(
                e.prop(p.pin, 'count'),
                String(scaled(countOf(p.pin.count)!)),
                e.key(p.pin)
            )
        );
        changes.push(...e.replace(e.prop(p.pin, 'shape'), newName, e.key(p.pin)));
    }
    return {
        changes,
        targetName: newName,
        mode: existing === undefined ? 'new-shape' : 'existing-shape',
        movedFrom,
        movedTo
    };
}

/**
 * True when the pins of `shapeName`, rewritten to `count(m)` × C′-core, pin at most `instances`
 * in all and leave every host within its usable cores and memory (or no fuller than it was).
 */
function roundedPinsFit(
    e: Editor,
    shapeName: string,
    pins: { pin: Pin; hosts: number }[],
    count: (m: number) => number,
    newCores: number,
    instances: number
): boolean {
    if (pins.reduce((a, p) => a + count(countOf(p.pin.count)!) * p.hosts, 0) > instances)
        return false;
    const old = e.shape(shapeName)!.model;
    const newMemory = splitGiB(old.memoryGiB, old.cores, newCores);
    return e.model.hosts.every((h, i) => {
        const block = e.ctx.analysis.built.sources.hosts[i].block;
        let cores = 0,
            memory = 0,
            newCoresSum = 0,
            newMemorySum = 0;
        for (const p of h.pins) {
            const s = e.model.shapes.find(x => x.name === p.shape);
            if (!s) continue;
            cores += p.count * s.cores;
            memory += p.count * s.memoryGiB;
            if (p.shape === shapeName) {
                const n = count(countOf(block.pins[p.pinIndex]?.count) ?? p.count);
                newCoresSum += n * newCores;
                newMemorySum += n * newMemory;
            } else {
                newCoresSum += p.count * s.cores;
                newMemorySum += p.count * s.memoryGiB;
            }
        }
        return (
            (newCoresSum <= h.usableCores || newCoresSum <= cores) &&
            (newMemorySum <= h.usableMemoryGiB || newMemorySum <= memory)
        );
    });
}

/** "12 × 1-core proxies" */
export function splitText(count: number, cores: number, role: Role): string {
    return `${count} × ${cores}-core ${count === 1 ? role : ROLE_PLURAL[role]}`;
}

/** The title and fix of one split choice. */
export function splitFix(
    e: Editor,
    code: string,
    shapeName: string,
    choice: SplitChoice,
    preferred: boolean,
    scope?: readonly Deploy[],
    verb = 'Split into'
): Fix | undefined {
    const s = e.shape(shapeName);
    if (!s) return undefined;
    const plan = planSplit(
        e,
        shapeName,
        choice.cores,
        scope,
        code === IssueCodes.DirectorRingTooLarge
    );
    if (!plan) return undefined;
    // A split multiplies the instances once, by what the diagnostic asked: never more instances
    // than its choice names (`count`, when it names one), never more cores than were moved.
    if (
        (choice.count > 0 && plan.movedTo > choice.count) ||
        plan.movedTo * choice.cores > plan.movedFrom * s.model.cores
    )
        return undefined;
    const role = s.model.role;
    const counts = e.roleCounts(role);
    const old = counts.get(shapeName) ?? { cores: s.model.cores, count: 0 };
    counts.set(shapeName, { cores: old.cores, count: old.count - plan.movedFrom });
    const target = counts.get(plan.targetName);
    counts.set(plan.targetName, {
        cores: choice.cores,
        count: (target && plan.targetName !== shapeName ? target.count : 0) + plan.movedTo
    });
    const impact = e.impactAfter(counts);
    const partial =
        plan.mode === 'in-place'
            ? ''
            : plan.movedFrom === old.count
              ? `; as ${plan.mode === 'new-shape' ? 'new' : 'the existing'} shape ${plan.targetName}`
              : `; ${plan.mode === 'new-shape' ? 'new' : 'existing'} shape ${plan.targetName} for ${plan.movedFrom} of the ${old.count} instances of ${shapeName}`;
    const pinNote =
        plan.pins === 'rounded'
            ? `; pins rounded up to whole ${choice.cores}-core ${ROLE_PLURAL[role]}`
            : plan.pins === 'removed'
              ? `; pins of ${shapeName} removed`
              : '';
    return {
        title: `${verb} ${splitText(plan.movedTo, choice.cores, role)} (maintenance impact ${impact}${partial}${pinNote})`,
        code,
        preferred,
        split: SPLIT_CODES.has(code),
        changes: plan.changes,
        claims: plan.targetName !== shapeName ? ['shape:' + plan.targetName] : undefined
    };
}

function splitFixes(
    e: Editor,
    code: string,
    shapeName: string | undefined,
    splits: readonly SplitChoice[] | undefined
): Fix[] {
    const out: Fix[] = [];
    if (shapeName === undefined) return out;
    for (const choice of splits ?? []) {
        const f = splitFix(e, code, shapeName, choice, choice.preferred);
        if (f) out.push(f);
    }
    return out;
}

/**
 * `login-idle-cores`: for a proxy of a virtual plan, the split into 1-core proxies (preferred)
 * and `login_processes = C`; else `login_processes = C` (preferred).
 */
function loginFixes(e: Editor, name: string | undefined): Fix[] {
    if (name === undefined) return [];
    const s = e.shape(name);
    if (!s || !e.inMain(s.node)) {
        // An imported shape: only the split (which makes a new shape here) can help.
        return s?.model.role === 'proxy'
            ? [
                  splitFix(
                      e,
                      IssueCodes.LoginIdleCores,
                      name,
                      { count: 0, cores: 1, preferred: true },
                      true
                  )
              ].filter(isFix)
            : [];
    }
    const cores = s.model.cores;
    const element = 'shape:' + name;
    const set: Fix = {
        title: `Set login_processes = ${cores} on ${name} (one login process per core)`,
        code: IssueCodes.LoginIdleCores,
        preferred: s.model.role === 'director',
        split: false,
        changes:
            s.node.loginProcesses !== undefined
                ? e.replace(e.prop(s.node, 'loginProcesses'), String(cores), element)
                : e.insertAttributes(s.node, [`login_processes = ${cores}`], element)
    };
    // Physical plans have no VM split (a 1-core physical proxy is outside the page's range).
    if (s.model.role !== 'proxy' || e.model.settings.platform !== 'virtual')
        return [{ ...set, preferred: true }];
    const split = splitFix(
        e,
        IssueCodes.LoginIdleCores,
        name,
        { count: 0, cores: 1, preferred: true },
        true
    );
    return split ? [split, set] : [{ ...set, preferred: true }];
}

/** The split family: `proxy-split`, `director-split`, `backend-split` and `login-idle-cores`. */
export const splitFixProviders: FixProviders<
    'proxy-split' | 'director-split' | 'backend-split' | 'login-idle-cores'
> = {
    'proxy-split': (e, data) => splitFixes(e, IssueCodes.ProxySplit, data.shape, data.splits),
    'director-split': (e, data) => splitFixes(e, IssueCodes.DirectorSplit, data.shape, data.splits),
    'backend-split': (e, data) => splitFixes(e, IssueCodes.BackendSplit, data.shape, data.splits),
    'login-idle-cores': (e, data) => loginFixes(e, data.shape)
};
