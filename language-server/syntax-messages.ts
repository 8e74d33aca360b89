/**
 * Syntax errors in words an operator reads: the parser's "Expecting: one of these possible Token
 * sequences: …" becomes one line that says what is wrong ("unknown attribute 'memroy' (did you
 * mean memory?)", "'x' is a reserved word and cannot be a name", "the file ends before a '}'").
 */
import { BLOCK_ATTRIBUTES, ELEMENT_KEYWORDS } from './lsp/vocabulary.js';
import { SIZE_UNITS, unitInCase } from './values.js';
import { IssueCodes } from '../src/planner/findings.js';
import { NAME } from './names.js';

/** The size units, as written (`MiB`, `GiB`, …). */
const SIZE_UNIT_NAMES = Object.keys(SIZE_UNITS);

/** Every attribute name of every block. */
const ATTRIBUTES = [...new Set(Object.values(BLOCK_ATTRIBUTES).flatMap(a => Object.keys(a)))];

/** The elements a file holds, in words: `import, plan, …, model and host`. */
const ELEMENT_LIST = (() => {
    const all = [...ELEMENT_KEYWORDS];
    return `${all.slice(0, -1).join(', ')} and ${all[all.length - 1]}`;
})();

/** Edit distance (insertions, deletions, substitutions) between two short words. */
function distance(a: string, b: string): number {
    const row = Array.from({ length: b.length + 1 }, (_, j) => j);
    for (let i = 1; i <= a.length; i++) {
        let diagonal = row[0];
        row[0] = i;
        for (let j = 1; j <= b.length; j++) {
            const above = row[j];
            row[j] = Math.min(
                row[j] + 1,
                row[j - 1] + 1,
                diagonal + (a[i - 1] === b[j - 1] ? 0 : 1)
            );
            diagonal = above;
        }
    }
    return row[b.length];
}

/** The closest of `words` to `word`, when it is close enough to be a likely typo. */
export function closest(word: string, words: readonly string[]): string | undefined {
    let best: string | undefined;
    let bestDistance = Math.max(2, Math.floor(word.length / 3)) + 1;
    for (const w of words) {
        const d = distance(word.toLowerCase(), w.toLowerCase());
        if (d < bestDistance) {
            best = w;
            bestDistance = d;
        }
    }
    return best;
}

/**
 * The attribute `word` most likely stands for: the one it begins (at least 3 letters:
 * `login_proce` → `login_processes`, `tol` → `tolerate_host_failures`) when only one does, else
 * the closest by edit distance (`closest`).
 */
function guessAttribute(word: string, attributes: readonly string[]): string | undefined {
    const w = word.toLowerCase();
    const begun = w.length >= 3 ? attributes.filter(a => a.toLowerCase().startsWith(w)) : [];
    return begun.length === 1 ? begun[0] : closest(word, attributes);
}

/** The token kinds a Chevrotain message says it expected (`[ID]`, `'}'`, …), deduplicated. */
function expectedTokens(message: string): string[] {
    const out = new Set<string>();
    for (const m of message.matchAll(/\[([^\]]+)\]|token of type '([^']+)'/g)) {
        for (const t of (m[1] ?? m[2]).split(',').map(s => s.trim())) if (t) out.add(t);
    }
    return [...out];
}

/**
 * Rewrites a parser error. `found` is the text of the token the parser stopped at ('' at the end
 * of the file); `keywords` are the language's keywords.
 */
export function rewriteParserMessage(
    message: string,
    found: string,
    keywords: ReadonlySet<string>
): string {
    const expected = expectedTokens(message);
    const wantsName = expected.includes('ID');
    if (found === '') {
        return expected.includes('}')
            ? "the file ends before a block is closed: a '}' is missing"
            : 'the file ends in the middle of an element';
    }
    const unit = unitInCase(found);
    if (unit && unit !== found) return `units are case-sensitive: write '${unit}', not '${found}'`;
    // `rack = "r1"`: a name in quotes, where names are written bare
    const quoted = /^"(.*)"$|^'(.*)'$/.exec(found);
    const inner = quoted ? (quoted[1] ?? quoted[2]) : undefined;
    if (wantsName && inner !== undefined && NAME.test(inner) && !keywords.has(inner))
        return `a name is written without quotes: ${inner}, not ${found}`;
    if (wantsName && keywords.has(found))
        return /^[A-Za-z_]/.test(found)
            ? `'${found}' is a reserved word and cannot be a name`
            : `unexpected '${found}': expected a name`;
    if (expected.length === 1 && expected[0] === 'EOF') {
        // the parser's top level (between elements) wants the end of the file, not an element:
        // said in the language's words
        if (found === 'import')
            return "an import comes before the file's other elements: move it to the top";
        if (NAME.test(found))
            return `unknown element '${found}': a file holds ${ELEMENT_LIST} elements`;
        return `unexpected '${found}' outside any block: expected an element (${ELEMENT_LIST.replace(' and ', ' or ')})`;
    }
    if (NAME.test(found) && expected.includes('}')) {
        // `32 GiBs`: the number read alone, then a word that is nearly a unit
        // (a word of one or two letters is too short to be taken for a unit: `t` is not `TB`)
        const unit = found.length >= 3 ? closest(found, SIZE_UNIT_NAMES) : undefined;
        if (unit && !closest(found, ATTRIBUTES))
            return `unknown unit '${found}' (did you mean ${unit}?): units are ${SIZE_UNIT_NAMES.join(', ')}`;
        // the attributes this block takes (the parser's expected keywords), else any block's
        const here = expected.filter(t => ATTRIBUTES.includes(t));
        const guess = guessAttribute(found, here.length > 0 ? here : ATTRIBUTES);
        return `unknown attribute '${found}' here${guess ? ` (did you mean ${guess}?)` : ''}`;
    }
    const words = expected.map(t =>
        t === 'ID'
            ? 'a name'
            : t === 'NUMBER'
              ? 'a number'
              : t === 'SIZE'
                ? 'a size'
                : t === 'STRING'
                  ? 'a string'
                  : `'${t}'`
    );
    const list = words.length > 6 ? `${words.slice(0, 6).join(', ')}, …` : words.join(', ');
    return `unexpected '${found}'${list ? `: expected ${words.length > 1 ? 'one of ' : ''}${list}` : ''}`;
}

/** How the message of an unclosed block starts (`unclosedBlock`); such a message is final. */
export const UNCLOSED_BLOCK = "this block is not closed: a '}' is missing";

/**
 * The message of a parser error that is a block left open, or `undefined`: the parser stopped at
 * `found`, the keyword of the next element (at 1-based `line`:`column`), where a `}` was expected.
 * Said where the open block ends, not at the next element, which is not wrong.
 */
export function unclosedBlock(
    message: string,
    found: string,
    line: number,
    column: number
): string | undefined {
    if (!ELEMENT_KEYWORDS.has(found) || !expectedTokens(message).includes('}')) return undefined;
    return `${UNCLOSED_BLOCK} before the '${found}' at ${line}:${column}`;
}

/** A character that would not show in a message: a control, format, unassigned or private-use character, a lone surrogate, a separator. */
const INVISIBLE = /^[\p{C}\p{Z}]$/u;

/** A character as `U+0000`, how the Unicode standard names a code point. */
function codePoint(c: string): string {
    return `U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`;
}

/**
 * Rewrites a lexer error ("unexpected character: ->^[<- at offset: 23, …"). `at` is the text from
 * the error on (a few characters are enough): an opening quote or `/*` that the lexer could not
 * match is an unclosed string or comment, said so. The characters are quoted as typed (`'→'`); one
 * that would not show is named by its code point (`unexpected invisible character U+200B`).
 */
export function rewriteLexerMessage(message: string, at = ''): string {
    const m = /->(.*)<-/s.exec(message);
    if (!m) return message;
    if (m[1] === '"') return `a string is not closed: this '"' has no closing quote on its line`;
    if (m[1] === '/' && at.startsWith('/*'))
        return `a comment is not closed: this '/*' has no '*/' after it`;
    // the lexer reports one UTF-16 unit: a character outside the BMP (an emoji) comes as its
    // high surrogate alone, which `at` (the text from the error on) completes
    const astral = at.codePointAt(0) ?? 0;
    const found =
        /^[\uD800-\uDBFF]$/.test(m[1]) && astral > 0xffff ? String.fromCodePoint(astral) : m[1];
    const chars = [...found];
    const plural = chars.length > 1 ? 's' : '';
    if (chars.some(c => INVISIBLE.test(c)))
        return `unexpected invisible character${plural} ${chars.map(c => (INVISIBLE.test(c) ? codePoint(c) : `'${c}'`)).join(' ')}: not part of the language`;
    return `unexpected character${plural} '${found}': not part of the language`;
}

/**
 * Most syntax errors reported per file, lexer errors first (as compilers do: after the first
 * hundred, more errors say little, and 40,000 of them made the editor wait). The rest are
 * counted in one last diagnostic (`moreSyntaxErrors`).
 */
export const MAX_SYNTAX_ERRORS = 100;

/** The message of the diagnostic that stands for the syntax errors past `MAX_SYNTAX_ERRORS`. */
export function moreSyntaxErrors(count: number): string {
    return `${count} more syntax error${count === 1 ? '' : 's'} not shown (the first ${MAX_SYNTAX_ERRORS} are)`;
}

/**
 * Most diagnostics of the checks (after the syntax errors) reported per file: a plan of 100,000
 * hosts with a finding each gave more than Langium's validator can take in one call (a stack
 * overflow lost them all), and more than anyone reads. The rest are counted in one last
 * diagnostic (`moreDiagnostics`).
 */
export const MAX_DIAGNOSTICS = 10_000;

/** The message of the diagnostic that stands for the diagnostics past `MAX_DIAGNOSTICS`. */
export function moreDiagnostics(count: number): string {
    return `${count} more diagnostic${count === 1 ? '' : 's'} not shown (the first ${MAX_DIAGNOSTICS.toLocaleString('en-US')} are)`;
}

/**
 * How many diagnostics a notice of `moreDiagnostics` or `moreSyntaxErrors` stands for (its
 * `N more … not shown`), or `undefined` for any other diagnostic: a count of diagnostics (the
 * CLI's headline) counts these N apart, never the notice as one more diagnostic.
 */
export function notShownCount(d: {
    readonly code: string;
    readonly message: string;
}): number | undefined {
    if (d.code !== IssueCodes.LimitExceeded && d.code !== IssueCodes.SyntaxError) return undefined;
    const m =
        /^(\d+) more (?:diagnostics?|syntax errors?) not shown \(the first [\d,]+ are\)$/.exec(
            d.message
        );
    return m ? Number(m[1]) : undefined;
}
