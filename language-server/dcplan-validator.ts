/**
 * The checker of `.dcplan` documents: the language's own checks (units, counts, names, ranges,
 * limits, imports) on each node, and the rulebook of `src/planner/rules.ts` run once per document
 * on its plan analysis, each finding reported at the element that causes it (spec, "Checks").
 */
import {
    AstUtils, Cancellation, type CstNode, DefaultDocumentValidator, interruptAndCheck, isCompositeCstNode, DocumentValidator, GrammarAST, GrammarUtils, type AstNode,
    type FileSystemNode, isOperationCancelled, type LangiumDocument, type URI, UriUtils, type ValidationAcceptor, type ValidationCheck, type ValidationChecks,
    type ParseResult, type ValidationOptions, ValidationRegistry
} from 'langium';
import type { Diagnostic, DiagnosticRelatedInformation, Range } from 'vscode-languageserver-types';
import type { LangiumServices } from 'langium/lsp';
import type { DcplanAstType, Deploy, Host, HostModel, HostName, Import, Plan, PlanFile, Shape, Workload } from './generated/ast.js';
import { isDeploy, isHost, isHostModel, isPlan, isShape, isWorkload } from './generated/ast.js';
import type { DcplanServices } from './dcplan-module.js';
import { IssueCodes, type IssueCode, type Finding } from '../src/planner/rules.js';
import { LIMITS, parseCount, parseSize, validCount, validSize } from './values.js';
import { expandHostName, hostNameCount, isName } from './model-builder.js';
import { locateTarget, type PlanAnalysis } from './analysis.js';
import { importGraph, importUri, resolveImports } from './imports.js';
import { MAX_DIAGNOSTICS, MAX_SYNTAX_ERRORS, moreDiagnostics, moreSyntaxErrors, rewriteLexerMessage, rewriteParserMessage } from './syntax-messages.js';
import { isPlanPath } from './plan-files.js';
import { describeError, internalErrorDiagnostic, logInternalError } from './containment.js';
import { INTERRUPT_EVERY } from './dcplan-linking.js';
import { flattenAst } from './ast-walk.js';

export { IssueCodes };

/** Registers the checks of `DcplanValidator` with Langium's validation registry. */
export function registerValidationChecks(services: DcplanServices): void {
    const registry = services.validation.ValidationRegistry;
    const validator = services.validation.DcplanValidator;
    const checks: ValidationChecks<DcplanAstType> = {
        PlanFile: (node, accept) => validator.checkPlanFile(node, accept, services),
        Plan: validator.checkPlan,
        Workload: validator.checkWorkload,
        Shape: validator.checkShape,
        Deploy: validator.checkDeploy,
        HostModel: validator.checkHostModel,
        Host: validator.checkHost,
        HostName: validator.checkHostName,
        Import: (node, accept) => validator.checkImport(node, accept, services)
    };
    registry.register(checks, validator);
}

type Accept = ValidationAcceptor;

/** No missing hardware attribute (shared, never changed). */
const NONE_MISSING: readonly ('cores' | 'memory')[] = [];

/** Reports `code` with `data.code` set, as quick-fixes look it up. */
function report(accept: Accept, severity: 'error' | 'warning' | 'info' | 'hint', code: IssueCode, message: string,
    info: { node: AstNode; property?: string; index?: number; range?: Range; data?: Record<string, unknown>; relatedInformation?: DiagnosticRelatedInformation[] }): void {
    // built field by field: object spread was a visible cost with thousands of findings
    const data: Record<string, unknown> = { code };
    if (info.data) for (const k in info.data) if (k !== 'code') data[k] = info.data[k];
    accept(severity, message, {
        // a repeated attribute is reported where the value read is: the last one written
        // (Langium's default index is the first)
        node: info.node, property: info.property, index: info.index ?? (info.property !== undefined ? Number.MAX_SAFE_INTEGER : undefined), range: info.range,
        relatedInformation: info.relatedInformation, code, data
    } as never);
}

/** Checks of the language itself, node by node, and the rulebook on the whole file. */
export class DcplanValidator {

    checkPlanFile(file: PlanFile, accept: Accept, services: DcplanServices): void {
        const plans = file.elements.filter(isPlan);
        for (const extra of plans.slice(1)) {
            const first = isName(plans[0].name) ? plans[0].name : `on line ${(plans[0].$cstNode?.range.start.line ?? 0) + 1}`;
            report(accept, 'error', IssueCodes.MultiplePlans, `at most one plan block per file (the first is ${first})`, { node: extra, property: isName(extra.name) ? 'name' : undefined });
        }
        this.checkDuplicateNames(file, accept, services);
        const document = AstUtils.getDocument(file);
        const analysis = services.analysis.PlanAnalyzer.analyze(document);
        this.checkLimits(file, accept);
        if (analysis.built.model.settings.platform === 'physical') {
            for (const e of file.elements) {
                if (isHost(e) || isHostModel(e)) {
                    const name = isHost(e) ? e.names.filter(n => isName(n.name)).map(writtenName).join(', ') : isName(e.name) ? e.name : '';
                    report(accept, 'warning', IssueCodes.PhysicalHostsIgnored,
                        `${name ? `${isHost(e) ? 'host' : 'model'} ${name}` : `this ${isHost(e) ? 'host' : 'model'} block`} is ignored: with platform = physical every instance is its own machine`,
                        isHost(e) ? { node: e.names[0] ?? e } : { node: e, property: isName(e.name) ? 'name' : undefined });
                }
            }
        }
        reportFindings(analysis, document, file, accept);
    }

    /** Two elements of one kind with the same name, in the file or between it and its imports. */
    private checkDuplicateNames(file: PlanFile, accept: Accept, services: DcplanServices): void {
        const document = AstUtils.getDocument(file);
        // one map per kind of name: no key string per name
        const importedNames = new Map<string, Map<string, string>>();
        for (const i of resolveImports(document, services.shared.workspace.LangiumDocuments)) {
            if (i.target === document) continue; // a self-import is the import-cycle error
            for (const e of i.target?.parseResult.value.elements ?? []) {
                forEachName(e, (kind, name) => byKind(importedNames, kind).set(name, i.node.path));
            }
        }
        const seen = new Map<string, Map<string, AstNode>>();
        for (const e of file.elements) {
            forEachName(e, (kind, name, node) => {
                const names = byKind(seen, kind);
                const from = importedNames.get(kind)?.get(name);
                const info = node === e ? { node: e, property: 'name' } : { node };
                if (names.has(name)) {
                    report(accept, 'error', IssueCodes.DuplicateName, `duplicate ${kind} name '${name}'`, info);
                } else if (from) {
                    report(accept, 'error', IssueCodes.DuplicateName, `${kind} '${name}' is also declared in ${from}`, info);
                }
                names.set(name, node);
            });
        }
    }

    /** Instances in a plan: at most 1,000,000; hosts: at most 100,000 (spec, "Lexical"). */
    private checkLimits(file: PlanFile, accept: Accept): void {
        let hosts = 0;
        for (const e of file.elements) {
            if (!isHost(e)) continue;
            let named = 0;
            for (const hn of e.names) named += hostNameCount(hn);
            if (hosts + named > LIMITS.hostsPerPlan) {
                report(accept, 'error', IssueCodes.LimitExceeded, `the plan passes ${LIMITS.hostsPerPlan.toLocaleString('en-US')} hosts here (${(hosts + named).toLocaleString('en-US')}): this host block is left out`, { node: e.names[0] ?? e });
                break;
            }
            hosts += named;
        }
        let total = 0;
        for (const e of file.elements) {
            if (e.$type !== 'Deploy') continue;
            const d = e as Deploy;
            const r = parseCount(d.count);
            if (!r.ok || r.value < 1 || r.value > LIMITS.instancesPerDeployment) continue;
            total += r.value;
            if (total > LIMITS.instancesPerPlan) {
                report(accept, 'error', IssueCodes.LimitExceeded, `the plan passes ${LIMITS.instancesPerPlan.toLocaleString('en-US')} instances here (${total.toLocaleString('en-US')}): this deployment is left out`, { node: d, property: 'count' });
                return;
            }
        }
    }

    checkPlan(plan: Plan, accept: Accept): void {
        checkDuplicateAttributes(plan, accept, scanCst(plan, set(plan.title) + set(plan.dovecot) + set(plan.platform) + set(plan.mailStorage) + set(plan.tolerateHostFailures) + set(plan.rebalanceMoves)), PLAN_ATTRIBUTES);
        if (plan.dovecot !== undefined) {
            const v = plan.dovecot;
            if (!['2.3', '2.4', 'pro-3.0'].includes(v)) {
                report(accept, 'error', IssueCodes.InvalidValue, `unknown Dovecot version "${v}": "2.3", "2.4" or "pro-3.0"`, { node: plan, property: 'dovecot' });
            }
        }
        checkEnum(plan, 'platform', ['virtual', 'physical'], accept);
        checkEnum(plan, 'mailStorage', ['block', 'object'], accept, 'mail_storage');
        if (plan.tolerateHostFailures !== undefined) {
            const n = checkCount(plan, 'tolerateHostFailures', accept, 0);
            if (n !== undefined && n > 2) {
                report(accept, 'error', IssueCodes.InvalidNumber, `tolerate_host_failures is 0, 1 or 2 (${n} given)`, { node: plan, property: 'tolerateHostFailures' });
            }
        }
        if (plan.rebalanceMoves !== undefined) checkCount(plan, 'rebalanceMoves', accept, 0);
    }

    checkWorkload(w: Workload, accept: Accept): void {
        checkDuplicateAttributes(w, accept, scanCst(w, set(w.sessions) + set(w.activeUsers) + w.demands.length), WORKLOAD_ATTRIBUTES);
        if (w.sessions !== undefined) checkCount(w, 'sessions', accept, 0);
        if (w.activeUsers !== undefined) checkCount(w, 'activeUsers', accept, 0);
        const roles = new Set<string>();
        for (const d of w.demands) {
            if (!checkEnum(d, 'role', ['proxy', 'director', 'backend'], accept)) continue;
            if (roles.has(d.role)) report(accept, 'error', IssueCodes.DuplicateAttribute, `${d.role} is given twice in ${isName(w.name) ? `workload ${w.name}` : 'this workload'}`, { node: d, property: 'role' });
            roles.add(d.role);
            checkCount(d, 'cores', accept, 1);
            if (d.memory !== undefined) checkSize(d, 'memory', accept);
        }
    }

    checkShape(shape: Shape, accept: Accept): void {
        checkDuplicateAttributes(shape, accept, scanCst(shape, set(shape.role) + set(shape.cores) + set(shape.memory) + set(shape.loginProcesses) + set(shape.loginMode) + set(shape.localDisk)), SHAPE_ATTRIBUTES);
        const missing = (['role', 'cores', 'memory'] as const).filter(p => shape[p] === undefined);
        if (missing.length > 0 && !hasSyntaxErrorIn(shape)) {
            report(accept, 'error', IssueCodes.MissingAttribute, `${isName(shape.name) ? `shape ${shape.name}` : 'this shape'} needs ${missing.join(', ')}`, { node: shape, property: isName(shape.name) ? 'name' : undefined });
        }
        const roleOk = shape.role !== undefined && checkEnum(shape, 'role', ['proxy', 'director', 'backend'], accept);
        if (shape.cores !== undefined) checkCount(shape, 'cores', accept, 1);
        if (shape.memory !== undefined) checkSize(shape, 'memory', accept);
        if (shape.loginProcesses !== undefined) checkCount(shape, 'loginProcesses', accept, 1);
        if (shape.loginMode !== undefined) checkEnum(shape, 'loginMode', ['performance', 'security'], accept, 'login_mode');
        if (shape.localDisk !== undefined) checkSize(shape, 'localDisk', accept, 'local_disk');
        if (roleOk && shape.role === 'backend') {
            for (const p of ['loginProcesses', 'loginMode'] as const) {
                if (shape[p] !== undefined) report(accept, 'warning', IssueCodes.AttributeNotForRole, `${p === 'loginProcesses' ? 'login_processes' : 'login_mode'} applies to proxies and directors, not to backends`, { node: shape, property: p });
            }
        }
        if (roleOk && shape.role !== 'backend' && shape.localDisk !== undefined) {
            report(accept, 'warning', IssueCodes.AttributeNotForRole, `local_disk applies to backends (fscache/metacache), not to ${shape.role === 'proxy' ? 'proxies' : 'directors'}`, { node: shape, property: 'localDisk' });
        }
    }

    checkDeploy(d: Deploy, accept: Accept): void {
        const n = checkCount(d, 'count', accept, 1);
        if (n !== undefined && n > LIMITS.instancesPerDeployment) {
            report(accept, 'error', IssueCodes.LimitExceeded, `at most ${LIMITS.instancesPerDeployment.toLocaleString('en-US')} instances in a deployment (${n.toLocaleString('en-US')} given)`, { node: d, property: 'count' });
        }
    }

    checkHostModel(m: HostModel, accept: Accept): void {
        checkHardware(m, accept, scanCst(m, hardwareSet(m)));
    }

    checkHost(h: Host, accept: Accept): void {
        // `runs = …` is one assignment however many pins it lists
        const scan = scanCst(h, hardwareSet(h) + set(h.rack) + set(h.drain) + (h.pins.length > 0 ? 1 : 0));
        checkDuplicateAttributes(h, accept, scan, ['rack', 'drain']);
        if (h.drain !== undefined) checkEnum(h, 'drain', ['true', 'false'], accept);
        const model = h.model?.ref;
        checkHardware(h, accept, scan, model);
        const missing = h.cores !== undefined && h.memory !== undefined ? NONE_MISSING
            : (['cores', 'memory'] as const).filter(p => h[p] === undefined && model?.[p] === undefined);
        if (missing.length > 0 && h.names.length > 0 && h.names.every(n => isName(n.name)) && !hasSyntaxErrorIn(h)) {
            report(accept, 'error', IssueCodes.MissingAttribute, `host ${h.names.map(writtenName).join(', ')} needs ${missing.join(' and ')}${h.model ? ` (not in model ${h.model.$refText} either)` : ''}`, { node: h.names[0] });
        }
        const runs = scan.keywords.get('runs');
        if (runs) for (const extra of runs.slice(1)) accept('error', 'runs is given twice: list every pin in one runs = …', { node: h, range: extra.range, code: IssueCodes.DuplicateAttribute, data: { code: IssueCodes.DuplicateAttribute } } as never);
        for (const p of h.pins) {
            const n = checkCount(p, 'count', accept, 1);
            if (n !== undefined && n > LIMITS.instancesPerDeployment) {
                report(accept, 'error', IssueCodes.LimitExceeded, `at most ${LIMITS.instancesPerDeployment.toLocaleString('en-US')} instances in a pin`, { node: p, property: 'count' });
            }
        }
    }

    checkHostName(hn: HostName, accept: Accept): void {
        // a range without its name is the parser's error (`host [1..2]`)
        if (hn.from === undefined || hn.to === undefined || !isName(hn.name)) return;
        const from = checkCount(hn, 'from', accept, 0);
        const to = checkCount(hn, 'to', accept, 0);
        if (from === undefined || to === undefined) return;
        if (from > to) {
            report(accept, 'error', IssueCodes.HostRange, `the range ${hn.name}[${hn.from}..${hn.to}] is reversed: it names no host (write ${hn.name}[${hn.to}..${hn.from}])`, { node: hn });
        } else if (to - from + 1 > LIMITS.hostsPerRange) {
            report(accept, 'error', IssueCodes.LimitExceeded, `the range ${hn.name}[${hn.from}..${hn.to}] names ${(to - from + 1).toLocaleString('en-US')} hosts: at most ${LIMITS.hostsPerRange.toLocaleString('en-US')} in a range`, { node: hn });
        }
    }

    checkImport(imp: Import, accept: Accept, services: DcplanServices): void {
        const document = AstUtils.getDocument(imp);
        const uri = importUri(imp, document.uri);
        // `import` without a path (error recovery): the syntax error says what is missing
        if (!uri) return;
        const documents = services.shared.workspace.LangiumDocuments;
        if (uri.toString() === document.uri.toString()) {
            report(accept, 'error', IssueCodes.ImportCycle, `a file cannot import itself`, { node: imp, property: 'path' });
            return;
        }
        if (imp.path.trim() === '') {
            report(accept, 'error', IssueCodes.ImportMissing, `an import needs the path of a .dcplan file`, { node: imp, property: 'path' });
            return;
        }
        // Only .dcplan files are plans: another file is never read as one (spec, "Elements").
        const plan = isPlanPath(imp.path);
        const imported = plan ? documents.getDocument(uri) : undefined;
        if (!imported) {
            // not in the workspace: one look at the file system says why
            let node: FileSystemNode | undefined;
            try { node = services.shared.workspace.FileSystemProvider.statSync(uri); } catch { node = undefined; }
            const why = node?.isDirectory ? `${imp.path} is a directory, not a .dcplan file`
                : !plan ? `${imp.path} is not a .dcplan file: only plans can be imported`
                : !node ? `cannot find ${imp.path} (looked for ${uri.fsPath})`
                : `${imp.path} exists but is not loaded in the workspace (open the folder that holds it)`;
            report(accept, 'error', IssueCodes.ImportMissing, why, { node: imp, property: 'path' });
            return;
        }
        // The imported file's own syntax errors: its elements may be missing from this plan, so
        // they are reported here too (findings about imported elements go on the import line).
        const { lexerErrors, parserErrors } = imported.parseResult;
        const syntax = [...lexerErrors.map(e => ({ line: e.line, column: e.column })),
            ...parserErrors.map(e => ({ line: e.token.startLine, column: e.token.startColumn }))]
            .filter(p => p.line !== undefined && !Number.isNaN(p.line))
            .sort((a, b) => a.line! - b.line! || (a.column ?? 0) - (b.column ?? 0));
        const errorCount = lexerErrors.length + parserErrors.length;
        if (errorCount > 0) {
            const first = syntax[0];
            report(accept, 'error', IssueCodes.SyntaxError,
                `in ${imp.path}: ${errorCount} syntax error${errorCount === 1 ? '' : 's'}${first ? `, the first at ${first.line}:${first.column}` : ''}: its elements may be missing from this plan`,
                { node: imp, property: 'path' });
        }
        // A cycle: the imported file imports this one, directly or through its own imports.
        // (one graph per workspace state: a walk per import was quadratic on long import chains)
        const back = importGraph(services.shared).cycleBack(imported, document);
        if (back) {
            report(accept, 'error', IssueCodes.ImportCycle, `import cycle: ${imp.path} imports this file${back.uri.toString() === uri.toString() ? '' : ` through ${back.uri.path.split('/').pop()}`}`, { node: imp, property: 'path' });
            return;
        }
        checkShapesOfImport(imp, document, imported as LangiumDocument<PlanFile>, importGraph(services.shared).visible(document), accept);
    }
}

/**
 * The deployments and pins of an imported file whose shapes that file imports from a file this
 * one does not import: imports are not transitive, so those shapes are not part of this plan and
 * the deployments and pins would be left out of it without a word. One `import-missing` error per
 * such file, on the import, naming the shapes and the import to add.
 */
function checkShapesOfImport(imp: Import, document: LangiumDocument, imported: LangiumDocument<PlanFile>, visible: ReadonlySet<string>, accept: Accept): void {
    // shape names per file they are declared in, in the order met
    const missing = new Map<string, { uri: URI; shapes: string[] }>();
    const use = (shape: Shape | undefined) => {
        if (!shape) return;
        const from = AstUtils.getDocument(shape).uri;
        if (visible.has(from.toString())) return;
        let m = missing.get(from.toString());
        if (!m) missing.set(from.toString(), m = { uri: from, shapes: [] });
        if (!m.shapes.includes(shape.name)) m.shapes.push(shape.name);
    };
    for (const e of imported.parseResult.value.elements) {
        if (isDeploy(e)) use(e.shape?.ref);
        else if (isHost(e)) for (const p of e.pins) use(p.shape?.ref);
    }
    const here = UriUtils.dirname(document.uri);
    for (const { uri, shapes } of missing.values()) {
        const rel = UriUtils.relative(here, uri);
        report(accept, 'error', IssueCodes.ImportMissing,
            `in ${imp.path}: deployments or pins use ${shapes.length === 1 ? 'shape' : 'shapes'} ${shapes.join(', ')} of ${rel}, which this file does not import (imports are not transitive): add import "${rel}"`,
            { node: imp, property: 'path', data: { importPath: rel } });
    }
}

/** A host name as written: `hv01`, or the range `hv[01..04]`. */
function writtenName(n: HostName): string {
    const name = n.name ?? '';
    return n.from !== undefined && n.to !== undefined ? `${name}[${n.from}..${n.to}]` : name;
}

/** True when the parser stopped inside `node` (its missing attributes are then the syntax error's doing). */
function hasSyntaxErrorIn(node: AstNode): boolean {
    const cst = node.$cstNode;
    if (!cst) return false;
    const offsets = syntaxErrorOffsets(AstUtils.getDocument(node).parseResult);
    // the first error at or after the node's start: is it inside the node?
    let lo = 0, hi = offsets.length;
    while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (offsets[mid] < cst.offset) lo = mid + 1; else hi = mid;
    }
    return lo < offsets.length && offsets[lo] <= cst.end;
}

/** The parser errors' offsets of a parse, sorted, made once per parse (a scan per node was quadratic: 10,000 `shape` lines took 13 s). */
const errorOffsets = new WeakMap<ParseResult, Float64Array>();

function syntaxErrorOffsets(parseResult: ParseResult): Float64Array {
    let offsets = errorOffsets.get(parseResult);
    if (!offsets) {
        offsets = Float64Array.from(parseResult.parserErrors, e =>
            Number.isNaN(e.token.startOffset) ? (e as { previousToken?: { endOffset: number } }).previousToken?.endOffset ?? -1 : e.token.startOffset).sort();
        errorOffsets.set(parseResult, offsets);
    }
    return offsets;
}

/** Calls `f` for each named thing an element declares: shapes, models, workloads, hosts (expanded), with the node to mark. */
function forEachName(e: AstNode, f: (kind: string, name: string, node: AstNode) => void): void {
    // an element without a name (error recovery) declares nothing: the syntax error is reported
    if (isShape(e)) { if (isName(e.name)) f('shape', e.name, e); }
    else if (isHostModel(e)) { if (isName(e.name)) f('model', e.name, e); }
    else if (isWorkload(e)) { if (isName(e.name)) f('workload', e.name, e); }
    else if (isHost(e)) for (const n of e.names) for (const name of expandHostName(n) ?? []) f('host', name, n);
}

/** The map of `kind` in `maps` (made when first asked). */
function byKind<V>(maps: Map<string, Map<string, V>>, kind: string): Map<string, V> {
    let m = maps.get(kind);
    if (!m) maps.set(kind, m = new Map());
    return m;
}

/** Reports every finding of the analysis that belongs to this document; those about imported elements go on the import. */
function reportFindings(analysis: PlanAnalysis, document: LangiumDocument, file: PlanFile, accept: Accept): void {
    const uri = document.uri.toString();
    // what was reported per node: one diagnostic per (code, property, range, message), kept as a
    // key set (a node of `hv[1..100000]` gets a finding per host: a scan of the earlier ones per
    // finding took 18 s)
    const seen = new Map<AstNode, Set<string>>();
    const rangeKey = (r?: Range) => r ? `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}` : '';
    // A shape named by a deploy line whose count is invalid is not "unused": the count is the error.
    let named: Set<string | undefined> | undefined;
    for (const f of analysis.findings) {
        if (f.code === IssueCodes.UnusedShape && f.target.kind === 'shape') {
            named ??= new Set(file.elements.filter(isDeploy).map(d => d.shape?.$refText));
            if (named.has(analysis.built.model.shapes[f.target.index]?.name)) continue;
        }
        const loc = locateTarget(analysis, f.target);
        if (!loc) continue;
        const related = relatedOf(analysis, f);
        const locUri = AstUtils.getDocument(loc.node).uri.toString();
        if (locUri === uri) {
            let done = seen.get(loc.node);
            if (!done) seen.set(loc.node, done = new Set());
            const key = `${f.code}\u0000${loc.property ?? ''}\u0000${rangeKey(loc.range)}\u0000${f.message}`;
            if (done.has(key)) continue;
            done.add(key);
            report(accept, f.severity, f.code, f.message, { node: loc.node, property: loc.property, range: loc.range, data: f.data as Record<string, unknown> | undefined, relatedInformation: related });
        } else {
            const imp = file.imports.find(i => importUri(i, document.uri)?.toString() === locUri);
            if (imp) report(accept, f.severity, f.code, `in ${imp.path}: ${f.message}`, { node: imp, property: 'path', data: f.data as Record<string, unknown> | undefined, relatedInformation: related });
        }
    }
}

function relatedOf(analysis: PlanAnalysis, f: Finding): DiagnosticRelatedInformation[] | undefined {
    if (!f.related) return undefined;
    const out: DiagnosticRelatedInformation[] = [];
    for (const r of f.related) {
        const loc = locateTarget(analysis, r.target);
        const range = loc && (loc.range ?? (loc.property ? GrammarUtils.findNodeForProperty(loc.node.$cstNode, loc.property, Number.MAX_SAFE_INTEGER) : loc.node.$cstNode)?.range);
        if (!loc || !range) continue;
        out.push({ location: { uri: AstUtils.getDocument(loc.node).uri.toString(), range }, message: r.message });
    }
    return out.length > 0 ? out : undefined;
}

/** The CST nodes of a block's own assignments and keywords, by property and by keyword. */
interface CstScan {
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

/** SourceInfo per grammar element (the grammar lives as long as the services). */
const sourceInfos = new Map<GrammarAST.AbstractElement, SourceInfo>();
const NO_SOURCE: SourceInfo = { feature: undefined, keyword: undefined, descend: false };
function sourceInfo(source: GrammarAST.AbstractElement | undefined): SourceInfo {
    if (!source) return NO_SOURCE;
    let info = sourceInfos.get(source);
    if (!info) {
        const feature = AstUtils.getContainerOfType(source, GrammarAST.isAssignment)?.feature;
        info = {
            feature,
            keyword: GrammarAST.isKeyword(source) ? source.value : undefined,
            descend: feature === undefined && GrammarAST.isRuleCall(source) && GrammarAST.isParserRule(source.rule.ref)
        };
        sourceInfos.set(source, info);
    }
    return info;
}

/** The single-valued attributes of each block, as AST properties (`loginProcesses` is `login_processes`). */
const PLAN_ATTRIBUTES = ['title', 'dovecot', 'platform', 'mailStorage', 'tolerateHostFailures', 'rebalanceMoves'] as const;
const WORKLOAD_ATTRIBUTES = ['sessions', 'activeUsers'] as const;
const SHAPE_ATTRIBUTES = ['role', 'cores', 'memory', 'loginProcesses', 'loginMode', 'localDisk'] as const;
const HARDWARE_ATTRIBUTES = ['cores', 'threadsPerCore', 'memory', 'numaNodes', 'hypervisorCores', 'hypervisorMemory'] as const;

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
function scanCst(node: AstNode, assigned: number): CstScan {
    const root = node.$cstNode;
    if (!root) return EMPTY_SCAN;
    if (assigned === equalSigns(root) && AstUtils.getDocument(node).parseResult.parserErrors.length === 0) return EMPTY_SCAN;
    // Most blocks assign each property once: a walk that only looks for a repeated property
    // (without building the lists) settles them; only the others get the full scan.
    seenFeatures.length = 0;
    if (isCompositeCstNode(root) && !repeatsFeature(root)) return EMPTY_SCAN;
    const scan: Scan = { node, properties: new Map(), keywords: new Map(), enclosing: [] };
    const rootKeyword = sourceInfo(root.grammarSource).keyword;
    if (rootKeyword !== undefined) pushTo(scan.keywords, rootKeyword, root);
    if (isCompositeCstNode(root)) for (const d of root.content) visitCst(scan, d, isCompositeCstNode(d) ? d.astNode : node);
    return scan;
}

/** 1 when a value is set, else 0 (for counting a block's values). */
function set(value: string | undefined): number {
    return value === undefined ? 0 : 1;
}

/** The hardware attributes set in a `model` or `host` block. */
function hardwareSet(n: Host | HostModel): number {
    return set(n.cores) + set(n.threadsPerCore) + set(n.memory) + set(n.numaNodes) + set(n.hypervisorCores) + set(n.hypervisorMemory);
}

/** The number of `=` characters in the text of `cst` (its first to its last token, as `offset` and `end` say). */
function equalSigns(cst: CstNode): number {
    let start = cst.offset, end = cst.end;
    if (isCompositeCstNode(cst)) {
        // the first and last tokens by index: the getters walk the content with an iterator
        const content = cst.content;
        let i = 0, j = content.length - 1;
        while (i <= j && content[i].hidden) i++;
        while (j >= i && content[j].hidden) j--;
        if (i <= j) { start = content[i].offset; end = content[j].end; }
    }
    const text = cst.root.fullText;
    let n = 0;
    for (let at = text.indexOf('=', start); at >= 0 && at < end; at = text.indexOf('=', at + 1)) n++;
    return n;
}

/** The scan of a block whose properties are each assigned at most once (nothing to report). */
const EMPTY_SCAN: CstScan = { properties: new Map(), keywords: new Map() };
/** The properties met so far by `repeatsFeature` (reused: blocks have a handful). */
const seenFeatures: string[] = [];

/**
 * True when some property is assigned twice among the CST nodes under `c` that belong to the
 * block (the nodes `visitCst` would list), i.e. when the full scan may have something to report.
 * Lists (`names`, `pins`) count as repeated too: such blocks get the full scan, which tells them
 * apart.
 */
function repeatsFeature(c: CstNode & { content: readonly CstNode[] }): boolean {
    // an indexed loop: `content` is an Array subclass, slow to iterate with for…of
    const content = c.content;
    for (let i = 0; i < content.length; i++) {
        const d = content[i];
        const info = sourceInfo(d.grammarSource);
        const feature = info.feature;
        if (feature !== undefined) {
            if (seenFeatures.includes(feature)) return true;
            seenFeatures.push(feature);
        } else if (info.descend) {
            // Only unassigned calls of parser rules (fragments, alternatives) can hold more of
            // this block's properties. An assigned composite is a child AST node (its properties
            // are its own), a datatype value or a cross-reference: nothing inside is assigned to
            // this block (`visitCst` skips them as enclosed).
            const sub = (d as { content?: readonly CstNode[] }).content;
            if (sub !== undefined && sub.length > 0 && repeatsFeature(d as CstNode & { content: readonly CstNode[] })) return true;
        }
    }
    return false;
}

/** The state of one `scanCst`; `enclosing`: the properties of the assigned nodes above (findNodesForProperty stops at them). */
interface Scan {
    readonly node: AstNode;
    readonly properties: Map<string, CstNode[]>;
    readonly keywords: Map<string, CstNode[]>;
    readonly enclosing: string[];
}

function pushTo(m: Map<string, CstNode[]>, k: string, c: CstNode): void {
    const list = m.get(k);
    if (list) list.push(c); else m.set(k, [c]);
}

/** Visits `c`, whose AST node is `astNode` (a leaf's is its container's). */
function visitCst(scan: Scan, c: CstNode, astNode: AstNode): void {
    const { feature, keyword } = sourceInfo(c.grammarSource);
    const enclosing = scan.enclosing;
    if (feature !== undefined && (enclosing.length === 0 || !enclosing.includes(feature))) pushTo(scan.properties, feature, c);
    if (astNode !== scan.node) return;
    if (keyword !== undefined) pushTo(scan.keywords, keyword, c);
    if (isCompositeCstNode(c)) {
        if (feature !== undefined) enclosing.push(feature);
        for (const d of c.content) visitCst(scan, d, isCompositeCstNode(d) ? d.astNode : astNode);
        if (feature !== undefined) enclosing.pop();
    }
}

/** Each property assigned more than once in a block: an error on the repeated one. */
function checkDuplicateAttributes(node: AstNode, accept: Accept, scan: CstScan, properties: readonly string[]): void {
    if (scan === EMPTY_SCAN) return;
    for (const p of properties) {
        const nodes = scan.properties.get(p) ?? [];
        for (const extra of nodes.slice(1)) {
            accept('error', `${attributeName(p)} is given twice; the last one counts`, { node, range: extra.range, code: IssueCodes.DuplicateAttribute, data: { code: IssueCodes.DuplicateAttribute } } as never);
        }
    }
}

/** The attribute as written in the file (`loginProcesses` → `login_processes`). */
function attributeName(property: string): string {
    return property.replace(/[A-Z]/g, c => '_' + c.toLowerCase());
}

/** Checks a whole count of `node[property]` against `min`; returns the value when valid. */
function checkCount(node: AstNode, property: string, accept: Accept, min: number): number | undefined {
    const text = (node as unknown as Record<string, string | undefined>)[property];
    if (text === undefined) return undefined;
    const r = parseCount(text);
    if (r.ok && r.value >= min) return r.value;
    const name = attributeName(property);
    if (!r.ok) {
        report(accept, 'error', IssueCodes.InvalidNumber, `${name}: ${r.error}`, { node, property });
        return undefined;
    }
    if (r.value < min) {
        report(accept, 'error', IssueCodes.InvalidNumber, `${name} must be ${min === 0 ? 'zero or more' : 'a positive whole number'} (${r.value} given)`, { node, property });
        return undefined;
    }
    return r.value;
}

/** Checks a size (a unit is required, the value positive). */
function checkSize(node: AstNode, property: string, accept: Accept, label?: string, allowZero = false): number | undefined {
    const text = (node as unknown as Record<string, string | undefined>)[property];
    if (text === undefined) return undefined;
    label ??= attributeName(property);
    const r = parseSize(text, label);
    if (!r.ok) {
        report(accept, 'error', r.unit ? IssueCodes.SizeUnit : IssueCodes.InvalidNumber, r.error,
            { node, property, data: r.fix ? { replacement: r.fix.text, guess: r.fix.guess } : undefined });
        return undefined;
    }
    if (r.value.gib < 0 || (r.value.gib === 0 && !allowZero)) {
        report(accept, 'error', IssueCodes.InvalidNumber, `${label} must be ${allowZero ? 'zero or more' : 'positive'} (${text} given)`, { node, property });
        return undefined;
    }
    return r.value.gib;
}

/** Checks an enumerated value; the grammar accepts any name so the message can list the valid ones. */
function checkEnum(node: AstNode, property: string, values: readonly string[], accept: Accept, label = property): boolean {
    const v = (node as unknown as Record<string, string | undefined>)[property];
    if (v === undefined) return false;
    if (values.includes(v)) return true;
    report(accept, 'error', IssueCodes.InvalidValue, `unknown ${label} '${v}': ${values.slice(0, -1).join(', ')} or ${values.at(-1)}`, { node, property });
    return false;
}

/** The hardware attributes shared by `model` and `host` blocks. */
function checkHardware(node: Host | HostModel, accept: Accept, scan: CstScan, model?: HostModel): void {
    checkDuplicateAttributes(node, accept, scan, HARDWARE_ATTRIBUTES);
    checkCount(node, 'cores', accept, 1);
    checkCount(node, 'threadsPerCore', accept, 1);
    checkCount(node, 'numaNodes', accept, 1);
    checkCount(node, 'hypervisorCores', accept, 0);
    checkSize(node, 'memory', accept);
    checkSize(node, 'hypervisorMemory', accept, 'hypervisor_memory', true);
    // The reserve against the hardware, each value the block's own or else its model's (a host
    // that sets only its reserve is checked against its model's cores): reported on the block
    // when one of the pair is its own (a model's own pair is reported on the model).
    const coresText = node.cores ?? model?.cores, tpcText = node.threadsPerCore ?? model?.threadsPerCore;
    const hvCoresText = node.hypervisorCores ?? model?.hypervisorCores;
    if (hvCoresText !== undefined && coresText !== undefined && (node.hypervisorCores !== undefined || node.cores !== undefined || node.threadsPerCore !== undefined)) {
        const cores = validCount(coresText), tpc = validCount(tpcText) ?? 1, hvCores = validCount(hvCoresText, 0);
        const vcpus = cores !== undefined ? cores * tpc : undefined;
        if (vcpus !== undefined && hvCores !== undefined && hvCores >= vcpus) {
            report(accept, 'error', IssueCodes.InvalidNumber, `hypervisor_cores (${hvCores}) leaves no vCPU of the ${vcpus} for instances`,
                { node, property: node.hypervisorCores !== undefined ? 'hypervisorCores' : node.cores !== undefined ? 'cores' : 'threadsPerCore' });
        }
    }
    const memoryText = node.memory ?? model?.memory, hvMemoryText = node.hypervisorMemory ?? model?.hypervisorMemory;
    if (hvMemoryText !== undefined && memoryText !== undefined && (node.hypervisorMemory !== undefined || node.memory !== undefined)) {
        const memory = validSize(memoryText), hvMemory = validSize(hvMemoryText, true);
        if (memory !== undefined && hvMemory !== undefined && hvMemory >= memory) {
            report(accept, 'error', IssueCodes.InvalidNumber, `hypervisor_memory leaves no memory of the ${memoryText} for instances`,
                { node, property: node.hypervisorMemory !== undefined ? 'hypervisorMemory' : 'memory' });
        }
    }
}

/**
 * Langium's validation registry with a synchronous wrapper around each check: Langium wraps
 * every check in two async functions (a promise chain per check call, per node), which was a
 * visible share of validating thousands of host blocks. An exception thrown by a check is
 * contained: logged with its stack (containment.ts) and reported as an `internal-error` on the
 * node (the document builder keeps the first per document); a cancellation is rethrown, and a
 * check that returns a promise gets the same handling when it settles.
 */
export class DcplanValidationRegistry extends ValidationRegistry {
    protected override wrapValidationException(check: ValidationCheck, thisObj: unknown): ValidationCheck {
        const fail = (err: unknown, accept: ValidationAcceptor, node: AstNode): void => {
            if (isOperationCancelled(err)) throw err;
            logInternalError(`checking a ${node.$type} of ${AstUtils.findRootNode(node).$document?.uri.toString() ?? 'a document'}`, err);
            const message = internalErrorDiagnostic(`in the check of a ${node.$type} (${describeError(err)})`).message;
            accept('error', message, { node, code: IssueCodes.InternalError, data: { code: IssueCodes.InternalError } } as never);
        };
        return (node, accept, cancelToken) => {
            try {
                const result = check.call(thisObj, node, accept, cancelToken) as unknown;
                if (result instanceof Promise) return result.catch(err => fail(err, accept, node));
            } catch (err) {
                fail(err, accept, node);
            }
            return undefined;
        };
    }
}

/**
 * Langium's document validator, with the stable codes of the spec on its own diagnostics:
 * `syntax-error` for lexing and parsing errors, `unresolved-name` for linking errors.
 */
export class DcplanDocumentValidator extends DefaultDocumentValidator {
    private readonly keywords: ReadonlySet<string>;

    constructor(services: LangiumServices) {
        super(services);
        this.keywords = new Set(AstUtils.streamAllContents(services.Grammar).filter(GrammarAST.isKeyword).map(k => k.value).toArray());
    }

    /**
     * Langium's walk over every AST node (the shared flat list of `flattenAst`, same order), without
     * two awaits per node: our checks are synchronous, so a node's checks run in one go (a check
     * that returns a promise is still awaited) and the cancellation token is looked at every
     * INTERRUPT_EVERY + 1 nodes (`interruptAndCheck` also yields to the event loop when the
     * period has passed). Same nodes, same order, same checks as the default.
     */
    protected override async validateAstNodes(rootNode: AstNode, options: ValidationOptions, acceptor: ValidationAcceptor, cancelToken: Cancellation.CancellationToken = Cancellation.CancellationToken.None): Promise<void> {
        const registry = this.validationRegistry;
        const { nodes, ends } = flattenAst(rootNode);
        // the checks of each node type, asked of the registry once per walk (it builds a stream per call)
        const checksOf = new Map<string, ValidationCheck[]>();
        let checked = 0;
        for (let k = 0; k < nodes.length;) {
            if ((checked++ & INTERRUPT_EVERY) === 0) await interruptAndCheck(cancelToken);
            const node = nodes[k];
            const nodeOptions = this.validateSingleNodeOptions(node, options);
            if (nodeOptions.validateNode) {
                let checks = checksOf.get(node.$type);
                if (!checks) checksOf.set(node.$type, checks = registry.getChecks(node.$type, options.categories).toArray());
                for (let c = 0; c < checks.length; c++) {
                    const pending = checks[c](node, acceptor, cancelToken) as unknown;
                    if (pending instanceof Promise) await pending;
                }
            }
            k = nodeOptions.validateChildren ? k + 1 : ends[k];
        }
    }

    /**
     * Langium's, with at most `MAX_DIAGNOSTICS` diagnostics and one "N more" after them, in the
     * order found (Langium spreads the list into one call).
     */
    protected override async validateAst(rootNode: AstNode, options: ValidationOptions, cancelToken?: Cancellation.CancellationToken): Promise<Diagnostic[]> {
        const all = await super.validateAst(rootNode, options, cancelToken);
        if (all.length <= MAX_DIAGNOSTICS) return all;
        const kept = all.slice(0, MAX_DIAGNOSTICS);
        const next = all[MAX_DIAGNOSTICS];
        kept.push({ severity: next.severity, range: next.range, message: moreDiagnostics(all.length - MAX_DIAGNOSTICS), code: IssueCodes.LimitExceeded, source: next.source, data: { code: IssueCodes.LimitExceeded } });
        return kept;
    }

    /** At most `MAX_SYNTAX_ERRORS` lexer errors (the cap is shared with the parser's). */
    protected override processLexingErrors(parseResult: ParseResult, diagnostics: Diagnostic[], options: ValidationOptions): void {
        super.processLexingErrors({ ...parseResult, lexerErrors: parseResult.lexerErrors.slice(0, MAX_SYNTAX_ERRORS) }, diagnostics, options);
    }

    /**
     * Parser errors up to `MAX_SYNTAX_ERRORS` with the lexer's, then one diagnostic "N more syntax
     * errors not shown" where the first one left out is (or at the last one shown).
     */
    protected override processParsingErrors(parseResult: ParseResult, diagnostics: Diagnostic[], options: ValidationOptions): void {
        const room = Math.max(0, MAX_SYNTAX_ERRORS - parseResult.lexerErrors.length);
        const shown = parseResult.parserErrors.slice(0, room);
        super.processParsingErrors({ ...parseResult, parserErrors: shown }, diagnostics, options);
        const more = parseResult.lexerErrors.length + parseResult.parserErrors.length - MAX_SYNTAX_ERRORS;
        if (more <= 0) return;
        const lexed = parseResult.lexerErrors[MAX_SYNTAX_ERRORS];
        const first = parseResult.parserErrors[room]?.token;
        let range = diagnostics.at(-1)?.range ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
        if (lexed && lexed.line !== undefined && lexed.column !== undefined) {
            range = { start: { line: lexed.line - 1, character: lexed.column - 1 }, end: { line: lexed.line - 1, character: lexed.column - 1 + lexed.length } };
        } else if (first && !isNaN(first.startOffset)) {
            range = { start: { line: first.startLine! - 1, character: first.startColumn! - 1 }, end: { line: first.endLine! - 1, character: first.endColumn! } };
        }
        diagnostics.push({ severity: 1, range, message: moreSyntaxErrors(more), code: IssueCodes.SyntaxError, source: this.getSource(), data: { code: IssueCodes.SyntaxError } });
    }

    override async validateDocument(document: LangiumDocument, options?: ValidationOptions, cancelToken?: Cancellation.CancellationToken): Promise<Diagnostic[]> {
        const diagnostics = await super.validateDocument(document, options, cancelToken);
        const text = document.textDocument.getText();
        for (const d of diagnostics) {
            const code = (d.data as { code?: string } | undefined)?.code;
            if (code === DocumentValidator.LexingError) {
                d.code = IssueCodes.SyntaxError;
                const at = document.textDocument.offsetAt(d.range.start);
                d.message = rewriteLexerMessage(d.message, text.slice(at, at + 2));
            } else if (code === DocumentValidator.ParsingError) {
                d.code = IssueCodes.SyntaxError;
                const start = document.textDocument.offsetAt(d.range.start);
                const end = document.textDocument.offsetAt(d.range.end);
                d.message = rewriteParserMessage(d.message, text.slice(start, end), this.keywords);
            } else if (code === DocumentValidator.LinkingError) {
                d.code = IssueCodes.UnresolvedName;
                const ref = (d.data as { refText?: string; containerType?: string }).refText;
                const kind = /HostModel|model/.test(d.message) ? 'model' : 'shape';
                d.message = `unknown ${kind} '${ref}'`;
            }
        }
        return diagnostics;
    }
}
