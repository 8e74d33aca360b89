/**
 * The columns a text takes on screen, shared by the CLI's tables and the formatter's alignment
 * (which aligned by UTF-16 code units: `shape 名前 {` lined up with `shape px_1c {` in code
 * units, not on screen). Pure.
 */
import { eastAsianWidth } from 'get-east-asian-width';

/** Combining marks and format characters: they take no column of their own. */
const ZERO_WIDTH = /[\p{M}\p{Cf}]/gu;

/**
 * The columns `text` takes in a terminal or an editor with a monospace font, by code point
 * without zero-width ones: a name's letter beyond U+FFFF (`𝒜`, two UTF-16 units) and `e` with a
 * combining accent take one; wide and fullwidth East Asian characters (`名`) take two (Unicode's
 * East Asian Width, through get-east-asian-width; ambiguous ones as narrow, as most terminals and
 * editors draw them).
 */
export function columns(text: string): number {
    // ASCII (almost every plan): one column a character
    // eslint-disable-next-line no-control-regex -- the range is the point
    if (/^[\u0000-\u007f]*$/.test(text)) return text.length;
    let n = 0;
    for (const c of text.replace(ZERO_WIDTH, '')) n += eastAsianWidth(c.codePointAt(0)!);
    return n;
}
