/**
 * Turns parsed `.dcplan` files into the planner's resolved `PlanModel` (spec, "Elements"):
 * units normalised to vCPUs and GiB, host ranges and lists expanded, model defaults applied,
 * instances named `<shape>-<k>`.
 *
 * The builder is lenient: an element with a value the validator rejects (a size without a unit,
 * a zero count, a missing role) is left out of the model, so the rest of the plan is still
 * placed and checked. It keeps, for every model element, the syntax node it came from, so
 * findings of the planner can be reported at the right place.
 */
import type { AstNode } from 'langium';
import type {
    Deploy,
    Host,
    HostModel,
    HostName,
    Plan,
    PlanFile,
    Shape,
    Workload
} from './generated/ast.js';
import { isDeploy, isHost, isHostModel, isPlan, isShape, isWorkload } from './generated/ast.js';
import {
    DOVECOT_VERSIONS,
    expandInstances,
    type Deployment,
    type DovecotVersion,
    type Host as ModelHost,
    type Pin,
    type PlanModel,
    type PlanSettings,
    type Role,
    ROLES,
    type RoleDemand,
    type Shape as ModelShape,
    type Workload as ModelWorkload
} from '../src/planner/model.js';
import { LIMITS, numaNodesError, validCount as count, validSize as size } from './values.js';

/** One source file's parsed root and its URI string. */
export interface SourceFile {
    readonly uri: string;
    readonly root: PlanFile;
}

/** The syntax node behind each model element, index-aligned with the model's arrays. */
export interface ModelSources {
    readonly plan?: Plan;
    readonly workloads: readonly Workload[];
    readonly shapes: readonly Shape[];
    readonly deployments: readonly Deploy[];
    /** For each model host: its block and the name (or range) that produced it. */
    readonly hosts: readonly { readonly block: Host; readonly name: HostName }[];
    /** Model blocks (hardware models), in file order; not part of PlanModel. */
    readonly models: readonly HostModel[];
    /** Hosts blocks, in file order, including those that produced no valid host. */
    readonly hostBlocks: readonly Host[];
}

/** The builder's output. */
export interface BuiltModel {
    readonly model: PlanModel;
    readonly sources: ModelSources;
}

/** `tolerate_host_failures` as the planner takes it: 0, 1 or 2; anything else (reported by the validator) is 0. */
function tolerance(n: number | undefined): number {
    return n !== undefined && n <= 2 ? n : 0;
}

/** The hardware attributes a host block takes from its model when it does not set them. */
type HardwareAttribute =
    'cores' | 'threadsPerCore' | 'numaNodes' | 'hypervisorCores' | 'memory' | 'hypervisorMemory';

/** A host's own value of a hardware attribute, else its model's. */
function pickHardware(
    node: Host,
    model: HostModel | undefined,
    k: HardwareAttribute
): string | undefined {
    return node[k] ?? model?.[k];
}

/**
 * A host's optional hardware count (its own, else its model's): `fallback` when neither writes it,
 * `null` when the written value is not a whole number of at least `min` (the validator's error).
 */
function optionalCount(
    node: Host,
    model: HostModel | undefined,
    k: HardwareAttribute,
    min: number,
    fallback: number
): number | null {
    const text = pickHardware(node, model, k);
    return text === undefined ? fallback : (count(text, min) ?? null);
}

const isRole = (s: string | undefined): s is Role =>
    s !== undefined && (ROLES as readonly string[]).includes(s);

/**
 * True for a name as the grammar reads one. Error recovery makes elements without a name
 * (`shape { … }`, `workload { … }`): the parser reports the syntax error, and the builder leaves
 * such an element out, as it leaves out one with an invalid value, so no figure, finding or
 * report names `undefined`.
 */
export function isName(name: string | undefined): name is string {
    return typeof name === 'string' && name.length > 0;
}

/**
 * True for a `plan` element that is a plan block: named, or with its `{`. Error recovery reads
 * `plan plan { … }` as the keyword `plan` alone, then a nameless `plan { … }`: the first is no
 * plan (the syntax error says so), the second holds what was written.
 */
export function isPlanBlock(e: AstNode): e is Plan {
    return isPlan(e) && (isName(e.name) || !!e.$cstNode?.text.includes('{'));
}

/**
 * How many hosts a host name names without expanding it: 1, the size of a range, or 0 for a
 * range `expandHostName` does not expand. Counts toward `LIMITS.hostsPerPlan`.
 */
export function hostNameCount(name: HostName): number {
    if (
        (name.from === undefined) !== (name.to === undefined) ||
        (name.from === undefined && name.$cstNode?.text.includes('['))
    )
        return 0;
    if (name.from === undefined || name.to === undefined) return 1;
    const from = count(name.from, 0);
    const to = count(name.to, 0);
    if (from === undefined || to === undefined || from > to || to - from + 1 > LIMITS.hostsPerRange)
        return 0;
    return to - from + 1;
}

/**
 * Expands one host name: `hv01` → [`hv01`]; `hv[01..04]` → hv01…hv04, zero padding kept when
 * the first bound is written with a leading zero. Returns `undefined` for a reversed range, one
 * over the limit of 100,000 hosts (the validator reports both) or one with a syntax error.
 */
export function expandHostName(name: HostName): string[] | undefined {
    // a name lost to error recovery (`host [1..2] { … }`, `host { … }`) names no host, not `undefined1`
    if (!isName(name.name)) return undefined;
    // a range the parser could not read whole (`k[a..c]`) names no host, not `k`
    if (
        (name.from === undefined) !== (name.to === undefined) ||
        (name.from === undefined && name.$cstNode?.text.includes('['))
    )
        return undefined;
    if (name.from === undefined || name.to === undefined) return [name.name];
    const from = count(name.from, 0);
    const to = count(name.to, 0);
    if (from === undefined || to === undefined || from > to || to - from + 1 > LIMITS.hostsPerRange)
        return undefined;
    const width = name.from.length > 1 && name.from.startsWith('0') ? name.from.length : 0;
    const out: string[] = [];
    for (let i = from; i <= to; i++) out.push(name.name + String(i).padStart(width, '0'));
    return out;
}

/**
 * Builds the plan model of `main` with the elements of the files it imports (`imported`, in
 * import order; imports are not transitive). Elements of imported files come first, so a file
 * that imports an inventory of hosts places its deployments on them.
 */
export function buildModel(main: SourceFile, imported: readonly SourceFile[] = []): BuiltModel {
    const files = [...imported, main];
    // ElementRef.index: the element's position among its kind in its file
    type Kind = 'workload' | 'shape' | 'deploy' | 'model' | 'host';
    const countersByFile = new Map<string, Record<Kind, number>>();
    let counters: Record<Kind, number> = { workload: 0, shape: 0, deploy: 0, model: 0, host: 0 };
    const refOf = (file: string, kind: Kind) => ({ file, index: counters[kind]++ });

    // Plan settings: the main file's plan block (at most one; others are reported).
    const planNode = main.root.elements.find(isPlanBlock);
    const settings: PlanSettings = planNode
        ? {
              name: isName(planNode.name) ? planNode.name : undefined,
              // Langium's STRING value converter has removed the quotes and escapes.
              title: planNode.title,
              dovecot: ((DOVECOT_VERSIONS as readonly string[]).includes(planNode.dovecot ?? '')
                  ? planNode.dovecot
                  : '2.3') as DovecotVersion,
              platform: planNode.platform === 'physical' ? 'physical' : 'virtual',
              mailStorage: planNode.mailStorage === 'object' ? 'object' : 'block',
              // 0, 1 or 2; another value is the validator's error and asks for nothing (not "2")
              tolerateHostFailures: tolerance(count(planNode.tolerateHostFailures, 0)),
              // day 2: an invalid count is the validator's error and asks for no moves
              ...(planNode.rebalanceMoves !== undefined
                  ? { rebalanceMoves: count(planNode.rebalanceMoves, 0) ?? 0 }
                  : {}),
              ref: { file: main.uri, index: 0 }
          }
        : { dovecot: '2.3', platform: 'virtual', mailStorage: 'block', tolerateHostFailures: 0 };

    const workloads: ModelWorkload[] = [];
    const workloadNodes: Workload[] = [];
    const shapes: ModelShape[] = [];
    const shapeNodes: Shape[] = [];
    const deployments: Deployment[] = [];
    const deployNodes: Deploy[] = [];
    const hosts: ModelHost[] = [];
    const hostNodes: { block: Host; name: HostName }[] = [];
    const models: HostModel[] = [];
    const hostBlocks: Host[] = [];
    const shapeNames = new Set<string>();
    const hostNames = new Set<string>();
    let totalInstances = 0,
        totalHostNames = 0;
    let leftOutHostBlocks = 0,
        overLimitHostBlocks = 0,
        leftOutDeployments = 0;
    // the role of each deployment left out whose shape says one (for the note of that role only)
    const leftOutByRole: Partial<Record<Role, number>> = {};
    const overLimitByRole: Partial<Record<Role, number>> = {};
    const leaveOut = (node: Deploy, overLimit = false) => {
        leftOutDeployments++;
        const role = node.shape?.ref?.role;
        if (!isRole(role)) return;
        const byRole = overLimit ? overLimitByRole : leftOutByRole;
        byRole[role] = (byRole[role] ?? 0) + 1;
    };

    for (const { uri: file, root } of files) {
        let fileCounters = countersByFile.get(file);
        if (!fileCounters)
            countersByFile.set(
                file,
                (fileCounters = { workload: 0, shape: 0, deploy: 0, model: 0, host: 0 })
            );
        counters = fileCounters;
        for (const node of root.elements) {
            if (isWorkload(node)) {
                const ref = refOf(file, 'workload');
                if (!isName(node.name)) continue;
                const demand: Partial<Record<Role, RoleDemand>> = {};
                for (const d of node.demands) {
                    const cores = count(d.cores);
                    if (!isRole(d.role) || cores === undefined) continue;
                    const memoryGiB = size(d.memory);
                    const prev = demand[d.role];
                    // Two lines for one role in one workload: the validator flags the duplicate; the last counts.
                    demand[d.role] = { cores, memoryGiB: memoryGiB ?? prev?.memoryGiB };
                }
                workloads.push({
                    name: node.name,
                    sessions: count(node.sessions, 0),
                    activeUsers: count(node.activeUsers, 0),
                    demand,
                    ref
                });
                workloadNodes.push(node);
            } else if (isShape(node)) {
                const ref = refOf(file, 'shape');
                const cores = count(node.cores);
                const memoryGiB = size(node.memory);
                if (
                    !isName(node.name) ||
                    !isRole(node.role) ||
                    cores === undefined ||
                    memoryGiB === undefined ||
                    shapeNames.has(node.name)
                )
                    continue;
                shapeNames.add(node.name);
                const loginProcesses = count(node.loginProcesses);
                shapes.push({
                    name: node.name,
                    role: node.role,
                    cores,
                    memoryGiB,
                    loginProcesses: loginProcesses ?? 1,
                    loginProcessesSet: node.loginProcesses !== undefined,
                    loginMode: node.loginMode === 'security' ? 'security' : 'performance',
                    localDiskGiB: size(node.localDisk),
                    ref
                });
                shapeNodes.push(node);
            } else if (isDeploy(node)) {
                const ref = refOf(file, 'deploy');
                const n = count(node.count);
                const shapeName = node.shape?.$refText;
                if (!isName(shapeName) || n === undefined || n > LIMITS.instancesPerDeployment) {
                    leaveOut(node);
                    continue;
                }
                if (totalInstances + n > LIMITS.instancesPerPlan) {
                    leaveOut(node, true);
                    continue;
                }
                totalInstances += n;
                deployments.push({
                    id: deployments.length,
                    shape: shapeName,
                    count: n,
                    ring: node.ring ?? 'main',
                    ref
                });
                deployNodes.push(node);
            } else if (isHostModel(node)) {
                refOf(file, 'model');
                models.push(node);
            } else if (isHost(node)) {
                const ref = refOf(file, 'host');
                hostBlocks.push(node);
                const model = node.model?.ref;
                const cores = count(pickHardware(node, model, 'cores'));
                const memoryGiB = size(pickHardware(node, model, 'memory'));
                const threadsPerCore = optionalCount(node, model, 'threadsPerCore', 1, 1);
                const numaNodes = optionalCount(node, model, 'numaNodes', 1, 1);
                const hypervisorCores = optionalCount(node, model, 'hypervisorCores', 0, 0);
                const hvMemoryText = pickHardware(node, model, 'hypervisorMemory');
                const hypervisorMemoryGiB =
                    hvMemoryText === undefined ? 0 : (size(hvMemoryText, true) ?? null);
                // A value the validator rejects leaves the host out, whichever attribute it is in:
                // a host kept with a default in its place (`hypervisor_cores = 2.5` read as 0)
                // would give findings (`no-hypervisor-reserve`) and figures that are not the text's.
                if (
                    cores === undefined ||
                    memoryGiB === undefined ||
                    threadsPerCore === null ||
                    numaNodes === null ||
                    hypervisorCores === null ||
                    hypervisorMemoryGiB === null ||
                    numaNodesError(numaNodes, cores) !== undefined ||
                    // the reserve against the hardware, as the validator rejects it
                    hypervisorCores >= cores * threadsPerCore ||
                    hypervisorMemoryGiB >= memoryGiB
                ) {
                    leftOutHostBlocks++;
                    continue;
                }
                // past the limit of hosts per plan the block is left out whole (the validator says so)
                let named = 0;
                for (const hn of node.names) named += hostNameCount(hn);
                if (totalHostNames + named > LIMITS.hostsPerPlan) {
                    leftOutHostBlocks++;
                    overLimitHostBlocks++;
                    continue;
                }
                totalHostNames += named;
                const pins: Pin[] = [];
                for (let pinIndex = 0; pinIndex < node.pins.length; pinIndex++) {
                    const p = node.pins[pinIndex];
                    const n = count(p.count);
                    if (
                        n !== undefined &&
                        isName(p.shape?.$refText) &&
                        n <= LIMITS.instancesPerDeployment
                    )
                        pins.push({ shape: p.shape.$refText, count: n, pinIndex });
                }
                const hypervisorCoresSet =
                    pickHardware(node, model, 'hypervisorCores') !== undefined;
                const hypervisorMemorySet =
                    pickHardware(node, model, 'hypervisorMemory') !== undefined;
                const hostsBefore = hosts.length;
                for (let nameIndex = 0; nameIndex < node.names.length; nameIndex++) {
                    const hn = node.names[nameIndex];
                    for (const name of expandHostName(hn) ?? []) {
                        if (hostNames.has(name)) continue;
                        hostNames.add(name);
                        hosts.push({
                            name,
                            cores,
                            threadsPerCore,
                            memoryGiB,
                            numaNodes,
                            hypervisorCores,
                            hypervisorMemoryGiB,
                            usableCores: Math.max(0, cores * threadsPerCore - hypervisorCores),
                            usableMemoryGiB: Math.max(0, memoryGiB - hypervisorMemoryGiB),
                            rack: node.rack,
                            model: isName(model?.name) ? model.name : undefined,
                            pins,
                            ...(node.drain === 'true' ? { drain: true } : {}),
                            hypervisorCoresSet,
                            hypervisorMemorySet,
                            ref,
                            nameIndex
                        });
                        hostNodes.push({ block: node, name: hn });
                    }
                }
                // a block whose names give no host (a broken or reversed range) is left out too
                if (hosts.length === hostsBefore && node.names.length > 0) leftOutHostBlocks++;
            }
        }
    }

    // A deployment whose shape is unknown (unresolved, or invalid) places nothing.
    const validDeployments = deployments.filter(d => shapeNames.has(d.shape));
    const validDeployNodes = deployNodes.filter((_, i) => shapeNames.has(deployments[i].shape));
    const finalDeployments = validDeployments.map((d, id) => ({ ...d, id }));
    deployNodes.forEach((node, i) => {
        if (!shapeNames.has(deployments[i].shape)) leaveOut(node);
    });
    const model: PlanModel = {
        settings,
        workloads,
        shapes,
        deployments: finalDeployments,
        hosts,
        instances: expandInstances(shapes, finalDeployments),
        leftOut: {
            hostBlocks: leftOutHostBlocks,
            hostBlocksOverLimit: overLimitHostBlocks,
            deployments: leftOutDeployments,
            deploymentsByRole: leftOutByRole,
            deploymentsOverLimitByRole: overLimitByRole
        }
    };
    return {
        model,
        sources: {
            plan: planNode,
            workloads: workloadNodes,
            shapes: shapeNodes,
            deployments: validDeployNodes,
            hosts: hostNodes,
            models,
            hostBlocks
        }
    };
}
