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

function placedByShape(model: PlanModel, exactFallback?: false): Placed {
    const placement = place(withDrainedEmptied(model), { exactFallback });
    const byShape = new Map<string, number>();
    model.instances.forEach((inst, i) => {
        if (placement.hostOf[i] >= 0) byShape.set(inst.shape, (byShape.get(inst.shape) ?? 0) + 1);
    });
    const overcommittedCores = placement.overcommitted.reduce((a, o) => a + o.cores, 0);
    return { byShape, unplaced: placement.unplaced.length, overcommittedCores };
}

/** A fix's result against the plan's placement. */
export interface PlacementChange {
    /** vCPUs placed now and not after (per shape, as `placementLostShown` counts them). */
    readonly lost: number;
    /** More instances left unplaced after (an instance the fix adds that does not fit). */
    readonly moreUnplaced: boolean;
    /** More vCPUs pinned above hosts' usable ones after (a raise that makes more pins bind). */
    readonly moreOvercommitted: boolean;
}

/** The placement of each model the fixes of one analysis compare with (placed once). */
const placedNow = new WeakMap<PlanModel, Placed>();

/** The cached placement of `model` (see `placedNow`). */
function placedBefore(model: PlanModel): Placed {
    let before = placedNow.get(model);
    if (!before) {
        before = placedByShape(model);
        placedNow.set(model, before);
    }
    return before;
}

/** Whether the heuristic alone places as many instances of `model` as `place` (with the fallback) does, once a model. */
const easyNow = new WeakMap<PlanModel, boolean>();
function heuristicPlacesAll(model: PlanModel): boolean {
    let easy = easyNow.get(model);
    if (easy === undefined) {
        easy = placedByShape(model, false).unplaced <= placedBefore(model).unplaced;
        easyNow.set(model, easy);
    }
    return easy;
}

/**
 * The vCPUs that `model` places and `changed` (the model after a fix) no longer does, as a fix's
 * title says it: per shape, the instances placed before and not after, times the shape's cores in
 * `model` (0 when the fix places everything the plan placed before; counted per shape, so that a
 * renumbering or the planner's choice among alike instances is no loss). Where the hosts'
 * usable vCPUs after the fix fall below the vCPUs placed now (no pin overcommitting) on a plan the
 * heuristic alone cannot place as `place` does, the loss is certain and its bound, that
 * difference, is given (`atLeast`) without placing `changed`; where their usable memory does,
 * `memoryShortGiB` says by how much (`vCPUs` 0, `atLeast`): on such a plan each judged fix cost a
 * solve (a newcomer's 200-VM plan: 11 hosts without a reserve, `dcplan fix` 17 s).
 */
export function placementLostShown(
    model: PlanModel,
    changed: PlanModel
): { readonly vCPUs: number; readonly atLeast: boolean; readonly memoryShortGiB?: number } {
    const before = placedBefore(model);
    if (before.overcommittedCores === 0) {
        let cores = 0,
            memory = 0;
        for (const [shape, n] of before.byShape) {
            const s = model.shapes.find(x => x.name === shape);
            cores += n * (s?.cores ?? 0);
            memory += n * (s?.memoryGiB ?? 0);
        }
        const hosts = withDrainedEmptied(changed).hosts;
        const coresShort = cores - hosts.reduce((a, h) => a + h.usableCores, 0);
        const memoryShort = memory - hosts.reduce((a, h) => a + h.usableMemoryGiB, 0);
        // a certain loss: its bound where only the exact fallback places the plan (a solve per
        // judged fix), the exact figure where the heuristic does (a placement is cheap)
        if ((coresShort > 1e-9 || memoryShort > 1e-9) && !heuristicPlacesAll(model))
            return coresShort > 1e-9
                ? { vCPUs: coresShort, atLeast: true }
                : { vCPUs: 0, atLeast: true, memoryShortGiB: memoryShort };
    }
    return { vCPUs: placementChange(model, changed).lost, atLeast: false };
}

/** What a fix's result does to the placement (see `PlacementChange`). */
export function placementChange(model: PlanModel, changed: PlanModel): PlacementChange {
    const before = placedBefore(model);
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
