/**
 * Seeded plan generator for the benchmark and the planner tests: Dovecot-like plans (proxies,
 * directors, backends in the page's proportions) on mixed hosts at a target core load, as
 * `PlanModel`s (for the planner alone) or as `.dcplan` text (for the whole check and the
 * language server). The same seed gives the same plan on every machine (mulberry32 PRNG).
 */
import {
    expandInstances,
    type Deployment,
    type Host,
    type PlanModel,
    type Role,
    type Shape
} from '../src/planner/model.js';
import { seededRandom } from '../src/planner/random.js';

/** A small fast PRNG (mulberry32): uniform in [0, 1). The planner's own. */
export const rng = seededRandom;

/** Host models: physical cores, GiB; every host keeps 2 cores and 16 GiB for the hypervisor. */
export const HOST_MODELS = [
    { name: 'm16', cores: 16, memoryGiB: 128 },
    { name: 'm24', cores: 24, memoryGiB: 256 },
    { name: 'm32', cores: 32, memoryGiB: 384 },
    { name: 'm48', cores: 48, memoryGiB: 512 }
] as const;

/** Shape choices per role: vCPUs and GiB per vCPU. */
const SHAPES: Record<Role, { cores: number[]; gibPerCore: number }> = {
    proxy: { cores: [1, 2, 4], gibPerCore: 2 },
    director: { cores: [2, 3, 4], gibPerCore: 2 },
    backend: { cores: [4, 6, 8], gibPerCore: 8 }
};
/** Share of the cores per role (the page's sizing: 12 / 12 / 64 of 88). */
const ROLE_SHARE: Record<Role, number> = { proxy: 0.15, director: 0.12, backend: 0.73 };

/** What to generate. */
export interface GenSpec {
    readonly seed: number;
    /** Number of hosts. */
    readonly hosts: number;
    /** Deployed cores / usable cores, e.g. 0.85. */
    readonly load: number;
    /** Most instances (the counts are scaled down to stay below). Default unbounded. */
    readonly maxInstances?: number;
    /** Host sizes: `mixed` (random models) or one model for all. Default mixed. */
    readonly hostModel?: 'mixed' | (typeof HOST_MODELS)[number]['name'];
    /** Shapes per role: 1 or 2 (mixed sizes within a role). Default random 1–2. */
    readonly shapesPerRole?: 1 | 2;
    /** Directors or not (2.4 has none). Default true. */
    readonly directors?: boolean;
    /** `tolerate_host_failures`. Default 0. */
    readonly tolerate?: number;
    /** Racks to spread the hosts over (0: none). Default 0. */
    readonly racks?: number;
}

/** A generated plan: the shapes, deployments and hosts as plain data, before names are resolved. */
export interface GenPlan {
    readonly name: string;
    readonly tolerate: number;
    readonly shapes: { name: string; role: Role; cores: number; memoryGiB: number }[];
    readonly deploy: { shape: string; count: number }[];
    readonly hosts: { name: string; model: (typeof HOST_MODELS)[number]; rack?: string }[];
}

/** Generates a plan (see `GenSpec`). Deterministic in the spec. */
export function generate(spec: GenSpec): GenPlan {
    const r = rng(spec.seed * 7919 + spec.hosts);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
    const hosts: GenPlan['hosts'] = [];
    const width = String(spec.hosts).length;
    for (let i = 0; i < spec.hosts; i++) {
        const model =
            spec.hostModel && spec.hostModel !== 'mixed'
                ? HOST_MODELS.find(m => m.name === spec.hostModel)!
                : pick(HOST_MODELS);
        hosts.push({
            name: `hv${String(i + 1).padStart(width, '0')}`,
            model,
            rack: spec.racks ? `r${(i % spec.racks) + 1}` : undefined
        });
    }
    const usable = hosts.reduce((a, h) => a + h.model.cores - 2, 0);
    const target = spec.load * usable;
    const roles: Role[] =
        spec.directors === false ? ['proxy', 'backend'] : ['proxy', 'director', 'backend'];
    const shareSum = roles.reduce((a, x) => a + ROLE_SHARE[x], 0);
    const shapes: GenPlan['shapes'] = [];
    const deploy: GenPlan['deploy'] = [];
    for (const role of roles) {
        const k = spec.shapesPerRole ?? (r() < 0.5 ? 1 : 2);
        const sizes = [...SHAPES[role].cores]
            .sort(() => r() - 0.5)
            .slice(0, k)
            .sort((a, b) => a - b);
        let cores = (target * ROLE_SHARE[role]) / shareSum;
        sizes.forEach((c, j) => {
            const name = `${role}_${c}c`;
            const part = j === sizes.length - 1 ? cores : cores * (0.3 + 0.4 * r());
            const count = Math.max(1, Math.round(part / c));
            cores -= count * c;
            shapes.push({ name, role, cores: c, memoryGiB: c * SHAPES[role].gibPerCore });
            deploy.push({ shape: name, count });
        });
    }
    // trim to the instance limit, largest counts first
    if (spec.maxInstances) {
        let total = deploy.reduce((a, d) => a + d.count, 0);
        while (total > spec.maxInstances) {
            const d = deploy.reduce((a, b) => (b.count > a.count ? b : a));
            d.count--;
            total--;
        }
    }
    return {
        name: `gen_${spec.seed}_${spec.hosts}`,
        tolerate: spec.tolerate ?? 0,
        shapes,
        deploy: deploy.filter(d => d.count > 0),
        hosts
    };
}

/**
 * The model's shapes and deployments of generated ones (also bench/adversarial.ts): proxies and
 * directors get as many login processes as cores (`shapeLines` writes them so), every deployment
 * is in the ring `main`, element references point into `<name>.dcplan`.
 */
export function modelShapesAndDeployments(
    name: string,
    shapes: GenPlan['shapes'],
    deploy: GenPlan['deploy']
): { shapes: Shape[]; deployments: Deployment[] } {
    const ref = (index: number) => ({ file: `${name}.dcplan`, index });
    return {
        shapes: shapes.map((s, index) => ({
            name: s.name,
            role: s.role,
            cores: s.cores,
            memoryGiB: s.memoryGiB,
            loginProcesses: s.role === 'backend' ? 1 : s.cores,
            loginProcessesSet: s.role !== 'backend',
            loginMode: 'performance',
            ref: ref(index)
        })),
        deployments: deploy.map((d, id) => ({
            id,
            shape: d.shape,
            count: d.count,
            ring: 'main',
            ref: ref(id)
        }))
    };
}

/** The `shape` lines of generated shapes (also bench/adversarial.ts), login processes as in `modelShapesAndDeployments`. */
export function shapeLines(shapes: GenPlan['shapes']): string[] {
    return shapes.map(s => {
        const lp = s.role === 'backend' ? '' : `  login_processes = ${s.cores}`;
        return `shape ${s.name} { role = ${s.role} cores = ${s.cores} memory = ${s.memoryGiB} GiB${lp} }`;
    });
}

/** The `PlanModel` of a generated plan (what the language layer would build from its text). */
export function toModel(g: GenPlan): PlanModel {
    const ref = (index: number) => ({ file: `${g.name}.dcplan`, index });
    const { shapes, deployments } = modelShapesAndDeployments(g.name, g.shapes, g.deploy);
    const hosts: Host[] = g.hosts.map((h, index) => ({
        name: h.name,
        cores: h.model.cores,
        threadsPerCore: 1,
        memoryGiB: h.model.memoryGiB,
        numaNodes: 1,
        hypervisorCores: 2,
        hypervisorMemoryGiB: 16,
        usableCores: h.model.cores - 2,
        usableMemoryGiB: h.model.memoryGiB - 16,
        rack: h.rack,
        model: h.model.name,
        pins: [],
        hypervisorCoresSet: true,
        hypervisorMemorySet: true,
        ref: ref(index),
        nameIndex: 0
    }));
    return {
        settings: {
            name: g.name,
            dovecot: '2.3',
            platform: 'virtual',
            mailStorage: 'block',
            tolerateHostFailures: g.tolerate
        },
        workloads: [],
        shapes,
        deployments,
        hosts,
        instances: expandInstances(shapes, deployments)
    };
}

/**
 * The `.dcplan` text of a generated plan, one `host` block per host (the "written out
 * one host per block"), with a workload that asks for what is deployed.
 */
export function toText(g: GenPlan): string {
    const lines: string[] = [
        `// generated: ${g.name}`,
        `plan ${g.name} {`,
        `  title = "generated plan"`
    ];
    if (g.tolerate) lines.push(`  tolerate_host_failures = ${g.tolerate}`);
    lines.push('}', '');
    const demand: Partial<Record<Role, number>> = {};
    for (const d of g.deploy) {
        const s = g.shapes.find(x => x.name === d.shape)!;
        demand[s.role] = (demand[s.role] ?? 0) + s.cores * d.count;
    }
    lines.push('workload peak {');
    for (const [role, cores] of Object.entries(demand))
        lines.push(`  ${role.padEnd(8)} = ${cores} cores`);
    lines.push('}', '');
    lines.push(...shapeLines(g.shapes), '');
    for (const d of g.deploy) lines.push(`deploy ${d.count} x ${d.shape}`);
    lines.push('');
    for (const m of HOST_MODELS)
        lines.push(`model ${m.name} { cores = ${m.cores} memory = ${m.memoryGiB} GiB }`);
    lines.push('');
    for (const h of g.hosts) {
        lines.push(
            `host ${h.name} : ${h.model.name} {`,
            `  hypervisor_cores = 2`,
            `  hypervisor_memory = 16 GiB`
        );
        if (h.rack) lines.push(`  rack = ${h.rack}`);
        lines.push('}');
    }
    return lines.join('\n') + '\n';
}

/**
 * The fixed quality set: `count` plans of at most 100 instances on 4–20 mixed hosts, half at
 * 85% and half at 95% core load. Deterministic.
 */
export function qualitySet(count = 120): { spec: GenSpec; model: PlanModel }[] {
    const out: { spec: GenSpec; model: PlanModel }[] = [];
    const r = rng(20270);
    for (let k = 0; k < count; k++) {
        const hosts = 4 + Math.floor(r() * 17);
        const spec: GenSpec = {
            seed: 1000 + k,
            hosts,
            load: k % 2 === 0 ? 0.85 : 0.95,
            maxInstances: 100
        };
        out.push({ spec, model: toModel(generate(spec)) });
    }
    return out;
}

/**
 * A large plan of `instances` instances on `hosts` mixed hosts at about 85% core load (the
 * placement-time benchmark): 1-core proxies, 2-core directors (10% of the instances) and 4-core
 * backends, in the counts that give that load. Deterministic.
 */
export function largePlan(instances: number, hosts: number, seed = 1): PlanModel {
    const g = generate({ seed, hosts, load: 0.85, shapesPerRole: 1 });
    const usable = g.hosts.reduce((a, h) => a + h.model.cores - 2, 0);
    const T = 0.85 * usable,
        N = instances;
    const d = Math.round(0.1 * N);
    const b = Math.max(1, Math.min(N - d - 1, Math.round((T - 1.1 * N) / 3)));
    const p = N - d - b;
    const shapes = [
        { name: 'proxy_1c', role: 'proxy' as Role, cores: 1, memoryGiB: 2 },
        { name: 'director_2c', role: 'director' as Role, cores: 2, memoryGiB: 4 },
        { name: 'backend_4c', role: 'backend' as Role, cores: 4, memoryGiB: 32 }
    ];
    return toModel({
        ...g,
        shapes,
        deploy: [
            { shape: 'proxy_1c', count: p },
            { shape: 'director_2c', count: d },
            { shape: 'backend_4c', count: b }
        ]
    });
}
