/**
 * Hover with the computed figures (Markdown), from the document's plan analysis:
 * - a shape (its name or a use of it): instances, total cores and memory, maintenance impact,
 *   where its instances went;
 * - a host name: usable and used vCPUs and memory, the instances placed on it, its loss impact
 *   (a range `hv[01..04]` gives one table row per host);
 * - a deployment line: its instances and where they went; a director ring name: its size against
 *   the page's 9;
 * - a model: its size, the hosts that use it and their usable vCPUs and memory;
 * - a workload's name: its demand per role against the deployed cores, and whether it is the peak
 *   (the governing workload) of each role;
 * - a workload's demand line, the plan's name: their figures.
 * Every hover ends with the section of the Dovecot page its rule comes from.
 */
import {
    AstUtils,
    CstUtils,
    GrammarUtils,
    type LangiumDocument,
    type MaybePromise,
    URI,
    UriUtils
} from 'langium';
import type { HoverProvider } from 'langium/lsp';
import type { Hover, HoverParams, Range } from 'vscode-languageserver';
import {
    type Demand,
    type Deploy,
    type HostModel,
    type HostName,
    isDemand,
    isDeploy,
    isHost,
    isHostModel,
    isHostName,
    isPin,
    isPlan,
    isShape,
    isWorkload,
    type Plan,
    type Workload
} from '../generated/ast.js';
import type { DcplanServices } from '../dcplan-module.js';
import type { PlanAnalysis } from '../analysis.js';
import {
    formatGiB,
    formatNPlus1,
    formatPercent,
    formatTolerates
} from '../../src/planner/format.js';
import { ROLES, type Host as ModelHost, type Role } from '../../src/planner/model.js';
import type { HostFigures } from '../../src/planner/report.js';
import { hostMovesLine } from '../../src/planner/migration-hosts.js';
import { MAX_RING } from '../../src/planner/split-choices.js';
import {
    cores,
    type DemandPeak,
    deploymentFigures,
    DOMAIN_PAGE,
    drainedStory,
    hostsOfName,
    instanceSummary,
    ringFigures,
    shapeFigures,
    SOURCE_SECTIONS,
    workloadFigures
} from './plan-figures.js';
import { markdownText } from './markdown.js';
import { shapesUsedInWorkspace } from '../imports.js';

/** "Source: Dovecot "Virtualised Architecture", section "…"." */
export function sourceLine(...sections: string[]): string {
    const quoted = sections.map(s => `"${s}"`);
    const list =
        quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}` : quoted[0];
    return `*Source: ${DOMAIN_PAGE}, ${sections.length > 1 ? 'sections' : 'section'} ${list}.*`;
}

/** How many hosts of a range a hover lists (a range may name 100,000). */
const HOVER_HOST_ROWS = 50;

/** `items` joined by commas, at most `HOVER_HOST_ROWS` of them, then "and N more" (5,000 hosts made a 50 KB hover). */
const upTo = (items: readonly string[]) =>
    items.length <= HOVER_HOST_ROWS
        ? items.join(', ')
        : `${items.slice(0, HOVER_HOST_ROWS).join(', ')} and ${items.length - HOVER_HOST_ROWS} more`;

const byHostText = (byHost: readonly (readonly [string, number])[]) =>
    markdownText(upTo(byHost.map(([h, n]) => `${h} ${n}`)));

/** The path of `to` from the folder of `from` (`../plans/a.dcplan`), as an import would name it. */
function relativePath(from: URI, to: URI): string {
    return from.scheme === to.scheme
        ? UriUtils.relative(UriUtils.dirname(from), to)
        : to.toString();
}

/** Instances by shape (`3 × proxy_1c, 1 × director_3c`), as hover Markdown. */
const instancesText = (instances: readonly string[]) => markdownText(instanceSummary(instances));

/** dcplan's hover provider. */
export class DcplanHoverProvider implements HoverProvider {
    private readonly services: DcplanServices;

    constructor(services: DcplanServices) {
        this.services = services;
    }

    getHoverContent(
        document: LangiumDocument,
        params: HoverParams
    ): MaybePromise<Hover | undefined> {
        const root = document.parseResult.value.$cstNode;
        if (!root) return undefined;
        const offset = document.textDocument.offsetAt(params.position);
        const leaf = CstUtils.findLeafNodeAtOffset(root, offset);
        if (!leaf || leaf.hidden) return undefined;
        const node = leaf.astNode;
        const property = GrammarUtils.findAssignment(leaf)?.feature;
        const analysis = this.services.analysis.PlanAnalyzer.analyze(document);
        const hover = (
            markdown: string | undefined,
            range: Range = leaf.range
        ): Hover | undefined =>
            markdown ? { contents: { kind: 'markdown', value: markdown }, range } : undefined;

        if (isShape(node) && property === 'name')
            return hover(this.shapeHover(analysis, node.name, document.uri));
        if ((isDeploy(node) || isPin(node)) && property === 'shape')
            return hover(
                node.shape.ref
                    ? this.shapeHover(analysis, node.shape.$refText)
                    : // not a shape with errors: no shape of that name (its error says so too)
                      `**shape \`${node.shape.$refText}\`**\n\nNo shape of this name is defined in this file or the files it imports.`
            );
        if (isDeploy(node) && property === 'ring' && node.ring)
            return hover(this.ringHover(analysis, node.ring));
        if (isDeploy(node))
            return hover(this.deploymentHover(analysis, node), node.$cstNode?.range);
        const hostName = AstUtils.getContainerOfType(node, isHostName);
        if (hostName) return hover(this.hostHover(analysis, hostName), hostName.$cstNode?.range);
        if (isHost(node) && property === 'model' && node.model?.ref)
            return hover(this.modelHover(analysis, node.model.ref));
        if (isHostModel(node) && property === 'name') return hover(this.modelHover(analysis, node));
        if (isWorkload(node) && property === 'name')
            return hover(this.workloadHover(analysis, node));
        if (isDemand(node)) return hover(this.demandHover(analysis, node), node.$cstNode?.range);
        if (isPlan(node) && property === 'name') return hover(this.planHover(analysis, node));
        return undefined;
    }

    /**
     * A shape: per-instance size, instances, totals, maintenance impact, placement. `declaredIn`:
     * the file that declares it, when hovered there (a shape this file does not deploy may be
     * deployed by the files that import it: a library of shapes).
     */
    protected shapeHover(
        analysis: PlanAnalysis,
        name: string,
        declaredIn?: URI
    ): string | undefined {
        const f = shapeFigures(analysis, name);
        if (!f)
            return `**shape \`${name}\`**\n\nNot in the plan: a shape needs a valid \`role\`, \`cores\` and \`memory\`.`;
        const s = f.shape;
        const lines = [
            `**shape \`${s.name}\`** — ${s.role}, ${cores(s.cores)}, ${formatGiB(s.memoryGiB)} GiB per instance`
        ];
        const users =
            f.instances === 0 && declaredIn
                ? shapesUsedInWorkspace(declaredIn, this.services.shared.workspace.LangiumDocuments)
                      .users.get(s.name)
                      ?.map(u => markdownText(relativePath(declaredIn, u)))
                : undefined;
        if (users) {
            lines.push(
                `Not deployed in this file; deployed or pinned by ${users.length === 1 ? 'the file that imports' : 'the files that import'} it: ${upTo(users)}.`
            );
        } else if (f.instances === 0) {
            lines.push('Not deployed: no `deploy` line uses it.');
        } else {
            lines.push(
                `${f.instances} ${f.instances === 1 ? 'instance' : 'instances'}: ${cores(f.cores)}, ${formatGiB(f.memoryGiB)} GiB in all.`
            );
            lines.push(
                `Maintenance impact: **${formatPercent(f.impact)}** — one instance down takes ${s.cores} of the ${f.roleCores} ${s.role} cores.`
            );
            if (analysis.built.model.settings.platform === 'physical')
                lines.push('Placed: every instance on its own machine (physical plan).');
            else if (f.byHost.length > 0) lines.push(`Placed: ${byHostText(f.byHost)}.`);
            if (f.unplaced.length > 0) lines.push(`Unplaced: ${markdownText(upTo(f.unplaced))}.`);
        }
        lines.push(sourceLine(SOURCE_SECTIONS[s.role]));
        return lines.join('\n\n');
    }

    /** A deployment: its instances, where they went, the ring of directors. */
    protected deploymentHover(analysis: PlanAnalysis, node: Deploy): string | undefined {
        const f = deploymentFigures(analysis, node);
        if (!f) return undefined;
        const lines = [
            `**deploy ${f.count} x ${markdownText(f.shape.name)}** — instances ${markdownText(f.first === f.last ? f.first : `${f.first} … ${f.last}`)}`
        ];
        if (analysis.built.model.settings.platform === 'physical')
            lines.push('Placed: every instance on its own machine (physical plan).');
        else
            lines.push(
                f.byHost.length > 0 ? `Placed: ${byHostText(f.byHost)}.` : 'Placed: nowhere.'
            );
        if (f.unplaced.length > 0) lines.push(`Unplaced: ${markdownText(upTo(f.unplaced))}.`);
        lines.push(
            `Maintenance impact of one instance: ${formatPercent(f.impact)} of the ${f.shape.role} cores.`
        );
        const sections: string[] = [SOURCE_SECTIONS.allocation];
        if (f.shape.role === 'director') {
            const ring = ringFigures(analysis, f.ring);
            const over = ring.directors - MAX_RING;
            lines.push(
                `Ring \`${f.ring}\`: ${ring.directors} ${ring.directors === 1 ? 'director' : 'directors'} of at most ${MAX_RING}${over > 0 ? ` — ${over} over` : ''}.`
            );
            sections.push(SOURCE_SECTIONS.director);
        }
        lines.push(sourceLine(...sections));
        return lines.join('\n\n');
    }

    /** A director ring: its size against the limit of 9. */
    protected ringHover(analysis: PlanAnalysis, ring: string): string {
        const f = ringFigures(analysis, ring);
        const over = f.directors - MAX_RING;
        const head =
            over > 0
                ? `**ring \`${ring}\`** — ${f.directors} directors, at most ${MAX_RING} recommended: ${over} over`
                : `**ring \`${ring}\`** — ${f.directors} ${f.directors === 1 ? 'director' : 'directors'} of at most ${MAX_RING}`;
        const lines = [head];
        if (f.deployments.length > 0)
            lines.push(markdownText(f.deployments.map(d => `${d.count} × ${d.shape}`).join(', ')));
        lines.push(sourceLine(SOURCE_SECTIONS.director));
        return lines.join('\n\n');
    }

    /** A host name: one host in detail, or a table for a range. */
    protected hostHover(analysis: PlanAnalysis, node: HostName): string | undefined {
        const text = markdownText(node.$cstNode?.text ?? node.name);
        const block = node.$container;
        const modelText = block.model?.$refText
            ? ` (model ${markdownText(block.model.$refText)})`
            : '';
        if (analysis.built.model.settings.platform === 'physical') {
            return [
                `**host ${text}**`,
                'Physical plan: hosts are ignored, every instance is its own machine.',
                sourceLine(SOURCE_SECTIONS.sizing)
            ].join('\n\n');
        }
        const rows = hostsOfName(analysis, node);
        if (rows.length === 0)
            return `**host ${text}**\n\nNot in the plan: a host needs \`cores\` and \`memory\` (its own or its model's).`;
        const first = analysis.built.model.hosts.find(h => h.name === rows[0].name)!;
        const usableLine = `Usable vCPUs${rows.length > 1 ? ' per host' : ''}: ${usableText(first)}.`;
        const lines: string[] = [];
        // the analysis's figures do not carry `drained` (the report adds it): the model says
        const drained = new Set(analysis.built.model.hosts.filter(h => h.drain).map(h => h.name));
        if (rows.length === 1 && drained.has(rows[0].name)) {
            lines.push(...drainedHostLines(analysis, rows[0], modelText, first));
        } else if (rows.length === 1) {
            const h = rows[0];
            lines.push(`**host ${markdownText(h.name)}**${modelText}`);
            lines.push(
                [
                    '| | used | usable |',
                    '|---|---:|---:|',
                    `| vCPUs | ${h.usedCores} | ${h.usableCores} |`,
                    `| memory | ${formatGiB(h.usedMemoryGiB)} GiB | ${formatGiB(h.usableMemoryGiB)} GiB |`
                ].join('\n')
            );
            lines.push(usableLine);
            lines.push(
                h.instances.length > 0
                    ? `Runs ${h.instances.length} ${h.instances.length === 1 ? 'instance' : 'instances'}: ${instancesText(h.instances)}.`
                    : 'Runs no instances.'
            );
            const shares = ROLES.filter((r: Role) => h.roleCounts[r] > 0).map(
                r => `${r} ${formatPercent(h.lossImpact[r])}`
            );
            if (shares.length > 0)
                lines.push(
                    `Losing it affects **${formatPercent(h.lossImpact.sessions)}** of sessions (${shares.join(', ')} of their cores).`
                );
        } else {
            lines.push(`**host ${text}** — ${rows.length} hosts${modelText}`);
            lines.push(
                [
                    '| host | vCPUs used / usable | memory used / usable | instances | host lost |',
                    '|---|---:|---:|---|---:|',
                    ...rows.slice(0, HOVER_HOST_ROWS).map(h =>
                        // a drained host: nothing may stay (0 usable by intent), said so
                        drained.has(h.name)
                            ? `| ${markdownText(h.name)} | ${h.usedCores > 0 ? `${h.usedCores} / 0 ` : ''}drained | ${h.usedCores > 0 ? `${formatGiB(h.usedMemoryGiB)} / 0 GiB ` : ''}drained | ${instancesText(h.instances) || '—'} | ${formatPercent(h.lossImpact.sessions)} |`
                            : `| ${markdownText(h.name)} | ${h.usedCores} / ${h.usableCores} | ${formatGiB(h.usedMemoryGiB)} / ${formatGiB(h.usableMemoryGiB)} GiB | ${instancesText(h.instances) || '—'} | ${formatPercent(h.lossImpact.sessions)} |`
                    )
                ].join('\n')
            );
            if (rows.length > HOVER_HOST_ROWS)
                lines.push(
                    `… and ${rows.length - HOVER_HOST_ROWS} more hosts (the preview and \`dcplan place\` list them all).`
                );
            lines.push(usableLine);
        }
        const names = new Set(rows.map(h => h.name));
        // a drained host's pins are drain-pinned, said in its own lines, not an overcommit
        for (const over of analysis.placement.overcommitted
            .filter(o => {
                const host = analysis.built.model.hosts[o.host];
                return names.has(host.name) && !host.drain;
            })
            .slice(0, HOVER_HOST_ROWS)) {
            const h = analysis.figures.hosts[over.host];
            lines.push(
                `**Overcommitted** ${markdownText(h.name)}: its \`runs\` need ${over.cores} vCPUs and ${formatGiB(over.memoryGiB)} GiB of ${h.usableCores} vCPUs and ${formatGiB(h.usableMemoryGiB)} GiB usable.`
            );
        }
        // day 2 (issue 12): the lock's migration steps through these hosts
        const moves = hostMovesLine(
            analysis.day2?.order,
            rows.map(h => h.name)
        );
        if (moves) lines.push(markdownText(moves));
        lines.push(sourceLine(SOURCE_SECTIONS.overcommit, SOURCE_SECTIONS.allocation));
        return lines.join('\n\n');
    }

    /** A hardware model: its size, the hosts that use it and what each can give to instances. */
    protected modelHover(analysis: PlanAnalysis, node: HostModel): string {
        const threads = node.threadsPerCore ?? '1';
        const head = `**model \`${node.name}\`** — ${node.cores ?? '?'} cores × ${threads} ${threads === '1' ? 'thread' : 'threads'}, ${node.memory ?? '? GiB'}`;
        const hosts = analysis.built.model.hosts.filter(h => h.model === node.name);
        const names = hosts.slice(0, HOVER_HOST_ROWS).map(h => h.name);
        const more =
            hosts.length > HOVER_HOST_ROWS ? ` … and ${hosts.length - HOVER_HOST_ROWS} more` : '';
        const lines = [
            head,
            hosts.length > 0
                ? `Used by ${hosts.length} ${hosts.length === 1 ? 'host' : 'hosts'}: ${markdownText(names.join(', '))}${more}.`
                : 'Used by no host.'
        ];
        // a host block may set its own hypervisor reserve (or cores): one line per distinct figure
        const byUsable = new Map<string, string[]>();
        for (const h of hosts) {
            const text = usableText(h);
            const list = byUsable.get(text);
            if (list) list.push(h.name);
            else byUsable.set(text, [h.name]);
        }
        if (analysis.built.model.settings.platform === 'physical' && hosts.length > 0) {
            lines.push('Physical plan: hosts are ignored, every instance is its own machine.');
        } else if (byUsable.size === 1) {
            lines.push(
                `Usable vCPUs${hosts.length > 1 ? ' per host' : ''}: ${[...byUsable.keys()][0]}.`
            );
        } else {
            for (const [text, on] of byUsable) {
                const listed = markdownText(on.slice(0, HOVER_HOST_ROWS).join(', '));
                const rest =
                    on.length > HOVER_HOST_ROWS ? ` and ${on.length - HOVER_HOST_ROWS} more` : '';
                lines.push(`Usable vCPUs on ${listed}${rest}: ${text}.`);
            }
        }
        lines.push(
            'Hyper-threads count as cores when the guest OS supports them: vCPUs = cores × threads per core.'
        );
        lines.push(sourceLine(SOURCE_SECTIONS.overcommit));
        return lines.join('\n\n');
    }

    /**
     * A workload's name: what it states (sessions, active users), its demand per role against the
     * role's deployed cores, and for each role whether it is the peak the capacity checks use
     * (the governing workload), or which workload is.
     */
    protected workloadHover(analysis: PlanAnalysis, node: Workload): string | undefined {
        const f = workloadFigures(analysis, node);
        if (!f) return undefined;
        const w = f.workload;
        const stated = [
            w.sessions !== undefined ? `${w.sessions.toLocaleString('en-US')} sessions` : '',
            w.activeUsers !== undefined
                ? `${w.activeUsers.toLocaleString('en-US')} active users`
                : ''
        ].filter(Boolean);
        const lines = [
            `**workload \`${w.name}\`**${stated.length > 0 ? ` — ${stated.join(', ')}` : ''}`
        ];
        if (f.roles.length === 0) {
            lines.push('No demand per role: the capacity checks do not count this workload.');
        } else {
            const size = (c: number, m?: number) =>
                `${cores(c)}${m !== undefined ? `, ${formatGiB(m)} GiB` : ''}`;
            const peak = (p: DemandPeak, unit: (v: number) => string) =>
                p.governs
                    ? `**this workload**${p.others.length > 0 ? ` (tied with ${p.others.map(n => `\`${n}\``).join(', ')})` : ''}`
                    : `${p.others.map(n => `\`${n}\``).join(', ')} (${unit(p.value)})`;
            const gib = (v: number) => `${formatGiB(v)} GiB`;
            lines.push(
                [
                    '| role | demand | deployed | governing workload |',
                    '|---|---:|---:|---|',
                    ...f.roles.map(r => {
                        const m = r.memoryPeak;
                        const governing =
                            !m || (m.governs && r.coresPeak.governs)
                                ? peak(r.coresPeak, cores)
                                : `cores: ${peak(r.coresPeak, cores)}; memory: ${peak(m, gib)}`;
                        return `| ${r.role} | ${size(r.demand.cores, r.demand.memoryGiB)} | ${size(r.deployedCores, m ? r.deployedMemoryGiB : undefined)} | ${governing} |`;
                    })
                ].join('\n')
            );
            lines.push(
                'The largest demand of a role over the workloads (its peak) is what the capacity checks compare with the deployed cores and memory.'
            );
        }
        lines.push(sourceLine(SOURCE_SECTIONS.sizing));
        return lines.join('\n\n');
    }

    /** A workload's demand line: demand against deployed cores. */
    protected demandHover(analysis: PlanAnalysis, node: Demand): string | undefined {
        const role = node.role as Role;
        if (!ROLES.includes(role)) return undefined;
        const r = analysis.figures.roles[role];
        const workload = node.$container.name
            ? `workload \`${node.$container.name}\``
            : 'this workload';
        // a demand line being typed has its role but not yet its cores
        const demand =
            node.cores === undefined
                ? 'no cores given'
                : `${node.cores} cores${node.memory ? `, ${node.memory}` : ''}`;
        const lines = [`**${role} demand** — ${demand} (${workload})`];
        if (r.demandCores !== null) {
            lines.push(
                `Deployed: ${cores(r.cores)} against the peak demand of ${cores(r.demandCores)} (${formatPercent(r.demandCores > 0 ? r.cores / r.demandCores : 0)}).`
            );
        }
        lines.push(sourceLine(SOURCE_SECTIONS.sizing));
        return lines.join('\n\n');
    }

    /** The plan: totals, maintenance impact per role, host failure. */
    protected planHover(analysis: PlanAnalysis, node: Plan): string {
        const f = analysis.figures;
        const t = f.totals;
        const lines = [
            `**plan \`${node.name}\`**${node.title ? ` — ${markdownText(node.title)}` : ''}`
        ];
        lines.push(
            [
                '| cores | |',
                '|---|---:|',
                `| demand | ${t.demandCores ?? 'not stated'} |`,
                `| deployed | ${t.deployedCores} |`,
                `| usable | ${t.usableCores} |`,
                `| physical | ${t.physicalCores} |`,
                `| placed | ${t.placedCores} |`
            ].join('\n')
        );
        const impacts = ROLES.filter(r => f.roles[r].instances > 0).map(
            r => `${r} ${formatPercent(f.roles[r].maintenanceImpact)}`
        );
        if (impacts.length > 0)
            lines.push(`Maintenance impact of one instance: ${impacts.join(', ')}.`);
        if (f.hostFailure) {
            lines.push(
                `Host failure: tolerates ${formatTolerates(f.hostFailure)}; ${formatNPlus1(f.hostFailure)}.`
            );
        }
        lines.push(sourceLine(SOURCE_SECTIONS.allocation));
        return lines.join('\n\n');
    }
}

/**
 * What a host gives to instances, as its hover and its model's say it: "24 cores × 1 thread − 2
 * for the hypervisor = 22; usable memory: 384 − 16 GiB = 368 GiB".
 */
function usableText(h: ModelHost): string {
    return `${h.cores} ${h.cores === 1 ? 'core' : 'cores'} × ${h.threadsPerCore} ${h.threadsPerCore === 1 ? 'thread' : 'threads'} − ${h.hypervisorCores} for the hypervisor = ${h.usableCores}; usable memory: ${formatGiB(h.memoryGiB)} − ${formatGiB(h.hypervisorMemoryGiB)} GiB = ${formatGiB(h.usableMemoryGiB)} GiB`;
}

/**
 * The hover lines of one drained host (`drain = true`), one story: drained, what the lock runs
 * on it now, what the plan leaves on it (pins only: `drain-pinned`) and how many move out (and
 * how many are stopped: left unplaced), and
 * its capacity, which counts as 0 while it is drained. The caller adds the moves line.
 */
function drainedHostLines(
    analysis: PlanAnalysis,
    h: HostFigures,
    modelText: string,
    host: ModelHost
): string[] {
    const story = drainedStory(analysis, h);
    const count = (n: number) => `${n} ${n === 1 ? 'instance' : 'instances'}`;
    const lines = [
        `**host ${markdownText(h.name)}**${modelText} — drained (\`drain = true\`): nothing may stay on it`
    ];
    const l = story.locked;
    if (l)
        lines.push(
            l.instances.length > 0
                ? `In the lock it runs ${count(l.instances.length)} (${l.cores} vCPUs, ${formatGiB(l.memoryGiB)} GiB): ${instancesText(l.instances)}.`
                : 'In the lock it runs nothing.'
        );
    const p = story.planned;
    // a stop leaves the host too, but to no host: said apart (no room for it in the plan)
    const moved = story.out - story.stopped;
    // only the counts that are not 0: a host the lock leaves empty has nothing to move out
    const parts = [
        ...(moved > 0 ? [`${moved} ${moved === 1 ? 'moves' : 'move'} out`] : []),
        ...(story.stopped > 0
            ? [
                  `${story.stopped} ${story.stopped === 1 ? 'is' : 'are'} stopped (no room in the plan)`
              ]
            : []),
        ...(story.in > 0 ? [`${story.in} in`] : [])
    ];
    const moving = l && parts.length > 0 ? ` ${parts.join(', ')}.` : '';
    lines.push(
        p.instances.length > 0
            ? `In the plan it still runs ${count(p.instances.length)} pinned by \`runs\` (${p.usedCores} vCPUs, ${formatGiB(p.usedMemoryGiB)} GiB): ${instancesText(p.instances)} — a pin contradicts the drain (\`drain-pinned\`).${moving}`
            : `In the plan it runs nothing${moving ? `:${moving}` : '.'}`
    );
    lines.push(
        `While drained its capacity counts as 0 (otherwise ${host.cores} ${host.cores === 1 ? 'core' : 'cores'} × ${host.threadsPerCore} ${host.threadsPerCore === 1 ? 'thread' : 'threads'} − ${host.hypervisorCores} for the hypervisor = ${host.usableCores} vCPUs; ${formatGiB(host.memoryGiB)} − ${formatGiB(host.hypervisorMemoryGiB)} GiB = ${formatGiB(host.usableMemoryGiB)} GiB).`
    );
    return lines;
}
