/**
 * `runs` pins and instance naming, shared by `place` and the exact solver: shape ids by name,
 * the pins resolved to instances, and a `PlacementResult` from counts per (shape, host). Pure.
 */
import { ROLE_INDEX, type PlanModel } from './model.js';
import { EPS } from './objective.js';
import type { PinExcess, PlacementResult } from './placement-types.js';

/**
 * The shape ids, pins and free counts of a plan, shared by `place` and the exact solver.
 * Shapes get ids by name (sorted), so input order does not matter; `byShape[s]` lists the
 * instance indices of shape s by number; pins take the lowest-numbered instances, hosts in model
 * order, pins in list order. `free[s]` counts the instances of s left for the planner.
 * Units: vCPUs and GiB.
 */
export interface PinnedPlan {
    readonly shapeNames: readonly string[];
    readonly S: number;
    readonly sC: Float64Array;
    readonly sM: Float64Array;
    readonly sRole: Int32Array;
    readonly byShape: readonly (readonly number[])[];
    readonly pinned: readonly (readonly number[])[];
    /** pinCount[s * H + h]: instances of shape s pinned on host h. */
    readonly pinCount: Int32Array;
    readonly pinCursor: Int32Array;
    readonly pinC: Float64Array;
    readonly pinM: Float64Array;
    readonly pinExcess: readonly PinExcess[];
    readonly overcommitted: readonly { host: number; cores: number; memoryGiB: number }[];
    readonly free: readonly number[];
}

/** Resolves the pins of a (virtual) plan: see `PinnedPlan`. Never throws. */
export function resolvePins(model: PlanModel): PinnedPlan {
    const n = model.instances.length;
    const H = model.hosts.length;
    const inst = model.instances;
    // the instances of one deployment come together: the last name looked up is cached. A first
    // pass counts per shape (lists allocated at their size: pushing tens of thousands of
    // indices costs several times more), the second fills them in index order; a list is sorted
    // by number unless a number goes down in it
    interface Run {
        list: number[];
        fill: number;
        cores: number;
        memoryGiB: number;
        role: number;
        lastNumber: number;
        unsorted: boolean;
    }
    const runs = new Map<string, Run>();
    for (let i = 0, last: string | undefined, run: Run | undefined; i < n; i++) {
        const name = inst[i].shape;
        if (name !== last) {
            last = name;
            run = runs.get(name);
            if (run === undefined) {
                run = {
                    list: [],
                    fill: 0,
                    cores: 0,
                    memoryGiB: 0,
                    role: 0,
                    lastNumber: -Infinity,
                    unsorted: false
                };
                runs.set(name, run);
            }
        }
        run!.fill++;
    }
    for (const run of runs.values()) {
        run.list = new Array<number>(run.fill);
        run.fill = 0;
    }
    for (let i = 0, last: string | undefined, run: Run | undefined; i < n; i++) {
        const it = inst[i];
        if (it.shape !== last) {
            last = it.shape;
            run = runs.get(last)!;
            run.cores = it.cores;
            run.memoryGiB = it.memoryGiB;
            run.role = ROLE_INDEX[it.role];
        }
        if (it.number < run!.lastNumber) run!.unsorted = true;
        run!.lastNumber = it.number;
        run!.list[run!.fill++] = i;
    }
    const shapeNames = [...runs.keys()].sort(compareStrings);
    const shapeId = new Map(shapeNames.map((s, k) => [s, k]));
    const S = shapeNames.length;
    const sC = new Float64Array(S),
        sM = new Float64Array(S),
        sRole = new Int32Array(S);
    const byShape: number[][] = new Array<number[]>(S);
    const unsorted = new Uint8Array(S);
    for (let s = 0; s < S; s++) {
        const run = runs.get(shapeNames[s])!;
        byShape[s] = run.list;
        sC[s] = run.cores;
        sM[s] = run.memoryGiB;
        sRole[s] = run.role;
        unsorted[s] = run.unsorted ? 1 : 0;
    }
    const byNumber = (a: number, b: number) => inst[a].number - inst[b].number || a - b;
    for (let s = 0; s < S; s++) if (unsorted[s]) byShape[s].sort(byNumber);

    const pinned: number[][] = [];
    const pinExcess: PinExcess[] = [];
    const pinCursor = new Int32Array(S);
    const pinCount = new Int32Array(S * H);
    const pinC = new Float64Array(H),
        pinM = new Float64Array(H);
    for (let h = 0; h < H; h++) {
        const list: number[] = [];
        for (const pin of model.hosts[h].pins) {
            const s = shapeId.get(pin.shape);
            const left = s === undefined ? 0 : byShape[s].length - pinCursor[s];
            const take = Math.max(0, Math.min(pin.count, left));
            if (pin.count > left)
                pinExcess.push({
                    host: h,
                    pinIndex: pin.pinIndex,
                    shape: pin.shape,
                    asked: pin.count,
                    available: left
                });
            if (s === undefined) continue;
            for (let k = 0; k < take; k++) {
                const i = byShape[s][pinCursor[s]++];
                list.push(i);
                pinCount[s * H + h]++;
                pinC[h] += sC[s];
                pinM[h] += sM[s];
            }
        }
        pinned.push(list);
    }
    const overcommitted: { host: number; cores: number; memoryGiB: number }[] = [];
    for (let h = 0; h < H; h++) {
        const host = model.hosts[h];
        if (pinC[h] > host.usableCores + EPS || pinM[h] > host.usableMemoryGiB + EPS) {
            overcommitted.push({ host: h, cores: pinC[h], memoryGiB: pinM[h] });
        }
    }
    const free = byShape.map((list, s) => list.length - pinCursor[s]);
    return {
        shapeNames,
        S,
        sC,
        sM,
        sRole,
        byShape,
        pinned,
        pinCount,
        pinCursor,
        pinC,
        pinM,
        pinExcess,
        overcommitted,
        free
    };
}

/**
 * A `PlacementResult` from counts of free (unpinned) instances per (shape id, host) with the
 * planner's naming rule: the lowest free numbers of a shape go to the first hosts, the highest
 * stay out. `count(s, h)` must not exceed what fits; the totals per shape must not exceed
 * `pp.free[s]` (extra counts are ignored). Never throws.
 */
export function placementFromCounts(
    model: PlanModel,
    pp: PinnedPlan,
    count: (s: number, h: number) => number
): PlacementResult {
    const H = model.hosts.length;
    const { S, sC, sM, byShape, pinned, pinCursor } = pp;
    const n = model.instances.length;
    const hostOf = new Array<number>(n).fill(-1);
    const isPinned = new Uint8Array(n);
    for (let h = 0; h < H; h++)
        for (const i of pinned[h]) {
            hostOf[i] = h;
            isPinned[i] = 1;
        }
    for (let s = 0; s < S; s++) {
        let k = pinCursor[s];
        const list = byShape[s];
        for (let h = 0; h < H && k < list.length; h++) {
            const c = Math.min(count(s, h), list.length - k);
            for (let j = 0; j < c; j++) hostOf[list[k++]] = h;
        }
    }
    // one pass in index order: byHost and unplaced come out ascending without sorting
    const unplaced: number[] = [];
    const rest: number[][] = new Array<number[]>(H);
    for (let h = 0; h < H; h++) rest[h] = [];
    for (let i = 0; i < n; i++) {
        const h = hostOf[i];
        if (h < 0) unplaced.push(i);
        else if (!isPinned[i]) rest[h].push(i);
    }
    const byHost = pinned.map((p, h) => (p.length > 0 ? p.concat(rest[h]) : rest[h]));

    let unplacedReason: PlacementResult['unplacedReason'] = null;
    if (unplaced.length > 0) {
        const over = new Set(pp.overcommitted.map(o => o.host));
        let needC = 0,
            needM = 0,
            haveC = 0,
            haveM = 0;
        for (let s = 0; s < S; s++) {
            needC += pp.free[s] * sC[s];
            needM += pp.free[s] * sM[s];
        }
        for (let h = 0; h < H; h++) {
            const host = model.hosts[h];
            if (!over.has(h) && host.usableCores > 0) {
                haveC += host.usableCores - pp.pinC[h];
                haveM += host.usableMemoryGiB - pp.pinM[h];
            }
        }
        unplacedReason =
            needC > haveC + EPS || needM > haveM + EPS ? 'total-short' : 'fragmentation';
    }
    return {
        hostOf,
        byHost,
        pinned: pp.pinned,
        unplaced,
        unplacedReason,
        overcommitted: pp.overcommitted,
        pinExcess: pp.pinExcess
    };
}

/** Locale-independent string order (code units), so sorting is the same everywhere. */
export function compareStrings(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
