/**
 * Reading the numbers of a `.dcplan` file as written (spec, "Lexical"): whole counts with `_`,
 * `k` (×1000) and `M` (×1 000 000); sizes with a unit (MiB/GiB/TiB binary, MB/GB/TB decimal),
 * normalised to GiB. Pure functions: no Langium import, so the CLI, the validator and the
 * quick-fixes share them.
 */

/** The outcome of reading a count: a value, or an error message for the validator. */
export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: string };

/** The limits of the spec's "Lexical" section. */
export const LIMITS = {
    /** Instances in one deployment. */
    instancesPerDeployment: 1_000_000,
    /** Hosts in one `hv[a..b]` range. */
    hostsPerRange: 100_000,
    /** Instances in one plan. */
    instancesPerPlan: 1_000_000
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

function readCount(text: string): Parsed<number> {
    const m = /^(-?)([0-9][0-9_]*)(\.[0-9][0-9_]*)?([kM]?)$/.exec(text.trim());
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
        sizeMemo.set(what, memo = new Map());
    }
    return memo.get(text) ?? remember(memo, text, readSize(text, what));
}

function readSize(text: string, what: string): Parsed<SizeValue> {
    const m = /^(-?[0-9][0-9_]*(?:\.[0-9][0-9_]*)?)[ \t]*([KMGT]i?B)?$/.exec(text.trim());
    if (!m) return { ok: false, error: `'${text}' is not a size` };
    const amount = Number(m[1].replace(/_/g, ''));
    const unit = m[2];
    if (!unit) {
        const guess = amount >= 65536 ? 'MiB' : 'GiB';
        return { ok: false, error: `${what} needs a unit: did you mean '${m[1]} ${guess}'? (MiB, GiB, TiB, or decimal MB, GB, TB)` };
    }
    const factor = SIZE_UNITS[unit];
    if (factor === undefined) return { ok: false, error: `unknown unit '${unit}'` };
    return { ok: true, value: { amount, unit, gib: amount * factor } };
}
