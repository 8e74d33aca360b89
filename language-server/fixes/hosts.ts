/**
 * Host fixes (spec, "Quick-fixes"): the hypervisor reserve of a host block
 * (`no-hypervisor-reserve`) and the pins that put a whole role on one host (`role-on-one-host`).
 */
import type { Pin } from '../generated/ast.js';
import { IssueCodes, type FindingDataByCode } from '../../src/planner/findings.js';
import { place } from '../../src/planner/placement.js';
import type { PlanModel } from '../../src/planner/model.js';
import { formatGiB } from '../../src/planner/format.js';
import { countOf, hostByName, removePins, type Editor } from './editor.js';
import { placementLostShown } from './placed.js';
import { ROLE_PLURAL, type Fix, type TextChange } from './fix.js';
import type { FixProviders } from './provider.js';

/**
 * `no-hypervisor-reserve`: the page's starting reserve (2 cores, 8 GiB) added to the host block.
 * Preferred when the plan still places everything it placed (`placementLostShown`); otherwise still
 * offered (the reserve is right, the hosts or shapes must change with it), its title saying the
 * vCPUs placed now that would no longer fit, and not preferred, so fix-all does not apply it.
 */
function hypervisorFixes(
    e: Editor,
    data: Partial<FindingDataByCode['no-hypervisor-reserve']>
): Fix[] {
    if (data.host === undefined) return [];
    const h = hostByName(e, data.host);
    if (!h || !e.inMain(h.block)) return [];
    const element = e.key(h.block);
    const changes: TextChange[] = [];
    const inserts: string[] = [];
    const added: string[] = [];
    if (data.cores === true) {
        added.push('hypervisor_cores = 2');
        if (h.block.hypervisorCores !== undefined)
            changes.push(...e.replace(e.prop(h.block, 'hypervisorCores'), '2', element));
        else inserts.push('hypervisor_cores = 2');
    }
    if (data.memory === true) {
        added.push('hypervisor_memory = 8 GiB');
        if (h.block.hypervisorMemory !== undefined)
            changes.push(...e.replace(e.prop(h.block, 'hypervisorMemory'), '8 GiB', element));
        else inserts.push('hypervisor_memory = 8 GiB');
    }
    if (added.length === 0) return [];
    changes.push(...e.insertAttributes(h.block, inserts, element));
    const names = h.block.names.map(n => n.$cstNode?.text ?? n.name).join(', ');
    const block = h.block;
    const sources = e.ctx.analysis.built.sources.hosts;
    const lost = placementLostShown(e.model, {
        ...e.model,
        hosts: e.model.hosts.map((host, i) => {
            if (sources[i]?.block !== block) return host;
            const hvCores = data.cores === true ? 2 : host.hypervisorCores;
            const hvMemory = data.memory === true ? 8 : host.hypervisorMemoryGiB;
            return {
                ...host,
                hypervisorCores: hvCores,
                hypervisorMemoryGiB: hvMemory,
                usableCores: Math.max(0, host.cores * host.threadsPerCore - hvCores),
                usableMemoryGiB: Math.max(0, host.memoryGiB - hvMemory)
            };
        })
    });
    const loss =
        lost.memoryShortGiB !== undefined
            ? `; instances placed now would no longer fit: ${formatGiB(lost.memoryShortGiB)} GiB of memory short`
            : lost.vCPUs > 0
              ? `; ${lost.atLeast ? 'at least ' : ''}${lost.vCPUs} vCPUs placed now would no longer fit`
              : '';
    return [
        {
            title: `Add ${added.join(' and ')} to ${names} (a starting value to adjust${loss})`,
            code: IssueCodes.NoHypervisorReserve,
            preferred: lost.vCPUs === 0 && !lost.atLeast,
            split: false,
            changes
        }
    ];
}

/**
 * `role-on-one-host`: the role's pins removed from the host (when the planner, free, spreads the
 * role), or spread evenly over the hosts written one a block in this file.
 */
function roleOnOneHostFixes(
    e: Editor,
    data: Partial<FindingDataByCode['role-on-one-host']>
): Fix[] {
    const role = data.role;
    if (role === undefined || data.host === undefined) return [];
    const h = hostByName(e, data.host);
    if (!h || !e.inMain(h.block)) return [];
    const roleOf = (shape: string) => e.model.shapes.find(s => s.name === shape)?.role;
    const pins = h.block.pins.filter(p => roleOf(p.shape.$refText) === role);
    if (pins.length === 0) return [];
    const out: Fix[] = [];
    // Offered only when the planner, free to place them, does spread the role.
    const blockHosts = new Set(
        e.ctx.analysis.built.sources.hosts
            .map((x, i) => (x.block === h.block ? i : -1))
            .filter(i => i >= 0)
    );
    const unpinned: PlanModel = {
        ...e.model,
        hosts: e.model.hosts.map((host, i) =>
            blockHosts.has(i)
                ? { ...host, pins: host.pins.filter(p => roleOf(p.shape) !== role) }
                : host
        )
    };
    const placed = place(unpinned);
    const roleHosts = new Set(
        unpinned.instances
            .map((inst, i) => (inst.role === role ? placed.hostOf[i] : -1))
            .filter(x => x >= 0)
    );
    if (roleHosts.size >= 2)
        out.push({
            title: `Remove the ${role} pins from ${data.host} (the planner spreads the ${ROLE_PLURAL[role]})`,
            code: IssueCodes.RoleOnOneHost,
            preferred: false,
            split: false,
            changes: removePins(e, h.block, new Set(pins))
        });
    // Spread: only over hosts each written in a block of its own in this file.
    const single = e.model.hosts
        .map((host, index) => ({
            host,
            index,
            block: e.ctx.analysis.built.sources.hosts[index].block
        }))
        .filter(
            x =>
                e.inMain(x.block) &&
                x.block.names.length === 1 &&
                x.block.names[0].from === undefined
        );
    if (single.length < 2 || !single.some(x => x.index === h.index)) return out;
    const order = [
        single.find(x => x.index === h.index)!,
        ...single.filter(x => x.index !== h.index)
    ];
    const n = order.length;
    const added = new Map<
        number,
        { cores: number; memory: number; pins: string[]; bump: Map<Pin, number> }
    >();
    const changes: TextChange[] = [];
    // The pins after the spread, per model host, to check that the role does spread.
    const simPins = new Map<number, { shape: string; count: number; pinIndex: number }[]>(
        e.model.hosts.map((x, i) => [i, x.pins.map(p => ({ ...p }))])
    );
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
            const a = added.get(x.index) ?? {
                cores: 0,
                memory: 0,
                pins: [] as string[],
                bump: new Map<Pin, number>()
            };
            a.cores += share * shape.cores;
            a.memory += share * shape.memoryGiB;
            const existing = x.block.pins.find(q => q.shape.$refText === shape.name);
            if (existing)
                a.bump.set(
                    existing,
                    (a.bump.get(existing) ?? countOf(existing.count) ?? 0) + share
                );
            else a.pins.push(`${share} x ${shape.name}`);
            added.set(x.index, a);
        });
    }
    for (const x of order.slice(1)) {
        const a = added.get(x.index);
        if (!a) continue;
        const pinned = x.host.pins.reduce(
            (acc, p) => {
                const s = e.model.shapes.find(q => q.name === p.shape);
                return s
                    ? {
                          cores: acc.cores + p.count * s.cores,
                          memory: acc.memory + p.count * s.memoryGiB
                      }
                    : acc;
            },
            { cores: 0, memory: 0 }
        );
        if (
            pinned.cores + a.cores > x.host.usableCores ||
            pinned.memory + a.memory > x.host.usableMemoryGiB
        )
            return out;
        for (const [pin, count] of a.bump)
            changes.push(...e.replace(e.prop(pin, 'count'), String(count), e.key(pin)));
        if (a.pins.length > 0) {
            const last = x.block.pins.at(-1)?.$cstNode;
            if (last)
                changes.push({
                    start: last.end,
                    end: last.end,
                    newText: a.pins.map(t => ', ' + t).join(''),
                    element: e.key(x.block)
                });
            else
                changes.push(
                    ...e.insertAttributes(x.block, [`runs = ${a.pins.join(', ')}`], e.key(x.block))
                );
        }
    }
    const spreadModel: PlanModel = {
        ...e.model,
        hosts: e.model.hosts.map((x, i) => ({ ...x, pins: simPins.get(i)! }))
    };
    const spreadPlacement = place(spreadModel);
    const spreadHosts = new Set(
        spreadModel.instances
            .map((inst, i) => (inst.role === role ? spreadPlacement.hostOf[i] : -1))
            .filter(x => x >= 0)
    );
    const before = e.ctx.analysis.placement;
    if (
        spreadHosts.size < 2 ||
        spreadPlacement.pinExcess.length > before.pinExcess.length ||
        spreadPlacement.overcommitted.length > before.overcommitted.length
    )
        return out;
    out.push({
        title: `Spread the ${spread} pinned ${ROLE_PLURAL[role]} evenly over ${n} hosts`,
        code: IssueCodes.RoleOnOneHost,
        preferred: false,
        split: false,
        changes
    });
    return out;
}

/** The hosts-and-reserve family: `no-hypervisor-reserve`, `role-on-one-host`. */
export const hostFixProviders: FixProviders<'no-hypervisor-reserve' | 'role-on-one-host'> = {
    'no-hypervisor-reserve': (e, data) => hypervisorFixes(e, data),
    'role-on-one-host': (e, data) => roleOnOneHostFixes(e, data)
};
