/**
 * The shapes of an exact solve (see `exact.ts`): its levels, options and result. Types and the
 * level order only; re-exported by `exact.ts`.
 */
import { DAY2_OBJECTIVE_LEVELS, OBJECTIVE_LEVELS } from './objective.js';
import type { PlacementResult } from './placement-types.js';
import type { Lock } from './lock.js';
import type { LockDelta } from './incremental.js';

/** The lexicographic levels, in order: the objective's (see the module comment and `objective.ts`). */
export const EXACT_LEVELS = OBJECTIVE_LEVELS;
/** The levels with a lock (day 2): `roleOnOneHost` and `moves` after the cores placed (`DAY2_OBJECTIVE_LEVELS`). */
export const EXACT_DAY2_LEVELS = DAY2_OBJECTIVE_LEVELS;
/** One level of the lexicographic objective (see `OBJECTIVE_LEVELS`, `DAY2_OBJECTIVE_LEVELS`). */
export type ExactLevel = (typeof EXACT_DAY2_LEVELS)[number];

/** One level of the lexicographic solve. */
export interface ExactLevelResult {
    readonly level: ExactLevel;
    /**
     * Value of the level in the returned placement, in the level's own unit: vCPUs for
     * `placedCores` (placed) and the role shortfalls, instance counts for `spread`, hosts for
     * `singleRole`, roles for `missingRoles` and `roleOnOneHost`, instances for `moves` (locked ones not kept on their host: moved, or left unplaced), instances for `racks`, a 0–1 fraction for `maxUtil`.
     */
    readonly value: number;
    /** The best bound proved for the level: ≥ value for `placedCores` and `minRoleShort` (maximised), ≤ value for the others. */
    readonly bound: number;
    /** `optimal`: value = bound (proved); `time-limit`: stopped with a gap; `trivial`: fixed without a solve (the heuristic reaches the level's trivial bound). */
    readonly status: 'optimal' | 'time-limit' | 'trivial';
    readonly seconds: number;
}

/** Result of an exact solve. */
export interface ExactResult {
    /** The placement (same shape and naming rule as `place`). */
    readonly placement: PlacementResult;
    /**
     * `optimal`: every level proved; `time-limit`: the time ran out (`gap` says how far the first
     * unproved level may be from its optimum; later levels were optimised as time allowed);
     * `infeasible`: the solver found no placement at all (not expected: an empty placement is
     * always feasible); `failed`: the solver threw (`error` says what) — in both cases
     * `placement` is the heuristic's.
     */
    readonly status: 'optimal' | 'time-limit' | 'infeasible' | 'failed';
    /** With status `failed`: the solver's error message. */
    readonly error?: string;
    /** Relative gap |value − bound| / max(|value|, 1e-9) of the first unproved level; 0 when optimal. */
    readonly gap: number;
    /** The first level that is not proved, `null` when optimal. */
    readonly gapLevel: ExactLevel | null;
    readonly levels: readonly ExactLevelResult[];
    /** Placed vCPUs in the placement and the proved upper bound on placed vCPUs (equal when proved). */
    readonly placedCores: number;
    readonly placedCoresBound: number;
    /** Deployed vCPUs of the plan (placed + unplaced). */
    readonly deployedCores: number;
    /** Busiest host's core utilisation, 0–1 (above 1 where pins overcommit a host: the figure shown). */
    readonly maxUtilisation: number;
    /** True on a physical plan: nothing is placed on hosts (every instance is its own machine). */
    readonly nothingToPlace?: boolean;
    /** True when `ExactOptions.stopWhen` stopped the solve. */
    readonly stopped?: boolean;
    /** Wall-clock seconds of the solve (without loading the runtime). */
    readonly seconds: number;
    /**
     * With a lock (`ExactOptions.lock`): the moves of the placement from the lock, the fewest
     * that the levels before `moves` allow (proved when that level's status is `optimal`).
     */
    readonly delta?: LockDelta;
    /**
     * With a lock and `rebalance_moves`: the rebalance moves given back because the solve's
     * optimum has a blocked migration order and a placement with fewer moves orders cleanly at
     * the same levels up to `moves` (exact-unblock.ts); `placement` is that one, and the levels
     * after `moves` stay the solve's. Absent otherwise.
     */
    readonly rebalanceDropped?: number;
}

/**
 * A work budget of LP iterations shared by several MIP solves: the simplex iterations HiGHS
 * counts in a MIP (its sub-MIP heuristics' included) that are still allowed. `runMip` takes what
 * each solve used off `left`.
 */
export interface LpBudget {
    left: number;
}

/** Options of an exact solve. */
export interface ExactOptions {
    /**
     * Total wall-clock time for all levels, seconds: only where the user sets one (`--time-limit`,
     * the preview's exact toggle). Default 10, or none when `maxNodes` is given without it.
     */
    readonly timeLimitSeconds?: number;
    /**
     * A work limit instead of (or besides) the clock: the most branch-and-bound nodes per level
     * (HiGHS `mip_max_nodes`), so the result is the same under any load. A level cut by it is
     * reported like one cut by the time limit (status `time-limit`, its gap).
     */
    readonly maxNodes?: number;
    /**
     * Stop after the first level (`placedCores`) unless it places more than this many vCPUs (pins
     * included): the fallback wants the later levels only for a placement better than the
     * heuristic's, and each level is a MILP of its own (issue 15: bounded time).
     */
    readonly stopUnlessPlacedAbove?: number;
    /**
     * A safety stop besides the work limits, asked at HiGHS's interrupt checkpoints and before
     * each level: when it returns true the solve stops (the levels left are cut, as by the time
     * limit) and the result has `stopped`. The fallback measures CPU time with it.
     */
    readonly stopWhen?: () => boolean;
    /**
     * A work limit shared with other solves: the LP iterations all levels may use together (the
     * fallback's budget, `FALLBACK_LP_ITERATIONS`). A level cut by it, or reached with none left,
     * is reported like one cut by the node limit (status `time-limit`, the incumbent kept).
     */
    readonly lp?: LpBudget;
    /** Stop after this level (e.g. `placedCores` for the fallback). Default: all levels. */
    readonly lastLevel?: ExactLevel;
    /** A placement to start from (MIP start); default `place(model)`, with a lock `planPlacement`'s. */
    readonly start?: PlacementResult;
    /**
     * The current placement (day 2): the objective becomes `DAY2_OBJECTIVE_LEVELS` (fewest moves
     * after rule 2 and `roleOnOneHost`, then `rebalance_moves` further moves allowed for the
     * levels after it), and the result carries the moves (`delta`). Ignored on a physical plan.
     */
    readonly lock?: Lock;
}
