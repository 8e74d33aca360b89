/**
 * Host-failure figures (spec, "What the checker computes", "Host failure"; the domain page,
 * "Allocating Virtual Instances on Physical Machines": losing one of 4 equal hosts loses 25% of the
 * sessions, which Dovecot balances to the other machines — which needs room on them).
 *
 * `tolerates` is the largest k in {0, 1, 2} such that after losing any k hosts the lost hosts'
 * instances can be re-placed on the spare capacity of the others. It is checked by re-placing
 * (best-fit decreasing bin packing, then a bounded exact search for small cases), never by
 * comparing totals alone. Host subsets that are equivalent (identical usable capacity and
 * identical load) are checked once, so plans with thousands of alike hosts stay fast.
 *
 * Pure: no vscode or langium import.
 */
import type { PlanModel, Host } from './model.js';
import type { HostFailureFigures } from './report.js';
import { EPS } from './objective.js';
import { place } from './placement.js';
import type { PlacementResult } from './placement-types.js';
import {
    everyLossFits,
    hostClasses,
    hostFailureBudget,
    type Loads,
    Replacer,
    WorkBudget
} from './replacement.js';

// The re-placement checks moved to `replacement.ts` (no import cycle with the placement's
// tolerance pass); they stay importable from here.
export { boundedExactFit, HOST_FAILURE_WORK, lossFailures, WorkBudget } from './replacement.js';

function loadsOf(model: PlanModel, placement: PlacementResult): Loads {
    const H = model.hosts.length;
    const capC = model.hosts.map(h => h.usableCores),
        capM = model.hosts.map(h => h.usableMemoryGiB);
    const usedC = new Array<number>(H).fill(0),
        usedM = new Array<number>(H).fill(0);
    const items: { c: number; m: number }[][] = [];
    // one (read-only) item object per (vCPUs, GiB): plans have a few shapes and many instances
    const shared = new Map<number, Map<number, { c: number; m: number }>>();
    for (let h = 0; h < H; h++) {
        const ids = placement.byHost[h] ?? [];
        const list = new Array<{ c: number; m: number }>(ids.length);
        for (let k = 0; k < ids.length; k++) {
            const inst = model.instances[ids[k]];
            let byM = shared.get(inst.cores);
            if (!byM) shared.set(inst.cores, (byM = new Map()));
            let it = byM.get(inst.memoryGiB);
            if (!it) byM.set(inst.memoryGiB, (it = { c: inst.cores, m: inst.memoryGiB }));
            list[k] = it;
            usedC[h] += it.c;
            usedM[h] += it.m;
        }
        list.sort((a, b) => b.c - a.c || b.m - a.m);
        items.push(list);
    }
    return { capC, capM, usedC, usedM, items };
}

/**
 * The largest k in 0..maxK (at most 2) such that the loss of ANY k hosts can be re-placed on the
 * spare capacity (usable minus used vCPUs and GiB) of the others. Pinned instances of a lost host
 * are re-placed too. With k ≥ the number of hosts, every host is lost: tolerated only when no
 * instance is placed at all. Units: vCPUs and GiB. A proven lower bound: when `budget` (default:
 * `hostFailureBudget` of its own) runs out before the next k is decided, that k is not counted.
 * Never throws.
 */
export function toleratedHostLosses(
    model: PlanModel,
    placement: PlacementResult,
    maxK = 2,
    budget?: WorkBudget
): number {
    return toleranceOf(model, placement, maxK, budget ?? hostFailureBudget(model)).tolerates;
}

/** `tolerance` of a placement, with the shortcut of `everyLossFits` first. */
function toleranceOf(
    model: PlanModel,
    placement: PlacementResult,
    maxK: number,
    budget: WorkBudget
): Tolerance {
    const k = Math.min(maxK, 2),
        H = model.hosts.length;
    if (k >= 1 && H > k) {
        // one pass for the shortcut of `everyLossFits`, before any re-placement
        const usedC = new Float64Array(H),
            usedM = new Float64Array(H),
            counts = new Int32Array(H);
        let maxC = 0,
            maxM = 0;
        for (let h = 0; h < H; h++) {
            const ids = placement.byHost[h] ?? [];
            counts[h] = ids.length;
            for (let j = 0; j < ids.length; j++) {
                const inst = model.instances[ids[j]];
                usedC[h] += inst.cores;
                usedM[h] += inst.memoryGiB;
                if (inst.cores > maxC) maxC = inst.cores;
                if (inst.memoryGiB > maxM) maxM = inst.memoryGiB;
            }
        }
        budget.charge(H);
        if (
            everyLossFits(
                h => model.hosts[h].usableCores,
                h => model.hosts[h].usableMemoryGiB,
                usedC,
                usedM,
                counts,
                maxC,
                maxM,
                k
            )
        ) {
            return { tolerates: k, failing: null, proven: true };
        }
    }
    return tolerance(loadsOf(model, placement), maxK, budget);
}

/**
 * What `tolerance` found: `tolerates` host losses re-place (proven); `failing` is the first loss
 * (one class representative, or two) shown not to re-place, null when none was; `proven` is
 * false when the budget ran out before the loss count after `tolerates` was decided.
 */
interface Tolerance {
    tolerates: number;
    failing: number[] | null;
    proven: boolean;
}

function tolerance(L: Loads, maxK: number, budget: WorkBudget): Tolerance {
    const rp = new Replacer(L);
    const classes = hostClasses(L);
    const H = L.capC.length;
    budget.charge(H);
    let k = 0;
    if (maxK >= 1) {
        // a loss shown not to re-place decides the level even when another one ran out of budget
        let unknown = false;
        for (const cl of classes) {
            if (budget.exhausted) {
                unknown = true;
                break;
            }
            const a = rp.canReplace([cl[0]], budget);
            if (a === 'no-fit') return { tolerates: 0, failing: [cl[0]], proven: true };
            if (a === 'unknown') unknown = true;
        }
        if (unknown) return { tolerates: 0, failing: null, proven: false };
        if (H < 1) return { tolerates: 0, failing: [], proven: true };
        k = 1;
    }
    if (maxK >= 2) {
        if (H < 2) return { tolerates: 1, failing: null, proven: true };
        let unknown = false;
        for (let i = 0; i < classes.length && !unknown; i++) {
            for (let j = i; j < classes.length; j++) {
                let lost: number[];
                if (i === j) {
                    if (classes[i].length < 2) continue;
                    lost = [classes[i][0], classes[i][1]];
                } else lost = [classes[i][0], classes[j][0]];
                if (budget.exhausted) {
                    unknown = true;
                    break;
                }
                const a = rp.canReplace(lost, budget);
                if (a === 'no-fit') return { tolerates: 1, failing: lost, proven: true };
                if (a === 'unknown') unknown = true;
            }
        }
        if (unknown) return { tolerates: 1, failing: null, proven: false };
        k = 2;
    }
    return { tolerates: k, failing: null, proven: true };
}

/**
 * Index of the plan's largest host: most usable vCPUs, then most usable GiB, then first in model
 * order; -1 when there are no hosts. Never throws.
 */
export function largestHost(hosts: readonly Host[]): number {
    let best = -1;
    for (let h = 0; h < hosts.length; h++) {
        if (
            best < 0 ||
            hosts[h].usableCores > hosts[best].usableCores ||
            (hosts[h].usableCores === hosts[best].usableCores &&
                hosts[h].usableMemoryGiB > hosts[best].usableMemoryGiB)
        )
            best = h;
    }
    return best;
}

/**
 * The plan with `extra` copies of its largest host appended (named `<name>+<k>`, no pins, no
 * rack, `ref` and `nameIndex` of the original). Used for `hostsNeededForNPlus1` and the
 * `unplaceable` quick-fix ("add the hosts needed (copies of the largest host)"). Returns the
 * model itself when `extra` ≤ 0 or there is no host. Never throws.
 */
export function withCopiesOfLargestHost(model: PlanModel, extra: number): PlanModel {
    const L = largestHost(model.hosts);
    if (L < 0 || extra <= 0) return model;
    const base = model.hosts[L];
    const copies: Host[] = [];
    for (let k = 1; k <= extra; k++)
        copies.push({ ...base, name: `${base.name}+${k}`, pins: [], rack: undefined });
    return { ...model, hosts: [...model.hosts, ...copies] };
}

/**
 * What the N+1 search found: `hosts` is the smallest host count (the plan's hosts plus copies of
 * `copiesOf`, its largest host) that survives any one loss; with `bound` `at-least` the work
 * budget ran out first and `hosts` is a lower bound; with `unreachable` no number of copies of
 * `copiesOf` makes the plan survive (`hosts` is then the plan's own count).
 */
export interface NPlus1 {
    readonly hosts: number;
    readonly bound?: 'at-least' | 'unreachable';
    readonly copiesOf: string;
}

/**
 * Smallest number of hosts — the plan's hosts plus copies of its largest host — for which a
 * placement (re-run with the copies added, pins kept: the planner's own, else a first-fit
 * decreasing one) places everything and survives the loss of any one host. Heuristic: a count
 * where neither placement survives is taken as failing. Source: spec "Host failure" (the
 * domain page, "Allocating Virtual Instances on Physical Machines"). Never throws. Returns the
 * plan's host count when its own placement already survives one loss.
 * Returns `null` when no host exists, a host is overcommitted, no count is found within the work
 * budget (`hostFailureBudget`), or copies of the largest host cannot make the plan survive (see
 * `nPlus1Search` for the reasons).
 */
export function hostsNeededForNPlus1(model: PlanModel, placement?: PlacementResult): number | null {
    if (model.hosts.length === 0) return null;
    const p0 = placement ?? place(model);
    if (p0.overcommitted.length > 0) return null;
    const budget = hostFailureBudget(model);
    const t = p0.unplaced.length === 0 ? toleranceOf(model, p0, 1, budget) : undefined;
    const r =
        t && t.tolerates >= 1
            ? ({ hosts: model.hosts.length } as NPlus1)
            : nPlusKSearch(model, budget, t !== undefined && !t.proven);
    return r.bound ? null : r.hosts;
}

/**
 * The N+k search over copies of the largest host (see `hostsNeededForNPlus1`; k = 1, or 2 for
 * `tolerate_host_failures = 2`), for a plan whose own placement does not survive k losses (or,
 * with `undecided`, is not proven to), charging `budget`:
 * - copies of the largest host can never take an instance larger than it (more vCPUs or GiB):
 *   when such instances exist, the plan's own hosts must keep them alive. They are placed alone
 *   on those hosts (the room of the pins of other shapes taken off, as copies would take the
 *   rest); when that placement does not survive one loss either, the figure is `unreachable`
 *   without searching (two 8-core/64 GiB hosts, a 16-core/16 GiB host and 32 GiB backends:
 *   copies of the 16 GiB host never help);
 * - the totals need the plan's hosts less its k largest to hold everything: copies until then;
 * - else galloping then binary search over the number of copies (survival is taken as
 *   monotone), from the count the totals need, up to the plan's hosts + 2·hosts + 64 copies
 *   (`unreachable` beyond);
 * - a step is not started once the budget is exhausted: the figure is then a lower bound
 *   (`at-least`): one more than the largest count shown failing, or the totals' bound.
 * Placements are re-run without the exact fallback (HiGHS is timed, not counted in work).
 */
function nPlusKSearch(model: PlanModel, budget: WorkBudget, undecided = false, k = 1): NPlus1 {
    const H = model.hosts.length;
    const Li = largestHost(model.hosts);
    const L = model.hosts[Li];
    const copiesOf = L.name;
    if (L.usableCores <= 0 || L.usableMemoryGiB <= 0)
        return { hosts: H, bound: 'unreachable', copiesOf };
    const tooLarge = (c: number, m: number) =>
        c > L.usableCores + EPS || m > L.usableMemoryGiB + EPS;
    // lower bound: without k of the largest host's size the rest must hold everything
    let needC = 0,
        needM = 0,
        haveC = 0,
        haveM = 0,
        large = false;
    for (const i of model.instances) {
        needC += i.cores;
        needM += i.memoryGiB;
        if (tooLarge(i.cores, i.memoryGiB)) large = true;
    }
    for (const h of model.hosts) {
        haveC += h.usableCores;
        haveM += h.usableMemoryGiB;
    }
    budget.charge(model.instances.length + H);
    const byTotals = Math.max(
        0,
        Math.ceil((needC - haveC + k * L.usableCores - EPS) / L.usableCores),
        Math.ceil((needM - haveM + k * L.usableMemoryGiB - EPS) / L.usableMemoryGiB)
    );
    // the search starts at one copy; that the plan's own hosts fail is known unless `undecided`
    const e0 = Math.max(1, byTotals);
    const atLeast = (extra: number): NPlus1 => ({
        hosts: H + (undecided && extra === e0 ? byTotals : extra),
        bound: 'at-least',
        copiesOf
    });
    if (large) {
        if (budget.exhausted) return atLeast(e0);
        const s = survivesAlone(model, tooLarge, budget, k);
        if (s === 'no') return { hosts: H, bound: 'unreachable', copiesOf };
        if (s === 'unknown') return atLeast(e0);
    }
    const survives = (extra: number): 'yes' | 'no' | 'unknown' => {
        const m = withCopiesOfLargestHost(model, extra);
        // "a placement survives": the planner's own, else a first-fit one that keeps hosts free
        for (const opts of [{}, { start: 'first-fit', skipLocalSearch: true }] as const) {
            if (budget.exhausted) return 'unknown';
            const p = place(m, {
                ...opts,
                tolerate: Math.min(k, model.settings.tolerateHostFailures),
                exactFallback: false,
                work: budget
            });
            if (
                p.unplaced.length === 0 &&
                p.overcommitted.length === 0 &&
                toleranceOf(m, p, k, budget).tolerates >= k
            )
                return 'yes';
        }
        return 'no';
    };
    const eMax = e0 + 2 * H + 64;
    // gallop, then binary search (survival is taken as monotone in the number of copies)
    let lo = e0 - 1,
        hi = -1,
        step = 1,
        e = e0;
    for (;;) {
        const s = survives(e);
        if (s === 'unknown') return atLeast(lo + 1);
        if (s === 'yes') {
            hi = e;
            break;
        }
        lo = e;
        if (e >= eMax) break;
        e = Math.min(eMax, lo + step);
        step *= 2;
    }
    if (hi < 0) return { hosts: H, bound: 'unreachable', copiesOf };
    while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        const s = survives(mid);
        if (s === 'unknown') return atLeast(lo + 1);
        if (s === 'yes') hi = mid;
        else lo = mid;
    }
    return { hosts: H + hi, copiesOf };
}

/**
 * The limit of adding copies of the largest host: the instances too large for it (`tooLarge`),
 * placed alone on the plan's own hosts (pins of those shapes kept; the room of the other pins
 * taken off), survive the loss of any one host? `unknown` when the budget runs out first.
 */
function survivesAlone(
    model: PlanModel,
    tooLarge: (c: number, m: number) => boolean,
    budget: WorkBudget,
    k: number
): 'yes' | 'no' | 'unknown' {
    const large = new Set(
        model.shapes.filter(s => tooLarge(s.cores, s.memoryGiB)).map(s => s.name)
    );
    for (const i of model.instances) if (tooLarge(i.cores, i.memoryGiB)) large.add(i.shape);
    const shapeOf = new Map(model.shapes.map(s => [s.name, s]));
    const hosts: Host[] = model.hosts.map(h => {
        let c = 0,
            m = 0;
        for (const pin of h.pins) {
            const s = shapeOf.get(pin.shape);
            if (s && !large.has(pin.shape)) {
                c += pin.count * s.cores;
                m += pin.count * s.memoryGiB;
            }
        }
        return {
            ...h,
            usableCores: Math.max(0, h.usableCores - c),
            usableMemoryGiB: Math.max(0, h.usableMemoryGiB - m),
            pins: h.pins.filter(p => large.has(p.shape))
        };
    });
    const sub: PlanModel = {
        ...model,
        hosts,
        instances: model.instances.filter(i => large.has(i.shape))
    };
    const p = place(sub, { tolerate: k, exactFallback: false, work: budget });
    if (p.unplaced.length > 0 || p.overcommitted.length > 0) return 'no';
    const t = toleranceOf(sub, p, k, budget);
    return t.tolerates >= k ? 'yes' : t.proven ? 'no' : 'unknown';
}

/**
 * Everything the host-failure figures and their explanation need, computed once per placement
 * (`hostFailure` and `explainHostFailure` of the same placement share it: nothing is searched
 * twice) within one `hostFailureBudget`.
 */
interface HostFailureAnalysis {
    readonly figures: HostFailureFigures;
    /** First single loss shown not to re-place (a host index), -1 when none. */
    readonly failingHost: number;
    readonly loads: Loads;
    /** Work units spent. */
    readonly work: number;
}

const analyses = new WeakMap<
    PlacementResult,
    { model: PlanModel; analysis: HostFailureAnalysis | null }
>();

function analyzeHostFailure(
    model: PlanModel,
    placement: PlacementResult
): HostFailureAnalysis | null {
    const cached = analyses.get(placement);
    if (cached && cached.model === model) return cached.analysis;
    let analysis: HostFailureAnalysis | null = null;
    if (
        model.settings.platform !== 'physical' &&
        model.hosts.length > 0 &&
        // nothing deployed: no loss can cost anything, and no host count is needed for it
        model.instances.length > 0 &&
        placement.unplaced.length === 0 &&
        placement.overcommitted.length === 0
    ) {
        const budget = hostFailureBudget(model);
        const L = loadsOf(model, placement);
        const t = toleranceOf(model, placement, 2, budget);
        const H = model.hosts.length;
        const n: NPlus1 =
            t.tolerates >= 1
                ? { hosts: H, copiesOf: model.hosts[largestHost(model.hosts)].name }
                : nPlusKSearch(model, budget, !t.proven);
        // two losses asked and not survived: the hosts N+2 needs too (the user's question)
        const asked = Math.min(2, model.settings.tolerateHostFailures);
        const nk =
            asked >= 2 && t.tolerates < asked
                ? nPlusKSearch(model, budget, !t.proven, asked)
                : undefined;
        // a drained host (day 2) is in the model with no usable room: it is not one of the hosts N+1 needs
        const drained = model.hosts.filter(h => h.drain).length;
        const figures: HostFailureFigures = {
            tolerates: t.tolerates,
            hostsNeededForNPlus1: n.hosts - drained,
            ...(drained > 0 ? { drainedHosts: drained } : {}),
            ...(t.proven ? {} : { toleratesBound: 'at-least' as const }),
            ...(n.bound ? { nPlus1Bound: n.bound, copiesOf: n.copiesOf } : {}),
            ...(nk
                ? {
                      nPlusAsked: {
                          losses: asked,
                          // a lower bound is lifted by N+1's count: surviving two losses survives one
                          hosts:
                              (nk.bound === 'at-least' ? Math.max(nk.hosts, n.hosts) : nk.hosts) -
                              drained,
                          ...(nk.bound ? { bound: nk.bound, copiesOf: nk.copiesOf } : {})
                      }
                  }
                : {})
        };
        const failingHost =
            t.tolerates === 0 && t.failing && t.failing.length > 0
                ? Math.min(...hostsAlike(L, t.failing[0]))
                : -1;
        analysis = { figures, failingHost, loads: L, work: budget.spent };
    }
    analyses.set(placement, { model, analysis });
    return analysis;
}

/**
 * Work units the host-failure figures of a placement took (see `WorkBudget`; at most
 * `hostFailureBudget` plus one step); null when there are none (see `hostFailure`). For tests and
 * the bench: deterministic, unlike a time.
 */
export function hostFailureWork(model: PlanModel, placement: PlacementResult): number | null {
    return analyzeHostFailure(model, placement)?.work ?? null;
}

/**
 * Host-failure figures of a placement, `null` while any instance is unplaced, any host is
 * overcommitted, the plan has no hosts or deploys nothing, or the platform is physical (spec,
 * "Host failure").
 * `tolerates` ∈ {0, 1, 2}; `hostsNeededForNPlus1` is a host count (the plan's own count when it
 * already tolerates one loss). The tolerance search and the N+1 search share one budget
 * (`hostFailureBudget`): when it runs out, `toleratesBound` / `nPlus1Bound` say the figure
 * is a lower bound; `nPlus1Bound` `unreachable` says copies of `copiesOf` never make the plan
 * survive. Computed once per placement (cached). Never throws.
 */
export function hostFailure(
    model: PlanModel,
    placement: PlacementResult
): HostFailureFigures | null {
    return analyzeHostFailure(model, placement)?.figures ?? null;
}

/**
 * Why a placement does not survive the loss of one host, for messages such as "1 spare core per
 * host cannot take a lost host's 13 cores; N+1 needs 5 hosts". vCPUs and GiB.
 */
export interface HostFailureShortfall {
    /** First host (model order) whose loss is shown not to re-place; -1 when none is. */
    readonly host: number;
    /** Load of that host (0 when `host` is -1): what must be re-placed. */
    readonly lostCores: number;
    readonly lostMemoryGiB: number;
    /** Largest instance on that host, vCPUs; and most GiB of one instance on it. */
    readonly lostLargestPieceCores: number;
    readonly lostLargestPieceMemoryGiB: number;
    /** Spare of all the other hosts together. */
    readonly spareCoresOfOthers: number;
    readonly spareMemoryGiBOfOthers: number;
    /** Least and most spare vCPUs of one host (all hosts). Equal when the hosts are alike. */
    readonly minSpareCores: number;
    readonly maxSpareCores: number;
    /** Largest load of one host, vCPUs and GiB. */
    readonly largestLoadCores: number;
    readonly largestLoadMemoryGiB: number;
    /** Same as `hostFailure(…).hostsNeededForNPlus1` when exact; null when it is a bound or unreachable. */
    readonly hostsNeededForNPlus1: number | null;
}

/**
 * Explains a host-failure shortfall of a placement (see `HostFailureShortfall`). Returns `null`
 * in the cases where `hostFailure` is `null`. Shares `hostFailure`'s search (nothing is searched
 * twice). Never throws.
 */
export function explainHostFailure(
    model: PlanModel,
    placement: PlacementResult
): HostFailureShortfall | null {
    const a = analyzeHostFailure(model, placement);
    if (!a) return null;
    const L = a.loads;
    const H = L.capC.length;
    const host = a.failingHost;
    const spareC = L.capC.map((c, h) => Math.max(0, c - L.usedC[h]));
    const spareM = L.capM.map((m, h) => Math.max(0, m - L.usedM[h]));
    let sumC = 0,
        sumM = 0;
    for (let h = 0; h < H; h++)
        if (h !== host) {
            sumC += spareC[h];
            sumM += spareM[h];
        }
    let minC = Infinity,
        maxC = -Infinity,
        loadC = -Infinity,
        loadM = -Infinity;
    for (let h = 0; h < H; h++) {
        if (spareC[h] < minC) minC = spareC[h];
        if (spareC[h] > maxC) maxC = spareC[h];
        if (L.usedC[h] > loadC) loadC = L.usedC[h];
        if (L.usedM[h] > loadM) loadM = L.usedM[h];
    }
    return {
        host,
        lostCores: host >= 0 ? L.usedC[host] : 0,
        lostMemoryGiB: host >= 0 ? L.usedM[host] : 0,
        lostLargestPieceCores: host >= 0 && L.items[host].length > 0 ? L.items[host][0].c : 0,
        lostLargestPieceMemoryGiB:
            host >= 0 ? L.items[host].reduce((x, it) => Math.max(x, it.m), 0) : 0,
        spareCoresOfOthers: sumC,
        spareMemoryGiBOfOthers: sumM,
        minSpareCores: minC,
        maxSpareCores: maxC,
        largestLoadCores: loadC,
        largestLoadMemoryGiB: loadM,
        hostsNeededForNPlus1: a.figures.nPlus1Bound ? null : a.figures.hostsNeededForNPlus1
    };
}

function hostsAlike(L: Loads, h: number): number[] {
    return hostClasses(L).find(cl => cl.includes(h)) ?? [h];
}
