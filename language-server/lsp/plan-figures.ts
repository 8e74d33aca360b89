/**
 * The computed figures the editor shows beside the text (hover, code lenses, inlay hints), read
 * from a document's `PlanAnalysis` and keyed by syntax node: a shape's instances and maintenance
 * impact, where a deployment's instances went, a host's load, a ring's size. Also the section
 * names of the domain page each figure comes from.
 */
import type { Deploy, Host, HostName, Workload } from '../generated/ast.js';
import type { PlanAnalysis } from '../analysis.js';
import type { HostFigures } from '../../src/planner/report.js';
import {
    ROLES,
    type Role,
    type RoleDemand,
    type Shape as ModelShape,
    type Workload as ModelWorkload
} from '../../src/planner/model.js';
import { lockedByHost, type LockedOnHost } from '../../src/planner/day2.js';
import { movesPerHost } from '../../src/planner/migration-hosts.js';

/** The Dovecot page the rules come from, and the section names cited by the hovers. */
export const DOMAIN_PAGE = 'Dovecot "Virtualised Architecture"';
/** Section of the page behind each kind of figure. */
export const SOURCE_SECTIONS = {
    proxy: 'Virtualised Proxy sizing',
    director: 'Virtualised Director sizing',
    backend: 'Virtualised Backend sizing',
    sizing: 'Sizing Virtual Machines',
    overcommit: 'No over commitment of resources',
    allocation: 'Allocating Virtual Instances on Physical Machines'
} as const;

/** "1 core", "12 cores". */
export const cores = (n: number): string => `${n} ${n === 1 ? 'core' : 'cores'}`;

/**
 * Lookups the figures need for every node of a plan, built once per analysis: hovers, code lenses
 * and inlay hints ask per node, and scanning every host and instance for each made a plan of
 * 2,000 host blocks take seconds (hosts × instances).
 */
export interface FigureIndex {
    /** Instance indices per deployment (`Deployment.id`), in instance order. */
    readonly instancesOf: ReadonlyMap<number, readonly number[]>;
    /** Host indices (model order) per host block, and per host-name node (`hv01`, `hv[01..04]`). */
    readonly hostsOfBlock: ReadonlyMap<Host, readonly number[]>;
    readonly hostsOfName: ReadonlyMap<HostName, readonly number[]>;
    /** Per host index, the deployments (`Deployment.id`) with an instance placed on it. */
    readonly deploymentsOn: readonly ReadonlySet<number>[];
}
const figureIndexes = new WeakMap<PlanAnalysis, FigureIndex>();

/** The `FigureIndex` of `analysis` (built at the first call, then kept with the analysis). */
export function figureIndex(analysis: PlanAnalysis): FigureIndex {
    let f = figureIndexes.get(analysis);
    if (f) return f;
    const { model, sources } = analysis.built;
    const instancesOf = new Map<number, number[]>();
    const deploymentsOn = model.hosts.map(() => new Set<number>());
    model.instances.forEach((inst, i) => {
        let list = instancesOf.get(inst.deployment);
        if (!list) instancesOf.set(inst.deployment, (list = []));
        list.push(i);
        const h = analysis.placement.hostOf[i];
        if (h !== undefined && h >= 0) deploymentsOn[h]?.add(inst.deployment);
    });
    const hostsOfBlock = new Map<Host, number[]>(),
        hostsOfName = new Map<HostName, number[]>();
    sources.hosts.forEach((h, i) => {
        for (const [map, key] of [
            [hostsOfBlock, h.block],
            [hostsOfName, h.name]
        ] as const) {
            const list = (map as Map<object, number[]>).get(key);
            if (list) list.push(i);
            else (map as Map<object, number[]>).set(key, [i]);
        }
    });
    f = { instancesOf, hostsOfBlock, hostsOfName, deploymentsOn };
    figureIndexes.set(analysis, f);
    return f;
}

/** Figures of one shape in a plan. */
export interface ShapeFigures {
    readonly shape: ModelShape;
    readonly instances: number;
    readonly cores: number;
    readonly memoryGiB: number;
    /** Share of the role's deployed cores that one instance of the shape holds (0 when none deployed). */
    readonly impact: number;
    /** Deployed cores of the shape's role. */
    readonly roleCores: number;
    /** Instances per host name, in host order (only hosts with instances). */
    readonly byHost: readonly (readonly [string, number])[];
    /** Names of the unplaced instances. */
    readonly unplaced: readonly string[];
}

/** Figures of a shape, looked up by name in the analysed model; `undefined` if not in the model. */
export function shapeFigures(analysis: PlanAnalysis, name: string): ShapeFigures | undefined {
    const model = analysis.built.model;
    const shape = model.shapes.find(s => s.name === name);
    if (!shape) return undefined;
    const indices = model.instances
        .map((inst, i) => [inst, i] as const)
        .filter(([inst]) => inst.shape === name)
        .map(([, i]) => i);
    const roleCores = analysis.figures.roles[shape.role].cores;
    return {
        shape,
        instances: indices.length,
        cores: indices.length * shape.cores,
        memoryGiB: indices.length * shape.memoryGiB,
        impact: roleCores > 0 && indices.length > 0 ? shape.cores / roleCores : 0,
        roleCores,
        byHost: countByHost(analysis, indices),
        unplaced: indices
            .filter(
                i => analysis.placement.hostOf[i] === -1 && model.settings.platform !== 'physical'
            )
            .map(i => model.instances[i].name)
    };
}

/** Figures of one deployment line. */
export interface DeploymentFigures {
    readonly index: number;
    readonly shape: ModelShape;
    readonly count: number;
    readonly ring: string;
    readonly first: string;
    readonly last: string;
    readonly byHost: readonly (readonly [string, number])[];
    readonly unplaced: readonly string[];
    /** Share of the role's cores one instance holds. */
    readonly impact: number;
}

/** Figures of the deployment written by `node`, `undefined` when it is not in the model (invalid). */
export function deploymentFigures(
    analysis: PlanAnalysis,
    node: Deploy
): DeploymentFigures | undefined {
    const index = analysis.built.sources.deployments.indexOf(node);
    if (index < 0) return undefined;
    const model = analysis.built.model;
    const d = model.deployments[index];
    const shape = model.shapes.find(s => s.name === d.shape);
    if (!shape) return undefined;
    const indices = figureIndex(analysis).instancesOf.get(d.id) ?? [];
    if (indices.length === 0) return undefined;
    const roleCores = analysis.figures.roles[shape.role].cores;
    return {
        index,
        shape,
        count: d.count,
        ring: d.ring,
        first: model.instances[indices[0]].name,
        last: model.instances[indices[indices.length - 1]].name,
        byHost: countByHost(analysis, indices),
        unplaced:
            model.settings.platform === 'physical'
                ? []
                : indices
                      .filter(i => analysis.placement.hostOf[i] === -1)
                      .map(i => model.instances[i].name),
        impact: roleCores > 0 ? shape.cores / roleCores : 0
    };
}

/** The peak of one figure (cores or memory) of one role over the workloads, seen from one of them. */
export interface DemandPeak {
    /** The largest demand (cores, or GiB). */
    readonly value: number;
    /** Whether the workload asked about states it: it governs the role's figure. */
    readonly governs: boolean;
    /** The other workloads stating it, in model order (the first is named by the capacity checks). */
    readonly others: readonly string[];
}

/** One role's line of a workload: its demand, the role's deployed size and the peaks. */
export interface WorkloadRoleFigures {
    readonly role: Role;
    readonly demand: RoleDemand;
    /** Deployed cores and memory (GiB) of the role. */
    readonly deployedCores: number;
    readonly deployedMemoryGiB: number;
    /** The peak of the cores over all workloads; this workload governs when it is among them. */
    readonly coresPeak: DemandPeak;
    /** The peak of the memory, when some workload states memory for the role. */
    readonly memoryPeak?: DemandPeak;
}

/** Figures of one workload block: what it states and, per role, whether it is the peak. */
export interface WorkloadFigures {
    readonly workload: ModelWorkload;
    /** The roles it states a demand for, in role order. */
    readonly roles: readonly WorkloadRoleFigures[];
}

/**
 * Figures of the workload written by `node`, `undefined` when it is not in the model (its name is
 * not a name). The peak per role is the largest demand over the workloads (spec, "Elements"), as
 * the capacity checks take it, for cores and memory apart.
 */
export function workloadFigures(
    analysis: PlanAnalysis,
    node: Workload
): WorkloadFigures | undefined {
    const index = analysis.built.sources.workloads.indexOf(node);
    if (index < 0) return undefined;
    const workloads = analysis.built.model.workloads;
    const workload = workloads[index];
    const peakOf = (value: (d: RoleDemand) => number | undefined, role: Role) => {
        let best: { value: number; at: number[] } | undefined;
        workloads.forEach((w, i) => {
            const d = w.demand[role];
            const v = d && value(d);
            if (v === undefined) return;
            if (!best || v > best.value) best = { value: v, at: [i] };
            else if (v === best.value) best.at.push(i);
        });
        if (!best) return undefined;
        const peak: DemandPeak = {
            value: best.value,
            governs: best.at.includes(index),
            others: best.at.filter(i => i !== index).map(i => workloads[i].name)
        };
        return peak;
    };
    const roles: WorkloadRoleFigures[] = [];
    for (const role of ROLES) {
        const demand = workload.demand[role];
        if (!demand) continue;
        const memoryPeak = peakOf(d => d.memoryGiB, role);
        roles.push({
            role,
            demand,
            deployedCores: analysis.figures.roles[role].cores,
            deployedMemoryGiB: analysis.figures.roles[role].memoryGiB,
            // this workload states the role's cores: there is a peak
            coresPeak: peakOf(d => d.cores, role)!,
            ...(memoryPeak ? { memoryPeak } : {})
        });
    }
    return { workload, roles };
}

/** A director ring: how many directors, from which deployments. */
export interface RingFigures {
    readonly ring: string;
    readonly directors: number;
    readonly deployments: readonly { readonly count: number; readonly shape: string }[];
}

/** The directors of ring `ring` (deployments of director shapes naming it, `main` by default). */
export function ringFigures(analysis: PlanAnalysis, ring: string): RingFigures {
    const model = analysis.built.model;
    const role = (shape: string): Role | undefined =>
        model.shapes.find(s => s.name === shape)?.role;
    const deployments = model.deployments
        .filter(d => d.ring === ring && role(d.shape) === 'director')
        .map(d => ({ count: d.count, shape: d.shape }));
    return { ring, directors: deployments.reduce((s, d) => s + d.count, 0), deployments };
}

/** The report rows of the hosts a host name (`hv01` or `hv[01..04]`) stands for, in order. */
export function hostsOfName(analysis: PlanAnalysis, node: HostName): HostFigures[] {
    const out: HostFigures[] = [];
    for (const i of figureIndex(analysis).hostsOfName.get(node) ?? [])
        if (analysis.figures.hosts[i]) out.push(analysis.figures.hosts[i]);
    return out;
}

/** "3 × proxy_1c, 1 × director_3c" for a host's instance names. */
export function instanceSummary(instances: readonly string[]): string {
    const counts = new Map<string, number>();
    for (const name of instances) {
        const shape = name.replace(/-[0-9]+$/, '');
        counts.set(shape, (counts.get(shape) ?? 0) + 1);
    }
    return [...counts].map(([shape, n]) => `${n} × ${shape}`).join(', ');
}

function countByHost(
    analysis: PlanAnalysis,
    indices: readonly number[]
): (readonly [string, number])[] {
    const hosts = analysis.built.model.hosts;
    const counts = new Map<number, number>();
    for (const i of indices) {
        const h = analysis.placement.hostOf[i];
        if (h !== undefined && h >= 0) counts.set(h, (counts.get(h) ?? 0) + 1);
    }
    // in host order
    return [...counts].sort((a, b) => a[0] - b[0]).map(([h, n]) => [hosts[h].name, n] as const);
}

/**
 * The day-2 story of a drained host (`drain = true`) for its hover and code lens: what the lock
 * runs on it now (instances, vCPUs, GiB; absent without a readable lock), what the plan leaves on
 * it (only pins can: `drain-pinned`), and how many instances the moves take off it and bring to
 * it (a blocked move counts: it is needed). One set of figures, so the hover and the lens agree.
 */
export interface DrainedStory {
    readonly locked?: LockedOnHost;
    /** The plan's instances on it (pinned there by `runs`; none without pins). */
    readonly planned: HostFigures;
    /** Moves off the host and onto it (0 without a lock); `out` counts the stops too. */
    readonly out: number;
    readonly in: number;
    /** Of `out`: the instances stopped on it (left unplaced: no room for them in the plan). */
    readonly stopped: number;
}

/**
 * Per analysis, the day-2 figures per host that hover and code lenses read for every host: built
 * once (the lock's load per host only when a drained host asks for it).
 */
interface Day2ByHost {
    locked?: Map<string, LockedOnHost>;
    readonly moves?: ReturnType<typeof movesPerHost>;
    readonly stopped: Map<string, number>;
}
const day2ByHost = new WeakMap<PlanAnalysis, Day2ByHost>();

function day2Figures(analysis: PlanAnalysis): Day2ByHost {
    let f = day2ByHost.get(analysis);
    if (f) return f;
    const d = analysis.day2;
    const stopped = new Map<string, number>();
    for (const s of d?.order?.steps ?? [])
        if (s.kind === 'stop') stopped.set(s.from, (stopped.get(s.from) ?? 0) + 1);
    f = {
        ...(d?.order ? { moves: movesPerHost([...d.order.steps, ...d.order.blocked]) } : {}),
        stopped
    };
    day2ByHost.set(analysis, f);
    return f;
}

/**
 * The day-2 moves into and out of each host (`movesPerHost` of the migration order, blocked
 * moves counted), by host name; `undefined` without a lock. Built once per analysis.
 */
export function movesByHost(analysis: PlanAnalysis): ReturnType<typeof movesPerHost> | undefined {
    return day2Figures(analysis).moves;
}

/** The `DrainedStory` of the host `h` (its figures in `analysis`). */
export function drainedStory(analysis: PlanAnalysis, h: HostFigures): DrainedStory {
    const f = day2Figures(analysis);
    const lock = analysis.day2?.lock;
    if (lock && !f.locked) f.locked = lockedByHost(analysis.built.model, lock);
    return {
        locked: f.locked
            ? (f.locked.get(h.name) ?? { instances: [], cores: 0, memoryGiB: 0 })
            : undefined,
        planned: h,
        out: f.moves?.get(h.name)?.out ?? 0,
        in: f.moves?.get(h.name)?.in ?? 0,
        stopped: f.stopped.get(h.name) ?? 0
    };
}
