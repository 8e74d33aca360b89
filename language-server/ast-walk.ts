/**
 * One flat pre-order list of a document's AST, shared by the linker, the scope computation and
 * the document validator. Langium's `AstUtils.streamAst` builds a generator-backed stream per
 * node on every walk; on a plan with thousands of host blocks three such walks per build were
 * a visible part of the whole check. The list is made once per parse result and is in exactly
 * the order of `streamAst` (pre-order; a node's properties in key order; arrays in order).
 */
import { type AstNode, isAstNode } from 'langium';

/** A flattened AST: `nodes[0]` is the root; the subtree of `nodes[i]` is `nodes[i … ends[i] - 1]`. */
export interface FlatAst {
    readonly nodes: readonly AstNode[];
    readonly ends: readonly number[];
}

/**
 * Per root: the containment of a parsed AST does not change afterwards (linking sets references,
 * not children), and a new parse makes a new root.
 */
const cache = new WeakMap<AstNode, FlatAst>();

/** The root and every node it contains, in `AstUtils.streamAst(root)` order, with subtree ends. */
export function flattenAst(root: AstNode): FlatAst {
    let flat = cache.get(root);
    if (flat) return flat;
    const nodes: AstNode[] = [];
    const ends: number[] = [];
    const visit = (node: AstNode): void => {
        const i = nodes.length;
        nodes.push(node);
        ends.push(0);
        const record = node as unknown as Record<string, unknown>;
        for (const key of Object.keys(node)) {
            if (key.charCodeAt(0) === 36 /* $ */) continue;
            const value = record[key];
            if (Array.isArray(value)) {
                for (let j = 0; j < value.length; j++) if (isAstNode(value[j])) visit(value[j]);
            } else if (isAstNode(value)) {
                visit(value);
            }
        }
        ends[i] = nodes.length;
    };
    visit(root);
    flat = { nodes, ends };
    cache.set(root, flat);
    return flat;
}
