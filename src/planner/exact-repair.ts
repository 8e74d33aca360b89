/**
 * Repair of a nearly full placement by re-packing small neighbourhoods of hosts exactly (issue 15:
 * plans dealt onto hosts sized to what each was dealt, bench/adversarial.ts's `dealtPlan`, where
 * the pattern model's generated columns leave a few instances unplaced though every one fits).
 *
 * Large-neighbourhood search with an exact sub-solver: one unplaced instance at a time, take the
 * hosts whose idle capacity together could hold it (most idle for its size first), add a few
 * more hosts, and re-pack everything those hosts run plus that instance by bin completion
 * (`searchFullPlacement`). Found: the instance is placed and the neighbourhood's hosts take
 * their new packings; not found: another neighbourhood, or another unplaced shape. Idle
 * capacity on these plans is a vCPU or a GiB here and there, so an instance needs the idle of
 * many hosts gathered; local moves of one or two instances (tried first, bench/quality/
 * FINDINGS.md) walk blind there, while a neighbourhood searched exactly finds the exchanges.
 * Work is counted (search steps), never time; the choices come from a seeded generator, so the
 * answer is the same on any machine. Pure.
 */
import { EPS } from './objective.js';
import type { PinnedPlan } from './pins.js';
import { GIB_EPS, searchFullPlacement, type WasteClass } from './exact-waste.js';
import { seededRandom } from './random.js';

/** A host that can take free instances: its index and its free vCPUs and GiB beside its pins. */
export interface RepairHost extends WasteClass {
    readonly host: number;
}

/**
 * Search steps of the whole repair inside `place`'s fallback: 0.3–1.4 s of CPU where it runs
 * out. On the 90 dealt plans of bench/adversarial.ts (40–1,000 VMs, 0–3 spare vCPUs), the
 * fallback had left 18 short; with the repair 15 of them are placed fully, within at most 3.7 M
 * steps (dealt_2_500_slack3, 5 vCPUs short: one neighbourhood). The fallback repairs at most
 * twice: the heuristic's placement, then the generated columns' answer where the first falls
 * short (exact-patterns.ts).
 */
export const REPAIR_WORK = 6_000_000;

/** Steps of one neighbourhood's search: a neighbourhood that needs more is left for another. */
export const NEIGHBOURHOOD_WORK = 50_000;

/** Neighbourhoods tried in a row for one unplaced shape before the next is tried. */
const FAILURES_PER_SHAPE = 30;

/**
 * Where an instance needs the idle capacity of more hosts than this, idle capacity is first
 * gathered on one host (`gather`), a few donors at a time.
 */
const GATHER_ABOVE = 6;

/** Failed gatherings in a row after which another host gathers. */
const GATHER_FAILURES = 4;

/** Hosts that give idle capacity in one gathering, and random others beside them. */
const GATHER_DONORS = 5,
    GATHER_OTHERS = 3;

/** Hosts in a neighbourhood at least (beside those that bring the idle capacity it needs). */
export const NEIGHBOURHOOD_HOSTS = 8;

/**
 * Places more of the free instances than `counts` does (counts[s * H + h], free instances of
 * shape s on host h, pins apart; `hosts` the hosts that may take them) by re-packing
 * neighbourhoods of hosts, within `work` search steps. The new counts when at least one more
 * instance was placed (every instance of a neighbourhood stays placed), else `undefined`.
 * `counts` is not changed. vCPUs must be whole (the pattern model's rule). Never throws.
 */
export function repairByNeighbourhoods(
    hosts: readonly RepairHost[],
    pp: PinnedPlan,
    H: number,
    counts: Int32Array,
    work: number = REPAIR_WORK
): Int32Array | undefined {
    const { S, sC, sM } = pp;
    const n = hosts.length;
    const out = Int32Array.from(counts);
    const left = Int32Array.from(pp.free);
    for (let s = 0; s < S; s++) for (const x of hosts) left[s] -= out[s * H + x.host];
    const idleC = new Float64Array(n),
        idleM = new Float64Array(n);
    const measureIdle = (k: number) => {
        let c = hosts[k].cores,
            m = hosts[k].memoryGiB;
        for (let s = 0; s < S; s++) {
            c -= out[s * H + hosts[k].host] * sC[s];
            m -= out[s * H + hosts[k].host] * sM[s];
        }
        idleC[k] = c;
        idleM[k] = m;
    };
    for (let k = 0; k < n; k++) measureIdle(k);
    const random = seededRandom(1);
    let used = 0,
        tries = 0,
        failures = 0,
        placed = 0;
    // shapes no neighbourhood can take: all idle capacity together is too little for them
    const hopeless = new Set<number>();
    /** Where idle capacity is being gathered: for which shape, on which host, failures since. */
    const gathering = { shape: -1, host: -1, failures: 0 };
    while (used < work) {
        const waiting: number[] = [];
        for (let s = 0; s < S; s++) if (left[s] > 0 && !hopeless.has(s)) waiting.push(s);
        if (waiting.length === 0) break;
        waiting.sort((a, b) => sC[b] - sC[a] || sM[b] - sM[a] || a - b);
        // the largest first (smaller ones placed first would take the idle capacity it needs);
        // after FAILURES_PER_SHAPE failures in a row the next shape, so that one hard instance
        // does not take the whole budget
        const t = waiting[Math.floor(failures / FAILURES_PER_SHAPE) % waiting.length];
        const chosen = neighbourhood(t, tries);
        tries++;
        // choosing a neighbourhood costs steps too: a try that searches nothing is not free
        used += n;
        if (!chosen) {
            hopeless.add(t);
            continue;
        }
        // where the instance needs the idle capacity of many hosts, first gather it on one
        // (a search over that many hosts rarely ends within its steps)
        const found =
            chosen.gatherers > GATHER_ABOVE ? gather(t, tries) : repack(chosen.hosts, t, -1, 0, 0);
        if (!found) {
            failures++;
            continue;
        }
        failures = 0;
        if (chosen.gatherers > GATHER_ABOVE) continue;
        left[t]--;
        placed++;
    }
    return placed > 0 ? out : undefined;

    /**
     * Re-packs the instances of hosts `chosen` (plus one of shape `extra`, unless -1) onto them
     * by bin completion, so that host `receiver` (unless -1) ends with at least `goalC` vCPUs and
     * `goalM` GiB idle. True when found (then applied), false otherwise; counts its steps.
     */
    function repack(
        chosen: readonly number[],
        extra: number,
        receiver: number,
        goalC: number,
        goalM: number
    ): boolean {
        const pool = new Array<number>(S).fill(0);
        if (extra >= 0) pool[extra] = 1;
        const subHosts: WasteClass[] = [];
        let wc = 0,
            wm = 0;
        for (const k of chosen) {
            const cap =
                k === receiver
                    ? { cores: hosts[k].cores - goalC, memoryGiB: hosts[k].memoryGiB - goalM }
                    : hosts[k];
            subHosts.push(cap);
            wc += cap.cores;
            wm += cap.memoryGiB;
            for (let s = 0; s < S; s++) pool[s] += out[s * H + hosts[k].host];
        }
        for (let s = 0; s < S; s++) {
            wc -= pool[s] * sC[s];
            wm -= pool[s] * sM[s];
        }
        const r = searchFullPlacement(subHosts, { ...pp, free: pool }, wc, wm, NEIGHBOURHOOD_WORK);
        // a neighbourhood's own bookkeeping (pool, idle) counts too: a search that ends at once
        // is not free
        used += Math.max(r.steps, chosen.length * S);
        if (r.kind !== 'found') return false;
        chosen.forEach((k, j) => {
            for (let s = 0; s < S; s++)
                out[s * H + hosts[k].host] = r.counts[s * chosen.length + j];
            measureIdle(k);
        });
        return true;
    }

    /**
     * Gathers idle capacity for an instance of shape `t` on one host: the host that could
     * already hold most of it takes the idle of a few others (most idle first) in one re-packing,
     * all of what it lacks or, on every other attempt, half. True when found (applied).
     */
    function gather(t: number, attempt: number): boolean {
        const fit = (k: number) =>
            Math.min(idleC[k] / sC[t], sM[t] > 0 ? idleM[k] / sM[t] : 1) + 0.1 * random();
        // the host that gathered last time keeps gathering (another would scatter what it
        // gathered) until it fails GATHER_FAILURES times in a row
        let receiver = gathering.shape === t ? gathering.host : -1;
        if (receiver < 0 || gathering.failures >= GATHER_FAILURES) {
            receiver = 0;
            for (let k = 1; k < n; k++) if (fit(k) > fit(receiver)) receiver = k;
            gathering.shape = t;
            gathering.host = receiver;
            gathering.failures = 0;
        }
        const lackC = Math.max(0, sC[t] - idleC[receiver]),
            lackM = Math.max(0, sM[t] - idleM[receiver]);
        const donors = byIdle(t)
            .filter(k => k !== receiver)
            .slice(0, GATHER_DONORS);
        let c = 0,
            m = 0;
        for (const k of donors) {
            c += Math.max(0, idleC[k]);
            m += Math.max(0, idleM[k]);
        }
        const share = [1, 0.5, 0.25, 0.1][attempt % 4];
        const gainC = Math.floor(Math.min(lackC, c) * share + EPS),
            gainM = Math.min(lackM, m) * share;
        if (gainC < 1 && gainM < GIB_EPS) return false;
        const chosen = [receiver, ...donors];
        const inside = new Uint8Array(n);
        for (const k of chosen) inside[k] = 1;
        addOthers(chosen, inside, chosen.length + GATHER_OTHERS);
        const done = repack(
            chosen,
            -1,
            receiver,
            Math.max(0, idleC[receiver]) + gainC,
            Math.max(0, idleM[receiver]) + gainM
        );
        gathering.failures = done ? 0 : gathering.failures + 1;
        return done;
    }

    /**
     * The hosts with idle capacity, most idle for the size of an instance of shape `t` first (a
     * little noise, so that retries differ).
     */
    function byIdle(t: number): number[] {
        const idle: [number, number][] = [];
        for (let k = 0; k < n; k++) {
            if (idleC[k] < 1 - EPS && idleM[k] <= GIB_EPS) continue;
            const score =
                Math.max(0, idleC[k]) / sC[t] +
                (sM[t] > 0 ? Math.max(0, idleM[k]) / sM[t] : 0) +
                0.5 * random();
            idle.push([score, k]);
        }
        return idle.sort((a, b) => b[0] - a[0] || a[1] - b[1]).map(x => x[1]);
    }

    /** Adds random hosts not yet `inside` to `chosen` until it has `size` (or all `n`). */
    function addOthers(chosen: number[], inside: Uint8Array, size: number): void {
        size = Math.min(n, size);
        // a random start, then every host in turn: ends even where few are left out
        for (let k = Math.floor(random() * n); chosen.length < size; k = (k + 1) % n) {
            if (inside[k] || random() < 0.5) continue;
            chosen.push(k);
            inside[k] = 1;
        }
    }

    /**
     * The neighbourhood for one instance of shape `t`: hosts with idle capacity (`byIdle`) until
     * together they could hold it (`gatherers` of them), then random others up to
     * `NEIGHBOURHOOD_HOSTS` (more after every 50 tries). `undefined` when all idle capacity
     * together cannot hold it.
     */
    function neighbourhood(
        t: number,
        attempt: number
    ): { readonly hosts: number[]; readonly gatherers: number } | undefined {
        const chosen: number[] = [];
        const inside = new Uint8Array(n);
        let c = 0,
            m = 0;
        for (const k of byIdle(t)) {
            if (c >= sC[t] - EPS && m >= sM[t] - GIB_EPS) break;
            chosen.push(k);
            inside[k] = 1;
            c += idleC[k];
            m += idleM[k];
        }
        if (c < sC[t] - EPS || m < sM[t] - GIB_EPS) return undefined;
        const gatherers = chosen.length;
        addOthers(chosen, inside, NEIGHBOURHOOD_HOSTS + Math.floor(attempt / 50));
        return { hosts: chosen, gatherers };
    }
}
