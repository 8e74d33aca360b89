/**
 * The migration order (issue 12, day 2): the moves of a plan made from its lock, as ordered
 * steps in which every intermediate state keeps the hard rules:
 *  - no host over its usable vCPUs or memory (a move needs room on its target at that moment);
 *  - no role entirely on one host (a role with two or more running instances is never gathered
 *    onto one host by a step, unless it already was).
 *
 * The start state is the lock (an instance no longer deployed holds its room until its removal).
 * A step is one of five kinds (`StepKind`):
 *  - `remove`: an instance of the lock that the plan no longer deploys is shut down for good;
 *  - `stop`: a locked instance that the placement leaves unplaced is shut down (it runs per the
 *    lock, and no host has room for it in the plan);
 *  - `move`: a locked instance changes host (a live migration, or a rebuild on its target when
 *    its host is gone: it then needs room only on its target);
 *  - `rebuild`: a locked instance whose shape changed size stays on its host and is rebuilt
 *    there at the new size (growing, it needs the room on its host at that moment);
 *  - `create`: a new instance (not in the lock) is created on its planned host (it needs room
 *    there at that moment).
 * Removals come first, then stops (both only free room; lock order, then instance order); then
 * the moves and rebuilds, each step the first pending one that is safe now: rebuilds that do not
 * grow, then moves, then growing rebuilds, each group in instance order. A resized instance has
 * its locked size until it moves or is rebuilt. A new instance of a role that loses no locked
 * instance is created after the moves and rebuilds (so after the ones that make room on its
 * host, and it never takes room a move or a temporary hop needs), in instance order: the final
 * state keeps the rules, so it fits.
 *
 * A role that both loses locked instances (removed or stopped) and gains new ones is never left
 * with no running instance, nor with all its running ones on one host, while some of its new
 * instances wait (a renamed or swapped shape: all old instances removed, as many new ones
 * created). Its new instances are created as soon as their host has room (make before break:
 * room that a pending move or growing rebuild needs on that host is kept for it), and a removal
 * or stop that would break that rule waits until a creation or a move frees the way. The role of
 * a removed instance is that of the plan's shape of the same name; for a shape the plan no longer
 * has, that of the one new shape of the same size, or of the only new shape when one lock shape
 * is gone and one plan shape is new (otherwise unknown: its removal is not held).
 *
 * When no pending move or rebuild is safe, a cycle of moves has no free room: one pending move
 * goes through a host with room first (`temporary: true`), and on to its target later. When no
 * such host exists either, no safe order exists and the moves and rebuilds left are `blocked`.
 * A hop is kept only when a step other than a hop follows it: hops after the last such step,
 * when the order ends blocked, made room for nothing that is carried out, so they are undone
 * (their instances stay put, their moves are blocked from where they run) and the order goes on
 * without hops until another step is made (see migration-hops.ts).
 *
 * How the kinds count (`countMoves`, move-count.ts): a move or a stop is one move (the instance
 * does not stay on its host: the exact mode's `moves` level counts the same); a temporary hop is
 * a second step of one move; a removal, a creation and a rebuild in place are steps but no moves
 * (the instance is not deployed any more, is new, or stays on its host).
 *
 * Pure: no I/O.
 */
import { ROLES, type PlanModel, type Role } from './model.js';
import type { Lock } from './lock.js';
import { lockIndex } from './lock-index.js';
import { dropOrCreateSize, lockedSize, lockShapeRoles, resized } from './lock-roles.js';
import { HostLoads } from './host-loads.js';
import { markHops, undoHops, type HopMark } from './migration-hops.js';
import { EPS, ROLE_INDEX } from './placement.js';
import type { PlannedMove } from './incremental.js';
import type { StepKind, StepSize, StepWhy } from './report.js';

/**
 * The sizes of a step: `fromSize` the lock's size of the instance's shape (what runs now; cores
 * as vCPUs, memory in GiB), `toSize` its shape's size in the plan. Both on `rebuild` steps and on
 * a `move` whose shape changed size (on its first step when it hops: the instance comes up at
 * the new size on the first host it moves to); `fromSize` alone on a `remove` or `stop` (absent
 * when the lock recorded no size for its shape), `toSize` alone on a `create`.
 */
export interface RebuildSizes {
    readonly fromSize?: StepSize;
    readonly toSize?: StepSize;
}

/**
 * One step of the order, host names: a `move` takes `instance` from `from` to `to`; a `stop` or
 * `remove` shuts it down on `from` (`to` is null); a `rebuild` rebuilds it on `from` (= `to`)
 * from `fromSize` to `toSize`; a `create` starts a new instance on `to` (`from` names the same
 * host).
 */
export interface MigrationStep extends RebuildSizes, StepWhy {
    /** 1-based. */
    readonly step: number;
    readonly kind: StepKind;
    readonly instance: string;
    readonly from: string;
    readonly to: string | null;
    /**
     * True for the hop through a host with room that breaks a cycle (the instance moves on later);
     * only when a step that is not a hop follows it in the order.
     */
    readonly temporary: boolean;
}

/**
 * A step that no safe order can make: `instance: from -> to` for a move (a rebuild: from = to,
 * with its sizes; a create: from = to, its planned host; a removal or stop held because its role
 * would be left with no running instance or all on one host: `to` null).
 */
export interface BlockedStep extends RebuildSizes, StepWhy {
    readonly kind: StepKind;
    readonly instance: string;
    readonly from: string;
    readonly to: string | null;
}

/**
 * A role whose locked instances could not all be shut down before its new ones are created:
 * shutting down the next one would leave it with no running instance (`runningAfter` 0) or with
 * all of them on one host, and none of its `waiting` new instances has room.
 */
export interface HeldRole {
    readonly role: Role;
    /** Its running instances after the held removal or stop: 0, or all on one host. */
    readonly runningAfter: number;
    /** Its new instances not created. */
    readonly waiting: number;
}

/** The order, or the steps that could not be ordered safely. */
export interface MigrationOrder {
    readonly steps: readonly MigrationStep[];
    /** Steps left when no safe step exists (empty when every one is ordered). */
    readonly blocked: readonly BlockedStep[];
    /** Roles whose removals or stops are among the blocked ones, with why (empty otherwise). */
    readonly heldRoles?: readonly HeldRole[];
}

/**
 * What changes besides the moves (see `migrationChanges`): instances of the lock no longer
 * deployed (names, lock order), locked instances left unplaced and locked instances rebuilt in
 * place at a new size (indices into `model.instances`, instance order).
 */
export interface MigrationChanges {
    readonly removed: readonly string[];
    readonly stopped: readonly number[];
    readonly rebuilt: readonly number[];
    /** New instances (not in the lock) the placement places: index and planned host index. */
    readonly created?: readonly { readonly i: number; readonly to: number }[];
    /** Per role index: gathered on one host in the placement itself (`HostLoads.gatheredRoles`). */
    readonly gathered?: readonly boolean[];
}

/**
 * The `MigrationChanges` of a placement `hostOf` (per instance its host index, -1 unplaced)
 * planned from `lock`, given the instances the lock has that `model` no longer deploys
 * (`removed`, as `LockDelta.removed`). A rebuild is a locked instance placed on the host the lock
 * names whose shape the lock recorded at another size (vCPUs or GiB). Never throws.
 */
export function migrationChanges(
    model: PlanModel,
    lock: Lock,
    hostOf: readonly number[],
    removed: readonly string[]
): MigrationChanges {
    const stopped: number[] = [],
        rebuilt: number[] = [],
        created: { i: number; to: number }[] = [];
    const { lockedHost } = lockIndex(model, lock);
    for (let i = 0; i < model.instances.length; i++) {
        const locked = lockedHost[i];
        const h = hostOf[i] ?? -1;
        if (locked === undefined) {
            if (h >= 0) created.push({ i, to: h });
            continue;
        }
        if (h < 0) stopped.push(i);
        else if (model.hosts[h].name === locked && resized(model, lock, i)) rebuilt.push(i);
    }
    // a role the placement itself gathers on one host: the steps towards it are not held to rule 3
    const gathered = HostLoads.of(model, hostOf).gatheredRoles();
    return { removed, stopped, rebuilt, created, gathered };
}

/** The state the steps are replayed on: per host load and role counts, per instance its host and size. */
interface State {
    readonly c: Float64Array;
    readonly m: Float64Array;
    readonly roles: Int32Array;
    /** Running instances per role (on plan hosts or not). */
    readonly roleN: number[];
    /** Per role: not held to the one-host rule (gathered in the placement itself). */
    waive: readonly boolean[];
}

/**
 * An instance of the lock that the plan no longer deploys, as it weighs on its host until its
 * removal: its host index and the size the lock recorded for its shape (its name without the
 * `-N` suffix, as the lock writes names; 0 when the lock recorded none).
 */
interface RemovedLoad {
    readonly h: number;
    readonly cores: number;
    readonly memoryGiB: number;
    /** Its role's index (`ROLE_INDEX`), -1 when unknown (see `lockShapeRoles`). */
    readonly r: number;
}

/**
 * The start state of the migration: the lock's placement, instances the plan still deploys at
 * their locked size (`at`: their host index, -1 for a host the plan no longer has) and those it
 * no longer deploys (`removed`, on plan hosts only: they hold room until their removal step).
 */
function startState(
    model: PlanModel,
    lock: Lock
): { state: State; at: Map<number, number>; removed: Map<string, RemovedLoad> } {
    const H = model.hosts.length;
    const hostIndex = new Map(model.hosts.map((h, k) => [h.name, k]));
    const state: State = {
        c: new Float64Array(H),
        m: new Float64Array(H),
        roles: new Int32Array(H * 3),
        roleN: [0, 0, 0],
        waive: [false, false, false]
    };
    const at = new Map<number, number>();
    const deployed = new Set<string>();
    for (let i = 0; i < model.instances.length; i++) {
        deployed.add(model.instances[i].name);
        const name = lock.placement.get(model.instances[i].name);
        if (name === undefined) continue;
        const h = hostIndex.get(name) ?? -1;
        at.set(i, h);
        state.roleN[ROLE_INDEX[model.instances[i].role]]++;
        if (h < 0) continue;
        const s = lockedSize(model, lock, i);
        state.c[h] += s.cores;
        state.m[h] += s.memoryGiB;
        state.roles[h * 3 + ROLE_INDEX[model.instances[i].role]]++;
    }
    const removed = new Map<string, RemovedLoad>();
    const roleOfShape = lockShapeRoles(model, lock);
    for (const [name, host] of lock.placement) {
        const h = hostIndex.get(host);
        if (deployed.has(name) || h === undefined) continue;
        const shape = name.replace(/-[0-9]+$/, '');
        const size = lock.shapes.get(shape);
        const load = {
            h,
            cores: size?.cores ?? 0,
            memoryGiB: size?.memoryGiB ?? 0,
            r: roleOfShape.get(shape) ?? -1
        };
        removed.set(name, load);
        state.c[h] += load.cores;
        state.m[h] += load.memoryGiB;
        // a removed instance of a known role runs (for its role) until its removal
        if (load.r >= 0) {
            state.roleN[load.r]++;
            state.roles[h * 3 + load.r]++;
        }
    }
    return { state, at, removed };
}

/** Frees the room of a removed instance (`startState`'s `removed`). */
function unload(state: State, load: RemovedLoad | undefined): void {
    if (!load) return;
    state.c[load.h] -= load.cores;
    state.m[load.h] -= load.memoryGiB;
    if (load.r >= 0) {
        state.roleN[load.r]--;
        state.roles[load.h * 3 + load.r]--;
    }
}

/**
 * Whether shutting down one running instance of role `r` on host `h` (-1: on no plan host) keeps
 * the role rule while `waiting` of its new instances are still to be created: the role keeps a
 * running instance, and is not left on one host (with two or more before, or gathered onto one
 * host with two or more after) unless it already was. Returns the role's running count after
 * the step when it breaks the rule, else `undefined`.
 */
function dropBreaks(state: State, r: number, h: number, waiting: number): number | undefined {
    if (r < 0 || waiting === 0) return undefined;
    const before = state.roleN[r],
        after = before - 1;
    if (after < 1) return after;
    let most = 0,
        mostBefore = 0;
    for (let k = 0; k * 3 < state.roles.length; k++) {
        const n = state.roles[k * 3 + r];
        mostBefore = Math.max(mostBefore, n);
        most = Math.max(most, k === h ? n - 1 : n);
    }
    const oneHost = after === 1 || most === after;
    const wasOneHost = before === 1 || mostBefore === before;
    return oneHost && !wasOneHost ? after : undefined;
}

/**
 * Whether new instance `i` fits on host `to` now, keeping `reserve` (per host vCPUs and GiB that
 * pending arrivals still need; omitted: none) free. A creation never gathers a role onto one host
 * that was not already there, so room is the only rule.
 */
function createFits(
    model: PlanModel,
    state: State,
    i: number,
    to: number,
    reserve?: { c: Float64Array; m: Float64Array }
): boolean {
    const it = model.instances[i],
        host = model.hosts[to];
    return (
        state.c[to] + it.cores + (reserve?.c[to] ?? 0) <= host.usableCores + EPS &&
        state.m[to] + it.memoryGiB + (reserve?.m[to] ?? 0) <= host.usableMemoryGiB + EPS
    );
}

/** Creates new instance `i` on host `to`. */
function createOn(model: PlanModel, state: State, i: number, to: number): void {
    const it = model.instances[i],
        r = ROLE_INDEX[it.role];
    state.c[to] += it.cores;
    state.m[to] += it.memoryGiB;
    state.roles[to * 3 + r]++;
    state.roleN[r]++;
}

/** Whether moving instance `i` (now on `from`, -1 for no host) to `to` keeps the hard rules in `state`. */
function safe(model: PlanModel, state: State, i: number, from: number, to: number): boolean {
    const it = model.instances[i],
        host = model.hosts[to];
    if (
        state.c[to] + it.cores > host.usableCores + EPS ||
        state.m[to] + it.memoryGiB > host.usableMemoryGiB + EPS
    )
        return false;
    const r = ROLE_INDEX[it.role];
    if (state.roleN[r] < 2 || state.waive[r]) return true;
    // after the step, is the role all on `to`? (allowed only when it already was all on one host)
    const onTo = state.roles[to * 3 + r] + 1;
    if (onTo < state.roleN[r]) return true;
    return from >= 0 && state.roles[from * 3 + r] === state.roleN[r];
}

/** Applies the move of `i` from `from` (its size then `size`) to `to` (at its planned size). */
function apply(
    model: PlanModel,
    state: State,
    i: number,
    from: number,
    size: { cores: number; memoryGiB: number },
    to: number
): void {
    const it = model.instances[i],
        r = ROLE_INDEX[it.role];
    if (from >= 0) {
        state.c[from] -= size.cores;
        state.m[from] -= size.memoryGiB;
        state.roles[from * 3 + r]--;
    }
    state.c[to] += it.cores;
    state.m[to] += it.memoryGiB;
    state.roles[to * 3 + r]++;
}

/** Takes instance `i` (its size then `size`) off host `h` (-1: no host), as a stop does. */
function takeOff(
    model: PlanModel,
    state: State,
    i: number,
    h: number,
    size: { cores: number; memoryGiB: number }
): void {
    const r = ROLE_INDEX[model.instances[i].role];
    state.roleN[r]--;
    if (h < 0) return;
    state.c[h] -= size.cores;
    state.m[h] -= size.memoryGiB;
    state.roles[h * 3 + r]--;
}

/** Whether rebuilding instance `i` on host `h` from `size` to its planned size keeps `h` within its usable vCPUs and memory. */
function rebuildFits(
    model: PlanModel,
    state: State,
    i: number,
    h: number,
    size: { cores: number; memoryGiB: number }
): boolean {
    const it = model.instances[i],
        host = model.hosts[h];
    return (
        state.c[h] - size.cores + it.cores <= host.usableCores + EPS &&
        state.m[h] - size.memoryGiB + it.memoryGiB <= host.usableMemoryGiB + EPS
    );
}

/** Rebuilds instance `i` on host `h` from `size` to its planned size. */
function rebuildOn(
    model: PlanModel,
    state: State,
    i: number,
    h: number,
    size: { cores: number; memoryGiB: number }
): void {
    const it = model.instances[i];
    state.c[h] += it.cores - size.cores;
    state.m[h] += it.memoryGiB - size.memoryGiB;
}

/** A move or rebuild not yet ordered. */
interface Pending {
    readonly kind: 'move' | 'rebuild';
    readonly i: number;
    readonly from: number;
    readonly fromName: string;
    readonly to: number;
    readonly size: { cores: number; memoryGiB: number };
    readonly hopped: boolean;
}

/**
 * Orders `moves` (from `planPlacement`'s delta) and the `changes` besides them
 * (`migrationChanges`: removals, stops, rebuilds in place, creations) starting from `lock` (see
 * the module comment). Deterministic; never throws. Steps count from 1.
 */
export function orderMigration(
    model: PlanModel,
    lock: Lock,
    moves: readonly PlannedMove[],
    changes: MigrationChanges = { removed: [], stopped: [], rebuilt: [] }
): MigrationOrder {
    if (
        moves.length === 0 &&
        changes.removed.length === 0 &&
        changes.stopped.length === 0 &&
        changes.rebuilt.length === 0 &&
        (changes.created ?? []).length === 0
    )
        return { steps: [], blocked: [] };
    const { state, at, removed } = startState(model, lock);
    if (changes.gathered) state.waive = changes.gathered;
    const steps: MigrationStep[] = [];
    const hostName = (h: number, i: number) =>
        h >= 0 ? model.hosts[h].name : lock.placement.get(model.instances[i].name)!;
    // removals and stops (lock order, then instance order): they free room, and wait only when
    // their role would be left with no running instance (or on one host) while new ones wait
    const drops: Drop[] = [
        ...changes.removed.map(name => {
            const load = removed.get(name);
            return { name, h: load?.h ?? -1, r: load?.r ?? -1 };
        }),
        ...changes.stopped
            .filter(i => at.has(i))
            .map(i => ({ i, name: model.instances[i].name, h: at.get(i)!, r: roleOf(model, i) }))
    ];
    // every new instance is a step; those of a role that loses locked instances come first
    // (make before break), the others after the moves and rebuilds, so that they never take
    // room a move or a temporary hop needs
    const losing = new Set(drops.map(d => d.r).filter(r => r >= 0));
    const creates = (changes.created ?? []).filter(c => losing.has(roleOf(model, c.i)));
    const others = (changes.created ?? []).filter(c => !losing.has(roleOf(model, c.i)));
    const waiting = [0, 0, 0];
    for (const c of creates) waiting[roleOf(model, c.i)]++;
    const drop = (d: Drop) => {
        if (d.i === undefined) unload(state, removed.get(d.name));
        else takeOff(model, state, d.i, d.h, lockedSize(model, lock, d.i));
        steps.push({
            step: steps.length + 1,
            kind: d.i === undefined ? 'remove' : 'stop',
            instance: d.name,
            from: d.i === undefined ? (lock.placement.get(d.name) ?? '') : hostName(d.h, d.i),
            to: null,
            temporary: false,
            ...dropOrCreateSize(model, lock, d.i === undefined ? 'remove' : 'stop', d.name, d.i)
        });
    };
    const create = (c: { i: number; to: number }) => {
        createOn(model, state, c.i, c.to);
        waiting[roleOf(model, c.i)]--;
        const host = model.hosts[c.to].name;
        steps.push({
            step: steps.length + 1,
            kind: 'create',
            instance: model.instances[c.i].name,
            from: host,
            to: host,
            temporary: false,
            ...dropOrCreateSize(model, lock, 'create', model.instances[c.i].name, c.i)
        });
    };
    const rebuild = (i: number): Pending => {
        const h = at.get(i)!;
        return {
            kind: 'rebuild',
            i,
            from: h,
            fromName: model.hosts[h].name,
            to: h,
            size: lockedSize(model, lock, i),
            hopped: false
        };
    };
    const grows = (p: Pending) =>
        model.instances[p.i].cores > p.size.cores + EPS ||
        model.instances[p.i].memoryGiB > p.size.memoryGiB + EPS;
    const rebuilds = changes.rebuilt.filter(i => (at.get(i) ?? -1) >= 0).map(rebuild);
    const pending: Pending[] = [
        ...rebuilds.filter(p => !grows(p)),
        ...moves.map(mv => ({
            kind: 'move' as const,
            i: mv.instance,
            from: mv.fromHost,
            fromName: mv.from,
            to: mv.to,
            size: lockedSize(model, lock, mv.instance),
            hopped: false
        })),
        ...rebuilds.filter(grows)
    ];
    const open = model.hosts.map(h => !h.drain);
    // a rebuild says its sizes, and so does a move whose shape changed size (it comes up on its
    // new host at the new size): the operator resizes the instance as it moves
    const sizes = (p: Pending): RebuildSizes =>
        p.kind === 'rebuild' ||
        Math.abs(model.instances[p.i].cores - p.size.cores) > EPS ||
        Math.abs(model.instances[p.i].memoryGiB - p.size.memoryGiB) > EPS
            ? {
                  fromSize: { cores: p.size.cores, memoryGiB: p.size.memoryGiB },
                  toSize: {
                      cores: model.instances[p.i].cores,
                      memoryGiB: model.instances[p.i].memoryGiB
                  }
              }
            : {};
    const push = (p: Pending, to: number, temporary: boolean) =>
        steps.push({
            step: steps.length + 1,
            kind: p.kind,
            instance: model.instances[p.i].name,
            from: p.fromName,
            to: model.hosts[to].name,
            temporary,
            ...sizes(p)
        });
    const ok = (p: Pending) =>
        p.kind === 'rebuild'
            ? rebuildFits(model, state, p.i, p.to, p.size)
            : safe(model, state, p.i, p.from, p.to);
    // per host, the room pending moves and growing rebuilds still need there: a creation keeps it
    const reserve = {
        c: new Float64Array(model.hosts.length),
        m: new Float64Array(model.hosts.length)
    };
    const arrival = (p: Pending, sign: number) => {
        const it = model.instances[p.i];
        const own = p.kind === 'rebuild' ? p.size : { cores: 0, memoryGiB: 0 };
        reserve.c[p.to] += sign * Math.max(0, it.cores - own.cores);
        reserve.m[p.to] += sign * Math.max(0, it.memoryGiB - own.memoryGiB);
    };
    for (const p of pending) arrival(p, 1);
    const dropOk = (d: Drop) => dropBreaks(state, d.r, d.h, waiting[d.r] ?? 0) === undefined;
    // the state before the hops since the last other step: when the order ends blocked, those
    // hops made room for no move that is carried out (an operator would migrate for nothing),
    // so they are undone, and the order goes on without hops until another step is made
    let mark: HopMark<Pending> | undefined,
        hops = true;
    const made = () => {
        mark = undefined;
        hops = true;
    };
    for (;;) {
        // make before break: a new instance first where its host has room to spare
        const c = creates.findIndex(x => createFits(model, state, x.i, x.to, reserve));
        if (c >= 0) {
            made();
            create(creates[c]);
            creates.splice(c, 1);
            continue;
        }
        const d = drops.findIndex(dropOk);
        if (d >= 0) {
            made();
            drop(drops[d]);
            drops.splice(d, 1);
            continue;
        }
        const k = pending.findIndex(ok);
        if (k >= 0) {
            const p = pending[k];
            made();
            if (p.kind === 'rebuild') rebuildOn(model, state, p.i, p.to, p.size);
            else apply(model, state, p.i, p.from, p.size, p.to);
            push(p, p.to, false);
            arrival(p, -1);
            pending.splice(k, 1);
            continue;
        }
        // a cycle without room: one hop through the host with the most free cores that can take it
        let hop: { k: number; t: number } | undefined,
            room = -Infinity;
        for (let q = 0; hops && q < pending.length; q++) {
            const p = pending[q];
            if (p.hopped || p.kind === 'rebuild') continue;
            for (let t = 0; t < model.hosts.length; t++) {
                if (t === p.from || t === p.to || !open[t] || !safe(model, state, p.i, p.from, t))
                    continue;
                const free = model.hosts[t].usableCores - state.c[t];
                if (free > room + EPS) {
                    room = free;
                    hop = { k: q, t };
                }
            }
            if (hop) break;
        }
        if (hop) {
            const p = pending[hop.k];
            mark ??= markHops(state, pending, steps.length);
            apply(model, state, p.i, p.from, p.size, hop.t);
            push(p, hop.t, true);
            pending[hop.k] = {
                ...p,
                from: hop.t,
                fromName: model.hosts[hop.t].name,
                size: {
                    cores: model.instances[p.i].cores,
                    memoryGiB: model.instances[p.i].memoryGiB
                },
                hopped: true
            };
            continue;
        }
        // last resort before giving up: a creation into room a pending arrival was kept
        const late = creates.findIndex(x => createFits(model, state, x.i, x.to));
        if (late >= 0) {
            made();
            create(creates[late]);
            creates.splice(late, 1);
            continue;
        }
        // the new instances of the other roles: the final state keeps the rules, so they fit
        const lateOther = others.findIndex(x => createFits(model, state, x.i, x.to));
        if (lateOther < 0) {
            if (!mark) break;
            // blocked after hops that served nothing: undo them, the instances stay put
            undoHops(mark, state, pending, steps);
            mark = undefined;
            hops = false;
            continue;
        }
        made();
        create(others[lateOther]);
        others.splice(lateOther, 1);
    }
    const heldRoles: HeldRole[] = [];
    for (const x of drops) {
        const after = dropBreaks(state, x.r, x.h, waiting[x.r] ?? 0);
        if (after === undefined || heldRoles.some(h => h.role === ROLES[x.r])) continue;
        heldRoles.push({ role: ROLES[x.r], runningAfter: after, waiting: waiting[x.r] });
    }
    return {
        steps,
        blocked: [
            ...drops.map(x => ({
                kind: x.i === undefined ? ('remove' as const) : ('stop' as const),
                instance: x.name,
                from: x.i === undefined ? (lock.placement.get(x.name) ?? '') : hostName(x.h, x.i),
                to: null,
                ...dropOrCreateSize(model, lock, x.i === undefined ? 'remove' : 'stop', x.name, x.i)
            })),
            ...pending.map(p => ({
                kind: p.kind,
                instance: model.instances[p.i].name,
                from: p.fromName,
                to: model.hosts[p.to].name,
                ...sizes(p)
            })),
            ...[...creates, ...others].map(x => ({
                kind: 'create' as const,
                instance: model.instances[x.i].name,
                from: model.hosts[x.to].name,
                to: model.hosts[x.to].name,
                ...dropOrCreateSize(model, lock, 'create', model.instances[x.i].name, x.i)
            }))
        ],
        heldRoles
    };
}

/** A removal (`i` undefined: `name` is the lock's) or a stop (`i` the instance) not yet ordered, on host `h` (-1: none), of role `r` (-1: unknown). */
interface Drop {
    readonly i?: number;
    readonly name: string;
    readonly h: number;
    readonly r: number;
}

/** Instance `i`'s role index. */
function roleOf(model: PlanModel, i: number): number {
    return ROLE_INDEX[model.instances[i].role];
}

/**
 * Replays `steps` from `lock` and returns the first step that breaks a hard rule (a host over
 * its usable vCPUs or memory after it, a source that is not where the instance is, a role
 * gathered onto one host, a removal of an instance the plan still deploys or a stop of one it
 * does not, a rebuild off its host, a creation of an instance that runs already, a removal or
 * stop that leaves its role with no running instance or all on one host while new instances of
 * it are still to be created), as a message, or `undefined` when every step keeps them.
 * `hostOf` (per instance its planned host index, -1 unplaced) says which new instances are to be
 * created; without it, every instance the lock does not have. For tests and the bench: the order
 * is checked independently of how it was found.
 */
export function replayMigration(
    model: PlanModel,
    lock: Lock,
    steps: readonly MigrationStep[],
    hostOf?: readonly number[]
): string | undefined {
    const { state, at, removed: left } = startState(model, lock);
    if (hostOf) state.waive = HostLoads.of(model, hostOf).gatheredRoles();
    const hostIndex = new Map(model.hosts.map((h, k) => [h.name, k]));
    const instanceIndex = new Map(model.instances.map((it, k) => [it.name, k]));
    const size = new Map<number, { cores: number; memoryGiB: number }>();
    const removed = new Set<string>();
    const waiting = [0, 0, 0];
    for (let i = 0; i < model.instances.length; i++)
        if (!at.has(i) && (hostOf === undefined || (hostOf[i] ?? -1) >= 0))
            waiting[roleOf(model, i)]++;
    const created = new Set<number>();
    const starves = (r: number, h: number) => {
        const after = dropBreaks(state, r, h, waiting[r] ?? 0);
        return after === undefined
            ? undefined
            : `leaves ${ROLES[r]} ${after === 0 ? 'with no running instance' : 'on one host'} while ${waiting[r]} new to create`;
    };
    for (const s of steps) {
        const kind = s.kind ?? 'move';
        const i = instanceIndex.get(s.instance);
        if (kind === 'remove') {
            if (i !== undefined)
                return `step ${s.step}: ${s.instance} is still deployed, it cannot be removed`;
            if (removed.has(s.instance) || lock.placement.get(s.instance) !== s.from)
                return `step ${s.step}: ${s.instance} does not run on ${s.from}`;
            const load = left.get(s.instance);
            const why = load && starves(load.r, load.h);
            if (why) return `step ${s.step}: removing ${s.instance} ${why}`;
            removed.add(s.instance);
            unload(state, load);
            continue;
        }
        if (kind === 'create') {
            const to = s.to === null ? undefined : hostIndex.get(s.to);
            if (i === undefined || to === undefined)
                return `step ${s.step}: create ${s.instance} on ${s.to ?? 'no host'} names what the plan does not have`;
            if (at.has(i) || created.has(i))
                return `step ${s.step}: ${s.instance} runs already, it cannot be created`;
            if (!createFits(model, state, i, to))
                return `step ${s.step}: creating ${s.instance} on ${s.to} overcommits it`;
            createOn(model, state, i, to);
            created.add(i);
            waiting[roleOf(model, i)]--;
            continue;
        }
        if (i === undefined)
            return `step ${s.step}: ${s.instance} names an instance the plan does not have`;
        const from = at.get(i);
        const expected =
            from === undefined
                ? undefined
                : from >= 0
                  ? model.hosts[from].name
                  : lock.placement.get(s.instance);
        if (expected !== s.from)
            return `step ${s.step}: ${s.instance} is on ${expected ?? 'no host'}, not ${s.from}`;
        const now = size.get(i) ?? lockedSize(model, lock, i);
        if (kind === 'stop') {
            const why = starves(roleOf(model, i), from!);
            if (why) return `step ${s.step}: stopping ${s.instance} ${why}`;
            takeOff(model, state, i, from!, now);
            at.delete(i);
            continue;
        }
        const to = s.to === null ? undefined : hostIndex.get(s.to);
        if (to === undefined)
            return `step ${s.step}: ${s.instance} -> ${s.to ?? 'no host'} names what the plan does not have`;
        if (kind === 'rebuild') {
            if (to !== from) return `step ${s.step}: a rebuild of ${s.instance} changes its host`;
            if (!rebuildFits(model, state, i, to, now))
                return `step ${s.step}: rebuilding ${s.instance} on ${s.to} overcommits it`;
            rebuildOn(model, state, i, to, now);
        } else {
            if (!safe(model, state, i, from!, to))
                return `step ${s.step}: ${s.instance} -> ${s.to} breaks a hard rule`;
            apply(model, state, i, from!, now, to);
            at.set(i, to);
        }
        size.set(i, { cores: model.instances[i].cores, memoryGiB: model.instances[i].memoryGiB });
    }
    return undefined;
}
