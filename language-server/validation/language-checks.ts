/**
 * The checker of `.dcplan` documents: the language's own checks (units, counts, names, ranges,
 * limits, imports) on each node, and on the whole file the rulebook of `src/planner/rules.ts`,
 * whose findings `findings-to-diagnostics.ts` reports (spec, "Checks"). Repeated attributes are
 * found by the fast path of `../overrides/attribute-scan.ts`.
 */
import {
    AstUtils,
    GrammarUtils,
    type AstNode,
    type FileSystemNode,
    type LangiumDocument,
    type URI,
    UriUtils,
    type ValidationAcceptor,
    type ValidationChecks
} from 'langium';
import type {
    DcplanAstType,
    Deploy,
    Host,
    HostModel,
    HostName,
    Import,
    Plan,
    PlanFile,
    Shape,
    Workload
} from '../generated/ast.js';
import { isDeploy, isHost, isHostModel } from '../generated/ast.js';
import type { DcplanServices } from '../dcplan-module.js';
import { IssueCodes } from '../../src/planner/findings.js';
import { DOVECOT_VERSIONS } from '../../src/planner/model.js';
import { LIMITS, numaNodesError, parseCount, parseSize, validCount, validSize } from '../values.js';
import { hostNameCount, isName, isPlanBlock } from '../model-builder.js';
import {
    backslashHint,
    importGraph,
    importUri,
    resolveImports,
    shapesUsedInWorkspace
} from '../imports.js';
import { isPlanPath } from '../plan-files.js';
import { PlanFileSystemProvider, readFailure } from '../plan-file-system.js';
import {
    AttributeScanner,
    checkDuplicateAttributes,
    hardwareSet,
    set,
    type CstScan,
    HARDWARE_ATTRIBUTES,
    PLAN_ATTRIBUTES,
    SHAPE_ATTRIBUTES,
    WORKLOAD_ATTRIBUTES
} from '../overrides/attribute-scan.js';
import { reportFindings } from './findings-to-diagnostics.js';
import { attributeName, report } from './report.js';
import { byKind, checkImportClashes, forEachName } from './names.js';
import { hasSyntaxErrorIn } from './syntax-errors.js';

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

/** Checks of the language itself, node by node, and the rulebook on the whole file. */
export class DcplanValidator {
    /** The repeated-attribute scanner of this validator (its caches live as long as the services). */
    private readonly attributes = new AttributeScanner();

    checkPlanFile(file: PlanFile, accept: Accept, services: DcplanServices): void {
        // `plan plan { … }` reads as the keyword `plan` alone (error recovery stops there) and a
        // nameless `plan { … }`: only the second is a block, so the syntax error stays alone
        const plans = file.elements.filter(isPlanBlock);
        for (const extra of plans.slice(1)) {
            const first = isName(plans[0].name)
                ? plans[0].name
                : `on line ${(plans[0].$cstNode?.range.start.line ?? 0) + 1}`;
            report(
                accept,
                'error',
                IssueCodes.MultiplePlans,
                `at most one plan block per file (the first is ${first})`,
                { node: extra, property: isName(extra.name) ? 'name' : undefined }
            );
        }
        this.checkDuplicateNames(file, accept, services);
        const document = AstUtils.getDocument(file);
        const analysis = services.analysis.PlanAnalyzer.analyze(document);
        this.checkLimits(file, accept);
        if (analysis.built.model.settings.platform === 'physical') {
            for (const e of file.elements) {
                if (isHost(e) || isHostModel(e)) {
                    const name = isHost(e)
                        ? e.names
                              .filter(n => isName(n.name))
                              .map(writtenName)
                              .join(', ')
                        : isName(e.name)
                          ? e.name
                          : '';
                    report(
                        accept,
                        'warning',
                        IssueCodes.PhysicalHostsIgnored,
                        `${name ? `${isHost(e) ? 'host' : 'model'} ${name}` : `this ${isHost(e) ? 'host' : 'model'} block`} is ignored: with platform = physical every instance is its own machine`,
                        isHost(e)
                            ? { node: e.names[0] ?? e }
                            : { node: e, property: isName(e.name) ? 'name' : undefined }
                    );
                }
            }
        }
        // a shape of a library file is used when a file importing it deploys or pins it
        const importersUse = (uri: URI) =>
            shapesUsedInWorkspace(uri, services.shared.workspace.LangiumDocuments).used;
        reportFindings(analysis, document, file, accept, importersUse);
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
        checkImportClashes(document, services, accept);
        const seen = new Map<string, Map<string, AstNode>>();
        for (const e of file.elements) {
            forEachName(e, (kind, name, node) => {
                const names = byKind(seen, kind);
                const from = importedNames.get(kind)?.get(name);
                const info = node === e ? { node: e, property: 'name' } : { node };
                if (names.has(name)) {
                    report(
                        accept,
                        'error',
                        IssueCodes.DuplicateName,
                        `duplicate ${kind} name '${name}'`,
                        info
                    );
                } else if (from) {
                    report(
                        accept,
                        'error',
                        IssueCodes.DuplicateName,
                        `${kind} '${name}' is also declared in ${from}`,
                        info
                    );
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
                report(
                    accept,
                    'error',
                    IssueCodes.LimitExceeded,
                    `the plan passes ${LIMITS.hostsPerPlan.toLocaleString('en-US')} hosts here (${(hosts + named).toLocaleString('en-US')}): this host block is left out`,
                    { node: e.names[0] ?? e }
                );
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
                report(
                    accept,
                    'error',
                    IssueCodes.LimitExceeded,
                    `the plan passes ${LIMITS.instancesPerPlan.toLocaleString('en-US')} instances here (${total.toLocaleString('en-US')}): this deployment is left out`,
                    { node: d, property: 'count' }
                );
                return;
            }
        }
    }

    checkPlan(plan: Plan, accept: Accept): void {
        checkDuplicateAttributes(
            plan,
            accept,
            this.attributes.scan(
                plan,
                set(plan.title) +
                    set(plan.dovecot) +
                    set(plan.platform) +
                    set(plan.mailStorage) +
                    set(plan.tolerateHostFailures) +
                    set(plan.rebalanceMoves)
            ),
            PLAN_ATTRIBUTES
        );
        if (plan.dovecot !== undefined) {
            const v = plan.dovecot;
            if (!(DOVECOT_VERSIONS as readonly string[]).includes(v)) {
                const quoted = DOVECOT_VERSIONS.map(x => `"${x}"`);
                report(
                    accept,
                    'error',
                    IssueCodes.InvalidValue,
                    `unknown Dovecot version "${v}": ${quoted.slice(0, -1).join(', ')} or ${quoted.at(-1)}`,
                    { node: plan, property: 'dovecot' }
                );
            }
        }
        checkEnum(plan, 'platform', ['virtual', 'physical'], accept);
        checkEnum(plan, 'mailStorage', ['block', 'object'], accept, 'mail_storage');
        if (plan.tolerateHostFailures !== undefined) {
            const n = checkCount(plan, 'tolerateHostFailures', accept, 0);
            if (n !== undefined && n > 2) {
                report(
                    accept,
                    'error',
                    IssueCodes.InvalidNumber,
                    `tolerate_host_failures is 0, 1 or 2 (${n} given)`,
                    { node: plan, property: 'tolerateHostFailures' }
                );
            }
        }
        if (plan.rebalanceMoves !== undefined) checkCount(plan, 'rebalanceMoves', accept, 0);
    }

    checkWorkload(w: Workload, accept: Accept): void {
        checkDuplicateAttributes(
            w,
            accept,
            this.attributes.scan(w, set(w.sessions) + set(w.activeUsers) + w.demands.length),
            WORKLOAD_ATTRIBUTES
        );
        if (w.sessions !== undefined) checkCount(w, 'sessions', accept, 0);
        if (w.activeUsers !== undefined) checkCount(w, 'activeUsers', accept, 0);
        const roles = new Set<string>();
        for (const d of w.demands) {
            if (!checkEnum(d, 'role', ['proxy', 'director', 'backend'], accept)) continue;
            if (roles.has(d.role))
                report(
                    accept,
                    'error',
                    IssueCodes.DuplicateAttribute,
                    `${d.role} is given twice in ${isName(w.name) ? `workload ${w.name}` : 'this workload'}`,
                    { node: d, property: 'role' }
                );
            roles.add(d.role);
            checkCount(d, 'cores', accept, 1);
            if (d.memory !== undefined) checkSize(d, 'memory', accept);
        }
    }

    checkShape(shape: Shape, accept: Accept): void {
        checkDuplicateAttributes(
            shape,
            accept,
            this.attributes.scan(
                shape,
                set(shape.role) +
                    set(shape.cores) +
                    set(shape.memory) +
                    set(shape.loginProcesses) +
                    set(shape.loginMode) +
                    set(shape.localDisk)
            ),
            SHAPE_ATTRIBUTES
        );
        const missing = (['role', 'cores', 'memory'] as const).filter(p => shape[p] === undefined);
        if (missing.length > 0 && !hasSyntaxErrorIn(shape)) {
            report(
                accept,
                'error',
                IssueCodes.MissingAttribute,
                `${isName(shape.name) ? `shape ${shape.name}` : 'this shape'} needs ${missing.join(', ')}`,
                { node: shape, property: isName(shape.name) ? 'name' : undefined }
            );
        }
        const roleOk =
            shape.role !== undefined &&
            checkEnum(shape, 'role', ['proxy', 'director', 'backend'], accept);
        if (shape.cores !== undefined) checkCount(shape, 'cores', accept, 1);
        if (shape.memory !== undefined) checkSize(shape, 'memory', accept);
        if (shape.loginProcesses !== undefined) checkCount(shape, 'loginProcesses', accept, 1);
        if (shape.loginMode !== undefined)
            checkEnum(shape, 'loginMode', ['performance', 'security'], accept, 'login_mode');
        if (shape.localDisk !== undefined) checkSize(shape, 'localDisk', accept, 'local_disk');
        if (roleOk && shape.role === 'backend') {
            for (const p of ['loginProcesses', 'loginMode'] as const) {
                if (shape[p] !== undefined)
                    report(
                        accept,
                        'warning',
                        IssueCodes.AttributeNotForRole,
                        `${p === 'loginProcesses' ? 'login_processes' : 'login_mode'} applies to proxies and directors, not to backends`,
                        { node: shape, property: p }
                    );
            }
        }
        if (roleOk && shape.role !== 'backend' && shape.localDisk !== undefined) {
            report(
                accept,
                'warning',
                IssueCodes.AttributeNotForRole,
                `local_disk applies to backends (fscache/metacache), not to ${shape.role === 'proxy' ? 'proxies' : 'directors'}`,
                { node: shape, property: 'localDisk' }
            );
        }
    }

    checkDeploy(d: Deploy, accept: Accept): void {
        const n = checkCount(d, 'count', accept, 1);
        if (n !== undefined && n > LIMITS.instancesPerDeployment) {
            report(
                accept,
                'error',
                IssueCodes.LimitExceeded,
                `at most ${LIMITS.instancesPerDeployment.toLocaleString('en-US')} instances in a deployment (${n.toLocaleString('en-US')} given)`,
                { node: d, property: 'count' }
            );
        }
        // Rings are the directors' (spec, `deploy … ring`): on a proxy or a backend the clause
        // would be ignored without a word; reported on `ring <name>`, the clause its fix removes.
        const shape = d.shape?.ref;
        const role = shape?.role;
        const kw =
            d.ring !== undefined ? GrammarUtils.findNodeForKeyword(d.$cstNode, 'ring') : undefined;
        const ring = kw ? GrammarUtils.findNodeForProperty(d.$cstNode, 'ring') : undefined;
        if (shape && ring && kw && d.ring && (role === 'proxy' || role === 'backend'))
            report(
                accept,
                'warning',
                IssueCodes.RingNotForRole,
                `ring applies to directors, not to ${role === 'proxy' ? 'proxies' : 'backends'}: ${shape.name} is a ${role} shape, so ring ${d.ring} is ignored`,
                {
                    node: d,
                    range: { start: kw.range.start, end: ring.range.end },
                    data: { shape: shape.name, role, ring: d.ring }
                }
            );
    }

    checkHostModel(m: HostModel, accept: Accept): void {
        checkHardware(m, accept, this.attributes.scan(m, hardwareSet(m)));
    }

    checkHost(h: Host, accept: Accept): void {
        // `runs = …` is one assignment however many pins it lists
        const scan = this.attributes.scan(
            h,
            hardwareSet(h) + set(h.rack) + set(h.drain) + (h.pins.length > 0 ? 1 : 0)
        );
        checkDuplicateAttributes(h, accept, scan, ['rack', 'drain']);
        if (h.drain !== undefined) checkEnum(h, 'drain', ['true', 'false'], accept);
        const model = h.model?.ref;
        checkHardware(h, accept, scan, model);
        const missing =
            h.cores !== undefined && h.memory !== undefined
                ? NONE_MISSING
                : (['cores', 'memory'] as const).filter(
                      p => h[p] === undefined && model?.[p] === undefined
                  );
        if (
            missing.length > 0 &&
            // a model that does not resolve is its own error (unresolved-name), not this one
            (h.model === undefined || model !== undefined) &&
            h.names.length > 0 &&
            h.names.every(n => isName(n.name)) &&
            !hasSyntaxErrorIn(h)
        ) {
            report(
                accept,
                'error',
                IssueCodes.MissingAttribute,
                `host ${h.names.map(writtenName).join(', ')} needs ${missing.join(' and ')}${h.model ? ` (not in model ${h.model.$refText} either)` : ''}`,
                { node: h.names[0] }
            );
        }
        const runs = scan.keywords.get('runs');
        if (runs)
            for (const extra of runs.slice(1))
                accept('error', 'runs is given twice: list every pin in one runs = …', {
                    node: h,
                    range: extra.range,
                    code: IssueCodes.DuplicateAttribute,
                    data: { code: IssueCodes.DuplicateAttribute }
                } as never);
        for (const p of h.pins) {
            const n = checkCount(p, 'count', accept, 1);
            if (n !== undefined && n > LIMITS.instancesPerDeployment) {
                report(
                    accept,
                    'error',
                    IssueCodes.LimitExceeded,
                    `at most ${LIMITS.instancesPerDeployment.toLocaleString('en-US')} instances in a pin`,
                    { node: p, property: 'count' }
                );
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
            report(
                accept,
                'error',
                IssueCodes.HostRange,
                `the range ${hn.name}[${hn.from}..${hn.to}] is reversed: it names no host (write ${hn.name}[${hn.to}..${hn.from}])`,
                { node: hn }
            );
        } else if (to - from + 1 > LIMITS.hostsPerRange) {
            report(
                accept,
                'error',
                IssueCodes.LimitExceeded,
                `the range ${hn.name}[${hn.from}..${hn.to}] names ${(to - from + 1).toLocaleString('en-US')} hosts: at most ${LIMITS.hostsPerRange.toLocaleString('en-US')} in a range`,
                { node: hn }
            );
        }
    }

    checkImport(imp: Import, accept: Accept, services: DcplanServices): void {
        const document = AstUtils.getDocument(imp);
        const uri = importUri(imp, document.uri);
        // `import` without a path (error recovery): the syntax error says what is missing
        if (!uri) return;
        const documents = services.shared.workspace.LangiumDocuments;
        if (uri.toString() === document.uri.toString()) {
            report(accept, 'error', IssueCodes.ImportCycle, `a file cannot import itself`, {
                node: imp,
                property: 'path'
            });
            return;
        }
        if (imp.path.trim() === '') {
            report(
                accept,
                'error',
                IssueCodes.ImportMissing,
                `an import needs the path of a .dcplan file`,
                { node: imp, property: 'path' }
            );
            return;
        }
        // Only .dcplan files are plans: another file is never read as one (spec, "Elements").
        const plan = isPlanPath(imp.path);
        const imported = plan ? documents.getDocument(uri) : undefined;
        if (!imported) {
            // not in the workspace: one look at the file system says why
            let node: FileSystemNode | undefined;
            let failed: unknown;
            try {
                node = services.shared.workspace.FileSystemProvider.statSync(uri);
            } catch (e) {
                failed = e;
            }
            const why = node?.isDirectory
                ? `${imp.path} is a directory, not a .dcplan file`
                : !plan
                  ? `${imp.path} is not a .dcplan file: only plans can be imported`
                  : !node
                    ? // a link loop or a folder without permission is there, but cannot be read
                      failed &&
                      (failed as NodeJS.ErrnoException).code !== 'ENOENT' &&
                      (failed as NodeJS.ErrnoException).code
                        ? `cannot read ${imp.path}: ${readFailure(failed)}`
                        : `cannot find ${imp.path} (looked for ${uri.fsPath})${backslashHint(imp)}`
                    : !node.isFile
                      ? `${imp.path} is not a regular file (a pipe, a device or a socket): only plan files can be imported`
                      : `${imp.path} exists but is not loaded in the workspace (open the folder that holds it)`;
            report(accept, 'error', IssueCodes.ImportMissing, why, { node: imp, property: 'path' });
            return;
        }
        // a file on disk that read as empty (permission denied, not text): say so, not nothing
        const fsp = services.shared.workspace.FileSystemProvider;
        const unreadable =
            fsp instanceof PlanFileSystemProvider &&
            !services.shared.workspace.TextDocuments?.get(uri.toString())
                ? fsp.unreadable(uri)
                : undefined;
        if (unreadable) {
            report(
                accept,
                'error',
                IssueCodes.ImportMissing,
                `cannot read ${imp.path}: ${unreadable}`,
                {
                    node: imp,
                    property: 'path'
                }
            );
            return;
        }
        // The imported file's own syntax errors: its elements may be missing from this plan, so
        // they are reported here too (findings about imported elements go on the import line).
        const { lexerErrors, parserErrors } = imported.parseResult;
        const syntax = [
            ...lexerErrors.map(e => ({ line: e.line, column: e.column })),
            ...parserErrors.map(e => ({ line: e.token.startLine, column: e.token.startColumn }))
        ]
            .filter(p => p.line !== undefined && !Number.isNaN(p.line))
            .sort((a, b) => a.line! - b.line! || (a.column ?? 0) - (b.column ?? 0));
        const errorCount = lexerErrors.length + parserErrors.length;
        if (errorCount > 0) {
            const first = syntax[0];
            report(
                accept,
                'error',
                IssueCodes.SyntaxError,
                `in ${imp.path}: ${errorCount} syntax error${errorCount === 1 ? '' : 's'}${first ? `, the first at ${first.line}:${first.column}` : ''}: its elements may be missing from this plan`,
                { node: imp, property: 'path' }
            );
        }
        // A cycle: the imported file imports this one, directly or through its own imports.
        // (one graph per workspace state: a walk per import was quadratic on long import chains)
        const back = importGraph(services.shared).cycleBack(imported, document);
        if (back) {
            report(
                accept,
                'error',
                IssueCodes.ImportCycle,
                `import cycle: ${imp.path} imports this file${back.uri.toString() === uri.toString() ? '' : ` through ${back.uri.path.split('/').pop()}`}`,
                { node: imp, property: 'path' }
            );
            return;
        }
        checkShapesOfImport(
            imp,
            document,
            imported as LangiumDocument<PlanFile>,
            importGraph(services.shared).visible(document),
            accept
        );
    }
}

/**
 * The deployments and pins of an imported file whose shapes that file imports from a file this
 * one does not import: imports are not transitive, so those shapes are not part of this plan and
 * the deployments and pins would be left out of it without a word. One `import-missing` error per
 * such file, on the import, naming the shapes and the import to add.
 */
function checkShapesOfImport(
    imp: Import,
    document: LangiumDocument,
    imported: LangiumDocument<PlanFile>,
    visible: ReadonlySet<string>,
    accept: Accept
): void {
    // shape names per file they are declared in, in the order met
    const missing = new Map<string, { uri: URI; shapes: string[] }>();
    const use = (shape: Shape | undefined) => {
        if (!shape) return;
        const from = AstUtils.getDocument(shape).uri;
        if (visible.has(from.toString())) return;
        let m = missing.get(from.toString());
        if (!m) missing.set(from.toString(), (m = { uri: from, shapes: [] }));
        if (!m.shapes.includes(shape.name)) m.shapes.push(shape.name);
    };
    for (const e of imported.parseResult.value.elements) {
        if (isDeploy(e)) use(e.shape?.ref);
        else if (isHost(e)) for (const p of e.pins) use(p.shape?.ref);
    }
    const here = UriUtils.dirname(document.uri);
    for (const { uri, shapes } of missing.values()) {
        const rel = UriUtils.relative(here, uri);
        report(
            accept,
            'error',
            IssueCodes.ImportMissing,
            `in ${imp.path}: deployments or pins use ${shapes.length === 1 ? 'shape' : 'shapes'} ${shapes.join(', ')} of ${rel}, which this file does not import (imports are not transitive): add import "${rel}"`,
            { node: imp, property: 'path', data: { importPath: rel } }
        );
    }
}

/**
 * A host name as written: `hv01`, or the range `hv[01..04]` — the text itself (white space
 * made single spaces), so that a range the parser recovered from (`d[0x1..3]`, read as far as
 * `d[0`) is quoted as the user wrote it, not as the values read.
 */
function writtenName(n: HostName): string {
    const text = n.$cstNode?.text.replace(/\s+/g, ' ').trim();
    if (text) return text;
    const name = n.name ?? '';
    return n.from !== undefined && n.to !== undefined ? `${name}[${n.from}..${n.to}]` : name;
}

/** Checks a whole count of `node[property]` against `min`; returns the value when valid. */
function checkCount(
    node: AstNode,
    property: string,
    accept: Accept,
    min: number
): number | undefined {
    const text = (node as unknown as Record<string, string | undefined>)[property];
    if (text === undefined) return undefined;
    const r = parseCount(text);
    if (r.ok && r.value >= min) return r.value;
    const name = attributeName(property);
    if (!r.ok) {
        report(accept, 'error', IssueCodes.InvalidNumber, `${name}: ${r.error}`, {
            node,
            property
        });
        return undefined;
    }
    if (r.value < min) {
        report(
            accept,
            'error',
            IssueCodes.InvalidNumber,
            `${name} must be ${min === 0 ? 'zero or more' : 'a positive whole number'} (${r.value} given)`,
            { node, property }
        );
        return undefined;
    }
    return r.value;
}

/** Checks a size (a unit is required, the value positive). */
function checkSize(
    node: AstNode,
    property: string,
    accept: Accept,
    label?: string,
    allowZero = false
): number | undefined {
    const text = (node as unknown as Record<string, string | undefined>)[property];
    if (text === undefined) return undefined;
    label ??= attributeName(property);
    const r = parseSize(text, label);
    if (!r.ok) {
        report(accept, 'error', r.unit ? IssueCodes.SizeUnit : IssueCodes.InvalidNumber, r.error, {
            node,
            property,
            data: r.fix ? { replacement: r.fix.text, guess: r.fix.guess } : undefined
        });
        return undefined;
    }
    if (r.value.gib < 0 || (r.value.gib === 0 && !allowZero)) {
        report(
            accept,
            'error',
            IssueCodes.InvalidNumber,
            `${label} must be ${allowZero ? 'zero or more' : 'positive'} (${text} given)`,
            { node, property }
        );
        return undefined;
    }
    return r.value.gib;
}

/** Checks an enumerated value; the grammar accepts any name so the message can list the valid ones. */
function checkEnum(
    node: AstNode,
    property: string,
    values: readonly string[],
    accept: Accept,
    label = property
): boolean {
    const v = (node as unknown as Record<string, string | undefined>)[property];
    if (v === undefined) return false;
    if (values.includes(v)) return true;
    report(
        accept,
        'error',
        IssueCodes.InvalidValue,
        `unknown ${label} '${v}': ${values.slice(0, -1).join(', ')} or ${values.at(-1)}`,
        { node, property }
    );
    return false;
}

/** The hardware attributes shared by `model` and `host` blocks. */
function checkHardware(
    node: Host | HostModel,
    accept: Accept,
    scan: CstScan,
    model?: HostModel
): void {
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
    const coresText = node.cores ?? model?.cores,
        tpcText = node.threadsPerCore ?? model?.threadsPerCore;
    const hvCoresText = node.hypervisorCores ?? model?.hypervisorCores;
    if (
        hvCoresText !== undefined &&
        coresText !== undefined &&
        (node.hypervisorCores !== undefined ||
            node.cores !== undefined ||
            node.threadsPerCore !== undefined)
    ) {
        const cores = validCount(coresText),
            tpc = validCount(tpcText) ?? 1,
            hvCores = validCount(hvCoresText, 0);
        const vcpus = cores !== undefined ? cores * tpc : undefined;
        if (vcpus !== undefined && hvCores !== undefined && hvCores >= vcpus) {
            report(
                accept,
                'error',
                IssueCodes.InvalidNumber,
                `hypervisor_cores (${hvCores}) leaves no vCPU of the ${vcpus} for instances`,
                {
                    node,
                    property:
                        node.hypervisorCores !== undefined
                            ? 'hypervisorCores'
                            : node.cores !== undefined
                              ? 'cores'
                              : 'threadsPerCore'
                }
            );
        }
    }
    // NUMA nodes against the cores, on the same terms (spec, "Elements")
    const numaText = node.numaNodes ?? model?.numaNodes;
    if (
        numaText !== undefined &&
        coresText !== undefined &&
        (node.numaNodes !== undefined || node.cores !== undefined)
    ) {
        const error = numaNodesError(validCount(numaText), validCount(coresText));
        if (error)
            report(accept, 'error', IssueCodes.InvalidNumber, error, {
                node,
                property: node.numaNodes !== undefined ? 'numaNodes' : 'cores'
            });
    }
    const memoryText = node.memory ?? model?.memory,
        hvMemoryText = node.hypervisorMemory ?? model?.hypervisorMemory;
    if (
        hvMemoryText !== undefined &&
        memoryText !== undefined &&
        (node.hypervisorMemory !== undefined || node.memory !== undefined)
    ) {
        const memory = validSize(memoryText),
            hvMemory = validSize(hvMemoryText, true);
        if (memory !== undefined && hvMemory !== undefined && hvMemory >= memory) {
            report(
                accept,
                'error',
                IssueCodes.InvalidNumber,
                `hypervisor_memory (${hvMemoryText}) leaves no memory of the ${memoryText} for instances`,
                {
                    node,
                    property: node.hypervisorMemory !== undefined ? 'hypervisorMemory' : 'memory'
                }
            );
        }
    }
}
