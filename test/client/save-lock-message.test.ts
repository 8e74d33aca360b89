/**
 * "dcplan: Save Current Placement"'s message (issue 12, day 2): the moves it adopts are counted as
 * the report's `moves: N` (moves and stops, from the server's `dcplan/saveLock` answer), the stops
 * named apart.
 */
import { describe, expect, it } from 'vitest';
import { savedLockMessage } from '../../src/extension/save-lock-message.js';

describe('savedLockMessage', () => {
    it('names the instances and the moves adopted, stops apart', () => {
        const lockFile = '/ws/seed.dcplan.lock';
        expect(
            savedLockMessage({ lockFile, instances: 32, moves: 0, stops: 0 }, 'seed.dcplan.lock')
        ).toBe('dcplan: wrote seed.dcplan.lock (32 instances)');
        expect(
            savedLockMessage({ lockFile, instances: 32, moves: 8, stops: 0 }, 'seed.dcplan.lock')
        ).toBe('dcplan: wrote seed.dcplan.lock (32 instances, adopting 8 moves)');
        // a stop is one of the moves (as the preview's `moves: 8`), named apart
        expect(
            savedLockMessage({ lockFile, instances: 31, moves: 8, stops: 1 }, 'seed.dcplan.lock')
        ).toBe(
            'dcplan: wrote seed.dcplan.lock (31 instances, adopting 8 moves: 7 moved, 1 stopped)'
        );
        expect(
            savedLockMessage({ lockFile, instances: 1, moves: 1, stops: 0 }, 'seed.dcplan.lock')
        ).toBe('dcplan: wrote seed.dcplan.lock (1 instance, adopting 1 move)');
    });
});
