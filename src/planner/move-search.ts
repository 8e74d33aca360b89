/**
 * Fewer moves, a second local search for a placement planned from a lock (issue 12, day 2;
 * `planPlacement` in incremental.ts), run after `returnToLockedHosts` (fewer-moves.ts).
 *
 * Return: one moved (or stopped) locked instance goes back to the host it may stay on
 * (`LockedStart.stayHost`) by evicting none, one, two or all of the pieces there that are not
 * kept there (moved in, or new), tried in that order, smallest first, so that a cycle of moves of
 * pieces of unlike sizes is undone. Each evicted piece goes to its own host, else the open host it
 * fills most (the one it left included), else to a host where one more unkept piece leaves for a
 * host with room (a chain of two), else stays unplaced while no more vCPUs are unplaced.
 *
 * Leave: a piece on a host that some moved locked instance may go back to leaves it (unplaced,
 * then placed again where room is left) when that lets more locked instances return, as many
 * vCPUs placed; a new or moved piece so costs no move, as the MILP counts a stopped locked
 * instance as a move.
 *
 * Repack: when these leave pieces unplaced (`insert` > 0) or locked pieces moved, sets of up to
 * three hosts are packed again at once (repack.ts), then the steps above run again. On a plan of
 * at most 200 instances with pieces unplaced, the search also starts from a repack, and the
 * better of the two ends is kept.
 *
 * Every accepted step lowers the moves (or raises the vCPUs placed), never places fewer vCPUs,
 * never overcommits a host and never puts a role entirely on one host that was not before.
 * Deterministic: bounded by a work budget (candidate evaluations), never by the clock. Pure: no I/O.
 */
import type { PlanModel } from './model.js';
import { EPS } from './placement.js';
import { HostLoads } from './host-loads.js';
import { repackHosts } from './repack.js';

/** Most passes over the instances. */
const MAX_PASSES = 6;
/** Most candidate evictions tried in one call, in all. */
const WORK_BUDGET = 2_000_000;
/** Most instances of a plan on which the search from a repacked start is tried too. */
const REPACK_FIRST_MAX = 200;

/**
 * Sends moved locked instances back to the host they may stay on (see the module comment),
 * changing `hostOf` (per instance, -1 unplaced) in place. `cap` is the model with drained hosts
 * emptied; `open[h]` says whether host h may take unpinned instances; pins are never chosen.
 * `insert` > 0: first, each unplaced piece goes where evicting up to `insert` (2 or 3) smaller
 * pieces (placed elsewhere, or left unplaced) places more vCPUs (rule 2 over rule 4; a kept piece
 * evicted is a move). `reverse`: instances tried from the last (another local optimum). Returns the number of steps taken. Never throws.
 */
export function returnByEviction(
    model: PlanModel,
    cap: PlanModel,
    hostOf: number[],
    isPinned: Uint8Array,
    stayHost: Int32Array,
    open: readonly boolean[],
    insert = 0,
    reverse = false
): number {
    const n = model.instances.length;
    // on a small plan with pieces unplaced, also the search from those pieces repacked first
    // (another local optimum); the better of the two: more vCPUs placed, then fewer moves
    if (insert > 0 && n <= REPACK_FIRST_MAX && hostOf.some((h, i) => h < 0 && !isPinned[i])) {
        const first = [...hostOf];
        repackHosts(model, cap, first, isPinned, stayHost, open, true);
        const a = searchFrom(model, cap, first, isPinned, stayHost, open, insert, reverse);
        const b = searchFrom(model, cap, hostOf, isPinned, stayHost, open, insert, reverse);
        const placed = (ho: readonly number[]) =>
            ho.reduce((x, h, i) => x + (h >= 0 ? model.instances[i].cores : 0), 0);
        const movesOf = (ho: readonly number[]) =>
            ho.reduce((x, h, i) => x + (stayHost[i] >= 0 && h !== stayHost[i] ? 1 : 0), 0);
        const d = placed(first) - placed(hostOf);
        if (d > EPS || (d > -EPS && movesOf(first) < movesOf(hostOf))) {
            for (let i = 0; i < n; i++) hostOf[i] = first[i];
            return a;
        }
        return b;
    }
    return searchFrom(model, cap, hostOf, isPinned, stayHost, open, insert, reverse);
}

/** `returnByEviction` from `hostOf` as it is. */
function searchFrom(
    model: PlanModel,
    cap: PlanModel,
    hostOf: number[],
    isPinned: Uint8Array,
    stayHost: Int32Array,
    open: readonly boolean[],
    insert: number,
    reverse: boolean
): number {
    const n = model.instances.length,
        H = model.hosts.length;
    const inst = model.instances;
    const loads = HostLoads.of(model, hostOf, cap, isPinned);
    const on = loads.movable;
    // every relocation is logged, so that a failed step is undone in reverse
    let log: [number, number][] = [];
    const relocate = (i: number, to: number) => {
        log.push([i, hostOf[i]]);
        loads.add(i, hostOf[i], -1);
        hostOf[i] = to;
        loads.add(i, to, 1);
    };
    const rollback = (mark: number) => {
        while (log.length > mark) {
            const [i, from] = log.pop()!;
            loads.add(i, hostOf[i], -1);
            hostOf[i] = from;
            loads.add(i, from, 1);
        }
    };
    let work = 0,
        saved = 0;
    // the passes; then, with pieces still unplaced or locked pieces moved, hosts repacked
    // together (repack.ts) and the passes again from there
    passes();
    const more = insert > 0 && hostOf.some((h, i) => h < 0 && !isPinned[i]);
    if (more || moves() > 0) {
        const repacked = repackHosts(model, cap, hostOf, isPinned, stayHost, open, more, loads);
        saved += repacked;
        if (repacked > 0) passes();
    }
    return saved;

    /** Passes over the instances until one changes nothing (or the budget is spent). */
    function passes(): void {
        for (let pass = 0; pass < MAX_PASSES && work < WORK_BUDGET; pass++) {
            let progress = false;
            // rule 2 over rule 4: an unplaced piece goes where evicting one or two pieces (placed
            // elsewhere, or left unplaced) places more vCPUs, largest piece first
            if (insert > 0) {
                const out: number[] = [];
                for (let u = 0; u < n; u++) if (hostOf[u] < 0 && !isPinned[u]) out.push(u);
                out.sort((a, b) => inst[b].cores - inst[a].cores || a - b);
                for (const u of out)
                    if (hostOf[u] < 0 && work < WORK_BUDGET && tryInsert(u)) progress = true;
            }
            for (let k = 0; k < n && work < WORK_BUDGET; k++) {
                const i = reverse ? n - 1 - k : k;
                if (!returnable(i)) continue;
                log = [];
                if (tryReturn(i, loads.placedCores, loads.onOneHost())) {
                    saved++;
                    progress = true;
                }
            }
            // a piece on a host some locked instance may go back to leaves it (to another host,
            // or unplaced when as many vCPUs stay placed: a new or moved piece so costs no move) when
            // that lets more locked instances go back
            const back: number[] = [];
            const wanted = new Uint8Array(H);
            for (let i = 0; i < n; i++)
                if (returnable(i)) {
                    back.push(i);
                    wanted[stayHost[i]] = 1;
                }
            if (reverse) back.reverse();
            for (let k = 0; k < n && back.length > 0 && work < WORK_BUDGET; k++) {
                const x = reverse ? n - 1 - k : k;
                if (isPinned[x] || hostOf[x] < 0 || !wanted[hostOf[x]]) continue;
                log = [];
                const floor = loads.placedCores,
                    before = loads.onOneHost(),
                    movesBefore = moves();
                const from = hostOf[x];
                relocate(x, -1);
                for (let round = 0; round < 3; round++) {
                    let more = false;
                    for (const i of back)
                        if (i !== x && returnable(i) && tryReturn(i, loads.placedCores, Infinity))
                            more = true;
                    if (!more) break;
                }
                if (hostOf[x] < 0) rehome(x, from);
                // and the pieces left unplaced take the room that is left, largest first
                if (loads.placedCores < floor - EPS) {
                    const out: number[] = [];
                    for (let u = 0; u < n; u++)
                        if (hostOf[u] < 0 && !isPinned[u] && u !== x) out.push(u);
                    out.sort((a, b) => inst[b].cores - inst[a].cores || a - b);
                    for (const u of out) if (loads.placedCores < floor - EPS) rehome(u, -1);
                }
                const after = moves();
                if (
                    loads.placedCores >= floor - EPS &&
                    after < movesBefore &&
                    loads.onOneHost() <= before
                ) {
                    saved += movesBefore - after;
                    progress = true;
                } else rollback(0);
            }
            if (!progress) break;
        }
    }

    /** Places unplaced `u` on some open host, evicting none, one or two pieces there, when more vCPUs are then placed; else undoes it. */
    function tryInsert(u: number): boolean {
        log = [];
        const floor = loads.placedCores,
            single = loads.onOneHost();
        const order: number[] = [];
        const own = stayHost[u];
        if (own >= 0 && open[own]) order.push(own);
        for (let h = 0; h < H; h++) if (open[h] && h !== own) order.push(h);
        for (const h of order) {
            const pieces = [...on[h]]
                .filter(j => inst[j].cores < inst[u].cores)
                .sort(
                    (a, b) =>
                        Number(stayHost[a] === h) - Number(stayHost[b] === h) ||
                        inst[a].cores - inst[b].cores ||
                        a - b
                );
            const sets: number[][] = [[]];
            for (const a of pieces) sets.push([a]);
            for (let x = 0; x < pieces.length; x++)
                for (let y = x + 1; y < pieces.length; y++) sets.push([pieces[y], pieces[x]]);
            for (let x = 0; x < pieces.length && insert > 2; x++)
                for (let y = x + 1; y < pieces.length; y++)
                    for (let z = y + 1; z < pieces.length; z++)
                        sets.push([pieces[z], pieces[y], pieces[x]]);
            for (const set of sets) {
                if (++work > WORK_BUDGET) return false;
                for (const j of set) relocate(j, -1);
                if (loads.fits(u, h)) {
                    relocate(u, h);
                    for (const j of set) rehome(j, h);
                    if (loads.placedCores > floor + EPS && loads.onOneHost() <= single) return true;
                }
                rollback(0);
            }
        }
        return false;
    }

    /** Whether `i` is a locked instance off the open host it may stay on. */
    function returnable(i: number): boolean {
        const o = stayHost[i];
        return o >= 0 && !isPinned[i] && hostOf[i] !== o && open[o];
    }

    /** Locked instances off the host they may stay on (the others' moves do not change). */
    function moves(): number {
        let k = 0;
        for (let i = 0; i < n; i++) if (stayHost[i] >= 0 && hostOf[i] !== stayHost[i]) k++;
        return k;
    }

    /**
     * Sends `i` back to its stay host by evicting none, one, two or all of the pieces not kept
     * there; keeps it when at least `floor` vCPUs stay placed and no more than `single` roles
     * are on one host, else undoes it. Returns whether it went back.
     */
    function tryReturn(i: number, floor: number, single: number): boolean {
        const o = stayHost[i];
        const start = log.length;
        relocate(i, -1);
        const pieces = [...on[o]]
            .filter(j => stayHost[j] !== o)
            .sort(
                (a, b) =>
                    inst[a].cores - inst[b].cores || inst[a].memoryGiB - inst[b].memoryGiB || a - b
            );
        // no piece, each piece, each pair, then all of them (largest first when placed again)
        const sets: number[][] = [[]];
        for (const a of pieces) sets.push([a]);
        for (let x = 0; x < pieces.length; x++)
            for (let y = x + 1; y < pieces.length; y++) sets.push([pieces[y], pieces[x]]);
        if (pieces.length > 2) sets.push([...pieces].reverse());
        for (const set of sets) {
            if (++work > WORK_BUDGET) break;
            const mark = log.length;
            for (const j of set) relocate(j, -1);
            if (!loads.fits(i, o)) {
                rollback(mark);
                continue;
            }
            relocate(i, o);
            for (const j of set) rehome(j, o);
            // pieces left unplaced are allowed while no more vCPUs are left unplaced
            if (loads.placedCores >= floor - EPS && loads.onOneHost() <= single) return true;
            rollback(mark);
        }
        rollback(start);
        return false;
    }

    /**
     * Places evicted `j` (unplaced now) off `from`: on the host it may stay on, else the open
     * host it fills most, else by moving one piece not kept on some host to a host with room.
     * Returns whether it is placed.
     */
    function rehome(j: number, from: number): boolean {
        const own = stayHost[j];
        if (own >= 0 && own !== from && open[own] && loads.fits(j, own)) {
            relocate(j, own);
            return true;
        }
        const t = bestFit(j, -1, -1);
        if (t >= 0) {
            relocate(j, t);
            return true;
        }
        for (let h = 0; h < H; h++) {
            if (h === from || !open[h]) continue;
            for (const k of [...on[h]]) {
                if (stayHost[k] === h || ++work > WORK_BUDGET) continue;
                if (!loads.fitsInstead(j, k, h)) continue;
                const mark = log.length;
                relocate(k, -1);
                relocate(j, h);
                const u = bestFit(k, h, -1);
                if (u >= 0) {
                    relocate(k, u);
                    return true;
                }
                rollback(mark);
            }
        }
        return false;
    }

    /** The open host other than `not` where `j` fits and fills it most; -1 when none. */
    function bestFit(j: number, not: number, not2: number): number {
        let best = -1,
            bestLeft = Infinity;
        for (let h = 0; h < H; h++) {
            if (h === not || h === not2 || !open[h] || !loads.fits(j, h)) continue;
            const left = loads.freeCores(h) - inst[j].cores;
            if (left < bestLeft - EPS) {
                best = h;
                bestLeft = left;
            }
        }
        return best;
    }
}
