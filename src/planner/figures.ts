/**
 * The figures of the plan report (spec, "What the checker computes": "Per role", "Per host",
 * "Host failure"; "The plan report" for the JSON shape). Pure: no vscode or langium import.
 *
 * Units: cores are vCPUs, memory is GiB, shares and impacts are fractions 0–1.
 */
import { ROLES, type Instance, type PlanModel, type Role } from './model.js';
import type { HostFigures, PlanReport, RoleFigures, Totals, UnplacedInstance } from './report.js';
import { ROLE_INDEX, type PlacementResult } from './placement.js';
import { hostFailure } from './host-failure.js';
import { EPS } from './eps.js';

export {
    hostFailure,
    explainHostFailure,
    hostsNeededForNPlus1,
    toleratedHostLosses,
    withCopiesOfLargestHost,
    largestHost
} from './host-failure.js';

/**
 * Builds everything of `PlanReport` except `file` and `diagnostics` from a model and its
 * placement (`place(model)`).
 *
 * - `roles`: per role (the page, "Sizing Virtual Machines" and the "Virtualised … sizing"
 *   sections): instances, cores, memory, `demandCores` (largest stated demand over the workloads,
 *   `null` if none), `maintenanceImpact` (largest share of the role's cores one instance holds:
 *   12 × 1-core proxies → 1/12; 0 for a role without instances), `hostsUsed`, `maxOnOneHost`,
 *   `unplacedCores`, `shapes` (shapes with instances, in model order).
 * - `hosts`: per host in model order (the page, "Allocating Virtual Instances on Physical
 *   Machines"): usable and used vCPUs and GiB, the instances, role counts, `lossImpact` (share
 *   of each role's deployed cores on the host; `sessions` = max(proxy share, backend share)).
 * - `totals`, `unplaced`, `unplacedReason`, `hostFailure` (see `hostFailure`).
 *
 * Physical plans: no hosts; every instance counts as placed on its own machine (`hostsUsed` =
 * instances, `maxOnOneHost` = 1 when the role has instances), `usableCores` = `physicalCores` =
 * deployed cores, `usableMemoryGiB` = deployed memory, `hostFailure` null.
 *
 * Units: vCPUs, GiB, fractions 0–1 (not rounded: the text layer rounds). Never throws on a
 * placement computed by `place` for the same model.
 */
export function computeFigures(
    model: PlanModel,
    placement: PlacementResult
): Omit<PlanReport, 'file' | 'diagnostics'> {
    const physical = model.settings.platform === 'physical';
    const inst = model.instances;
    const H = physical ? 0 : model.hosts.length;

    // Per role (index 0 proxy, 1 director, 2 backend): deployed cores, memory, instances and
    // largest piece; per shape name: instances. One pass over the instances.
    const roleCoresA = [0, 0, 0],
        roleMemA = [0, 0, 0],
        roleCountA = [0, 0, 0],
        roleMaxPieceA = [0, 0, 0];
    const roleIx = new Int8Array(inst.length);
    const shapeCount = new Map<string, number>();
    for (let k = 0; k < inst.length; k++) {
        const i = inst[k];
        const r = ROLE_INDEX[i.role];
        roleIx[k] = r;
        roleCoresA[r] += i.cores;
        roleMemA[r] += i.memoryGiB;
        roleCountA[r]++;
        if (i.cores > roleMaxPieceA[r]) roleMaxPieceA[r] = i.cores;
        shapeCount.set(i.shape, (shapeCount.get(i.shape) ?? 0) + 1);
    }
    const byRole = (a: readonly number[]): Record<Role, number> => ({
        proxy: a[0],
        director: a[1],
        backend: a[2]
    });
    const roleCores = byRole(roleCoresA),
        roleMem = byRole(roleMemA),
        roleCount = byRole(roleCountA),
        roleMaxPiece = byRole(roleMaxPieceA);
    const unplacedSet = new Set(placement.unplaced);
    const roleUnplaced: Record<Role, number> = { proxy: 0, director: 0, backend: 0 };
    for (const i of placement.unplaced) roleUnplaced[inst[i].role] += inst[i].cores;

    // per-host role counts and cores (3 entries per host), used vCPUs and GiB
    const hostCnt = new Int32Array(3 * H);
    const hostCores = new Float64Array(3 * H);
    const hostUsedC = new Float64Array(H),
        hostUsedM = new Float64Array(H);
    for (let h = 0; h < H; h++) {
        for (const i of placement.byHost[h] ?? []) {
            const r = roleIx[i];
            hostCnt[3 * h + r]++;
            hostCores[3 * h + r] += inst[i].cores;
            hostUsedC[h] += inst[i].cores;
            hostUsedM[h] += inst[i].memoryGiB;
        }
    }

    const roles = {} as Record<Role, RoleFigures>;
    for (const role of ROLES) {
        let demand: number | null = null;
        for (const w of model.workloads) {
            const d = w.demand[role];
            if (d !== undefined && (demand === null || d.cores > demand)) demand = d.cores;
        }
        const r = ROLE_INDEX[role];
        let hostsUsed = 0,
            maxOnOne = 0;
        if (physical) {
            hostsUsed = roleCount[role];
            maxOnOne = roleCount[role] > 0 ? 1 : 0;
        } else
            for (let h = 0; h < H; h++) {
                const c = hostCnt[3 * h + r];
                if (c > 0) hostsUsed++;
                if (c > maxOnOne) maxOnOne = c;
            }
        // the role's shapes with instances, in model order (a shape name has one role)
        const shapes: { shape: string; instances: number; cores: number; memoryGiB: number }[] = [];
        const listed = new Set<string>();
        for (const s of model.shapes) {
            const c = shapeCount.get(s.name);
            if (c && s.role === role && !listed.has(s.name)) {
                shapes.push({
                    shape: s.name,
                    instances: c,
                    cores: s.cores,
                    memoryGiB: s.memoryGiB
                });
                listed.add(s.name);
            }
        }
        // instances of a shape the model does not list (not made by `buildModel`; kept for hand-built models)
        if (listed.size < shapeCount.size) {
            for (let k = 0; k < inst.length; k++) {
                const i = inst[k];
                if (roleIx[k] === r && !listed.has(i.shape)) {
                    shapes.push({
                        shape: i.shape,
                        instances: shapeCount.get(i.shape)!,
                        cores: i.cores,
                        memoryGiB: i.memoryGiB
                    });
                    listed.add(i.shape);
                }
            }
        }
        roles[role] = {
            instances: roleCount[role],
            cores: roleCores[role],
            memoryGiB: roleMem[role],
            demandCores: demand,
            maintenanceImpact: roleCores[role] > 0 ? roleMaxPiece[role] / roleCores[role] : 0,
            hostsUsed,
            maxOnOneHost: maxOnOne,
            unplacedCores: roleUnplaced[role],
            shapes
        };
    }

    const hosts: HostFigures[] = [];
    const overcommitted = new Set(placement.overcommitted.map(o => o.host));
    for (let h = 0; h < H; h++) {
        const host = model.hosts[h];
        const on = placement.byHost[h] ?? [];
        const names: string[] = new Array<string>(on.length);
        for (let j = 0; j < on.length; j++) names[j] = inst[on[j]].name;
        const share = (r: number) => (roleCoresA[r] > 0 ? hostCores[3 * h + r] / roleCoresA[r] : 0);
        const proxy = share(0),
            director = share(1),
            backend = share(2);
        hosts.push({
            name: host.name,
            usableCores: host.usableCores,
            usedCores: hostUsedC[h],
            usableMemoryGiB: host.usableMemoryGiB,
            usedMemoryGiB: hostUsedM[h],
            vcpus: host.cores * host.threadsPerCore,
            hypervisorCores: host.hypervisorCores,
            hypervisorMemoryGiB: host.hypervisorMemoryGiB,
            memoryGiB: host.memoryGiB,
            rack: host.rack ?? null,
            instances: names,
            roleCounts: {
                proxy: hostCnt[3 * h],
                director: hostCnt[3 * h + 1],
                backend: hostCnt[3 * h + 2]
            },
            lossImpact: { proxy, director, backend, sessions: Math.max(proxy, backend) },
            overcommitted: overcommitted.has(h)
        });
    }

    let deployedC = 0,
        deployedM = 0,
        unplacedC = 0;
    for (const i of inst) {
        deployedC += i.cores;
        deployedM += i.memoryGiB;
    }
    const unplaced: UnplacedInstance[] = [];
    for (const i of [...unplacedSet].sort((a, b) => a - b)) {
        unplacedC += inst[i].cores;
        unplaced.push({
            instance: inst[i].name,
            shape: inst[i].shape,
            cores: inst[i].cores,
            memoryGiB: inst[i].memoryGiB
        });
    }
    let usableC = 0,
        physicalC = 0,
        usableM = 0;
    if (physical) {
        usableC = physicalC = deployedC;
        usableM = deployedM;
    } else
        for (const host of model.hosts) {
            usableC += host.usableCores;
            physicalC += host.cores * host.threadsPerCore;
            usableM += host.usableMemoryGiB;
        }
    // null, not 0, when nothing is stated: "no demand" is not "a demand of 0 cores"
    let demandCores: number | null = null;
    for (const role of ROLES) {
        const d = roles[role].demandCores;
        if (d !== null) demandCores = (demandCores ?? 0) + d;
    }
    const totals: Totals = {
        demandCores,
        deployedCores: deployedC,
        usableCores: usableC,
        physicalCores: physicalC,
        placedCores: deployedC - unplacedC,
        unplacedCores: unplacedC,
        deployedMemoryGiB: deployedM,
        usableMemoryGiB: usableM
    };

    return {
        plan: model.settings.name ?? null,
        title: model.settings.title ?? null,
        platform: model.settings.platform,
        roles,
        hosts,
        unplaced,
        unplacedReason: physical ? null : placement.unplacedReason,
        ...(!physical && unplaced.length > 0 && placement.unplacedReason === 'fragmentation'
            ? { fragmentationProved: fragmentationProved(model, placement, deployedC) }
            : {}),
        ...(!physical && placement.placedCoresBound !== undefined
            ? { placedCoresBound: placement.placedCoresBound }
            : {}),
        totals,
        hostFailure: physical ? null : hostFailure(model, placement)
    };
}

/**
 * Whether instances left out while the total fits are proved not to fit: by the exact fallback
 * (`placedCoresBound`), or because every instance's vCPUs are a multiple of one g > 1 and the
 * hosts' usable vCPUs rounded down to multiples of g hold fewer than the `deployedCores` (a
 * drained host counted too: still an upper bound), or because an instance fits no host even
 * empty (more vCPUs or GiB than any host's usable).
 */
export function fragmentationProved(
    model: PlanModel,
    placement: PlacementResult,
    deployedCores: number
): boolean {
    if (placement.placedCoresBound !== undefined) return true;
    if (model.hosts.length > 0 && model.instances.some(i => fitsNoHost(model, i))) return true;
    const g = sizesDivisor(model);
    if (g <= 1) return false;
    let multiples = 0;
    for (const h of model.hosts) multiples += Math.max(0, h.usableCores - (h.usableCores % g));
    return multiples < deployedCores;
}

/**
 * Whether no host of the plan could hold `instance` even empty: more vCPUs or GiB than each
 * host's usable ones (true for every instance of a plan without hosts).
 */
export function fitsNoHost(model: PlanModel, instance: Instance): boolean {
    return model.hosts.every(
        h => instance.cores > h.usableCores + EPS || instance.memoryGiB > h.usableMemoryGiB + EPS
    );
}

/** The greatest common divisor of the instances' vCPUs (0 without instances). */
export function sizesDivisor(model: PlanModel): number {
    let g = 0;
    for (const i of model.instances) {
        let a = g,
            b = i.cores;
        while (b) [a, b] = [b, a % b];
        g = a;
    }
    return g;
}
