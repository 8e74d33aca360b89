/**
 * Langium's token builder, with the lexer's first-character optimisation kept for Unicode names.
 *
 * A name (`ID`) may hold any letter: its pattern has `\p{L}` and `\p{N}`, so the `u` flag.
 * Chevrotain cannot analyse a regular expression with that flag, so Langium lexes it with a
 * custom pattern function, and a custom pattern without a `start_chars_hint` turns Chevrotain's
 * first-character optimisation off for every token (the 10,000-host plan lexed 6× slower). The
 * hint lists the UTF-16 code units a name can start with; Chevrotain's documented remedy
 * ("resolving lexer errors", UNICODE_OPTIMIZE).
 */
import type { GrammarAST } from 'langium';
import { DefaultTokenBuilder } from 'langium';

/**
 * The code units a name can start with: `_`, the ASCII letters and every code unit from U+0080 on
 * (a superset of the letters, each tried by the pattern itself; high surrogates start the letters
 * beyond U+FFFF). A superset is correct: the hint only says which patterns to try.
 */
function nameStartCodes(): number[] {
    const codes = [0x5f];
    for (let c = 0x41; c <= 0x5a; c++) codes.push(c, c + 0x20);
    for (let c = 0x80; c <= 0xffff; c++) codes.push(c);
    return codes;
}

type Token = ReturnType<DefaultTokenBuilder['buildTerminalToken']>;

/**
 * Langium's token builder; the `ID` terminal gets `start_chars_hint` (see the file's comment), and
 * each keyword that is also a name's text (`host`, `x`) gets `ID` as its longer alternative, so
 * `hostü` is one name as `hosts` is: Langium finds longer alternatives from a pattern's regular
 * expression source, which a custom pattern function does not have.
 */
export class DcplanTokenBuilder extends DefaultTokenBuilder {
    /** The `ID` token, once built (terminals are built before keywords). */
    private name: Token | undefined;

    protected override buildTerminalToken(terminal: GrammarAST.TerminalRule): Token {
        const token = super.buildTerminalToken(terminal);
        if (terminal.name === 'ID' && typeof token.PATTERN === 'function') {
            token.START_CHARS_HINT = nameStartCodes();
            this.name = token;
        }
        return token;
    }

    protected override findLongerAlt(
        keyword: GrammarAST.Keyword,
        terminalTokens: Token[]
    ): Token[] {
        const alternatives = super.findLongerAlt(keyword, terminalTokens);
        const name = this.name;
        if (name && typeof name.PATTERN === 'function' && !alternatives.includes(name)) {
            const match = name.PATTERN(keyword.value, 0, [], {});
            if (match?.[0] === keyword.value) alternatives.push(name);
        }
        return alternatives;
    }
}
