/**
 * Broken texts for property tests: one of `texts` with up to six edits, each inserting one of
 * `tokens` at a position or deleting that token's length there (fast-check shrinks them).
 */
import * as fc from 'fast-check';

/** The punctuation and keywords that give a plan its structure: the edits that break it most. */
export const STRUCTURE_TOKENS = [
    '{',
    '}',
    '=',
    ',',
    'x',
    ':',
    '[',
    ']',
    '..',
    'host',
    'shape',
    'deploy',
    'runs'
];

export function brokenTexts(
    texts: readonly string[],
    tokens: readonly string[]
): fc.Arbitrary<string> {
    return fc
        .tuple(
            fc.integer({ min: 0, max: texts.length - 1 }),
            fc.array(fc.tuple(fc.nat(), fc.constantFrom(...tokens), fc.boolean()), { maxLength: 6 })
        )
        .map(([which, edits]) => {
            let text = texts[which];
            for (const [at, token, remove] of edits) {
                const i = at % (text.length + 1);
                text = remove
                    ? text.slice(0, i) + text.slice(i + token.length)
                    : text.slice(0, i) + token + text.slice(i);
            }
            return text;
        });
}
