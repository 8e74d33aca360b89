/**
 * Code lenses above deployments and host blocks: where a deployment's instances went and its
 * maintenance impact; a host's used and usable vCPUs and memory and the share of sessions its
 * loss affects. Off with `dcplan.codeLens.enabled = false`. Each lens runs
 * `dcplan.showInstances` (src/protocol.ts): for a deployment, the hosts its instances run on; for
 * a host block, the deployments whose instances run on its hosts.
 */
import { type AstNode, AstUtils, type LangiumDocument } from 'langium';
import type { CodeLensProvider } from 'langium/lsp';
import type { CodeLens, CodeLensParams, Command, Location, Range } from 'vscode-languageserver';
import { SHOW_INSTANCES_COMMAND } from '../../src/protocol.js';
import type { DcplanServices } from '../dcplan-module.js';
import { formatGiB, formatPercent } from '../../src/planner/format.js';
import { listNames } from '../../src/planner/rules.js';
import {
    deploymentFigures,
    drainedStory,
    figureIndex,
    hostsOfName,
    movesByHost
} from './plan-figures.js';
import { figureFeatureEnabled, refreshOnSettingsChange } from './lens-settings.js';

/** dcplan's code lenses from the plan analysis. */
export class DcplanCodeLensProvider implements CodeLensProvider {
    private readonly services: DcplanServices;

    constructor(services: DcplanServices) {
        this.services = services;
        refreshOnSettingsChange(services.shared);
    }

    async provideCodeLens(
        document: LangiumDocument,
        _params: CodeLensParams
    ): Promise<CodeLens[] | undefined> {
        if (!(await figureFeatureEnabled(this.services.shared, 'codeLens'))) return [];
        const analysis = this.services.analysis.PlanAnalyzer.analyze(document);
        const root = document.parseResult.value;
        const ours = (n: object) => AstUtils.findRootNode(n as never) === root;
        const physical = analysis.built.model.settings.platform === 'physical';
        const index = figureIndex(analysis);
        const lenses: CodeLens[] = [];
        for (const node of analysis.built.sources.deployments) {
            if (!ours(node) || !node.$cstNode) continue;
            const f = deploymentFigures(analysis, node);
            if (!f) continue;
            const where = physical
                ? 'each on its own machine'
                : [
                      // a lens is one line: 5,000 hosts listed made a 50,000-character title
                      listNames(f.byHost.map(([h, n]) => `${h} ${n}`)),
                      f.unplaced.length > 0 ? `${f.unplaced.length} unplaced` : ''
                  ]
                      .filter(Boolean)
                      .join(' · ') || 'unplaced';
            const id = analysis.built.model.deployments[f.index].id;
            const on = new Set(
                (index.instancesOf.get(id) ?? []).map(i => analysis.placement.hostOf[i])
            );
            const hostNames = physical
                ? []
                : [
                      ...new Set(
                          [...on]
                              .filter(h => h >= 0)
                              .sort((a, b) => a - b)
                              .map(h => analysis.built.sources.hosts[h].name)
                      )
                  ];
            lenses.push({
                range: node.$cstNode.range,
                command: showInstances(
                    `${f.shape.role} maintenance impact ${formatPercent(f.impact)} · ${where}`,
                    document,
                    node.$cstNode.range,
                    hostNames
                )
            });
        }
        if (!physical) {
            // day 2 (issue 12): the lock's moves through each block's hosts, `k in, m out`
            const per = movesByHost(analysis);
            const drainedNames = new Set(
                analysis.built.model.hosts.filter(h => h.drain).map(h => h.name)
            );
            for (const block of analysis.built.sources.hostBlocks) {
                if (!ours(block) || !block.$cstNode) continue;
                const rows = block.names.flatMap(n => hostsOfName(analysis, n));
                if (rows.length === 0) continue;
                const sum = (
                    k: 'usedCores' | 'usableCores' | 'usedMemoryGiB' | 'usableMemoryGiB'
                ) => rows.reduce((s, r) => s + r[k], 0);
                const loss = Math.max(...rows.map(r => r.lossImpact.sessions));
                const drained = rows.length === 1 && drainedNames.has(rows[0].name);
                // a drained host: what the lock runs on it against what the plan leaves (as its hover)
                const story = drained ? drainedStory(analysis, rows[0]) : undefined;
                const title = story
                    ? `drained${story.locked ? ` · in the lock ${story.locked.cores} vCPUs` : ''} · in the plan ${story.planned.usedCores} vCPUs${story.planned.usedCores > 0 ? ' pinned (drain-pinned)' : ''} · host lost: ${formatPercent(loss)} of sessions`
                    : rows.length === 1
                      ? `${rows[0].usedCores} / ${rows[0].usableCores} vCPUs · ${formatGiB(rows[0].usedMemoryGiB)} / ${formatGiB(rows[0].usableMemoryGiB)} GiB · host lost: ${formatPercent(loss)} of sessions`
                      : `${rows.length} hosts: ${sum('usedCores')} / ${sum('usableCores')} vCPUs · ${formatGiB(sum('usedMemoryGiB'))} / ${formatGiB(sum('usableMemoryGiB'))} GiB · one host lost: up to ${formatPercent(loss)} of sessions`;
                const over = rows.filter(r => r.overcommitted).map(r => r.name);
                const prefix =
                    over.length > 0 && !story
                        ? `overcommitted${rows.length > 1 ? ' ' + listNames(over) : ''} · `
                        : '';
                const moved = per
                    ? rows.reduce(
                          (a, r) => ({
                              in: a.in + (per.get(r.name)?.in ?? 0),
                              out: a.out + (per.get(r.name)?.out ?? 0)
                          }),
                          { in: 0, out: 0 }
                      )
                    : undefined;
                const suffix = moved ? ` · moves: ${moved.in} in, ${moved.out} out` : '';
                // the deployments with instances on these hosts
                const model = analysis.built.model;
                const ids = new Set<number>();
                for (const h of index.hostsOfBlock.get(block) ?? [])
                    for (const id of index.deploymentsOn[h] ?? []) ids.add(id);
                const deploys = analysis.built.sources.deployments.filter((_, d) =>
                    ids.has(model.deployments[d].id)
                );
                lenses.push({
                    range: block.$cstNode.range,
                    command: showInstances(
                        prefix + title + suffix,
                        document,
                        block.$cstNode.range,
                        deploys
                    )
                });
            }
        }
        return lenses;
    }
}

/** The lens command: `dcplan.showInstances` at the start of `range`, listing where `nodes` are written. */
function showInstances(
    title: string,
    document: LangiumDocument,
    range: Range,
    nodes: readonly AstNode[]
): Command {
    const locations: Location[] = nodes.flatMap(n =>
        n.$cstNode ? [{ uri: AstUtils.getDocument(n).uri.toString(), range: n.$cstNode.range }] : []
    );
    return {
        title,
        command: SHOW_INSTANCES_COMMAND,
        arguments: [document.uri.toString(), range.start, locations]
    };
}
