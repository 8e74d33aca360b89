/**
 * Test fixtures: the example plans of `examples/` built directly as `PlanModel`s
 * (the parser is written elsewhere), and a small builder for more.
 */
import {
    expandInstances,
    type Deployment,
    type Host,
    type PlanModel,
    type PlanSettings,
    type Role,
    type Shape,
    type Workload
} from '../../src/planner/model.js';

export interface ShapeSpec {
    name: string;
    role: Role;
    cores: number;
    memoryGiB: number;
    loginProcesses?: number;
    localDiskGiB?: number;
}
export interface HostSpec {
    /** One name or several: each gets a copy of the block (like `host a, b` or a range). */
    names: string | string[];
    cores: number;
    memoryGiB: number;
    threadsPerCore?: number;
    hypervisorCores?: number;
    hypervisorMemoryGiB?: number;
    rack?: string;
    /** `runs = N x shape, …` as [count, shape] pairs. */
    runs?: [number, string][];
}
export interface PlanSpec {
    settings?: Partial<PlanSettings>;
    workloads?: { name: string; demand: Partial<Record<Role, number>> }[];
    shapes: ShapeSpec[];
    /** `deploy N x shape [ring R]` as [count, shape, ring?]. */
    deploy: [number, string, string?][];
    hosts?: HostSpec[];
}

const ref = (index: number) => ({ file: 'test.dcplan', index });

/** Builds a `PlanModel` from a compact spec. */
export function buildPlan(spec: PlanSpec): PlanModel {
    const settings: PlanSettings = {
        dovecot: '2.3',
        platform: 'virtual',
        mailStorage: 'block',
        tolerateHostFailures: 0,
        ...spec.settings
    };
    const shapes: Shape[] = spec.shapes.map((s, index) => ({
        name: s.name,
        role: s.role,
        cores: s.cores,
        memoryGiB: s.memoryGiB,
        loginProcesses: s.loginProcesses ?? 1,
        loginProcessesSet: s.loginProcesses !== undefined,
        loginMode: 'performance',
        localDiskGiB: s.localDiskGiB,
        ref: ref(index)
    }));
    const deployments: Deployment[] = spec.deploy.map(([count, shape, ring], id) => ({
        id,
        shape,
        count,
        ring: ring ?? 'main',
        ref: ref(id)
    }));
    const hosts: Host[] = [];
    (spec.hosts ?? []).forEach((h, block) => {
        const names = Array.isArray(h.names) ? h.names : [h.names];
        names.forEach((name, nameIndex) => {
            const tpc = h.threadsPerCore ?? 1;
            const hvC = h.hypervisorCores ?? 0,
                hvM = h.hypervisorMemoryGiB ?? 0;
            hosts.push({
                name,
                cores: h.cores,
                threadsPerCore: tpc,
                memoryGiB: h.memoryGiB,
                numaNodes: 1,
                hypervisorCores: hvC,
                hypervisorMemoryGiB: hvM,
                usableCores: h.cores * tpc - hvC,
                usableMemoryGiB: h.memoryGiB - hvM,
                rack: h.rack,
                pins: (h.runs ?? []).map(([count, shape], pinIndex) => ({
                    shape,
                    count,
                    pinIndex
                })),
                hypervisorCoresSet: h.hypervisorCores !== undefined,
                hypervisorMemorySet: h.hypervisorMemoryGiB !== undefined,
                ref: ref(block),
                nameIndex
            });
        });
    });
    const workloads: Workload[] = (spec.workloads ?? []).map((w, index) => ({
        name: w.name,
        demand: Object.fromEntries(Object.entries(w.demand).map(([r, cores]) => [r, { cores }])),
        ref: ref(index)
    }));
    return {
        settings,
        workloads,
        shapes,
        deployments,
        hosts,
        instances: expandInstances(shapes, deployments)
    };
}

/** `hv01`…`hvNN` style names. */
export function names(prefix: string, from: number, to: number, pad = 2): string[] {
    const out: string[] = [];
    for (let i = from; i <= to; i++) out.push(prefix + String(i).padStart(pad, '0'));
    return out;
}

const peak = [{ name: 'peak', demand: { proxy: 12, director: 12, backend: 64 } }];
/** A block of 24-core, 384 GiB hypervisors that keep 2 cores and 16 GiB (22 cores, 368 GiB usable). */
export const dualSocket = (hostNames: string[]): HostSpec => ({
    names: hostNames,
    cores: 24,
    memoryGiB: 384,
    hypervisorCores: 2,
    hypervisorMemoryGiB: 16
});

/** The recommended split of seed-recommended.dcplan and seed-per-host.dcplan: 12 x 1-core proxies, 4 x 3-core directors, 16 x 4-core backends. */
const recommendedSplit: Pick<PlanSpec, 'shapes' | 'deploy'> = {
    shapes: [
        { name: 'proxy_1c', role: 'proxy', cores: 1, memoryGiB: 2 },
        { name: 'director_3c', role: 'director', cores: 3, memoryGiB: 6, loginProcesses: 3 },
        { name: 'backend_4c', role: 'backend', cores: 4, memoryGiB: 32 }
    ],
    deploy: [
        [12, 'proxy_1c'],
        [4, 'director_3c'],
        [16, 'backend_4c']
    ]
};

/**
 * The spec of examples/seed-recommended.dcplan on `hostCount` 24-core hosts `hv01`… (22 cores
 * usable each; the file has 4), for tests that vary one part of it.
 */
export const seedRecommendedSpec = (hostCount = 4): PlanSpec => ({
    settings: {
        name: 'recommended',
        title: 'Dovecot recommended VM split on four hypervisors'
    },
    workloads: peak,
    ...recommendedSplit,
    hosts: [dualSocket(names('hv', 1, hostCount))]
});

/** examples/seed-recommended.dcplan */
export const seedRecommended = (): PlanModel => buildPlan(seedRecommendedSpec());

/** examples/seed-reference.dcplan */
export const seedReference = (): PlanModel =>
    buildPlan({
        settings: { name: 'reference', title: 'Dovecot reference sizing on four hypervisors' },
        workloads: peak,
        shapes: [
            { name: 'proxy_4c', role: 'proxy', cores: 4, memoryGiB: 8 },
            { name: 'director_4c', role: 'director', cores: 4, memoryGiB: 8, loginProcesses: 4 },
            { name: 'backend_8c', role: 'backend', cores: 8, memoryGiB: 64 }
        ],
        deploy: [
            [3, 'proxy_4c'],
            [3, 'director_4c'],
            [8, 'backend_8c']
        ],
        hosts: [dualSocket(names('hv', 1, 4))]
    });

/** examples/seed-per-host.dcplan */
export const seedPerHost = (): PlanModel =>
    buildPlan({
        settings: { name: 'per_host' },
        ...recommendedSplit,
        hosts: [
            {
                ...dualSocket(names('hv', 1, 4)),
                runs: [
                    [3, 'proxy_1c'],
                    [1, 'director_3c'],
                    [4, 'backend_4c']
                ]
            }
        ]
    });

/** examples/overcommit.dcplan */
export const overcommit = (): PlanModel =>
    buildPlan({
        shapes: [
            { name: 'proxy_2c', role: 'proxy', cores: 2, memoryGiB: 4, loginProcesses: 2 },
            { name: 'backend_4c', role: 'backend', cores: 4, memoryGiB: 48 }
        ],
        deploy: [
            [2, 'proxy_2c'],
            [6, 'backend_4c']
        ],
        hosts: [
            {
                names: 'hv01',
                cores: 24,
                memoryGiB: 128,
                hypervisorCores: 2,
                hypervisorMemoryGiB: 16,
                runs: [
                    [2, 'proxy_2c'],
                    [5, 'backend_4c']
                ]
            },
            {
                names: 'hv02',
                cores: 24,
                memoryGiB: 128,
                hypervisorCores: 2,
                hypervisorMemoryGiB: 16,
                runs: [[1, 'backend_4c']]
            }
        ]
    });

/** examples/ring-too-large.dcplan */
export const ringTooLarge = (): PlanModel =>
    buildPlan({
        shapes: [
            { name: 'director_1c', role: 'director', cores: 1, memoryGiB: 2 },
            { name: 'proxy_1c', role: 'proxy', cores: 1, memoryGiB: 2 },
            { name: 'backend_4c', role: 'backend', cores: 4, memoryGiB: 32 }
        ],
        deploy: [
            [12, 'director_1c'],
            [8, 'proxy_1c'],
            [8, 'backend_4c']
        ],
        hosts: [
            {
                names: names('hv', 1, 4, 1),
                cores: 16,
                memoryGiB: 128,
                hypervisorCores: 2,
                hypervisorMemoryGiB: 8
            }
        ]
    });

/** examples/seed-physical.dcplan */
export const seedPhysical = (): PlanModel =>
    buildPlan({
        settings: { name: 'physical', platform: 'physical' },
        shapes: [
            { name: 'proxy_4c', role: 'proxy', cores: 4, memoryGiB: 16, loginProcesses: 4 },
            { name: 'director_4c', role: 'director', cores: 4, memoryGiB: 16, loginProcesses: 4 },
            { name: 'backend_8c', role: 'backend', cores: 8, memoryGiB: 128 }
        ],
        deploy: [
            [3, 'proxy_4c'],
            [3, 'director_4c'],
            [8, 'backend_8c']
        ]
    });
