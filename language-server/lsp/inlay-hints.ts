/**
 * Inlay hints: the maintenance impact of one instance at the end of each `deploy` line
 * (`deploy 12 x proxy_1c  8.3% each`) and the usable vCPUs before the `{` of each host block
 * (`host hv[01..04] : dual_socket_24 4 × 22 vCPUs {`; `drained` for a drained block). Off with
 * `dcplan.inlayHints.enabled = false`.
 */
import { AstUtils, type CstNode, CstUtils, isLeafCstNode, type LangiumDocument } from 'langium';
import type { InlayHintProvider } from 'langium/lsp';
import type { InlayHint, InlayHintParams, Position, Range } from 'vscode-languageserver';
import type { DcplanServices } from '../dcplan-module.js';
import { formatPercent } from '../../src/planner/format.js';
import { deploymentFigures, figureIndex } from './plan-figures.js';
import { figureFeatureEnabled, refreshOnSettingsChange } from './lens-settings.js';

const inside = (p: Position, r: Range) =>
    (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character)) &&
    (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));

/**
 * The `{` of a host block: the first `{` token of its syntax, found by walking its tokens in
 * order and stopping there (only the names come before it), rather than with
 * `GrammarUtils.findNodeForKeyword`, which took 0.1 ms a block (0.24 s on 2,000 host blocks).
 */
function openingBrace(node: CstNode): CstNode | undefined {
    for (const c of CstUtils.streamCst(node)) if (isLeafCstNode(c) && c.text === '{') return c;
    return undefined;
}

/** dcplan's inlay hints from the plan analysis. */
export class DcplanInlayHintProvider implements InlayHintProvider {
    private readonly services: DcplanServices;

    constructor(services: DcplanServices) {
        this.services = services;
        refreshOnSettingsChange(services.shared);
    }

    async getInlayHints(
        document: LangiumDocument,
        params: InlayHintParams
    ): Promise<InlayHint[] | undefined> {
        if (!(await figureFeatureEnabled(this.services.shared, 'inlayHints'))) return [];
        const analysis = this.services.analysis.PlanAnalyzer.analyze(document);
        const root = document.parseResult.value;
        const ours = (n: { $container?: unknown }) => AstUtils.findRootNode(n as never) === root;
        const hints: InlayHint[] = [];
        for (const node of analysis.built.sources.deployments) {
            if (!ours(node) || !node.$cstNode) continue;
            const f = deploymentFigures(analysis, node);
            if (!f) continue;
            hints.push({
                position: node.$cstNode.range.end,
                label: `${formatPercent(f.impact)} each`,
                paddingLeft: true,
                tooltip: `Maintenance impact: one ${f.shape.name} instance holds ${formatPercent(f.impact)} of the ${f.shape.role} cores.`
            });
        }
        if (analysis.built.model.settings.platform !== 'physical') {
            // One hint per host block, before its `{`: the usable vCPUs of each host it names.
            for (const block of analysis.built.sources.hostBlocks) {
                if (!ours(block) || !block.$cstNode) continue;
                const hosts = (figureIndex(analysis).hostsOfBlock.get(block) ?? []).map(
                    i => analysis.built.model.hosts[i]
                );
                const brace = openingBrace(block.$cstNode);
                if (hosts.length === 0 || !brace) continue;
                const host = hosts[0];
                const usable = `${host.cores} cores × ${host.threadsPerCore} − ${host.hypervisorCores} for the hypervisor = ${host.usableCores}`;
                hints.push({
                    position: brace.range.start,
                    // drained (`drain = true`, set per block): no room while drained, as the hover says
                    label: host.drain
                        ? 'drained'
                        : hosts.length > 1
                          ? `${hosts.length} × ${host.usableCores} vCPUs`
                          : `${host.usableCores} vCPUs`,
                    // a space on either side: never flush with `{` or a name written without a space before it
                    paddingLeft: true,
                    paddingRight: true,
                    tooltip: host.drain
                        ? `Drained (\`drain = true\`): nothing may stay on it; its capacity counts as 0 while drained (otherwise usable vCPUs${hosts.length > 1 ? ' per host' : ''}: ${usable}).`
                        : `Usable vCPUs${hosts.length > 1 ? ' per host' : ''}: ${usable}.`
                });
            }
        }
        return hints
            .filter(h => inside(h.position, params.range))
            .sort(
                (a, b) =>
                    a.position.line - b.position.line || a.position.character - b.position.character
            );
    }
}
