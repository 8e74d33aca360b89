/**
 * Attribute fixes (`language-server/fixes/attributes.ts`): `duplicate-attribute`.
 */
import { describe, expect, it } from 'vitest';
import { fixed, fixesOf, lines } from './fixes-helpers.js';

describe('duplicate-attribute', () => {
    const text = lines(
        'shape be {',
        '    role = backend',
        '    cores = 4',
        '    memory = 16 GiB',
        '    cores = 8 # the one that counts',
        '}',
        'deploy 2 x be'
    );

    it('on the repeated one: remove the earlier (preferred), or remove this one so the earlier counts', async () => {
        const fixes = await fixesOf(text, 'duplicate-attribute');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Remove the earlier cores = 4', true],
            ['Remove this cores = 8; the earlier cores = 4 counts', false]
        ]);
        expect(await fixed(text, 'duplicate-attribute')).toBe(
            lines(
                'shape be {',
                '    role = backend',
                '    memory = 16 GiB',
                '    cores = 8 # the one that counts',
                '}',
                'deploy 2 x be'
            )
        );
        // the comment after the removed value stays
        expect(
            await fixed(
                text,
                'duplicate-attribute',
                'Remove this cores = 8; the earlier cores = 4 counts'
            )
        ).toBe(
            lines(
                'shape be {',
                '    role = backend',
                '    cores = 4',
                '    memory = 16 GiB',
                '    # the one that counts',
                '}',
                'deploy 2 x be'
            )
        );
    });

    it('on one line and three times: each repeated one removes the one before it; sizes of two tokens', async () => {
        const one = lines(
            'shape be { role = backend memory = 8 GiB cores = 4 memory = 12 GiB memory = 16 GiB }',
            'deploy 2 x be'
        );
        const fixes = await fixesOf(one, 'duplicate-attribute');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Remove the earlier memory = 8 GiB', true],
            ['Remove the earlier memory = 12 GiB', true],
            ['Remove this memory = 16 GiB; the earlier memory = 12 GiB counts', false]
        ]);
        expect(await fixed(one, 'duplicate-attribute')).toBe(
            lines(
                'shape be { role = backend cores = 4 memory = 12 GiB memory = 16 GiB }',
                'deploy 2 x be'
            )
        );
    });
});
