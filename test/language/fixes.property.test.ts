/**
 * Property test of the quick-fixes over generated plans (fast-check): every fix offered applies
 * cleanly, the result parses without new language errors, the fixed diagnostic is gone or
 * reduced, no comment is lost, and fix-all run twice changes nothing the second time.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Diagnostic } from 'vscode-languageserver-types';
import { fixSandbox } from '../../language-server/fixes/sandbox.js';
import {
    applyChanges,
    diagnosticCode,
    fixesForDocument
} from '../../language-server/fixes/index.js';

type Role = 'proxy' | 'director' | 'backend';
interface GenShape {
    role: Role;
    cores: number;
    memory: number;
    unit: 'GiB' | 'MiB';
    lp?: number;
    named: boolean;
    multiLine: boolean;
}
interface GenDeploy {
    shape: number;
    count: number;
    ring?: string;
}
interface GenHost {
    range: boolean;
    size: number;
    cores: number;
    memory: number;
    hvCores?: number;
    hvMemory?: number;
    pins: { shape: number; count: number }[];
    multiLine: boolean;
}
interface GenPlan {
    shapes: GenShape[];
    deploys: GenDeploy[];
    hosts: GenHost[];
    demand?: { role: Role; cores: number };
    crlf: boolean;
    comments: boolean[];
}

const role = fc.constantFrom<Role>('proxy', 'director', 'backend');
const shapeArb: fc.Arbitrary<GenShape> = fc.record({
    role,
    cores: fc.integer({ min: 1, max: 8 }),
    memory: fc.integer({ min: 1, max: 64 }),
    unit: fc.constantFrom<'GiB' | 'MiB'>('GiB', 'GiB', 'MiB'),
    lp: fc.option(fc.integer({ min: 1, max: 8 }), { nil: undefined }),
    named: fc.boolean(),
    multiLine: fc.boolean()
});
const planArb: fc.Arbitrary<GenPlan> = fc.record({
    shapes: fc.array(shapeArb, { minLength: 1, maxLength: 4 }),
    deploys: fc.array(
        fc.record({
            shape: fc.nat(3),
            count: fc.integer({ min: 1, max: 12 }),
            ring: fc.option(fc.constantFrom('r1', 'r2'), { nil: undefined })
        }),
        { minLength: 1, maxLength: 5 }
    ),
    hosts: fc.array(
        fc.record({
            range: fc.boolean(),
            size: fc.integer({ min: 1, max: 3 }),
            cores: fc.integer({ min: 8, max: 32 }),
            memory: fc.integer({ min: 32, max: 512 }),
            hvCores: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
            hvMemory: fc.option(fc.integer({ min: 0, max: 16 }), { nil: undefined }),
            pins: fc.array(fc.record({ shape: fc.nat(3), count: fc.integer({ min: 1, max: 3 }) }), {
                maxLength: 2
            }),
            multiLine: fc.boolean()
        }),
        { minLength: 1, maxLength: 3 }
    ),
    demand: fc.option(fc.record({ role, cores: fc.integer({ min: 1, max: 40 }) }), {
        nil: undefined
    }),
    crlf: fc.boolean(),
    comments: fc.array(fc.boolean(), { minLength: 12, maxLength: 12 })
});

/** The plan as text, with numbered comments (`c<k>`) between and inside blocks. */
function render(p: GenPlan): string {
    let k = 0;
    const comment = (i: number, style: 0 | 1 | 2 = 0) =>
        p.comments[i % p.comments.length]
            ? [` // c${++k}`, ` # c${++k}`, ` /* c${++k} */`][style]
            : '';
    const names = p.shapes.map((s, i) => (s.named ? `${s.role}_${s.cores}c` : `s${i}_${s.role}`));
    // Duplicate names would be a language error of the generated plan, not of a fix.
    const unique = names.map((n, i) => (names.indexOf(n) === i ? n : `${n}_${i}`));
    const out: string[] = [];
    if (p.demand)
        out.push(`workload peak { ${p.demand.role} = ${p.demand.cores} cores }${comment(0)}`);
    p.shapes.forEach((s, i) => {
        const mem = s.unit === 'MiB' ? `${s.memory * 1024} MiB` : `${s.memory} GiB`;
        const attrs = [`role = ${s.role}`, `cores = ${s.cores}`, `memory = ${mem}`];
        if (s.lp !== undefined && s.role !== 'backend') attrs.push(`login_processes = ${s.lp}`);
        if (s.multiLine)
            out.push(
                `shape ${unique[i]} {${comment(1, 1)}`,
                ...attrs.map((a, j) => `  ${a}${j === 1 ? comment(2) : ''}`),
                '}'
            );
        else out.push(`shape ${unique[i]} { ${attrs.join('  ')} }${comment(3, 2)}`);
    });
    out.push(comment(4, 2).trim());
    for (const d of p.deploys) {
        const shape = unique[d.shape % unique.length];
        out.push(`deploy ${d.count} x ${shape}${d.ring ? ` ring ${d.ring}` : ''}${comment(5)}`);
    }
    p.hosts.forEach((h, i) => {
        const name = h.range ? `hv${i}_[1..${h.size}]` : `hv${i}`;
        const attrs = [`cores = ${h.cores}`, `memory = ${h.memory} GiB`];
        if (h.hvCores !== undefined) attrs.push(`hypervisor_cores = ${h.hvCores}`);
        if (h.hvMemory !== undefined) attrs.push(`hypervisor_memory = ${h.hvMemory} GiB`);
        const pins = h.pins.filter(
            (pin, j) =>
                h.pins.findIndex(q => q.shape % unique.length === pin.shape % unique.length) === j
        );
        if (pins.length > 0)
            attrs.push(
                `runs = ${pins.map(pin => `${pin.count} x ${unique[pin.shape % unique.length]}`).join(', ')}`
            );
        if (h.multiLine)
            out.push(
                `host ${name} {${comment(6)}`,
                ...attrs.map((a, j) => `  ${j === 0 ? '/* c' + ++k + ' */ ' : ''}${a}`),
                `}${comment(7, 1)}`
            );
        else out.push(`host ${name} { ${attrs.join(' ')} }${comment(8)}`);
    });
    const text = out.join('\n') + '\n';
    return p.crlf ? text.replace(/\n/g, '\r\n') : text;
}

const comments = (text: string) => (text.match(/(\/\/|#) c\d+|\/\* c\d+ \*\//g) ?? []).sort();
/** Errors a fix must never add: the text no longer parses, or another part of the plan breaks. */
const BREAKING = new Set([
    'syntax-error',
    'unresolved-name',
    'duplicate-name',
    'duplicate-attribute',
    'pin-exceeds-deploy',
    'invalid-number',
    'size-unit',
    'limit-exceeded',
    'missing-attribute'
]);
const breaking = (ds: readonly Diagnostic[]) =>
    ds
        .filter(d => BREAKING.has(diagnosticCode(d) ?? ''))
        .map(d => diagnosticCode(d))
        .sort();
const ofCode = (ds: readonly Diagnostic[], code: string) =>
    ds
        .filter(d => diagnosticCode(d) === code)
        .map(d => d.message)
        .sort();

describe('quick-fixes over generated plans', () => {
    it('every fix applies cleanly, the result parses, its diagnostic is gone or reduced, no comment is lost; fix-all is idempotent', async () => {
        const sandbox = fixSandbox();
        const uri = 'file:///prop/plan.dcplan';
        let offered = 0;
        await fc.assert(
            fc.asyncProperty(planArb, async plan => {
                const text = render(plan);
                const before = await sandbox.check(uri, text, () => undefined);
                const beforeDiags = before.diagnostics;
                const fixes = fixesForDocument({
                    document: before.document,
                    analysis: before.analysis
                });
                for (const fix of fixes) {
                    offered++;
                    const after = applyChanges(text, fix.changes);
                    expect(after, fix.title).not.toBe(text);
                    expect(comments(after), fix.title).toEqual(
                        expect.arrayContaining(comments(text))
                    );
                    expect(after.replace(/\r\n/g, '').includes('\n'), 'line endings').toBe(
                        !plan.crlf && after.includes('\n')
                    );
                    const checked = await sandbox.check(uri, after, () => undefined);
                    const added = breaking(checked.diagnostics).filter(
                        c =>
                            breaking(checked.diagnostics).filter(x => x === c).length >
                            breaking(beforeDiags).filter(x => x === c).length
                    );
                    expect(added, `${fix.title}\n${text}\n---\n${after}`).toEqual([]);
                    const was = ofCode(beforeDiags, fix.code);
                    const now = ofCode(checked.diagnostics, fix.code);
                    expect(
                        now.length < was.length || JSON.stringify(now) !== JSON.stringify(was),
                        `${fix.code} stays: ${fix.title}\n${text}\n---\n${after}`
                    ).toBe(true);
                }
                const once = await sandbox.fixAll(uri, text, () => undefined);
                expect(comments(once.text)).toEqual(expect.arrayContaining(comments(text)));
                const twice = await sandbox.fixAll(uri, once.text, () => undefined);
                expect(
                    twice.changed,
                    `second fix-all changed:\n${once.text}\n---\n${twice.text}`
                ).toBe(false);
            }),
            {
                numRuns: Number(process.env.FC_RUNS ?? 150),
                seed: Number(process.env.FC_SEED ?? 4242)
            }
        );
        expect(offered).toBeGreaterThan(100);
    }, 120_000);
});

/** A change to a generated plan's text: an attribute repeated with another value, a token or line deleted, lines swapped or repeated. */
interface Mutation {
    kind: 'repeat' | 'repeat' | 'delete-token' | 'delete-line' | 'swap-lines' | 'repeat-line';
    at: number;
    other: number;
    value: number;
    before: boolean;
}
const mutationArb: fc.Arbitrary<Mutation> = fc.record({
    kind: fc.constantFrom<Mutation['kind']>(
        'repeat',
        'repeat',
        'repeat',
        'delete-token',
        'delete-line',
        'swap-lines',
        'repeat-line'
    ),
    at: fc.nat(),
    other: fc.nat(),
    value: fc.integer({ min: 1, max: 8 }),
    before: fc.boolean()
});

const ATTRIBUTE =
    /\b(cores|memory|login_processes|hypervisor_cores|hypervisor_memory|local_disk|role) = (\d+ ?(GiB|MiB|gib)?|proxy|director|backend)/g;

function mutate(text: string, m: Mutation): string {
    const eol = text.includes('\r\n') ? '\r\n' : '\n';
    const lines = text.split(eol);
    switch (m.kind) {
        case 'repeat': {
            const found = [...text.matchAll(ATTRIBUTE)];
            if (found.length === 0) return text;
            const a = found[m.at % found.length];
            const value = /memory|disk/.test(a[1])
                ? [`${m.value * 2} GiB`, `${m.value} gib`, `${m.value}`][m.other % 3]
                : a[1] === 'role'
                  ? a[2]
                  : String(m.value);
            const copy = `${a[1]} = ${value}`;
            const at = m.before ? a.index! : a.index! + a[0].length;
            return text.slice(0, at) + (m.before ? copy + ' ' : ' ' + copy) + text.slice(at);
        }
        case 'delete-token': {
            const tokens = [...text.matchAll(/[^\s]+/g)];
            const t = tokens[m.at % tokens.length];
            return text.slice(0, t.index!) + text.slice(t.index! + t[0].length);
        }
        case 'delete-line':
            lines.splice(m.at % lines.length, 1);
            return lines.join(eol);
        case 'repeat-line': {
            const i = m.at % lines.length;
            lines.splice(i, 0, lines[i]);
            return lines.join(eol);
        }
        case 'swap-lines': {
            const i = m.at % lines.length,
                j = m.other % lines.length;
            [lines[i], lines[j]] = [lines[j], lines[i]];
            return lines.join(eol);
        }
    }
}

describe('fix-all over mutated plans (repeated attributes, deleted tokens and lines)', () => {
    it('the result parses when the input did, keeps every comment, never adds an error, is idempotent, and grows no count past a split', async () => {
        const sandbox = fixSandbox();
        const uri = 'file:///prop/mutated.dcplan';
        let fixed = 0,
            repeated = 0;
        await fc.assert(
            fc.asyncProperty(
                planArb,
                fc.array(mutationArb, { minLength: 1, maxLength: 3 }),
                async (plan, mutations) => {
                    const text = mutations.reduce(mutate, render(plan));
                    const before = await sandbox.check(uri, text, () => undefined);
                    const parsed =
                        before.document.parseResult.lexerErrors.length === 0 &&
                        before.document.parseResult.parserErrors.length === 0;
                    const beforeErrors = before.diagnostics.filter(d => d.severity === 1).length;
                    if (/(cores|memory|role|login_processes) = [^}\n]*\b\1 = /.test(text))
                        repeated++;
                    const once = await sandbox.fixAll(uri, text, () => undefined);
                    const context = `\n${text}\n---\n${once.text}`;
                    if (!parsed) {
                        expect(
                            once.changed,
                            'a text with syntax errors is left alone' + context
                        ).toBe(false);
                        return;
                    }
                    if (once.changed) fixed++;
                    const after = await sandbox.check(uri, once.text, () => undefined);
                    expect(
                        after.document.parseResult.lexerErrors.length +
                            after.document.parseResult.parserErrors.length,
                        'parses' + context
                    ).toBe(0);
                    expect(
                        comments(once.text),
                        'no comment lost (a copied shape copies its own)' + context
                    ).toEqual(expect.arrayContaining(comments(text)));
                    expect(
                        after.diagnostics.filter(d => d.severity === 1).length,
                        'no error added' + context
                    ).toBeLessThanOrEqual(beforeErrors);
                    // A split multiplies a count once, by C/C′ ≤ 8 (the generator's largest cores); a ring
                    // merge gives at most the ring's cores; a capacity raise stops at the demand (≤ 40
                    // cores): no count is ever multiplied twice (the issue: 4 → 4,096 → 524,288).
                    const counts = (t: string) =>
                        [...t.matchAll(/\bdeploy\s+(\d+)/g)].map(m => Number(m[1]));
                    const bound = Math.max(counts(text).reduce((a, b) => a + b, 0) * 8, 40 + 8);
                    for (const n of counts(once.text))
                        expect(n, 'deploy count' + context).toBeLessThanOrEqual(bound);
                    const twice = await sandbox.fixAll(uri, once.text, () => undefined);
                    expect(
                        twice.changed,
                        'second fix-all changed' + context + `\n---\n${twice.text}`
                    ).toBe(false);
                }
            ),
            {
                numRuns: Number(process.env.FC_RUNS ?? 120),
                seed: Number(process.env.FC_SEED ?? 1313)
            }
        );
        // the generator reaches what it is about
        expect(fixed).toBeGreaterThan(30);
        expect(repeated).toBeGreaterThan(20);
    }, 120_000);
});
