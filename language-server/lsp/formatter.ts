/**
 * The dcplan formatter: a token-level layout of the file that changes whitespace only, never
 * text (a check re-lexes the result and refuses to format when a token would change).
 *
 * Rules (they make the examples fixed points, except one `=` alignment in seed-per-host):
 * - Top-level elements each start on their own line; blank lines between them are kept, at most
 *   one. Every comment stays where it was: on its own line, or at the end of the line it ends.
 * - A block whose `{` and `}` are on one line stays on one line (`shape p { role = proxy … }`);
 *   otherwise `{` ends its line, the attributes are indented by 2 spaces and `}` has its own
 *   line. Several attributes written on one line stay on that line (`cores = 24  memory = 128
 *   GiB`): the formatter keeps the author's line breaks between attributes and the spacing
 *   between attributes on a line (at least one space). Indentation stops growing at
 *   `MAX_INDENT_DEPTH` blocks (only broken text nests), and a `{` written right after a `{` stays
 *   on its line, so the output stays linear in the input.
 * - Inside an attribute, one space around `=`, `x`, `:` and after `,`; none in `hv[01..04]`.
 * - Alignment (in columns on screen: `名` takes two, a combining accent none): `=` of consecutive
 *   one-attribute lines in a block are aligned (a run breaks at a blank or comment line, and
 *   where the name length jumps by more than 4, so that `tolerate_host_failures` does not push
 *   `title` far right); the counts of consecutive `deploy` lines are padded (`deploy 4  x …`);
 *   the `{` of consecutive one-line shape (or model) blocks are aligned.
 * - Line endings: the file's own (the first line break decides: CRLF stays CRLF); one line break
 *   at the end; no trailing spaces; a BOM is kept.
 *
 * Range formatting computes the whole layout and returns the edits inside the range, so a
 * selection formats exactly as the whole file would. On-type formatting after `}` formats the
 * block it closes, up to the cursor (the end of the file's line break is left to a later format). Files the lexer cannot read are left alone.
 */
import type { IToken } from 'chevrotain';
import { type LangiumDocument, type Lexer, TextDocument } from 'langium';
import type { Formatter, LangiumServices } from 'langium/lsp';
import type {
    DocumentFormattingParams,
    DocumentOnTypeFormattingOptions,
    DocumentOnTypeFormattingParams,
    DocumentRangeFormattingParams,
    Range,
    TextEdit
} from 'vscode-languageserver';
import { ELEMENT_KEYWORDS } from './vocabulary.js';
import { columns } from '../../src/text-columns.js';

/** Attributes whose `=` runs are broken where the name length jumps by more than this. */
export const ALIGN_MAX_JUMP = 4;

/**
 * Deepest indentation, in blocks (2 spaces each). dcplan blocks do not nest, so only broken text
 * (a block left open, a run of `{`) goes deeper: one level keeps such text as it reads (and the
 * output at most about twice the input); without a cap it grew with the square of its length.
 */
export const MAX_INDENT_DEPTH = 1;

/** Whitespace before a token, as decided by the layout rules. */
type Gap =
    | { kind: 'nl'; blank: number; indent: number }
    | { kind: 'sp'; n: number }
    /** Keep the author's spacing (at least one space). */
    | { kind: 'keep'; n: number }
    /** Before `=`: one space, or padding to align a run. */
    | { kind: 'eq'; n: number }
    /** Before `x` in `deploy N x`: padding of the count. */
    | { kind: 'count'; n: number }
    /** Before `{` of a one-line shape/model block: padding of the header. */
    | { kind: 'name'; n: number };

interface Tok {
    readonly start: number;
    /** Exclusive. */
    readonly end: number;
    readonly image: string;
    readonly type: string;
    /** Text to emit (a line comment without trailing spaces). */
    out: string;
    gap: Gap;
    /** The token starts an attribute (`key =`). */
    attr?: boolean;
    /** Depth (blocks open) before this token. */
    depth: number;
    /** For `{`: whether its block is laid out on one line. */
    oneLine?: boolean;
}

const isComment = (t: { type: string }) => t.type === 'SL_COMMENT' || t.type === 'ML_COMMENT';

/** The result of formatting a text. */
export interface FormatResult {
    /** The formatted text (the input when it cannot be formatted). */
    readonly text: string;
    /** Minimal edits (one per changed gap) that turn the input into `text`. */
    readonly edits: TextEdit[];
    /** Why nothing was formatted, when so. */
    readonly refused?: string;
}

/** Formats `text` with the language's lexer. Pure: the same text gives the same result. */
export function formatDcplan(lexer: Lexer, text: string): FormatResult {
    const lexed = lexer.tokenize(text);
    if (lexed.errors.length > 0)
        return { text, edits: [], refused: 'the file has characters the lexer cannot read' };
    const toks: Tok[] = [...lexed.tokens, ...lexed.hidden]
        .sort((a, b) => a.startOffset - b.startOffset)
        .map((t: IToken) => ({
            start: t.startOffset,
            end: (t.endOffset ?? t.startOffset) + 1,
            image: t.image,
            type: t.tokenType.name,
            out: t.tokenType.name === 'SL_COMMENT' ? trimBlanksEnd(t.image) : t.image,
            gap: { kind: 'sp', n: 1 },
            depth: 0
        }));
    const bom = text.startsWith('\uFEFF') ? '\uFEFF' : '';
    const eolMatch = /\r\n|\n|\r/.exec(text);
    const eol = eolMatch ? eolMatch[0] : '\n';
    if (toks.length === 0) {
        const formatted = bom;
        return finish(text, formatted, [{ start: bom.length, end: text.length, replacement: '' }]);
    }

    decideBreaks(text, toks);
    const lines = splitLines(toks);
    align(lines);

    // Emit: every gap's text, then compare with the original gaps.
    const gaps: { start: number; end: number; replacement: string }[] = [];
    let out = bom;
    for (let i = 0; i < toks.length; i++) {
        const t = toks[i];
        const ws = i === 0 ? '' : gapText(t.gap, eol);
        gaps.push({ start: i === 0 ? bom.length : toks[i - 1].end, end: t.start, replacement: ws });
        out += ws + t.out;
        if (t.out !== t.image)
            gaps.push({ start: t.start + t.out.length, end: t.end, replacement: '' });
    }
    out += eol;
    gaps.push({ start: toks[toks.length - 1].end, end: text.length, replacement: eol });

    // Safety: the tokens of the result must be those of the input.
    const again = lexer.tokenize(out);
    const images = (r: typeof again) =>
        [...r.tokens, ...r.hidden]
            .sort((a, b) => a.startOffset - b.startOffset)
            .map(t => (t.tokenType.name === 'SL_COMMENT' ? trimBlanksEnd(t.image) : t.image))
            .join('\u0000');
    if (again.errors.length > 0 || images(again) !== images(lexed)) {
        return { text, edits: [], refused: 'formatting would change a token' };
    }
    return finish(text, out, gaps);
}

function finish(
    text: string,
    formatted: string,
    gaps: { start: number; end: number; replacement: string }[]
): FormatResult {
    const doc = TextDocument.create('file:///format', 'dcplan', 0, text);
    const edits: TextEdit[] = [];
    for (const g of gaps) {
        if (text.slice(g.start, g.end) === g.replacement) continue;
        edits.push({
            range: { start: doc.positionAt(g.start), end: doc.positionAt(g.end) },
            newText: g.replacement
        });
    }
    return { text: formatted, edits };
}

/**
 * `s` without its trailing spaces and tabs. A loop, not `replace(/[ \t]+$/, '')`: the regular
 * expression retries at every blank of a run that does not end the string, quadratic on a long
 * run of spaces inside a comment (24 KB: 10 s).
 */
export function trimBlanksEnd(s: string): string {
    let end = s.length;
    while (end > 0 && (s.charCodeAt(end - 1) === 32 || s.charCodeAt(end - 1) === 9)) end--;
    return s.slice(0, end);
}

function gapText(gap: Gap, eol: string): string {
    if (gap.kind === 'nl') return eol.repeat(1 + gap.blank) + ' '.repeat(gap.indent);
    return ' '.repeat(Math.max(gap.kind === 'keep' || gap.kind === 'sp' ? 0 : 1, gap.n));
}

/** Original line breaks between two offsets. */
function breaksBetween(text: string, from: number, to: number): number {
    const m = text.slice(from, to).match(/\r\n|\n|\r/g);
    return m ? m.length : 0;
}

/** Decides, for every token, the whitespace before it (the layout rules of the module doc). */
function decideBreaks(text: string, toks: Tok[]): void {
    // Structure: depth, blocks (one-line or not), attribute starts.
    const stack: number[] = [];
    const code = toks.map((t, i) => ({ t, i })).filter(x => !isComment(x.t));
    for (let k = 0; k < code.length; k++) {
        const t = code[k].t;
        if (ELEMENT_KEYWORDS.has(t.type) && stack.length > 0) stack.length = 0; // an unclosed block ends where the next element starts
        t.depth = stack.length;
        if (t.type === '{') stack.push(code[k].i);
        else if (t.type === '}' && stack.length > 0) {
            const open = toks[stack.pop()!];
            open.oneLine = breaksBetween(text, open.end, t.start) === 0;
            t.depth = stack.length; // `}` sits at the level of its block's header
        }
        const next = code[k + 1]?.t;
        if (t.depth >= 1 && next?.type === '=' && t.type !== '=' && t.type !== ',') t.attr = true;
    }
    for (const i of stack) toks[i].oneLine = false;
    // Depth of comments: that of the next code token, but inside the block for a comment before `}`.
    for (let i = toks.length - 1, nextDepth = 0; i >= 0; i--) {
        const t = toks[i];
        if (isComment(t)) t.depth = nextDepth;
        else nextDepth = t.type === '}' ? t.depth + 1 : t.depth;
    }

    let open: Tok | undefined; // the innermost open block's `{`
    const opens: Tok[] = [];
    let previousCode: Tok | undefined;
    for (let i = 0; i < toks.length; i++) {
        const t = toks[i];
        const prev = toks[i - 1];
        if (i === 0) {
            t.gap = { kind: 'sp', n: 0 };
        } else {
            const breaks = breaksBetween(text, prev.end, t.start);
            const origGap = text.slice(prev.end, t.start).length;
            const blank = Math.min(1, Math.max(0, breaks - 1));
            const indent = (d: number) => 2 * Math.min(d, MAX_INDENT_DEPTH);
            const oneLine = open?.oneLine === true;
            if (prev.type === 'SL_COMMENT') {
                t.gap = { kind: 'nl', blank: t.type === '}' ? 0 : blank, indent: indent(t.depth) };
            } else if (isComment(t)) {
                t.gap =
                    breaks > 0 && !oneLine
                        ? {
                              kind: 'nl',
                              blank: prev.type === '{' ? 0 : blank,
                              indent: indent(t.depth)
                          }
                        : { kind: 'keep', n: Math.max(1, origGap) };
            } else if (ELEMENT_KEYWORDS.has(t.type) && t.depth === 0) {
                t.gap = { kind: 'nl', blank, indent: 0 };
            } else if (prev.type === 'ML_COMMENT') {
                t.gap =
                    breaks > 0 && !oneLine
                        ? { kind: 'nl', blank: t.type === '}' ? 0 : blank, indent: indent(t.depth) }
                        : { kind: 'keep', n: Math.max(1, origGap) };
            } else if (t.type === '}') {
                if (prev.type === '{') t.gap = { kind: 'sp', n: 0 };
                else
                    t.gap = oneLine
                        ? { kind: 'sp', n: 1 }
                        : { kind: 'nl', blank: 0, indent: indent(t.depth) };
            } else if (prev.type === '{') {
                // `{{` is broken text: kept on its line, so the output stays linear (a line
                // for each `{` made `{{{…` five times longer with CRLF)
                t.gap =
                    t.type === '{' && breaks === 0
                        ? { kind: 'sp', n: 0 }
                        : oneLine
                          ? { kind: 'sp', n: 1 }
                          : { kind: 'nl', blank: 0, indent: indent(t.depth) };
            } else if (t.attr) {
                t.gap =
                    breaks > 0 && !oneLine
                        ? { kind: 'nl', blank, indent: indent(t.depth) }
                        : { kind: 'keep', n: Math.max(1, origGap) };
            } else if (t.type === '=') {
                t.gap = { kind: 'eq', n: 1 };
            } else if (
                t.type === ',' ||
                t.type === '[' ||
                t.type === ']' ||
                t.type === '..' ||
                prev.type === '[' ||
                prev.type === '..'
            ) {
                t.gap = { kind: 'sp', n: 0 };
            } else if (prev.type === ',' && breaks > 0) {
                t.gap = { kind: 'nl', blank: 0, indent: indent(t.depth) + 4 };
            } else if (
                t.type === 'x' &&
                previousCode?.type === 'NUMBER' &&
                toks[i - 2]?.type === 'deploy'
            ) {
                t.gap = { kind: 'count', n: 1 };
            } else if (t.type === '{') {
                t.gap = { kind: 'name', n: 1 };
            } else {
                t.gap = { kind: 'sp', n: 1 };
            }
        }
        if (t.type === '{') {
            opens.push(t);
            open = t;
        } else if (t.type === '}' && opens.length > 0) {
            opens.pop();
            open = opens.at(-1);
        } else if (ELEMENT_KEYWORDS.has(t.type) && t.depth === 0) {
            opens.length = 0;
            open = undefined;
        }
        if (!isComment(t)) previousCode = t;
    }
}

/** The output lines: token lists split at line-break gaps. */
function splitLines(toks: Tok[]): Tok[][] {
    const lines: Tok[][] = [];
    for (const t of toks) {
        if (lines.length === 0 || t.gap.kind === 'nl') lines.push([t]);
        else lines[lines.length - 1].push(t);
    }
    return lines;
}

/** Display width (`columns`) of a token sequence laid out with its gaps (the first token's gap excluded). */
function width(line: Tok[], upTo: number): number {
    let w = 0;
    for (let i = 0; i < upTo; i++) {
        if (i > 0) {
            const g = line[i].gap;
            w += g.kind === 'nl' ? 0 : Math.max(g.kind === 'keep' || g.kind === 'sp' ? 0 : 1, g.n);
        }
        w += columns(line[i].out);
    }
    return w;
}

/** Largest `f(x)` over `xs` (-Infinity when empty): no argument spread, so any length works. */
function maxOf<T>(xs: readonly T[], f: (x: T) => number): number {
    let max = -Infinity;
    for (const x of xs) {
        const v = f(x);
        if (v > max) max = v;
    }
    return max;
}

/** The three alignments: `=` runs, deploy counts, `{` of one-line shape/model blocks. */
function align(lines: Tok[][]): void {
    const blankBefore = (line: Tok[]) => line[0].gap.kind === 'nl' && line[0].gap.blank > 0;

    // `=` runs: consecutive lines holding exactly one attribute, in a multi-line block.
    let run: Tok[][] = [];
    const flushEq = () => {
        const max = maxOf(run, l => columns(l[0].out));
        for (const l of run) (l[1].gap as { n: number }).n = 1 + max - columns(l[0].out);
        run = [];
    };
    for (const line of lines) {
        const qualifies =
            line[0].attr === true && line[1]?.type === '=' && line.filter(t => t.attr).length === 1;
        const prev = run.at(-1);
        const continues =
            qualifies &&
            prev !== undefined &&
            !blankBefore(line) &&
            Math.abs(columns(line[0].out) - columns(prev[0].out)) <= ALIGN_MAX_JUMP &&
            line[0].depth === prev[0].depth;
        if (!continues && run.length > 0) flushEq();
        if (qualifies) run.push(line);
    }
    if (run.length > 0) flushEq();

    // deploy counts.
    const isDeploy = (l: Tok[]) =>
        l[0].type === 'deploy' &&
        l[1]?.type === 'NUMBER' &&
        l[2]?.type === 'x' &&
        l[2].gap.kind === 'count';
    run = [];
    const flushCount = () => {
        const max = maxOf(run, l => columns(l[1].out));
        for (const l of run) (l[2].gap as { n: number }).n = 1 + max - columns(l[1].out);
        run = [];
    };
    for (const line of lines) {
        const qualifies = isDeploy(line);
        if ((!qualifies || blankBefore(line)) && run.length > 0) flushCount();
        if (qualifies) run.push(line);
    }
    if (run.length > 0) flushCount();

    // `{` of consecutive one-line shape or model blocks.
    const braceOf = (l: Tok[]) => {
        if (l[0].type !== 'shape' && l[0].type !== 'model') return -1;
        const b = l.findIndex(t => t.type === '{');
        return b > 0 &&
            l[b].oneLine &&
            l[b].gap.kind === 'name' &&
            l.some((t, i) => i > b && t.type === '}')
            ? b
            : -1;
    };
    run = [];
    const flushName = () => {
        const widths = run.map(l => width(l, braceOf(l)));
        const max = maxOf(widths, w => w);
        run.forEach((l, k) => {
            (l[braceOf(l)].gap as { n: number }).n = 1 + max - widths[k];
        });
        run = [];
    };
    for (const line of lines) {
        const qualifies = braceOf(line) > 0;
        if (run.length > 0 && (!qualifies || blankBefore(line) || line[0].type !== run[0][0].type))
            flushName();
        if (qualifies) run.push(line);
    }
    if (run.length > 0) flushName();
}

/** The LSP formatter service: whole document, a range, and on-type after `}`. */
export class DcplanFormatter implements Formatter {
    private readonly lexer: Lexer;

    constructor(services: LangiumServices) {
        this.lexer = services.parser.Lexer;
    }

    formatDocument(document: LangiumDocument, _params: DocumentFormattingParams): TextEdit[] {
        return formatDcplan(this.lexer, document.textDocument.getText()).edits;
    }

    formatDocumentRange(
        document: LangiumDocument,
        params: DocumentRangeFormattingParams
    ): TextEdit[] {
        return this.editsIn(document, params.range);
    }

    formatDocumentOnType(
        document: LangiumDocument,
        params: DocumentOnTypeFormattingParams
    ): TextEdit[] {
        const line = params.position.line;
        // The block just closed: from its first line to the current one.
        const text = document.textDocument.getText();
        const offset = document.textDocument.offsetAt(params.position);
        let depth = 0;
        let start = offset - 1;
        for (; start >= 0; start--) {
            if (text[start] === '}') depth++;
            else if (text[start] === '{' && --depth <= 0) break;
        }
        const from = start >= 0 ? document.textDocument.positionAt(start).line : line;
        // nothing after the cursor: the line break the file's end gets would be inserted after
        // it, and the Enter typed next would leave a blank line
        const at = params.position;
        return this.editsIn(document, {
            start: { line: from, character: 0 },
            end: { line, character: Number.MAX_SAFE_INTEGER }
        }).filter(
            e =>
                e.range.start.line < at.line ||
                (e.range.start.line === at.line && e.range.start.character < at.character)
        );
    }

    get formatOnTypeOptions(): DocumentOnTypeFormattingOptions | undefined {
        return { firstTriggerCharacter: '}' };
    }

    /** The edits of the whole layout that fall on the lines of `range`. */
    private editsIn(document: LangiumDocument, range: Range): TextEdit[] {
        const all = formatDcplan(this.lexer, document.textDocument.getText()).edits;
        const first = range.start.line;
        const last =
            range.end.character === 0 && range.end.line > first
                ? range.end.line - 1
                : range.end.line;
        const lastLine = document.textDocument.lineCount - 1;
        // The whitespace before each token of the selected lines (its indentation included), and
        // the end of the file when the selection reaches it.
        return all.filter(
            e =>
                (e.range.end.line >= first && e.range.end.line <= last) ||
                (e.range.start.line <= last &&
                    e.range.end.line >= lastLine &&
                    e.range.start.line >= first)
        );
    }
}
