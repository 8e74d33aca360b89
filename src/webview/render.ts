/**
 * The preview's renderer: pure functions from a `PlanReport` to HTML (the webview and the HTML
 * export) and to SVG (the SVG export). No DOM, no vscode: the webview bundle, the extension and
 * the CLI all import it.
 *
 * Every string that comes from the user's file (plan title, names, messages, paths) goes through
 * `escapeHtml`. Bar widths are classes (`w-123` = 12.3%) from a static stylesheet, so the HTML
 * needs no `style` attribute and works under the webview's strict CSP (no 'unsafe-inline').
 */
import type {
    HostFigures,
    PlanReport,
    ReportDiagnostic,
    RoleFigures,
    Severity
} from '../planner/report.js';
import { formatNPlus1, formatPercent, formatTolerates } from '../planner/format.js';
import type { ExactView } from '../protocol.js';
import { EXACT_MARK, exactBadge, renderExact } from './exact-badge.js';
import { escapeHtml } from './escape.js';
import { gib, gibApart } from './gib.js';
import {
    DAY2_CSS,
    hostDay2Labels,
    moveIndex,
    movedMarker,
    movedTitle,
    renderMoves,
    drainedUtil,
    drainPinnedText,
    type MoveIndex
} from './day2.js';

type Role = 'proxy' | 'director' | 'backend';
const ROLES: readonly Role[] = ['proxy', 'director', 'backend'];

export interface RenderOptions {
    /** The current text has syntax errors: the placement shown is the last good one. */
    readonly stale?: boolean;
    /** Above this many hosts, hosts are compact table rows instead of cards (default 200). */
    readonly compactThreshold?: number;
    /** Render clickable elements (webview). The exports render the same markup, inert. */
    readonly interactive?: boolean;
    /**
     * The exact-placement state of the preview: a badge (solving, proved optimal, gap at the time
     * limit, unavailable) and, when interactive, the "Exact placement" toggle. Absent: neither.
     */
    readonly exact?: ExactView;
}

export { escapeHtml };

/** Width class for a fraction 0–1 (per mille, clamped). */
function w(fraction: number): string {
    const permille = Math.max(
        0,
        Math.min(1000, Math.floor((Number.isFinite(fraction) ? fraction : 0) * 1000))
    );
    return `w-${permille}`;
}

function plural(n: number, one: string, many = one + 's'): string {
    return `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;
}

const num = (n: number): string => n.toLocaleString('en-US');

/**
 * The roles a plan deploys (at least one instance, placed or not): a loss line names only these,
 * so a plan without directors does not show "director 0%" on every host.
 */
export function rolesInPlan(report: PlanReport): Role[] {
    return ROLES.filter(r => (report.roles[r]?.instances ?? 0) > 0);
}

/** Shape → role/cores/memory, from the report's per-role shapes. */
interface ShapeInfo {
    readonly role: Role;
    readonly cores: number;
    readonly memoryGiB: number;
}

function shapeIndex(report: PlanReport): Map<string, ShapeInfo> {
    const shapes = new Map<string, ShapeInfo>();
    for (const role of ROLES) {
        for (const s of report.roles[role]?.shapes ?? [])
            shapes.set(s.shape, { role, cores: s.cores, memoryGiB: s.memoryGiB });
    }
    return shapes;
}

/** `proxy_1c-12` → `proxy_1c` (instances are `<shape>-<k>`; shapes may contain `-`). */
export function shapeOfInstance(instance: string): string {
    const i = instance.lastIndexOf('-');
    return i > 0 && /^\d+$/.test(instance.slice(i + 1)) ? instance.slice(0, i) : instance;
}

function severityCounts(diags: readonly ReportDiagnostic[]): Record<Severity, number> {
    const c: Record<Severity, number> = { error: 0, warning: 0, info: 0, hint: 0 };
    for (const d of diags) c[d.severity] = (c[d.severity] ?? 0) + 1;
    return c;
}

const SEVERITY_ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2, hint: 3 };
const SEVERITY_MARK: Record<Severity, string> = { error: '✖', warning: '⚠', info: 'ℹ', hint: '…' };

function revealAttrs(interactive: boolean, attrs: Record<string, string | number>): string {
    if (!interactive) return '';
    return (
        Object.entries(attrs)
            .map(([k, v]) => ` data-${k}="${escapeHtml(v)}"`)
            .join('') + ' tabindex="0" role="button"'
    );
}

// ---------------------------------------------------------------------------------------------
// HTML

/** The body of the preview: header, summary, unplaced, hosts, roles, totals, diagnostics. */
export function renderReport(report: PlanReport, options: RenderOptions = {}): string {
    const interactive = options.interactive ?? false;
    const threshold = options.compactThreshold ?? 200;
    const shapes = shapeIndex(report);
    const out: string[] = [];
    const counts = severityCounts(report.diagnostics);
    const totalInstances = ROLES.reduce((n, r) => n + (report.roles[r]?.instances ?? 0), 0);
    const moves = moveIndex(report);

    out.push('<header class="head">');
    if (interactive && options.exact) {
        const on = options.exact.state !== 'off';
        out.push(
            `<label class="exact-toggle" title="Replace the placement by the exact (HiGHS) one, proved optimal or with its gap"><input type="checkbox" data-action="toggle-exact"${on ? ' checked' : ''}> Exact placement</label>`
        );
    }
    // day 2: the quick action of "dcplan: Save Current Placement" (a virtual plan has a placement to lock)
    if (interactive && report.platform !== 'physical')
        out.push(
            '<button type="button" class="save-placement" data-action="save-placement" title="Write this placement to the plan\'s lock file (plan.dcplan.lock): what runs now">Save Current Placement</button>'
        );
    out.push(
        `<h1 class="title">${escapeHtml(report.title ?? report.plan ?? baseName(report.file))}</h1>`
    );
    const sub: string[] = [];
    if (report.plan) sub.push(`plan <code>${escapeHtml(report.plan)}</code>`);
    sub.push(escapeHtml(baseName(report.file)));
    sub.push(
        report.platform === 'physical' ? 'physical machines' : plural(report.hosts.length, 'host')
    );
    out.push(`<div class="sub">${sub.join(' · ')}</div>`);
    out.push('</header>');

    if (options.stale) {
        out.push(
            '<div class="notice stale" role="status">The file has syntax errors: showing the last good placement. Fix the errors to update it.</div>'
        );
    }

    // Status line: placement + diagnostics at a glance.
    out.push('<section class="status">');
    out.push(renderExact(options.exact, interactive));
    if (report.unplaced.length > 0) {
        const why =
            report.unplacedReason === 'fragmentation'
                ? report.fragmentationProved
                    ? ' — the total fits, the pieces do not'
                    : ' — the total fits; not proved that the pieces cannot'
                : report.unplacedReason === 'total-short'
                  ? ' — not enough capacity'
                  : '';
        out.push(
            `<div class="badge bad">✖ ${plural(report.unplaced.length, 'instance')} unplaced (${plural(report.totals.unplacedCores, 'core')})${escapeHtml(why)}</div>`
        );
    } else if (totalInstances > 0) {
        // all placed is no good news while pins overcommit a host (its error says so too)
        const over = report.hosts.filter(
            h =>
                h.overcommitted ||
                h.usedCores > h.usableCores ||
                h.usedMemoryGiB > h.usableMemoryGiB
        ).length;
        const placed =
            report.platform === 'physical'
                ? `${plural(totalInstances, 'instance')}, each its own machine`
                : `all ${plural(totalInstances, 'instance')} placed`;
        out.push(
            over > 0
                ? `<div class="badge bad">✖ ${plural(over, 'host')} overcommitted by pins; ${placed}</div>`
                : `<div class="badge good">✔ ${placed}</div>`
        );
    } else {
        out.push('<div class="badge">No instances deployed yet</div>');
    }
    if (report.hostFailure) {
        const hf = report.hostFailure;
        const cls = hf.tolerates >= 1 ? 'good' : 'warn';
        out.push(
            `<div class="badge ${cls}">${hf.tolerates >= 1 ? '✔' : '⚠'} survives ${escapeHtml(formatTolerates(hf))}; ${escapeHtml(formatNPlus1(hf))}</div>`
        );
    }
    out.push(
        `<div class="badge diag-count">${counts.error} ${counts.error === 1 ? 'error' : 'errors'} · ${counts.warning} ${counts.warning === 1 ? 'warning' : 'warnings'} · ${counts.info} info</div>`
    );
    out.push('</section>');

    out.push(renderTotals(report));

    if (report.unplaced.length > 0) {
        out.push('<section class="unplaced"><h2>Unplaced instances</h2><ul class="chips">');
        for (const u of report.unplaced) {
            const role = shapes.get(u.shape)?.role;
            out.push(
                `<li class="chip role-${role ?? 'none'}"${revealAttrs(interactive, { kind: 'instance', name: u.instance })} title="${escapeHtml(`${u.instance}: ${u.cores} cores, ${gib(u.memoryGiB)} GiB — click to show its deploy line`)}"><b>${escapeHtml(u.instance)}</b> ${num(u.cores)} cores · ${escapeHtml(gib(u.memoryGiB))} GiB</li>`
            );
        }
        out.push('</ul></section>');
    }

    if (report.platform !== 'physical') {
        out.push(
            `<section class="hosts"><h2>Hosts <span class="legend">${ROLES.map(r => `<span class="key role-${r}"></span>${r}`).join(' ')} <span class="key reserve"></span>hypervisor reserve <span class="key free"></span>free</span></h2>`
        );
        if (report.hosts.length === 0)
            out.push(
                '<p class="muted">No hosts: add <code>host</code> blocks to place the instances.</p>'
            );
        else if (report.hosts.length > threshold)
            out.push(renderHostRows(report, shapes, interactive, moves));
        else {
            out.push('<div class="cards">');
            const present = rolesInPlan(report);
            for (const h of report.hosts)
                out.push(renderHostCard(h, shapes, interactive, present, moves));
            out.push('</div>');
        }
        out.push('</section>');
    } else {
        out.push(
            '<section class="hosts"><h2>Hosts</h2><p class="muted">Physical plan: every instance is its own machine, nothing to place.</p></section>'
        );
    }

    out.push(renderMoves(report, interactive));
    out.push(renderRoles(report));
    out.push(renderDiagnostics(report, interactive));
    return out.join('\n');
}

function baseName(file: string): string {
    const clean = file.replace(/[?#].*$/, '');
    const i = Math.max(clean.lastIndexOf('/'), clean.lastIndexOf('\\'));
    try {
        return decodeURIComponent(clean.slice(i + 1));
    } catch {
        return clean.slice(i + 1);
    }
}

function renderHostCard(
    h: HostFigures,
    shapes: Map<string, ShapeInfo>,
    interactive: boolean,
    present: readonly Role[],
    moves: MoveIndex | undefined
): string {
    const out: string[] = [];
    const over =
        h.usedCores > h.usableCores || h.usedMemoryGiB > h.usableMemoryGiB || h.overcommitted;
    const totalV = Math.max(1, h.usableCores + h.hypervisorCores, h.usedCores + h.hypervisorCores);
    const usableScale = Math.max(1, h.usableCores, h.usedCores);
    out.push(
        `<article class="host${over ? ' over' : ''}${h.instances.length === 0 ? ' empty' : ''}" data-host="${escapeHtml(h.name)}">`
    );
    out.push(
        `<div class="host-head"><span class="host-name"${revealAttrs(interactive, { kind: 'host', name: h.name })} title="${escapeHtml(`Host ${h.name} — click to show its definition`)}">${escapeHtml(h.name)}</span>`
    );
    if (h.rack) out.push(`<span class="rack">rack ${escapeHtml(h.rack)}</span>`);
    out.push(hostDay2Labels(h, moves));
    const util = h.usableCores > 0 ? h.usedCores / h.usableCores : 0;
    out.push(
        (drainedUtil(h) ??
            `<span class="util">${num(h.usedCores)} / ${num(h.usableCores)} vCPUs · ${escapeHtml(formatPercent(util))}</span>`) +
            '</div>'
    );

    // CPU bar: VMs over the usable vCPUs, then the reserve apart.
    out.push('<div class="barline" aria-label="vCPUs">');
    out.push(`<div class="bar cpu ${w(usableScale / totalV)}">`);
    let used = 0;
    for (const inst of h.instances) {
        const info = shapes.get(shapeOfInstance(inst));
        const cores = info?.cores ?? 0;
        used += cores;
        const tip = `${inst} · ${info?.role ?? '?'} · ${cores} vCPU${cores === 1 ? '' : 's'} · ${gib(info?.memoryGiB ?? 0)} GiB${movedTitle(moves, inst)}`;
        const marker = movedMarker(moves, inst);
        out.push(
            `<span class="seg role-${info?.role ?? 'none'} ${w(cores / usableScale)} ${labelClass(inst, (cores / usableScale) * (usableScale / totalV))}${marker ? ' moved' : ''}"${revealAttrs(interactive, { kind: 'instance', name: inst })} title="${escapeHtml(tip)}">${marker}<span class="full">${escapeHtml(inst)}</span><span class="short">${escapeHtml(shortLabel(inst))}</span></span>`
        );
    }
    if (used < usableScale)
        out.push(
            `<span class="seg free ${w((usableScale - used) / usableScale)}" title="${escapeHtml(`${usableScale - used} vCPUs free`)}">${usableScale - used > 1 ? escapeHtml(`${usableScale - used} free`) : ''}</span>`
        );
    out.push('</div>');
    if (h.hypervisorCores > 0)
        out.push(
            `<div class="bar reserve ${w(h.hypervisorCores / totalV)}" title="${escapeHtml(`${h.hypervisorCores} cores kept for the hypervisor`)}">hv ${num(h.hypervisorCores)}</div>`
        );
    out.push('</div>');

    // Memory bar: per role.
    const memScale = Math.max(1, h.usableMemoryGiB, h.usedMemoryGiB);
    const memTotal = memScale + h.hypervisorMemoryGiB;
    const memByRole: Record<Role, number> = { proxy: 0, director: 0, backend: 0 };
    for (const inst of h.instances) {
        const info = shapes.get(shapeOfInstance(inst));
        if (info) memByRole[info.role] += info.memoryGiB;
    }
    out.push('<div class="barline mem" aria-label="memory">');
    out.push(`<div class="bar memory ${w(memScale / memTotal)}">`);
    for (const r of ROLES)
        if (memByRole[r] > 0)
            out.push(
                `<span class="seg role-${r} ${w(memByRole[r] / memScale)}" title="${escapeHtml(`${r}: ${gib(memByRole[r])} GiB`)}"></span>`
            );
    out.push('</div>');
    if (h.hypervisorMemoryGiB > 0)
        out.push(
            `<div class="bar reserve ${w(h.hypervisorMemoryGiB / memTotal)}" title="${escapeHtml(`${gib(h.hypervisorMemoryGiB)} GiB kept for the hypervisor`)}"></div>`
        );
    out.push('</div>');
    out.push(
        `<div class="memtext">memory ${escapeHtml(gibApart(h.usedMemoryGiB, h.usableMemoryGiB))} GiB${h.hypervisorMemoryGiB > 0 ? ` (+${escapeHtml(gib(h.hypervisorMemoryGiB))} GiB hypervisor)` : ''}</div>`
    );

    // What it runs, as counts per shape.
    const perShape = new Map<string, number>();
    for (const inst of h.instances)
        perShape.set(shapeOfInstance(inst), (perShape.get(shapeOfInstance(inst)) ?? 0) + 1);
    out.push(
        `<div class="runs">${perShape.size === 0 ? '<span class="muted">runs nothing</span>' : [...perShape].map(([s, n]) => `<span class="role-text-${shapes.get(s)?.role ?? 'none'}">${n}× ${escapeHtml(s)}</span>`).join(', ')}</div>`
    );

    const li = h.lossImpact;
    const parts = present.map(r => `${r} ${escapeHtml(formatPercent(li[r]))}`).join(', ');
    out.push(
        `<div class="loss${li.sessions >= 0.5 ? ' high' : ''}">If lost: <b>${escapeHtml(formatPercent(li.sessions))} of sessions</b>${parts ? ` <span class="muted">(${parts})</span>` : ''}</div>`
    );
    if (over)
        out.push(
            drainPinnedText(h) ??
                '<div class="overtext">✖ overcommitted: its pins need more than it has usable</div>'
        );
    out.push('</article>');
    return out.join('');
}

/** The instance number of `<shape>-<k>`: the segment's label when the full name does not fit. */
function shortLabel(instance: string): string {
    const i = instance.lastIndexOf('-');
    return i > 0 ? instance.slice(i + 1) : instance;
}

/** Card widths (px) at which a segment can show the instance's full name (container queries). */
const LABEL_WIDTHS = [300, 360, 420, 480, 560, 640, 760, 900] as const;

/**
 * The class that says from which card width a VM segment shows its full name: the segment is
 * `fraction` of the bar, the name needs about 6.3 px a character plus padding.
 */
function labelClass(instance: string, fraction: number): string {
    const needed = (instance.length * 6.3 + 7) / Math.max(fraction, 1e-6) + 24;
    const width = LABEL_WIDTHS.find(px => px >= needed);
    return width ? `lbl-${width}` : 'lbl-never';
}

function renderHostRows(
    report: PlanReport,
    shapes: Map<string, ShapeInfo>,
    interactive: boolean,
    moves: MoveIndex | undefined
): string {
    const out: string[] = [];
    out.push(`<p class="muted">${num(report.hosts.length)} hosts: shown as compact rows.</p>`);
    out.push(
        '<table class="compact"><thead><tr><th>host</th><th>rack</th><th>vCPUs used / usable</th><th class="barcol">placement</th><th>memory GiB</th><th>if lost</th></tr></thead><tbody>'
    );
    for (const h of report.hosts) {
        const byRole: Record<Role, number> = { proxy: 0, director: 0, backend: 0 };
        for (const inst of h.instances) {
            const info = shapes.get(shapeOfInstance(inst));
            if (info) byRole[info.role] += info.cores;
        }
        const scale = Math.max(1, h.usableCores, h.usedCores);
        const bar = ROLES.filter(r => byRole[r] > 0)
            .map(r => `<span class="seg role-${r} ${w(byRole[r] / scale)}"></span>`)
            .join('');
        const over = h.usedCores > h.usableCores || h.overcommitted;
        out.push(
            `<tr${over ? ' class="over"' : ''}><td><span class="host-name"${revealAttrs(interactive, { kind: 'host', name: h.name })}>${escapeHtml(h.name)}</span> ${hostDay2Labels(h, moves)}</td><td>${escapeHtml(h.rack ?? '')}</td><td class="n">${num(h.usedCores)} / ${num(h.usableCores)}</td><td class="barcol"><div class="bar mini">${bar}</div></td><td class="n">${escapeHtml(gibApart(h.usedMemoryGiB, h.usableMemoryGiB))}</td><td class="n">${escapeHtml(formatPercent(h.lossImpact.sessions))}</td></tr>`
        );
    }
    out.push('</tbody></table>');
    return out.join('');
}

function coresEach(f: RoleFigures): string {
    if (f.shapes.length === 0) return '—';
    return f.shapes
        .map(
            s =>
                `<span class="shape-entry" data-shape="${escapeHtml(s.shape)}">${num(s.instances)} × ${num(s.cores)} <span class="muted">(${escapeHtml(s.shape)})</span></span>`
        )
        .join('<br>');
}

function renderRoles(report: PlanReport): string {
    const out: string[] = [];
    out.push(
        '<section class="roles"><h2>Roles</h2><div class="scroll-x"><table><thead><tr><th>role</th><th>instances</th><th>cores each</th><th>total cores</th><th>demand</th><th>maintenance impact</th><th>hosts used</th><th>most on one host</th><th>memory GiB</th></tr></thead><tbody>'
    );
    for (const r of ROLES) {
        const f = report.roles[r];
        // a role neither deployed nor asked for has no row (as in the CLI's table)
        if (!f || (f.instances === 0 && f.demandCores === null)) continue;
        const short = f.demandCores !== null && f.cores < f.demandCores;
        out.push(
            `<tr><td><span class="key role-${r}"></span>${r}</td><td class="n">${num(f.instances)}</td><td class="n">${coresEach(f)}</td><td class="n">${num(f.cores)}${f.unplacedCores > 0 ? ` <span class="bad-text">(${num(f.unplacedCores)} unplaced)</span>` : ''}</td><td class="n${short ? ' bad-text' : ''}">${f.demandCores === null ? '—' : num(f.demandCores)}</td><td class="n">${f.instances > 0 ? escapeHtml(formatPercent(f.maintenanceImpact)) : '—'}</td><td class="n">${num(f.hostsUsed)}</td><td class="n">${num(f.maxOnOneHost)}</td><td class="n">${escapeHtml(gib(f.memoryGiB))}</td></tr>`
        );
    }
    out.push('</tbody></table></div></section>');
    return out.join('');
}

function renderTotals(report: PlanReport): string {
    const t = report.totals;
    const cells: [string, string, string?][] = [
        ['demand', t.demandCores === null ? '—' : num(t.demandCores)],
        [
            'deployed',
            num(t.deployedCores),
            t.demandCores !== null && t.deployedCores < t.demandCores ? 'bad-text' : undefined
        ],
        ['usable', num(t.usableCores), t.usableCores < t.deployedCores ? 'bad-text' : undefined],
        ['physical', num(t.physicalCores)],
        ['placed', num(t.placedCores)],
        ['unplaced', num(t.unplacedCores), t.unplacedCores > 0 ? 'bad-text' : undefined]
    ];
    return (
        '<section class="totals"><div class="scroll-x"><table><thead><tr><th>cores</th>' +
        cells.map(c => `<th>${c[0]}</th>`).join('') +
        '</tr></thead><tbody><tr><td>vCPUs</td>' +
        cells.map(c => `<td class="n${c[2] ? ' ' + c[2] : ''}">${c[1]}</td>`).join('') +
        `</tr><tr><td>memory GiB</td><td class="n">—</td><td class="n">${escapeHtml(gib(t.deployedMemoryGiB ?? 0))}</td><td class="n">${escapeHtml(gib(t.usableMemoryGiB ?? 0))}</td><td class="n">—</td><td class="n">—</td><td class="n">—</td></tr></tbody></table></div></section>`
    );
}

function renderDiagnostics(report: PlanReport, interactive: boolean): string {
    const out: string[] = [];
    const diags = [...report.diagnostics].sort(
        (a, b) =>
            SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
            a.line - b.line ||
            a.column - b.column
    );
    out.push(`<section class="diagnostics"><h2>Diagnostics</h2>`);
    if (diags.length === 0) out.push('<p class="muted">No findings.</p>');
    else {
        out.push('<ul class="diags">');
        for (const d of diags) {
            const where = `${d.file ? baseName(d.file) + ':' : ''}${d.line}:${d.column}`;
            out.push(
                `<li class="diag sev-${d.severity}"${revealAttrs(interactive, { line: d.line, column: d.column, ...(d.file ? { file: d.file } : {}) })}><span class="mark">${SEVERITY_MARK[d.severity] ?? ''}</span> <span class="code">${escapeHtml(d.code || d.severity)}</span> <span class="where">${escapeHtml(where)}</span> <span class="msg">${escapeHtml(d.message)}</span></li>`
            );
        }
        out.push('</ul>');
    }
    out.push('</section>');
    return out.join('');
}

// ---------------------------------------------------------------------------------------------
// CSS (the webview injects it with a nonce; the HTML export inlines it)

function widthRules(): string {
    const rules: string[] = [];
    for (let i = 0; i <= 1000; i++) rules.push(`.w-${i}{width:${i / 10}%}`);
    return rules.join('');
}

/** The preview's stylesheet. VS Code's theme variables, with fallbacks for the standalone export. */
export const REPORT_CSS = `
:root{--fg:var(--vscode-editor-foreground,#1f2328);--bg:var(--vscode-editor-background,#ffffff);--muted:var(--vscode-descriptionForeground,#656d76);
--border:var(--vscode-panel-border,var(--vscode-widget-border,#d0d7de));--hover:var(--vscode-list-hoverBackground,#eaeef2);
--proxy:var(--vscode-charts-blue,#1a85ff);--director:var(--vscode-charts-purple,#8250df);--backend:var(--vscode-charts-green,#2da44e);
--err:var(--vscode-errorForeground,#cf222e);--warn:var(--vscode-editorWarning-foreground,#bf8700);--info:var(--vscode-editorInfo-foreground,#0969da);
--free:var(--vscode-editorWidget-background,#f6f8fa);--focus:var(--vscode-focusBorder,#0969da);--font:var(--vscode-font-family,system-ui,-apple-system,"Segoe UI",sans-serif);
--mono:var(--vscode-editor-font-family,ui-monospace,Menlo,Consolas,monospace)}
body{color:var(--fg);background:var(--bg);font-family:var(--font);font-size:13px;margin:0;padding:12px 16px 40px;line-height:1.4}
h1.title{font-size:1.45em;margin:0 0 2px;font-weight:600;overflow-wrap:anywhere}
h2{font-size:1.1em;margin:18px 0 8px;font-weight:600;border-bottom:1px solid var(--border);padding-bottom:3px}
.sub,.muted{color:var(--muted)} code{font-family:var(--mono)}
.notice{margin:10px 0;padding:8px 10px;border:1px solid var(--warn);border-left-width:4px;border-radius:3px}
.notice.stale{position:sticky;top:0;z-index:2;background:var(--bg);font-weight:600}
.status{display:flex;flex-wrap:wrap;gap:6px;margin:10px 0}
.badge{padding:3px 9px;border-radius:10px;border:1px solid var(--border);font-weight:600}
.exact-toggle{float:right;display:flex;gap:5px;align-items:center;padding:2px 8px;border:1px solid var(--border);border-radius:4px;cursor:pointer;user-select:none;margin-left:10px}
.exact-toggle input{margin:0;accent-color:var(--focus)}
.badge.exact .exact-detail{font-weight:normal} .badge.exact.solving{border-style:dashed;color:var(--muted)}
.spinner{display:inline-block;width:9px;height:9px;margin-right:6px;border:2px solid var(--muted);border-top-color:transparent;border-radius:50%;animation:dcspin .9s linear infinite;vertical-align:-1px}
@keyframes dcspin{to{transform:rotate(360deg)}}
@media (prefers-reduced-motion:reduce){.spinner{animation:none}}
.badge.good{border-color:var(--backend);color:var(--fg)} .badge.bad{border-color:var(--err);color:var(--err)} .badge.warn{border-color:var(--warn)}
table{border-collapse:collapse;margin:4px 0;font-variant-numeric:tabular-nums}
th,td{border:1px solid var(--border);padding:3px 8px;text-align:left;vertical-align:top} th{font-weight:600;background:var(--free)} td.n{text-align:right}
.bad-text{color:var(--err);font-weight:600}
/* A table wider than the preview scrolls sideways; shadows at the edges say there is more (they
   move with the content: "local" covers, "scroll" shadows, no script needed, the export too). */
.scroll-x{overflow-x:auto;max-width:100%;background:linear-gradient(to right,var(--bg) 50%,transparent) left/40px 100% no-repeat local,
linear-gradient(to left,var(--bg) 50%,transparent) right/40px 100% no-repeat local,
radial-gradient(farthest-side at 0 50%,color-mix(in srgb,var(--fg) 45%,transparent),transparent) left/12px 100% no-repeat scroll,
radial-gradient(farthest-side at 100% 50%,color-mix(in srgb,var(--fg) 45%,transparent),transparent) right/12px 100% no-repeat scroll}
.scroll-x>table{margin:4px 0} .scroll-x th{background:color-mix(in srgb,var(--free) 85%,transparent)}
.roles td:first-child{white-space:nowrap} .roles th{white-space:normal;min-width:4em} .roles td .muted{white-space:nowrap}
.legend{font-weight:normal;font-size:.85em;color:var(--muted);margin-left:10px}
.key{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 4px 0 6px;vertical-align:-1px;border:1px solid var(--border)}
.key.role-proxy,.seg.role-proxy,.chip.role-proxy{background:var(--proxy)} .key.role-director,.seg.role-director,.chip.role-director{background:var(--director)}
.key.role-backend,.seg.role-backend,.chip.role-backend{background:var(--backend)}
.key.reserve,.bar.reserve{background:repeating-linear-gradient(135deg,color-mix(in srgb,var(--muted) 35%,transparent) 0 2px,transparent 2px 6px);border-style:dashed;border-color:var(--muted)} .key.free,.seg.free{background:var(--free)}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(330px,1fr));gap:10px}
.host{border:1px solid var(--border);border-radius:4px;padding:8px 10px;background:var(--bg)} .host.over{border-color:var(--err);border-width:2px}
.host-head{display:flex;gap:8px;align-items:baseline;margin-bottom:5px} .host-name{font-weight:700;font-size:1.1em;font-family:var(--mono)}
.rack{color:var(--muted)} .util{margin-left:auto;font-variant-numeric:tabular-nums}
.barline{display:flex;gap:4px;align-items:stretch;margin:2px 0}
.bar{display:flex;height:22px;border:1px solid var(--border);border-radius:3px;overflow:hidden;box-sizing:border-box}
.barline.mem .bar{height:9px}
.bar.reserve{color:var(--muted);font-size:10px;font-weight:600;display:flex;align-items:center;justify-content:center;white-space:nowrap;overflow:hidden}
.seg{box-sizing:border-box;height:100%;border-right:1px solid var(--bg);color:var(--bg);font-size:10.5px;line-height:20px;padding:0 3px;white-space:nowrap;overflow:hidden;text-overflow:clip;font-family:var(--mono)}
.seg.free{color:var(--muted);border-right:none;text-align:center}
.seg .full{display:none} .host{container-type:inline-size}
${LABEL_WIDTHS.map(px => `@container (min-width:${px}px){.lbl-${px} .full{display:inline}.lbl-${px} .short{display:none}}`).join('\n')}
.memtext{font-size:.85em;color:var(--muted)} .runs{margin-top:4px;font-size:.92em}
.role-text-proxy,.role-text-director,.role-text-backend{font-family:var(--mono)}
.loss{margin-top:3px} .loss.high b{color:var(--err)} .overtext{color:var(--err);font-weight:600}
.chips{list-style:none;padding:0;margin:0;display:flex;flex-wrap:wrap;gap:6px}
.chip{color:var(--bg);padding:3px 9px;border-radius:4px;outline:2px dashed var(--err);outline-offset:1px}
.diags{list-style:none;padding:0;margin:0} .diag{padding:3px 6px;border-radius:3px;display:flex;gap:6px;align-items:baseline}
.diag .code{font-family:var(--mono);font-weight:600;white-space:nowrap} .diag .where{color:var(--muted);font-family:var(--mono);white-space:nowrap}
.sev-error .mark,.sev-error .code{color:var(--err)} .sev-warning .mark,.sev-warning .code{color:var(--warn)} .sev-info .mark,.sev-info .code{color:var(--info)}
[role=button]{cursor:pointer} [role=button]:hover{filter:brightness(1.15)} .diag[role=button]:hover,.host-name[role=button]:hover{background:var(--hover);filter:none}
[role=button]:focus-visible{outline:2px solid var(--focus);outline-offset:1px}
table.compact td{padding:1px 6px} .barcol{width:40%} .bar.mini{height:12px;width:100%}
tr.over td{color:var(--err)}
/* High contrast: every VM segment is framed in the theme's contrast border, so two adjacent
   segments of one role (backend_8c-1, backend_8c-2) read as two. */
body.vscode-high-contrast .seg:not(.free),body.vscode-high-contrast-light .seg:not(.free){border:1px solid var(--vscode-contrastBorder,var(--fg));border-right-width:3px;line-height:18px}
body.vscode-high-contrast .bar,body.vscode-high-contrast-light .bar{border-color:var(--vscode-contrastBorder,var(--fg))}
.synced{outline:2px solid var(--focus);outline-offset:2px} .seg.synced{outline-offset:-2px}
@media (prefers-color-scheme:dark){body.standalone{--fg:#e6edf3;--bg:#0d1117;--muted:#9198a1;--border:#3d444d;--free:#161b22;--hover:#262c36;--proxy:#4493f8;--director:#ab7df8;--backend:#3fb950;--err:#f85149;--warn:#d29922;--info:#4493f8}}
${widthRules()}
${DAY2_CSS}`;

/** A standalone HTML document of the report (the "Save Preview as HTML" export, `dcplan place --format html`). */
export function renderStandaloneHtml(report: PlanReport, options: RenderOptions = {}): string {
    const title = report.title ?? report.plan ?? baseName(report.file);
    return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} — dcplan</title>
<style>${REPORT_CSS}</style></head>
<body class="standalone">
${renderReport(report, { ...options, interactive: false })}
</body></html>
`;
}

// ---------------------------------------------------------------------------------------------
// SVG

const SVG_COLORS: Record<Role | 'free' | 'reserve', string> = {
    proxy: '#1a85ff',
    director: '#8250df',
    backend: '#2da44e',
    free: '#eef1f4',
    reserve: '#b8bec6'
};

/** The placement as a standalone SVG: one row per host (CPU and memory bars), unplaced, totals. */
export function renderSvg(
    report: PlanReport,
    options: { readonly exact?: ExactView } = {}
): string {
    const shapes = shapeIndex(report);
    const width = 900,
        left = 120,
        barW = 540,
        rowH = 44,
        top = 92;
    const hosts = report.hosts;
    const maxV = Math.max(
        1,
        ...hosts.map(h => Math.max(h.usableCores, h.usedCores) + h.hypervisorCores)
    );
    const out: string[] = [];
    const unplacedY = top + hosts.length * rowH + 16;
    const unplacedLines = report.unplaced.length > 0 ? Math.ceil(report.unplaced.length / 6) : 0;
    const rolesY = unplacedY + (unplacedLines > 0 ? 24 + unplacedLines * 18 : 0) + 10;
    const height = rolesY + 4 * 20 + 20;
    const t = report.totals;
    out.push(
        `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="system-ui, sans-serif" font-size="12">`
    );
    out.push(`<rect width="${width}" height="${height}" fill="#ffffff"/>`);
    out.push(
        `<text x="16" y="28" font-size="18" font-weight="600" fill="#1f2328">${escapeHtml(report.title ?? report.plan ?? baseName(report.file))}</text>`
    );
    const exact = exactBadge(options.exact);
    if (exact)
        out.push(
            `<text x="${width - 16}" y="28" text-anchor="end" font-weight="600" fill="${exact.cls === 'good' ? '#1a7f37' : exact.cls === 'bad' ? '#cf222e' : exact.cls === 'warn' ? '#9a6700' : '#656d76'}">${escapeHtml(`${EXACT_MARK[exact.cls] ? EXACT_MARK[exact.cls] + ' ' : ''}exact placement: ${exact.text}`)}<title>${escapeHtml(exact.detail)}</title></text>`
        );
    out.push(
        `<text x="16" y="48" fill="#656d76">${escapeHtml(`${baseName(report.file)} · demand ${t.demandCores ?? 'not stated'} · deployed ${t.deployedCores} · usable ${t.usableCores} · physical ${t.physicalCores} cores · ${t.unplacedCores > 0 ? `${report.unplaced.length} instances unplaced (${t.unplacedCores} cores)` : 'all placed'}`)}</text>`
    );
    let lx = 16;
    for (const k of [...ROLES, 'reserve', 'free'] as const) {
        out.push(
            `<rect x="${lx}" y="62" width="12" height="12" fill="${SVG_COLORS[k]}" stroke="#8c959f" stroke-width="0.5"/><text x="${lx + 16}" y="72" fill="#1f2328">${k === 'reserve' ? 'hypervisor reserve' : k}</text>`
        );
        lx += k === 'reserve' ? 140 : 80;
    }
    if (report.platform === 'physical')
        out.push(
            `<text x="16" y="${top + 10}" fill="#656d76">Physical plan: every instance is its own machine.</text>`
        );
    hosts.forEach((h, i) => {
        const y = top + i * rowH;
        const scale = barW / maxV;
        out.push(
            `<g class="host"><text x="16" y="${y + 15}" font-weight="600" font-family="monospace">${escapeHtml(h.name)}</text>`
        );
        if (h.rack)
            out.push(
                `<text x="16" y="${y + 30}" fill="#656d76" font-size="10.5">${escapeHtml(`rack ${h.rack}`)}</text>`
            );
        let x = left;
        for (const inst of h.instances) {
            const info = shapes.get(shapeOfInstance(inst));
            const cw = (info?.cores ?? 0) * scale;
            out.push(
                `<rect x="${x.toFixed(1)}" y="${y + 2}" width="${Math.max(0, cw - 1).toFixed(1)}" height="20" fill="${info ? SVG_COLORS[info.role] : '#999'}"><title>${escapeHtml(`${inst} · ${info?.cores ?? '?'} vCPUs`)}</title></rect>`
            );
            if (cw > inst.length * 6.2 + 4)
                out.push(
                    `<text x="${(x + 3).toFixed(1)}" y="${y + 16}" fill="#ffffff" font-size="10.5" font-family="monospace">${escapeHtml(inst)}</text>`
                );
            x += cw;
        }
        const usableEnd = left + Math.max(h.usableCores, h.usedCores) * scale;
        if (x < usableEnd)
            out.push(
                `<rect x="${x.toFixed(1)}" y="${y + 2}" width="${(usableEnd - x).toFixed(1)}" height="20" fill="${SVG_COLORS.free}"/>`
            );
        out.push(
            `<rect x="${left}" y="${y + 2}" width="${(usableEnd - left).toFixed(1)}" height="20" fill="none" stroke="${h.usedCores > h.usableCores || h.overcommitted ? '#cf222e' : '#8c959f'}" stroke-width="${h.usedCores > h.usableCores || h.overcommitted ? 2 : 0.8}"/>`
        );
        if (h.hypervisorCores > 0)
            out.push(
                `<rect x="${(usableEnd + 4).toFixed(1)}" y="${y + 2}" width="${(h.hypervisorCores * scale).toFixed(1)}" height="20" fill="${SVG_COLORS.reserve}"><title>${escapeHtml(`${h.hypervisorCores} cores for the hypervisor`)}</title></rect>`
            );
        // memory bar
        const memScale =
            barW /
            Math.max(
                1,
                h.usableMemoryGiB + h.hypervisorMemoryGiB,
                h.usedMemoryGiB + h.hypervisorMemoryGiB
            );
        let mx = left;
        for (const r of ROLES) {
            const roleGiB = h.instances.reduce((s, inst) => {
                const info = shapes.get(shapeOfInstance(inst));
                return s + (info?.role === r ? info.memoryGiB : 0);
            }, 0);
            if (roleGiB > 0) {
                out.push(
                    `<rect x="${mx.toFixed(1)}" y="${y + 25}" width="${(roleGiB * memScale).toFixed(1)}" height="7" fill="${SVG_COLORS[r]}" opacity="0.75"/>`
                );
                mx += roleGiB * memScale;
            }
        }
        const memEnd = left + Math.max(h.usableMemoryGiB, h.usedMemoryGiB) * memScale;
        if (mx < memEnd)
            out.push(
                `<rect x="${mx.toFixed(1)}" y="${y + 25}" width="${(memEnd - mx).toFixed(1)}" height="7" fill="${SVG_COLORS.free}"/>`
            );
        const tx = left + barW + 60;
        out.push(
            `<text x="${tx}" y="${y + 14}" fill="#1f2328" font-size="11">${escapeHtml(`${h.usedCores}/${h.usableCores} vCPU · ${gib(h.usedMemoryGiB)}/${gib(h.usableMemoryGiB)} GiB`)}</text>`
        );
        out.push(
            `<text x="${tx}" y="${y + 29}" fill="${h.lossImpact.sessions >= 0.5 ? '#cf222e' : '#656d76'}" font-size="11">${escapeHtml(`if lost: ${formatPercent(h.lossImpact.sessions)} of sessions`)}</text>`
        );
        out.push('</g>');
    });
    if (report.unplaced.length > 0) {
        out.push(
            `<text x="16" y="${unplacedY + 12}" font-weight="600" fill="#cf222e">Unplaced</text>`
        );
        report.unplaced.forEach((u, i) => {
            out.push(
                `<text x="${16 + (i % 6) * 145}" y="${unplacedY + 30 + Math.floor(i / 6) * 18}" font-family="monospace" fill="#cf222e">${escapeHtml(`${u.instance} (${u.cores}c)`)}</text>`
            );
        });
    }
    out.push(
        `<text x="16" y="${rolesY + 12}" font-weight="600" fill="#1f2328">role · instances · cores · demand · maintenance impact · most on one host</text>`
    );
    ROLES.forEach((r, i) => {
        const f = report.roles[r];
        if (!f) return;
        out.push(
            `<text x="16" y="${rolesY + 32 + i * 20}" fill="#1f2328"><tspan fill="${SVG_COLORS[r]}" font-weight="600">${r}</tspan>${escapeHtml(` · ${f.instances} · ${f.cores} · ${f.demandCores ?? '—'} · ${f.instances > 0 ? formatPercent(f.maintenanceImpact) : '—'} · ${f.maxOnOneHost}`)}</text>`
        );
    });
    out.push('</svg>');
    return out.join('\n');
}
