/**
 * The resolved plan: what a `.dcplan` file means once names are resolved, units normalised
 * (cores and vCPUs as whole numbers, memory and disk in GiB), host ranges, lists and models
 * expanded, and instances named `<shape>-<k>`.
 *
 * Pure data: no vscode or langium import. The language layer (`language-server/model-builder.ts`)
 * builds it from the AST; the planner (`placement.ts`, `figures.ts`, `rules.ts`) reads it.
 *
 * Every element carries an `ElementRef` so a finding can be mapped back to source text by the
 * language layer without the planner knowing about syntax trees.
 */

/** The three Dovecot roles of the page's "3 layer architecture". */
export type Role = 'proxy' | 'director' | 'backend';

/** All roles in report order. */
export const ROLES: readonly Role[] = ['proxy', 'director', 'backend'];

/** Role → index in `ROLES` order (proxy 0, director 1, backend 2): the one role → index map. */
export const ROLE_INDEX: Readonly<Record<Role, number>> = { proxy: 0, director: 1, backend: 2 };

/** Most instances in one plan (the spec's "Lexical" limits; the language layer enforces it). */
export const MAX_PLAN_INSTANCES = 1_000_000;

/** The versions `dovecot = "…"` takes, in the order messages list them; the director role is gone from 2.4 and Pro 3.0. */
export const DOVECOT_VERSIONS = ['2.3', '2.4', 'pro-3.0'] as const;

/** `dovecot = "…"`: one of `DOVECOT_VERSIONS`. */
export type DovecotVersion = (typeof DOVECOT_VERSIONS)[number];

/**
 * Where a model element came from, opaque to the planner. `file` is the document URI (or path)
 * that declares it, `index` the element's position among its kind in that file (0-based, file
 * order). The language layer uses it to find the AST node again.
 */
export interface ElementRef {
    readonly file: string;
    readonly index: number;
}

/** The optional `plan { … }` block, with the spec's defaults filled in. */
export interface PlanSettings {
    /** The plan's name, `undefined` when the file has no `plan` block. */
    readonly name?: string;
    readonly title?: string;
    /** Default "2.3". */
    readonly dovecot: DovecotVersion;
    /** Default `virtual`. With `physical` every instance is its own machine (no hosts). */
    readonly platform: 'virtual' | 'physical';
    /** Default `block`. `object` storage needs local cache disk on backends (the page, "Virtualised Backend sizing"). */
    readonly mailStorage: 'block' | 'object';
    /** Default 0: how many host losses the placement must survive (1 = N+1). */
    readonly tolerateHostFailures: number;
    /**
     * Default 0: how many moves beyond those that must happen the planner may spend on spread,
     * mix and balance when it plans from a lock (the current placement; issue 12, day 2).
     */
    readonly rebalanceMoves?: number;
    readonly ref?: ElementRef;
}

/** The demand of one role in one workload. */
export interface RoleDemand {
    /** Cores the role needs for the load. */
    readonly cores: number;
    /** Optional memory need, GiB. */
    readonly memoryGiB?: number;
}

/** A `workload` block: the load a role must carry. */
export interface Workload {
    readonly name: string;
    /** Concurrent IMAP/POP3/LMTP sessions. */
    readonly sessions?: number;
    /** Users with a live cache on the backends. */
    readonly activeUsers?: number;
    readonly demand: Readonly<Partial<Record<Role, RoleDemand>>>;
    readonly ref: ElementRef;
}

/** A `shape`: one VM size for one role. */
export interface Shape {
    readonly name: string;
    readonly role: Role;
    /** vCPUs of one instance (whole, positive). */
    readonly cores: number;
    /** Memory of one instance, GiB. */
    readonly memoryGiB: number;
    /** Login processes (`process_min_avail`) for proxies and directors; default 1. */
    readonly loginProcesses: number;
    /** True when `login_processes` is written in the file (quick-fixes need to know). */
    readonly loginProcessesSet: boolean;
    /** Default `performance` (the page's case); `security` uses every core. */
    readonly loginMode: 'performance' | 'security';
    /** Local ephemeral disk for fscache/metacache, GiB (backends). */
    readonly localDiskGiB?: number;
    readonly ref: ElementRef;
}

/** A `deploy N x shape [ring R]` line. */
export interface Deployment {
    /** Index of this deployment in `PlanModel.deployments`. */
    readonly id: number;
    readonly shape: string;
    readonly count: number;
    /** Director ring; default `main`. */
    readonly ring: string;
    readonly ref: ElementRef;
}

/** `runs = 3 x proxy_1c` on a host: instances pinned by hand. */
export interface Pin {
    readonly shape: string;
    readonly count: number;
    /** Position of this pin within its `runs` list. */
    readonly pinIndex: number;
}

/** One physical machine (a host block names one or several). */
export interface Host {
    readonly name: string;
    /** Physical cores (before threads). */
    readonly cores: number;
    readonly threadsPerCore: number;
    readonly memoryGiB: number;
    readonly numaNodes: number;
    readonly hypervisorCores: number;
    readonly hypervisorMemoryGiB: number;
    /** Usable vCPUs = cores × threads_per_core − hypervisor_cores (the page: hyper-threads count as cores). */
    readonly usableCores: number;
    /** Usable memory = memory − hypervisor_memory, GiB. */
    readonly usableMemoryGiB: number;
    readonly rack?: string;
    readonly model?: string;
    /** Instances pinned by `runs`; empty when the planner places freely. */
    readonly pins: readonly Pin[];
    /**
     * `drain = true`: the host is in maintenance, nothing unpinned may stay on it (issue 12, day
     * 2). Absent: false.
     */
    readonly drain?: boolean;
    /** True when the host block (or its model) states a hypervisor core / memory reserve. */
    readonly hypervisorCoresSet: boolean;
    readonly hypervisorMemorySet: boolean;
    /** The host block; `ref.index` counts host blocks, `nameIndex` the name within the block. */
    readonly ref: ElementRef;
    readonly nameIndex: number;
}

/** One VM: an instance of a shape. */
export interface Instance {
    /** `<shape>-<k>`, k counting from 1 across all deployments of the shape in file order. */
    readonly name: string;
    readonly shape: string;
    readonly role: Role;
    readonly cores: number;
    readonly memoryGiB: number;
    /** 1-based number within the shape. */
    readonly number: number;
    /** `Deployment.id` it comes from. */
    readonly deployment: number;
    readonly ring: string;
}

/** The whole resolved plan. */
export interface PlanModel {
    readonly settings: PlanSettings;
    readonly workloads: readonly Workload[];
    readonly shapes: readonly Shape[];
    readonly deployments: readonly Deployment[];
    readonly hosts: readonly Host[];
    /** All instances in deployment order. */
    readonly instances: readonly Instance[];
    /**
     * Elements of the text left out of the model for their errors (a host block without valid
     * cores or memory, a deployment with an invalid count or of a shape left out), so that a
     * finding does not state "no hosts" or "0 deployed" as if nothing had been written. Absent: none.
     * `deploymentsByRole`: of `deployments`, those whose shape names a role and that have errors,
     * by that role (one of an unknown shape counts for no role). `hostBlocksOverLimit`: of `hostBlocks`, those left
     * out for passing the limit of hosts per plan (valid values, too many hosts).
     */
    readonly leftOut?: {
        readonly hostBlocks: number;
        readonly hostBlocksOverLimit?: number;
        readonly deployments: number;
        readonly deploymentsByRole?: Partial<Record<Role, number>>;
        /** Of `deployments`, those of a role left out for passing the limit of instances per plan, by role (not in `deploymentsByRole`). */
        readonly deploymentsOverLimitByRole?: Partial<Record<Role, number>>;
    };
}

/**
 * The racks the objective's `racks` level counts (rule 4): each host's rack as an index, in the
 * order racks first appear among the hosts, -1 for a host without one; with fewer than 2 racks
 * none counts (`count` 0, every index -1). One rule for the heuristic's state, the objective,
 * the exact model and the rebalance.
 */
export function rackIndices(model: Pick<PlanModel, 'hosts'>): {
    readonly count: number;
    readonly ofHost: Int32Array;
} {
    const ids = new Map<string, number>();
    const ofHost = new Int32Array(model.hosts.length).fill(-1);
    model.hosts.forEach((host, h) => {
        if (host.rack === undefined) return;
        if (!ids.has(host.rack)) ids.set(host.rack, ids.size);
        ofHost[h] = ids.get(host.rack)!;
    });
    if (ids.size < 2) return { count: 0, ofHost: ofHost.fill(-1) };
    return { count: ids.size, ofHost };
}

/**
 * Expands deployments into named instances: `<shape>-<k>`, k counting from 1 across all
 * deployments of the shape in file order (spec, "Elements"). Deployments whose shape is not in
 * `shapes` are skipped (the language layer reports them as unresolved).
 */
export function expandInstances(
    shapes: readonly Shape[],
    deployments: readonly Deployment[]
): Instance[] {
    const byName = new Map(shapes.map(s => [s.name, s]));
    const next = new Map<string, number>();
    const out: Instance[] = [];
    for (const d of deployments) {
        const shape = byName.get(d.shape);
        if (!shape) continue;
        let k = next.get(shape.name) ?? 0;
        for (let i = 0; i < d.count; i++) {
            k++;
            out.push({
                name: `${shape.name}-${k}`,
                shape: shape.name,
                role: shape.role,
                cores: shape.cores,
                memoryGiB: shape.memoryGiB,
                number: k,
                deployment: d.id,
                ring: d.ring
            });
        }
        next.set(shape.name, k);
    }
    return out;
}
