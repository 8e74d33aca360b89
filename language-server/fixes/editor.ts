/**
 * The text and syntax helpers of the quick-fixes: the `Editor` over the document being fixed
 * (tokens, lines, layout, the one span-removal edit), and helpers several fix families share.
 *
 * Edits respect the user's text: only the tokens that must change are replaced (a count, a
 * size, a name); inserted attributes follow the block's layout (one line or one attribute a
 * line, its indentation, its line endings); comments are never removed.
 */
import {
    AstUtils,
    CstUtils,
    GrammarAST,
    GrammarUtils,
    isLeafCstNode,
    type AstNode,
    type CstNode
} from 'langium';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { Deploy, Host, Pin, PlanFile, Shape } from '../generated/ast.js';
import { isDeploy, isHost, isShape } from '../generated/ast.js';
import { expandHostName } from '../model-builder.js';
import { parseCount } from '../values.js';
import type {
    Host as ModelHost,
    PlanModel,
    Role,
    Shape as ModelShape
} from '../../src/planner/model.js';
import { formatPercent } from '../../src/planner/format.js';
import type { FixContext, TextChange } from './fix.js';

/**
 * Reads the text and syntax of the document being fixed and builds changes. The one place the
 * fixes make text edits from: a token replaced (`replace`), attributes inserted
 * (`insertAttributes`), a span removed with its line when it stands alone (`removeSpan`).
 */
export class Editor {
    readonly text: string;
    readonly eol: string;
    readonly uri: string;
    readonly root: PlanFile;
    readonly model: PlanModel;

    constructor(readonly ctx: FixContext) {
        this.text = ctx.document.textDocument.getText();
        // the text's own line break (a file of old-Mac CR breaks gets CR lines, not LF ones)
        this.eol = this.text.includes('\r\n')
            ? '\r\n'
            : this.text.includes('\n') || !this.text.includes('\r')
              ? '\n'
              : '\r';
        this.uri = ctx.document.uri.toString();
        this.root = ctx.document.parseResult.value;
        this.model = ctx.analysis.built.model;
    }

    /** True when `node` is in the document being fixed (not in an imported file). */
    inMain(node: AstNode): boolean {
        return AstUtils.getDocument(node).uri.toString() === this.uri;
    }

    /**
     * The value node of `property` (a token or datatype rule): the last one written, the one the
     * checker reads (Langium keeps the last assignment of a repeated attribute, and the validator
     * says "the last one counts" and reports there).
     */
    prop(node: AstNode, property: string): CstNode | undefined {
        return GrammarUtils.findNodesForProperty(node.$cstNode, property).at(-1);
    }

    /**
     * The value a diagnostic's range starts in: the leaf there, or the datatype rule around it
     * (`8 GiB`), assigned to a property of its block (`feature`). `undefined` elsewhere.
     */
    valueAt(diagnostic: Diagnostic): { value: CstNode; feature: string } | undefined {
        const offset = this.ctx.document.textDocument.offsetAt(diagnostic.range.start);
        const root = this.root.$cstNode;
        const leaf = root ? CstUtils.findLeafNodeAtOffset(root, offset) : undefined;
        if (!leaf) return undefined;
        for (let n: CstNode | undefined = leaf; n && n.astNode === leaf.astNode; n = n.container) {
            const feature = n.grammarSource
                ? AstUtils.getContainerOfType(n.grammarSource, GrammarAST.isAssignment)?.feature
                : undefined;
            if (feature !== undefined) return { value: n, feature };
        }
        return undefined;
    }

    keyword(node: AstNode, kw: string): CstNode | undefined {
        return GrammarUtils.findNodeForKeyword(node.$cstNode, kw);
    }

    lineStart(offset: number): number {
        const i = Math.max(
            this.text.lastIndexOf('\n', offset - 1),
            this.text.lastIndexOf('\r', offset - 1)
        );
        return i + 1;
    }

    lineEnd(offset: number): number {
        let i = offset;
        while (i < this.text.length && this.text[i] !== '\n' && this.text[i] !== '\r') i++;
        return i;
    }

    /** The offset after the line break that ends the line at `offset` (or the text's end). */
    nextLineStart(offset: number): number {
        const e = this.lineEnd(offset);
        if (this.text.startsWith('\r\n', e)) return e + 2;
        return e < this.text.length ? e + 1 : e;
    }

    indentAt(offset: number): string {
        const s = this.lineStart(offset);
        return /^[ \t]*/.exec(this.text.slice(s))![0];
    }

    /** Non-hidden leaves of a node's CST, in order. */
    leaves(node: AstNode): CstNode[] {
        if (!node.$cstNode) return [];
        return CstUtils.streamCst(node.$cstNode)
            .filter(n => isLeafCstNode(n) && !n.hidden)
            .toArray();
    }

    /** `element` key of a node: its kind and offset. */
    key(node: AstNode): string {
        if (isShape(node)) return 'shape:' + node.name;
        return `${node.$type}@${node.$cstNode?.offset ?? -1}`;
    }

    replace(node: CstNode | undefined, newText: string, element: string): TextChange[] {
        if (!node) return [];
        return [{ start: node.offset, end: node.end, newText, element }];
    }

    /**
     * Inserts attributes (`hypervisor_cores = 2`) into a `{ … }` block after its last attribute:
     * on a new line with the attributes' indentation in a block written one attribute a line,
     * on the same line (with the block's spacing) in a one-line block.
     */
    insertAttributes(block: AstNode, attrs: readonly string[], element: string): TextChange[] {
        const leaves = this.leaves(block);
        const closeIndex = leaves.map(l => l.text).lastIndexOf('}');
        const openIndex = leaves.findIndex(l => l.text === '{');
        if (closeIndex < 0 || openIndex < 0 || attrs.length === 0) return [];
        const open = leaves[openIndex];
        const close = leaves[closeIndex];
        const anchor = leaves[closeIndex - 1];
        const inner = this.text.slice(open.end, close.offset);
        const multiLine = /[\r\n]/.test(inner);
        if (multiLine) {
            const anchorLineEnd = this.lineEnd(anchor.end);
            if (anchorLineEnd <= close.offset) {
                let indent: string;
                if (anchor === open) {
                    // An empty block: the first line inside, or the brace's indentation and two spaces.
                    const firstLine = this.nextLineStart(open.end);
                    const candidate = /^[ \t]*/.exec(this.text.slice(firstLine))![0];
                    indent =
                        firstLine < close.offset && candidate.length > 0
                            ? candidate
                            : this.indentAt(open.offset) + '  ';
                } else {
                    indent = this.indentAt(this.attributeStart(leaves, closeIndex - 1).offset);
                }
                return [
                    {
                        start: anchorLineEnd,
                        end: anchorLineEnd,
                        newText: attrs.map(a => this.eol + indent + a).join(''),
                        element
                    }
                ];
            }
        }
        let sep = ' ';
        if (anchor !== open) {
            const first = this.attributeStart(leaves, closeIndex - 1);
            const before = leaves[leaves.indexOf(first) - 1];
            const ws = before ? this.text.slice(before.end, first.offset) : ' ';
            if (/^[ \t]+$/.test(ws)) sep = ws;
        }
        return [
            {
                start: anchor.end,
                end: anchor.end,
                newText: attrs.map(a => sep + a).join(''),
                element
            }
        ];
    }

    /** The first leaf (the keyword) of the attribute whose last leaf is `leaves[last]`. */
    private attributeStart(leaves: CstNode[], last: number): CstNode {
        for (let i = last; i > 0; i--) {
            if (leaves[i].text === '=' && i > 0) return leaves[i - 1];
        }
        return leaves[last];
    }

    /**
     * Removes an attribute (`login_processes = 4`): the whole line when it stands alone on it,
     * else the attribute and the spaces before it. Comments stay.
     */
    removeAttribute(node: AstNode, kw: string, property: string, element: string): TextChange[] {
        // Every occurrence goes: removing only the last (the one read) would make an earlier
        // repeated one count instead.
        const keywords = GrammarUtils.findNodesForKeyword(node.$cstNode, kw);
        const values = GrammarUtils.findNodesForProperty(node.$cstNode, property);
        if (keywords.length === 0 || keywords.length !== values.length) return [];
        return keywords.flatMap((k, i) => this.removeOne(k, values[i], element));
    }

    /** Removes one `kw = value` (see `removeAttribute`). */
    private removeOne(k: CstNode, v: CstNode, element: string): TextChange[] {
        if (v.offset < k.end) return [];
        return [this.removeSpan(k.offset, v.end, element)];
    }

    /**
     * Removes the text `[start, end)` (an attribute, a `runs` list, a statement): through the end
     * of its line, line break included, when nothing but blanks stands before `start` and after
     * `end` on their lines; when only blanks stand before it, with the blanks after it (what
     * follows keeps the indentation; a `}` goes to the start of the line); else the span alone,
     * with the spaces and tabs before it when `blanksBefore` (an attribute among others keeps one
     * separator). Comments are outside the span and stay.
     */
    removeSpan(start: number, end: number, element: string, blanksBefore = true): TextChange {
        const ls = this.lineStart(start);
        const le = this.lineEnd(end);
        if (
            /^[ \t]*$/.test(this.text.slice(ls, start)) &&
            /^[ \t]*$/.test(this.text.slice(end, le))
        ) {
            return { start: ls, end: this.nextLineStart(end), newText: '', element };
        }
        if (/^[ \t]*$/.test(this.text.slice(ls, start))) {
            // first on its line, something after it: what follows takes its place, at its
            // indentation; a closing `}` goes to the start of the line (blocks do not nest)
            let e = end;
            while (e < le && /[ \t]/.test(this.text[e])) e++;
            return { start: this.text[e] === '}' ? ls : start, end: e, newText: '', element };
        }
        let s = start;
        if (blanksBefore) while (s > ls && /[ \t]/.test(this.text[s - 1])) s--;
        return { start: s, end, newText: '', element };
    }

    /** A size written `N GiB` (whole GiB, rounded up), keeping the written spacing when the unit was GiB. */
    sizeText(written: string, gib: number): string {
        const n = Math.max(1, Math.ceil(gib - 1e-9));
        const m = /^-?[0-9][0-9_.]*([ \t]*)GiB$/.exec(written.trim());
        return m ? `${n}${m[1]}GiB` : `${n} GiB`;
    }

    /** Every deploy statement of the main file that names the shape. */
    deploysOf(shapeName: string): Deploy[] {
        return this.root.elements.filter(isDeploy).filter(d => d.shape.$refText === shapeName);
    }

    /** Every `runs` pin of the main file that names the shape, with how many hosts its block names. */
    pinsOf(shapeName: string): { pin: Pin; block: Host; hosts: number }[] {
        const out: { pin: Pin; block: Host; hosts: number }[] = [];
        for (const block of this.root.elements.filter(isHost)) {
            const hosts = block.names.reduce((a, n) => a + (expandHostName(n)?.length ?? 0), 0);
            for (const pin of block.pins)
                if (pin.shape.$refText === shapeName) out.push({ pin, block, hosts });
        }
        return out;
    }

    /** Names of every shape visible in the main file (its own and imported ones). */
    shapeNames(): Set<string> {
        const names = new Set(this.model.shapes.map(s => s.name));
        for (const s of this.root.elements.filter(isShape)) names.add(s.name);
        return names;
    }

    /** The model shape and its declaration. */
    shape(name: string): { model: ModelShape; node: Shape } | undefined {
        const i = this.model.shapes.findIndex(s => s.name === name);
        if (i < 0) return undefined;
        return { model: this.model.shapes[i], node: this.ctx.analysis.built.sources.shapes[i] };
    }

    /** The maintenance impact of a role whose instances per shape are `counts` (after a fix's moves), as text. */
    impactAfter(counts: Map<string, { cores: number; count: number }>): string {
        let total = 0;
        let max = 0;
        for (const { cores, count } of counts.values()) {
            if (count <= 0) continue;
            total += cores * count;
            max = Math.max(max, cores);
        }
        return total > 0 ? formatPercent(max / total) : '0%';
    }

    /** Instances per shape of a role now: name → cores and count. */
    roleCounts(role: Role): Map<string, { cores: number; count: number }> {
        const m = new Map<string, { cores: number; count: number }>();
        for (const i of this.model.instances) {
            if (i.role !== role) continue;
            const e = m.get(i.shape) ?? { cores: i.cores, count: 0 };
            e.count++;
            m.set(i.shape, e);
        }
        return m;
    }
}

/** A count as written (`4`, `1_000`), `undefined` when it is not a count of at least 1. */
export const countOf = (text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const r = parseCount(text);
    return r.ok && r.value >= 1 ? r.value : undefined;
};

/** The model host named `name` and its block. */
export function hostByName(
    e: Editor,
    name: string
): { host: ModelHost; block: Host; index: number } | undefined {
    const index = e.model.hosts.findIndex(h => h.name === name);
    if (index < 0) return undefined;
    return {
        host: e.model.hosts[index],
        block: e.ctx.analysis.built.sources.hosts[index].block,
        index
    };
}

/** The pin-removal changes for `remove` (pins of `block`), keeping the others and comments. */
export function removePins(e: Editor, block: Host, remove: ReadonlySet<Pin>): TextChange[] {
    const element = e.key(block);
    const pins = block.pins;
    const kept = pins.filter(p => !remove.has(p));
    if (kept.length === 0) {
        // `runs` given twice (a duplicate-attribute error): the span from the first `runs` to the
        // last pin holds other attributes; nothing is removed.
        if (GrammarUtils.findNodesForKeyword(block.$cstNode, 'runs').length !== 1) return [];
        const k = e.keyword(block, 'runs');
        const last = pins.at(-1)?.$cstNode;
        if (!k || !last) return [];
        return [e.removeSpan(k.offset, last.end, element)];
    }
    const commas = e.leaves(block).filter(l => l.text === ',');
    const commaBetween = (a: Pin, b: Pin) =>
        commas.find(c => c.offset >= a.$cstNode!.end && c.end <= b.$cstNode!.offset);
    const out: TextChange[] = [];
    pins.forEach((p, i) => {
        if (!remove.has(p)) return;
        const laterKept = pins.slice(i + 1).some(q => !remove.has(q));
        if (laterKept) {
            const comma = commaBetween(p, pins[i + 1]);
            if (!comma) return;
            let end = comma.end;
            while (end < e.text.length && /[ \t]/.test(e.text[end])) end++;
            out.push({ start: p.$cstNode!.offset, end, newText: '', element });
        } else {
            const comma = commaBetween(pins[i - 1], p);
            if (!comma) return;
            out.push({ start: comma.offset, end: p.$cstNode!.end, newText: '', element });
        }
    });
    return out;
}

/** True when the diagnostic starts inside `node`'s text. */
export function rangeContains(e: Editor, node: AstNode, d: Diagnostic): boolean {
    const doc = e.ctx.document.textDocument;
    const start = doc.offsetAt(d.range.start);
    const cst = node.$cstNode!;
    return start >= cst.offset && start < cst.end;
}

/** Drops changes that repeat another exactly. */
export function dedupe(changes: TextChange[]): TextChange[] {
    const seen = new Set<string>();
    return changes.filter(c => {
        const k = `${c.start}:${c.end}:${c.newText}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
    });
}
