/**
 * Value fixes (`language-server/fixes/values.ts`): `size-unit`.
 */
import { describe, expect, it } from 'vitest';
import { applyChanges } from '../../language-server/fixes/index.js';
import { fixesOf, lines } from './fixes-helpers.js';

describe('size-unit', () => {
    it('a unit in the wrong case: the size as the message writes it (preferred); a bare number: the likely unit, offered only', async () => {
        const text = lines(
            'shape b { role = backend cores = 4 memory = 8 gib  local_disk = 2tb }',
            'shape c { role = backend cores = 4 memory = 16 }',
            'deploy 1 x b',
            'deploy 1 x c'
        );
        const fixes = await fixesOf(text, 'size-unit');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Write 8 GiB', true],
            ['Write 2 TB', true],
            ['Write 16 GiB', false]
        ]);
        expect(
            applyChanges(
                text,
                fixes.flatMap(f => f.changes)
            )
        ).toBe(
            lines(
                'shape b { role = backend cores = 4 memory = 8 GiB  local_disk = 2 TB }',
                'shape c { role = backend cores = 4 memory = 16 GiB }',
                'deploy 1 x b',
                'deploy 1 x c'
            )
        );
    });
});
