/**
 * The shapes of a placement and of its options (see `place` in `placement.ts`, which re-exports
 * them). Types only.
 */
import type { WorkBudget } from './replacement.js';

/**
 * A `runs` pin that asks for more instances of a shape than remain to be pinned (the spec's
 * `pin-exceeds-deploy`). `host` indexes `model.hosts`; `pinIndex` is `Pin.pinIndex`; `asked`
 * is the pin's count; `available` how many it could pin (and did).
 */
export interface PinExcess {
    host: number;
    pinIndex: number;
    shape: string;
    asked: number;
    available: number;
}

/**
 * Which instances the `runs` pins take when a lock says what runs now (issue 12, day 2; built by
 * `pinPreferenceOf` in pin-preference.ts). Both arrays are indexed like `model.instances`. A pin
 * on host h takes first the instances of its shape that the lock has on h (they stay: no move),
 * then those with `costless` set, then the lowest-numbered; see `resolvePins`.
 */
export interface PinPreference {
    /** Per instance: the index into `model.hosts` of the host the lock has it on, -1 when none (new, or its host is gone). */
    readonly lockedOn: Int32Array;
    /**
     * Per instance: 1 when pinning it elsewhere costs no move of its own, because it is new or must
     * leave its locked host anyway (gone, drained, or overcommitted by what the lock has on it).
     */
    readonly costless: Uint8Array;
}

/** The placement of a plan's instances onto its hosts (see `place`). */
export interface PlacementResult {
    /** hostOf[i]: index into model.hosts of model.instances[i], or -1 when unplaced (always -1 on physical plans). */
    readonly hostOf: readonly number[];
    /** byHost[h]: instance indices on host h (pinned ones first, in pin order; then ascending). */
    readonly byHost: readonly (readonly number[])[];
    /** pinned[h]: instance indices pinned on host h by `runs`, in pin order. */
    readonly pinned: readonly (readonly number[])[];
    /** Instance indices left unplaced, ascending (always empty on physical plans). */
    readonly unplaced: readonly number[];
    /**
     * Why instances are unplaced: `total-short` when the unpinned instances need more vCPUs (or
     * GiB) than the free capacity of the hosts that take more (non-overcommitted hosts' usable
     * minus their pins) even if it were perfectly divisible; else `fragmentation` (the pieces do
     * not fit). `null` when everything is placed.
     */
    readonly unplacedReason: 'total-short' | 'fragmentation' | null;
    /** Hosts whose pins need more vCPUs / GiB than usable: { host, cores, memoryGiB } (what the pins need). */
    readonly overcommitted: readonly { host: number; cores: number; memoryGiB: number }[];
    /** Pins that asked for more instances than were left (model order of hosts, then pin order). */
    readonly pinExcess: readonly PinExcess[];
    /**
     * Set when instances stay unplaced and the exact fallback proved it: the most vCPUs (pins
     * included) any placement can place, which this one places.
     */
    readonly placedCoresBound?: number;
}

/**
 * Tuning of `place`. All optional; the defaults suit plans up to 1,000,000 instances.
 * Budgets count move evaluations (never time), so the result stays deterministic.
 */
export interface PlaceOptions {
    /** Skip the local search (constructive pass only). Default false. */
    readonly skipLocalSearch?: boolean;
    /** Most move evaluations the local search may spend. Default 70,000 + 20 × instances (the same spread and balance as 100,000 on the bench plans, a third less time at 1,000 instances). */
    readonly maxEvaluations?: number;
    /**
     * Constructive start: `spread` (default; the rules' order) or `first-fit` (first-fit
     * decreasing in host order: packs hosts full and leaves whole hosts free, which the N+1
     * search also tries). With `spread`, a first-fit start is tried too when capacity runs out.
     */
    readonly start?: 'spread' | 'first-fit';
    /**
     * Use the exact fallback (`setPlacementFallback`, installed by `exact-fallback.ts` once HiGHS is
     * loaded) when instances stay unplaced on a small plan. Default true; nothing happens when
     * no fallback is installed.
     */
    readonly exactFallback?: boolean;
    /**
     * Host losses the placement should survive (default: the plan's `tolerate_host_failures`).
     * With 1 or 2, once everything is placed, a bounded pass moves and swaps pieces (never
     * making spread, mix or racks worse) until the loss of any 1 (or 2) hosts re-places, best
     * effort; small plans only (see `TOLERANCE_MAX_HOSTS`).
     */
    readonly tolerate?: number;
    /**
     * A work budget shared with the caller (the N+1 search): every search of this call (local
     * search, capped restarts, ejection chains, tolerance pass) is given at most what is left of
     * it, and what the call did is charged to it in its units (move evaluations, re-placement
     * work, one per instance and host for the constructive pass). Default: none (the budgets
     * above alone).
     */
    readonly work?: WorkBudget;
    /**
     * Which instances the pins take (day 2: the ones a lock already has on the pinned host first;
     * see `PinPreference`). Default: the lowest-numbered. Indexed like this call's model.
     */
    readonly pinPreference?: PinPreference;
}
