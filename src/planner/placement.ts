/**
 * The placement engine: puts every VM instance of a plan onto a host (spec, "What the checker
 * computes", "Placement"). Pure: no vscode or langium import.
 *
 * Rules, in priority order (the domain page's sections in brackets):
 *  1. hard: never overcommit a host's usable vCPUs or memory ("No over commitment of
 *     resources"); `runs` pins are kept as written, even when they overcommit (then the host is
 *     reported in `overcommitted` and nothing more goes on it);
 *  2. as many cores placed as possible; the shortfall is shared between the roles as evenly as
 *     possible (lexicographically smallest per-role unplaced cores, sorted in descending order)
 *     and the highest-numbered instances of a shape stay out first;
 *  3. spread: at most ⌈n/h⌉ instances of a role with n instances on h hosts where capacity
 *     allows ("Allocating Virtual Instances on Physical Machines": not all proxies on the same
 *     physical node);
 *  4. mix: every host runs several roles (same section: "collect Proxy, Director and Backend to
 *     same physical machine"), then spread over racks when hosts have a `rack`;
 *  5. balance: the busiest host's core utilisation as low as possible.
 *
 * Design: construct-then-improve. A slot-aware constructive pass places the largest pieces first
 * with the roles interleaved fairly, each on a host below its role's cap ⌈n/h⌉ with the most room
 * per open slot (large pieces on large hosts, room kept for the roles still to come; in a role's
 * smallest size, hosts without the role first), which on generated plans already reaches the
 * spread and mix the search would look for; then a bounded local search (insert, make-room
 * relocation, eject-and-refill, relocate, swap, spread repair chains, and pair re-partition: every
 * split of two hosts' movable pieces, which covers multi-piece exchanges) that never breaks rule 1
 * and only accepts strict lexicographic improvements. On small plans whose spread or mix is still
 * not reached, capped restarts (each role held to its cap while a host takes it; fixed orders and
 * seeded perturbations) are improved the same way and the best by the whole objective is kept;
 * when the spread is still exceeded, ejection chains (up to six relocations, each host left
 * within its capacity and caps) are searched on the best. On small plans the best is then
 * searched once more with the set re-split added (every split of three hosts' movable pieces,
 * of four on plans of few hosts: exchanges of coarse pieces against smaller ones that no move
 * between two hosts reaches), within a node allowance of its own. With
 * `tolerate_host_failures = k`, a final bounded pass moves pieces (spread and mix never worse)
 * until any k-host loss re-places.
 * The search remembers what found nothing: host states are numbered, and a pair re-split or a
 * piece's relocations and swaps between two host states that improved nothing is not searched
 * again while the states are the same (charged to the budget as if searched, so the memos save
 * time and change no result). The search works on counts per (host, shape): instances of one
 * shape are interchangeable, and the instance names are given out at the end in a canonical way
 * (lowest numbers to the first hosts, the highest numbers stay out), so the result does not
 * depend on the order in which equal elements come in. No clock is read: budgets count
 * evaluations, so the result is the same on every machine. The search runs on the hosts in a
 * canonical order (largest first, then by name), so the file's block order does not matter.
 */
import type { PlanModel } from './model.js';
import { constructCapped, constructFirstFit, constructSlots } from './construction.js';
import { improve, improveShortfall } from './local-search.js';
import { EPS, lexLess } from './objective.js';
import { compareStrings, placementFromCounts, resolvePins, type PinnedPlan } from './pins.js';
import { globalQuality, State } from './placement-state.js';
import { tabuWalk } from './tabu-walk.js';
import type { PlacementResult, PlaceOptions } from './placement-types.js';
import {
    improveTolerance,
    TOLERANCE_MAX_HOSTS,
    TOLERANCE_MAX_INSTANCES,
    TOLERANCE_WORK
} from './tolerance.js';

// The public API of the placement engine stays importable from this module.
export type { PinPreference, PlacementResult, PlaceOptions } from './placement-types.js';
export { placementFromCounts, resolvePins, type PinnedPlan } from './pins.js';
export { EPS } from './objective.js';
export { ROLE_INDEX } from './model.js';

/**
 * Places the instances of a plan on its hosts.
 *
 * Shapes: `model.hosts` (capacity `usableCores` vCPUs, `usableMemoryGiB` GiB, `pins`) and
 * `model.instances` (each `cores` vCPUs, `memoryGiB` GiB). Pins are resolved first: hosts in model
 * order, pins in list order, each taking the lowest-numbered not yet pinned instances of its
 * shape (with `options.pinPreference`, a lock's: see `resolvePins`); a pin of a shape without instances left gives a `pinExcess` entry (a pin of a shape that
 * has no instance at all is treated the same way). Then the free instances are placed following
 * the priority order of the module comment.
 *
 * Physical plans (`settings.platform === 'physical'`) are not placed: every instance is its own
 * machine, so the result has no hosts (`byHost`, `pinned` empty), `hostOf` all -1 and nothing
 * unplaced.
 *
 * Deterministic: every budget counts work, so the same model gives the same result on any
 * machine and under any load. The search sees the hosts in a canonical order (most usable vCPUs,
 * most GiB, name) and the shapes by name, so the order of hosts, shapes and deployments changes
 * the names only, not the objective reached (issue 15). When instances stay unplaced on a plan
 * of at most `PlacementFallback.maxInstances` instances, the installed exact fallback runs and
 * `placedCoresBound` says when the most placeable was proved. Never throws on a well-formed
 * `PlanModel`.
 */
export function place(model: PlanModel, options: PlaceOptions = {}): PlacementResult {
    const n = model.instances.length;
    if (model.settings.platform === 'physical') {
        return {
            hostOf: new Array<number>(n).fill(-1),
            byHost: [],
            pinned: [],
            unplaced: [],
            unplacedReason: null,
            overcommitted: [],
            pinExcess: []
        };
    }
    const pp = resolvePins(model, options.pinPreference);
    // The search runs on the hosts in a canonical order (largest first, then by name), so the
    // block order of the file changes nothing but the names (issue 15: one placement per file).
    // (Pins that ask for more than there is depend on the host order: then the file's order.)
    const order = pp.pinExcess.length === 0 ? canonicalHostOrder(model) : undefined;
    const cm: PlanModel = order ? { ...model, hosts: order.map(h => model.hosts[h]) } : model;
    const cpp = order ? permutedPins(pp, order) : pp;
    const inv = order ? inverse(order) : undefined;
    let st = search(cm, cpp, options);
    const inFileOrder = (x: State) =>
        inv
            ? (s: number, h: number) => x.mov[inv[h]].get(s) ?? 0
            : (s: number, h: number) => x.mov[h].get(s) ?? 0;
    const result = placementFromCounts(model, pp, inFileOrder(st));
    if (
        result.unplaced.length > 0 &&
        fallback &&
        options.exactFallback !== false &&
        n <= fallback.maxInstances
    ) {
        const heuristic = order
            ? placementFromCounts(cm, cpp, (s, h) => st.mov[h].get(s) ?? 0)
            : result;
        const fb = fallback.solve(cm, heuristic);
        const proof =
            fb.placedCoresBound === undefined ? {} : { placedCoresBound: fb.placedCoresBound };
        if (fb.better) {
            // the exact counts (rule 2), then the local search for spread, mix and balance: it
            // accepts only lexicographic improvements, so no core placed is given up
            const counts = freeCounts(cm, cpp, fb.better);
            const alt = newState(cm, cpp);
            for (let h = 0; h < alt.H; h++)
                for (let s = 0; s < cpp.S; s++)
                    for (let c = counts[s * alt.H + h]; c > 0; c--) alt.move(s, -1, h);
            alt.commitAll();
            if (!options.skipLocalSearch) {
                const evaluations = options.maxEvaluations ?? 70_000 + 20 * n;
                improve(alt, { left: evaluations });
                if (alt.unplacedCores() <= EPS && n * alt.H <= CAPPED_RESTART_LIMIT)
                    setPass(alt, evaluations);
            }
            if (lexLess(alt.shortfall(), st.shortfall())) st = alt;
            return { ...placementFromCounts(model, pp, inFileOrder(st)), ...proof };
        }
        return { ...result, ...proof };
    }
    return result;
}

/** A fresh state of the plan with every free instance in the unplaced pool. */
function newState(model: PlanModel, pp: PinnedPlan): State {
    const roleN = [0, 0, 0];
    for (let s = 0; s < pp.S; s++) roleN[pp.sRole[s]] += pp.byShape[s].length;
    const st = new State(
        model,
        pp.sC,
        pp.sM,
        pp.sRole,
        roleN,
        pp.pinned,
        pp.overcommitted.map(o => o.host)
    );
    for (let s = 0; s < pp.S; s++) st.setUnplaced(s, pp.free[s]);
    return st;
}

/** The heuristic: constructions, local search and the bounded restarts (see the module comment), on hosts in `model`'s order. */
function search(model: PlanModel, pp: PinnedPlan, options: PlaceOptions): State {
    const n = model.instances.length;
    const { free } = pp;

    // ---- state
    const work = options.work;
    work?.charge(n + model.hosts.length);
    /** `units`, or less when the caller's work budget has less left. */
    const within = (units: number) => (work ? Math.max(0, Math.min(units, work.left)) : units);
    const mainBudget = () => within(options.maxEvaluations ?? 70_000 + 20 * n);
    const budget = { left: mainBudget() };
    const budget0 = budget.left;
    const build = (start: 'spread' | 'ffd', b: { left: number }): State => {
        const st = newState(model, pp);
        if (start === 'spread') constructSlots(st, free);
        else constructFirstFit(st, free);
        if (!options.skipLocalSearch && st.unplacedCores() > EPS && st.H > 0)
            improveShortfall(st, b);
        return st;
    };
    let st = build(options.start === 'first-fit' ? 'ffd' : 'spread', budget);
    if (!options.skipLocalSearch) improve(st, budget);
    work?.charge(Math.max(0, budget0 - budget.left));
    // When capacity runs out, the spread-aware start may pack worse than plain first-fit
    // decreasing: that start too, improved with a budget of its own, and the better by the whole
    // objective is kept (rule 2 before rules 3–5; ties keep the spread start).
    if (st.unplacedCores() > EPS && options.start !== 'first-fit') {
        const own = { left: mainBudget() };
        const own0 = own.left;
        const alt = build('ffd', own);
        if (!options.skipLocalSearch) improve(alt, own);
        work?.charge(Math.max(0, own0 - own.left));
        if (lexLess(globalQuality(alt), globalQuality(st))) st = alt;
    }
    // Spread still exceeded on a small plan: capped first-fit starts (every role held to its cap
    // while a host below the cap takes the piece), each improved the same way; the best by the
    // whole objective wins (ties keep the earlier).
    const small = n * Math.max(1, st.H) <= CAPPED_RESTART_LIMIT;
    if (
        !options.skipLocalSearch &&
        options.start !== 'first-fit' &&
        small &&
        st.spreadTotal() + st.mixTotal() > 0
    ) {
        let best = st,
            bestQ = globalQuality(st);
        const restartBudget = { left: within(CAPPED_RESTART_BUDGET) };
        for (let variant = 0; variant < CAPPED_VARIANTS && restartBudget.left > 0; variant++) {
            const alt = newState(model, pp);
            constructCapped(alt, free, variant);
            work?.charge(n + st.H);
            // only a start that already spreads better than the best so far is worth improving
            if (alt.unplacedCores() > best.unplacedCores() + EPS) continue;
            const own = {
                left: Math.min(
                    restartBudget.left,
                    options.maxEvaluations ?? Infinity,
                    100_000 + 20 * n
                )
            };
            const start = own.left;
            improve(alt, own);
            restartBudget.left -= start - own.left;
            work?.charge(start - own.left);
            const q = globalQuality(alt);
            // a start that leaves more hosts empty is not taken (every host should run the roles
            // when there are enough instances)
            if (lexLess(q, bestQ) && alt.usedHosts() >= best.usedHosts()) {
                best = alt;
                bestQ = q;
            }
            if (best.spreadTotal() + best.mixTotal() === 0 && variant >= 1) break;
        }
        st = best;
    }
    // Spread still exceeded on a small plan: the same search with ejection chains added (longer
    // relocation sequences that lower the spread excess), on the best placement only.
    if (!options.skipLocalSearch && small && st.spreadTotal() > 0) {
        st.deep = true;
        const deep = { left: within(options.maxEvaluations ?? 70_000 + 20 * n) };
        const start = deep.left;
        improve(st, deep);
        work?.charge(start - deep.left);
    }
    // Small plan, everything placed: the search once more with the set re-split added (see
    // `setPass`). With cores unplaced it is left out: the exact fallback starts from this state.
    // Not inside a caller's work budget either: the N+1 search asks whether a placement survives
    // a loss, which the pass (no core placed or given up) does not change.
    if (!options.skipLocalSearch && !work && small && st.unplacedCores() <= EPS)
        setPass(st, options.maxEvaluations ?? 70_000 + 20 * n);
    const k = Math.min(2, options.tolerate ?? model.settings.tolerateHostFailures);
    if (
        k > 0 &&
        !options.skipLocalSearch &&
        st.unplacedCores() <= EPS &&
        pp.overcommitted.length === 0 &&
        st.H <= TOLERANCE_MAX_HOSTS &&
        n <= TOLERANCE_MAX_INSTANCES
    ) {
        const spent = improveTolerance(st, model, pp, k, within(TOLERANCE_WORK));
        work?.charge(spent);
    }
    return st;
}

/**
 * The search once more with the set re-split added (exchanges among three or four hosts that no
 * move between two reaches: coarse pieces, roles that need a chain), then balance alone with a
 * budget of its own (spread, mix or racks that cannot be reached may have spent the first); each
 * `evaluations` moves at most, the re-splits SET_WORK nodes each (rules 3–4, balance). Each
 * step improves the hosts it touches, not always the whole (a pair's busiest host lowered while
 * the sum of squares rose elsewhere), so the best state after a round is kept. Then the tabu
 * walks (`tabuWalk`, ROLES_WALK_WORK and WALK_WORK evaluated moves): chains of single moves over
 * any number of hosts, for rules 3–4 (only where they are above their bounds) and for the
 * busiest host. Plans of fewer than 3 hosts are left as they are.
 */
function setPass(st: State, evaluations: number): void {
    if (st.H < 3) return;
    st.sets = true;
    st.setRoles.left = SET_WORK;
    st.setBalance.left = SET_WORK;
    let bestQ = globalQuality(st);
    let saved = countsOf(st);
    let savedIsLast = true;
    const afterRound = () => {
        const q = globalQuality(st);
        savedIsLast = lexLess(q, bestQ);
        if (savedIsLast) {
            bestQ = q;
            saved = countsOf(st);
        }
    };
    improve(st, { left: evaluations }, true, afterRound);
    improve(st, { left: evaluations }, true, afterRound, false);
    st.sets = false;
    if (!savedIsLast && lexLess(bestQ, globalQuality(st))) restoreCounts(st, saved);
    // chains over many hosts, one move at a time (see `tabuWalk`): rules 3–4 where they are above
    // their bounds (a spread excess, a single-role host, fewer roles than could be, a rack excess)
    if (st.spreadTotal() + st.mixTotal() + rackExcess(st) > 0)
        tabuWalk(st, 'roles', { left: ROLES_WALK_WORK });
    tabuWalk(st, 'balance', { left: WALK_WORK });
}

/** Σ over racks and roles of the instances above the rack cap (rule 4; 0 without racks). */
function rackExcess(st: State): number {
    let x = 0;
    for (let k = 0; k < st.nRacks; k++) x += st.rackOfPenalty(k);
    return x;
}

/** The movable counts of a state, index h · S + s. */
function countsOf(st: State): Int32Array {
    const out = new Int32Array(st.H * st.S);
    for (let h = 0; h < st.H; h++)
        for (let s = 0; s < st.S; s++) out[h * st.S + s] = st.mov[h].get(s);
    return out;
}

/** Puts the state back to the counts of `countsOf` (through the unplaced pool), indexes included. */
function restoreCounts(st: State, counts: Int32Array): void {
    for (let h = 0; h < st.H; h++)
        for (let s = 0; s < st.S; s++)
            for (let d = st.mov[h].get(s) - counts[h * st.S + s]; d > 0; d--) st.move(s, h, -1);
    for (let h = 0; h < st.H; h++)
        for (let s = 0; s < st.S; s++)
            for (let d = counts[h * st.S + s] - st.mov[h].get(s); d > 0; d--) st.move(s, -1, h);
    st.commitAll();
}

/**
 * A synchronous exact fallback for small plans: called by `place` when the heuristic leaves
 * instances unplaced on a plan of at most `maxInstances` instances. `solve` returns `better`, a
 * placement with fewer unplaced cores (by rule 2's order), when it found one, and
 * `placedCoresBound` (vCPUs, pins included) when it proved that no placement places more.
 * Its budget counts work, never time, so the answer is the same under any load.
 * Registered by `exact-fallback.ts` once the HiGHS WebAssembly is loaded (see `enableExactFallback`).
 */
export interface PlacementFallback {
    readonly maxInstances: number;
    solve(
        model: PlanModel,
        heuristic: PlacementResult
    ): { readonly better?: PlacementResult; readonly placedCoresBound?: number };
}

let fallback: PlacementFallback | undefined;

/**
 * Installs (or, with `undefined`, removes) the exact fallback of `place` for the whole process.
 * Only `exact.ts` calls this; the planner itself stays free of solver imports.
 */
export function setPlacementFallback(f: PlacementFallback | undefined): void {
    fallback = f;
}

/**
 * The hosts in the order the search sees them: most usable vCPUs first, then most GiB, then by
 * name (unique), so the file's block order does not matter. `undefined` when that is the model's
 * order already (nothing to permute).
 */
function canonicalHostOrder(model: PlanModel): number[] | undefined {
    const hosts = model.hosts;
    const order = hosts.map((_, h) => h);
    order.sort(
        (a, b) =>
            hosts[b].usableCores - hosts[a].usableCores ||
            hosts[b].usableMemoryGiB - hosts[a].usableMemoryGiB ||
            compareStrings(hosts[a].name, hosts[b].name) ||
            a - b
    );
    return order.every((h, k) => h === k) ? undefined : order;
}

function inverse(order: readonly number[]): Int32Array {
    const inv = new Int32Array(order.length);
    order.forEach((h, k) => {
        inv[h] = k;
    });
    return inv;
}

/** `pp` with its hosts in `order` (host k of the result is host order[k] of `pp`). */
function permutedPins(pp: PinnedPlan, order: readonly number[]): PinnedPlan {
    const H = order.length;
    const inv = inverse(order);
    const pinCount = new Int32Array(pp.S * H);
    const pinC = new Float64Array(H),
        pinM = new Float64Array(H);
    for (let k = 0; k < H; k++) {
        const h = order[k];
        pinC[k] = pp.pinC[h];
        pinM[k] = pp.pinM[h];
        for (let s = 0; s < pp.S; s++) pinCount[s * H + k] = pp.pinCount[s * H + h];
    }
    return {
        ...pp,
        pinCount,
        pinC,
        pinM,
        pinned: order.map(h => pp.pinned[h]),
        pinExcess: pp.pinExcess.map(e => ({ ...e, host: inv[e.host] })),
        overcommitted: pp.overcommitted
            .map(o => ({ ...o, host: inv[o.host] }))
            .sort((a, b) => a.host - b.host)
    };
}

/** Free (unpinned) counts per (shape id, host) of a placement: index s * H + h. */
function freeCounts(model: PlanModel, pp: PinnedPlan, p: PlacementResult): Int32Array {
    const H = model.hosts.length;
    const id = new Map(pp.shapeNames.map((s, k) => [s, k]));
    const out = new Int32Array(pp.S * H);
    for (let h = 0; h < H; h++) {
        const pinnedHere = new Set(p.pinned[h] ?? []);
        for (const i of p.byHost[h] ?? [])
            if (!pinnedHere.has(i)) out[id.get(model.instances[i].shape)! * H + h]++;
    }
    return out;
}

/** Most instances × hosts for which `place` tries the capped restarts (small plans only). */
const CAPPED_RESTART_LIMIT = 20_000;

/** Number of capped start variants (piece order × host choice). */
const CAPPED_VARIANTS = 32;

/** Moves each walk after the set pass may evaluate (see `tabuWalk`). */
const ROLES_WALK_WORK = 60_000;
const WALK_WORK = 200_000;

/** Nodes the set re-splits of one placement may enumerate together (see `setRepartition`). */
const SET_WORK = 300_000;

/** Move evaluations the capped restarts may spend together (the main search has its own). */
const CAPPED_RESTART_BUDGET = 400_000;
