/**
 * The CLI's text output: the diagnostics as `file:line:col severity code message` (as compilers
 * print them), then tables in the spirit of the domain page's: per role (instances, cores each,
 * total, demand, maintenance impact), per host (used / usable cores and memory, the roles on it,
 * loss impact), totals and the host-failure figures.
 */
import { columns } from '../text-columns.js';
import { ROLES } from '../planner/model.js';
import { notShownCount } from '../../language-server/syntax-messages.js';
import type { PlanReport } from '../planner/report.js';
import {
    formatGiB,
    formatGiBApart,
    formatNPlus1,
    formatPercent,
    formatTolerates
} from '../planner/format.js';

/**
 * Makes text from a plan safe for a terminal: control characters (ESC, BEL, …) are shown as
 * `\xNN` escapes so a title cannot clear the screen or retitle the window.
 */
export function terminalSafe(text: string): string {
    return text.replace(
        // eslint-disable-next-line no-control-regex -- matching control characters is the point
        /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g,
        c => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0')
    );
}

/** Renders rows as a left/right aligned text table (numbers right-aligned). */
export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
    const widths = header.map((h, i) =>
        Math.max(columns(h), ...rows.map(r => columns(r[i] ?? '')))
    );
    // numbers, percentages (`< 0.1%`), ratios (`22/22`), the `-` of no value and a drained host's figures (`drained`, `8/0 drained`)
    const numeric = header.map(
        (_, i) =>
            rows.length > 0 &&
            rows.every(r => /^([-0-9.,%/ <>]*|([0-9.]+\/0 )?drained)$/.test(r[i] ?? ''))
    );
    const line = (cells: readonly string[]) =>
        cells
            .map((c, i) => {
                const pad = ' '.repeat(widths[i] - columns(c));
                return numeric[i] ? pad + c : c + pad;
            })
            .join('  ')
            .trimEnd();
    return [line(header), widths.map(w => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/** The diagnostics of a report, one line each: `file:line:col severity code message`. */
export function formatDiagnostics(report: PlanReport): string[] {
    return report.diagnostics.map(d =>
        terminalSafe(
            `${d.file ?? report.file}:${d.line}:${d.column} ${d.severity} ${d.code} ${d.message}`
        )
    );
}

/** How many hosts the host table lists before summarising the rest. */
const HOST_ROWS = 200;
/** Unplaced instances named in the text report (`deploy 1M x p` on one host named a million, 10 MB). */
const UNPLACED_NAMES = 50;

/** `==> file <==` before each report when several files are reported (as `head` and `tail` do); '' for one. */
export function fileHeader(file: string, several: boolean): string {
    return several ? terminalSafe(`==> ${file} <==`) + '\n' : '';
}

/** The whole text report of `dcplan check` (`withPlacement` adds the per-host instance lists of `dcplan place`). */
export function formatTextReport(report: PlanReport, withPlacement: boolean): string {
    const out: string[] = [];
    const title = report.plan
        ? `plan ${report.plan}${report.title ? ` — ${report.title}` : ''}`
        : report.file;
    out.push(terminalSafe(`${title} (${report.platform})`));
    const diags = formatDiagnostics(report);
    // a notice "N more … not shown" (the cap per file) is not one diagnostic more: its N are said apart
    let notShown = 0;
    const counted = report.diagnostics.filter(d => {
        const n = notShownCount(d);
        notShown += n ?? 0;
        return n === undefined;
    });
    const counts = ['error', 'warning', 'info', 'hint'].map(
        s => [s, counted.filter(d => d.severity === s).length] as const
    );
    out.push(
        counts.map(([s, n]) => `${n} ${s}${n === 1 ? '' : 's'}`).join(', ') +
            (notShown > 0 ? `; ${notShown} more cut, not shown (the last diagnostic says so)` : '')
    );
    if (diags.length > 0) out.push('', ...diags);

    out.push(
        '',
        table(
            [
                'role',
                'instances',
                'cores each',
                'total cores',
                'memory GiB',
                'demand',
                'maintenance impact',
                'most on one host'
            ],
            ROLES.filter(
                r => report.roles[r].instances > 0 || report.roles[r].demandCores !== null
            ).map(r => {
                const f = report.roles[r];
                const each = [...new Set(f.shapes.map(s => s.cores))].join('/');
                return [
                    r,
                    String(f.instances),
                    each || '-',
                    String(f.cores),
                    formatGiB(f.memoryGiB),
                    f.demandCores === null ? '-' : String(f.demandCores),
                    f.instances ? formatPercent(f.maintenanceImpact) : '-',
                    report.platform === 'physical' ? '-' : String(f.maxOnOneHost)
                ];
            })
        )
    );

    if (report.hosts.length > 0) {
        const rows = report.hosts.slice(0, HOST_ROWS).map(h => {
            const roles = ROLES.filter(r => h.roleCounts[r] > 0)
                .map(r => `${h.roleCounts[r]} ${r}`)
                .join(', ');
            // a drained host (day 2) has 0 usable by intent: say so; what its pins hold on it
            // (drain-pinned) is shown against that 0, without a CPU share of nothing
            if (h.drained)
                return [
                    h.name,
                    h.usedCores === 0 ? 'drained' : `${h.usedCores}/0 drained`,
                    h.usedCores === 0 ? 'drained' : `${formatGiB(h.usedMemoryGiB)}/0 drained`,
                    '-',
                    roles || '-',
                    formatPercent(h.lossImpact.sessions)
                ];
            return [
                h.name,
                `${h.usedCores}/${h.usableCores}`,
                formatGiBApart(h.usedMemoryGiB, h.usableMemoryGiB).join('/'),
                formatPercent(h.usableCores ? h.usedCores / h.usableCores : 0),
                roles || '-',
                formatPercent(h.lossImpact.sessions)
            ];
        });
        out.push(
            '',
            table(
                ['host', 'cores used/usable', 'GiB used/usable', 'cpu', 'runs', 'sessions if lost'],
                rows
            )
        );
        if (report.hosts.length > HOST_ROWS)
            out.push(
                `… and ${report.hosts.length - HOST_ROWS} more hosts (--format json lists all)`
            );
        if (withPlacement) {
            out.push('');
            for (const h of report.hosts)
                out.push(`${h.name}: ${h.instances.join(', ') || '(nothing)'}`);
        }
    }
    if (report.unplaced.length > 0) {
        const cores = report.unplaced.reduce((a, u) => a + u.cores, 0);
        const more = report.unplaced.length - UNPLACED_NAMES;
        const names = report.unplaced
            .slice(0, UNPLACED_NAMES)
            .map(u => u.instance)
            .join(', ');
        out.push(
            '',
            `unplaced (${cores} ${cores === 1 ? 'core' : 'cores'}${report.unplacedReason ? `, ${report.unplacedReason === 'fragmentation' ? (report.fragmentationProved ? 'the pieces do not fit' : 'the total fits, not proved that the pieces cannot') : 'the total is short'}` : ''}): ${names}${more > 0 ? ` and ${more} more (--format json lists all)` : ''}`
        );
    }
    const t = report.totals;
    const demand = t.demandCores === null ? 'not stated' : `${t.demandCores} cores`;
    out.push(
        '',
        `totals: demand ${demand}, deployed ${t.deployedCores}, usable ${t.usableCores}, physical ${t.physicalCores}; placed ${t.placedCores}, unplaced ${t.unplacedCores}`
    );
    if (report.hostFailure) {
        out.push(
            `host failure: tolerates ${formatTolerates(report.hostFailure)}; ${formatNPlus1(report.hostFailure)}`
        );
    }
    return out.join('\n');
}
