/**
 * The migration order (issue 12, day 2): the moves of a plan made from its lock, as ordered
 * steps in which every intermediate state keeps the hard rules:
 *  - no host over its usable vCPUs or memory (a move needs room on its target at that moment);
 *  - no role entirely on one host (a role with two or more running instances is never gathered
 *    onto one host by a step, unless it already was).
 *
 * The start state is the lock: instances no longer deployed are removed first (that frees room),
 * instances whose host is gone are on no host (their move is a rebuild and needs room only on
 * its target), a resized instance has its locked size until it moves. New instances are created
 * after the last step (the final state keeps the rules, so they fit).
 *
 * Order: one step per move; each step takes the first pending move (in instance order) that is
 * safe now. When none is, a cycle of moves has no free room: one pending move goes through a
 * host with room first (`temporary: true`), and on to its target later. When no such host
 * exists either, no safe order exists and the moves left are `blocked`.
 *
 * Pure: no I/O.
 */
import type { PlanModel } from './model.js';
import type { Lock } from './lock.js';
import { EPS, ROLE_INDEX } from './placement.js';
import type { PlannedMove } from './incremental.js';

/** One step of the order: `instance` goes from host `from` to host `to` (names). */
export interface MigrationStep {
    /** 1-based. */
    readonly step: number;
    readonly instance: string;
    readonly from: string;
    readonly to: string;
    /** True for the hop through a host with room that breaks a cycle (the instance moves on later). */
    readonly temporary: boolean;
}

/** The order, or the moves that could not be ordered safely. */
export interface MigrationOrder {
    readonly steps: readonly MigrationStep[];
    /** Moves left when no safe step exists (empty when every move is ordered), as `instance: from -> to`. */
    readonly blocked: readonly {
        readonly instance: string;
        readonly from: string;
        readonly to: string;
    }[];
}

/** The state the steps are replayed on: per host load and role counts, per instance its host and size. */
interface State {
    readonly c: Float64Array;
    readonly m: Float64Array;
    readonly roles: Int32Array;
    /** Running instances per role (on plan hosts or not). */
    readonly roleN: number[];
}

/** The size of instance `i` before it moves: the lock's size of its shape when the lock recorded one. */
function lockedSize(model: PlanModel, lock: Lock, i: number): { cores: number; memoryGiB: number } {
    const it = model.instances[i];
    return lock.shapes.get(it.shape) ?? { cores: it.cores, memoryGiB: it.memoryGiB };
}

/** The start state of the migration: the lock's placement of the instances the plan still deploys. */
function startState(model: PlanModel, lock: Lock): { state: State; at: Map<number, number> } {
    const H = model.hosts.length;
    const hostIndex = new Map(model.hosts.map((h, k) => [h.name, k]));
    const state: State = {
        c: new Float64Array(H),
        m: new Float64Array(H),
        roles: new Int32Array(H * 3),
        roleN: [0, 0, 0]
    };
    const at = new Map<number, number>();
    for (let i = 0; i < model.instances.length; i++) {
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
    return { state, at };
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
    if (state.roleN[r] < 2) return true;
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

/**
 * Orders `moves` (from `planPlacement`'s delta) starting from `lock` (see the module comment).
 * Deterministic; never throws. Steps count from 1.
 */
export function orderMigration(
    model: PlanModel,
    lock: Lock,
    moves: readonly PlannedMove[]
): MigrationOrder {
    if (moves.length === 0) return { steps: [], blocked: [] };
    const { state } = startState(model, lock);
    const pending = moves.map(mv => ({
        i: mv.instance,
        from: mv.fromHost,
        fromName: mv.from,
        to: mv.to,
        size: lockedSize(model, lock, mv.instance),
        hopped: false
    }));
    const steps: MigrationStep[] = [];
    const open = model.hosts.map(h => !h.drain);
    const push = (i: number, from: string, to: number, temporary: boolean) =>
        steps.push({
            step: steps.length + 1,
            instance: model.instances[i].name,
            from,
            to: model.hosts[to].name,
            temporary
        });
    while (pending.length > 0) {
        const k = pending.findIndex(p => safe(model, state, p.i, p.from, p.to));
        if (k >= 0) {
            const p = pending[k];
            apply(model, state, p.i, p.from, p.size, p.to);
            push(p.i, p.fromName, p.to, false);
            pending.splice(k, 1);
            continue;
        }
        // a cycle without room: one hop through the host with the most free cores that can take it
        let hop: { k: number; t: number } | undefined,
            room = -Infinity;
        for (let q = 0; q < pending.length; q++) {
            const p = pending[q];
            if (p.hopped) continue;
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
        if (!hop) break;
        const p = pending[hop.k];
        apply(model, state, p.i, p.from, p.size, hop.t);
        push(p.i, p.fromName, hop.t, true);
        pending[hop.k] = {
            ...p,
            from: hop.t,
            fromName: model.hosts[hop.t].name,
            size: { cores: model.instances[p.i].cores, memoryGiB: model.instances[p.i].memoryGiB },
            hopped: true
        };
    }
    return {
        steps,
        blocked: pending.map(p => ({
            instance: model.instances[p.i].name,
            from: p.fromName,
            to: model.hosts[p.to].name
        }))
    };
}

/**
 * Replays `steps` from `lock` and returns the first step that breaks a hard rule (a host over
 * its usable vCPUs or memory after it, a source that is not where the instance is, or a role
 * gathered onto one host), as a message, or `undefined` when every step keeps them. For tests
 * and the bench: the order is checked independently of how it was found.
 */
export function replayMigration(
    model: PlanModel,
    lock: Lock,
    steps: readonly MigrationStep[]
): string | undefined {
    const { state, at } = startState(model, lock);
    const hostIndex = new Map(model.hosts.map((h, k) => [h.name, k]));
    const instanceIndex = new Map(model.instances.map((it, k) => [it.name, k]));
    const size = new Map<number, { cores: number; memoryGiB: number }>();
    for (const s of steps) {
        const i = instanceIndex.get(s.instance),
            to = hostIndex.get(s.to);
        if (i === undefined || to === undefined)
            return `step ${s.step}: ${s.instance} -> ${s.to} names what the plan does not have`;
        const from = at.get(i);
        const expected =
            from === undefined
                ? undefined
                : from >= 0
                  ? model.hosts[from].name
                  : lock.placement.get(s.instance);
        if (expected !== s.from)
            return `step ${s.step}: ${s.instance} is on ${expected ?? 'no host'}, not ${s.from}`;
        if (!safe(model, state, i, from!, to))
            return `step ${s.step}: ${s.instance} -> ${s.to} breaks a hard rule`;
        apply(model, state, i, from!, size.get(i) ?? lockedSize(model, lock, i), to);
        size.set(i, { cores: model.instances[i].cores, memoryGiB: model.instances[i].memoryGiB });
        at.set(i, to);
    }
    return undefined;
}

/**
 * Per host, the steps that bring an instance in and take one out (a temporary hop counts on the
 * host it passes through, both ways): for the hover, code lens and preview's "k in, m out".
 * Blocked moves may be given too (they are needed, if not safely orderable).
 */
export function movesPerHost(
    steps: readonly { readonly from: string; readonly to: string }[]
): Map<string, { in: number; out: number }> {
    const out = new Map<string, { in: number; out: number }>();
    const at = (h: string) => {
        let v = out.get(h);
        if (!v) out.set(h, (v = { in: 0, out: 0 }));
        return v;
    };
    for (const s of steps) {
        at(s.to).in++;
        at(s.from).out++;
    }
    return out;
}

/**
 * The hover's line about the lock's moves through `hosts` (names): `Moves from the lock: hv05 8
 * in, 0 out.`, only hosts with moves listed; `undefined` when the plan was not placed from a lock.
 */
export function hostMovesLine(
    order: MigrationOrder | undefined,
    hosts: readonly string[]
): string | undefined {
    if (!order) return undefined;
    // blocked moves are needed too: counted like the steps (the preview and the CLI list them)
    const per = movesPerHost([...order.steps, ...order.blocked]);
    const parts = hosts
        .filter(h => per.has(h))
        .map(h => `${h} ${per.get(h)!.in} in, ${per.get(h)!.out} out`);
    return `Moves from the lock: ${parts.length > 0 ? parts.join('; ') : 'none'}.`;
}
