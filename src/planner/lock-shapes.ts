/**
 * What a lock's `shapes` section says that the plan cannot use (issue 12, day 2): a shape the
 * plan does not have, or a shape the lock's placement runs but whose size the lock does not
 * record (then a change of its size, a rebuild, cannot be seen). Both are `placement-drift`
 * (info): the lock still holds, as the spec says of instances and hosts the plan no longer has.
 * The message names the lock's file (base name) and line.
 *
 * Pure: no I/O.
 */
import type { PlanModel } from './model.js';
import type { Lock } from './lock.js';
import { lockIndex } from './lock-index.js';
import { IssueCodes, type Finding, type FindingTarget } from './findings.js';
import { listNames } from './rules.js';

/** `a/b/plan.dcplan.lock` → `plan.dcplan.lock` (a path or URI). */
function baseName(file: string): string {
    return file.slice(Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\')) + 1);
}

/**
 * The `placement-drift` findings about `lock`'s `shapes` for `model` (see the module comment), on
 * `target` (the plan's name, else the first host's: `planTarget` in day2.ts; none without one),
 * each with `lockFile:line` (the base name of `lockFile`, `the lock` without one; the line of the
 * first entry concerned, when the lock was read from text). A lock with an empty `shapes`
 * section records no sizes at all and gets no finding for unrecorded shapes. Never throws.
 */
export function lockShapeFindings(
    model: PlanModel,
    lock: Lock,
    target: FindingTarget | undefined,
    lockFile?: string
): Finding[] {
    if (!target) return [];
    const file = lockFile !== undefined ? baseName(lockFile) : 'the lock';
    const at = (line: number | undefined) => (line !== undefined ? ` (${file}:${line})` : '');
    const out: Finding[] = [];
    const planShapes = new Set(model.shapes.map(s => s.name));
    const unknown = [...lock.shapes.keys()].filter(s => !planShapes.has(s));
    if (unknown.length > 0)
        out.push({
            code: IssueCodes.PlacementDrift,
            severity: 'info',
            target,
            message: `the lock records ${unknown.length === 1 ? 'a shape' : 'shapes'} the plan does not have: ${listNames(unknown)}${at(lock.shapeLines?.get(unknown[0]))}`
        });
    if (lock.shapes.size === 0) return out;
    // shapes the lock's placement runs (instances of the plan) without a recorded size, in lock order
    const { entryInstance } = lockIndex(model, lock);
    const unrecorded = new Map<string, string>();
    let e = 0;
    for (const inst of lock.placement.keys()) {
        const i = entryInstance[e++];
        if (i < 0) continue;
        const shape = model.instances[i].shape;
        if (!lock.shapes.has(shape) && !unrecorded.has(shape)) unrecorded.set(shape, inst);
    }
    if (unrecorded.size > 0) {
        const [first] = unrecorded.values();
        out.push({
            code: IssueCodes.PlacementDrift,
            severity: 'info',
            target,
            message: `the lock's placement runs ${unrecorded.size === 1 ? 'a shape' : 'shapes'} its \`shapes\` section does not record: ${listNames([...unrecorded.keys()])}${at(lock.placementLines?.get(first))}; a change of ${unrecorded.size === 1 ? 'its size' : 'their sizes'} cannot be seen (no rebuild is planned)`
        });
    }
    return out;
}
