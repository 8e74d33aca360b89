/**
 * The exact fallback of `place` left for later, for a thread that must not block on the solver
 * (the language server's: a hard plan's MILP takes seconds of CPU, and every request would wait
 * for it). The caller runs `place` with the real fallback elsewhere (`planWithExactFallback` of
 * exact-runtime.ts, in the solver's worker), which gives the answer of `enableExactFallback`.
 */
import { FALLBACK_MAX_INSTANCES, provedWithoutSolver } from './exact-fallback.js';
import { setPlacementFallback } from './placement.js';

let deferred = 0;

/**
 * Installs a fallback of `place` that never runs the solver. It gives the cheap proof of
 * `enableExactFallback`'s fallback (the heuristic places the most any placement can,
 * `provedWithoutSolver`) where that holds; on the other plans (up to `FALLBACK_MAX_INSTANCES`
 * instances) it leaves the heuristic's placement as it is and counts a deferral
 * (`deferredExactFallbacks`). Needs no runtime; replaces any fallback installed before.
 */
export function enableDeferredExactFallback(): void {
    setPlacementFallback({
        maxInstances: FALLBACK_MAX_INSTANCES,
        solve: (model, heuristic) => {
            const cheap = provedWithoutSolver(model, heuristic);
            if (cheap) return cheap;
            deferred++;
            return {};
        }
    });
}

/**
 * How many times, in this thread, the fallback of `enableDeferredExactFallback` left a plan as
 * the heuristic placed it because only the solver could tell whether more can be placed. A
 * caller compares the count before and after a `place` to know whether that placement awaits
 * the solver.
 */
export function deferredExactFallbacks(): number {
    return deferred;
}
