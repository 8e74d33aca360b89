/**
 * How many moves a day-2 migration's steps stand for (issue 12), for the CLI and the preview
 * alike. Kept apart from migration.ts so that the webview bundle takes no planner code with it.
 *
 * Pure: no I/O.
 */
import type { StepKind } from './report.js';

/**
 * The moves a list of steps (or of a report's moves) stands for: each instance with a `move`
 * step once (a temporary hop is a second step of one move), plus each `stop`; removals and
 * rebuilds in place are no moves. The exact mode's `moves` level counts the same.
 */
export function countMoves(
    steps: readonly { readonly kind?: StepKind; readonly instance: string }[]
): number {
    return tallyMoves(steps).moves;
}

/**
 * `countMoves` split: `moves` as it counts them, of which `stopped` are stops (locked instances
 * left unplaced, shut down), for the messages that name the stops apart (`7 moved, 1 stopped`).
 */
export function tallyMoves(
    steps: readonly { readonly kind?: StepKind; readonly instance: string }[]
): { readonly moves: number; readonly stopped: number } {
    const moved = new Set<string>();
    let stopped = 0;
    for (const s of steps) {
        const kind = s.kind ?? 'move';
        if (kind === 'move') moved.add(s.instance);
        else if (kind === 'stop') stopped++;
    }
    return { moves: moved.size + stopped, stopped };
}

/**
 * Per moved instance, the host its first `move` step starts from: the host the lock runs it on
 * (a temporary hop's second step starts on the hop's host), which its reason names
 * (`formatMoveReason`).
 */
export function moveOrigins(
    steps: readonly { readonly kind?: StepKind; readonly instance: string; readonly from: string }[]
): Map<string, string> {
    const out = new Map<string, string>();
    for (const s of steps)
        if ((s.kind ?? 'move') === 'move' && !out.has(s.instance)) out.set(s.instance, s.from);
    return out;
}
