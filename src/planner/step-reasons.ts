/**
 * Why each day-2 step is taken (`StepReason` of report.ts): the planner's reason of each move
 * (`PlannedMove.reason`, incremental.ts) carried onto the migration order's steps, and the one
 * reason of each other kind. The CLI, the JSON report and the preview show them; the words are
 * `formatStepReason`'s, so all three say the same.
 *
 * Pure: no I/O.
 */
import type { PlanModel } from './model.js';
import type { LockDelta, PlannedMove } from './incremental.js';
import type { MigrationOrder } from './migration.js';
import type { StepKind, StepReason } from './report.js';

/** The public name of a move's planner reason (the planner's own labels stay internal). */
const MOVE_REASON: Readonly<Record<PlannedMove['reason'], StepReason>> = {
    'host-gone': 'host-removed',
    drained: 'host-drained',
    overcommitted: 'host-overcommitted',
    resized: 'resized',
    pinned: 'pinned',
    placement: 'placement',
    rebalance: 'rebalance'
};

/** The reason of a step of a kind other than `move` (each has one). */
const KIND_REASON: Readonly<Record<Exclude<StepKind, 'move'>, StepReason>> = {
    remove: 'no-longer-deployed',
    stop: 'no-room',
    rebuild: 'resized',
    create: 'new'
};

/**
 * `order` with a `reason` on every step and blocked step: a move's (its temporary hop's too) the
 * reason of its instance's move in `delta` (`placement` for a move `delta` does not name, which
 * the planner never makes), every other kind its own (`KIND_REASON`). Never throws.
 */
export function withStepReasons(
    model: PlanModel,
    delta: LockDelta,
    order: MigrationOrder
): MigrationOrder {
    const byName = new Map<string, StepReason>();
    for (const m of delta.moves) {
        const it = model.instances[m.instance];
        if (it) byName.set(it.name, MOVE_REASON[m.reason]);
    }
    const reasonOf = (s: { kind: StepKind; instance: string }): StepReason =>
        s.kind === 'move' ? (byName.get(s.instance) ?? 'placement') : KIND_REASON[s.kind];
    return {
        ...order,
        steps: order.steps.map(s => ({ ...s, reason: reasonOf(s) })),
        blocked: order.blocked.map(b => ({ ...b, reason: reasonOf(b) }))
    };
}
