/**
 * The plan report: the machine-readable output of `dcplan check|place --format json` and what the
 * preview pane renders (spec, "The plan report"). Field names are the contract; fractions are
 * 0–1 numbers; cores are vCPUs; memory is GiB. Lines and columns are 1-based, end exclusive.
 */
import type { Role } from './model.js';

/**
 * What a day-2 migration step does (issue 12): `move` changes an instance's host; `stop` shuts
 * down a locked instance the plan leaves unplaced; `remove` shuts down one the plan no longer
 * deploys; `rebuild` rebuilds one in place at its shape's new size; `create` starts a new one on
 * its planned host (a role that loses locked instances gains its new ones step by step).
 */
export type StepKind = 'move' | 'stop' | 'remove' | 'rebuild' | 'create';

/**
 * Why a day-2 step is taken (a closed set; spec, "The migration order"). A `move` (its hop and
 * its blocked form too): `host-removed` (the plan no longer has its locked host), `host-drained`,
 * `host-overcommitted` (its host cannot hold what the lock runs there: pins, or a smaller
 * capacity), `resized` (its shape changed size and its host has no room for the new size),
 * `pinned` (a `runs` pin puts it on its target), `placement` (the placement needs it: room for an
 * instance that would be unplaced, or a role off one host), `rebalance` (one of the
 * `rebalance_moves`). The other kinds: `no-longer-deployed` (a `remove`), `no-room` (a `stop`),
 * `resized` (a `rebuild`), `new` (a `create`).
 */
export type StepReason =
    | 'host-removed'
    | 'host-drained'
    | 'host-overcommitted'
    | 'resized'
    | 'pinned'
    | 'placement'
    | 'rebalance'
    | 'no-longer-deployed'
    | 'no-room'
    | 'new';

/** The reason a step carries (`StepReason`): set on every step of a plan placed from a lock. */
export interface StepWhy {
    readonly reason?: StepReason;
}

/**
 * An instance's size in a migration step (issue 12): `cores` in vCPUs, `memoryGiB` in GiB. The
 * size before is the one the lock recorded for the instance's shape (`shapes`), the size after
 * its shape's size in the plan.
 */
export interface StepSize {
    readonly cores: number;
    readonly memoryGiB: number;
}

/** Diagnostic severities as the spec and the CLI name them. */
export type Severity = 'error' | 'warning' | 'info' | 'hint';

/** One diagnostic in a report. */
export interface ReportDiagnostic {
    readonly code: string;
    readonly severity: Severity;
    /** 1-based. */
    readonly line: number;
    readonly column: number;
    readonly endLine: number;
    /** Exclusive, 1-based. */
    readonly endColumn: number;
    readonly message: string;
    /** The file the diagnostic is in when it is not the report's own file (an imported file). */
    readonly file?: string;
}

/** Figures of one role (spec, "Per role"). */
export interface RoleFigures {
    readonly instances: number;
    /** Deployed vCPUs of the role. */
    readonly cores: number;
    readonly memoryGiB: number;
    /** Largest stated demand over the workloads, `null` when no workload states one. */
    readonly demandCores: number | null;
    /** Largest share of the role's cores that one instance holds (1/n for alike instances). */
    readonly maintenanceImpact: number;
    /** Hosts that run at least one instance of the role. */
    readonly hostsUsed: number;
    /** Most instances of the role on one host. */
    readonly maxOnOneHost: number;
    /** Cores of the role left unplaced. */
    readonly unplacedCores: number;
    /** Distinct shapes of the role: `cores` each, `instances`. */
    readonly shapes: readonly {
        readonly shape: string;
        readonly instances: number;
        readonly cores: number;
        readonly memoryGiB: number;
    }[];
}

/** Share of each role's cores on a host, and the headline sessions share (spec, "Per host"). */
export interface LossImpact {
    readonly proxy: number;
    readonly director: number;
    readonly backend: number;
    /** max(proxy share, backend share): sessions affected when the host is lost. */
    readonly sessions: number;
}

/** One host row of the report. */
export interface HostFigures {
    readonly name: string;
    readonly usableCores: number;
    readonly usedCores: number;
    readonly usableMemoryGiB: number;
    readonly usedMemoryGiB: number;
    /** Physical cores × threads per core. */
    readonly vcpus: number;
    readonly hypervisorCores: number;
    readonly hypervisorMemoryGiB: number;
    readonly memoryGiB: number;
    readonly rack: string | null;
    readonly instances: readonly string[];
    /** Instances of each role on this host. */
    readonly roleCounts: Readonly<Record<Role, number>>;
    readonly lossImpact: LossImpact;
    /** True when the host's `runs` pin more than it has usable. */
    readonly overcommitted: boolean;
    /** Day 2: `drain = true` (maintenance): the host runs nothing unpinned, its usable figures are 0. Absent: not drained. */
    readonly drained?: boolean;
}

/** An instance the planner could not place. */
export interface UnplacedInstance {
    readonly instance: string;
    readonly shape: string;
    readonly cores: number;
    readonly memoryGiB: number;
}

/** Plan-wide totals (cores are vCPUs). */
export interface Totals {
    /**
     * Sum over roles of the largest stated demand (cores); null when no workload states a demand
     * for any role (as a role's own `demandCores`).
     */
    readonly demandCores: number | null;
    readonly deployedCores: number;
    /** Sum of the hosts' usable vCPUs (physical plans: deployed cores). */
    readonly usableCores: number;
    /** Sum of the hosts' physical cores × threads (physical plans: deployed cores). */
    readonly physicalCores: number;
    readonly placedCores: number;
    readonly unplacedCores: number;
    readonly deployedMemoryGiB: number;
    readonly usableMemoryGiB: number;
}

/**
 * Host-failure figures (spec, "Host failure"); `null` while not computed. The searches behind
 * them share a bounded amount of work: the optional fields appear only when a figure is not exact.
 */
export interface HostFailureFigures {
    /** Largest k in 0..2 such that the loss of any k hosts can be re-placed (proven). */
    readonly tolerates: number;
    /**
     * Smallest host count (plan's hosts plus copies of its largest) that survives any one loss;
     * the plan's own count when it already does (`tolerates` ≥ 1: not a minimum). Drained hosts
     * (day 2, `drain = true`) are not counted: they are not usable.
     */
    readonly hostsNeededForNPlus1: number;
    /** Day 2: how many of the plan's hosts are drained (not counted above); absent when none is. */
    readonly drainedHosts?: number;
    /** `at-least`: the work budget ran out before k = `tolerates` + 1 was decided (not proven). */
    readonly toleratesBound?: 'at-least';
    /**
     * `at-least`: the work budget ran out, `hostsNeededForNPlus1` is a lower bound;
     * `unreachable`: no number of copies of `copiesOf` makes the plan survive one loss
     * (`hostsNeededForNPlus1` is then the plan's own host count).
     */
    readonly nPlus1Bound?: 'at-least' | 'unreachable';
    /** With `nPlus1Bound`: the host whose copies the N+1 search adds (the largest by usable vCPUs). */
    readonly copiesOf?: string;
    /**
     * `tolerate_host_failures = 2` and the plan tolerates fewer: the hosts N+2 needs, found as
     * `hostsNeededForNPlus1` is (copies of the largest host; drained hosts not counted), with
     * `bound` and `copiesOf` as `nPlus1Bound` has them. Absent otherwise.
     */
    readonly nPlusAsked?: {
        readonly losses: number;
        readonly hosts: number;
        readonly bound?: 'at-least' | 'unreachable';
        readonly copiesOf?: string;
    };
}

/** The whole report. */
export interface PlanReport {
    readonly file: string;
    readonly plan: string | null;
    readonly title: string | null;
    readonly platform: 'virtual' | 'physical';
    readonly diagnostics: readonly ReportDiagnostic[];
    readonly roles: Readonly<Record<Role, RoleFigures>>;
    readonly hosts: readonly HostFigures[];
    readonly unplaced: readonly UnplacedInstance[];
    /** Why instances are unplaced: the total is short, or the pieces do not fit. */
    readonly unplacedReason: 'total-short' | 'fragmentation' | null;
    /**
     * With `unplacedReason` 'fragmentation': whether no placement fits them all is proved (by
     * the exact solver, or a common divisor of the sizes); absent otherwise.
     */
    readonly fragmentationProved?: boolean;
    /** The most vCPUs any placement places, pins included, where the exact fallback proved it. */
    readonly placedCoresBound?: number;
    readonly totals: Totals;
    readonly hostFailure: HostFailureFigures | null;
    /** Day 2 (issue 12): the lock file the plan was placed from; absent without one. */
    readonly lockFile?: string;
    /**
     * Day 2: the steps from the lock's placement to this one; absent without a lock. First the
     * safe steps in order (removals, stops, then moves and rebuilds; a temporary hop said as
     * such), then the moves and rebuilds no safe order can make (`blocked: true`, diagnostic
     * `migration-blocked`), numbered on after the steps. `countMoves` (migration.ts) gives the
     * moves they stand for.
     */
    readonly moves?: readonly (StepWhy & {
        readonly step: number;
        /** `move`, `stop` (left unplaced: shut down), `remove` (no longer deployed), `rebuild` (in place at a new size), `create` (a new instance, on `to`). */
        readonly kind: StepKind;
        readonly instance: string;
        readonly from: string;
        /** The target host; null for a stop or removal; the same host as `from` for a rebuild or a create. */
        readonly to: string | null;
        readonly temporary: boolean;
        /** Present (true) on a move no safe order can make: it is needed but cannot be done as planned. */
        readonly blocked?: true;
        /**
         * On a `rebuild`, and on a `move` whose shape changed size (its first step when it
         * hops): the size it runs at now (the lock's size of its shape). Alone on a `remove` or
         * `stop`: the size of the instance shut down (absent when the lock recorded none for
         * its shape).
         */
        readonly fromSize?: StepSize;
        /** Beside `fromSize`: the size it comes up at (its shape's size in the plan); alone on a `create`. */
        readonly toSize?: StepSize;
    })[];
}
