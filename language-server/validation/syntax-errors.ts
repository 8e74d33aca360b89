/**
 * Where the parser stopped in a document: a check that finds a node incomplete (a shape or host
 * without its required attributes) asks whether error recovery made it so, since the syntax
 * error then says what is wrong and a second diagnostic would only repeat it wrongly.
 */
import { AstUtils, type AstNode, type ParseResult } from 'langium';

/**
 * True when the parser stopped inside `node`, or right after it (its missing attributes, or the
 * node itself, are then the syntax error's doing).
 */
export function hasSyntaxErrorIn(node: AstNode): boolean {
    const cst = node.$cstNode;
    if (!cst) return false;
    const offsets = syntaxErrorOffsets(AstUtils.getDocument(node).parseResult);
    // the first error at or after the node's start: is it inside the node?
    let lo = 0,
        hi = offsets.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (offsets[mid] < cst.offset) lo = mid + 1;
        else hi = mid;
    }
    if (lo >= offsets.length) return false;
    if (offsets[lo] <= cst.end) return true;
    // an error just after the node (only blanks between) cut it short: `shape shape {}` ends
    // its first `shape` at the second, where the syntax error is
    const text = AstUtils.getDocument(node).textDocument.getText();
    BLANKS.lastIndex = cst.end;
    BLANKS.exec(text);
    return offsets[lo] <= BLANKS.lastIndex;
}

/** Blanks from `lastIndex` on (sticky: matches where it starts, never scans on). */
const BLANKS = /\s*/y;

/** The parser errors' offsets of a parse, sorted, made once per parse (a scan per node was quadratic: 10,000 `shape` lines took 13 s). */
const errorOffsets = new WeakMap<ParseResult, Float64Array>();

function syntaxErrorOffsets(parseResult: ParseResult): Float64Array {
    let offsets = errorOffsets.get(parseResult);
    if (!offsets) {
        offsets = Float64Array.from(parseResult.parserErrors, e =>
            Number.isNaN(e.token.startOffset)
                ? ((e as { previousToken?: { endOffset: number } }).previousToken?.endOffset ?? -1)
                : e.token.startOffset
        ).sort();
        errorOffsets.set(parseResult, offsets);
    }
    return offsets;
}
