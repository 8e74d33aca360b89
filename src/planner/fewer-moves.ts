/**
 * Fewer moves for a placement planned from a lock (issue 12, day 2; `planPlacement` in
 * incremental.ts): a local search that sends instances back to the host the lock had them on.
 *
 * An instance that may stay on its locked host (`LockedStart.stayHost`) but is placed elsewhere,
 * or not at all, goes back there; when that host has no room, pieces that are not kept there
 * (moved in, or new) make room by going to other hosts with room, the host that they may stay on
 * first. Each accepted step removes at least one move and never places fewer vCPUs, overcommits
 * a host or puts a role entirely on one host that was not before. Where the kept-first pass or
 * the plan's own placement moved more than needed (a drained host's pieces taking room that
 * locked pieces needed, or `place`'s counts that ignore the lock), this undoes those moves.
 *
 * Pure: no I/O.
 */
import type { PlanModel } from './model.js';
import { EPS, place, type PinnedPlan, type PlaceOptions } from './placement.js';
import { HostLoads } from './host-loads.js';

/** Most passes over the instances (each pass returns every instance it can). */
const MAX_PASSES = 4;

/**
 * Sends instances back to the host they may stay on (see the module comment), changing
 * `hostOf` (per instance, -1 unplaced) in place. `cap` is the model with drained hosts emptied;
 * `open[h]` says whether host h may take unpinned instances; pins are never chosen. Returns the
 * number of instances sent back. Never throws.
 */
export function returnToLockedHosts(
    model: PlanModel,
    cap: PlanModel,
    hostOf: number[],
    isPinned: Uint8Array,
    stayHost: Int32Array,
    open: readonly boolean[]
): number {
    const n = model.instances.length,
        H = model.hosts.length;
    // nothing away from a host it may go back to (a plan only grown): no pass would change anything
    let away = false;
    for (let i = 0; i < n && !away; i++) {
        const o = stayHost[i];
        away = o >= 0 && !isPinned[i] && hostOf[i] !== o && open[o];
    }
    if (!away) return 0;
    const loads = HostLoads.of(model, hostOf, cap, isPinned);
    const on = loads.movable;
    const relocate = (i: number, to: number) => {
        loads.add(i, hostOf[i], -1);
        hostOf[i] = to;
        loads.add(i, to, 1);
    };
    let returned = 0;
    for (let pass = 0; pass < MAX_PASSES; pass++) {
        let progress = false;
        for (let i = 0; i < n; i++) {
            const o = stayHost[i];
            if (o < 0 || isPinned[i] || hostOf[i] === o || !open[o]) continue;
            const before = loads.onOneHost();
            const undo: [number, number][] = [[i, hostOf[i]]];
            relocate(i, -1);
            // the pieces on `o` that are not kept there leave, largest first, until `i` fits
            const movable = [...on[o]]
                .filter(j => stayHost[j] !== o)
                .sort(
                    (a, b) =>
                        model.instances[b].cores - model.instances[a].cores ||
                        model.instances[b].memoryGiB - model.instances[a].memoryGiB ||
                        a - b
                );
            const evicted: number[] = [];
            // first one piece whose leaving makes room and that fits elsewhere (a swap when
            // that is where `i` was), then the largest pieces until `i` fits
            const single = loads.fits(i, o) ? undefined : movable.find(j => swapFits(i, j, o));
            for (const j of single === undefined ? movable : [single]) {
                if (loads.fits(i, o)) break;
                undo.push([j, o]);
                relocate(j, -1);
                evicted.push(j);
            }
            let ok = loads.fits(i, o);
            if (ok) {
                relocate(i, o);
                for (const j of evicted) {
                    const to = targetFor(j);
                    if (to < 0) {
                        ok = false;
                        break;
                    }
                    relocate(j, to);
                }
            }
            if (ok && loads.onOneHost() <= before) {
                returned++;
                progress = true;
                continue;
            }
            // roll back: everything to where it was, in reverse
            for (const [j] of undo) relocate(j, -1);
            for (let k = undo.length - 1; k >= 0; k--) relocate(undo[k][0], undo[k][1]);
        }
        if (!progress) break;
    }
    return returned;

    /** Whether `i` fits on `o` once `j` leaves it, and `j` then fits on another open host. */
    function swapFits(i: number, j: number, o: number): boolean {
        if (!loads.fitsInstead(i, j, o)) return false;
        for (let h = 0; h < H; h++) if (h !== o && open[h] && loads.fits(j, h)) return true;
        return false;
    }

    /** Where an evicted piece goes: the host it may stay on when it fits there, else the open host it fills most (best fit). */
    function targetFor(j: number): number {
        const own = stayHost[j];
        if (own >= 0 && open[own] && loads.fits(j, own)) return own;
        let best = -1,
            bestLeft = Infinity;
        for (let h = 0; h < H; h++) {
            if (!open[h] || !loads.fits(j, h)) continue;
            const left = loads.freeCores(h) - model.instances[j].cores;
            if (left < bestLeft - EPS) {
                best = h;
                bestLeft = left;
            }
        }
        return best;
    }
}

/**
 * `hostOf` (a placement from nothing, `place`) with the hosts of each class of alike hosts
 * (same usable vCPUs and GiB, rack, no pins, all `open`) swapped so that the placement keeps
 * the most instances of the lock where they may stay: greedily, the (placement host, real host)
 * pair that keeps the most first. A placement's hosts within such a class are interchangeable,
 * so every figure but the moves stays the same. Returns a new array; never throws.
 */
export function relabelAlikeHosts(
    model: PlanModel,
    hostOf: readonly number[],
    isPinned: Uint8Array,
    stayHost: Int32Array,
    open: readonly boolean[]
): number[] {
    const H = model.hosts.length;
    const classes = new Map<string, number[]>();
    for (let h = 0; h < H; h++) {
        const host = model.hosts[h];
        if (!open[h] || host.pins.length > 0) continue;
        const k = `${host.usableCores}|${host.usableMemoryGiB}|${host.rack ?? ''}`;
        const list = classes.get(k);
        if (list) list.push(h);
        else classes.set(k, [h]);
    }
    const map = Array.from({ length: H }, (_, h) => h);
    // keep[a * H + b]: instances placed on a that may stay on b (of the same shape, counted by shape)
    const shapeOf = new Map<string, number>();
    const shapeIds = model.instances.map(it => {
        let s = shapeOf.get(it.shape);
        if (s === undefined) shapeOf.set(it.shape, (s = shapeOf.size));
        return s;
    });
    const S = shapeOf.size;
    const placedOn = new Int32Array(H * S),
        stayOn = new Int32Array(H * S);
    for (let i = 0; i < hostOf.length; i++) {
        if (isPinned[i]) continue;
        if (hostOf[i] >= 0) placedOn[hostOf[i] * S + shapeIds[i]]++;
        if (stayHost[i] >= 0) stayOn[stayHost[i] * S + shapeIds[i]]++;
    }
    for (const list of classes.values()) {
        if (list.length < 2) continue;
        const pairs: [number, number, number][] = [];
        for (const a of list)
            for (const b of list) {
                let k = 0;
                for (let s = 0; s < S; s++) k += Math.min(placedOn[a * S + s], stayOn[b * S + s]);
                pairs.push([k, a, b]);
            }
        // the most kept first; ties: the placement's own host, then by host order
        pairs.sort(
            (x, y) =>
                y[0] - x[0] ||
                Number(y[1] === y[2]) - Number(x[1] === x[2]) ||
                x[1] - y[1] ||
                x[2] - y[2]
        );
        const usedA = new Set<number>(),
            usedB = new Set<number>();
        for (const [, a, b] of pairs) {
            if (usedA.has(a) || usedB.has(b)) continue;
            usedA.add(a);
            usedB.add(b);
            map[a] = b;
        }
    }
    return hostOf.map((h, i) => (h < 0 || isPinned[i] ? h : map[h]));
}

/**
 * Names the free instances of the counts `count(s, h)` (free instances of shape s on host h, `pp`
 * the pins) so that the moves are fewest: per shape, the instances that may stay on a host
 * (`stayHost`) fill its slots first, then the other locked ones (each a move: a running
 * instance moved rather than stopped), then new instances, in instance order. Instances of a shape
 * are alike, so the counts say everything else. Returns the host per instance (pins on theirs,
 * -1 unplaced). Used by the exact mode's moves level and by `placeAroundKept`.
 */
export function nameForFewestMoves(
    pp: PinnedPlan,
    stayHost: Int32Array,
    lockedHost: readonly (string | undefined)[],
    H: number,
    count: (s: number, h: number) => number
): number[] {
    const hostOf = new Array<number>(lockedHost.length).fill(-1);
    for (let h = 0; h < H; h++) for (const i of pp.pinned[h]) hostOf[i] = h;
    for (let s = 0; s < pp.S; s++) {
        const left = Array.from({ length: H }, (_, h) => count(s, h));
        const rest: number[] = [];
        for (const i of pp.byShape[s].slice(pp.pinCursor[s])) {
            const h = stayHost[i];
            if (h >= 0 && left[h] > 0) {
                hostOf[i] = h;
                left[h]--;
            } else rest.push(i);
        }
        const fresh = rest.filter(i => lockedHost[i] === undefined);
        const moved = rest.filter(i => lockedHost[i] !== undefined);
        let h = 0;
        for (const i of [...moved, ...fresh]) {
            while (h < H && left[h] === 0) h++;
            if (h === H) break;
            hostOf[i] = h;
            left[h]--;
        }
    }
    return hostOf;
}

/**
 * A placement of `cap` (drained hosts emptied; `pp` its pins) that holds instances on hosts
 * (`held[i]`, -1: free) and places the others with `place` around them (the held ones are pins
 * of a copy of the plan, so `place`'s whole search and exact fallback work for the rest), named
 * by `nameForFewestMoves` (a held instance on its `stayHost` keeps its name there). For when the kept-first pass leaves instances unplaced
 * that a placement from nothing places: this often places as many while moving only what must
 * move. Returns the host per instance; never throws.
 */
export function placeAroundKept(
    cap: PlanModel,
    pp: PinnedPlan,
    held: Int32Array,
    stayHost: Int32Array,
    lockedHost: readonly (string | undefined)[],
    options: PlaceOptions
): number[] {
    const H = cap.hosts.length;
    const extra = cap.hosts.map(() => new Map<string, number>());
    for (let i = 0; i < held.length; i++)
        if (held[i] >= 0) {
            const m = extra[held[i]];
            const shape = cap.instances[i].shape;
            m.set(shape, (m.get(shape) ?? 0) + 1);
        }
    const pinned: PlanModel = {
        ...cap,
        hosts: cap.hosts.map((h, k) => ({
            ...h,
            pins: [
                ...h.pins,
                ...[...extra[k]].map(([shape, count], j) => ({
                    shape,
                    count,
                    pinIndex: h.pins.length + j
                }))
            ]
        }))
    };
    const around = place(pinned, options);
    // its counts per (shape, host), less the plan's own pins, named for the fewest moves
    const id = new Map(pp.shapeNames.map((s, k) => [s, k]));
    const counts = new Int32Array(pp.S * H);
    around.hostOf.forEach((h, i) => {
        if (h >= 0) counts[id.get(cap.instances[i].shape)! * H + h]++;
    });
    for (let k = 0; k < counts.length; k++) counts[k] -= pp.pinCount[k];
    return nameForFewestMoves(pp, stayHost, lockedHost, H, (s, h) =>
        Math.max(0, counts[s * H + h])
    );
}

/** Most rounds of `releaseAndPlace` (each one `place` call on a plan of at most 200 instances). */
const RELEASE_ROUNDS = 12;

/**
 * Like `placeAroundKept`, but when that places fewer vCPUs than `target` (what a placement from
 * nothing places), releases kept instances a few at a time and places again: each round takes
 * the largest unplaced piece and the host where releasing the fewest kept pieces (largest first)
 * makes room for it, releases those, holds the piece there, and places around the rest. Returns the placement that
 * places the most vCPUs, then keeps the most instances on their host, of the rounds; at most
 * `RELEASE_ROUNDS` rounds, only on plans of at most 200 instances (else one round). Never throws.
 */
export function releaseAndPlace(
    cap: PlanModel,
    pp: PinnedPlan,
    kept: Uint8Array,
    stayHost: Int32Array,
    lockedHost: readonly (string | undefined)[],
    open: readonly boolean[],
    target: number,
    options: PlaceOptions
): number[] {
    const n = cap.instances.length,
        H = cap.hosts.length;
    // the host each instance is held on (-1: placed freely around the held ones)
    const held = Int32Array.from(kept, (k, i) => (k ? stayHost[i] : -1));
    const cores = (ho: readonly number[]) =>
        ho.reduce((a, h, i) => a + (h >= 0 ? cap.instances[i].cores : 0), 0);
    const stays = (ho: readonly number[]) =>
        ho.reduce((a, h, i) => a + (h >= 0 && h === stayHost[i] ? 1 : 0), 0);
    let best = placeAroundKept(cap, pp, held, stayHost, lockedHost, options);
    let current = best;
    for (let round = 0; round < (n <= 200 ? RELEASE_ROUNDS : 0); round++) {
        if (cores(best) >= target - EPS) break;
        let u = -1;
        for (let i = 0; i < n; i++)
            if (current[i] < 0 && (u < 0 || cap.instances[i].cores > cap.instances[u].cores)) u = i;
        if (u < 0) break;
        const loads = HostLoads.of(cap, current);
        let choice: { host: number; release: number[] } | undefined;
        for (let h = 0; h < H; h++) {
            if (!open[h]) continue;
            let needC = cap.instances[u].cores - loads.freeCores(h),
                needM = cap.instances[u].memoryGiB - loads.freeMemoryGiB(h);
            const mine: number[] = [];
            for (let i = 0; i < n; i++) if (held[i] === h && current[i] === h) mine.push(i);
            mine.sort((a, b) => cap.instances[b].cores - cap.instances[a].cores || b - a);
            const release: number[] = [];
            for (const i of mine) {
                if (needC <= EPS && needM <= EPS) break;
                release.push(i);
                needC -= cap.instances[i].cores;
                needM -= cap.instances[i].memoryGiB;
            }
            if (needC > EPS || needM > EPS) continue;
            if (!choice || release.length < choice.release.length) choice = { host: h, release };
        }
        if (!choice) break;
        for (const i of choice.release) held[i] = -1;
        // the piece is held where its room was made (else smaller pieces would take that room)
        held[u] = choice.host;
        current = placeAroundKept(cap, pp, held, stayHost, lockedHost, options);
        const d = cores(current) - cores(best);
        if (d > EPS || (d > -EPS && stays(current) > stays(best))) best = current;
    }
    return best;
}
