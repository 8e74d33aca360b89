/**
 * The one decoder of LSP semantic tokens in the tests (LSP 3.17, "Semantic Tokens": five numbers
 * a token — line delta, start delta on the same line, length, type index, modifier bits — in the
 * relative format), used by the stdio test and by the Neovim test alike.
 */

/** The token types the dcplan server announces in its legend, in its order. */
export const DCPLAN_LEGEND_TYPES = [
    'type',
    'class',
    'variable',
    'enumMember',
    'namespace',
    'struct',
    'event',
    'keyword',
    'property',
    'number',
    'string',
    'comment'
];

/** A legend as the server's `semanticTokensProvider.legend` gives it. */
export interface TokenLegend {
    tokenTypes: string[];
    tokenModifiers: string[];
}

/** One decoded token: 0-based line and character, length in characters, type and modifiers by name. */
export interface DecodedToken {
    line: number;
    char: number;
    length: number;
    type: string;
    modifiers: string[];
}

/** The tokens of `data` (relative format) with their types and modifiers named by `legend`. */
export function decodeTokens(data: readonly number[], legend: TokenLegend): DecodedToken[] {
    const out: DecodedToken[] = [];
    let line = 0,
        char = 0;
    for (let i = 0; i < data.length; i += 5) {
        line += data[i];
        char = data[i] === 0 ? char + data[i + 1] : data[i + 1];
        out.push({
            line,
            char,
            length: data[i + 2],
            type: legend.tokenTypes[data[i + 3]],
            modifiers: legend.tokenModifiers.filter((_, k) => data[i + 4] & (1 << k))
        });
    }
    return out;
}

/** `line:char text type[+modifier…]` for each token of `data`, its text taken from `text`. */
export function describeTokens(
    data: readonly number[],
    legend: TokenLegend,
    text: string
): string[] {
    const lines = text.split('\n');
    return decodeTokens(data, legend).map(
        t =>
            `${t.line}:${t.char} ${lines[t.line].slice(t.char, t.char + t.length)} ${t.type}${t.modifiers.map(m => '+' + m).join('')}`
    );
}
