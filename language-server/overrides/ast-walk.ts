/**
 * One flat pre-order list of a document's AST, shared by the linker, the scope computation and
 * the document validator. Langium's `AstUtils.streamAst` builds a generator-backed stream per
 * node on every walk; on a plan with thousands of host blocks three such walks per build were
 * a visible part of the whole check. The list is made once per parse result and is in exactly
 * the order of `streamAst` (pre-order; a node's properties in key order; arrays in order).
 */
import { AstUtils, type AstNode, GrammarAST, isAstNode } from 'langium';
import { DcplanGrammar } from '../generated/grammar.js';

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

/**
 * The properties that hold child nodes, per node type, in the grammar's order: the assignments of
 * a rule (and of the fragments it calls) to a call of a parser rule that makes nodes (not a
 * datatype rule, not a cross-reference). Visiting only these gives `streamAst`'s order, which
 * follows the keys of each node: a property is set when the parser first meets it, and dcplan's
 * rules meet their containments in grammar order (`imports` before `elements`, `names` before
 * `pins`); one not met is an empty array, which visits nothing wherever it stands.
 */
let containments: Map<string, readonly string[]> | undefined;
export function containmentProperties(): Map<string, readonly string[]> {
    if (containments) return containments;
    containments = new Map();
    const grammar = DcplanGrammar();
    const own = (
        rule: GrammarAST.ParserRule,
        seen = new Set<GrammarAST.ParserRule>()
    ): string[] => {
        const out: string[] = [];
        if (seen.has(rule)) return out;
        seen.add(rule);
        for (const n of AstUtils.streamAllContents(rule)) {
            if (
                GrammarAST.isAssignment(n) &&
                GrammarAST.isRuleCall(n.terminal) &&
                GrammarAST.isParserRule(n.terminal.rule.ref) &&
                !n.terminal.rule.ref.dataType &&
                !out.includes(n.feature)
            )
                out.push(n.feature);
            // a fragment's assignments are the calling rule's
            if (
                GrammarAST.isRuleCall(n) &&
                GrammarAST.isParserRule(n.rule.ref) &&
                n.rule.ref.fragment
            ) {
                for (const f of own(n.rule.ref, seen)) if (!out.includes(f)) out.push(f);
            }
        }
        return out;
    };
    for (const rule of grammar.rules) {
        if (GrammarAST.isParserRule(rule) && !rule.fragment && !rule.dataType)
            containments.set(rule.name, own(rule));
    }
    return containments;
}

/** The root and every node it contains, in `AstUtils.streamAst(root)` order, with subtree ends. */
export function flattenAst(root: AstNode): FlatAst {
    let flat = cache.get(root);
    if (flat) return flat;
    const byType = containmentProperties();
    const nodes: AstNode[] = [];
    const ends: number[] = [];
    const visit = (node: AstNode): void => {
        const i = nodes.length;
        nodes.push(node);
        ends.push(0);
        const record = node as unknown as Record<string, unknown>;
        const keys = byType.get(node.$type);
        if (keys) {
            for (let k = 0; k < keys.length; k++) visitValue(record[keys[k]]);
        } else {
            // a type the grammar does not name (none today): every property, in key order
            for (const key in record) if (key.charCodeAt(0) !== 36 /* $ */) visitValue(record[key]);
        }
        ends[i] = nodes.length;
    };
    const visitValue = (value: unknown): void => {
        if (typeof value !== 'object' || value === null) return;
        if (Array.isArray(value)) {
            for (let j = 0; j < value.length; j++) if (isAstNode(value[j])) visit(value[j]);
        } else if (isAstNode(value)) {
            visit(value);
        }
    };
    visit(root);
    flat = { nodes, ends };
    cache.set(root, flat);
    return flat;
}
