/** The pause after an edit that a client may ask for (`initializationOptions.editDelay`, docs/lsp.md). */
import { describe, expect, it } from 'vitest';
import { EDIT_DELAY_MS, editDelayOption } from '../../language-server/overrides/publishing.js';

describe('editDelay in initializationOptions', () => {
    it('takes a whole number of 0 to 2000 ms, and nothing else', () => {
        expect(EDIT_DELAY_MS).toBe(40);
        expect(editDelayOption({ editDelay: 0 })).toBe(0);
        expect(editDelayOption({ editDelay: 2000 })).toBe(2000);
        for (const bad of [
            { editDelay: -1 },
            { editDelay: 2001 },
            { editDelay: 1.5 },
            { editDelay: '0' },
            {},
            null,
            undefined,
            7
        ]) {
            expect(editDelayOption(bad)).toBeUndefined();
        }
    });
});
