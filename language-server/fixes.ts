/**
 * The quick-fixes of the spec ("Quick-fixes") as a pure text-edit engine: given a checked
 * document and one of its diagnostics, the fixes it offers, each a list of replacements in the
 * document's text. The LSP code-action provider (`lsp/code-actions.ts`) and `dcplan fix`
 * (`fix-all.ts`) both use it; nothing here needs an LSP connection.
 *
 * Edits respect the user's text: only the tokens that must change are replaced (a count, a
 * size, a name); inserted attributes follow the block's layout (one line or one attribute a
 * line, its indentation, its line endings); comments are never removed.
 *
 * A split of a C-core shape into C′-core instances (spec): every count of the shape (`deploy`
 * and `runs` pins) × C/C′; `memory` and `local_disk` × C′/C rounded up to a whole GiB;
 * `login_processes = C′` when it was at least C, dropped when C′ = 1; a name ending in `_<C>c`
 * renamed to `_<C′>c` everywhere unless that name is taken. When the shape cannot be rewritten
 * consistently in place (a count that does not scale, the shape declared in an imported file or
 * used by another file, a split that concerns only some deployments), a new shape is made and
 * only the instances that should move are moved to it.
 */
import { AstUtils, CstUtils, GrammarAST, GrammarUtils, isLeafCstNode, type AstNode, type CstNode, type LangiumDocument } from 'langium';
import type { Diagnostic } from 'vscode-languageserver-types';
import type { Deploy, Host, Pin, PlanFile, Shape } from './generated/ast.js';
import { isDeploy, isHost, isShape } from './generated/ast.js';
import type { PlanAnalysis } from './analysis.js';
import { expandHostName } from './model-builder.js';
import { LIMITS, parseCount, parseSize } from './values.js';
import { IssueCodes, MAX_RING, type SplitChoice } from '../src/planner/rules.js';
import { place } from '../src/planner/placement.js';
import { expandInstances, type Host as ModelHost, type PlanModel, type Role, type Shape as ModelShape } from '../src/planner/model.js';
import { formatGiB, formatPercent } from '../src/planner/format.js';

/** One replacement in the document's text: `[start, end)` (UTF-16 offsets) becomes `newText`. */
export interface TextChange {
    readonly start: number;
    readonly end: number;
    readonly newText: string;
    /**
     * The element the change belongs to (`shape:proxy_4c`, `deploy@120`, `host@300`, `pin@410`):
     * fix-all applies at most one fix per element in a round.
     */
    readonly element: string;
}

/** A fix offered for one diagnostic. */
export interface Fix {
    /** The action's title, with its numbers ("Split into 4 × 3-core directors (maintenance impact 25%)"). */
    readonly title: string;
    /** The diagnostic code it fixes. */
    readonly code: string;
    /** The page's choice among the fixes of a diagnostic (LSP `isPreferred`); fix-all applies only these. */
    readonly preferred: boolean;
    /** Split fixes are applied first by fix-all (spec). */
    readonly split: boolean;
    /** Changes in the document's own text, not overlapping. */
    readonly changes: readonly TextChange[];
    /**
     * Elements the fix claims besides those of its changes: `shape:<name>` of a shape name it
     * introduces (a rename, a new shape) or reuses, so that fix-all never lets two fixes of one
     * round both make a shape of that name.
     */
    readonly claims?: readonly string[];
}

/** What the fixes of a document read. */
export interface FixContext {
    readonly document: LangiumDocument<PlanFile>;
    readonly analysis: PlanAnalysis;
    /**
     * True when a shape of this document is referenced from another file (a file that imports
     * this one): such a shape is never rewritten in place. Default: never.
     */
    readonly usedElsewhere?: (shapeName: string) => boolean;
    /**
     * True when a shape of this document is pinned (`runs`) by another file that imports this
     * one: such a shape is not split (its instances would move to a new shape and leave the pins
     * with none). Default: never.
     */
    readonly pinnedElsewhere?: (shapeName: string) => boolean;
    /**
     * Shapes of this document that the running fix-all made (absent from the text it started
     * from). A split or merge whose `_<C′>c` name is taken by such a shape, identical to what the
     * rewrite would give, moves the instances onto it instead of keeping the old name or adding a
     * duplicate. Default: none (a single quick-fix never reuses a shape).
     */
    readonly createdShapes?: ReadonlySet<string>;
}

/** The codes that have quick-fixes, in the order fix-all tries them (split fixes first). */
export const FIXABLE_CODES: readonly string[] = [
    IssueCodes.ProxySplit, IssueCodes.DirectorSplit, IssueCodes.BackendSplit, IssueCodes.DirectorRingTooLarge,
    IssueCodes.LoginIdleCores, IssueCodes.NoHypervisorReserve, IssueCodes.RoleOnOneHost, IssueCodes.CapacityShort,
    IssueCodes.Unplaceable, IssueCodes.ImportMissing, IssueCodes.SizeUnit
];

/** The codes whose fixes are splits (applied first by fix-all). */
export const SPLIT_CODES: ReadonlySet<string> = new Set([
    IssueCodes.ProxySplit, IssueCodes.DirectorSplit, IssueCodes.BackendSplit, IssueCodes.DirectorRingTooLarge
]);

/** The diagnostic code of an LSP diagnostic (`code`, else `data.code`). */
export function diagnosticCode(d: Diagnostic): string | undefined {
    const c = d.code ?? (d.data as { code?: string } | undefined)?.code;
    return c === undefined ? undefined : String(c);
}

/**
 * The fixes for every fixable diagnostic of the document (its `diagnostics` after validation,
 * or those given), in diagnostic order. Identical fixes of several diagnostics (one per host of
 * a range) are returned once.
 */
export function fixesForDocument(ctx: FixContext, diagnostics: readonly Diagnostic[] = ctx.document.diagnostics ?? []): Fix[] {
    const out: Fix[] = [];
    const seen = new Set<string>();
    for (const d of diagnostics) {
        for (const f of fixesForDiagnostic(ctx, d)) {
            const key = f.code + '\u0000' + f.title + '\u0000' + JSON.stringify(f.changes);
            if (seen.has(key)) continue;
            seen.add(key);
            out.push(f);
        }
    }
    return out;
}

/** The fixes one diagnostic offers (none for a code without quick-fixes or when no edit is possible). */
export function fixesForDiagnostic(ctx: FixContext, diagnostic: Diagnostic): Fix[] {
    const code = diagnosticCode(diagnostic);
    const data = (diagnostic.data ?? {}) as Record<string, unknown>;
    try {
        const e = new Editor(ctx);
        switch (code) {
            case IssueCodes.ProxySplit:
            case IssueCodes.DirectorSplit:
            case IssueCodes.BackendSplit:
                return splitFixes(e, code, String(data.shape), (data.splits ?? []) as SplitChoice[]);
            case IssueCodes.LoginIdleCores:
                return loginFixes(e, data);
            case IssueCodes.DirectorRingTooLarge:
                return ringFixes(e, diagnostic, data);
            case IssueCodes.NoHypervisorReserve:
                return hypervisorFixes(e, data);
            case IssueCodes.RoleOnOneHost:
                return roleOnOneHostFixes(e, data);
            case IssueCodes.CapacityShort:
                return capacityFixes(e, data);
            case IssueCodes.Unplaceable:
                return unplaceableFixes(e);
            case IssueCodes.ImportMissing:
                return importFixes(e, diagnostic, data);
            case IssueCodes.SizeUnit:
                return sizeUnitFixes(e, diagnostic, data);
            default:
                return [];
        }
    } catch {
        // A document in an unexpected state (half-typed text): offer nothing rather than fail the request.
        return [];
    }
}

/**
 * Applies non-overlapping changes to `text` (changes touching at one offset are fine; an
 * insertion and a replacement that starts at the same offset keep that order).
 * Throws when two changes overlap.
 */
export function applyChanges(text: string, changes: readonly TextChange[]): string {
    const sorted = changes.map((c, i) => ({ c, i })).sort((a, b) => a.c.start - b.c.start || a.c.end - b.c.end || a.i - b.i);
    let out = '';
    let at = 0;
    for (const { c } of sorted) {
        if (c.start < at) throw new Error(`overlapping changes at ${c.start}`);
        out += text.slice(at, c.start) + c.newText;
        at = c.end;
    }
    return out + text.slice(at);
}

// ---------------------------------------------------------------------------------------------
// Text and syntax helpers

const ROLE_PLURAL: Record<Role, string> = { proxy: 'proxies', director: 'directors', backend: 'backends' };

/** Reads the text and syntax of the document being fixed and builds changes. */
class Editor {
    readonly text: string;
    readonly eol: string;
    readonly uri: string;
    readonly root: PlanFile;
    readonly model: PlanModel;

    constructor(readonly ctx: FixContext) {
        this.text = ctx.document.textDocument.getText();
        // the text's own line break (a file of old-Mac CR breaks gets CR lines, not LF ones)
        this.eol = this.text.includes('\r\n') ? '\r\n' : this.text.includes('\n') || !this.text.includes('\r') ? '\n' : '\r';
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

    keyword(node: AstNode, kw: string): CstNode | undefined {
        return GrammarUtils.findNodeForKeyword(node.$cstNode, kw);
    }

    lineStart(offset: number): number {
        const i = Math.max(this.text.lastIndexOf('\n', offset - 1), this.text.lastIndexOf('\r', offset - 1));
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
        return CstUtils.streamCst(node.$cstNode).filter(n => isLeafCstNode(n) && !n.hidden).toArray();
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
                    indent = firstLine < close.offset && candidate.length > 0 ? candidate : this.indentAt(open.offset) + '  ';
                } else {
                    indent = this.indentAt(this.attributeStart(leaves, closeIndex - 1).offset);
                }
                return [{ start: anchorLineEnd, end: anchorLineEnd, newText: attrs.map(a => this.eol + indent + a).join(''), element }];
            }
        }
        let sep = ' ';
        if (anchor !== open) {
            const first = this.attributeStart(leaves, closeIndex - 1);
            const before = leaves[leaves.indexOf(first) - 1];
            const ws = before ? this.text.slice(before.end, first.offset) : ' ';
            if (/^[ \t]+$/.test(ws)) sep = ws;
        }
        return [{ start: anchor.end, end: anchor.end, newText: attrs.map(a => sep + a).join(''), element }];
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
        const ls = this.lineStart(k.offset);
        const le = this.lineEnd(v.end);
        if (/^[ \t]*$/.test(this.text.slice(ls, k.offset)) && /^[ \t]*$/.test(this.text.slice(v.end, le))) {
            return [{ start: ls, end: this.nextLineStart(v.end), newText: '', element }];
        }
        let s = k.offset;
        while (s > ls && /[ \t]/.test(this.text[s - 1])) s--;
        return [{ start: s, end: v.end, newText: '', element }];
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
            for (const pin of block.pins) if (pin.shape.$refText === shapeName) out.push({ pin, block, hosts });
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

    /** The maintenance impact of a role once `moves` are made (shape → count changes), as text. */
    impactAfter(role: Role, counts: Map<string, { cores: number; count: number }>): string {
        let total = 0;
        let max = 0;
        for (const { cores, count } of counts.values()) {
            if (count <= 0) continue;
            total += cores * count;
            max = Math.max(max, cores);
        }
        void role;
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

const countOf = (text: string | undefined): number | undefined => {
    if (text === undefined) return undefined;
    const r = parseCount(text);
    return r.ok && r.value >= 1 ? r.value : undefined;
};

// ---------------------------------------------------------------------------------------------
// Splits

/** The result of planning a split (or merge) of one shape. */
interface SplitPlan {
    readonly changes: TextChange[];
    /** The shape the moved instances have now. */
    readonly targetName: string;
    /** In place, or a new shape made for the moved instances. */
    readonly mode: 'in-place' | 'new-shape';
    /** Instances of the old shape moved (old count) and what they became (new count). */
    readonly movedFrom: number;
    readonly movedTo: number;
    /** `runs` pins that did not scale: rounded up to whole C′-core instances, or removed. */
    readonly pins?: 'rounded' | 'removed';
}

/**
 * The attribute changes that turn shape `s` (C cores) into C′ cores, as changes of the text
 * `[base, …)` where the shape's offsets are shifted by `-shift` (0 for the shape itself, its
 * start for a copy).
 */
function shapeAttributeChanges(e: Editor, s: { model: ModelShape; node: Shape }, newCores: number, newName: string | undefined, element: string): TextChange[] {
    const C = s.model.cores;
    const out: TextChange[] = [];
    out.push(...e.replace(e.prop(s.node, 'cores'), String(newCores), element));
    if (s.node.memory !== undefined) out.push(...e.replace(e.prop(s.node, 'memory'), e.sizeText(s.node.memory, s.model.memoryGiB * newCores / C), element));
    if (s.node.localDisk !== undefined && s.model.localDiskGiB !== undefined) {
        out.push(...e.replace(e.prop(s.node, 'localDisk'), e.sizeText(s.node.localDisk, s.model.localDiskGiB * newCores / C), element));
    }
    if (s.model.role !== 'backend') {
        if (newCores === 1) {
            if (s.node.loginProcesses !== undefined) out.push(...e.removeAttribute(s.node, 'login_processes', 'loginProcesses', element));
        } else if (s.model.loginProcesses >= C) {
            if (s.node.loginProcesses !== undefined) out.push(...e.replace(e.prop(s.node, 'loginProcesses'), String(newCores), element));
            else out.push(...e.insertAttributes(s.node, [`login_processes = ${newCores}`], element));
        }
    }
    if (newName !== undefined && newName !== s.node.name) out.push(...e.replace(e.prop(s.node, 'name'), newName, element));
    return out;
}

/** The name a split gives: `_<C>c` → `_<C′>c`; `undefined` when the name has no such ending. */
function renamed(name: string, cores: number, newCores: number): string | undefined {
    const m = /^(.*_)(\d+)c$/.exec(name);
    return m && Number(m[2]) === cores ? `${m[1]}${newCores}c` : undefined;
}

/**
 * The shape a split or merge of `s` into C′ cores can reuse instead of rewriting `s` or adding a
 * copy: the `_<C′>c` name, when a shape of that name was made by the running fix-all
 * (`FixContext.createdShapes`), is declared in this file and is what the rewrite would give
 * (role, cores, memory, local disk, login processes and mode). `undefined` otherwise.
 */
function reusableShape(e: Editor, s: { model: ModelShape; node: Shape }, newCores: number): string | undefined {
    const name = renamed(s.model.name, s.model.cores, newCores);
    if (name === undefined || !(e.ctx.createdShapes?.has(name) ?? false)) return undefined;
    const t = e.shape(name);
    if (!t || !e.inMain(t.node) || (e.ctx.usedElsewhere?.(name) ?? false)) return undefined;
    const C = s.model.cores;
    const gib = (g: number) => Math.max(1, Math.ceil(g * newCores / C - 1e-9));
    const m = s.model;
    const login = m.role === 'backend' ? m.loginProcesses
        : newCores === 1 ? 1
            : m.loginProcesses >= C ? newCores : m.loginProcesses;
    const same = t.model.role === m.role && t.model.cores === newCores
        && t.model.memoryGiB === (s.node.memory !== undefined ? gib(m.memoryGiB) : m.memoryGiB)
        && t.model.localDiskGiB === (m.localDiskGiB !== undefined && s.node.localDisk !== undefined ? gib(m.localDiskGiB) : m.localDiskGiB)
        && (m.role === 'backend' || (t.model.loginProcesses === login && t.model.loginMode === m.loginMode));
    return same ? name : undefined;
}

/** A free shape name derived from `name` for C′ cores. */
function freshShapeName(e: Editor, name: string, cores: number, newCores: number): string {
    const taken = e.shapeNames();
    const base = renamed(name, cores, newCores) ?? `${name}_${newCores}c`;
    if (!taken.has(base)) return base;
    for (let i = 2; ; i++) if (!taken.has(`${base}_${i}`)) return `${base}_${i}`;
}

/**
 * Plans the split of shape `shapeName` into `newCores`-core instances for the deployments of
 * `scope` (default: every deployment of the shape in the main file). Counts scale by C/C′.
 * Returns `undefined` when nothing can move without changing what the plan means.
 *
 * `roundPins` (ring merges): a `runs` pin of m × C-core whose count does not scale (1 × 1-core
 * into 3-core directors) does not block the in-place rewrite. A pin says "this host runs these
 * instances of the role"; the most faithful whole-instance rewrite is ⌈m·C/C′⌉ × C′-core: every
 * pinned host keeps running the role, with at least the cores it pinned, and the total stays
 * within what the merge deploys. It is chosen when the rounded pins fit in the merged instances
 * and no host gets more pinned cores or memory than it can hold (that it did not already have);
 * otherwise every pin of the shape is removed (the planner places the instances). Either way the
 * plan says so (`pins`) and the fix's title names it.
 */
function planSplit(e: Editor, shapeName: string, newCores: number, scope?: readonly Deploy[], roundPins = false): SplitPlan | undefined {
    const s = e.shape(shapeName);
    if (!s || (e.ctx.pinnedElsewhere?.(shapeName) ?? false)) return undefined;
    const C = s.model.cores;
    if (newCores === C || newCores < 1) return undefined;
    const scales = (n: number) => (n * C) % newCores === 0;
    const scaled = (n: number) => (n * C) / newCores;
    const deploys = e.deploysOf(shapeName);
    const inScope = scope ? deploys.filter(d => scope.includes(d)) : deploys;
    const pins = e.pinsOf(shapeName);
    const shapeElement = 'shape:' + shapeName;
    const totalInstances = e.model.deployments.filter(d => d.shape === shapeName).reduce((a, d) => a + d.count, 0);
    // no split past the spec's limits (a deployment, a plan): the fixed file would not check
    const after = Math.ceil((totalInstances * C) / newCores);
    if (after > LIMITS.instancesPerDeployment || e.model.instances.length - totalInstances + after > LIMITS.instancesPerPlan) return undefined;

    const consistent = e.inMain(s.node)
        && !(e.ctx.usedElsewhere?.(shapeName) ?? false)
        && inScope.length === deploys.length
        && deploys.every(d => countOf(d.count) !== undefined && scales(countOf(d.count)!))
        && pins.every(p => countOf(p.pin.count) !== undefined && (roundPins || scales(countOf(p.pin.count)!)))
        && e.model.deployments.filter(d => d.shape === shapeName).reduce((a, d) => a + d.count, 0)
            === deploys.reduce((a, d) => a + (countOf(d.count) ?? 0), 0);
    const changes: TextChange[] = [];

    if (consistent) {
        const proposed = renamed(shapeName, C, newCores);
        const reuse = reusableShape(e, s, newCores);
        const newName = reuse ?? (proposed !== undefined && !e.shapeNames().has(proposed) ? proposed : shapeName);
        // Reusing a shape the run made: the old declaration stays as the user wrote it (undeployed).
        if (reuse === undefined) changes.push(...shapeAttributeChanges(e, s, newCores, newName, shapeElement));
        let from = 0;
        let to = 0;
        for (const d of deploys) {
            const n = countOf(d.count)!;
            from += n;
            to += scaled(n);
            changes.push(...e.replace(e.prop(d, 'count'), String(scaled(n)), e.key(d)));
            if (newName !== shapeName) changes.push(...e.replace(e.prop(d, 'shape'), newName, e.key(d)));
        }
        const allScale = pins.every(p => scales(countOf(p.pin.count)!));
        const pinCount = (m: number) => allScale ? scaled(m) : Math.ceil((m * C) / newCores);
        const keepPins = allScale || roundedPinsFit(e, shapeName, pins, pinCount, newCores, to);
        if (keepPins) {
            for (const p of pins) {
                changes.push(...e.replace(e.prop(p.pin, 'count'), String(pinCount(countOf(p.pin.count)!)), e.key(p.pin)));
                if (newName !== shapeName) changes.push(...e.replace(e.prop(p.pin, 'shape'), newName, e.key(p.pin)));
            }
        } else {
            const byBlock = new Map<Host, Set<Pin>>();
            for (const p of pins) byBlock.set(p.block, (byBlock.get(p.block) ?? new Set()).add(p.pin));
            for (const [block, remove] of byBlock) changes.push(...removePins(e, block, remove));
        }
        return {
            changes, targetName: newName, mode: 'in-place', movedFrom: from, movedTo: to,
            pins: allScale ? undefined : keepPins ? 'rounded' : 'removed'
        };
    }

    // A new shape for the instances that can move; the rest keep the old one.
    const movable = inScope.filter(d => countOf(d.count) !== undefined && scales(countOf(d.count)!));
    if (movable.length === 0) return undefined;
    const reuse = reusableShape(e, s, newCores);
    const newName = reuse ?? freshShapeName(e, shapeName, C, newCores);
    const movedFrom = movable.reduce((a, d) => a + countOf(d.count)!, 0);
    const movedTo = movable.reduce((a, d) => a + scaled(countOf(d.count)!), 0);
    const remaining = totalInstances - movedFrom;
    // Pins: move those that scale while the new shape has instances for them; the rest must
    // still fit in what is left of the old shape.
    let pinnedNew = 0;
    let pinnedOld = 0;
    const movedPins: typeof pins = [];
    for (const p of pins) {
        const m = countOf(p.pin.count);
        if (m === undefined) continue;
        if (scales(m) && pinnedNew + scaled(m) * p.hosts <= movedTo) {
            pinnedNew += scaled(m) * p.hosts;
            movedPins.push(p);
        } else {
            pinnedOld += m * p.hosts;
        }
    }
    if (pinnedOld > remaining) return undefined;

    // The new shape's text: a copy of the old block with its attributes changed, after it; or,
    // for a shape of an imported file, a new one-line block before the first moved deployment.
    if (reuse !== undefined) {
        // The run already made this shape: the moved instances go to it.
    } else if (e.inMain(s.node) && s.node.$cstNode) {
        const block = s.node.$cstNode;
        const attrChanges = shapeAttributeChanges(e, s, newCores, newName, shapeElement)
            .map(c => ({ ...c, start: c.start - block.offset, end: c.end - block.offset }));
        const copy = applyChanges(e.text.slice(block.offset, block.end), attrChanges);
        const at = e.lineEnd(block.end);
        changes.push({ start: at, end: at, newText: e.eol + e.indentAt(block.offset) + copy, element: shapeElement });
    } else {
        const m = s.model;
        const mem = e.sizeText('', m.memoryGiB * newCores / C);
        const attrs = [`role = ${m.role}`, `cores = ${newCores}`, `memory = ${mem}`];
        if (m.role !== 'backend') {
            const lp = newCores === 1 ? undefined : m.loginProcesses >= C ? newCores : m.loginProcessesSet ? m.loginProcesses : undefined;
            if (lp !== undefined) attrs.push(`login_processes = ${lp}`);
            if (m.loginMode === 'security') attrs.push('login_mode = security');
        }
        if (m.localDiskGiB !== undefined) attrs.push(`local_disk = ${e.sizeText('', m.localDiskGiB * newCores / C)}`);
        const first = movable[0].$cstNode!;
        const at = e.lineStart(first.offset);
        changes.push({ start: at, end: at, newText: `shape ${newName} { ${attrs.join('  ')} }${e.eol}`, element: shapeElement });
    }
    for (const d of movable) {
        changes.push(...e.replace(e.prop(d, 'count'), String(scaled(countOf(d.count)!)), e.key(d)));
        changes.push(...e.replace(e.prop(d, 'shape'), newName, e.key(d)));
    }
    for (const p of movedPins) {
        changes.push(...e.replace(e.prop(p.pin, 'count'), String(scaled(countOf(p.pin.count)!)), e.key(p.pin)));
        changes.push(...e.replace(e.prop(p.pin, 'shape'), newName, e.key(p.pin)));
    }
    return { changes, targetName: newName, mode: 'new-shape', movedFrom, movedTo };
}

/**
 * True when the pins of `shapeName`, rewritten to `count(m)` × C′-core, pin at most `instances`
 * in all and leave every host within its usable cores and memory (or no fuller than it was).
 */
function roundedPinsFit(e: Editor, shapeName: string, pins: { pin: Pin; hosts: number }[], count: (m: number) => number, newCores: number, instances: number): boolean {
    if (pins.reduce((a, p) => a + count(countOf(p.pin.count)!) * p.hosts, 0) > instances) return false;
    const old = e.shape(shapeName)!.model;
    const newMemory = Math.max(1, Math.ceil(old.memoryGiB * newCores / old.cores - 1e-9));
    return e.model.hosts.every((h, i) => {
        const block = e.ctx.analysis.built.sources.hosts[i].block;
        let cores = 0, memory = 0, newCoresSum = 0, newMemorySum = 0;
        for (const p of h.pins) {
            const s = e.model.shapes.find(x => x.name === p.shape);
            if (!s) continue;
            cores += p.count * s.cores;
            memory += p.count * s.memoryGiB;
            if (p.shape === shapeName) {
                const n = count(countOf(block.pins[p.pinIndex]?.count) ?? p.count);
                newCoresSum += n * newCores;
                newMemorySum += n * newMemory;
            } else {
                newCoresSum += p.count * s.cores;
                newMemorySum += p.count * s.memoryGiB;
            }
        }
        return (newCoresSum <= h.usableCores || newCoresSum <= cores) && (newMemorySum <= h.usableMemoryGiB || newMemorySum <= memory);
    });
}

/** "12 × 1-core proxies" */
function splitText(count: number, cores: number, role: Role): string {
    return `${count} × ${cores}-core ${count === 1 ? role : ROLE_PLURAL[role]}`;
}

/** The title and fix of one split choice. */
function splitFix(e: Editor, code: string, shapeName: string, choice: SplitChoice, preferred: boolean, scope?: readonly Deploy[], verb = 'Split into'): Fix | undefined {
    const s = e.shape(shapeName);
    if (!s) return undefined;
    const plan = planSplit(e, shapeName, choice.cores, scope, code === IssueCodes.DirectorRingTooLarge);
    if (!plan) return undefined;
    // A split multiplies the instances once, by what the diagnostic asked: never more instances
    // than its choice names (`count`, when it names one), never more cores than were moved.
    if ((choice.count > 0 && plan.movedTo > choice.count) || plan.movedTo * choice.cores > plan.movedFrom * s.model.cores) return undefined;
    const role = s.model.role;
    const counts = e.roleCounts(role);
    const old = counts.get(shapeName) ?? { cores: s.model.cores, count: 0 };
    counts.set(shapeName, { cores: old.cores, count: old.count - plan.movedFrom });
    const target = counts.get(plan.targetName);
    counts.set(plan.targetName, { cores: choice.cores, count: (target && plan.targetName !== shapeName ? target.count : 0) + plan.movedTo });
    const impact = e.impactAfter(role, counts);
    const partial = plan.mode === 'in-place' ? ''
        : plan.movedFrom === old.count ? `; as new shape ${plan.targetName}`
            : `; new shape ${plan.targetName} for ${plan.movedFrom} of the ${old.count} instances of ${shapeName}`;
    const pinNote = plan.pins === 'rounded' ? `; pins rounded up to whole ${choice.cores}-core ${ROLE_PLURAL[role]}`
        : plan.pins === 'removed' ? `; pins of ${shapeName} removed` : '';
    return {
        title: `${verb} ${splitText(plan.movedTo, choice.cores, role)} (maintenance impact ${impact}${partial}${pinNote})`,
        code, preferred, split: SPLIT_CODES.has(code), changes: plan.changes,
        claims: plan.targetName !== shapeName ? ['shape:' + plan.targetName] : undefined
    };
}

function splitFixes(e: Editor, code: string, shapeName: string, splits: readonly SplitChoice[]): Fix[] {
    const out: Fix[] = [];
    for (const choice of splits) {
        const f = splitFix(e, code, shapeName, choice, choice.preferred);
        if (f) out.push(f);
    }
    return out;
}

// ---------------------------------------------------------------------------------------------
// login-idle-cores

function loginFixes(e: Editor, data: Record<string, unknown>): Fix[] {
    const name = String(data.shape);
    const s = e.shape(name);
    if (!s || !e.inMain(s.node)) {
        // An imported shape: only the split (which makes a new shape here) can help.
        return s?.model.role === 'proxy' ? [splitFix(e, IssueCodes.LoginIdleCores, name, { count: 0, cores: 1, preferred: true }, true)].filter(isFix) : [];
    }
    const cores = s.model.cores;
    const element = 'shape:' + name;
    const set: Fix = {
        title: `Set login_processes = ${cores} on ${name} (one login process per core)`,
        code: IssueCodes.LoginIdleCores, preferred: s.model.role === 'director', split: false,
        changes: s.node.loginProcesses !== undefined
            ? e.replace(e.prop(s.node, 'loginProcesses'), String(cores), element)
            : e.insertAttributes(s.node, [`login_processes = ${cores}`], element)
    };
    // Physical plans have no VM split (a 1-core physical proxy is outside the page's range).
    if (s.model.role !== 'proxy' || e.model.settings.platform !== 'virtual') return [{ ...set, preferred: true }];
    const split = splitFix(e, IssueCodes.LoginIdleCores, name, { count: 0, cores: 1, preferred: true }, true);
    return split ? [split, set] : [{ ...set, preferred: true }];
}

const isFix = (f: Fix | undefined): f is Fix => f !== undefined;

// ---------------------------------------------------------------------------------------------
// director-ring-too-large

function ringFixes(e: Editor, diagnostic: Diagnostic, data: Record<string, unknown>): Fix[] {
    const ring = String(data.ring);
    const choices = (data.splits ?? []) as SplitChoice[];
    const ringDeps = e.model.deployments
        .map((d, i) => ({ d, node: e.ctx.analysis.built.sources.deployments[i] }))
        .filter(x => x.d.ring === ring && e.model.shapes.find(s => s.name === x.d.shape)?.role === 'director');
    if (ringDeps.length === 0) return [];
    const out: Fix[] = [];
    const allInMain = ringDeps.every(x => e.inMain(x.node));
    const shapes = [...new Set(ringDeps.map(x => x.d.shape))];
    for (const c of choices) {
        if (!allInMain) break;
        const title = `Merge ring ${ring} into ${splitText(c.count, c.cores, 'director')}`;
        if (shapes.length === 1) {
            const C = e.shape(shapes[0])!.model.cores;
            const exact = ringDeps.every(x => (x.d.count * C) % c.cores === 0)
                && ringDeps.reduce((a, x) => a + x.d.count * C / c.cores, 0) === c.count;
            if (exact) {
                const f = splitFix(e, IssueCodes.DirectorRingTooLarge, shapes[0], c, c.preferred, ringDeps.map(x => x.node), `Merge ring ${ring} into`);
                if (f) out.push(f);
                continue;
            }
        }
        const counts = e.roleCounts('director');
        for (const x of ringDeps) counts.get(x.d.shape)!.count -= x.d.count;
        counts.set('\u0000merged', { cores: c.cores, count: c.count });
        const f = ringMerge(e, ringDeps.map(x => x.node), shapes, c, `${title} (maintenance impact ${e.impactAfter('director', counts)})`);
        if (f) out.push(f);
    }
    // Move a deployment to a new ring (never preferred).
    const rings = new Set(e.model.deployments.map(d => d.ring));
    let fresh = `${ring}_2`;
    for (let i = 3; rings.has(fresh); i++) fresh = `${ring}_${i}`;
    const node = ringDeps.find(x => x.node.$cstNode && rangeContains(e, x.node, diagnostic))?.node ?? ringDeps[0].node;
    const mine = ringDeps.find(x => x.node === node)!;
    if (e.inMain(node)) {
        const total = ringDeps.reduce((a, x) => a + x.d.count, 0);
        if (ringDeps.length > 1 && mine.d.count <= MAX_RING && total - mine.d.count >= 1) {
            out.push({
                title: `Move deploy ${mine.d.count} x ${mine.d.shape} to a new ring ${fresh} (${total - mine.d.count} directors stay in ${ring})`,
                code: IssueCodes.DirectorRingTooLarge, preferred: false, split: true, changes: setRing(e, node, fresh)
            });
        } else if (ringDeps.length === 1 && mine.d.count > MAX_RING) {
            // One deployment: cut it into rings of at most 9, as even as possible.
            const k = Math.ceil(mine.d.count / MAX_RING);
            const parts = Array.from({ length: k }, (_, i) => Math.floor(mine.d.count / k) + (i < mine.d.count % k ? 1 : 0));
            const names = [ring];
            for (let i = 2; names.length < k; i++) if (!rings.has(`${ring}_${i}`)) names.push(`${ring}_${i}`);
            const changes = e.replace(e.prop(node, 'count'), String(parts[0]), e.key(node));
            const indent = e.indentAt(node.$cstNode!.offset);
            const at = e.lineEnd(node.$cstNode!.end);
            const lines = parts.slice(1).map((p, i) => `${e.eol}${indent}deploy ${p} x ${mine.d.shape} ring ${names[i + 1]}`).join('');
            changes.push({ start: at, end: at, newText: lines, element: e.key(node) });
            out.push({
                title: `Split into ${k} rings of ${parts.join(' + ')} directors (${names.join(', ')})`,
                code: IssueCodes.DirectorRingTooLarge, preferred: false, split: true, changes
            });
        }
    }
    return out;
}

function rangeContains(e: Editor, node: AstNode, d: Diagnostic): boolean {
    const doc = e.ctx.document.textDocument;
    const start = doc.offsetAt(d.range.start);
    const cst = node.$cstNode!;
    return start >= cst.offset && start < cst.end;
}

/** `ring NAME` on a deploy: the name replaced, or added after the shape. */
function setRing(e: Editor, node: Deploy, ring: string): TextChange[] {
    if (node.ring !== undefined) return e.replace(e.prop(node, 'ring'), ring, e.key(node));
    const ref = e.prop(node, 'shape');
    if (!ref) return [];
    return [{ start: ref.end, end: ref.end, newText: ` ring ${ring}`, element: e.key(node) }];
}

/**
 * A merge that does not scale count by count (several shapes, or cores not divisible): one
 * deployment of the ring becomes D′ × C′ and the ring's other deployments are removed. Its shape
 * (the template) is the first of the ring's shapes that nothing outside the ring uses, rewritten
 * in place (renamed `_<C′>c` unless taken), so no shape of the user's is left behind undeployed
 * when one could be reused; when every shape is used elsewhere, the first deployment's shape is
 * copied into a new shape. A shape the running fix-all made that already is the rewrite
 * (`reusableShape`) is used as it is. Not offered when pins name the ring's shapes.
 */
function ringMerge(e: Editor, nodes: Deploy[], shapes: string[], c: SplitChoice, title: string): Fix | undefined {
    if (shapes.some(s => e.pinsOf(s).length > 0)) return undefined;
    const isOnlyHere = (name: string) => {
        const t = e.shape(name);
        return t !== undefined && e.inMain(t.node) && !(e.ctx.usedElsewhere?.(name) ?? false)
            && e.deploysOf(name).every(d => nodes.includes(d));
    };
    const first = nodes.find(d => isOnlyHere(d.shape.$refText)) ?? nodes[0];
    const template = e.shape(first.shape.$refText);
    if (!template) return undefined;
    const changes: TextChange[] = [];
    const onlyHere = isOnlyHere(template.model.name);
    const reuse = reusableShape(e, template, c.cores);
    let target: string;
    if (reuse !== undefined) {
        // The run already made the merged shape: the template's declaration stays as written.
        target = reuse;
    } else if (onlyHere) {
        const proposed = renamed(template.model.name, template.model.cores, c.cores);
        target = proposed !== undefined && !e.shapeNames().has(proposed) ? proposed : template.model.name;
        // Every deployment of the shape is in the ring: the first is rewritten, the others removed.
        changes.push(...shapeAttributeChanges(e, template, c.cores, target, 'shape:' + template.model.name));
    } else {
        target = freshShapeName(e, template.model.name, template.model.cores, c.cores);
        const block = template.node.$cstNode;
        if (!block || !e.inMain(template.node)) return undefined;
        const attrChanges = shapeAttributeChanges(e, template, c.cores, target, 'shape:' + template.model.name)
            .map(x => ({ ...x, start: x.start - block.offset, end: x.end - block.offset }));
        const at = e.lineEnd(block.end);
        changes.push({ start: at, end: at, newText: e.eol + e.indentAt(block.offset) + applyChanges(e.text.slice(block.offset, block.end), attrChanges), element: 'shape:' + template.model.name });
    }
    changes.push(...e.replace(e.prop(first, 'count'), String(c.count), e.key(first)));
    if (target !== first.shape.$refText) changes.push(...e.replace(e.prop(first, 'shape'), target, e.key(first)));
    for (const d of nodes.filter(n => n !== first)) {
        const cst = d.$cstNode!;
        const ls = e.lineStart(cst.offset);
        const le = e.lineEnd(cst.end);
        const alone = /^[ \t]*$/.test(e.text.slice(ls, cst.offset)) && /^[ \t]*$/.test(e.text.slice(cst.end, le));
        changes.push(alone ? { start: ls, end: e.nextLineStart(cst.end), newText: '', element: e.key(d) } : { start: cst.offset, end: cst.end, newText: '', element: e.key(d) });
    }
    return {
        title, code: IssueCodes.DirectorRingTooLarge, preferred: c.preferred, split: true, changes: dedupe(changes),
        claims: target !== template.model.name ? ['shape:' + target] : undefined
    };
}

/** Drops changes that repeat another exactly. */
function dedupe(changes: TextChange[]): TextChange[] {
    const seen = new Set<string>();
    return changes.filter(c => {
        const k = `${c.start}:${c.end}:${c.newText}`;
        if (seen.has(k)) return false;
        seen.add(k);
        return true;
    });
}

// ---------------------------------------------------------------------------------------------
// Hosts

/** The model host named `name` and its block. */
function hostByName(e: Editor, name: string): { host: ModelHost; block: Host; index: number } | undefined {
    const index = e.model.hosts.findIndex(h => h.name === name);
    if (index < 0) return undefined;
    return { host: e.model.hosts[index], block: e.ctx.analysis.built.sources.hosts[index].block, index };
}

function hypervisorFixes(e: Editor, data: Record<string, unknown>): Fix[] {
    const h = hostByName(e, String(data.host));
    if (!h || !e.inMain(h.block)) return [];
    const element = e.key(h.block);
    const changes: TextChange[] = [];
    const inserts: string[] = [];
    const added: string[] = [];
    if (data.cores === true) {
        added.push('hypervisor_cores = 2');
        if (h.block.hypervisorCores !== undefined) changes.push(...e.replace(e.prop(h.block, 'hypervisorCores'), '2', element));
        else inserts.push('hypervisor_cores = 2');
    }
    if (data.memory === true) {
        added.push('hypervisor_memory = 8 GiB');
        if (h.block.hypervisorMemory !== undefined) changes.push(...e.replace(e.prop(h.block, 'hypervisorMemory'), '8 GiB', element));
        else inserts.push('hypervisor_memory = 8 GiB');
    }
    if (added.length === 0) return [];
    changes.push(...e.insertAttributes(h.block, inserts, element));
    const names = h.block.names.map(n => n.$cstNode?.text ?? n.name).join(', ');
    return [{
        title: `Add ${added.join(' and ')} to ${names} (a starting value to adjust)`,
        code: IssueCodes.NoHypervisorReserve, preferred: true, split: false, changes
    }];
}

/** The pin-removal changes for `remove` (pins of `block`), keeping the others and comments. */
function removePins(e: Editor, block: Host, remove: ReadonlySet<Pin>): TextChange[] {
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
        const ls = e.lineStart(k.offset);
        const le = e.lineEnd(last.end);
        if (/^[ \t]*$/.test(e.text.slice(ls, k.offset)) && /^[ \t]*$/.test(e.text.slice(last.end, le))) {
            return [{ start: ls, end: e.nextLineStart(last.end), newText: '', element }];
        }
        let s = k.offset;
        while (s > ls && /[ \t]/.test(e.text[s - 1])) s--;
        return [{ start: s, end: last.end, newText: '', element }];
    }
    const commas = e.leaves(block).filter(l => l.text === ',');
    const commaBetween = (a: Pin, b: Pin) => commas.find(c => c.offset >= a.$cstNode!.end && c.end <= b.$cstNode!.offset);
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

function roleOnOneHostFixes(e: Editor, data: Record<string, unknown>): Fix[] {
    const role = String(data.role) as Role;
    const h = hostByName(e, String(data.host));
    if (!h || !e.inMain(h.block)) return [];
    const roleOf = (shape: string) => e.model.shapes.find(s => s.name === shape)?.role;
    const pins = h.block.pins.filter(p => roleOf(p.shape.$refText) === role);
    if (pins.length === 0) return [];
    const out: Fix[] = [];
    // Offered only when the planner, free to place them, does spread the role.
    const blockHosts = new Set(e.ctx.analysis.built.sources.hosts.map((x, i) => x.block === h.block ? i : -1).filter(i => i >= 0));
    const unpinned: PlanModel = {
        ...e.model,
        hosts: e.model.hosts.map((host, i) => blockHosts.has(i) ? { ...host, pins: host.pins.filter(p => roleOf(p.shape) !== role) } : host)
    };
    const placed = place(unpinned);
    const roleHosts = new Set(unpinned.instances.map((inst, i) => inst.role === role ? placed.hostOf[i] : -1).filter(x => x >= 0));
    if (roleHosts.size >= 2) out.push({
        title: `Remove the ${role} pins from ${data.host} (the planner spreads the ${ROLE_PLURAL[role]})`,
        code: IssueCodes.RoleOnOneHost, preferred: false, split: false, changes: removePins(e, h.block, new Set(pins))
    });
    // Spread: only over hosts each written in a block of its own in this file.
    const single = e.model.hosts
        .map((host, index) => ({ host, index, block: e.ctx.analysis.built.sources.hosts[index].block }))
        .filter(x => e.inMain(x.block) && x.block.names.length === 1 && x.block.names[0].from === undefined);
    if (single.length < 2 || !single.some(x => x.index === h.index)) return out;
    const order = [single.find(x => x.index === h.index)!, ...single.filter(x => x.index !== h.index)];
    const n = order.length;
    const added = new Map<number, { cores: number; memory: number; pins: string[]; bump: Map<Pin, number> }>();
    const changes: TextChange[] = [];
    // The pins after the spread, per model host, to check that the role does spread.
    const simPins = new Map<number, { shape: string; count: number; pinIndex: number }[]>(e.model.hosts.map((x, i) => [i, x.pins.map(p => ({ ...p }))]));
    let spread = 0;
    for (const p of pins) {
        const m = countOf(p.count);
        const shape = e.model.shapes.find(s => s.name === p.shape.$refText);
        if (m === undefined || !shape) return out;
        const shares = order.map((_, i) => Math.floor(m / n) + (i < m % n ? 1 : 0));
        changes.push(...e.replace(e.prop(p, 'count'), String(shares[0]), e.key(p)));
        const own = simPins.get(h.index)!.find(q => q.pinIndex === h.block.pins.indexOf(p));
        if (own) own.count = shares[0];
        spread += m;
        order.slice(1).forEach((x, i) => {
            const share = shares[i + 1];
            if (share === 0) return;
            const sim = simPins.get(x.index)!;
            const same = sim.find(q => q.shape === shape.name);
            if (same) same.count += share;
            else sim.push({ shape: shape.name, count: share, pinIndex: sim.length });
            const a = added.get(x.index) ?? { cores: 0, memory: 0, pins: [] as string[], bump: new Map<Pin, number>() };
            a.cores += share * shape.cores;
            a.memory += share * shape.memoryGiB;
            const existing = x.block.pins.find(q => q.shape.$refText === shape.name);
            if (existing) a.bump.set(existing, (a.bump.get(existing) ?? countOf(existing.count) ?? 0) + share);
            else a.pins.push(`${share} x ${shape.name}`);
            added.set(x.index, a);
        });
    }
    for (const x of order.slice(1)) {
        const a = added.get(x.index);
        if (!a) continue;
        const pinned = x.host.pins.reduce((acc, p) => {
            const s = e.model.shapes.find(q => q.name === p.shape);
            return s ? { cores: acc.cores + p.count * s.cores, memory: acc.memory + p.count * s.memoryGiB } : acc;
        }, { cores: 0, memory: 0 });
        if (pinned.cores + a.cores > x.host.usableCores || pinned.memory + a.memory > x.host.usableMemoryGiB) return out;
        for (const [pin, count] of a.bump) changes.push(...e.replace(e.prop(pin, 'count'), String(count), e.key(pin)));
        if (a.pins.length > 0) {
            const last = x.block.pins.at(-1)?.$cstNode;
            if (last) changes.push({ start: last.end, end: last.end, newText: a.pins.map(t => ', ' + t).join(''), element: e.key(x.block) });
            else changes.push(...e.insertAttributes(x.block, [`runs = ${a.pins.join(', ')}`], e.key(x.block)));
        }
    }
    const spreadModel: PlanModel = { ...e.model, hosts: e.model.hosts.map((x, i) => ({ ...x, pins: simPins.get(i)! })) };
    const spreadPlacement = place(spreadModel);
    const spreadHosts = new Set(spreadModel.instances.map((inst, i) => inst.role === role ? spreadPlacement.hostOf[i] : -1).filter(x => x >= 0));
    const before = e.ctx.analysis.placement;
    if (spreadHosts.size < 2 || spreadPlacement.pinExcess.length > before.pinExcess.length || spreadPlacement.overcommitted.length > before.overcommitted.length) return out;
    out.push({
        title: `Spread the ${spread} pinned ${ROLE_PLURAL[role]} evenly over ${n} hosts`,
        code: IssueCodes.RoleOnOneHost, preferred: false, split: false, changes
    });
    return out;
}

// ---------------------------------------------------------------------------------------------
// capacity-short

function capacityFixes(e: Editor, data: Record<string, unknown>): Fix[] {
    const role = String(data.role) as Role;
    const demandCores = Number(data.demandCores);
    const deployedCores = Number(data.deployedCores);
    const demandMem = data.demandMemoryGiB === undefined ? undefined : Number(data.demandMemoryGiB);
    const deployedMem = Number(data.deployedMemoryGiB ?? 0);
    // The last deployment of the role in this file.
    const candidates = e.model.deployments
        .map((d, i) => ({ d, node: e.ctx.analysis.built.sources.deployments[i], shape: e.model.shapes.find(s => s.name === e.model.deployments[i].shape)! }))
        .filter(x => x.shape?.role === role && e.inMain(x.node));
    const x = candidates.at(-1);
    if (!x) return [];
    let extra = Math.max(0, Math.ceil((demandCores - deployedCores) / x.shape.cores));
    if (demandMem !== undefined && deployedMem < demandMem) extra = Math.max(extra, Math.ceil((demandMem - deployedMem) / x.shape.memoryGiB - 1e-9));
    if (extra <= 0) return [];
    const count = x.d.count + extra;
    const cores = deployedCores + extra * x.shape.cores;
    const memory = demandMem !== undefined ? `, ${formatGiB(deployedMem + extra * x.shape.memoryGiB)} GiB` : '';
    const demand = demandMem !== undefined ? `${demandCores} cores, ${formatGiB(demandMem)} GiB` : String(demandCores);
    return [{
        title: `Raise deploy ${x.d.count} x ${x.d.shape} to ${count} (${cores} ${role} cores${memory} for a demand of ${demand})`,
        code: IssueCodes.CapacityShort, preferred: true, split: false,
        changes: e.replace(e.prop(x.node, 'count'), String(count), e.key(x.node))
    }];
}

// ---------------------------------------------------------------------------------------------
// unplaceable

/** New host names after `name`: hv04 → hv05, hv06 (same width); spare → spare_2, spare_3. */
function nextHostNames(name: string, k: number, taken: ReadonlySet<string>): string[] {
    const out: string[] = [];
    const m = /^(.*?)(\d+)$/.exec(name);
    for (let i = m ? Number(m[2]) + 1 : 2; out.length < k; i++) {
        const candidate = m ? m[1] + String(i).padStart(m[2].length, '0') : `${name}_${i}`;
        if (!taken.has(candidate)) out.push(candidate);
    }
    return out;
}

function unplaceableFixes(e: Editor): Fix[] {
    const model = e.model;
    if (model.hosts.length === 0 || model.settings.platform !== 'virtual') return [];
    const largestIndex = model.hosts.reduce((best, h, i) => {
        const b = model.hosts[best];
        return h.usableCores > b.usableCores || (h.usableCores === b.usableCores && h.usableMemoryGiB >= b.usableMemoryGiB) ? i : best;
    }, 0);
    const largest = model.hosts[largestIndex];
    const source = e.ctx.analysis.built.sources.hosts[largestIndex];
    if (!e.inMain(source.block) || largest.usableCores === 0) return [];
    const taken = new Set(model.hosts.map(h => h.name));
    const unplacedCores = e.ctx.analysis.placement.unplaced.reduce((a, i) => a + model.instances[i].cores, 0);
    const kmin = Math.max(1, Math.ceil(unplacedCores / largest.usableCores));
    let k: number | undefined;
    let names: string[] = [];
    for (let t = kmin; t <= kmin + 8 && t <= 64; t++) {
        names = nextHostNames(largest.name, t, taken);
        const hosts = [...model.hosts, ...names.map(name => ({ ...largest, name, pins: [] }))];
        const trial: PlanModel = { ...model, hosts, instances: expandInstances(model.shapes, model.deployments) };
        if (place(trial).unplaced.length === 0) { k = t; break; }
    }
    if (k === undefined) return [];
    const block = source.block;
    const element = e.key(block);
    let changes: TextChange[];
    const range = source.name;
    const expanded = expandHostName(range) ?? [];
    const to = range.to !== undefined ? parseCount(range.to) : undefined;
    let extended: string[] = [];
    if (range.from !== undefined && to?.ok && block.pins.length === 0 && expanded.at(-1) === largest.name) {
        const width = range.from.length > 1 && range.from.startsWith('0') ? range.from.length : 0;
        extended = Array.from({ length: k }, (_, i) => range.name + String(to.value + i + 1).padStart(width, '0'));
    }
    if (to?.ok && extended.length === k && extended.every((n, i) => n === names[i])) {
        const width = range.from!.length > 1 && range.from!.startsWith('0') ? range.from!.length : 0;
        changes = e.replace(e.prop(range, 'to'), String(to.value + k).padStart(width, '0'), element);
    } else if (block.pins.length === 0) {
        const last = block.names.at(-1)!.$cstNode!;
        changes = [{ start: last.end, end: last.end, newText: names.map(n => ', ' + n).join(''), element }];
    } else {
        // The block pins instances: a new block with the same hardware and no pins.
        const attrs: string[] = [];
        for (const [kw, prop] of [['cores', 'cores'], ['threads_per_core', 'threadsPerCore'], ['memory', 'memory'], ['numa_nodes', 'numaNodes'],
            ['hypervisor_cores', 'hypervisorCores'], ['hypervisor_memory', 'hypervisorMemory'], ['rack', 'rack']] as const) {
            const v = e.prop(block, prop);
            if (v) attrs.push(`${kw} = ${v.text}`);
        }
        const model = block.model ? ` : ${block.model.$refText}` : '';
        const at = e.lineEnd(block.$cstNode!.end);
        changes = [{ start: at, end: at, newText: `${e.eol}${e.indentAt(block.$cstNode!.offset)}host ${names.join(', ')}${model} { ${attrs.join('  ')} }`, element }];
    }
    return [{
        title: `Add ${k} ${k === 1 ? 'host' : 'hosts'} like ${largest.name} (${largest.usableCores} usable cores, ${formatGiB(largest.usableMemoryGiB)} GiB): ${names.join(', ')}`,
        code: IssueCodes.Unplaceable, preferred: false, split: false, changes
    }];
}

/**
 * `import-missing` for the shapes an imported file takes from a file this one does not import
 * (`data.importPath`, relative to this file): the import to add, on the line after the import
 * the diagnostic is on. The other `import-missing` errors (a file not found) have no fix.
 */
function importFixes(e: Editor, diagnostic: Diagnostic, data: Record<string, unknown>): Fix[] {
    if (typeof data.importPath !== 'string') return [];
    const imp = e.root.imports.find(i => i.$cstNode && rangeContains(e, i, diagnostic));
    if (!imp || e.root.imports.some(i => i.path === data.importPath)) return [];
    const line = `import ${JSON.stringify(data.importPath)}`;
    return [{
        title: `Add ${line}`, code: IssueCodes.ImportMissing, preferred: true, split: false,
        changes: [importInsertion(e, imp, line)]
    }];
}

/**
 * The change that adds the import statement `line` after the import `after`, among the imports:
 * on a line of its own after `after`'s line when nothing but a line comment follows it there;
 * when an element follows on the same line (`import "a.dcplan" host hv1 { … }`), the new import
 * goes between them, and the element on a line of its own after it.
 */
function importInsertion(e: Editor, after: AstNode, line: string): TextChange {
    const cst = after.$cstNode!;
    const indent = e.indentAt(cst.offset);
    const element = e.key(after);
    const lineEnd = e.lineEnd(cst.end);
    const rest = e.text.slice(cst.end, lineEnd);
    if (/^[ \t]*((\/\/|#).*)?$/.test(rest)) {
        return { start: lineEnd, end: lineEnd, newText: `${e.eol}${indent}${line}`, element };
    }
    // Something else on the line: the new import right after this one, and what followed on a
    // new line (blanks between them replaced; a block comment stays where it was).
    const gap = /^[ \t]*/.exec(rest)![0].length;
    const next = e.text.slice(cst.end + gap);
    if (next.startsWith('/*')) return { start: cst.end, end: cst.end, newText: `${e.eol}${indent}${line}`, element };
    return { start: cst.end, end: cst.end + gap, newText: `${e.eol}${indent}${line}${e.eol}${indent}`, element };
}

/**
 * `size-unit`: the size as its message says to write it (`data.replacement`): `8 gib` → `8 GiB`
 * (preferred: the unit is certain), `16` → `16 GiB` (the likely unit: offered, not preferred, so
 * fix-all does not guess).
 */
function sizeUnitFixes(e: Editor, diagnostic: Diagnostic, data: Record<string, unknown>): Fix[] {
    if (typeof data.replacement !== 'string') return [];
    const value = sizeValueAt(e, diagnostic);
    if (!value) return [];
    const { start, end } = value;
    // Only the value in error: one whose own reading asks for this replacement.
    const read = parseSize(e.text.slice(start, end));
    if (read.ok || read.fix?.text !== data.replacement) return [];
    return [{
        title: `Write ${data.replacement}`, code: IssueCodes.SizeUnit, preferred: data.guess === false, split: false,
        changes: [{ start, end, newText: data.replacement, element: `size@${start}` }]
    }];
}

/**
 * The size value a `size-unit` diagnostic is about: the value token at the diagnostic's start,
 * and when its attribute is repeated in the block, the last one written (the one the checker
 * reads), wherever the diagnostic's range points.
 */
function sizeValueAt(e: Editor, diagnostic: Diagnostic): { start: number; end: number } | undefined {
    const offset = e.ctx.document.textDocument.offsetAt(diagnostic.range.start);
    const root = e.ctx.document.parseResult.value.$cstNode;
    const leaf = root ? CstUtils.findLeafNodeAtOffset(root, offset) : undefined;
    if (!leaf) return undefined;
    // The value node: the leaf, or the datatype rule (`Size`) around it, assigned to a property.
    for (let n: CstNode | undefined = leaf; n && n.astNode === leaf.astNode; n = n.container) {
        const feature = n.grammarSource ? AstUtils.getContainerOfType(n.grammarSource, GrammarAST.isAssignment)?.feature : undefined;
        if (feature === undefined) continue;
        const last = e.prop(n.astNode, feature);
        return last ? { start: last.offset, end: last.end } : undefined;
    }
    return undefined;
}
