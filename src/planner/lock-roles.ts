/**
 * The roles and sizes of the shapes a lock recorded (issue 12, day 2), for the migration order.
 * A lock records each shape's role and size; in a lock written before roles were recorded, the
 * role of an instance the plan no longer deploys (a renamed or swapped shape) is inferred from
 * the plan's shapes.
 *
 * Pure: no I/O.
 */
import type { PlanModel } from './model.js';
import type { Lock } from './lock.js';
import { EPS, ROLE_INDEX } from './placement.js';

/**
 * The role (index) of each shape the lock recorded: the role it recorded (locks written since
 * roles are recorded); else, as the module comment says, the plan's shape of the same name; for a shape the plan no longer has, the one new plan shape (not in the lock)
 * of the same size, else the only new shape when exactly one lock shape is gone and one plan
 * shape is new. Shapes neither rule pairs are absent (their role is unknown).
 */
export function lockShapeRoles(model: PlanModel, lock: Lock): Map<string, number> {
    const planShapes = new Map<string, { r: number; cores: number; memoryGiB: number }>();
    for (const it of model.instances)
        planShapes.set(it.shape, {
            r: ROLE_INDEX[it.role],
            cores: it.cores,
            memoryGiB: it.memoryGiB
        });
    const out = new Map<string, number>();
    const gone: string[] = [];
    for (const [name, locked] of lock.shapes) {
        const p = planShapes.get(name);
        // the role the lock recorded is the one its instances run as
        if (locked.role) out.set(name, ROLE_INDEX[locked.role]);
        else if (p) out.set(name, p.r);
        if (!p) gone.push(name);
    }
    const fresh = [...planShapes.keys()].filter(n => !lock.shapes.has(n));
    const same = (a: { cores: number; memoryGiB: number }, b: typeof a) =>
        Math.abs(a.cores - b.cores) <= EPS && Math.abs(a.memoryGiB - b.memoryGiB) <= EPS;
    const paired = new Set<string>();
    for (const name of gone) {
        const size = lock.shapes.get(name)!;
        if (size.role) continue;
        const match = fresh.filter(n => same(planShapes.get(n)!, size));
        if (match.length === 1) {
            out.set(name, planShapes.get(match[0])!.r);
            paired.add(name).add(match[0]);
        }
    }
    const goneLeft = gone.filter(n => !paired.has(n) && !lock.shapes.get(n)!.role),
        freshLeft = fresh.filter(n => !paired.has(n));
    if (goneLeft.length === 1 && freshLeft.length === 1)
        out.set(goneLeft[0], planShapes.get(freshLeft[0])!.r);
    return out;
}

/** Whether the lock recorded instance `i`'s shape at another size than the plan's. */
export function resized(model: PlanModel, lock: Lock, i: number): boolean {
    const it = model.instances[i],
        s = lock.shapes.get(it.shape);
    return (
        s !== undefined &&
        (Math.abs(s.cores - it.cores) > EPS || Math.abs(s.memoryGiB - it.memoryGiB) > EPS)
    );
}

/** The size of instance `i` before it moves: the lock's size of its shape when the lock recorded one. */
export function lockedSize(
    model: PlanModel,
    lock: Lock,
    i: number
): { cores: number; memoryGiB: number } {
    const it = model.instances[i];
    return lock.shapes.get(it.shape) ?? { cores: it.cores, memoryGiB: it.memoryGiB };
}

/**
 * The sizes a shut-down or new instance's step says (`remove`, `stop`, `create`): `fromSize` for
 * one the lock runs (`name` its lock name; the size the lock recorded for its shape, the name
 * without `-N`: absent when it recorded none), `toSize` for a new one (its shape's size in the
 * plan). `i` is the instance's index in `model` (undefined for a removed one).
 */
export function dropOrCreateSize(
    model: PlanModel,
    lock: Lock,
    kind: 'remove' | 'stop' | 'create',
    name: string,
    i?: number
): {
    fromSize?: { cores: number; memoryGiB: number };
    toSize?: { cores: number; memoryGiB: number };
} {
    if (kind === 'create' && i !== undefined) {
        const it = model.instances[i];
        return { toSize: { cores: it.cores, memoryGiB: it.memoryGiB } };
    }
    const s =
        i !== undefined
            ? lockedSize(model, lock, i)
            : lock.shapes.get(name.replace(/-[0-9]+$/, ''));
    return s ? { fromSize: { cores: s.cores, memoryGiB: s.memoryGiB } } : {};
}
