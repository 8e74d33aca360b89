/**
 * The message of "dcplan: Save Current Placement" once the server wrote the lock (issue 12, day
 * 2). Pure (no vscode), so that its words are tested as they are shown.
 */
import type { SaveLockResult } from '../protocol.js';

/**
 * `dcplan: wrote seed.dcplan.lock (32 instances, adopting 8 moves)`, the stops named apart when
 * there are any (`adopting 8 moves: 7 moved, 1 stopped`): the count is the report's `moves: N`
 * (the server's `moves` and `stops`). `lockFile` is the lock's path as it is shown (relative to
 * the workspace).
 */
export function savedLockMessage(result: SaveLockResult, lockFile: string): string {
    const n = result.instances,
        m = result.moves;
    const split = result.stops > 0 ? `: ${m - result.stops} moved, ${result.stops} stopped` : '';
    const moves = m > 0 ? `, adopting ${m} move${m === 1 ? '' : 's'}${split}` : '';
    return `dcplan: wrote ${lockFile} (${n} instance${n === 1 ? '' : 's'}${moves})`;
}
