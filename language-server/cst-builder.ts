/**
 * Langium's CST builder with two changes to where hidden nodes (whitespace, comments) are put,
 * which leave the tree the same:
 * - the hidden nodes before an element are put in by one splice per 10,000 of them: a run of
 *   100,000 comment lines was one call with 200,000 arguments, which overflowed the stack;
 * - the node they go before is looked up from the end of its container's content (where the
 *   parser has just added it) rather than from the start: at the file's top level that was a scan
 *   of every element before it, per element (10,000 host blocks took 1 s, 100,000 took 17 s).
 */
import { CstNodeBuilder, CstUtils, LeafCstNodeImpl, type CompositeCstNode, type CstNode, type LangiumParser } from 'langium';

/** Hidden nodes put in by one call (well below the engine's limit on call arguments). */
const CHUNK = 10_000;

export class DcplanCstNodeBuilder extends CstNodeBuilder {
    override addHiddenNodes(tokens: Parameters<CstNodeBuilder['addHiddenNodes']>[0]): void {
        if (tokens.length === 0) return;
        const current = this.current;
        const root = current.root;
        const leaves: CstNode[] = new Array(tokens.length);
        for (let k = 0; k < tokens.length; k++) {
            const t = tokens[k];
            const leaf = new LeafCstNodeImpl(t.startOffset, t.image.length, CstUtils.tokenToRange(t), t.tokenType, true);
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
        for (let k = 0; k < leaves.length; k += CHUNK) target.content.splice(at + k, 0, ...leaves.slice(k, k + CHUNK));
    }
}

/** Gives `parser` the builder above (Langium makes its own in the parser's constructor). */
export function useDcplanCstBuilder(parser: LangiumParser): LangiumParser {
    (parser as unknown as { nodeBuilder: CstNodeBuilder }).nodeBuilder = new DcplanCstNodeBuilder();
    return parser;
}
