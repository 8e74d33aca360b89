/**
 * The rules about capacity and what does not fit (spec, "Checks"): `cpu-overcommit` and
 * `memory-overcommit` (pins that ask a host for more than it has usable) and `unplaceable`
 * (instances the placement leaves out, and why), with the text helpers they share with the
 * rest of the rulebook (rules.ts, which runs them). Pure.
 */
import type { Host, Instance, PlanModel } from './model.js';
import { IssueCodes, type Finding, type FindingTarget } from './findings.js';
import type { PlacementResult } from './placement.js';
import type { PlanReport } from './report.js';
import { formatGiB, formatMemoryPair } from './format.js';
import { fitsNoHost, sizesDivisor } from './figures.js';
import { EPS } from './eps.js';

/** `1 core`, `2 cores`: a count and its noun. */
export const plural = (n: number, one: string, many = one + 's') => `${n} ${n === 1 ? one : many}`;

/** Everything the rules read. */
export interface RuleInput {
    readonly model: PlanModel;
    readonly placement: PlacementResult;
    readonly figures: Omit<PlanReport, 'file' | 'diagnostics'>;
}

/** `cpu-overcommit` / `memory-overcommit`: pins that ask a host for more than it has usable. */
export function checkOvercommit({ model, placement }: RuleInput, out: Finding[]): void {
    for (const o of placement.overcommitted) {
        const h = model.hosts[o.host];
        // a drained host has no room by intent: its pins are `drain-pinned`, not an overcommit
        if (h.drain) continue;
        const pinsRelated = h.pins.map(p => ({
            target: { kind: 'pin', host: o.host, pinIndex: p.pinIndex } as FindingTarget,
            message: `${p.count} x ${p.shape}`
        }));
        if (o.cores > h.usableCores) {
            out.push({
                code: IssueCodes.CpuOvercommit,
                severity: 'error',
                message: `${plural(o.cores, 'vCPU')} pinned on ${h.name}, ${h.usableCores} usable${reserveText(h, 'cores')}: no overcommitment of resources (the page)`,
                target: { kind: 'host', index: o.host, property: 'runs' },
                related: pinsRelated,
                data: { host: h.name, needed: o.cores, usable: h.usableCores }
            });
        }
        if (o.memoryGiB > h.usableMemoryGiB) {
            const [pinned, usable] = formatMemoryPair(o.memoryGiB, h.usableMemoryGiB);
            out.push({
                code: IssueCodes.MemoryOvercommit,
                severity: 'error',
                message: `${pinned} pinned on ${h.name}, ${usable} usable${reserveText(h, 'memory')}: no overcommitment of resources (the page)`,
                target: { kind: 'host', index: o.host, property: 'runs' },
                related: pinsRelated,
                data: { host: h.name, needed: o.memoryGiB, usable: h.usableMemoryGiB }
            });
        }
    }
}

/**
 * ` (24 cores - 2 for the hypervisor)` / ` (128 - 16 GiB for the hypervisor)`; '' where it would
 * only repeat the usable figure (no reserve, one thread per core).
 */
function reserveText(h: Host, what: 'cores' | 'memory'): string {
    if (what === 'cores') {
        if (h.threadsPerCore <= 1 && h.hypervisorCores <= 0) return '';
        const v = h.cores * h.threadsPerCore;
        const base =
            h.threadsPerCore > 1
                ? `${h.cores} cores x ${h.threadsPerCore} threads`
                : plural(v, 'core');
        return ` (${h.hypervisorCores > 0 ? `${base} - ${h.hypervisorCores} for the hypervisor` : base})`;
    }
    return h.hypervisorMemoryGiB > 0
        ? ` (${formatGiB(h.memoryGiB)} - ${formatGiB(h.hypervisorMemoryGiB)} GiB for the hypervisor)`
        : '';
}

/**
 * Why `left` (> 0) host blocks are left out, after `the total is short: …`: `: no host is valid
 * (the host block has errors)` when no host is left, else ` (1 host block left out for errors in
 * its values)`; a block left out for passing the limit of hosts per plan is said as such
 * (`1 host block left out for passing the limit of hosts per plan`), not as one with errors.
 */
function leftHostsNote(model: PlanModel, left: number): string {
    const over = Math.min(left, model.leftOut?.hostBlocksOverLimit ?? 0);
    const bad = left - over;
    const overText = (alone: boolean) =>
        `${alone ? plural(over, 'host block') : over} left out for passing the limit of hosts per plan`;
    if (model.hosts.length === 0) {
        const parts = [
            bad === 0
                ? ''
                : bad === 1 && over === 0
                  ? 'the host block has errors'
                  : `${plural(bad, 'host block')} ${bad === 1 ? 'has' : 'have'} errors`,
            over === 0
                ? ''
                : `${plural(over, 'host block')} ${over === 1 ? 'passes' : 'pass'} the limit of hosts per plan`
        ].filter(Boolean);
        return `: no host is valid (${parts.join(', ')})`;
    }
    const parts = [
        bad === 0
            ? ''
            : `${plural(bad, 'host block')} left out for errors in ${bad === 1 ? 'its' : 'their'} values`,
        over === 0 ? '' : overText(bad === 0)
    ].filter(Boolean);
    return ` (${parts.join(', ')})`;
}

/** `92 GiB deployed, 90 GiB usable`, in MiB where GiB would round both to one figure. */
function memoryShort(deployedGiB: number, usableGiB: number): string {
    const [d, u] = formatMemoryPair(deployedGiB, usableGiB);
    return `${d} deployed, ${u} usable`;
}

/**
 * Where memory, not vCPUs, keeps an unplaced instance out (some host has its vCPUs free, none of
 * those its GiB): `: no host with 2 cores free has 30 GiB free for be-3`, else ''. Figures of the
 * placement shown.
 */
function memoryBlocks(model: PlanModel, figures: RuleInput['figures'], i: Instance): string {
    let coresFree = false;
    for (const h of figures.hosts) {
        if (h.usableCores - h.usedCores + EPS < i.cores) continue;
        coresFree = true;
        if (h.usableMemoryGiB - h.usedMemoryGiB + EPS >= i.memoryGiB) return '';
    }
    return coresFree && model.hosts.length > 0
        ? `: no host with ${plural(i.cores, 'core')} free has ${formatGiB(i.memoryGiB)} GiB free for ${i.name}`
        : '';
}

/**
 * The first of `unplaced` that no host of the plan could hold even empty, in words
 * (`huge-1 needs 40 vCPUs, more than any host's 22 usable`; by GiB likewise; or `no host has
 * both 16 vCPUs and 300 GiB usable for be-1` where each fits some host apart), with how many
 * more there are; '' when every one fits some host. Usable capacity, pins aside.
 */
function largerThanEveryHost(model: PlanModel, unplaced: readonly Instance[]): string {
    if (model.hosts.length === 0) return '';
    const all = unplaced.filter(i => fitsNoHost(model, i));
    if (all.length === 0) return '';
    const i = all[0];
    const maxCores = Math.max(...model.hosts.map(h => h.usableCores));
    const maxGiB = Math.max(...model.hosts.map(h => h.usableMemoryGiB));
    const first =
        i.cores > maxCores + EPS
            ? `${i.name} needs ${plural(i.cores, 'vCPU')}, more than any host's ${maxCores} usable`
            : i.memoryGiB > maxGiB + EPS
              ? `${i.name} needs ${formatGiB(i.memoryGiB)} GiB, more than any host's ${formatGiB(maxGiB)} usable`
              : `no host has both ${plural(i.cores, 'vCPU')} and ${formatGiB(i.memoryGiB)} GiB usable for ${i.name}`;
    return all.length === 1 ? first : `${first} (and ${all.length - 1} more no host can hold)`;
}

/**
 * `unplaceable`: the instances the placement leaves out, at each deployment that has some, with
 * why (no hosts, the total short — vCPUs, memory or the pins' room — or the pieces, proved or
 * not) and the proved most placeable where the exact fallback gave one.
 */
export function checkUnplaceable({ model, placement, figures }: RuleInput, out: Finding[]): void {
    if (placement.unplaced.length === 0) return;
    const unplaced = placement.unplaced.map(i => model.instances[i]);
    const unplacedCores = unplaced.reduce((a, i) => a + i.cores, 0);
    const deployed = figures.totals.deployedCores;
    const usable = figures.totals.usableCores;
    let why: string;
    // hosts left out for invalid values are said beside the reason (the report's
    // `unplacedReason`), so the diagnostic and the report tell the same story
    const left = model.leftOut?.hostBlocks ?? 0;
    const leftHosts = left === 0 ? '' : leftHostsNote(model, left);
    // a piece no host can hold whatever the rest: the cause first (more hosts of the same size,
    // which "the total is short" suggests, would never take it)
    const large = largerThanEveryHost(model, unplaced);
    if (model.hosts.length === 0 && left === 0) {
        why = 'the plan has no hosts';
    } else if (placement.unplacedReason === 'total-short') {
        const memShort = figures.totals.deployedMemoryGiB > figures.totals.usableMemoryGiB;
        why =
            (deployed > usable
                ? `the total is short: ${plural(deployed, 'core')} deployed, ${usable} usable`
                : memShort
                  ? `the total is short: ${memoryShort(figures.totals.deployedMemoryGiB, figures.totals.usableMemoryGiB)}`
                  : 'the capacity left by the pins is short') + leftHosts;
    } else {
        const g = sizesDivisor(model);
        const odd = model.hosts.find(h => g > 1 && h.usableCores % g !== 0);
        // "the pieces do not" only when proved (the report's `fragmentationProved`)
        why = figures.fragmentationProved
            ? `the total fits (${plural(deployed, 'core')} deployed, ${usable} usable), the pieces do not`
            : `the total fits (${plural(deployed, 'core')} deployed, ${usable} usable), but the planner did not fit all the pieces (not proved impossible)`;
        if (odd && !large)
            why +=
                odd.usableCores < g
                    ? ` (every size is a multiple of ${g}, so a ${odd.usableCores}-core host holds none)`
                    : ` (every size is a multiple of ${g}, so a ${odd.usableCores}-core host holds at most ${odd.usableCores - (odd.usableCores % g)})`;
        why += (large ? '' : memoryBlocks(model, figures, unplaced[0])) + leftHosts;
    }
    if (large) why = `${large}; ${why}`;
    const names = listNames(unplaced.map(i => i.name));
    // the exact fallback proved that no placement places more (issue 15: say when it was proved)
    const bound = placement.placedCoresBound;
    const proof =
        bound === undefined
            ? ''
            : `; proved: at most ${bound} of ${plural(deployed, 'core')} can be placed`;
    for (const d of model.deployments) {
        const mine = unplaced.filter(i => i.deployment === d.id);
        if (mine.length === 0) continue;
        out.push({
            code: IssueCodes.Unplaceable,
            severity: 'error',
            message: `cannot place ${listNames(mine.map(i => i.name))} (${plural(
                mine.reduce((a, i) => a + i.cores, 0),
                'core'
            )}): ${why}; ${plural(figures.totals.placedCores, 'core')} placed, ${unplacedCores} unplaced: ${names}${proof}`,
            target: { kind: 'deployment', index: d.id },
            data: {
                instances: mine.map(i => i.name),
                unplacedCores,
                reason: placement.unplacedReason
            }
        });
    }
}

/** How many names a message lists before "… and N more". */
const LISTED_NAMES = 8;

/** `a, b, c` — at most `LISTED_NAMES` of them, then "and N more". */
export function listNames(names: readonly string[]): string {
    if (names.length <= LISTED_NAMES) return names.join(', ');
    return `${names.slice(0, LISTED_NAMES).join(', ')} and ${names.length - LISTED_NAMES} more`;
}
