/**
 * The lock format (issue 12): serialised in a stable order with names YAML would misread quoted,
 * read back the same; every malformed lock is a `LockError` with its line, never a crash.
 */
import { describe, expect, it } from 'vitest';
import {
    compareInstanceNames,
    LockError,
    parseLock,
    parseYamlLock,
    readWrittenLock,
    serialiseLock
} from '../../src/planner/lock.js';
import { place } from '../../src/planner/placement.js';
import { buildPlan } from './fixtures.js';

describe('serialiseLock / parseLock', () => {
    it('orders instances by shape, then number (10 after 9), and quotes names YAML would misread', () => {
        expect(['p-10', 'b-2', 'p-9', 'b-10'].sort(compareInstanceNames)).toEqual([
            'b-2',
            'b-10',
            'p-9',
            'p-10'
        ]);
        const m = buildPlan({
            shapes: [{ name: 'p', role: 'proxy', cores: 1, memoryGiB: 2 }],
            deploy: [[4, 'p']],
            hosts: [{ names: ['null', 'true', 'yes', 'on'], cores: 2, memoryGiB: 8 }]
        });
        const text = serialiseLock(m, place(m), 'a.dcplan', '0.1.0');
        expect(text.split('\n').slice(2)).toEqual([
            'plan: a.dcplan',
            'dcplan: 0.1.0',
            'shapes:',
            '  p: { role: proxy, cores: 1, memory_gib: 2 }',
            'placement:',
            '  p-1: "null"',
            '  p-2: "true"',
            // YAML 1.1 booleans (PyYAML reads a plain `yes` as true)
            '  p-3: "yes"',
            '  p-4: "on"',
            ''
        ]);
        const back = parseLock(text);
        expect([...back.placement]).toEqual([
            ['p-1', 'null'],
            ['p-2', 'true'],
            ['p-3', 'yes'],
            ['p-4', 'on']
        ]);
        expect(back.shapes.get('p')).toEqual({ role: 'proxy', cores: 1, memoryGiB: 2 });
        expect([back.plan, back.version]).toEqual(['a.dcplan', '0.1.0']);
    });

    it('writes an empty placement as {} and reads it back empty', () => {
        const m = buildPlan({
            shapes: [{ name: 'p', role: 'proxy', cores: 1, memoryGiB: 2 }],
            deploy: [],
            hosts: []
        });
        const back = parseLock(serialiseLock(m, place(m), 'a.dcplan', '0.1.0'));
        expect(back.placement.size).toBe(0);
    });

    it('reports a malformed lock with its line', () => {
        const err = (text: string) => {
            try {
                parseLock(text);
                return 'parsed';
            } catch (e) {
                return e instanceof LockError ? e.message : `other: ${String(e)}`;
            }
        };
        expect(err('')).toBe('line 1: the lock is empty');
        expect(err('- a\n- b\n')).toBe(
            'line 1: a lock is a mapping with `plan`, `dcplan`, `shapes` and `placement`'
        );
        expect(err('plan: a\n')).toBe('line 1: the lock has no `placement`');
        expect(err('plan: a\nplacement:\n  p-1: [h]\n')).toBe(
            'line 3: `placement` maps each instance to its host (`instance: host`)'
        );
        expect(err('placement: 3\n')).toBe(
            'line 1: `placement` maps each instance to its host (`instance: host`)'
        );
        expect(err('shapes:\n  p: { cores: 0, memory_gib: 2 }\nplacement: {}\n')).toBe(
            'line 2: shape p: cores and memory_gib are positive numbers'
        );
        expect(err('placement:\n  p-1: a\n  p-1: b\n')).toBe(
            'line 3: `p-1` appears twice (a key is given once)'
        );
        expect(err('shapes: {}\nplacement: {}\nshapes: {}\n')).toBe(
            'line 3: `shapes` appears twice (a key is given once)'
        );
        expect(
            err(
                'shapes:\n  p: { cores: 1, memory_gib: 2 }\n  p: { cores: 1, memory_gib: 2 }\nplacement: {}\n'
            )
        ).toBe('line 3: `p` appears twice (a key is given once)');
        expect(err('placement:\n  p-1: a\n')).toBe('parsed');
    });

    it('takes names as strings only, and a lock for another plan file is an error at its `plan` line', () => {
        const err = (text: string, planFile?: string) => {
            try {
                const lock = parseLock(text, planFile);
                return `parsed ${lock.plan ?? '(no plan)'}`;
            } catch (e) {
                return e instanceof LockError ? e.message : `other: ${String(e)}`;
            }
        };
        const PLAN =
            'line 2: `plan` is the name of the plan file the lock was written for (a string)';
        expect(err('# header\nplan: 5\nplacement: {}\n')).toBe(PLAN);
        expect(err('# header\nplan: true\nplacement: {}\n')).toBe(PLAN);
        expect(err('# header\nplan: [a]\nplacement: {}\n')).toBe(PLAN);
        expect(err('# header\nplan: ""\nplacement: {}\n')).toBe(PLAN);
        expect(err('plan: p.dcplan\ndcplan: 1.5\nplacement: {}\n')).toBe(
            'line 2: `dcplan` is the dcplan version that wrote the lock (a string)'
        );
        expect(err('placement:\n  p-1: a\n  p-2: 5\n')).toBe(
            'line 3: `placement` maps each instance to its host (`instance: host`)'
        );
        expect(err('placement:\n  1: a\n')).toBe(
            'line 2: `placement` maps each instance to its host (`instance: host`)'
        );
        expect(err('shapes:\n  7: { cores: 1, memory_gib: 2 }\nplacement: {}\n')).toBe(
            'line 2: `shapes` maps each shape to { role, cores, memory_gib }'
        );
        // the plan the lock is read for: its base name must be the lock's `plan`
        expect(err('dcplan: 0.1.0\nplan: a.dcplan\nplacement: {}\n', 'b.dcplan')).toBe(
            'line 2: the lock was written for a.dcplan, not for b.dcplan'
        );
        expect(err('plan: a.dcplan\nplacement: {}\n', 'a.dcplan')).toBe('parsed a.dcplan');
        // a lock without `plan` (written by hand) is taken as it is
        expect(err('placement: {}\n', 'a.dcplan')).toBe('parsed (no plan)');
    });

    it('reads a lock as written line by line, the same as the YAML parser; any other text by YAML', () => {
        const m = buildPlan({
            shapes: [
                { name: 'p', role: 'proxy', cores: 1, memoryGiB: 2.5 },
                { name: 'b', role: 'backend', cores: 4, memoryGiB: 32 }
            ],
            deploy: [
                [3, 'p'],
                [4, 'b']
            ],
            hosts: [{ names: ['hv01', 'hv02', 'hv03'], cores: 8, memoryGiB: 64 }]
        });
        const text = serialiseLock(m, place(m), 'a.dcplan', '0.1.0');
        const fast = readWrittenLock(text, 'a.dcplan');
        expect(fast).toEqual(parseYamlLock(text, 'a.dcplan'));
        expect(fast!.placement.size).toBe(7);
        expect([...fast!.shapes]).toEqual([
            ['b', { role: 'backend', cores: 4, memoryGiB: 32 }],
            ['p', { role: 'proxy', cores: 1, memoryGiB: 2.5 }]
        ]);
        // a lock written before roles were recorded reads the same, without them, either way
        const old = text.replace(/role: [a-z]+, /g, '');
        expect([...readWrittenLock(old, 'a.dcplan')!.shapes]).toEqual([
            ['b', { cores: 4, memoryGiB: 32 }],
            ['p', { cores: 1, memoryGiB: 2.5 }]
        ]);
        expect(readWrittenLock(old, 'a.dcplan')).toEqual(parseYamlLock(old, 'a.dcplan'));
        // a role that is not one: the YAML parser says so, at its line
        expect(() => parseLock(text.replace('role: proxy', 'role: mailer'), 'a.dcplan')).toThrow(
            'line 7: shape p: role is proxy, director, backend (or absent)'
        );
        expect(() => readWrittenLock(text, 'other.dcplan')).toThrow(
            'line 3: the lock was written for a.dcplan, not for other.dcplan'
        );
        // names YAML misreads, quoted names, a number, a duplicate, CRLF, flow maps: the YAML parser's
        for (const other of [
            text.replace('hv01', 'true'),
            text.replace('hv01', 'No'),
            text.replace('hv01', 'Y'),
            text.replace('hv01', 'off'),
            text.replace('hv01', '1hv'),
            text.replace('hv01', 'hv:1'),
            text.replace('hv01', 'hvé'),
            text.replace('p-1:', 'p-1 :'),
            text.replace('hv01', '"hv01"'),
            text.replace('plan: a.dcplan', 'plan: 5'),
            text.replace('dcplan: 0.1.0', 'dcplan: 1.5'),
            text + '  b-1: hv02\n',
            text.replace(/\n/g, '\r\n'),
            'placement: { p-1: hv01 }\n',
            text.replace('placement:\n', '')
        ])
            expect(readWrittenLock(other)).toBeUndefined();
        // plain names that start as a YAML word does, or with `_`, `.` and `-` inside: read as YAML reads them
        const plain = text.replaceAll('hv01', 'yes1').replaceAll('hv02', '_n.o-2');
        expect(readWrittenLock(plain)).toEqual(parseYamlLock(plain));
        expect([...readWrittenLock(plain)!.placement.values()]).toContain('_n.o-2');
        // an empty lock as written
        const empty = 'plan: a.dcplan\ndcplan: 0.1.0\nshapes: {}\nplacement: {}\n';
        expect(readWrittenLock(empty)).toEqual(parseYamlLock(empty));
    });
});
