/**
 * The contract between the rulebook and the quick-fixes: every diagnostic code, the model element
 * a finding is about, and per code the facts (`data`) a finding carries for its fixes. A finding
 * is a union keyed by its code, so a rule cannot attach the wrong facts to a code and a fix reads
 * them typed (`language-server/fixes/`), not back out of a `Record<string, unknown>`.
 *
 * Pure types and constants: no planner logic, no langium or vscode import.
 */
import type { Role } from './model.js';
import type { Severity } from './report.js';

/** Every diagnostic code of the rulebook and of the language (spec, "Checks"). Codes are stable. */
export const IssueCodes = {
    CpuOvercommit: 'cpu-overcommit',
    MemoryOvercommit: 'memory-overcommit',
    Unplaceable: 'unplaceable',
    CapacityShort: 'capacity-short',
    PinExceedsDeploy: 'pin-exceeds-deploy',
    DirectorRingTooLarge: 'director-ring-too-large',
    RoleOnOneHost: 'role-on-one-host',
    LoginIdleCores: 'login-idle-cores',
    SingleInstance: 'single-instance',
    NoHypervisorReserve: 'no-hypervisor-reserve',
    BackendCacheDisk: 'backend-cache-disk',
    DirectorRemoved: 'director-removed',
    DirectorRingLoad: 'director-ring-load',
    BackendCacheSize: 'backend-cache-size',
    NumaSpan: 'numa-span',
    PhysicalSize: 'physical-size',
    PhysicalHostsIgnored: 'physical-hosts-ignored',
    HostFailure: 'host-failure',
    RoleConcentration: 'role-concentration',
    SingleRoleHost: 'single-role-host',
    ProxySplit: 'proxy-split',
    DirectorSplit: 'director-split',
    BackendSplit: 'backend-split',
    BackendTooSmall: 'backend-too-small',
    CapacityExcess: 'capacity-excess',
    UnusedShape: 'unused-shape',
    // Day 2 (issue 12): planning from the lock (src/planner/day2.ts).
    PlacementDrift: 'placement-drift',
    MigrationBlocked: 'migration-blocked',
    LockInvalid: 'lock-invalid',
    DrainPinned: 'drain-pinned',
    // The language's own (spec: "syntax errors, unresolved and duplicate names, bad units, …").
    SyntaxError: 'syntax-error',
    UnresolvedName: 'unresolved-name',
    DuplicateName: 'duplicate-name',
    DuplicateAttribute: 'duplicate-attribute',
    MissingAttribute: 'missing-attribute',
    AttributeNotForRole: 'attribute-not-for-role',
    RingNotForRole: 'ring-not-for-role',
    SizeUnit: 'size-unit',
    InvalidNumber: 'invalid-number',
    InvalidValue: 'invalid-value',
    HostRange: 'host-range',
    LimitExceeded: 'limit-exceeded',
    ImportMissing: 'import-missing',
    ImportCycle: 'import-cycle',
    MultiplePlans: 'multiple-plans',
    // An exception in the checker itself, contained (language-server/overrides/containment.ts).
    InternalError: 'internal-error'
} as const;

/** A diagnostic code. */
export type IssueCode = (typeof IssueCodes)[keyof typeof IssueCodes];

/** The model element a finding is about, and which part of it the diagnostic marks. */
export type FindingTarget =
    | { readonly kind: 'plan'; readonly property: 'name' | 'dovecot' | 'tolerateHostFailures' }
    | {
          readonly kind: 'workload';
          readonly index: number;
          readonly property: 'sessions' | 'activeUsers';
      }
    /** The role line (`proxy = 12 cores`) of a workload. */
    | { readonly kind: 'demand'; readonly index: number; readonly role: Role }
    | {
          readonly kind: 'shape';
          readonly index: number;
          readonly property: 'name' | 'cores' | 'memory';
      }
    | { readonly kind: 'deployment'; readonly index: number }
    /** A host of `PlanModel.hosts`: its name in the block, or the block's `runs`. */
    | { readonly kind: 'host'; readonly index: number; readonly property: 'name' | 'runs' }
    | { readonly kind: 'pin'; readonly host: number; readonly pinIndex: number };

/** A split choice: `count` instances of `cores` cores each. */
export interface SplitChoice {
    readonly count: number;
    readonly cores: number;
    /** The page's choice among several. */
    readonly preferred: boolean;
}

/**
 * The facts a finding of each code carries (the diagnostic's `data`, beside `data.code`), for the
 * quick-fixes and for clients. Codes absent here carry none. The language layer's own codes that
 * have fixes (`import-missing`, `size-unit`, `ring-not-for-role`) are listed too: their diagnostics are made by the
 * validator, and their fixes read the same types.
 */
export interface FindingDataByCode {
    /** A `runs` pin asks more instances of `shape` than are left to pin. */
    'pin-exceeds-deploy': {
        readonly shape: string;
        readonly asked: number;
        readonly available: number;
    };
    /** Login processes (`loginProcesses`) fewer than the `cores` of a proxy or director `shape`. */
    'login-idle-cores': {
        readonly shape: string;
        readonly role: Role;
        readonly cores: number;
        readonly loginProcesses: number;
    };
    /** The split choices for `shape` (spec, `proxy-split`, `director-split`, `backend-split`). */
    'proxy-split': { readonly shape: string; readonly splits: readonly SplitChoice[] };
    'director-split': { readonly shape: string; readonly splits: readonly SplitChoice[] };
    'backend-split': { readonly shape: string; readonly splits: readonly SplitChoice[] };
    /** Cores needed on `host` (pins and placement) against its usable cores. */
    'cpu-overcommit': { readonly host: string; readonly needed: number; readonly usable: number };
    /** A drained `host` whose `runs` pins `pinned` instances on it (issue 12). */
    'drain-pinned': { readonly host: string; readonly pinned: number };
    /** Memory needed on `host` against its usable memory, GiB. */
    'memory-overcommit': {
        readonly host: string;
        readonly needed: number;
        readonly usable: number;
    };
    /** The unplaced instances of one deployment; `unplacedCores` over the whole plan. */
    unplaceable: {
        readonly instances: readonly string[];
        readonly unplacedCores: number;
        readonly reason: 'total-short' | 'fragmentation' | null;
    };
    /**
     * A role's deployed cores (and memory, GiB, when a workload states it) short of the demand.
     * `demandMemoryGiB` absent: the shortage is in cores only.
     */
    'capacity-short': {
        readonly role: Role;
        readonly demandCores: number;
        readonly deployedCores: number;
        readonly demandMemoryGiB?: number;
        readonly deployedMemoryGiB?: number;
    };
    /** A ring of `directors` instances (`cores` in all) and the merges that bring it to 9 or fewer. */
    'director-ring-too-large': {
        readonly ring: string;
        readonly directors: number;
        readonly cores: number;
        readonly splits: readonly SplitChoice[];
    };
    /** The one instance of `role`, deployed as one `shape` (whose size the fix's title gives). */
    'single-instance': { readonly role: Role; readonly shape: string };
    /** Every instance of `role` is pinned to `host`. */
    'role-on-one-host': { readonly role: Role; readonly host: string };
    /** More than `cap` instances (`count`) of `role` on one host. */
    'role-concentration': { readonly role: Role; readonly count: number; readonly cap: number };
    /** `hosts` (written in one block, `host` the first) reserve no hypervisor cores and/or memory. */
    'no-hypervisor-reserve': {
        readonly host: string;
        readonly hosts: readonly string[];
        readonly cores: boolean;
        readonly memory: boolean;
    };
    /** Host losses the placement survives, losses asked, and the host counts N+1 and N+2 (2 asked) need. */
    'host-failure': {
        readonly tolerates: number;
        readonly asked: number;
        readonly hostsNeededForNPlus1: number;
        readonly hostsNeededForAsked?: number;
    };
    /** Shapes an imported file takes from `importPath` (relative to the importing file), which is not imported. */
    'import-missing': { readonly importPath: string };
    /** `ring` written on a deployment of `shape`, whose `role` is not director (rings are directors'). */
    'ring-not-for-role': { readonly shape: string; readonly role: Role; readonly ring: string };
    /** The size as it should be written (`8 GiB`); `guess`: the unit is the likely one, not a certain one. */
    'size-unit': { readonly replacement: string; readonly guess: boolean };
    /** An attribute given twice in one block: no facts (its fix reads the block's text). */
    'duplicate-attribute': Readonly<Record<string, never>>;
}

/** A code whose findings carry data. */
export type CodeWithData = keyof FindingDataByCode;

/**
 * The facts of a finding of code `C` (`undefined` for a code without data): the one contract
 * between the rules that make findings and the quick-fixes that read them.
 * @public
 */
export type FindingData<C extends IssueCode = IssueCode> = C extends CodeWithData
    ? FindingDataByCode[C]
    : undefined;

/** What every finding has, whatever its code. */
interface FindingBase {
    readonly severity: Severity;
    readonly message: string;
    readonly target: FindingTarget;
    /** Other places that matter (the hosts behind `role-on-one-host`, the pins behind an overcommit). */
    readonly related?: readonly { readonly target: FindingTarget; readonly message: string }[];
}

/** A finding of code `C`: its `data` required when the code has data, absent otherwise. */
export type FindingOf<C extends IssueCode> = FindingBase & {
    readonly code: C;
} & (C extends CodeWithData
        ? { readonly data: FindingDataByCode[C] }
        : { readonly data?: undefined });

/**
 * A rule's finding: the code, severity and message of a diagnostic, where it belongs, and the
 * facts its quick-fixes need. A union over the codes, discriminated by `code`.
 */
export type Finding = { [C in IssueCode]: FindingOf<C> }[IssueCode];
