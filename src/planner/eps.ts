/**
 * The planner's tolerance for comparing vCPU and GiB amounts, in a module of its own so that the
 * re-placement checks (`replacement.ts`) need not import the objective. Pure.
 */

/** Tolerance for comparing GiB amounts (decimal GB units give inexact binary fractions). */
export const EPS = 1e-9;
