/**
 * Number formatting shared by the checker's messages, the CLI, and the preview (spec, "The plan
 * report": percentages with at most one decimal, a trailing `.0` dropped).
 */
import type { HostFailureFigures, StepReason, StepSize } from './report.js';

/**
 * Formats a GiB amount for messages and reports: whole numbers as they are, others with at most
 * two decimals (`1.5`, `0.49`).
 */
export function formatGiB(gib: number): string {
    return Number.isInteger(gib) ? String(gib) : String(Math.round(gib * 100) / 100);
}

/**
 * Two amounts as `coarse` writes them, or both as `fine` writes them where the coarse texts read
 * the same though the amounts differ: the one rule of every side-by-side memory figure (the
 * CLI's host tables, its messages, the preview's hosts: webview/gib.ts), each with its formats.
 */
export function apart(
    a: number,
    b: number,
    coarse: (x: number) => string,
    fine: (x: number) => string
): [string, string] {
    const [x, y] = [coarse(a), coarse(b)];
    return x !== y || a === b ? [x, y] : [fine(a), fine(b)];
}

/**
 * A used and a usable GiB figure side by side (`3.3/4`): as `formatGiB` writes them, or with up
 * to four decimals where two would make different amounts read the same (4100 MiB used of 4096
 * usable reads `4.0039/4`, not `4/4`).
 */
export function formatGiBApart(aGiB: number, bGiB: number): [string, string] {
    return apart(aGiB, bGiB, formatGiB, g => String(Math.round(g * 10000) / 10000));
}

/**
 * Two memory figures to compare, each with its unit: GiB as `formatGiB` writes them, or MiB
 * where the GiB figures round to the same text though they differ (a plan 4 MiB short reads
 * "92008 MiB deployed, 92004 MiB usable", not "89.85 GiB deployed, 89.85 GiB usable").
 */
export function formatMemoryPair(aGiB: number, bGiB: number): [string, string] {
    return apart(
        aGiB,
        bGiB,
        g => `${formatGiB(g)} GiB`,
        g => `${Math.round(g * 1024 * 100) / 100} MiB`
    );
}

/**
 * A rebuild's change of size in words, as `dcplan place` and the preview print it (issue 12):
 * `3 -> 4 vCPUs, 6 GiB` — a figure that changed as `before -> after`, one that did not once, so
 * both figures are always there and the arrow shows what changed. `arrow` is `->` in the CLI's
 * text, `→` in the preview (as its moves `hv02 → hv05`).
 */
export function formatResize(from: StepSize, to: StepSize, arrow = '->'): string {
    // formatGiB's rounding suits vCPUs too (whole numbers, or at most two decimals)
    const part = (a: number, b: number, unit: string) => {
        const [x, y] = [formatGiB(a), formatGiB(b)];
        return x === y ? `${x} ${unit}` : `${x} ${arrow} ${y} ${unit}`;
    };
    const vcpus = formatGiB(to.cores) === '1' ? 'vCPU' : 'vCPUs';
    return `${part(from.cores, to.cores, vcpus)}, ${part(from.memoryGiB, to.memoryGiB, 'GiB')}`;
}

/**
 * A migration step's sizes in words (issue 12), as the CLI, the `migration-blocked` message and
 * the preview print them: a rebuild's or a resizing move's change (`formatResize`: `3 -> 4
 * vCPUs, 6 GiB`), or the one size of an instance shut down (`fromSize`) or created (`toSize`):
 * `1 vCPU, 2 GiB`. '' when the step carries no size.
 */
export function formatStepSizes(
    step: { readonly fromSize?: StepSize; readonly toSize?: StepSize },
    arrow = '->'
): string {
    const from = step.fromSize ?? step.toSize,
        to = step.toSize ?? step.fromSize;
    return from && to ? formatResize(from, to, arrow) : '';
}

/**
 * A move's reason in words (spec, "The migration order"), as the CLI and the preview print it
 * after the move: `hv02 drained`, `hv02 removed from the plan`, `hv02 overcommitted`, `shape
 * resized`, `pinned by runs`, `room for the placement`, `rebalance`. `origin` is the host
 * the lock runs it on (a temporary hop's second step starts elsewhere). '' for a reason of
 * another kind (a removal, stop, rebuild or creation says its own) and without one.
 */
export function formatMoveReason(reason: StepReason | undefined, origin: string): string {
    switch (reason) {
        case 'host-removed':
            return `${origin} removed from the plan`;
        case 'host-drained':
            return `${origin} drained`;
        case 'host-overcommitted':
            return `${origin} overcommitted`;
        case 'resized':
            return 'shape resized';
        case 'pinned':
            return 'pinned by runs';
        case 'placement':
            return 'room for the placement';
        case 'rebalance':
            return 'rebalance';
        default:
            return '';
    }
}

/**
 * A step's reason in words as the CLI and the preview print it after a move
 * (`formatMoveReason`), named from the host its instance's first move starts on (`origins`, as
 * `moveOrigins` gives them; else the step's own `from`); '' for a step of another kind.
 */
export function formatStepReason(
    step: { readonly instance: string; readonly from: string; readonly reason?: StepReason },
    origins: ReadonlyMap<string, string>
): string {
    return formatMoveReason(step.reason, origins.get(step.instance) ?? step.from);
}

/**
 * Rebalance moves the exact mode gave back for a migration order that is not blocked
 * (`ExactSummary.rebalanceDropped`), as the CLI's `exact:` line and the preview's badge say them:
 * `3 rebalance moves given back: the optimum's migration order is blocked`; '' for none.
 */
export function formatRebalanceDropped(n: number | undefined): string {
    if (!n || n <= 0) return '';
    return `${n} rebalance ${n === 1 ? 'move' : 'moves'} given back: the optimum's migration order is blocked`;
}

/**
 * A fraction (0–1) as the spec prints it: a percentage with at most one decimal, a trailing `.0`
 * dropped (1/12 → "8.3%", 1/4 → "25%", 1/16 → "6.3%"). Rounds half away from zero on the
 * decimal value, so 1/16 = 6.25% prints as 6.3% as the domain page does. A fraction that is
 * not 0 but rounds to 0% prints as "< 0.1%" (one instance of thousands), one below 1 that rounds
 * to 100% as "> 99.9%": the rounding never says none or all when it is not so.
 */
export function formatPercent(fraction: number): string {
    const tenths = Math.round(fraction * 1000 + 1e-9);
    // (not for a float error of a sum that is exactly 0 or all)
    if (tenths === 0 && fraction > 1e-9) return '< 0.1%';
    if (tenths === 1000 && fraction < 1 - 1e-9) return '> 99.9%';
    const text = (tenths / 10).toFixed(1);
    return (text.endsWith('.0') ? text.slice(0, -2) : text) + '%';
}

/**
 * The N+1 figure in words, as the checker, the CLI, hover and the preview print it after the
 * host losses tolerated. A plan that survives no loss: "N+1 needs 5 hosts", "N+1 needs at least
 * 7 hosts" (the search's work budget ran out), or "N+1 cannot be reached by adding copies of big"
 * (see `HostFailureFigures`). A plan that survives k ≥ 1 losses holds N+k with its own hosts:
 * "N+2 holds with the plan's 5 hosts" (its own count is no minimum: fewer may do). With drained
 * hosts either adds ", not counting the drained one" (drained hosts are not usable). Where two
 * losses are asked and not survived, `formatNPlusAsked` follows: "N+1 needs 7 hosts; N+2 needs 8
 * hosts".
 */
export function formatNPlus1(hf: HostFailureFigures): string {
    const asked = formatNPlusAsked(hf);
    const then = asked ? `; ${asked}` : '';
    if (hf.nPlus1Bound === 'unreachable')
        return `N+1 cannot be reached by adding copies of ${hf.copiesOf ?? 'the largest host'}${then}`;
    if (hf.tolerates >= 1 && hf.nPlus1Bound === undefined)
        return `N+${hf.tolerates} holds with the plan's ${hostCount(hf, hf.hostsNeededForNPlus1)}${then}`;
    return `N+1 needs ${hf.nPlus1Bound === 'at-least' ? 'at least ' : ''}${hostCount(hf, hf.hostsNeededForNPlus1)}${then}`;
}

/**
 * The hosts N+2 needs where `tolerate_host_failures = 2` is not met (`nPlusAsked`), in words:
 * "N+2 needs 8 hosts", "N+2 needs at least 9 hosts", "N+2 cannot be reached by adding copies of
 * big"; '' when the plan has no such figure.
 */
export function formatNPlusAsked(hf: HostFailureFigures): string {
    const a = hf.nPlusAsked;
    if (!a) return '';
    if (a.bound === 'unreachable')
        return `N+${a.losses} cannot be reached by adding copies of ${a.copiesOf ?? 'the largest host'}`;
    return `N+${a.losses} needs ${a.bound === 'at-least' ? 'at least ' : ''}${hostCount(hf, a.hosts)}`;
}

/** "5 hosts", with ", not counting the drained one" when the plan drains hosts. */
function hostCount(hf: HostFailureFigures, n: number): string {
    const d = hf.drainedHosts ?? 0;
    const drained = d === 0 ? '' : `, not counting the ${d === 1 ? 'drained one' : `${d} drained`}`;
    return `${n} host${n === 1 ? '' : 's'}${drained}`;
}

/**
 * The host losses a plan tolerates in words: "1 host loss", "0 host losses", or, when the search's
 * work budget ran out before the next count was decided, "at least 1 host loss (2 not proven)".
 */
export function formatTolerates(hf: HostFailureFigures): string {
    const k = hf.tolerates;
    const words = `${k} host ${k === 1 ? 'loss' : 'losses'}`;
    return hf.toleratesBound === 'at-least' ? `at least ${words} (${k + 1} not proven)` : words;
}

/** The levels of the exact solver's objective (`ExactSummary.gapLevel`) in words, for messages. */
const LEVEL_WORDS: Readonly<Record<string, string>> = {
    placedCores: 'the cores placed',
    maxRoleShort: 'the shortfall of the shortest role',
    minRoleShort: 'the shortfall of the other roles',
    spread: 'the role spread',
    singleRole: 'the hosts running one role',
    missingRoles: 'the roles missing from hosts',
    racks: 'the spread over racks',
    maxUtil: "the busiest host's utilisation",
    roleOnOneHost: 'the roles entirely on one host',
    moves: 'the moves'
};

/**
 * What a solve cut by its time limit left open at its first unproved level (`level`: its value
 * reached and its proved bound, null when unknown), for a level counted in whole units (every
 * level but the busiest host's utilisation): the value and the best not ruled out ("3 here,
 * perhaps as few as 0"; "gap 100%" of a full placement read as a placement 100% off), "perhaps
 * as many as" for the cores placed, or "4 here, no bound proved". `undefined` for other levels:
 * the relative gap says it (`formatUnproved`).
 */
export function formatUnprovedCount(
    level:
        | { readonly level: string; readonly value: number; readonly bound: number | null }
        | undefined
): string | undefined {
    if (!level || level.level === 'maxUtil' || !Number.isInteger(level.value)) return undefined;
    if (level.bound === null || !Number.isFinite(level.bound))
        return `${level.value} here, no bound proved`;
    if (!Number.isInteger(level.bound)) return undefined;
    return `${level.value} here, perhaps as ${level.level === 'placedCores' ? 'many' : 'few'} as ${level.bound}`;
}

/**
 * What a cut solve left open, for the CLI's `exact:` line and the preview's badge: a count
 * level's values (`formatUnprovedCount`), else the relative gap (`gap`, 0–1; null: unknown).
 */
export function formatUnproved(
    level: Parameters<typeof formatUnprovedCount>[0],
    gap: number | null
): string {
    return formatUnprovedCount(level) ?? `gap ${gap === null ? 'unknown' : formatPercent(gap)}`;
}

/** A level of the exact solver's objective in words (`maxUtil` → "the busiest host's utilisation"); an unknown name as it is. */
export function formatLevel(level: string): string {
    return LEVEL_WORDS[level] ?? level;
}

/**
 * A report as the CLI's JSON (two-space indented): numbers that are not whole are given to 12
 * significant digits, so sums of binary fractions read as written (3 × 1.1 GiB is `3.3`, not
 * `3.3000000000000003`); whole numbers and everything else as `JSON.stringify` gives them.
 */
export function reportJson(value: unknown): string {
    return JSON.stringify(
        value,
        (_key, v: unknown) =>
            typeof v === 'number' && Number.isFinite(v) && !Number.isInteger(v)
                ? Number(v.toPrecision(12))
                : v,
        2
    );
}
