/**
 * Reading the numbers of a `.dcplan` file as written (spec, "Lexical"): whole counts with `_`,
 * `k` (×1000) and `M` (×1 000 000); sizes with a unit (MiB/GiB/TiB binary, MB/GB/TB decimal),
 * normalised to GiB. Pure functions: no Langium import, so the CLI, the validator and the
 * quick-fixes share them.
 */
import { MAX_PLAN_INSTANCES } from '../src/planner/model.js';

/**
 * The outcome of reading a count or a size: a value, or an error message for the validator
 * (`unit`: the error is about the unit, the spec's `size-unit`; else `invalid-number`), and the
 * text to write instead when there is one (`fix`; `guess`: a likely unit, not a certain one).
 */
export type Parsed<T> =
    | { readonly ok: true; readonly value: T }
    | {
          readonly ok: false;
          readonly error: string;
          readonly unit?: true;
          readonly fix?: { readonly text: string; readonly guess: boolean };
      };

/** The limits of the spec's "Lexical" section. */
export const LIMITS = {
    /** Instances in one deployment. */
    instancesPerDeployment: 1_000_000,
    /** Hosts in one `hv[a..b]` range. */
    hostsPerRange: 100_000,
    /** Instances in one plan. */
    instancesPerPlan: MAX_PLAN_INSTANCES,
    /** Hosts in one plan (host names, a range counting its names). */
    hostsPerPlan: 100_000
} as const;

/**
 * Reads a whole number as written: `24`, `200_000`, `200k`, `2M`, `-3`. Returns the value
 * (which may be zero or negative: the caller decides what it allows), or an error when the text
 * has a fraction or is not a number.
 */
export function parseCount(text: string | undefined): Parsed<number> {
    if (text === undefined) return { ok: false, error: 'a number is missing' };
    return countMemo.get(text) ?? remember(countMemo, text, readCount(text));
}

/**
 * Results by text: a plan of thousands of host blocks writes the same few values (`2`,
 * `16 GiB`) thousands of times, and the model builder and the validator read each of them.
 * Results are frozen (shared); each memo is emptied when it reaches MEMO_LIMIT entries.
 */
const MEMO_LIMIT = 4096;
const countMemo = new Map<string, Parsed<number>>();
/** Per attribute label (`what`), then per text: no key string to build per lookup. */
const sizeMemo = new Map<string, Map<string, Parsed<SizeValue>>>();

/** Stores the result `r` read from `key` (frozen) and returns it; the memo starts again when full. */
function remember<T>(memo: Map<string, Parsed<T>>, key: string, r: Parsed<T>): Parsed<T> {
    if (memo.size >= MEMO_LIMIT) memo.clear();
    const frozen = deepFreeze(r);
    memo.set(key, frozen);
    return frozen;
}

function deepFreeze<T>(r: Parsed<T>): Parsed<T> {
    if (r.ok && typeof r.value === 'object' && r.value !== null) Object.freeze(r.value);
    return Object.freeze(r);
}

/**
 * The error of a number the language does not write, read whole by the lexer so that it is one
 * error: an exponent (`1e3`), a point without a digit before it (`.5`).
 */
function unwrittenNumber(text: string): string | undefined {
    const t = text.trim();
    if (/^-?\.[0-9]/.test(t) && !/^-?\.[0-9][0-9_]*[eE]/.test(t))
        return `a number starts with a digit: write '${t.replace(/^(-?)\./, '$10.')}'`;
    const number = /^-?[0-9][0-9_]*(?:\.[0-9][0-9_]*)?[eE][+-]?[0-9]+/.exec(t)?.[0];
    if (number === undefined) return undefined;
    // the number in full when JavaScript writes it without an exponent (1e3 → 1000)
    const full = String(Number(number.replace(/_/g, '')));
    const instead =
        /^-?[0-9.]+$/.test(full) && full.replace(/[-.]/g, '').length <= 16
            ? `write ${full} for '${number}'`
            : `write '${number}' in full`;
    return `numbers have no exponent: ${instead} (digits, with _ or the k and M suffixes)`;
}

function readCount(text: string): Parsed<number> {
    const m = /^(-?)([0-9][0-9_]*)(\.[0-9][0-9_]*)?([kM]?)$/.exec(text.trim());
    const exponent = m ? undefined : unwrittenNumber(text);
    if (exponent) return { ok: false, error: exponent };
    if (!m) return { ok: false, error: `'${text}' is not a number` };
    const [, sign, whole, fraction, suffix] = m;
    const multiplier = suffix === 'k' ? 1_000 : suffix === 'M' ? 1_000_000 : 1;
    const raw = Number((whole + (fraction ?? '')).replace(/_/g, ''));
    const value = (sign ? -1 : 1) * raw * multiplier;
    if (!Number.isInteger(value)) return { ok: false, error: `'${text}' is not a whole number` };
    if (!Number.isSafeInteger(value)) return { ok: false, error: `'${text}' is too large` };
    return { ok: true, value };
}

/** Units of a size, with their value in GiB. GB/TB are decimal, MiB/GiB/TiB binary (spec, "Lexical"). */
export const SIZE_UNITS: Readonly<Record<string, number>> = {
    KiB: 1 / (1024 * 1024),
    MiB: 1 / 1024,
    GiB: 1,
    TiB: 1024,
    KB: 1e3 / 2 ** 30,
    MB: 1e6 / 2 ** 30,
    GB: 1e9 / 2 ** 30,
    TB: 1e12 / 2 ** 30
};

/** A size read from the text. */
export interface SizeValue {
    /** The number as written (may be fractional). */
    readonly amount: number;
    readonly unit: string;
    /** Normalised to GiB. */
    readonly gib: number;
}

/**
 * Reads a size (`512 MiB`, `16GiB`, `1.5 TiB`, `500 GB`). A bare number is an error whose
 * message says which unit was probably meant (GiB for memory-like amounts up to 64 Ti, MiB for
 * larger numbers, which look like MiB counts); `what` names the attribute in the message.
 */
export function parseSize(text: string | undefined, what = 'a size'): Parsed<SizeValue> {
    if (text === undefined) return { ok: false, error: `${what} is missing` };
    // `what` only shapes an error message, but the memo keeps one answer per label
    let memo = sizeMemo.get(what);
    if (!memo) {
        if (sizeMemo.size >= MEMO_LIMIT) sizeMemo.clear();
        sizeMemo.set(what, (memo = new Map()));
    }
    return memo.get(text) ?? remember(memo, text, readSize(text, what));
}

function readSize(text: string, what: string): Parsed<SizeValue> {
    const exponent = unwrittenNumber(text);
    if (exponent) return { ok: false, error: exponent };
    const m = /^(-?[0-9][0-9_]*(?:\.[0-9][0-9_]*)?)[ \t]*([KMGT]i?B)?$/i.exec(text.trim());
    if (!m) return { ok: false, error: `'${text}' is not a size` };
    const amount = Number(m[1].replace(/_/g, ''));
    const unit = m[2];
    if (!unit) {
        const guess = amount >= 65536 ? 'MiB' : 'GiB';
        return {
            ok: false,
            error: `${what} needs a unit: did you mean '${m[1]} ${guess}'? (MiB, GiB, TiB, or decimal MB, GB, TB)`,
            unit: true,
            fix: { text: `${m[1]} ${guess}`, guess: true }
        };
    }
    const written = unitInCase(unit);
    if (written !== undefined && written !== unit) {
        return {
            ok: false,
            error: `units are case-sensitive: write '${m[1]} ${written}', not '${text.trim()}'`,
            unit: true,
            fix: { text: `${m[1]} ${written}`, guess: false }
        };
    }
    const factor = SIZE_UNITS[unit];
    if (factor === undefined) return { ok: false, error: `unknown unit '${unit}'` };
    // as for counts: beyond what adds up exactly (2^53 GiB) is no size a plan means
    if (!(Math.abs(amount * factor) <= Number.MAX_SAFE_INTEGER))
        return { ok: false, error: `'${text}' is too large` };
    return { ok: true, value: { amount, unit, gib: amount * factor } };
}

/** A count of at least `min` (default 1); `undefined` when missing or invalid (the validator reports it where it is written). */
export function validCount(text: string | undefined, min = 1): number | undefined {
    if (text === undefined) return undefined;
    const r = parseCount(text);
    return r.ok && r.value >= min ? r.value : undefined;
}

/** A size in GiB, positive (or zero when `allowZero`); `undefined` when missing or invalid. */
export function validSize(text: string | undefined, allowZero = false): number | undefined {
    if (text === undefined) return undefined;
    const r = parseSize(text);
    return r.ok && (r.value.gib > 0 || (allowZero && r.value.gib === 0)) ? r.value.gib : undefined;
}

/** The size unit `word` names in the spec's case (`gib` → `GiB`, `GiB` → `GiB`), `undefined` when it is none. */
export function unitInCase(word: string): string | undefined {
    const lower = word.toLowerCase();
    return Object.keys(SIZE_UNITS).find(u => u.toLowerCase() === lower);
}

/**
 * Why `numaNodes` NUMA nodes cannot be on a host of `cores` physical cores, or `undefined` when
 * they can (or a value is missing). dcplan's own bound (G; the page says nothing of NUMA): each
 * node has at least one core, and a server's nodes (its sockets, or their even sub-NUMA split)
 * share its cores evenly, as the `numa-span` rule counts them: no more nodes than cores, and a
 * whole number of cores per node.
 */
export function numaNodesError(
    numaNodes: number | undefined,
    cores: number | undefined
): string | undefined {
    if (numaNodes === undefined || cores === undefined) return undefined;
    if (numaNodes > cores)
        return `numa_nodes (${numaNodes}) is more than the host's ${cores} cores: each NUMA node has at least one core`;
    if (cores % numaNodes !== 0)
        return `numa_nodes (${numaNodes}) does not divide the host's ${cores} cores: NUMA nodes share a host's cores evenly`;
    return undefined;
}
