/**
 * What a fix's result still places (spec, "Quick-fixes": a preferred fix places everything the
 * plan placed before). The plan and the changed model are both placed from nothing by the
 * planner's `place`, drained hosts emptied, as the capacity fixes judge their results.
 */
import { place } from '../../src/planner/placement.js';
import { withDrainedEmptied } from '../../src/planner/incremental.js';
import { expandInstances, type PlanModel } from '../../src/planner/model.js';

/**
 * Instances of `model` placed from nothing: per shape name, how many are left unplaced, and the
 * vCPUs its `runs` pins put above the hosts' usable ones (a raised count can make more pins bind).
 */
interface Placed {
    readonly byShape: Map<string, number>;
    readonly unplaced: number;
    readonly overcommittedCores: number;
}

function placedByShape(model: PlanModel): Placed {
    const placement = place(withDrainedEmptied(model));
    const byShape = new Map<string, number>();
    model.instances.forEach((inst, i) => {
        if (placement.hostOf[i] >= 0) byShape.set(inst.shape, (byShape.get(inst.shape) ?? 0) + 1);
    });
    const overcommittedCores = placement.overcommitted.reduce((a, o) => a + o.cores, 0);
    return { byShape, unplaced: placement.unplaced.length, overcommittedCores };
}

/** A fix's result against the plan's placement. */
export interface PlacementChange {
    /** vCPUs placed now and not after (`placementLost`). */
    readonly lost: number;
    /** More instances left unplaced after (an instance the fix adds that does not fit). */
    readonly moreUnplaced: boolean;
    /** More vCPUs pinned above hosts' usable ones after (a raise that makes more pins bind). */
    readonly moreOvercommitted: boolean;
}

/** The placement of each model the fixes of one analysis compare with (placed once). */
const placedNow = new WeakMap<PlanModel, Placed>();

/**
 * The vCPUs that `model` places and `changed` (the model after a fix) no longer does: per shape,
 * the instances placed before and not after, times the shape's cores in `model`. 0 when the fix
 * places everything the plan placed before. Counted per shape, so that a renumbering of the
 * instances or the planner's choice among alike instances does not count as a loss.
 */
export function placementLost(model: PlanModel, changed: PlanModel): number {
    return placementChange(model, changed).lost;
}

/**
 * What a fix's result does to the placement (see `placementLost`, `PlacementChange`).
 */
export function placementChange(model: PlanModel, changed: PlanModel): PlacementChange {
    let before = placedNow.get(model);
    if (!before) {
        before = placedByShape(model);
        placedNow.set(model, before);
    }
    const after = placedByShape(changed);
    let lost = 0;
    for (const [shape, n] of before.byShape) {
        const cores = model.shapes.find(s => s.name === shape)?.cores ?? 0;
        lost += Math.max(0, n - (after.byShape.get(shape) ?? 0)) * cores;
    }
    return {
        lost,
        moreUnplaced: after.unplaced > before.unplaced,
        moreOvercommitted: after.overcommittedCores > before.overcommittedCores + 1e-9
    };
}

/**
 * `placementChange` of `model` with its deployments' counts set to `counts` (one a deployment,
 * in `model.deployments` order): what a fix that raises deployment counts does to the placement
 * (the capacity raises, the second instance of `single-instance`).
 */
export function placementChangeWithCounts(
    model: PlanModel,
    counts: readonly number[]
): PlacementChange {
    return placementChange(model, {
        ...model,
        instances: expandInstances(
            model.shapes,
            model.deployments.map((d, k) => ({ ...d, count: counts[k] }))
        )
    });
}
