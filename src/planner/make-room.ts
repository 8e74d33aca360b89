/**
 * Day 2's room making (incremental.ts, planning from a lock): an instance left unplaced gets a
 * host by moving one piece out of its way. Pure.
 */
import type { PlanModel } from './model.js';
import { EPS, lexLess } from './objective.js';
import type { Load } from './host-load.js';

/**
 * Rule 2 over rule 4: an instance left unplaced (of `only` when given, else any) gets a host by
 * moving one piece out of the way (one that fits elsewhere now), a piece that is not on its
 * locked host first (that costs no move), then the smallest. Largest unplaced first; bounded by
 * instances × hosts per piece.
 *
 * The search reads only an instance's vCPUs and GiB, so a size that found no room finds none until
 * a piece moves or an instance is placed: `noRoom` holds such sizes (`sizeKey`) across calls; the
 * caller clears it when it places an instance itself. An instance of a size in it is skipped before
 * the placed pieces are listed (48,000 proxies typed into a full locked plan: 13 s → 2 s).
 */
export function makeRoom(
    model: PlanModel,
    cap: PlanModel,
    load: Load,
    open: readonly boolean[],
    hostOf: number[],
    isPinned: Uint8Array,
    lockedHost: readonly (string | undefined)[],
    hostIndex: ReadonlyMap<string, number>,
    noRoom: Set<string>,
    only?: readonly number[]
): void {
    const H = model.hosts.length;
    const unplaced: number[] = [];
    for (const i of only ?? hostOf.keys())
        if (hostOf[i] < 0 && !isPinned[i] && !noRoom.has(sizeKey(model.instances[i])))
            unplaced.push(i);
    if (unplaced.length === 0) return;
    unplaced.sort((a, b) => model.instances[b].cores - model.instances[a].cores || a - b);
    const on: number[][] = Array.from({ length: H }, () => []);
    for (let j = 0; j < hostOf.length; j++)
        if (hostOf[j] >= 0 && !isPinned[j]) on[hostOf[j]].push(j);
    const costOf = (j: number, h: number) => (hostIndex.get(lockedHost[j] ?? '') === h ? 1 : 0);
    for (const i of unplaced) {
        const it = model.instances[i];
        const size = sizeKey(it);
        if (noRoom.has(size)) continue;
        let best: { h: number; j: number; t: number; key: number[] } | undefined;
        for (let h = 0; h < H; h++) {
            if (!open[h]) continue;
            const host = cap.hosts[h];
            const needC = load.c[h] + it.cores - host.usableCores,
                needM = load.m[h] + it.memoryGiB - host.usableMemoryGiB;
            for (const j of on[h]) {
                const jt = model.instances[j];
                if (jt.cores + EPS < needC || jt.memoryGiB + EPS < needM) continue;
                // the piece must fit elsewhere now, and must not be what `i` is (no progress)
                if (jt.cores >= it.cores && jt.memoryGiB >= it.memoryGiB) continue;
                const key = [costOf(j, h), jt.cores, j];
                if (best && !lexLess(key, best.key)) continue;
                let t = -1;
                for (let u = 0; u < H && t < 0; u++)
                    if (u !== h && open[u] && load.fits(j, u, cap)) t = u;
                if (t >= 0) best = { h, j, t, key };
            }
        }
        if (!best) {
            noRoom.add(size);
            continue;
        }
        noRoom.clear();
        const { h, j, t } = best;
        load.add(j, h, -1);
        load.add(j, t);
        hostOf[j] = t;
        on[h].splice(on[h].indexOf(j), 1);
        on[t].push(j);
        if (!load.fits(i, h, cap)) {
            continue;
        }
        load.add(i, h);
        hostOf[i] = h;
        on[h].push(i);
    }
}

/** An instance's size as `makeRoom`'s search sees it: vCPUs and GiB. */
function sizeKey(it: { readonly cores: number; readonly memoryGiB: number }): string {
    return `${it.cores}/${it.memoryGiB}`;
}
