/**
 * A hand-edited lock's `shapes` (issue 12 follow-up): a shape the plan does not have, or a
 * shape the lock's placement runs without a recorded size, is `placement-drift` (info) with the
 * lock's file and line — not accepted without a word. Exact messages.
 */
import { describe, expect, it } from 'vitest';
import { parseLock } from '../../src/planner/lock.js';
import { lockShapeFindings } from '../../src/planner/lock-shapes.js';
import { planDay2 } from '../../src/planner/day2.js';
import { buildPlan } from './fixtures.js';

const model = buildPlan({
    settings: { ref: { file: 'p.dcplan', index: 0 } },
    shapes: [
        { name: 'be', role: 'backend', cores: 4, memoryGiB: 8 },
        { name: 'px', role: 'proxy', cores: 1, memoryGiB: 2 }
    ],
    deploy: [
        [2, 'be'],
        [2, 'px']
    ],
    hosts: [{ names: ['a', 'b'], cores: 8, memoryGiB: 64 }]
});
const PLAN = { kind: 'plan', property: 'name' } as const;

const lockText = (shapes: string[]) =>
    [
        'plan: p.dcplan',
        'dcplan: 0.1.0',
        shapes.length > 0 ? 'shapes:' : 'shapes: {}',
        ...shapes,
        'placement:',
        '  be-1: a',
        '  be-2: b',
        '  px-1: a',
        '  px-2: b',
        ''
    ].join('\n');

describe('lockShapeFindings', () => {
    it('says nothing for a lock as dcplan writes it', () => {
        const lock = parseLock(
            lockText(['  be: { cores: 4, memory_gib: 8 }', '  px: { cores: 1, memory_gib: 2 }'])
        );
        expect(lockShapeFindings(model, lock, PLAN, '/w/p.dcplan.lock')).toEqual([]);
    });

    it('names a shape the plan does not have, and a placed shape without a size, with file:line', () => {
        // line 4: be; line 5: old (not in the plan); px (placed first on line 9) is not recorded
        const lock = parseLock(
            lockText(['  be: { cores: 4, memory_gib: 8 }', '  old: { cores: 2, memory_gib: 4 }'])
        );
        expect(lockShapeFindings(model, lock, PLAN, '/w/p.dcplan.lock')).toEqual([
            {
                code: 'placement-drift',
                severity: 'info',
                target: PLAN,
                message: 'the lock records a shape the plan does not have: old (p.dcplan.lock:5)'
            },
            {
                code: 'placement-drift',
                severity: 'info',
                target: PLAN,
                message:
                    "the lock's placement runs a shape its `shapes` section does not record: px (p.dcplan.lock:9); a change of its size cannot be seen (no rebuild is planned)"
            }
        ]);
    });

    it('reads the lines from a hand-edited lock too (the YAML parser), and planDay2 gives the findings', () => {
        // flow style and quotes: not the form dcplan writes, so the YAML parser reads it
        const text = [
            'plan: "p.dcplan"',
            'shapes: { be: { cores: 4, memory_gib: 8 },',
            '  gone: { cores: 1, memory_gib: 1 } }',
            'placement:',
            '  "be-1": a',
            '  be-2: b',
            '  px-1: a',
            '  px-2: b',
            ''
        ].join('\n');
        const planned = planDay2(model, parseLock(text), {}, 'p.dcplan.lock');
        expect(planned.findings.map(f => f.message)).toEqual([
            'the lock records a shape the plan does not have: gone (p.dcplan.lock:3)',
            "the lock's placement runs a shape its `shapes` section does not record: px (p.dcplan.lock:7); a change of its size cannot be seen (no rebuild is planned)"
        ]);
    });

    it('an empty `shapes` records no sizes at all: no finding about unrecorded shapes', () => {
        expect(lockShapeFindings(model, parseLock(lockText([])), PLAN)).toEqual([]);
    });
});
