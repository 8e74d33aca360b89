/**
 * Planning from the current placement (issue 12, day 2): with a lock (the placement that runs
 * now), every locked instance stays on its host unless it must move, and the moves are as few
 * as the placement allows. The objective, in order:
 *
 *  1. no overcommit (hard: never more than a host's usable vCPUs or memory; pins stay as written);
 *  2. most cores placed;
 *  3. no role entirely on one host (when it has two instances and there are two hosts);
 *  4. fewest moves;
 *  5. spread, mix and racks, balance — only through `rebalance_moves = N` further moves, best
 *     first, each one a strict improvement.
 *
 * A locked instance must move when its host is gone from the plan, drained (`drain = true`),
 * overcommitted (the largest pieces leave first, so the fewest leave), or when its shape's size
 * differs from the size the lock recorded (a resize is a rebuild). An instance of the lock that is
 * no longer deployed is removed; a new instance is placed. Pins (`runs`) are placed as written
 * and never chosen as moves to rebalance.
 *
 * When the kept instances leave cores unplaced that the plan's own placement (`place`) would
 * place, that placement is taken with its instances named so that the most locked instances stay
 * where they are (instances of one shape are the same size), so rule 2 stays above rule 4.
 *
 * When the kept-first pass still leaves vCPUs unplaced that `place` would place, the placement
 * around the kept instances (releasing a few where a large piece needs room) competes with
 * `place`'s counts; then instances go back to their locked host where room can be made
 * (fewer-moves.ts). The exact mode proves the fewest moves (exact.ts, the `moves` level).
 *
 * Pure: no I/O. Without a lock, `planPlacement` is `place` (with drained hosts emptied).
 */
import type { PlanModel } from './model.js';
import { ROLES } from './model.js';
import type { Lock } from './lock.js';
import { relabelAlikeHosts, releaseAndPlace, returnToLockedHosts } from './fewer-moves.js';
import { returnByEviction } from './move-search.js';
import { Load, overLockedHosts } from './host-load.js';
import { makeRoom } from './make-room.js';
import { lexLess } from './objective.js';
import { rebalance } from './rebalance.js';
import { pinPreferenceOf } from './pin-preference.js';
import { lockIndex } from './lock-index.js';
import {
    EPS,
    place,
    type PinPreference,
    type PlaceOptions,
    type PlacementResult,
    resolvePins,
    ROLE_INDEX
} from './placement.js';

/** One instance that changes host: `from` is the host the lock names, `to` the host it goes to. */
export interface PlannedMove {
    /** Index into `model.instances`. */
    readonly instance: number;
    /** Host name in the lock (possibly no longer in the plan). */
    readonly from: string;
    /** Index into `model.hosts` of `from`, or -1 when the plan no longer has that host. */
    readonly fromHost: number;
    /** Index into `model.hosts`. */
    readonly to: number;
    /** Why it moves: its host is gone or drained, its host is overcommitted, its shape changed size, or to rebalance. */
    readonly reason:
        | 'host-gone'
        | 'drained'
        | 'overcommitted'
        | 'resized'
        | 'pinned'
        | 'placement'
        | 'rebalance';
}

/** What planning with a lock found besides the placement. */
export interface LockDelta {
    /** The moves, in instance order. */
    readonly moves: readonly PlannedMove[];
    /** Instances of the lock that the plan no longer deploys (they are removed), in lock order. */
    readonly removed: readonly string[];
    /** Hosts the lock names that the plan no longer has, in lock order. */
    readonly goneHosts: readonly string[];
    /** Per instance of the model: the host name the lock gives it, or `undefined` for a new one. */
    readonly lockedHost: readonly (string | undefined)[];
    /** Moves spent on `rebalance_moves` (part of `moves`). */
    readonly rebalanced: number;
}

/** The placement of a plan, planned from its lock when there is one. */
export interface PlannedPlacement {
    readonly placement: PlacementResult;
    /** Absent without a lock. */
    readonly delta?: LockDelta;
}

/**
 * The model with drained hosts at zero usable capacity (so that `place` puts nothing unpinned
 * there, and the figures and rules judge the plan while they are drained), or the model itself
 * when no host is drained.
 */
export function withDrainedEmptied(model: PlanModel): PlanModel {
    if (!model.hosts.some(h => h.drain)) return model;
    return {
        ...model,
        hosts: model.hosts.map(h => (h.drain ? { ...h, usableCores: 0, usableMemoryGiB: 0 } : h))
    };
}

/**
 * Places `model`: from `lock` when given (see the module comment), else with `place` (drained
 * hosts take nothing unpinned). `options` are passed to `place`. Never throws on a well-formed model.
 */
export function planPlacement(
    model: PlanModel,
    lock?: Lock,
    options: PlaceOptions = {}
): PlannedPlacement {
    const placeable = withDrainedEmptied(model);
    if (!lock || model.settings.platform === 'physical')
        return { placement: place(placeable, options) };
    return planFromLock(model, placeable, lock, options);
}

/**
 * What a lock says about each instance before anything is placed, in the terms of the module
 * comment: the host it may stay on without a move and why it must move otherwise. The heuristic
 * (`planPlacement`) and the exact mode's moves level (`exact-model.ts`) both start from it, so
 * the two count moves alike. `cap` is the model with drained hosts emptied (`withDrainedEmptied`).
 */
export interface LockedStart {
    /** Per instance: the host name the lock gives it, `undefined` for a new one. */
    readonly lockedHost: readonly (string | undefined)[];
    /**
     * Per instance: the index of the host it may stay on (no move), -1 when it has none: new,
     * pinned, its host gone, drained or overcommitted by pins. A resized instance may stay on
     * its host when its new size fits there (a rebuild in place is no move).
     */
    readonly stayHost: Int32Array;
    /** Per instance: why it must move (or may have to, for `resized`), `undefined` when it need not. */
    readonly why: readonly (PlannedMove['reason'] | undefined)[];
    /** 1 for a pinned instance (placed as written, never chosen as a move). */
    readonly isPinned: Uint8Array;
    /** Instances of the lock that the plan no longer deploys, in lock order. */
    readonly removed: readonly string[];
    /** Hosts the lock names that the plan no longer has, in lock order. */
    readonly goneHosts: readonly string[];
    /**
     * The pins of `cap` (pins on a drained host overcommit it: it has no room), resolved with
     * `pinPreference`: a pin binds first the instances the lock already has on its host.
     */
    readonly pp: ReturnType<typeof resolvePins>;
    /** Which instances the pins take (`pinPreferenceOf`); pass it to any `place` of `cap`. */
    readonly pinPreference: PinPreference;
    /** Per host, 1 where the lock keeps more than it holds (`overLockedHosts`). */
    readonly overLocked: Uint8Array;
}

/** The `LockedStart` of `model` (drained hosts emptied in `cap`) and `lock`. Never throws. */
export function lockedStart(model: PlanModel, cap: PlanModel, lock: Lock): LockedStart {
    const n = model.instances.length;
    const { lockedHost, lockedOn, removed, goneHosts } = lockIndex(model, lock);
    const pinPreference = pinPreferenceOf(model, lock);
    const pp = resolvePins(cap, pinPreference);
    const isPinned = new Uint8Array(n);
    const pinnedOn = new Int32Array(n).fill(-1);
    for (let h = 0; h < model.hosts.length; h++)
        for (const i of pp.pinned[h]) {
            isPinned[i] = 1;
            pinnedOn[i] = h;
        }
    const overPinned = new Set(pp.overcommitted.map(o => o.host));
    const stayHost = new Int32Array(n).fill(-1);
    const why = new Array<PlannedMove['reason'] | undefined>(n);
    for (let i = 0; i < n; i++) {
        const name = lockedHost[i];
        if (isPinned[i]) {
            if (name !== undefined && name !== model.hosts[pinnedOn[i]].name) why[i] = 'pinned';
            continue;
        }
        if (name === undefined) continue;
        const h = lockedOn[i];
        const it = model.instances[i];
        const size = lock.shapes.get(it.shape);
        if (h < 0) why[i] = 'host-gone';
        else if (model.hosts[h].drain) why[i] = 'drained';
        else {
            if (
                size &&
                (Math.abs(size.cores - it.cores) > EPS ||
                    Math.abs(size.memoryGiB - it.memoryGiB) > EPS)
            )
                why[i] = 'resized';
            if (overPinned.has(h)) why[i] ??= 'overcommitted';
            else stayHost[i] = h;
        }
    }
    const overLocked = overLockedHosts(model, cap, stayHost, i => why[i] === 'resized', pp.pinned);
    return {
        lockedHost,
        stayHost,
        why,
        isPinned,
        removed,
        goneHosts,
        pp,
        pinPreference,
        overLocked
    };
}

/**
 * The moves of placement `hostOf` of `model` from a lock (`lockedHost`, per instance): locked
 * instances on another host than the lock's, or left unplaced (a running instance left without a
 * host is disturbed like one moved), as the `moves` level counts them.
 */
export function lockMoves(
    model: PlanModel,
    lockedHost: readonly (string | undefined)[],
    hostOf: readonly number[]
): number {
    let n = 0;
    for (let i = 0; i < hostOf.length; i++) {
        const name = lockedHost[i];
        const h = hostOf[i];
        if (name !== undefined && (h < 0 || model.hosts[h].name !== name)) n++;
    }
    return n;
}

/**
 * Why locked instance `i` moves off host `from` (not a rebalance): its own reason, else
 * `overcommitted` when the lock keeps more there than the host holds (a smaller piece may leave
 * in place of the largest), else `placement`.
 */
function reasonOf(
    why: LockedStart['why'],
    overLocked: Uint8Array,
    i: number,
    from: string,
    hostIndex: ReadonlyMap<string, number>
): PlannedMove['reason'] {
    return why[i] ?? (overLocked[hostIndex.get(from) ?? -1] ? 'overcommitted' : 'placement');
}

/**
 * The `LockDelta` of a placement `hostOf` of `model` planned from `start` (`lockedStart`): the
 * moves (locked instances placed on another host than the lock's, with their reason; those in
 * `rebalanced` as `rebalance`), the removed instances and the gone hosts. Used for the exact
 * mode's placement; never throws.
 */
export function deltaOf(
    model: PlanModel,
    start: LockedStart,
    hostOf: readonly number[],
    rebalanced: ReadonlySet<number> = new Set()
): LockDelta {
    const hostIndex = new Map(model.hosts.map((h, k) => [h.name, k]));
    const moves: PlannedMove[] = [];
    for (let i = 0; i < hostOf.length; i++) {
        const from = start.lockedHost[i],
            to = hostOf[i];
        if (from === undefined || to < 0 || model.hosts[to].name === from) continue;
        moves.push({
            instance: i,
            from,
            fromHost: hostIndex.get(from) ?? -1,
            to,
            reason: rebalanced.has(i)
                ? 'rebalance'
                : reasonOf(start.why, start.overLocked, i, from, hostIndex)
        });
    }
    return {
        moves,
        removed: start.removed,
        goneHosts: start.goneHosts,
        lockedHost: start.lockedHost,
        rebalanced: rebalanced.size
    };
}

function planFromLock(
    model: PlanModel,
    cap: PlanModel,
    lock: Lock,
    options: PlaceOptions
): PlannedPlacement {
    const n = model.instances.length,
        H = model.hosts.length;
    const hostIndex = new Map(model.hosts.map((h, k) => [h.name, k]));
    const start = lockedStart(model, cap, lock);
    const { lockedHost, removed, goneHosts, isPinned, pp } = start;
    const why = [...start.why];
    const hostOf = new Array<number>(n).fill(-1);
    const load = new Load(model);
    for (let h = 0; h < H; h++)
        for (const i of pp.pinned[h]) {
            hostOf[i] = h;
            load.add(i, h);
        }
    const overPinned = new Set(pp.overcommitted.map(o => o.host));

    // keep: every unpinned locked instance whose host can still hold it (not a resized one)
    const byHostKept: number[][] = Array.from({ length: H }, () => []);
    for (let i = 0; i < n; i++) {
        const h = start.stayHost[i];
        if (h < 0 || why[i] === 'resized') continue;
        hostOf[i] = h;
        load.add(i, h);
        byHostKept[h].push(i);
    }
    // an overcommitted host sheds its largest pieces first: the fewest leave
    for (let h = 0; h < H; h++) {
        const host = model.hosts[h];
        if (load.c[h] <= host.usableCores + EPS && load.m[h] <= host.usableMemoryGiB + EPS)
            continue;
        const kept = byHostKept[h].sort(
            (a, b) =>
                model.instances[b].cores - model.instances[a].cores ||
                model.instances[b].memoryGiB - model.instances[a].memoryGiB ||
                b - a
        );
        for (const i of kept) {
            if (load.c[h] <= host.usableCores + EPS && load.m[h] <= host.usableMemoryGiB + EPS)
                break;
            load.add(i, h, -1);
            hostOf[i] = -1;
            why[i] = 'overcommitted';
        }
    }
    // place the rest: largest first, each on the host with room that spreads its role best
    const roleN = [0, 0, 0];
    for (const it of model.instances) roleN[ROLE_INDEX[it.role]]++;
    const open = model.hosts.map(
        (h, k) => !h.drain && !overPinned.has(k) && cap.hosts[k].usableCores > 0
    );
    const openCount = Math.max(1, open.filter(Boolean).length);
    const todo: number[] = [];
    for (let i = 0; i < n; i++) if (hostOf[i] < 0 && !isPinned[i]) todo.push(i);
    todo.sort(
        (a, b) =>
            model.instances[b].cores - model.instances[a].cores ||
            model.instances[b].memoryGiB - model.instances[a].memoryGiB ||
            a - b
    );
    // first back onto its own host where it fits (a resized or shed instance that stays is no
    // move), then the rest; in two passes so that one host's overflow does not take another's room
    const rest: number[] = [];
    for (const i of todo) {
        const own = hostIndex.get(lockedHost[i] ?? '') ?? -1;
        if (own >= 0 && open[own] && why[i] !== 'overcommitted' && load.fits(i, own, cap)) {
            hostOf[i] = own;
            load.add(i, own);
        } else rest.push(i);
    }
    // the sizes no room was found for since the last change (see `makeRoom`)
    const noRoom = new Set<string>();
    for (const i of rest) {
        const h = bestHost(model, cap, load, open, i, roleN, openCount);
        if (h >= 0) {
            hostOf[i] = h;
            load.add(i, h);
            noRoom.clear();
        } else {
            // room for a large piece is made before smaller ones take the gaps it needs
            makeRoom(model, cap, load, open, hostOf, isPinned, lockedHost, hostIndex, noRoom, [i]);
        }
    }
    makeRoom(model, cap, load, open, hostOf, isPinned, lockedHost, hostIndex, noRoom);
    repairRoleOnOneHost(model, cap, load, open, hostOf, isPinned, lockedHost, hostIndex);

    let result = hostOf;
    // the most vCPUs any placement of the plan can place, when `place` proved it: a property of
    // the plan (not of the lock), said with the result when the result places that many
    let bound: number | undefined;
    const placedCores = (ho: readonly number[]) =>
        ho.reduce((a, h, i) => a + (h >= 0 ? model.instances[i].cores : 0), 0);
    const movesOf = (ho: readonly number[]) => lockMoves(model, lockedHost, ho);
    if (hostOf.some(h => h < 0)) {
        // the plan's own placement places more: take its counts, named to keep the most locked
        // instances; or `place` around the kept instances, when that places as many with fewer moves
        // with the same pins (the lock's preference), so its names match `isPinned`
        const fresh = place(cap, { ...options, pinPreference: start.pinPreference });
        bound = fresh.placedCoresBound;
        if (placedCores(fresh.hostOf) > placedCores(hostOf) + EPS) {
            result = keepMostLocked(
                model,
                {
                    ...fresh,
                    hostOf: relabelAlikeHosts(model, fresh.hostOf, isPinned, start.stayHost, open)
                },
                lockedHost,
                hostIndex,
                isPinned
            );
            const kept = new Uint8Array(n);
            for (let i = 0; i < n; i++)
                kept[i] = hostOf[i] >= 0 && hostOf[i] === start.stayHost[i] ? 1 : 0;
            const around = releaseAndPlace(
                cap,
                pp,
                kept,
                start.stayHost,
                lockedHost,
                open,
                placedCores(fresh.hostOf),
                options
            );
            const d = placedCores(around) - placedCores(result);
            if (d > EPS || (d > -EPS && movesOf(around) < movesOf(result))) result = around;
            // or the kept-first placement, its unplaced pieces inserted where evicting two (or
            // three) pieces makes room
            returnToLockedHosts(model, cap, result, isPinned, start.stayHost, open);
            returnByEviction(model, cap, result, isPinned, start.stayHost, open);
            for (const [pieces, reverse] of [
                [2, false],
                [3, false],
                [2, true],
                [3, true]
            ] as const) {
                const inserted = [...hostOf];
                returnByEviction(
                    model,
                    cap,
                    inserted,
                    isPinned,
                    start.stayHost,
                    open,
                    pieces,
                    reverse
                );
                const e = placedCores(inserted) - placedCores(result);
                if (e > EPS || (e > -EPS && movesOf(inserted) < movesOf(result))) result = inserted;
            }
        }
    }
    // undo the moves that room elsewhere makes needless (fewer-moves.ts)
    returnToLockedHosts(model, cap, result, isPinned, start.stayHost, open);
    if (result.some(h => h < 0) || movesOf(result) > 0) {
        // the search from both ends of the instance order, the better of the two
        const other = [...result];
        returnByEviction(model, cap, result, isPinned, start.stayHost, open);
        returnByEviction(model, cap, other, isPinned, start.stayHost, open, 0, true);
        const d = placedCores(other) - placedCores(result);
        if (d > EPS || (d > -EPS && movesOf(other) < movesOf(result))) result = other;
    }
    const rebalanced = rebalance(
        model,
        cap,
        result,
        isPinned,
        lockedHost,
        hostIndex,
        open,
        model.settings.rebalanceMoves ?? 0
    );
    const moves: PlannedMove[] = [];
    for (let i = 0; i < n; i++) {
        const from = lockedHost[i],
            to = result[i];
        if (from === undefined || to < 0 || model.hosts[to].name === from) continue;
        moves.push({
            instance: i,
            from,
            fromHost: hostIndex.get(from) ?? -1,
            to,
            reason: rebalanced.has(i)
                ? 'rebalance'
                : reasonOf(why, start.overLocked, i, from, hostIndex)
        });
    }
    const placement = toPlacement(model, pp, result, isPinned);
    return {
        placement:
            bound !== undefined && placedCores(result) >= bound - EPS
                ? { ...placement, placedCoresBound: bound }
                : placement,
        delta: {
            moves,
            removed,
            goneHosts,
            lockedHost,
            rebalanced: rebalanced.size
        }
    };
}

/**
 * The host for instance `i` among the open ones with room: below its role's cap ⌈n/h⌉ first,
 * then fewest of its role, then the most free cores (balance), then model order. -1 when none
 * has room.
 */
function bestHost(
    model: PlanModel,
    cap: PlanModel,
    load: Load,
    open: readonly boolean[],
    i: number,
    roleN: readonly number[],
    openCount: number
): number {
    const r = ROLE_INDEX[model.instances[i].role];
    const capR = Math.ceil(roleN[r] / openCount);
    let best = -1,
        bestKey: number[] = [];
    for (let h = 0; h < model.hosts.length; h++) {
        if (!open[h] || !load.fits(i, h, cap)) continue;
        const k = load.roles[h * 3 + r];
        const key = [k >= capR ? 1 : 0, k, -(cap.hosts[h].usableCores - load.c[h])];
        if (best < 0 || lexLess(key, bestKey)) {
            best = h;
            bestKey = key;
        }
    }
    return best;
}

/**
 * Rule 3 over rule 4: a role with two or more placed instances all on one host, when another
 * open host could take one, gets one instance moved there (one not locked on that host first,
 * so the repair costs no extra move when it can). When no host has room, one of them is swapped
 * with a piece of another role (`swapOffHost`).
 */
function repairRoleOnOneHost(
    model: PlanModel,
    cap: PlanModel,
    load: Load,
    open: readonly boolean[],
    hostOf: number[],
    isPinned: Uint8Array,
    lockedHost: readonly (string | undefined)[],
    hostIndex: ReadonlyMap<string, number>
): void {
    if (open.filter(Boolean).length < 2) return;
    for (const role of ROLES) {
        // the role's placed instances, when there are two or more and all on one host (the scan
        // stops at the first on another host: a plan that spreads the role costs a few steps)
        const mine: number[] = [];
        let spread = false;
        for (let i = 0; i < hostOf.length && !spread; i++)
            if (hostOf[i] >= 0 && model.instances[i].role === role) {
                spread = mine.length > 0 && hostOf[i] !== hostOf[mine[0]];
                mine.push(i);
            }
        if (spread || mine.length < 2) continue;
        const h = hostOf[mine[0]];
        const movable = mine
            .filter(i => !isPinned[i])
            .sort(
                (a, b) =>
                    Number(hostIndex.get(lockedHost[a] ?? '') === h) -
                        Number(hostIndex.get(lockedHost[b] ?? '') === h) || a - b
            );
        let moved = false;
        for (const i of movable) {
            let to = -1;
            for (let t = 0; t < model.hosts.length && to < 0; t++)
                if (t !== h && open[t] && load.fits(i, t, cap)) to = t;
            if (to < 0) continue;
            load.add(i, h, -1);
            load.add(i, to);
            hostOf[i] = to;
            moved = true;
            break;
        }
        if (!moved)
            swapOffHost(
                model,
                cap,
                load,
                open,
                hostOf,
                isPinned,
                lockedHost,
                hostIndex,
                h,
                movable
            );
    }
}

/** How many instances of the role `swapOffHost` tries to swap off their host (a bound on its work). */
const SWAP_TRIES = 8;

/**
 * One of `movable` (instances of one role, all on host `h`, in `repairRoleOnOneHost`'s order)
 * swapped with a piece of another role on another open host, where each fits in the other's
 * room: the cheapest in moves first (the instance back onto the host the lock runs it on, a
 * piece already moved rather than one in its locked place), then the smallest piece. A swap
 * never gathers the piece's own role on `h`. Seen when a shape grows and every host is full but
 * a new one: the resized instances all went to the new host, where one swap splits them.
 */
function swapOffHost(
    model: PlanModel,
    cap: PlanModel,
    load: Load,
    open: readonly boolean[],
    hostOf: number[],
    isPinned: Uint8Array,
    lockedHost: readonly (string | undefined)[],
    hostIndex: ReadonlyMap<string, number>,
    h: number,
    movable: readonly number[]
): void {
    const n = hostOf.length;
    const roleLeft = [0, 0, 0];
    for (let j = 0; j < n; j++)
        if (hostOf[j] >= 0 && hostOf[j] !== h) roleLeft[ROLE_INDEX[model.instances[j].role]]++;
    let best: { i: number; j: number; t: number; cost: number; cores: number } | undefined;
    for (const i of movable.slice(0, SWAP_TRIES)) {
        const role = model.instances[i].role;
        const home = hostIndex.get(lockedHost[i] ?? '') ?? -1;
        for (let j = 0; j < n; j++) {
            const t = hostOf[j];
            if (t < 0 || t === h || !open[t] || isPinned[j]) continue;
            const other = model.instances[j];
            // the piece's role must keep an instance off h
            if (other.role === role || roleLeft[ROLE_INDEX[other.role]] < 2) continue;
            const cost =
                (hostIndex.get(lockedHost[j] ?? '') === t ? 1 : 0) -
                (t === home ? 1 : 0) +
                (hostIndex.get(lockedHost[j] ?? '') === h ? -1 : 0);
            if (best && (cost > best.cost || (cost === best.cost && other.cores >= best.cores)))
                continue;
            load.add(i, h, -1);
            load.add(j, t, -1);
            const ok = load.fits(i, t, cap) && load.fits(j, h, cap);
            load.add(i, h);
            load.add(j, t);
            if (ok) best = { i, j, t, cost, cores: other.cores };
        }
    }
    if (!best) return;
    const { i, j, t } = best;
    load.add(i, h, -1);
    load.add(j, t, -1);
    load.add(i, t);
    load.add(j, h);
    hostOf[i] = t;
    hostOf[j] = h;
}

/**
 * `fresh`'s counts per (shape, host), with the instance names given so that the most locked
 * instances keep their host: per shape, the instances locked on a host fill its slots first,
 * the others take the slots left in instance order.
 */
function keepMostLocked(
    model: PlanModel,
    fresh: PlacementResult,
    lockedHost: readonly (string | undefined)[],
    hostIndex: ReadonlyMap<string, number>,
    isPinned: Uint8Array
): number[] {
    const n = model.instances.length;
    const out = new Array<number>(n).fill(-1);
    const slots = new Map<string, Map<number, number>>();
    for (let i = 0; i < n; i++) {
        if (isPinned[i]) {
            out[i] = fresh.hostOf[i];
            continue;
        }
        const h = fresh.hostOf[i];
        if (h < 0) continue;
        const shape = model.instances[i].shape;
        let m = slots.get(shape);
        if (!m) slots.set(shape, (m = new Map()));
        m.set(h, (m.get(h) ?? 0) + 1);
    }
    const rest: number[] = [];
    for (let i = 0; i < n; i++) {
        if (isPinned[i]) continue;
        const h = hostIndex.get(lockedHost[i] ?? '');
        const m = slots.get(model.instances[i].shape);
        if (h !== undefined && m && (m.get(h) ?? 0) > 0) {
            out[i] = h;
            m.set(h, m.get(h)! - 1);
        } else rest.push(i);
    }
    for (const i of rest) {
        const m = slots.get(model.instances[i].shape);
        if (!m) continue;
        for (const [h, c] of m)
            if (c > 0) {
                out[i] = h;
                m.set(h, c - 1);
                break;
            }
    }
    return out;
}

/**
 * A `PlacementResult` from per-instance hosts `hostOf` (-1: unplaced) and the pins `pp` of
 * `model`: pins first on their hosts, then ascending. Never throws.
 */
export function toPlacement(
    model: PlanModel,
    pp: ReturnType<typeof resolvePins>,
    hostOf: readonly number[],
    isPinned: Uint8Array
): PlacementResult {
    const H = model.hosts.length;
    const rest: number[][] = Array.from({ length: H }, () => []);
    const unplaced: number[] = [];
    for (let i = 0; i < hostOf.length; i++) {
        if (hostOf[i] < 0) unplaced.push(i);
        else if (!isPinned[i]) rest[hostOf[i]].push(i);
    }
    let unplacedReason: PlacementResult['unplacedReason'] = null;
    if (unplaced.length > 0) {
        // as `place` says it: the free instances need more than the free room even if divisible
        const over = new Set(pp.overcommitted.map(o => o.host));
        let needC = 0,
            needM = 0,
            haveC = 0,
            haveM = 0;
        for (let i = 0; i < hostOf.length; i++)
            if (!isPinned[i]) {
                needC += model.instances[i].cores;
                needM += model.instances[i].memoryGiB;
            }
        for (let h = 0; h < H; h++) {
            const host = model.hosts[h];
            if (!over.has(h) && !host.drain && host.usableCores > 0) {
                haveC += host.usableCores - pp.pinC[h];
                haveM += host.usableMemoryGiB - pp.pinM[h];
            }
        }
        unplacedReason =
            needC > haveC + EPS || needM > haveM + EPS ? 'total-short' : 'fragmentation';
    }
    return {
        hostOf: [...hostOf],
        byHost: pp.pinned.map((p, h) => p.concat(rest[h])),
        pinned: pp.pinned,
        unplaced,
        unplacedReason,
        overcommitted: pp.overcommitted,
        pinExcess: pp.pinExcess
    };
}
