/**
 * The duplicate-attribute fast path (a performance override of Langium's
 * `GrammarUtils.findNodesForProperty`/`findNodesForKeyword`, see `README.md`): one walk over a
 * block's CST lists the nodes of each property and keyword, and most blocks are settled without
 * a walk at all. `duplicate-attribute` ("memory is given twice; the last one counts") is reported
 * from that scan, and the language checks read the `runs` keywords from it.
 *
 * State: the grammar-element cache and the scratch list of `AttributeScanner` belong to one
 * scanner (one per validator, i.e. per language services); a scan's own state is the `Scan`
 * object of that call. Nothing is module-global.
 */
import {
    AstUtils,
    type AstNode,
    type CstNode,
    GrammarAST,
    isCompositeCstNode,
    type ValidationAcceptor
} from 'langium';
import type { Host, HostModel } from '../generated/ast.js';
import { IssueCodes } from '../../src/planner/findings.js';
import { attributeName } from '../validation/report.js';

/** The CST nodes of a block's own assignments and keywords, by property and by keyword. */
export interface CstScan {
    readonly properties: ReadonlyMap<string, readonly CstNode[]>;
    readonly keywords: ReadonlyMap<string, readonly CstNode[]>;
}

/** What a grammar element contributes: the property of its enclosing assignment, the keyword it is. */
interface SourceInfo {
    readonly feature: string | undefined;
    readonly keyword: string | undefined;
    /** An unassigned call of a parser rule (a fragment, an alternative): its CST may hold properties of the block. */
    readonly descend: boolean;
}

const NO_SOURCE: SourceInfo = { feature: undefined, keyword: undefined, descend: false };

/** The scan of a block whose properties are each assigned at most once (nothing to report). */
export const EMPTY_SCAN: CstScan = { properties: new Map(), keywords: new Map() };

/** The single-valued attributes of each block, as AST properties (`loginProcesses` is `login_processes`). */
export const PLAN_ATTRIBUTES = [
    'title',
    'dovecot',
    'platform',
    'mailStorage',
    'tolerateHostFailures',
    'rebalanceMoves'
] as const;
export const WORKLOAD_ATTRIBUTES = ['sessions', 'activeUsers'] as const;
export const SHAPE_ATTRIBUTES = [
    'role',
    'cores',
    'memory',
    'loginProcesses',
    'loginMode',
    'localDisk'
] as const;
export const HARDWARE_ATTRIBUTES = [
    'cores',
    'threadsPerCore',
    'memory',
    'numaNodes',
    'hypervisorCores',
    'hypervisorMemory'
] as const;

/** The state of one `scan`; `enclosing`: the properties of the assigned nodes above (findNodesForProperty stops at them). */
interface Scan {
    readonly node: AstNode;
    readonly properties: Map<string, CstNode[]>;
    readonly keywords: Map<string, CstNode[]>;
    readonly enclosing: string[];
}

/** Scans blocks for repeated attributes (see the module comment). */
export class AttributeScanner {
    /** SourceInfo per grammar element (the grammar lives as long as the services that own this scanner). */
    private readonly sourceInfos = new Map<GrammarAST.AbstractElement, SourceInfo>();
    /** The properties met so far by `repeatsFeature` in the current scan (reused: blocks have a handful). */
    private readonly seenFeatures: string[] = [];

    /**
     * One walk over the CST of `node` collecting, for every property, the nodes
     * `GrammarUtils.findNodesForProperty(node.$cstNode, property)` returns, and for every keyword
     * those of `GrammarUtils.findNodesForKeyword` (same nodes, same order): checking each attribute
     * with its own walk was most of the validation time of large plans.
     *
     * `assigned` is the number of values the block's AST holds: its single-valued attributes that
     * are set, plus its other assignments (each demand, one `runs`). Every assignment of a block is
     * written with one `=`, so when the block's text holds exactly as many `=`, no attribute is given
     * twice and nothing is walked. A `=` in a comment or a string only sends the block to the walk;
     * so does a syntax error in the document (the parser's recovery may assign a value whose `=` is
     * not in the text).
     */
    scan(node: AstNode, assigned: number): CstScan {
        const root = node.$cstNode;
        if (!root) return EMPTY_SCAN;
        if (
            assigned === equalSigns(root) &&
            AstUtils.getDocument(node).parseResult.parserErrors.length === 0
        )
            return EMPTY_SCAN;
        // Most blocks assign each property once: a walk that only looks for a repeated property
        // (without building the lists) settles them; only the others get the full scan.
        this.seenFeatures.length = 0;
        if (isCompositeCstNode(root) && !this.repeatsFeature(root)) return EMPTY_SCAN;
        const scan: Scan = { node, properties: new Map(), keywords: new Map(), enclosing: [] };
        const rootKeyword = this.sourceInfo(root.grammarSource).keyword;
        if (rootKeyword !== undefined) pushTo(scan.keywords, rootKeyword, root);
        if (isCompositeCstNode(root))
            for (const d of root.content)
                this.visitCst(scan, d, isCompositeCstNode(d) ? d.astNode : node);
        return scan;
    }

    private sourceInfo(source: GrammarAST.AbstractElement | undefined): SourceInfo {
        if (!source) return NO_SOURCE;
        let info = this.sourceInfos.get(source);
        if (!info) {
            const feature = AstUtils.getContainerOfType(source, GrammarAST.isAssignment)?.feature;
            info = {
                feature,
                keyword: GrammarAST.isKeyword(source) ? source.value : undefined,
                descend:
                    feature === undefined &&
                    GrammarAST.isRuleCall(source) &&
                    GrammarAST.isParserRule(source.rule.ref)
            };
            this.sourceInfos.set(source, info);
        }
        return info;
    }

    /**
     * True when some property is assigned twice among the CST nodes under `c` that belong to the
     * block (the nodes `visitCst` would list), i.e. when the full scan may have something to report.
     * Lists (`names`, `pins`) count as repeated too: such blocks get the full scan, which tells them
     * apart.
     */
    private repeatsFeature(c: CstNode & { content: readonly CstNode[] }): boolean {
        // an indexed loop: `content` is an Array subclass, slow to iterate with for…of
        const content = c.content;
        for (let i = 0; i < content.length; i++) {
            const d = content[i];
            const info = this.sourceInfo(d.grammarSource);
            const feature = info.feature;
            if (feature !== undefined) {
                if (this.seenFeatures.includes(feature)) return true;
                this.seenFeatures.push(feature);
            } else if (info.descend) {
                // Only unassigned calls of parser rules (fragments, alternatives) can hold more of
                // this block's properties. An assigned composite is a child AST node (its properties
                // are its own), a datatype value or a cross-reference: nothing inside is assigned to
                // this block (`visitCst` skips them as enclosed).
                const sub = (d as { content?: readonly CstNode[] }).content;
                if (
                    sub !== undefined &&
                    sub.length > 0 &&
                    this.repeatsFeature(d as CstNode & { content: readonly CstNode[] })
                )
                    return true;
            }
        }
        return false;
    }

    /** Visits `c`, whose AST node is `astNode` (a leaf's is its container's). */
    private visitCst(scan: Scan, c: CstNode, astNode: AstNode): void {
        const { feature, keyword } = this.sourceInfo(c.grammarSource);
        const enclosing = scan.enclosing;
        if (feature !== undefined && (enclosing.length === 0 || !enclosing.includes(feature)))
            pushTo(scan.properties, feature, c);
        if (astNode !== scan.node) return;
        if (keyword !== undefined) pushTo(scan.keywords, keyword, c);
        if (isCompositeCstNode(c)) {
            if (feature !== undefined) enclosing.push(feature);
            for (const d of c.content)
                this.visitCst(scan, d, isCompositeCstNode(d) ? d.astNode : astNode);
            if (feature !== undefined) enclosing.pop();
        }
    }
}

/** 1 when a value is set, else 0 (for counting a block's values). */
export function set(value: string | undefined): number {
    return value === undefined ? 0 : 1;
}

/** The hardware attributes set in a `model` or `host` block. */
export function hardwareSet(n: Host | HostModel): number {
    return (
        set(n.cores) +
        set(n.threadsPerCore) +
        set(n.memory) +
        set(n.numaNodes) +
        set(n.hypervisorCores) +
        set(n.hypervisorMemory)
    );
}

/** The number of `=` characters in the text of `cst` (its first to its last token, as `offset` and `end` say). */
function equalSigns(cst: CstNode): number {
    let start = cst.offset,
        end = cst.end;
    if (isCompositeCstNode(cst)) {
        // the first and last tokens by index: the getters walk the content with an iterator
        const content = cst.content;
        let i = 0,
            j = content.length - 1;
        while (i <= j && content[i].hidden) i++;
        while (j >= i && content[j].hidden) j--;
        if (i <= j) {
            start = content[i].offset;
            end = content[j].end;
        }
    }
    const text = cst.root.fullText;
    let n = 0;
    for (let at = text.indexOf('=', start); at >= 0 && at < end; at = text.indexOf('=', at + 1))
        n++;
    return n;
}

function pushTo(m: Map<string, CstNode[]>, k: string, c: CstNode): void {
    const list = m.get(k);
    if (list) list.push(c);
    else m.set(k, [c]);
}

/** Each property assigned more than once in a block: an error on the repeated one. */
export function checkDuplicateAttributes(
    node: AstNode,
    accept: ValidationAcceptor,
    scan: CstScan,
    properties: readonly string[]
): void {
    if (scan === EMPTY_SCAN) return;
    for (const p of properties) {
        const nodes = scan.properties.get(p) ?? [];
        for (const extra of nodes.slice(1)) {
            accept('error', `${attributeName(p)} is given twice; the last one counts`, {
                node,
                range: extra.range,
                code: IssueCodes.DuplicateAttribute,
                data: { code: IssueCodes.DuplicateAttribute }
            } as never);
        }
    }
}
