/**
 * Undoing temporary hops in the migration order (`orderMigration`): when the order ends blocked,
 * the hops since its last other step made room for no move that is carried out, so an operator
 * would live-migrate for nothing; the order goes back to the state before them. Pure: no I/O.
 */

/** The host loads a hop changes: per host vCPUs and GiB in use, and per host and role the instances. */
export interface HopLoads {
    readonly c: Float64Array;
    readonly m: Float64Array;
    readonly roles: Int32Array;
}

/** The loads, pending moves and step count before a run of temporary hops (`undoHops` restores them). */
export interface HopMark<P> {
    readonly loads: HopLoads;
    readonly pending: readonly P[];
    readonly steps: number;
}

/**
 * A `HopMark` of now, `steps` the number of steps ordered so far (a hop changes only host loads,
 * the pending moves and the steps: no role count, reserve or creation).
 */
export function markHops<P>(loads: HopLoads, pending: readonly P[], steps: number): HopMark<P> {
    return {
        loads: { c: loads.c.slice(), m: loads.m.slice(), roles: loads.roles.slice() },
        pending: [...pending],
        steps
    };
}

/** Undoes the hops since `mark` in place: its loads, pending moves and steps again. */
export function undoHops<P, S>(mark: HopMark<P>, loads: HopLoads, pending: P[], steps: S[]): void {
    loads.c.set(mark.loads.c);
    loads.m.set(mark.loads.m);
    loads.roles.set(mark.loads.roles);
    pending.splice(0, pending.length, ...mark.pending);
    steps.length = mark.steps;
}
