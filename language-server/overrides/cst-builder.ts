/**
 * Langium's CST builder with two changes to where hidden nodes (whitespace, comments) are put,
 * which leave the tree the same:
 * - the hidden nodes before an element are put in by one splice per 10,000 of them: a run of
 *   100,000 comment lines was one call with 200,000 arguments, which overflowed the stack;
 * - the node they go before is looked up from the end of its container's content (where the
 *   parser has just added it) rather than from the start: at the file's top level that was a scan
 *   of every element before it, per element (10,000 host blocks took 1 s, 100,000 took 17 s);
 * and one change to error recovery's removal of a node, looked up from the end as well.
 */
import {
    CstNodeBuilder,
    CstUtils,
    type GrammarAST,
    LeafCstNodeImpl,
    type CompositeCstNode,
    type CstNode,
    type LangiumParser,
    type RootCstNode
} from 'langium';
import type { IToken, TokenType } from 'chevrotain';
import type { Range } from 'vscode-languageserver-types';

/**
 * The offsets where the lines of a root's text start (after `\n`, `\r\n` or a lone `\r`, the
 * lexer's line terminators), made when a range is first asked of a leaf of that root.
 */
const lineStarts = new WeakMap<RootCstNode, Uint32Array>();

function linesOf(root: RootCstNode): Uint32Array {
    let starts = lineStarts.get(root);
    if (starts) return starts;
    const text = root.fullText;
    const out: number[] = [0];
    for (let k = 0; k < text.length; k++) {
        const c = text.charCodeAt(k);
        if (c === 10 || (c === 13 && text.charCodeAt(k + 1) !== 10)) out.push(k + 1);
    }
    lineStarts.set(root, (starts = Uint32Array.from(out)));
    return starts;
}

/**
 * A leaf of one line whose range is computed when asked (from its offset and the root's line
 * starts) instead of kept from the token: three objects and four numbers less per token, a good
 * part of the memory of a large workspace's syntax trees (issue 13: 2,000 files of 50 elements
 * held 2 GB). The same range as Langium's `tokenToRange` for a token that does not span lines;
 * tokens that do (a run of blank lines, a block comment) and tokens the parser inserted in error
 * recovery keep Langium's eager range.
 */
export class LazyRangeLeafCstNode extends LeafCstNodeImpl {
    private lazyRange: Range | undefined;

    constructor(offset: number, length: number, tokenType: TokenType, hidden: boolean) {
        super(offset, length, undefined as unknown as Range, tokenType, hidden);
    }

    override get range(): Range {
        if (this.lazyRange) return this.lazyRange;
        const starts = linesOf(this.root);
        // the last line start at or before the offset
        let lo = 0,
            hi = starts.length - 1;
        while (lo < hi) {
            const mid = (lo + hi + 1) >> 1;
            if (starts[mid] <= this.offset) lo = mid;
            else hi = mid - 1;
        }
        const character = this.offset - starts[lo];
        this.lazyRange = {
            start: { line: lo, character },
            end: { line: lo, character: character + this.length }
        };
        return this.lazyRange;
    }
}

/** A leaf for `token`: with a lazy range when the token is on one line (see `LazyRangeLeafCstNode`). */
function leafOf(token: IToken, hidden: boolean): LeafCstNodeImpl {
    const oneLine =
        token.startLine !== undefined &&
        token.startLine === token.endLine &&
        !Number.isNaN(token.startOffset) &&
        token.endColumn !== undefined &&
        token.startColumn !== undefined &&
        token.endColumn - token.startColumn + 1 === token.image.length;
    return oneLine
        ? new LazyRangeLeafCstNode(token.startOffset, token.image.length, token.tokenType, hidden)
        : new LeafCstNodeImpl(
              token.startOffset,
              token.image.length,
              CstUtils.tokenToRange(token),
              token.tokenType,
              hidden
          );
}

/** Hidden nodes put in by one call (well below the engine's limit on call arguments). */
const CHUNK = 10_000;

export class DcplanCstNodeBuilder extends CstNodeBuilder {
    /**
     * Langium's, looking the node up from the end: error recovery removes the node the parser has
     * just added (the last of its container), and a scan from the start made each of 40,000
     * syntax errors in one block cost a scan of all the nodes before it.
     */
    override removeNode(node: CstNode): void {
        const parent = node.container;
        if (!parent) return;
        const index = parent.content.lastIndexOf(node);
        if (index >= 0) parent.content.splice(index, 1);
    }

    /** Langium's leaf, with a lazy range (`leafOf`). */
    override buildLeafNode(token: IToken, feature?: GrammarAST.AbstractElement): LeafCstNodeImpl {
        const leaf = leafOf(token, !feature);
        leaf.grammarSource = feature;
        leaf.root = (this as unknown as { rootNode: RootCstNode }).rootNode;
        this.current.content.push(leaf);
        return leaf;
    }

    override addHiddenNodes(tokens: Parameters<CstNodeBuilder['addHiddenNodes']>[0]): void {
        if (tokens.length === 0) return;
        const current = this.current;
        const root = current.root;
        const leaves: CstNode[] = new Array(tokens.length);
        for (let k = 0; k < tokens.length; k++) {
            const t = tokens[k];
            const leaf = leafOf(t, true);
            leaf.root = root;
            leaves[k] = leaf;
        }
        // Where Langium puts them: at the end of the current node when it has content; else just
        // before the current node, or before the first of its ancestors that is not the first
        // child of its container; else at the start of the file.
        let target: CompositeCstNode = root;
        let at = 0;
        if (current.content.length > 0) {
            target = current;
            at = current.content.length;
        } else {
            for (let node: CompositeCstNode = current; node.container; node = node.container) {
                const index = node.container.content.lastIndexOf(node);
                if (index > 0) {
                    target = node.container;
                    at = index;
                    break;
                }
            }
        }
        // the container's splice sets each node's container, as push and unshift do
        for (let k = 0; k < leaves.length; k += CHUNK)
            target.content.splice(at + k, 0, ...leaves.slice(k, k + CHUNK));
    }
}

/**
 * Gives `parser` the builder above (Langium makes its own in the parser's constructor), and
 * parses without stack traces on errors: Chevrotain's error recovery throws and catches an
 * exception per syntax error, and capturing each one's stack was a third of the time of a file
 * of 40,000 syntax errors. Nothing reads those stacks; the limit is restored after the parse.
 */
export function useDcplanCstBuilder(parser: LangiumParser): LangiumParser {
    (parser as unknown as { nodeBuilder: CstNodeBuilder }).nodeBuilder = new DcplanCstNodeBuilder();
    const parse = parser.parse.bind(parser);
    parser.parse = ((input: string, options?: unknown) => {
        const limit = Error.stackTraceLimit;
        Error.stackTraceLimit = 0;
        try {
            return (parse as (i: string, o?: unknown) => ReturnType<LangiumParser['parse']>)(
                input,
                options
            );
        } finally {
            Error.stackTraceLimit = limit;
        }
    }) as LangiumParser['parse'];
    return parser;
}
