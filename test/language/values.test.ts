/**
 * Reading counts and sizes as written (spec, "Lexical"), including the remembered results: a
 * text read twice gives the same (frozen) answer, and a size's error names the attribute asked
 * about, not the one that first read the same text.
 */
import { describe, expect, it } from 'vitest';
import { parseCount, parseSize } from '../../language-server/values.js';

describe('parseCount', () => {
    it('reads whole numbers with _, k and M, and refuses fractions', () => {
        expect(parseCount('24')).toEqual({ ok: true, value: 24 });
        expect(parseCount('200_000')).toEqual({ ok: true, value: 200_000 });
        expect(parseCount('200k')).toEqual({ ok: true, value: 200_000 });
        expect(parseCount('2M')).toEqual({ ok: true, value: 2_000_000 });
        expect(parseCount('-3')).toEqual({ ok: true, value: -3 });
        expect(parseCount('1.5')).toEqual({ ok: false, error: "'1.5' is not a whole number" });
        expect(parseCount('1.5k')).toEqual({ ok: true, value: 1500 });
        expect(parseCount('x')).toEqual({ ok: false, error: "'x' is not a number" });
        expect(parseCount(undefined)).toEqual({ ok: false, error: 'a number is missing' });
        expect(parseCount('2e6')).toEqual({
            ok: false,
            error: "numbers have no exponent: write 2000000 for '2e6' (digits, with _ or the k and M suffixes)"
        });
    });

    it('gives the same frozen result for the same text', () => {
        const a = parseCount('16'),
            b = parseCount('16');
        expect(b).toBe(a);
        expect(Object.isFrozen(a)).toBe(true);
    });
});

describe('parseSize', () => {
    it('reads binary and decimal units into GiB', () => {
        expect(parseSize('16 GiB')).toEqual({
            ok: true,
            value: { amount: 16, unit: 'GiB', gib: 16 }
        });
        expect(parseSize('512 MiB')).toEqual({
            ok: true,
            value: { amount: 512, unit: 'MiB', gib: 0.5 }
        });
        expect(parseSize('1.5TiB')).toEqual({
            ok: true,
            value: { amount: 1.5, unit: 'TiB', gib: 1536 }
        });
    });

    it('names the attribute it was asked about in the error, whichever read the text first', () => {
        const first = parseSize('16', 'memory');
        const second = parseSize('16', 'hypervisor_memory');
        const fix = { text: '16 GiB', guess: true };
        expect(first).toEqual({
            ok: false,
            error: "memory needs a unit: did you mean '16 GiB'? (MiB, GiB, TiB, or decimal MB, GB, TB)",
            unit: true,
            fix
        });
        expect(second).toEqual({
            ok: false,
            error: "hypervisor_memory needs a unit: did you mean '16 GiB'? (MiB, GiB, TiB, or decimal MB, GB, TB)",
            unit: true,
            fix
        });
        expect(parseSize('16', 'memory')).toBe(first);
    });

    it('a unit in the wrong case, an exponent and a size beyond 2^53 GiB are errors that say so', () => {
        expect(parseSize('8 gib')).toEqual({
            ok: false,
            error: "units are case-sensitive: write '8 GiB', not '8 gib'",
            unit: true,
            fix: { text: '8 GiB', guess: false }
        });
        expect(parseSize('2tb')).toEqual({
            ok: false,
            error: "units are case-sensitive: write '2 TB', not '2tb'",
            unit: true,
            fix: { text: '2 TB', guess: false }
        });
        expect(parseSize('1.5e3 GiB')).toEqual({
            ok: false,
            error: "numbers have no exponent: write 1500 for '1.5e3' (digits, with _ or the k and M suffixes)"
        });
        expect(parseSize('9007199254740992 GiB')).toEqual({
            ok: false,
            error: "'9007199254740992 GiB' is too large"
        });
        expect(parseSize('9007199254740991 GiB').ok).toBe(true);
        expect(parseSize('.5 GiB')).toEqual({
            ok: false,
            error: "a number starts with a digit: write '0.5 GiB'"
        });
        expect(parseCount('.5')).toEqual({
            ok: false,
            error: "a number starts with a digit: write '0.5'"
        });
        expect(parseSize('1' + '0'.repeat(400) + ' GiB')).toEqual({
            ok: false,
            error: `'1${'0'.repeat(400)} GiB' is too large`
        });
    });

    it('freezes the value it shares', () => {
        const r = parseSize('32 GiB');
        expect(r.ok && Object.isFrozen(r.value)).toBe(true);
    });
});
