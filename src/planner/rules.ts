/**
 * The rulebook (spec, "Checks"): every check that needs the resolved plan, its placement or its
 * figures. Pure: findings name the model element they are about (`FindingTarget`), and the
 * language layer turns that into a diagnostic range. Checks about how the text is written
 * (units, duplicates, unresolved names, limits) live in the language layer.
 *
 * Sources: "the page" is the "Virtualised Architecture" page of the Dovecot documentation, cited by
 * section; D marks other Dovecot documentation; G is dcplan's own guidance.
 */
import { MAX_PLAN_INSTANCES, ROLES, type PlanModel, type Role, type Shape } from './model.js';
import { IssueCodes, type Finding, type FindingTarget, type SplitChoice } from './findings.js';
import { backendSplit, directorSplits, MAX_RING, ringMergeChoices } from './split-choices.js';
import type { PlacementResult } from './placement.js';
import { formatGiB, formatNPlus1, formatNPlusAsked, formatPercent } from './format.js';
import { explainHostFailure } from './host-failure.js';
import {
    checkOvercommit,
    checkUnplaceable,
    listNames,
    plural,
    type RuleInput
} from './rules-capacity.js';

export { listNames, type RuleInput } from './rules-capacity.js';

/** Sessions one director ring should carry at most (D: Dovecot director documentation). */
export const MAX_SESSIONS_PER_RING = 10_000_000;
/** Local cache disk per active user on the backends (D: obox fscache/metacache sizing), bytes. */
export const CACHE_BYTES_PER_USER = 2_000_000;
/** Physical instance sizes of the page ("Proxy/Director/Backend Virtualization"), cores. */
export const PHYSICAL_RANGES: Readonly<Record<Role, readonly [number, number]>> = {
    proxy: [2, 4],
    director: [2, 4],
    backend: [4, 8]
};

const roleNames: Record<Role, [string, string]> = {
    proxy: ['proxy', 'proxies'],
    director: ['director', 'directors'],
    backend: ['backend', 'backends']
};
const roleCount = (n: number, role: Role) =>
    `${n} ${n === 1 ? roleNames[role][0] : roleNames[role][1]}`;

/**
 * Runs every rule of the rulebook and returns the findings in a stable order. Never throws on a
 * well-formed model (an empty plan gives no findings).
 */
export function checkPlan(input: RuleInput): Finding[] {
    const { model } = input;
    const out: Finding[] = [];
    const virtual = model.settings.platform === 'virtual';
    const shapeIndex = new Map(model.shapes.map((s, i) => [s.name, i]));
    const usedShapes = new Set(model.deployments.map(d => d.shape));
    const instancesOfShape = new Map<string, number>();
    for (const d of model.deployments)
        instancesOfShape.set(d.shape, (instancesOfShape.get(d.shape) ?? 0) + d.count);
    const roleInstances = (role: Role) => input.figures.roles[role].instances;

    if (virtual) {
        checkOvercommit(input, out);
        checkDrainPins(input, out);
        checkUnplaceable(input, out);
        for (const e of input.placement.pinExcess) {
            // A pin of an unknown shape is the language's unresolved-name, not an excess.
            if (!shapeIndex.has(e.shape)) continue;
            out.push({
                code: IssueCodes.PinExceedsDeploy,
                severity: 'error',
                message: `${model.hosts[e.host].name} pins ${e.asked} x ${e.shape}, but only ${plural(e.available, 'instance')} of ${e.shape} ${e.available === 1 ? 'is' : 'are'} left to pin (${instancesOfShape.get(e.shape) ?? 0} deployed)`,
                target: { kind: 'pin', host: e.host, pinIndex: e.pinIndex },
                data: { shape: e.shape, asked: e.asked, available: e.available }
            });
        }
    }
    checkCapacity(input, out);
    checkRings(input, out);
    if (virtual) checkHostSpread(input, out);

    // Shapes.
    model.shapes.forEach((shape, index) => {
        if (!usedShapes.has(shape.name)) {
            out.push({
                code: IssueCodes.UnusedShape,
                severity: 'hint',
                message: `shape ${shape.name} is not deployed`,
                target: { kind: 'shape', index, property: 'name' }
            });
            return;
        }
        const n = instancesOfShape.get(shape.name) ?? 0;
        if (
            shape.role !== 'backend' &&
            shape.loginMode === 'performance' &&
            shape.cores > shape.loginProcesses
        ) {
            const idle = shape.cores - shape.loginProcesses;
            out.push({
                code: IssueCodes.LoginIdleCores,
                severity: 'warning',
                message: `${shape.name} has ${plural(shape.cores, 'core')} and ${plural(shape.loginProcesses, 'login process', 'login processes')}: ${plural(idle, 'core')} ${idle === 1 ? 'stays' : 'stay'} idle (the page: unless configured, the ${shape.role} does not use the extra cores for login processes); set login_processes = ${shape.cores}${shape.role === 'proxy' ? ' or split into 1-core proxies' : ''}`,
                target: { kind: 'shape', index, property: 'cores' },
                data: {
                    shape: shape.name,
                    role: shape.role,
                    cores: shape.cores,
                    loginProcesses: shape.loginProcesses
                }
            });
        }
        if (
            model.settings.mailStorage === 'object' &&
            shape.role === 'backend' &&
            shape.localDiskGiB === undefined
        ) {
            out.push({
                code: IssueCodes.BackendCacheDisk,
                severity: 'warning',
                message: `${shape.name} has no local_disk: with object storage, backends need fast local ephemeral disk for fscache and metacache (the page, "Virtualised Backend sizing")`,
                target: { kind: 'shape', index, property: 'name' }
            });
        }
        if (!virtual) {
            const [lo, hi] = PHYSICAL_RANGES[shape.role];
            if (shape.cores < lo || shape.cores > hi) {
                out.push({
                    code: IssueCodes.PhysicalSize,
                    severity: 'warning',
                    message: `${shape.name}: a physical ${shape.role} of ${plural(shape.cores, 'core')} is outside the page's ${lo}–${hi} cores per instance`,
                    target: { kind: 'shape', index, property: 'cores' }
                });
            }
            return;
        }
        const roleTotal = input.figures.roles[shape.role].cores;
        const impact = (cores: number) => (roleTotal > 0 ? formatPercent(cores / roleTotal) : '0%');
        // The role's figure is its largest instance's share (figures.ts): before and after a
        // split of this shape, the other shapes of the role still count (as the fix's title says).
        const otherMax = model.instances.reduce(
            (m, i) => (i.role === shape.role && i.shape !== shape.name ? Math.max(m, i.cores) : m),
            0
        );
        const roleImpact = (cores: number) => impact(Math.max(cores, otherMax));
        // a split of this shape alone lowers the role's impact only when no other shape of the
        // role is as large: otherwise the info would promise a gain that does not happen
        const splitLowers = otherMax < shape.cores;
        // a split that takes the plan past its instance limit is not offered: its result
        // would be refused (limit-exceeded)
        const withinLimit = (count: number) =>
            model.instances.length - n + count <= MAX_PLAN_INSTANCES;
        if (
            shape.role === 'proxy' &&
            shape.cores > 1 &&
            splitLowers &&
            withinLimit(n * shape.cores)
        ) {
            const to = n * shape.cores;
            out.push({
                code: IssueCodes.ProxySplit,
                severity: 'info',
                message: `${n} x ${plural(shape.cores, 'core')} -> ${to} x 1 core: more 1-core proxies lower the maintenance impact (${roleImpact(shape.cores)} -> ${roleImpact(1)}; the page, "Virtualised Proxy sizing")`,
                target: { kind: 'shape', index, property: 'cores' },
                data: {
                    shape: shape.name,
                    splits: [{ count: to, cores: 1, preferred: true }] satisfies SplitChoice[]
                }
            });
        }
        if (shape.role === 'director' && shape.cores >= 4 && splitLowers) {
            const rings = new Set(
                model.deployments.filter(d => d.shape === shape.name).map(d => d.ring)
            );
            let others = 0;
            for (const ring of rings) {
                others = Math.max(
                    others,
                    model.instances.filter(
                        i => i.role === 'director' && i.ring === ring && i.shape !== shape.name
                    ).length
                );
            }
            const splits = directorSplits(n, shape.cores, others)
                .filter(s => withinLimit(s.count))
                .map((s, i) => ({ ...s, preferred: i === 0 }));
            if (splits.length > 0) {
                const [best, ...rest] = splits;
                out.push({
                    code: IssueCodes.DirectorSplit,
                    severity: 'info',
                    message: `${n} x ${plural(shape.cores, 'core')} -> ${best.count} x ${plural(best.cores, 'core')} (maintenance impact ${roleImpact(shape.cores)} -> ${roleImpact(best.cores)})${rest.map(s => `, ${s.count} x ${plural(s.cores, 'core')} offered too`).join('')}; not past ${MAX_RING} in the ring (the page, "Virtualised Director sizing")`,
                    target: { kind: 'shape', index, property: 'cores' },
                    data: { shape: shape.name, splits }
                });
            }
        }
        if (shape.role === 'backend' && shape.cores > 4 && splitLowers) {
            const split = backendSplit(n, shape.cores);
            if (split && withinLimit(split.count)) {
                out.push({
                    code: IssueCodes.BackendSplit,
                    severity: 'info',
                    message: `${n} x ${plural(shape.cores, 'core')} -> ${split.count} x ${plural(split.cores, 'core')} (maintenance impact ${roleImpact(shape.cores)} -> ${roleImpact(split.cores)}; the page, "Virtualised Backend sizing")`,
                    target: { kind: 'shape', index, property: 'cores' },
                    data: { shape: shape.name, splits: [split] }
                });
            }
        }
        if (shape.role === 'backend' && shape.cores < 4) {
            out.push({
                code: IssueCodes.BackendTooSmall,
                severity: 'info',
                message: `${shape.name} has ${plural(shape.cores, 'core')}: there is no advantage in backends below 4 cores, they use all cores well (the page, "Virtualised Backend sizing")`,
                target: { kind: 'shape', index, property: 'cores' }
            });
        }
    });

    // Single instances.
    for (const role of ROLES) {
        if (roleInstances(role) !== 1) continue;
        const d = model.deployments.find(
            x => model.shapes[shapeIndex.get(x.shape)!]?.role === role
        )!;
        out.push({
            code: IssueCodes.SingleInstance,
            severity: 'warning',
            message: `one ${role} only: no redundancy, and its maintenance takes 100% of the ${role} layer (the page, "Sizing Virtual Machines")`,
            target: { kind: 'deployment', index: d.id },
            data: { role, shape: d.shape }
        });
    }

    // Dovecot version and workload-level guidance.
    const directorCount = roleInstances('director');
    if (
        directorCount > 0 &&
        (model.settings.dovecot === '2.4' || model.settings.dovecot === 'pro-3.0')
    ) {
        out.push({
            code: IssueCodes.DirectorRemoved,
            severity: 'warning',
            message: `${roleCount(directorCount, 'director')} deployed, but the director role is gone from Dovecot ${model.settings.dovecot}${model.settings.dovecot === 'pro-3.0' ? ' (Pro uses Palomar)' : ''}`,
            target: { kind: 'plan', property: 'dovecot' }
        });
    }
    const rings = new Set(model.instances.filter(i => i.role === 'director').map(i => i.ring));
    const backendDiskGiB = model.instances
        .filter(i => i.role === 'backend')
        .reduce((a, i) => a + (model.shapes[shapeIndex.get(i.shape)!].localDiskGiB ?? 0), 0);
    model.workloads.forEach((w, index) => {
        if (
            w.sessions !== undefined &&
            rings.size > 0 &&
            w.sessions / rings.size > MAX_SESSIONS_PER_RING
        ) {
            out.push({
                code: IssueCodes.DirectorRingLoad,
                severity: 'warning',
                message: `${w.sessions.toLocaleString('en-US')} sessions on ${plural(rings.size, 'director ring')}: above ${MAX_SESSIONS_PER_RING.toLocaleString('en-US')} per ring`,
                target: { kind: 'workload', index, property: 'sessions' }
            });
        }
        if (w.activeUsers !== undefined) {
            const needGiB = (w.activeUsers * CACHE_BYTES_PER_USER) / 2 ** 30;
            if (backendDiskGiB < needGiB) {
                out.push({
                    code: IssueCodes.BackendCacheSize,
                    severity: 'warning',
                    message: `${w.activeUsers.toLocaleString('en-US')} active users need ${formatGiB(needGiB)} GiB of backend cache disk (2 MB each); the backends' local_disk is ${formatGiB(backendDiskGiB)} GiB in all`,
                    target: { kind: 'workload', index, property: 'activeUsers' }
                });
            }
        }
    });

    checkHostFailure(input, out);
    return out;
}

/**
 * `drain-pinned` (error, issue 12): a drained host (`drain = true`: nothing may stay on it) whose
 * `runs` pins instances on it. The pins stay hard (they are placed there), so the plan says what
 * it cannot have both ways; on the `runs`, with each pin related.
 */
function checkDrainPins({ model, placement }: RuleInput, out: Finding[]): void {
    model.hosts.forEach((h, k) => {
        const pinned = h.pins.reduce((a, p) => a + p.count, 0);
        if (!h.drain || pinned === 0) return;
        const on = placement.hostOf.flatMap((hk, i) => (hk === k ? [model.instances[i]] : []));
        const cores = on.reduce((a, it) => a + it.cores, 0);
        const memory = on.reduce((a, it) => a + it.memoryGiB, 0);
        out.push({
            code: IssueCodes.DrainPinned,
            severity: 'error',
            message: `${h.name} is drained (drain = true) but its runs pin ${listNames(h.pins.map(p => `${p.count} x ${p.shape}`))} on it (${plural(cores, 'vCPU')}, ${formatGiB(memory)} GiB): a pin contradicts a drain; remove the pins or the drain`,
            target: { kind: 'host', index: k, property: 'runs' },
            related: h.pins.map(p => ({
                target: { kind: 'pin', host: k, pinIndex: p.pinIndex } as FindingTarget,
                message: `${p.count} x ${p.shape}`
            })),
            data: { host: h.name, pinned }
        });
    });
}

/**
 * ` (2 deployments left out for errors in their count or shape)` when the model leaves
 * deployments of `role` out (those whose shape says `role`), ` (1 deployment left out for
 * passing the limit of instances per plan)` for those past the limit, both when both, else ''.
 * A deployment of an unknown shape is not counted: nothing says it is of this role, and its own
 * error is at it.
 */
function leftOutNote(model: PlanModel, role: Role): string {
    const n = model.leftOut?.deploymentsByRole?.[role] ?? 0;
    const over = model.leftOut?.deploymentsOverLimitByRole?.[role] ?? 0;
    const parts = [
        n === 0
            ? ''
            : `${plural(n, 'deployment')} left out for errors in ${n === 1 ? 'its' : 'their'} count or shape`,
        over === 0
            ? ''
            : `${n === 0 ? plural(over, 'deployment') : over} left out for passing the limit of instances per plan`
    ].filter(Boolean);
    return parts.length === 0 ? '' : ` (${parts.join(', ')})`;
}

function checkCapacity({ model, figures }: RuleInput, out: Finding[]): void {
    // The largest demand per role counts (spec, "Elements": peak); cores and memory may peak in
    // different workloads, each is checked on the workload line that states its peak.
    for (const role of ROLES) {
        let coresAt = -1;
        let memoryAt = -1;
        model.workloads.forEach((w, index) => {
            const d = w.demand[role];
            if (!d) return;
            if (coresAt < 0 || d.cores > model.workloads[coresAt].demand[role]!.cores)
                coresAt = index;
            if (
                d.memoryGiB !== undefined &&
                (memoryAt < 0 || d.memoryGiB > model.workloads[memoryAt].demand[role]!.memoryGiB!)
            )
                memoryAt = index;
        });
        if (coresAt < 0) continue;
        const deployed = figures.roles[role].cores;
        const deployedMem = figures.roles[role].memoryGiB;
        const peak = model.workloads[coresAt];
        const demand = peak.demand[role]!.cores;
        if (deployed < demand) {
            out.push({
                code: IssueCodes.CapacityShort,
                severity: 'error',
                message: `${role} needs ${plural(demand, 'core')} at the peak (workload ${peak.name}), ${deployed} deployed: ${demand - deployed} short${leftOutNote(model, role)}`,
                target: { kind: 'demand', index: coresAt, role },
                data: { role, demandCores: demand, deployedCores: deployed }
            });
        } else if (deployed > demand * 1.25) {
            out.push({
                code: IssueCodes.CapacityExcess,
                severity: 'info',
                message: `${plural(deployed, `${role} core`)} deployed for a peak demand of ${demand} (workload ${peak.name}): ${formatPercent(deployed / demand - 1)} above it (more than 25%)`,
                target: { kind: 'demand', index: coresAt, role }
            });
        }
        if (memoryAt >= 0) {
            const w = model.workloads[memoryAt];
            const need = w.demand[role]!.memoryGiB!;
            if (deployedMem < need) {
                out.push({
                    code: IssueCodes.CapacityShort,
                    severity: 'error',
                    message: `${role} needs ${formatGiB(need)} GiB at the peak (workload ${w.name}), ${formatGiB(deployedMem)} GiB deployed: ${formatGiB(need - deployedMem)} GiB short`,
                    target: { kind: 'demand', index: memoryAt, role },
                    data: {
                        role,
                        demandCores: w.demand[role]!.cores,
                        deployedCores: deployed,
                        demandMemoryGiB: need,
                        deployedMemoryGiB: deployedMem
                    }
                });
            }
        }
    }
}

function checkRings({ model }: RuleInput, out: Finding[]): void {
    const byRing = new Map<string, number[]>();
    for (const d of model.deployments) {
        const shape = model.shapes.find(s => s.name === d.shape);
        if (shape?.role !== 'director') continue;
        byRing.set(d.ring, [...(byRing.get(d.ring) ?? []), d.id]);
    }
    for (const [ring, ids] of byRing) {
        const deps = ids.map(id => model.deployments[id]);
        const n = deps.reduce((a, d) => a + d.count, 0);
        if (n <= MAX_RING) continue;
        const cores = deps.reduce(
            (a, d) => a + d.count * model.shapes.find(s => s.name === d.shape)!.cores,
            0
        );
        // each choice says its own total: rounding up to whole cores may give more than `cores`
        const choices = ringMergeChoices(cores);
        for (const d of deps) {
            out.push({
                code: IssueCodes.DirectorRingTooLarge,
                severity: 'warning',
                message: `${n} directors in ring ${ring}, at most ${MAX_RING}: a larger ring raises the latency of ring communication (the page, "Virtualised Director sizing"); ${choices.map(c => `${c.count} x ${plural(c.cores, 'core')} (${c.count * c.cores})`).join(' or ')} carry the ${cores} cores`,
                target: { kind: 'deployment', index: d.id },
                data: { ring, directors: n, cores, splits: choices }
            });
        }
    }
}

function checkHostSpread({ model, placement, figures }: RuleInput, out: Finding[]): void {
    if (model.hosts.length === 0) return;
    // a drained host (day 2) is not usable: the spread is over the others
    const h = model.hosts.filter(x => !x.drain).length;
    // role counts per host and per plan: the figures' (made from the same placement)
    const counts = figures.hosts.map(f => f.roleCounts);
    const roleN: Record<Role, number> = {
        proxy: figures.roles.proxy.instances,
        director: figures.roles.director.instances,
        backend: figures.roles.backend.instances
    };
    const deployedRoles = ROLES.filter(r => roleN[r] > 0);
    const oneHostRoles = new Set<Role>();
    for (const role of deployedRoles) {
        const n = roleN[role];
        if (n < 2 || figures.roles[role].hostsUsed !== 1) continue;
        const host = counts.findIndex(c => c[role] > 0);
        if (counts[host][role] === n) {
            oneHostRoles.add(role);
            out.push({
                code: IssueCodes.RoleOnOneHost,
                severity: 'warning',
                message: `${n === 2 ? `both ${roleNames[role][1]}` : `all ${roleCount(n, role)}`} are on ${model.hosts[host].name}: losing it takes the whole ${role} layer (the page, "Allocating Virtual Instances on Physical Machines")`,
                target: { kind: 'host', index: host, property: 'name' },
                related:
                    model.hosts[host].pins.length > 0
                        ? [
                              {
                                  target: { kind: 'host', index: host, property: 'runs' },
                                  message: `pinned here by runs`
                              }
                          ]
                        : undefined,
                data: { role, host: model.hosts[host].name }
            });
        }
    }
    const reserveGroups = new Map<string, number[]>();
    counts.forEach((c, host) => {
        const name = model.hosts[host].name;
        for (const role of deployedRoles) {
            if (oneHostRoles.has(role)) continue;
            const n = roleN[role];
            const cap = Math.ceil(n / h);
            if (c[role] > cap) {
                out.push({
                    code: IssueCodes.RoleConcentration,
                    severity: 'info',
                    message: `${name} holds ${c[role]} of the ${roleCount(n, role)} (${cap} per host would spread them)`,
                    target: { kind: 'host', index: host, property: 'name' },
                    data: { role, count: c[role], cap }
                });
            }
        }
        const present = ROLES.filter(r => c[r] > 0);
        if (present.length === 1 && deployedRoles.length > 1) {
            out.push({
                code: IssueCodes.SingleRoleHost,
                severity: 'info',
                message: `${name} runs ${roleNames[present[0]][1]} only: the page recommends proxy, director and backend together on each host`,
                target: { kind: 'host', index: host, property: 'name' }
            });
        }
        if (c.proxy + c.director + c.backend > 0) {
            const h0 = model.hosts[host];
            if (h0.hypervisorCores === 0 || h0.hypervisorMemoryGiB === 0) {
                // One warning per host name as written: `hv[1..4]` lists its hosts in one message.
                const key = `${h0.ref.file}|${h0.ref.index}|${h0.nameIndex}`;
                const group = reserveGroups.get(key);
                if (group) group.push(host);
                else reserveGroups.set(key, [host]);
            }
        }
    });
    for (const hosts of reserveGroups.values()) {
        const h0 = model.hosts[hosts[0]];
        const missing = [
            h0.hypervisorCores === 0 ? 'no cores' : '',
            h0.hypervisorMemoryGiB === 0 ? 'no memory' : ''
        ]
            .filter(Boolean)
            .join(' and ');
        const names = listNames(hosts.map(h => model.hosts[h].name));
        out.push({
            code: IssueCodes.NoHypervisorReserve,
            severity: 'warning',
            message: `${names} ${hosts.length === 1 ? 'keeps' : 'keep'} ${missing} for the hypervisor: Dovecot needs the cores and memory it is given (the page keeps 2 of a 24-core host's cores for the hypervisor)`,
            target: { kind: 'host', index: hosts[0], property: 'name' },
            data: {
                host: h0.name,
                hosts: hosts.map(h => model.hosts[h].name),
                cores: h0.hypervisorCores === 0,
                memory: h0.hypervisorMemoryGiB === 0
            }
        });
    }
    const numaSeen = new Set<string>();
    const shapeIndex = new Map(model.shapes.map((s, i) => [s.name, i]));
    placement.byHost.forEach((list, host) => {
        const h0 = model.hosts[host];
        if (h0.numaNodes <= 1) return;
        const nodeVcpus = (h0.cores * h0.threadsPerCore) / h0.numaNodes;
        const nodeMem = h0.memoryGiB / h0.numaNodes;
        for (const i of list) {
            const inst = model.instances[i];
            const si = shapeIndex.get(inst.shape)!;
            const shape = model.shapes[si];
            if (shape.cores > nodeVcpus && !numaSeen.has(shape.name + ':cores')) {
                numaSeen.add(shape.name + ':cores');
                out.push(
                    numaFinding(
                        shape,
                        si,
                        'cores',
                        `${plural(shape.cores, 'vCPU')} is more than one NUMA node of ${h0.name} (${nodeVcpus} vCPUs)`
                    )
                );
            }
            if (shape.memoryGiB > nodeMem && !numaSeen.has(shape.name + ':memory')) {
                numaSeen.add(shape.name + ':memory');
                out.push(
                    numaFinding(
                        shape,
                        si,
                        'memory',
                        `${formatGiB(shape.memoryGiB)} GiB is more than one NUMA node of ${h0.name} (${formatGiB(nodeMem)} GiB)`
                    )
                );
            }
        }
    });
}

function numaFinding(
    shape: Shape,
    index: number,
    property: 'cores' | 'memory',
    what: string
): Finding {
    return {
        code: IssueCodes.NumaSpan,
        severity: 'warning',
        message: `${shape.name}: ${what}; the instance spans NUMA nodes`,
        target: { kind: 'shape', index, property }
    };
}

function checkHostFailure({ model, placement, figures }: RuleInput, out: Finding[]): void {
    const hf = figures.hostFailure;
    // physical: no host to lose, so nothing is checked; said, not dropped in silence
    if (model.settings.platform === 'physical' && model.settings.tolerateHostFailures >= 1) {
        out.push({
            code: IssueCodes.PhysicalHostsIgnored,
            severity: 'warning',
            message:
                'tolerate_host_failures is ignored: with platform = physical every instance is its own machine, so no host failure is checked',
            target: { kind: 'plan', property: 'tolerateHostFailures' }
        });
        return;
    }
    if (!hf || model.settings.platform !== 'virtual' || model.hosts.length === 0) return;
    const asked = model.settings.tolerateHostFailures;
    if (hf.tolerates >= Math.max(1, asked)) return;
    // the search ran out of work before the next loss count was decided: say so, not a cause
    const unproven = hf.toleratesBound === 'at-least';
    const cause = unproven
        ? `surviving the loss of any ${plural(hf.tolerates + 1, 'host')} is not proven (the re-placement search ran out of its work budget)`
        : hostFailureCause(model, placement, figures, hf.tolerates);
    // with one loss tolerated (2 asked) N+1 holds: the hosts N+2 needs, not N+1's (the plan's own)
    const counts = hf.tolerates >= 1 ? formatNPlusAsked(hf) : formatNPlus1(hf);
    const nPlus1 = counts ? `; ${counts}` : '';
    const message =
        asked >= 1
            ? `the plan tolerates ${unproven ? 'at least ' : ''}${plural(hf.tolerates, 'host loss', 'host losses')}, ${asked} asked: ${cause}${nPlus1}`
            : `${cause}${nPlus1}`;
    const target: FindingTarget =
        asked >= 1
            ? { kind: 'plan', property: 'tolerateHostFailures' }
            : model.settings.name !== undefined
              ? { kind: 'plan', property: 'name' }
              : { kind: 'host', index: 0, property: 'name' };
    out.push({
        code: IssueCodes.HostFailure,
        severity: asked >= 1 ? 'warning' : 'info',
        message,
        target,
        data: {
            tolerates: hf.tolerates,
            asked,
            hostsNeededForNPlus1: hf.hostsNeededForNPlus1,
            ...(hf.nPlusAsked && !hf.nPlusAsked.bound
                ? { hostsNeededForAsked: hf.nPlusAsked.hosts }
                : {})
        }
    });
}

/**
 * Why the placement does not survive the next host loss, in words (the `host-failure` message
 * before "N+1 needs …"), naming the dimension that is short: vCPUs or GiB. One loss: the plan's
 * single host; no spare core anywhere; the same spare on every host, too few for the largest load;
 * else, from `explainHostFailure`, the first host whose loss does not re-place and whether the
 * others lack cores, memory, or room for its pieces (the spare split over hosts in bits smaller
 * than its instances). Two losses (one is tolerated): the two largest loads against the spare per
 * host, in both dimensions.
 */
function hostFailureCause(
    model: PlanModel,
    placement: PlacementResult,
    figures: RuleInput['figures'],
    tolerates: number
): string {
    // a drained host takes nothing and is lost to no one: not one of "the others"
    const live = figures.hosts.filter((_, h) => !model.hosts[h].drain);
    const hosts = live.length > 0 ? live : figures.hosts;
    const spareC = hosts.map(h => Math.max(0, h.usableCores - h.usedCores));
    const spareM = hosts.map(h => Math.max(0, h.usableMemoryGiB - h.usedMemoryGiB));
    const loadsC = hosts.map(h => h.usedCores).sort((a, b) => b - a);
    const loadsM = hosts.map(h => h.usedMemoryGiB).sort((a, b) => b - a);
    const minC = Math.min(...spareC),
        maxC = Math.max(...spareC);
    if (hosts.length === 1)
        return loadsC[0] === 1
            ? 'a single host: losing it loses its 1 core'
            : `a single host: losing it loses all ${loadsC[0]} cores`;
    if (tolerates >= 1) {
        const minM = Math.min(...spareM),
            maxM = Math.max(...spareM);
        const cores = minC === maxC ? plural(minC, 'spare core') : `${minC}–${maxC} spare cores`;
        const gib =
            minM === maxM ? `${formatGiB(minM)} GiB` : `${formatGiB(minM)}–${formatGiB(maxM)} GiB`;
        return `two lost hosts' instances (up to ${loadsC[0] + loadsC[1]} cores and ${formatGiB(loadsM[0] + loadsM[1])} GiB) do not all fit the spare capacity of the others (${cores} and ${gib} per host)`;
    }
    if (maxC === 0) return "no spare capacity to re-place a lost host's instances";
    if (minC === maxC && minC * (hosts.length - 1) < loadsC[0])
        return `${plural(minC, 'spare core')} per host cannot take a lost host's ${loadsC[0]} cores`;
    const e = explainHostFailure(model, placement);
    if (!e || e.host < 0)
        return `the spare capacity cannot re-place a lost host's instances (up to ${loadsC[0]} cores and ${formatGiB(loadsM[0])} GiB)`;
    const name = model.hosts[e.host].name;
    if (e.spareCoresOfOthers < e.lostCores)
        return `the other hosts' ${plural(e.spareCoresOfOthers, 'spare core')} cannot take ${name}'s ${e.lostCores} cores`;
    if (e.spareMemoryGiBOfOthers < e.lostMemoryGiB)
        return `the other hosts' ${formatGiB(e.spareMemoryGiBOfOthers)} GiB of spare memory cannot take ${name}'s ${formatGiB(e.lostMemoryGiB)} GiB`;
    // enough in all, but split over hosts in bits smaller than the lost host's instances
    let othersC = 0,
        othersM = 0;
    figures.hosts.forEach((f, h) => {
        if (h === e.host || model.hosts[h].drain) return;
        othersC = Math.max(othersC, Math.max(0, f.usableCores - f.usedCores));
        othersM = Math.max(othersM, Math.max(0, f.usableMemoryGiB - f.usedMemoryGiB));
    });
    if (e.lostLargestPieceCores > othersC)
        return `${name}'s instances (${e.lostCores} cores, up to ${e.lostLargestPieceCores} in one) do not fit the spare room of the others (${e.spareCoresOfOthers} cores in all, at most ${othersC} on one host)`;
    if (e.lostLargestPieceMemoryGiB > othersM)
        return `${name}'s instances (${formatGiB(e.lostMemoryGiB)} GiB, up to ${formatGiB(e.lostLargestPieceMemoryGiB)} GiB in one) do not fit the spare memory of the others (${formatGiB(e.spareMemoryGiBOfOthers)} GiB in all, at most ${formatGiB(othersM)} GiB on one host)`;
    return `${name}'s instances (${e.lostCores} cores and ${formatGiB(e.lostMemoryGiB)} GiB) do not fit the spare room of the others, split over hosts (at most ${othersC} cores and ${formatGiB(othersM)} GiB on one host)`;
}
