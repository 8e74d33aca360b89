/**
 * The exact solver's worker thread (`solveExact` and `planWithExactFallback` in exact-runtime.ts
 * start it): loads HiGHS once, then answers each `ExactRequest` with an `ExactResponse`, one at a
 * time: an exact solve, or a plan placed with `place`'s exact fallback installed here (as the
 * CLI installs it). Bundled as dist/exact-worker.cjs beside dist/highs.wasm.
 */
import { parentPort } from 'node:worker_threads';
import { loadHighs, type ExactRequest, type ExactResponse } from './exact-runtime.js';
import { solveExactSync } from './exact.js';
import { enableExactFallback } from './exact-fallback.js';
import { planDay2 } from './day2.js';

/** The fallback installed in this thread (once: it loads HiGHS, and keeps its cache of answers). */
let fallback: Promise<boolean> | undefined;

parentPort?.on('message', (req: ExactRequest) => {
    void (async () => {
        let msg: ExactResponse;
        try {
            if (req.kind === 'plan') {
                // without HiGHS the fallback is not installed: the heuristic's plan, as the CLI's
                await (fallback ??= enableExactFallback());
                msg = { id: req.id, plan: planDay2(req.model, req.lock, {}, req.lockFile) };
            } else {
                const highs = await loadHighs();
                msg = { id: req.id, result: solveExactSync(highs, req.model, req.options) };
            }
        } catch (e) {
            msg = { id: req.id, error: e instanceof Error ? e.message : String(e) };
        }
        parentPort!.postMessage(msg);
    })();
});
