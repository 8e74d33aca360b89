/**
 * The fuzzer's inputs: a plan (an example or a test fixture, fuzz/plans.ts) with one to four
 * mutations, drawn by fast-check from a seed, so case `i` of seed `s` is the same text on every
 * run and machine. The mutations are those that broke the checker before (issue 13): token
 * delete, duplicate and swap; huge, negative and odd numbers; non-ASCII names; NUL, lone
 * surrogates, a byte order mark; CR/CRLF mixes; unterminated strings and comments; runs of `{`;
 * very long lines; repeated attributes; the partial keywords of typing (`import` without a path).
 */
import * as fc from 'fast-check';
import { examplePlans, fixturePlans, type PlanText } from './plans.js';

/** One fuzz input: its text and what was done to which plan (for the reproducer). */
export interface FuzzCase {
    readonly index: number;
    readonly source: string;
    readonly mutations: readonly string[];
    readonly text: string;
}

/** Tokens as a user sees them: spaces, words, numbers (with units glued on), strings, comments, one other character. */
const TOKEN =
    /\s+|\/\/[^\r\n]*|#[^\r\n]*|\/\*[\s\S]*?\*\/|"(?:\\.|[^"\\\r\n])*"?|-?\d[\d_.]*(?:[eE][+-]?\d+)?|[A-Za-z_][\w-]*|[^]/gu;

function tokens(text: string): string[] {
    return text.match(TOKEN) ?? [];
}

const ODD_NUMBERS = [
    '0',
    '-1',
    '-0',
    '1.5',
    '0.0001',
    '1e3',
    '1e308',
    '1e-9',
    '2.',
    '.5',
    '007',
    '4_000',
    '1__0',
    '99999999999999999999',
    '9'.repeat(400),
    '-' + '9'.repeat(30),
    '2147483648',
    '9007199254740993',
    '0x10',
    'Infinity',
    'NaN',
    '1k',
    '1M',
    '-5M'
];
const ODD_NAMES = [
    'héhé',
    '节点',
    'ǅx',
    '😀x',
    'a\u200bb',
    'ｆｕｌｌ',
    'Ω',
    'x\u0301',
    'undefined_not',
    '_',
    'a-',
    'A'.repeat(300),
    'constructor',
    '__proto__',
    'toString'
];
const ODD_CHARS = [
    '\0',
    '\uD800',
    '\uDC00',
    '\uFEFF',
    '\u2028',
    '\u00A0',
    '\t',
    '\v',
    '\f',
    '\r',
    '\\',
    '"',
    '/*',
    '*/',
    '//',
    '#'
];
const INSERTS = [
    'import',
    'import ',
    'import "',
    'import ""',
    'import "other.dcplan"',
    'import "/"',
    'import "..',
    'shape',
    'shape {',
    'shape s {',
    'host',
    'host h',
    'host h[1..',
    'host [..] {',
    'deploy',
    'deploy 3 x',
    'deploy x s',
    'model',
    'model m {',
    'plan',
    'plan {',
    'workload',
    'workload w { proxy',
    'settings {',
    '{',
    '}',
    '=',
    ',',
    '..',
    '[',
    ']',
    ':',
    'x',
    'ring',
    'cores',
    'memory = ',
    'GiB',
    'role = ',
    'runs = ',
    '"unterminated',
    '/* unterminated',
    'rack = ',
    'title = "t"',
    'tolerate_host_failures = 3',
    'login_processes = 0',
    'threads_per_core = 0'
];

type Mutation = (text: string, r: number[]) => [string, string];

/** `r`: numbers in [0, 1) drawn for the mutation (positions, choices). */
const pick = <T>(xs: readonly T[], r: number) => xs[Math.floor(r * xs.length) % xs.length];

const MUTATIONS: Mutation[] = [
    (t, r) => {
        const ts = tokens(t);
        const i = Math.floor(r[0] * ts.length);
        const d = ts[i] ?? '';
        ts.splice(i, 1);
        return [ts.join(''), `delete token ${i} ${JSON.stringify(d)}`];
    },
    (t, r) => {
        const ts = tokens(t);
        const i = Math.floor(r[0] * ts.length);
        ts.splice(i, 0, ts[i] ?? '');
        return [ts.join(''), `duplicate token ${i}`];
    },
    (t, r) => {
        const ts = tokens(t);
        const i = Math.floor(r[0] * ts.length);
        const j = Math.floor(r[1] * ts.length);
        [ts[i], ts[j]] = [ts[j], ts[i]];
        return [ts.join(''), `swap tokens ${i} ${j}`];
    },
    (t, r) => {
        const ts = tokens(t);
        const nums = ts.map((x, i) => [x, i] as const).filter(([x]) => /^-?\d/.test(x));
        if (nums.length === 0) return [t, 'no number'];
        const [, i] = pick(nums, r[0]);
        const n = pick(ODD_NUMBERS, r[1]);
        ts[i] = n;
        return [ts.join(''), `number ${i} := ${n.slice(0, 40)}`];
    },
    (t, r) => {
        const ts = tokens(t);
        const ids = ts.map((x, i) => [x, i] as const).filter(([x]) => /^[A-Za-z_]/.test(x));
        if (ids.length === 0) return [t, 'no name'];
        const [, i] = pick(ids, r[0]);
        const n = pick(ODD_NAMES, r[1]);
        ts[i] = n;
        return [ts.join(''), `name ${i} := ${JSON.stringify(n.slice(0, 40))}`];
    },
    (t, r) => {
        const at = Math.floor(r[0] * (t.length + 1));
        const c = pick(ODD_CHARS, r[1]);
        return [t.slice(0, at) + c + t.slice(at), `insert ${JSON.stringify(c)} at ${at}`];
    },
    (t, r) => {
        const at = Math.floor(r[0] * (t.length + 1));
        const s = pick(INSERTS, r[1]);
        return [t.slice(0, at) + s + t.slice(at), `insert ${JSON.stringify(s)} at ${at}`];
    },
    (t, _r) => [`\uFEFF${t}`, 'byte order mark'],
    (t, r) => {
        const kind = pick(['crlf', 'cr', 'mix'], r[0]);
        if (kind === 'crlf') return [t.replace(/\r?\n/g, '\r\n'), 'CRLF'];
        if (kind === 'cr') return [t.replace(/\r?\n/g, '\r'), 'CR'];
        let k = 0;
        return [
            t.replace(/\r?\n/g, () => ['\n', '\r\n', '\r'][(k++ + Math.floor(r[1] * 3)) % 3]),
            'CR/CRLF/LF mix'
        ];
    },
    (t, r) => {
        const n = 1 + Math.floor(r[1] * r[1] * 400);
        const at = Math.floor(r[0] * (t.length + 1));
        const run = pick(['{\n', '{', '}\n', '{ }\n', '[', ',', '=\n'], r[2]).repeat(n);
        return [
            t.slice(0, at) + run + t.slice(at),
            `run of ${n} ${JSON.stringify(run.slice(0, 2))} at ${at}`
        ];
    },
    (t, r) => {
        const n = 1000 + Math.floor(r[1] * 15000);
        const at = Math.floor(r[0] * (t.length + 1));
        const long = pick(['a', ' ', 'x = 1 ', '9', '/', '"'], r[2]).repeat(n).slice(0, n);
        return [
            t.slice(0, at) + long + t.slice(at),
            `long line of ${n} ${JSON.stringify(long.slice(0, 6))} at ${at}`
        ];
    },
    (t, r) => {
        // a repeated attribute, the copy with another value: `memory = 8 GiB` → `memory = 8 GiB memory = 2 GiB`
        const attrs = [
            ...t.matchAll(
                /\b([a-z_]+)\s*=\s*("[^"\r\n]*"|-?[\d.]+(?:\s*[KMGT]i?B)?|[A-Za-z_][\w-]*)/gi
            )
        ];
        if (attrs.length === 0) return [t, 'no attribute'];
        const a = pick(attrs, r[0]);
        const end = a.index! + a[0].length;
        const other = a[2].replace(/\d+/, d =>
            String(Math.max(1, Math.floor(Number(d) * (0.5 + r[1] * 2))))
        );
        const sep = pick([' ', '\n', '  '], r[2]);
        return [
            t.slice(0, end) + `${sep}${a[1]} = ${other}` + t.slice(end),
            `repeat attribute ${a[1]} at ${a.index}`
        ];
    },
    (t, r) => {
        const at = Math.floor(r[0] * t.length);
        return [t.slice(0, at), `truncate at ${at}`];
    },
    (t, r) => {
        // a line copied elsewhere (duplicate elements, names)
        const lines = t.split('\n');
        const i = Math.floor(r[0] * lines.length);
        const j = Math.floor(r[1] * lines.length);
        lines.splice(j, 0, lines[i]);
        return [lines.join('\n'), `copy line ${i} to ${j}`];
    }
];

let basePlans: PlanText[] | undefined;

/** The plans mutated: examples then fixtures. */
export function bases(): PlanText[] {
    basePlans ??= [...examplePlans(), ...fixturePlans()];
    return basePlans;
}

let arbitrary: fc.Arbitrary<[number, [number, number[]][]]> | undefined;
const caseArb = (n: number) =>
    (arbitrary ??= fc.noBias(
        fc.tuple(
            fc.nat({ max: n - 1 }),
            fc.array(
                fc.tuple(
                    fc.nat({ max: MUTATIONS.length - 1 }),
                    fc.array(
                        fc.nat({ max: 0x7fffffff }).map(n => n / 0x80000000),
                        { minLength: 3, maxLength: 3 }
                    )
                ),
                { minLength: 1, maxLength: 4 }
            )
        )
    ));

/** Case `index` of the run seeded `seed`: a base plan and its mutations. */
export function fuzzCase(seed: number, index: number): FuzzCase {
    const plans = bases();
    // unbiased: fast-check leans to small values in its first samples, and each case is a first sample
    const [which, steps] = fc.sample(caseArb(plans.length), {
        seed: (seed * 1_000_003 + index) | 0,
        numRuns: 1
    })[0];
    let text = plans[which].text;
    const mutations: string[] = [];
    for (const [m, r] of steps) {
        const [next, what] = MUTATIONS[m](text, r);
        text = next;
        mutations.push(what);
    }
    return { index, source: plans[which].source, mutations, text };
}
