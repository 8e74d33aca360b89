/**
 * Capacity fixes (spec, "Quick-fixes"): more instances of a role whose deployed capacity is short
 * of the demand (`capacity-short`), a second instance of a role that has one (`single-instance`),
 * more hosts when the planner cannot place everything (`unplaceable`).
 */
import { expandHostName } from '../model-builder.js';
import { parseCount } from '../values.js';
import { IssueCodes, type FindingDataByCode } from '../../src/planner/findings.js';
import { largestHost } from '../../src/planner/figures.js';
import { place } from '../../src/planner/placement.js';
import { withDrainedEmptied } from '../../src/planner/incremental.js';
import { placementChangeWithCounts } from './placed.js';
import {
    expandInstances,
    type Host as ModelHost,
    type PlanModel
} from '../../src/planner/model.js';
import { formatGiB } from '../../src/planner/format.js';
import { MAX_RING } from '../../src/planner/split-choices.js';
import type { Editor } from './editor.js';
import type { Host as HostBlock } from '../generated/ast.js';
import type { Fix, TextChange } from './fix.js';
import type { FixProviders } from './provider.js';

/**
 * `capacity-short`: a deployment of the role in this file raised to cover the demand (cores,
 * and memory in GiB when the workload gives it). Cores short only: the role's last deployment.
 * Memory short: one fix per deployment of the role, the shape with the most GiB per core first
 * (the fewest cores for the memory; the later deployment first among equals); the preferred one
 * is the first whose result places everything the plan placed before and the instances it adds
 * (`placementChange`), with no `runs` pin overcommitting a host (pins of more instances than
 * were deployed bind once the count is raised); none is preferred when no raise does: fix-all
 * then raises nothing (more hosts are the user's call).
 */
function capacityFixes(e: Editor, data: Partial<FindingDataByCode['capacity-short']>): Fix[] {
    const role = data.role;
    if (role === undefined) return [];
    const demandCores = Number(data.demandCores);
    const deployedCores = Number(data.deployedCores);
    const demandMem = data.demandMemoryGiB === undefined ? undefined : Number(data.demandMemoryGiB);
    const deployedMem = Number(data.deployedMemoryGiB ?? 0);
    const memoryShort = demandMem !== undefined && deployedMem < demandMem;
    // The deployments of the role in this file, the last first.
    const candidates = e.model.deployments
        .map((d, i) => ({
            d,
            i,
            node: e.ctx.analysis.built.sources.deployments[i],
            shape: e.model.shapes.find(s => s.name === e.model.deployments[i].shape)!
        }))
        .filter(x => x.shape?.role === role && e.inMain(x.node) && x.shape.cores > 0)
        .reverse();
    if (candidates.length === 0) return [];
    const ranked = memoryShort
        ? [...candidates].sort(
              (a, b) => b.shape.memoryGiB / b.shape.cores - a.shape.memoryGiB / a.shape.cores
          )
        : candidates.slice(0, 1);
    const demand =
        demandMem !== undefined
            ? `${demandCores} cores, ${formatGiB(demandMem)} GiB`
            : String(demandCores);
    // the vCPUs placed now that the deployments `counts` leave unplaced (drained hosts emptied)
    const changeWith = (counts: readonly number[]) => placementChangeWithCounts(e.model, counts);
    const now = e.model.deployments.map(d => d.count);
    const fixes: (Fix & { change: ReturnType<typeof changeWith> })[] = [];
    for (const x of ranked) {
        let extra = Math.max(0, Math.ceil((demandCores - deployedCores) / x.shape.cores));
        if (memoryShort && x.shape.memoryGiB > 0)
            extra = Math.max(
                extra,
                Math.ceil((demandMem - deployedMem) / x.shape.memoryGiB - 1e-9)
            );
        if (extra <= 0) continue;
        const count = x.d.count + extra;
        const cores = deployedCores + extra * x.shape.cores;
        const memory =
            demandMem !== undefined
                ? `, ${formatGiB(deployedMem + extra * x.shape.memoryGiB)} GiB`
                : '';
        const change = changeWith(now.map((c, k) => (k === x.i ? count : c)));
        fixes.push({
            title: `Raise deploy ${x.d.count} x ${x.d.shape} to ${count} (${cores} ${role} cores${memory} for a demand of ${demand})`,
            code: IssueCodes.CapacityShort,
            preferred: false,
            split: false,
            changes: e.replace(e.prop(x.node, 'count'), String(count), e.key(x.node)),
            change
        });
    }
    // the first raise whose result places what is placed now and the instances it adds, with no
    // `runs` pin binding more than its host holds: a preferred fix adds no error (fix-all, which
    // refuses a fix that adds one, and the editor's Auto Fix agree)
    const preferred = fixes.find(
        f => f.change.lost === 0 && !f.change.moreUnplaced && !f.change.moreOvercommitted
    );
    return fixes.map(({ change: _, ...f }, k) => ({ ...f, preferred: fixes[k] === preferred }));
}

/**
 * `single-instance`: the role's one deployment raised from 1 to 2, a second instance for
 * redundancy (in a physical plan a second machine). `runs` pins stay as they are: a pinned
 * instance keeps its host and the planner places the new one. Preferred when the result places
 * everything the plan placed before and the new instance too, and no pin overcommits a host
 * (`placementChangeWithCounts`, as `capacity-short` judges its raises; always so in a physical
 * plan, which places nothing on hosts), and for a director only while its ring keeps at most
 * `MAX_RING` directors.
 */
function singleInstanceFixes(
    e: Editor,
    data: Partial<FindingDataByCode['single-instance']>
): Fix[] {
    const role = data.role;
    if (role === undefined || data.shape === undefined) return [];
    const roleOf = (shape: string) => e.model.shapes.find(s => s.name === shape)?.role;
    const ofRole = e.model.deployments.filter(d => roleOf(d.shape) === role);
    // the diagnostic may come from an older text: fix only a role that still has one instance
    if (ofRole.length !== 1 || ofRole[0].count !== 1 || ofRole[0].shape !== data.shape) return [];
    const d = ofRole[0];
    const node = e.ctx.analysis.built.sources.deployments[d.id];
    const shape = e.model.shapes.find(s => s.name === d.shape)!;
    if (!node || !e.inMain(node)) return [];
    const change = placementChangeWithCounts(
        e.model,
        e.model.deployments.map(x => (x.id === d.id ? 2 : x.count))
    );
    const ring = e.model.deployments
        .filter(x => roleOf(x.shape) === 'director' && x.ring === d.ring)
        .reduce((a, x) => a + x.count, 0);
    // with the plan's one director its ring is 1: this holds today, and keeps the raise from
    // ever making a ring too large (director-ring-too-large) if the finding's scope changes
    const ringFits = role !== 'director' || ring + 1 <= MAX_RING;
    const cores = `+${shape.cores} ${shape.cores === 1 ? 'core' : 'cores'}`;
    return [
        {
            title: `Deploy 2 × ${d.shape} (a second ${role} for redundancy, ${cores}, +${formatGiB(shape.memoryGiB)} GiB)`,
            code: IssueCodes.SingleInstance,
            preferred:
                change.lost === 0 && !change.moreUnplaced && !change.moreOvercommitted && ringFits,
            split: false,
            changes: e.replace(e.prop(node, 'count'), '2', e.key(node))
        }
    ];
}

/**
 * The last host with the usable cores and memory of `hosts[index]` and the same `drain`. The
 * planner's `largestHost` takes the first of equal hosts; the fix names the new hosts after the
 * last of them, so that `host hv[01..04]` grows to `hv[01..06]` and the title says "like hv04"
 * (same hardware either way).
 */
function lastOfSameSize(hosts: readonly ModelHost[], index: number): number {
    const h = hosts[index];
    for (let i = hosts.length - 1; i > index; i--) {
        if (
            hosts[i].usableCores === h.usableCores &&
            hosts[i].usableMemoryGiB === h.usableMemoryGiB &&
            !hosts[i].drain === !h.drain
        )
            return i;
    }
    return index;
}

/**
 * The index of the host the `unplaceable` fix copies: the largest (`largestHost`, then the last
 * of its size) of the hosts not drained, since a copy of a drained host (`drain = true`) adds no
 * capacity; the largest drained host when every host is drained (the fix then writes a new block
 * without `drain`).
 */
function hostToCopy(hosts: readonly ModelHost[]): number {
    const open = hosts.map((h, i) => ({ h, i })).filter(x => !x.h.drain);
    if (open.length === 0) return lastOfSameSize(hosts, largestHost(hosts));
    return lastOfSameSize(hosts, open[largestHost(open.map(x => x.h))].i);
}

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

/**
 * `unplaceable`: the fewest hosts like the largest host (the planner's `largestHost`) that let the
 * planner place everything, added to its block (its range extended, or names appended) or as a
 * new block with the same hardware.
 */
function unplaceableFixes(e: Editor): Fix[] {
    const model = e.model;
    if (model.hosts.length === 0 || model.settings.platform !== 'virtual') return [];
    const largestIndex = hostToCopy(model.hosts);
    // a copy is never drained: hosts[] keeps `drain` off the new ones
    const { drain, ...largest } = model.hosts[largestIndex];
    const source = e.ctx.analysis.built.sources.hosts[largestIndex];
    if (!e.inMain(source.block) || largest.usableCores === 0) return [];
    const taken = new Set(model.hosts.map(h => h.name));
    const unplacedCores = e.ctx.analysis.placement.unplaced.reduce(
        (a, i) => a + model.instances[i].cores,
        0
    );
    const kmin = Math.max(1, Math.ceil(unplacedCores / largest.usableCores));
    let k: number | undefined;
    let names: string[] = [];
    for (let t = kmin; t <= kmin + 8 && t <= 64; t++) {
        names = nextHostNames(largest.name, t, taken);
        const hosts = [...model.hosts, ...names.map(name => ({ ...largest, name, pins: [] }))];
        // a drained host has no room while it is drained (as the analysis places)
        const trial: PlanModel = withDrainedEmptied({
            ...model,
            hosts,
            instances: expandInstances(model.shapes, model.deployments)
        });
        if (place(trial).unplaced.length === 0) {
            k = t;
            break;
        }
    }
    if (k === undefined) return [];
    const block = source.block;
    const element = e.key(block);
    let changes: TextChange[];
    const range = source.name;
    const expanded = expandHostName(range) ?? [];
    const to = range.to !== undefined ? parseCount(range.to) : undefined;
    let extended: string[] = [];
    if (
        range.from !== undefined &&
        to?.ok &&
        block.pins.length === 0 &&
        expanded.at(-1) === largest.name
    ) {
        const width = range.from.length > 1 && range.from.startsWith('0') ? range.from.length : 0;
        extended = Array.from(
            { length: k },
            (_, i) => range.name + String(to.value + i + 1).padStart(width, '0')
        );
    }
    if (drain) {
        changes = newBlock(e, block, names);
    } else if (to?.ok && extended.length === k && extended.every((n, i) => n === names[i])) {
        const width =
            range.from!.length > 1 && range.from!.startsWith('0') ? range.from!.length : 0;
        changes = e.replace(
            e.prop(range, 'to'),
            String(to.value + k).padStart(width, '0'),
            element
        );
    } else if (block.pins.length === 0) {
        const last = block.names.at(-1)!.$cstNode!;
        changes = [
            { start: last.end, end: last.end, newText: names.map(n => ', ' + n).join(''), element }
        ];
    } else {
        changes = newBlock(e, block, names);
    }
    return [
        {
            title: `Add ${k} ${k === 1 ? 'host' : 'hosts'} like ${largest.name} (${largest.usableCores} usable cores, ${formatGiB(largest.usableMemoryGiB)} GiB): ${names.join(', ')}`,
            code: IssueCodes.Unplaceable,
            preferred: false,
            split: false,
            changes
        }
    ];
}

/**
 * A new host block `names` after `block`, with its hardware (model, cores, memory, reserve,
 * rack) and nothing else: no pins, no `drain` (used when the block pins instances, or is drained).
 */
function newBlock(e: Editor, block: HostBlock, names: readonly string[]): TextChange[] {
    const element = e.key(block);
    const attrs: string[] = [];
    for (const [kw, prop] of [
        ['cores', 'cores'],
        ['threads_per_core', 'threadsPerCore'],
        ['memory', 'memory'],
        ['numa_nodes', 'numaNodes'],
        ['hypervisor_cores', 'hypervisorCores'],
        ['hypervisor_memory', 'hypervisorMemory'],
        ['rack', 'rack']
    ] as const) {
        const v = e.prop(block, prop);
        if (v) attrs.push(`${kw} = ${v.text}`);
    }
    const model = block.model ? ` : ${block.model.$refText}` : '';
    const at = e.lineEnd(block.$cstNode!.end);
    return [
        {
            start: at,
            end: at,
            newText: `${e.eol}${e.indentAt(block.$cstNode!.offset)}host ${names.join(', ')}${model} { ${attrs.join('  ')} }`,
            element
        }
    ];
}

/** The capacity family: `capacity-short`, `single-instance`, `unplaceable`. */
export const capacityFixProviders: FixProviders<
    'capacity-short' | 'single-instance' | 'unplaceable'
> = {
    'capacity-short': (e, data) => capacityFixes(e, data),
    'single-instance': (e, data) => singleInstanceFixes(e, data),
    unplaceable: e => unplaceableFixes(e)
};
