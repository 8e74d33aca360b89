/**
 * V8's tiers for HiGHS's WebAssembly, chosen by the `dcplan` and `dcplan-language-server`
 * entries before HiGHS is compiled.
 */
import { setFlagsFromString } from 'node:v8';

/**
 * Keeps HiGHS's WebAssembly on V8's baseline compiler (Liftoff) for the whole process: V8
 * otherwise re-compiles its hot functions with the optimising tier on other threads, which on
 * the bench's fragmenting plans costs 2–3 s of CPU during the first exact fallback of a process
 * and pays back only after some 15 s of solving (bench/quality/FINDINGS.md, "The first solve of
 * a process"). A `dcplan` run solves once or a few times, and the language server's fallback
 * must answer within seconds of an edit (the preview's "Exact placement", in the same process,
 * runs on the baseline tier too: about 25% slower once warm); `place --optimal` keeps the
 * optimising tier (its solves run to the user's time limit). Call before HiGHS is loaded: the flag is process-wide
 * and read when a module is compiled.
 */
export function preferBaselineWasm(): void {
    setFlagsFromString('--liftoff-only');
}
