/**
 * The exact solver's worker thread (`solveExact` in exact-runtime.ts starts it): loads HiGHS once, then
 * answers each `ExactRequest` with an `ExactResponse`, one solve at a time. Bundled as
 * dist/exact-worker.cjs beside dist/highs.wasm.
 */
import { parentPort } from 'node:worker_threads';
import { loadHighs, type ExactRequest, type ExactResponse } from './exact-runtime.js';
import { solveExactSync } from './exact.js';

parentPort?.on('message', (req: ExactRequest) => {
    void (async () => {
        let msg: ExactResponse;
        try {
            const highs = await loadHighs();
            msg = { id: req.id, result: solveExactSync(highs, req.model, req.options) };
        } catch (e) {
            msg = { id: req.id, error: e instanceof Error ? e.message : String(e) };
        }
        parentPort!.postMessage(msg);
    })();
});
