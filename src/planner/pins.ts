/**
 * `runs` pins and instance naming, shared by `place` and the exact solver: shape ids by name,
 * the pins resolved to instances, and a `PlacementResult` from counts per (shape, host). Pure.
 */
import { ROLE_INDEX, type PlanModel } from './model.js';
import { EPS } from './objective.js';
import type { PinExcess, PinPreference, PlacementResult } from './placement-types.js';

/**
 * The shape ids, pins and free counts of a plan, shared by `place` and the exact solver.
 * Shapes get ids by name (sorted), so input order does not matter. Pins take, hosts in model
 * order and pins in list order, as many instances of their shape as are left: the lowest-numbered
 * ones, or with a lock's `PinPreference` those it already has on the pinned host first (see
 * `resolvePins`). `byShape[s]` lists the instance indices of shape s: the pinned ones first
 * (`pinCursor[s]` of them, in the order of `pinned`), then the free ones by number (without a
 * lock the whole list is by number). `free[s]` counts the instances of s left for the planner.
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

/**
 * Resolves the pins of a (virtual) plan: see `PinnedPlan`. How many instances each pin takes
 * never depends on `prefer`; which ones does. Without `prefer`, each pin takes the
 * lowest-numbered instances not yet pinned. With it (day 2, a lock), a pin on host h takes first
 * the instances of its shape the lock has on h (for every pin before any takes others), then
 * those that cost no move of their own (new, or leaving their locked host anyway: gone, drained,
 * overcommitted), then the lowest-numbered; so a pin that writes down what runs moves nothing.
 * `prefer` is indexed like `model.instances` and `model.hosts`. Never throws.
 */
export function resolvePins(model: PlanModel, prefer?: PinPreference): PinnedPlan {
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

    const pinExcess: PinExcess[] = [];
    const pinCursor = new Int32Array(S);
    const pinCount = new Int32Array(S * H);
    const pinC = new Float64Array(H),
        pinM = new Float64Array(H);
    // how many each pin takes: hosts in model order, pins in list order, while instances are left
    const takes: PinTake[] = [];
    for (let h = 0; h < H; h++) {
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
            if (s === undefined || take === 0) continue;
            takes.push({ h, s, take });
            pinCursor[s] += take;
            pinCount[s * H + h] += take;
            // added one by one, as the instances are, so the sums are the same to the last bit
            for (let k = 0; k < take; k++) {
                pinC[h] += sC[s];
                pinM[h] += sM[s];
            }
        }
    }
    // which instances: the lowest-numbered, or those a lock prefers (`choosePreferred`); the
    // pinned ones then lead their shape's list, so `byShape[s]` from `pinCursor[s]` is the free ones
    const chosen = prefer
        ? choosePreferred(byShape, takes, prefer, S, byNumber)
        : lowestNumbered(byShape, takes, S);
    const pinned: number[][] = Array.from({ length: H }, () => []);
    // loops, not push(...list): a pin may take hundreds of thousands of instances (stack limit)
    takes.forEach((t, k) => {
        for (const i of chosen[k]) pinned[t.h].push(i);
    });
    if (prefer) {
        const lead: number[][] = Array.from({ length: S }, () => []);
        takes.forEach((t, k) => {
            for (const i of chosen[k]) lead[t.s].push(i);
        });
        for (let s = 0; s < S; s++) {
            if (lead[s].length === 0) continue;
            const taken = new Set(lead[s]);
            byShape[s] = lead[s].concat(byShape[s].filter(i => !taken.has(i)));
        }
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

/** One pin's share: `take` instances of shape id `s` on host `h`. */
interface PinTake {
    readonly h: number;
    readonly s: number;
    readonly take: number;
}

/** Per take, the next `take` instances of its shape by number (the rule without a lock). */
function lowestNumbered(
    byShape: readonly (readonly number[])[],
    takes: readonly PinTake[],
    S: number
): number[][] {
    const cursor = new Int32Array(S);
    return takes.map(t => byShape[t.s].slice(cursor[t.s], (cursor[t.s] += t.take)));
}

/**
 * Per take, the instances a lock prefers (`PinPreference`), each take's in number order: first,
 * for every take, the instances the lock has on its host (they stay where they run); then, in
 * take order, the costless ones (new, or leaving their host anyway); then the lowest-numbered.
 * In three passes so that one host's pin does not take what the lock has on another pinned host.
 * Linear in the instances of the pinned shapes plus the takes.
 */
function choosePreferred(
    byShape: readonly (readonly number[])[],
    takes: readonly PinTake[],
    prefer: PinPreference,
    S: number,
    byNumber: (a: number, b: number) => number
): number[][] {
    const out = takes.map((): number[] => []);
    const used = new Set<number>();
    // per shape with a pin: its instances by locked host, in number order
    const onHost: Map<number, number[]>[] = Array.from({ length: S }, () => new Map());
    const pinnedShape = new Uint8Array(S);
    for (const t of takes) pinnedShape[t.s] = 1;
    for (let s = 0; s < S; s++) {
        if (!pinnedShape[s]) continue;
        for (const i of byShape[s]) {
            const h = prefer.lockedOn[i];
            if (h < 0) continue;
            const list = onHost[s].get(h);
            if (list) list.push(i);
            else onHost[s].set(h, [i]);
        }
    }
    takes.forEach((t, k) => {
        const here = onHost[t.s].get(t.h) ?? [];
        // a second pin of the shape on the host continues where the first stopped
        for (const i of here) {
            if (out[k].length === t.take) break;
            if (used.has(i)) continue;
            used.add(i);
            out[k].push(i);
        }
    });
    for (const costlessOnly of [true, false]) {
        const cursor = new Int32Array(S);
        takes.forEach((t, k) => {
            const list = byShape[t.s];
            while (out[k].length < t.take && cursor[t.s] < list.length) {
                const i = list[cursor[t.s]++];
                if (used.has(i) || (costlessOnly && !prefer.costless[i])) continue;
                used.add(i);
                out[k].push(i);
            }
        });
    }
    for (const list of out) list.sort(byNumber);
    return out;
}

/** Locale-independent string order (code units), so sorting is the same everywhere. */
export function compareStrings(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
