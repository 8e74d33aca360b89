/**
 * The exact mode's day-2 answer made migratable (issue 12): the MILP proves the best spread, mix
 * and balance that `rebalance_moves = N` further moves can reach, but it knows nothing of the
 * order the moves are carried out in. On nearly full hosts its optimum may swap instances
 * between hosts that have no room for even a temporary hop, so its migration order is blocked
 * (`migration-blocked`) where the heuristic's own rebalance moves, fewer, order cleanly. A
 * rebalance move is an option, not a need: a placement whose order is blocked is not shown when
 * one at the same levels up to `moves` (cores placed, role shortfalls, no role on one host, no
 * more moves) orders cleanly. `unblockRebalance` gives rebalance moves back until the order is
 * clean: round by round, the first blocked move that no rule forces goes back to its locked host
 * (alone where that fits, else with the free moves into that host, and theirs, in a chain: a
 * swap's other half), while every host keeps within its room and no role ends on one host. The
 * heuristic's placement (the solve's start: what `dcplan place` shows) competes when it orders
 * cleanly at the same levels up to `moves`: of the two, the better at the levels after `moves`
 * (spread, mix, racks, busiest host), then the one that keeps more moves.
 *
 * Which moves are the rebalance ones (`rebalancedOf`): per shape and locked host, the instances
 * kept there by the solution of the `moves` level (the fewest moves) and no longer kept in the
 * shown placement; the others keep the planner's reason.
 *
 * The work is counted: one migration order per round, at most one round per rebalance move spent
 * (so at most `rebalance_moves`), each trying the blocked moves, and one order for the
 * heuristic's placement. Pure: no I/O.
 */
import type { PlanModel } from './model.js';
import type { Lock } from './lock.js';
import type { PinnedPlan } from './pins.js';
import type { PlacementResult } from './placement-types.js';
import { EPS, lexLess, measure } from './objective.js';
import {
    deltaOf,
    lockMoves,
    toPlacement,
    type LockDelta,
    type LockedStart
} from './incremental.js';
import { migrationChanges, orderMigration } from './migration.js';
import { HostLoads } from './host-loads.js';
import type { ExactLevelResult } from './exact-types.js';

/** What `unblockRebalance` shows instead of the solve's placement. */
export interface Unblocked {
    readonly placement: PlacementResult;
    /** Rebalance moves given back: the solve's moves less the shown placement's (at least 1). */
    readonly dropped: number;
}

/** The inputs of `unblockRebalance`, as the exact solve has them. */
export interface UnblockInput {
    /** The plan as written (drained hosts with their capacity: the lock's moves are counted on it). */
    readonly planned: PlanModel;
    /** The plan with drained hosts emptied (`withDrainedEmptied`): the room each host has. */
    readonly cap: PlanModel;
    readonly lock: Lock;
    readonly locked: LockedStart;
    readonly pp: PinnedPlan;
    /** The solve's placement. */
    readonly placement: PlacementResult;
    /** The heuristic's placement the solve started from. */
    readonly start: PlacementResult;
    /** `rebalance_moves`: the further moves the levels after `moves` may spend. */
    readonly budget: number;
    /** The solve's levels: the `moves` level's value is the fewest moves. */
    readonly levels: readonly ExactLevelResult[];
}

/**
 * The placement to show instead of `input.placement` when the latter's migration order is
 * blocked and it spends rebalance moves (more than the `moves` level's value), with fewer moves
 * and a clean order at the same levels up to `moves` (see the module comment); `undefined` when
 * the solve's placement stays (its order is clean, it spends no rebalance move, or no such
 * placement is found). Never throws on a well-formed model.
 */
export function unblockRebalance(input: UnblockInput): Unblocked | undefined {
    const { planned, cap, locked, placement, start } = input;
    const spent = movesOf(input, placement.hostOf);
    const fewest = input.levels.find(l => l.level === 'moves')?.value ?? Infinity;
    if (input.budget <= 0 || spent <= fewest || !blocked(input, placement.hostOf)) return undefined;
    const hostOf = [...placement.hostOf];
    const onOneHost = HostLoads.of(cap, hostOf).onOneHost();
    const byName = new Map(planned.instances.map((it, i) => [it.name, i]));
    // every host within its room, and no more roles on one host
    const keeps = (ho: readonly number[]): boolean => {
        const loads = HostLoads.of(planned, ho, cap);
        return (
            cap.hosts.every(
                (_, k) => loads.freeCores(k) >= -EPS && loads.freeMemoryGiB(k) >= -EPS
            ) && loads.onOneHost() <= onOneHost
        );
    };
    /** A move no rule forces: its instance may go back to its locked host. */
    const free = (i: number) =>
        !locked.isPinned[i] &&
        locked.why[i] === undefined &&
        locked.stayHost[i] >= 0 &&
        hostOf[i] !== locked.stayHost[i];
    /**
     * `hostOf` with `i` sent home, and with it every free move into a host so sent home (a swap's
     * or a chain's other half: the room it needs there).
     */
    const chainHome = (i: number): number[] => {
        const into: number[][] = cap.hosts.map(() => []);
        for (let k = 0; k < hostOf.length; k++)
            if (hostOf[k] >= 0 && free(k)) into[hostOf[k]].push(k);
        const out = [...hostOf];
        const seen = new Set<number>([i]);
        const todo = [i];
        while (todo.length > 0) {
            const j = todo.pop()!;
            out[j] = locked.stayHost[j];
            for (const k of into[out[j]]) {
                if (seen.has(k)) continue;
                seen.add(k);
                todo.push(k);
            }
        }
        return out;
    };
    // one round per rebalance move at most: each accepted round sends at least one instance home
    for (let round = 0; round < spent - fewest; round++) {
        const order = orderOf(input, hostOf);
        if (order.blocked.length === 0) break;
        let next: number[] | undefined;
        // the first blocked free move that can go home alone, else with its chain
        for (const b of order.blocked) {
            const i = b.kind === 'move' ? (byName.get(b.instance) ?? -1) : -1;
            if (i < 0 || !free(i)) continue;
            const alone = [...hostOf];
            alone[i] = locked.stayHost[i];
            if (keeps(alone)) next = alone;
            else {
                const chain = chainHome(i);
                if (keeps(chain)) next = chain;
            }
            if (next) break;
        }
        if (!next) break;
        hostOf.splice(0, hostOf.length, ...next);
    }
    const reverted = spent > movesOf(input, hostOf) && !blocked(input, hostOf);
    // the heuristic's placement, when it orders cleanly at the same levels up to `moves`
    const a = measure(cap, placement),
        b = measure(cap, start);
    // the start at least as good: most cores placed, the largest role shortfall as small, the
    // smallest as large (as minimised: the maximised ones with their sign turned)
    const levels = (f: typeof a) => [
        -f.placedCores,
        Math.max(...f.roleShort),
        -Math.min(...f.roleShort)
    ];
    const shortfall = !lexLess(levels(a), levels(b));
    const heuristic =
        shortfall &&
        HostLoads.of(cap, start.hostOf).onOneHost() <= onOneHost &&
        movesOf(input, start.hostOf) < spent &&
        !blocked(input, start.hostOf);
    if (!reverted && !heuristic) return undefined;
    // both: the better at the levels after `moves` (spread, mix, racks, busiest host), then the
    // one with more of the optimum's moves kept
    const revertedPlacement = toPlacement(cap, input.pp, hostOf, locked.isPinned);
    const later = (p: PlacementResult) => {
        const f = measure(cap, p);
        return [
            f.spread,
            f.singleRole,
            f.missingRoles,
            f.racks,
            f.maxUtil,
            -movesOf(input, p.hostOf)
        ];
    };
    const useStart = heuristic && (!reverted || lexLess(later(start), later(revertedPlacement)));
    const shown = useStart ? start : revertedPlacement;
    return { placement: shown, dropped: spent - movesOf(input, shown.hostOf) };
}

/**
 * The exact placement's `LockDelta` (`deltaOf`) with its rebalance moves said as such: per shape
 * and locked host, the instances the `moves` level's counts (`movesCounts`, index s * H + h over
 * `pp`'s shapes; none: no move is a rebalance one) keep there and the shown placement no longer
 * keeps, among the moves no rule forces. Never throws.
 */
export function exactDelta(
    planned: PlanModel,
    locked: LockedStart,
    pp: PinnedPlan,
    hostOf: readonly number[],
    movesCounts: Int32Array | undefined
): LockDelta {
    return deltaOf(planned, locked, hostOf, rebalancedOf(planned, locked, pp, hostOf, movesCounts));
}

/** The rebalance moves of `hostOf` (see `exactDelta`): instance indices. */
function rebalancedOf(
    planned: PlanModel,
    locked: LockedStart,
    pp: PinnedPlan,
    hostOf: readonly number[],
    movesCounts: Int32Array | undefined
): Set<number> {
    const out = new Set<number>();
    if (!movesCounts) return out;
    const H = planned.hosts.length;
    const shapeId = new Map(pp.shapeNames.map((s, k) => [s, k]));
    // per (shape, locked host): kept at the moves level, less kept now
    const keptThen = new Int32Array(pp.S * H),
        keptNow = new Int32Array(pp.S * H),
        stay = new Int32Array(pp.S * H);
    const n = planned.instances.length;
    for (let i = 0; i < n; i++) {
        const h = locked.stayHost[i];
        if (h < 0 || locked.isPinned[i]) continue;
        const k = shapeId.get(planned.instances[i].shape)! * H + h;
        stay[k]++;
        if (hostOf[i] === h) keptNow[k]++;
    }
    for (let k = 0; k < keptThen.length; k++) keptThen[k] = Math.min(movesCounts[k], stay[k]);
    for (let i = 0; i < n; i++) {
        const h = locked.stayHost[i];
        if (h < 0 || locked.isPinned[i] || hostOf[i] === h || locked.why[i] !== undefined) continue;
        const k = shapeId.get(planned.instances[i].shape)! * H + h;
        if (keptThen[k] > keptNow[k]) {
            keptThen[k]--;
            out.add(i);
        }
    }
    return out;
}

/** The migration order of placement `hostOf` from the lock (as `orderDelta` makes it). */
function orderOf(input: UnblockInput, hostOf: readonly number[]) {
    const delta = deltaOf(input.planned, input.locked, hostOf);
    const changes = migrationChanges(input.planned, input.lock, hostOf, delta.removed);
    return orderMigration(input.planned, input.lock, delta.moves, changes);
}

/** Whether the migration order of `hostOf` has blocked steps. */
function blocked(input: UnblockInput, hostOf: readonly number[]): boolean {
    return orderOf(input, hostOf).blocked.length > 0;
}

/** The moves of `hostOf` as the `moves` level counts them (`lockMoves`). */
function movesOf(input: UnblockInput, hostOf: readonly number[]): number {
    return lockMoves(input.planned, input.locked.lockedHost, hostOf);
}
