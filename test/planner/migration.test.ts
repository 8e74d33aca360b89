/**
 * The migration order (issue 12, day 2): steps that never overcommit a host nor gather a role on
 * one host, a temporary hop to break a cycle, `migration-blocked` when no safe order exists.
 * Exact steps.
 */
import { describe, expect, it } from 'vitest';
import { orderMigration, replayMigration } from '../../src/planner/migration.js';
import { planDay2 } from '../../src/planner/day2.js';
import { countMoves } from '../../src/planner/move-count.js';
import type { PlannedMove } from '../../src/planner/incremental.js';
import type { Lock } from '../../src/planner/lock.js';
import type { PlanModel } from '../../src/planner/model.js';
import { buildPlan } from './fixtures.js';

/** Hosts a and b (8 usable cores each) and, with `spare`, c (4 cores); four 4-core backends or two 1-core proxies. */
function plan(spare: boolean, role: 'backend' | 'proxy'): PlanModel {
    return buildPlan({
        shapes: [
            role === 'backend'
                ? { name: 'be', role: 'backend', cores: 4, memoryGiB: 8 }
                : { name: 'px', role: 'proxy', cores: 1, memoryGiB: 2 }
        ],
        deploy: [[role === 'backend' ? 4 : 2, role === 'backend' ? 'be' : 'px']],
        hosts: [
            { names: ['a', 'b'], cores: 8, memoryGiB: 64 },
            ...(spare ? [{ names: 'c', cores: 4, memoryGiB: 64 }] : [])
        ]
    });
}

function lock(placement: Record<string, string>): Lock {
    return { shapes: new Map(), placement: new Map(Object.entries(placement)) };
}

/** A move of the instance named `name` from `from` to `to` (host names). */
function move(model: PlanModel, name: string, from: string, to: string): PlannedMove {
    const h = (n: string) => model.hosts.findIndex(x => x.name === n);
    return {
        instance: model.instances.findIndex(i => i.name === name),
        from,
        fromHost: h(from),
        to: h(to),
        reason: 'placement'
    };
}

const text = (steps: ReturnType<typeof orderMigration>['steps']) =>
    steps.map(s =>
        s.kind === 'move'
            ? `${s.step}. ${s.instance}: ${s.from} -> ${s.to}${s.temporary ? ' (temporary)' : ''}`
            : `${s.step}. ${s.instance}: ${s.kind} on ${s.from}${s.to !== null && s.to !== s.from ? ` -> ${s.to}` : ''}`
    );

describe('orderMigration', () => {
    it('orders moves so that each has room on its target when it happens', () => {
        // a holds be-1, be-2 (full), b holds be-3: be-3 -> a needs the room be-1 -> b frees, so it is done second
        const m = plan(false, 'backend');
        const l = lock({ 'be-1': 'a', 'be-2': 'a', 'be-3': 'b' });
        const order = orderMigration(m, l, [move(m, 'be-3', 'b', 'a'), move(m, 'be-1', 'a', 'b')]);
        expect(text(order.steps)).toEqual(['1. be-1: a -> b', '2. be-3: b -> a']);
        expect(order.blocked).toEqual([]);
    });

    it('breaks a cycle without free room with one temporary hop through a host with room', () => {
        const m = plan(true, 'backend');
        const l = lock({ 'be-1': 'a', 'be-2': 'a', 'be-3': 'b', 'be-4': 'b' });
        const order = orderMigration(m, l, [move(m, 'be-1', 'a', 'b'), move(m, 'be-3', 'b', 'a')]);
        expect(text(order.steps)).toEqual([
            '1. be-1: a -> c (temporary)',
            '2. be-3: b -> a',
            '3. be-1: c -> b'
        ]);
        expect(order.blocked).toEqual([]);
        expect(replayMigration(m, l, order.steps)).toBeUndefined();
    });

    it('names the blocking moves when no host has room for a hop', () => {
        const m = plan(false, 'backend');
        const l = lock({ 'be-1': 'a', 'be-2': 'a', 'be-3': 'b', 'be-4': 'b' });
        const order = orderMigration(m, l, [move(m, 'be-1', 'a', 'b'), move(m, 'be-3', 'b', 'a')]);
        expect(order.steps).toEqual([]);
        expect(order.blocked).toEqual([
            { kind: 'move', instance: 'be-1', from: 'a', to: 'b' },
            { kind: 'move', instance: 'be-3', from: 'b', to: 'a' }
        ]);
    });

    it('never gathers a role on one host, even for a moment: a swap of the two proxies hops', () => {
        const m = plan(true, 'proxy');
        const l = lock({ 'px-1': 'a', 'px-2': 'b' });
        const swap = [move(m, 'px-1', 'a', 'b'), move(m, 'px-2', 'b', 'a')];
        expect(text(orderMigration(m, l, swap).steps)).toEqual([
            '1. px-1: a -> c (temporary)',
            '2. px-2: b -> a',
            '3. px-1: c -> b'
        ]);
        const without = plan(false, 'proxy');
        expect(
            orderMigration(without, l, [
                move(without, 'px-1', 'a', 'b'),
                move(without, 'px-2', 'b', 'a')
            ]).blocked
        ).toHaveLength(2);
    });
});

describe('temporary hops that serve only blocked moves', () => {
    it('are dropped: the instances stay put and their moves are blocked from where they run', () => {
        // the newcomer's plan: 12 usable vCPUs per host, all full but 3 vCPUs; a third dr pinned
        // on h1 needs be-5 and be-6 (4 vCPUs) off it, which no host can take even after a hop
        const m = buildPlan({
            shapes: [
                { name: 'px', role: 'proxy', cores: 1, memoryGiB: 2 },
                { name: 'dr', role: 'director', cores: 3, memoryGiB: 6, loginProcesses: 3 },
                { name: 'be', role: 'backend', cores: 4, memoryGiB: 32 }
            ],
            deploy: [
                [3, 'px'],
                [3, 'dr'],
                [6, 'be']
            ],
            hosts: [
                {
                    names: ['h2', 'h3'],
                    cores: 14,
                    memoryGiB: 128,
                    hypervisorCores: 2,
                    hypervisorMemoryGiB: 8
                },
                {
                    names: 'h1',
                    cores: 14,
                    memoryGiB: 128,
                    hypervisorCores: 2,
                    hypervisorMemoryGiB: 8,
                    runs: [[3, 'dr']]
                }
            ]
        });
        const l: Lock = {
            shapes: new Map([
                ['px', { cores: 1, memoryGiB: 2 }],
                ['dr', { cores: 3, memoryGiB: 6 }],
                ['be', { cores: 4, memoryGiB: 32 }]
            ]),
            placement: new Map(
                Object.entries({
                    'be-1': 'h2',
                    'be-2': 'h2',
                    'be-3': 'h3',
                    'be-4': 'h3',
                    'be-5': 'h1',
                    'be-6': 'h1',
                    'dr-1': 'h2',
                    'dr-2': 'h1',
                    'px-1': 'h2',
                    'px-2': 'h3',
                    'px-3': 'h1'
                })
            )
        };
        const order = orderMigration(
            m,
            l,
            [
                move(m, 'px-1', 'h2', 'h1'),
                move(m, 'px-2', 'h3', 'h1'),
                move(m, 'dr-1', 'h2', 'h1'),
                move(m, 'be-5', 'h1', 'h2'),
                move(m, 'be-6', 'h1', 'h3')
            ],
            {
                removed: [],
                stopped: [],
                rebuilt: [],
                created: [{ i: m.instances.findIndex(x => x.name === 'dr-3'), to: 2 }]
            }
        );
        // before: px-1 h2 -> h3, px-2 h3 -> h2, dr-1 h2 -> h3, all temporary, then all blocked
        expect(order.steps).toEqual([]);
        expect(order.blocked).toEqual([
            { kind: 'move', instance: 'px-1', from: 'h2', to: 'h1' },
            { kind: 'move', instance: 'px-2', from: 'h3', to: 'h1' },
            { kind: 'move', instance: 'dr-1', from: 'h2', to: 'h1' },
            { kind: 'move', instance: 'be-5', from: 'h1', to: 'h2' },
            { kind: 'move', instance: 'be-6', from: 'h1', to: 'h3' },
            {
                kind: 'create',
                instance: 'dr-3',
                from: 'h1',
                to: 'h1',
                toSize: { cores: 3, memoryGiB: 6 }
            }
        ]);
    });

    it('keeps a hop that a carried-out move follows, and drops only the later useless one', () => {
        // a, b full (be: 4 vCPUs); c (4) empty; d runs bg-1 (6) and px-1, e runs bg-2, px-2 and
        // px-3 (full): be-1/be-3 swap through c (kept); px-1 could then hop to c, but the 2 vCPUs
        // it frees on d never fit bg-2 (6), so that hop is dropped and px-1 stays on d
        const m = buildPlan({
            shapes: [
                { name: 'be', role: 'backend', cores: 4, memoryGiB: 8 },
                { name: 'bg', role: 'backend', cores: 6, memoryGiB: 8 },
                { name: 'px', role: 'proxy', cores: 1, memoryGiB: 2 }
            ],
            deploy: [
                [4, 'be'],
                [2, 'bg'],
                [3, 'px']
            ],
            hosts: [
                { names: ['a', 'b'], cores: 8, memoryGiB: 64 },
                { names: 'c', cores: 4, memoryGiB: 64 },
                { names: ['d', 'e'], cores: 8, memoryGiB: 64 }
            ]
        });
        const l = lock({
            'be-1': 'a',
            'be-2': 'a',
            'be-3': 'b',
            'be-4': 'b',
            'bg-1': 'd',
            'px-1': 'd',
            'bg-2': 'e',
            'px-2': 'e',
            'px-3': 'e'
        });
        const order = orderMigration(m, l, [
            move(m, 'be-1', 'a', 'b'),
            move(m, 'be-3', 'b', 'a'),
            move(m, 'px-1', 'd', 'e'),
            move(m, 'bg-1', 'd', 'e'),
            move(m, 'bg-2', 'e', 'd')
        ]);
        expect(text(order.steps)).toEqual([
            '1. be-1: a -> c (temporary)',
            '2. be-3: b -> a',
            '3. be-1: c -> b'
        ]);
        expect(order.blocked).toEqual([
            { kind: 'move', instance: 'px-1', from: 'd', to: 'e' },
            { kind: 'move', instance: 'bg-1', from: 'd', to: 'e' },
            { kind: 'move', instance: 'bg-2', from: 'e', to: 'd' }
        ]);
        expect(replayMigration(m, l, order.steps)).toBeUndefined();
    });
});

describe('replayMigration', () => {
    it('finds the first step that breaks a rule', () => {
        const m = plan(false, 'backend');
        const l = lock({ 'be-1': 'a', 'be-2': 'a', 'be-3': 'b', 'be-4': 'b' });
        expect(
            replayMigration(m, l, [
                { step: 1, kind: 'move', instance: 'be-1', from: 'a', to: 'b', temporary: false }
            ])
        ).toBe('step 1: be-1 -> b breaks a hard rule');
        expect(
            replayMigration(m, l, [
                { step: 1, kind: 'move', instance: 'be-1', from: 'b', to: 'a', temporary: false }
            ])
        ).toBe('step 1: be-1 is on a, not b');
    });
});

describe('planDay2 findings', () => {
    it('gives migration-blocked (error) on the first blocked target host, naming the moves', () => {
        // a runs be-1, be-2; b runs bf-1, bf-2 (both full); b now pins one `be`, which it does not
        // run: be-1 (the lowest) must go to b, which sheds bf-2 to a: a swap with no room to hop
        const m = buildPlan({
            shapes: [
                { name: 'be', role: 'backend', cores: 4, memoryGiB: 8 },
                { name: 'bf', role: 'backend', cores: 4, memoryGiB: 8 }
            ],
            deploy: [
                [2, 'be'],
                [2, 'bf']
            ],
            hosts: [
                { names: 'a', cores: 8, memoryGiB: 64 },
                { names: 'b', cores: 8, memoryGiB: 64, runs: [[1, 'be']] }
            ]
        });
        const planned = planDay2(m, lock({ 'be-1': 'a', 'be-2': 'a', 'bf-1': 'b', 'bf-2': 'b' }));
        expect(
            planned.delta!.moves.map(
                mv =>
                    `${m.instances[mv.instance].name}: ${mv.from} -> ${m.hosts[mv.to].name} (${mv.reason})`
            )
        ).toEqual(['be-1: a -> b (pinned)', 'bf-2: b -> a (overcommitted)']);
        expect(planned.findings).toEqual([
            {
                code: 'migration-blocked',
                severity: 'error',
                target: { kind: 'host', index: 1, property: 'name' },
                message:
                    'no safe migration order: these 2 moves block (no host has room for them, even for a temporary hop, without overcommitting or putting a role on one host): be-1: a -> b, bf-2: b -> a'
            }
        ]);
    });

    it('gives placement-drift (info) on the plan for instances and hosts the lock names that the plan has no more', () => {
        const m = buildPlan({
            settings: { ref: { file: 'p.dcplan', index: 0 } },
            shapes: [{ name: 'be', role: 'backend', cores: 4, memoryGiB: 8 }],
            deploy: [[2, 'be']],
            hosts: [{ names: ['a', 'b'], cores: 8, memoryGiB: 64 }]
        });
        const planned = planDay2(m, lock({ 'be-1': 'a', 'be-2': 'z', 'be-3': 'b' }));
        expect(planned.findings).toEqual([
            {
                code: 'placement-drift',
                severity: 'info',
                target: { kind: 'plan', property: 'name' },
                message:
                    'the lock names instances the plan no longer deploys (removed): be-3; hosts the plan no longer has: z'
            }
        ]);
        // the removal is a step, first (it frees room); it is no move
        expect(text(planned.order!.steps)).toEqual(['1. be-3: remove on b', '2. be-2: z -> b']);
    });
});

describe('stop, remove and rebuild steps', () => {
    /** Hosts a (8 vCPUs), b (8, drained) and c (4); `n` 4-vCPU backends `be` (8 GiB). */
    function drained(n: number): PlanModel {
        const m = buildPlan({
            shapes: [{ name: 'be', role: 'backend', cores: 4, memoryGiB: 8 }],
            deploy: [[n, 'be']],
            hosts: [
                { names: ['a', 'b'], cores: 8, memoryGiB: 64 },
                { names: 'c', cores: 4, memoryGiB: 64 }
            ]
        });
        return { ...m, hosts: m.hosts.map(h => (h.name === 'b' ? { ...h, drain: true } : h)) };
    }
    const sized = (placement: Record<string, string>): Lock => ({
        ...lock(placement),
        shapes: new Map([['be', { cores: 4, memoryGiB: 8 }]])
    });

    it('removes first (that frees room), then stops what the plan leaves unplaced, then moves', () => {
        // b (drained) runs be-3 and be-4; a is full; c holds be-5, which the plan no longer
        // deploys: its removal makes room for one of them on c, the other is stopped
        const m = drained(4);
        const l = sized({ 'be-1': 'a', 'be-2': 'a', 'be-3': 'b', 'be-4': 'b', 'be-5': 'c' });
        const planned = planDay2(m, l);
        expect(planned.placement.unplaced.map(i => m.instances[i].name)).toEqual(['be-4']);
        expect(text(planned.order!.steps)).toEqual([
            '1. be-5: remove on c',
            '2. be-4: stop on b',
            '3. be-3: b -> c'
        ]);
        expect(planned.order!.steps.map(s => [s.kind, s.to])).toEqual([
            ['remove', null],
            ['stop', null],
            ['move', 'c']
        ]);
        // what is shut down says the size it runs at (the lock's); a move of a kept size none
        expect(planned.order!.steps.map(s => [s.fromSize, s.toSize])).toEqual([
            [{ cores: 4, memoryGiB: 8 }, undefined],
            [{ cores: 4, memoryGiB: 8 }, undefined],
            [undefined, undefined]
        ]);
        // a stop is a move (the instance does not stay on its host), a removal is not
        expect(countMoves(planned.order!.steps)).toBe(2);
        expect(replayMigration(m, l, planned.order!.steps)).toBeUndefined();
        // the move before the removal: c still holds be-5
        expect(
            replayMigration(m, l, [
                { step: 1, kind: 'move', instance: 'be-3', from: 'b', to: 'c', temporary: false }
            ])
        ).toBe('step 1: be-3 -> c breaks a hard rule');
        expect(
            replayMigration(m, l, [
                { step: 1, kind: 'remove', instance: 'be-1', from: 'a', to: null, temporary: false }
            ])
        ).toBe('step 1: be-1 is still deployed, it cannot be removed');
    });

    it('orders a rebuild that grows an instance after the move that makes room on its host', () => {
        // a (7 vCPUs) runs be-1 (recorded at 3 vCPUs, now 4) and px-1, px-2 (2 each): 3 + 2 + 2
        // = 7 in the lock, 4 + 2 + 2 = 8 > 7 if be-1 were rebuilt first: px-2 leaves for b first
        const m = buildPlan({
            shapes: [
                { name: 'be', role: 'backend', cores: 4, memoryGiB: 8 },
                { name: 'px', role: 'proxy', cores: 2, memoryGiB: 2 }
            ],
            deploy: [
                [1, 'be'],
                [3, 'px']
            ],
            hosts: [
                { names: 'a', cores: 7, memoryGiB: 64 },
                { names: 'b', cores: 8, memoryGiB: 64 }
            ]
        });
        const l: Lock = {
            ...lock({ 'be-1': 'a', 'px-1': 'a', 'px-2': 'a', 'px-3': 'b' }),
            shapes: new Map([
                ['be', { cores: 3, memoryGiB: 8 }],
                ['px', { cores: 2, memoryGiB: 2 }]
            ])
        };
        const be1 = m.instances.findIndex(i => i.name === 'be-1');
        const order = orderMigration(m, l, [move(m, 'px-2', 'a', 'b')], {
            removed: [],
            stopped: [],
            rebuilt: [be1]
        });
        expect(text(order.steps)).toEqual(['1. px-2: a -> b', '2. be-1: rebuild on a']);
        expect(order.blocked).toEqual([]);
        expect(replayMigration(m, l, order.steps)).toBeUndefined();
        expect(
            replayMigration(m, l, [
                { step: 1, kind: 'rebuild', instance: 'be-1', from: 'a', to: 'a', temporary: false }
            ])
        ).toBe('step 1: rebuilding be-1 on a overcommits it');
        // with no move to make room, the rebuild is blocked: migration-blocked names it
        const stuck = orderMigration(m, l, [], { removed: [], stopped: [], rebuilt: [be1] });
        expect(stuck.steps).toEqual([]);
        // with its sizes: the lock's 3 vCPUs (8 GiB) to the plan's 4
        expect(stuck.blocked).toStrictEqual([
            {
                kind: 'rebuild',
                instance: 'be-1',
                from: 'a',
                to: 'a',
                fromSize: { cores: 3, memoryGiB: 8 },
                toSize: { cores: 4, memoryGiB: 8 }
            }
        ]);
    });

    it('plans a resize that fits as rebuilds in place: no moves, one step each', () => {
        // a, b: 8 vCPUs; be grows from 3 to 4 vCPUs and both hosts have the room
        const m = buildPlan({
            shapes: [{ name: 'be', role: 'backend', cores: 4, memoryGiB: 8 }],
            deploy: [[2, 'be']],
            hosts: [{ names: ['a', 'b'], cores: 8, memoryGiB: 64 }]
        });
        const l: Lock = {
            ...lock({ 'be-1': 'a', 'be-2': 'b' }),
            shapes: new Map([['be', { cores: 3, memoryGiB: 8 }]])
        };
        const planned = planDay2(m, l);
        expect(planned.delta!.moves).toEqual([]);
        expect(text(planned.order!.steps)).toEqual([
            '1. be-1: rebuild on a',
            '2. be-2: rebuild on b'
        ]);
        // a rebuild step carries the size it runs at (the lock's) and the one it is rebuilt at
        expect(planned.order!.steps[1]).toStrictEqual({
            step: 2,
            kind: 'rebuild',
            instance: 'be-2',
            from: 'b',
            to: 'b',
            temporary: false,
            fromSize: { cores: 3, memoryGiB: 8 },
            toSize: { cores: 4, memoryGiB: 8 },
            reason: 'resized'
        });
        expect(countMoves(planned.order!.steps)).toBe(0);
        expect(planned.findings).toEqual([]);
    });

    it('a grown role on full hosts is not gathered on the new one: a swap keeps one home', () => {
        // a, b, c full (8 vCPUs: a 2-vCPU director recorded at 2, now 3, beside 6 of backends),
        // d new and empty (16 vCPUs): the three grown directors fit only on d, where they would be the
        // whole director layer; one swaps with a backend, which makes room for it at home: 3
        // moves, the fewest (each host must shed one)
        const m = buildPlan({
            shapes: [
                { name: 'dir', role: 'director', cores: 3, memoryGiB: 4 },
                { name: 'be', role: 'backend', cores: 2, memoryGiB: 4 }
            ],
            deploy: [
                [3, 'dir'],
                [9, 'be']
            ],
            hosts: [
                { names: ['a', 'b', 'c'], cores: 8, memoryGiB: 64 },
                { names: 'd', cores: 16, memoryGiB: 64 }
            ]
        });
        const l: Lock = {
            ...lock({
                'dir-1': 'a',
                'dir-2': 'b',
                'dir-3': 'c',
                ...Object.fromEntries(
                    Array.from({ length: 9 }, (_, k) => [`be-${k + 1}`, 'abc'[Math.floor(k / 3)]])
                )
            }),
            shapes: new Map([
                ['dir', { cores: 2, memoryGiB: 4 }],
                ['be', { cores: 2, memoryGiB: 4 }]
            ])
        };
        const planned = planDay2(m, l);
        const hosts = planned.placement.hostOf.map(h => m.hosts[h].name);
        const directors = m.instances.flatMap((it, i) =>
            it.role === 'director' ? [hosts[i]] : []
        );
        expect(directors).toEqual(['a', 'd', 'd']);
        expect(text(planned.order!.steps)).toEqual([
            '1. dir-2: b -> d',
            '2. dir-3: c -> d',
            '3. be-1: a -> d',
            '4. dir-1: rebuild on a'
        ]);
        expect(planned.order!.blocked).toEqual([]);
        expect(countMoves(planned.order!.steps)).toBe(3);
        expect(planned.findings).toEqual([]);
    });
});

describe('a role whose locked instances are replaced by new ones (renamed or swapped shape)', () => {
    /** `hosts` hosts of 1 usable vCPU each; `n` new 1-vCPU proxies `pb` (the lock ran `pa`, the same size). */
    function renamed(hosts: string[], n: number): PlanModel {
        return buildPlan({
            shapes: [{ name: 'pb', role: 'proxy', cores: 1, memoryGiB: 2 }],
            deploy: [[n, 'pb']],
            hosts: [{ names: hosts, cores: 1, memoryGiB: 64 }]
        });
    }
    const pa = (placement: Record<string, string>): Lock => ({
        ...lock(placement),
        shapes: new Map([['pa', { cores: 1, memoryGiB: 2 }]])
    });

    it('removes one old instance and creates a new one in its room, in turn', () => {
        const m = renamed(['a', 'b', 'c'], 3);
        const l = pa({ 'pa-1': 'a', 'pa-2': 'b', 'pa-3': 'c' });
        const planned = planDay2(m, l);
        expect(text(planned.order!.steps)).toEqual([
            '1. pa-1: remove on a',
            '2. pb-1: create on a',
            '3. pa-2: remove on b',
            '4. pb-2: create on b',
            '5. pa-3: remove on c',
            '6. pb-3: create on c'
        ]);
        expect(planned.order!.steps.filter(s => s.kind === 'create').map(s => s.to)).toEqual([
            'a',
            'b',
            'c'
        ]);
        expect(planned.order!.blocked).toEqual([]);
        // creations and removals are no moves
        expect(countMoves(planned.order!.steps)).toBe(0);
        expect(replayMigration(m, l, planned.order!.steps, planned.placement.hostOf)).toBe(
            undefined
        );
        // the old order: every old proxy removed before a new one runs
        const step = (k: number, kind: 'remove' | 'create', instance: string, host: string) => ({
            step: k,
            kind,
            instance,
            from: host,
            to: kind === 'create' ? host : null,
            temporary: false
        });
        expect(
            replayMigration(m, l, [
                step(1, 'remove', 'pa-1', 'a'),
                step(2, 'remove', 'pa-2', 'b'),
                step(3, 'remove', 'pa-3', 'c')
            ])
        ).toBe('step 2: removing pa-2 leaves proxy on one host while 3 new to create');
        // a creation needs room on its host at that moment
        expect(replayMigration(m, l, [step(1, 'create', 'pb-1', 'a')])).toBe(
            'step 1: creating pb-1 on a overcommits it'
        );
        expect(
            replayMigration(m, l, [step(1, 'remove', 'pa-1', 'a'), step(2, 'create', 'pa-2', 'a')])
        ).toBe('step 2: create pa-2 on a names what the plan does not have');
    });

    it('creates first where a host has room to spare (make before break)', () => {
        const m = buildPlan({
            shapes: [{ name: 'pb', role: 'proxy', cores: 1, memoryGiB: 2 }],
            deploy: [[2, 'pb']],
            hosts: [{ names: ['a', 'b'], cores: 2, memoryGiB: 64 }]
        });
        const l = pa({ 'pa-1': 'a', 'pa-2': 'b' });
        const planned = planDay2(m, l);
        expect(text(planned.order!.steps)).toEqual([
            '1. pb-1: create on a',
            '2. pb-2: create on b',
            '3. pa-1: remove on a',
            '4. pa-2: remove on b'
        ]);
        expect(replayMigration(m, l, planned.order!.steps, planned.placement.hostOf)).toBe(
            undefined
        );
    });

    it('says migration-blocked, naming the role, when it would be left on one host', () => {
        // two full hosts: removing either old proxy leaves the other alone on one host
        const m = renamed(['a', 'b'], 2);
        const planned = planDay2(m, pa({ 'pa-1': 'a', 'pa-2': 'b' }));
        expect(planned.order!.steps).toEqual([]);
        expect(planned.order!.heldRoles).toEqual([{ role: 'proxy', runningAfter: 1, waiting: 2 }]);
        expect(planned.findings.find(f => f.code === 'migration-blocked')?.message).toBe(
            'no safe migration order: proxy would be left on one host while 2 new instances wait for room; these 4 steps block (no host has room for them, even for a temporary hop, without overcommitting or putting a role on one host): pa-1: remove from a (1 vCPU, 2 GiB), pa-2: remove from b (1 vCPU, 2 GiB), pb-1: create on a (1 vCPU, 2 GiB), pb-2: create on b (1 vCPU, 2 GiB)'
        );
    });

    it('says migration-blocked when the role would have no running instance', () => {
        const m = renamed(['a'], 1);
        const planned = planDay2(m, pa({ 'pa-1': 'a' }));
        expect(planned.order!.steps).toEqual([]);
        expect(planned.findings.find(f => f.code === 'migration-blocked')?.message).toBe(
            'no safe migration order: proxy would be left with no running instance while 1 new instance waits for room; these 2 steps block (no host has room for them, even for a temporary hop, without overcommitting or putting a role on one host): pa-1: remove from a (1 vCPU, 2 GiB), pb-1: create on a (1 vCPU, 2 GiB)'
        );
    });

    it("gives a removal the lock's size of its shape, a creation the plan's; none when the lock recorded none", () => {
        const m = buildPlan({
            shapes: [{ name: 'pb', role: 'proxy', cores: 2, memoryGiB: 3 }],
            deploy: [[1, 'pb']],
            hosts: [{ names: ['a', 'b'], cores: 4, memoryGiB: 64 }]
        });
        const sizes = (l: Lock) =>
            planDay2(m, l).order!.steps.map(s => ({
                kind: s.kind,
                instance: s.instance,
                ...(s.fromSize ? { fromSize: s.fromSize } : {}),
                ...(s.toSize ? { toSize: s.toSize } : {})
            }));
        const placed = { 'pa-1': 'a', 'pa-2': 'b' };
        expect(sizes(pa(placed))).toEqual([
            { kind: 'create', instance: 'pb-1', toSize: { cores: 2, memoryGiB: 3 } },
            { kind: 'remove', instance: 'pa-1', fromSize: { cores: 1, memoryGiB: 2 } },
            { kind: 'remove', instance: 'pa-2', fromSize: { cores: 1, memoryGiB: 2 } }
        ]);
        // a lock without `shapes`: the size (and the role) of pa is unknown, so the removals
        // carry no size and are not held; the creation still is a step, once they are done
        expect(sizes(lock(placed))).toEqual([
            { kind: 'remove', instance: 'pa-1' },
            { kind: 'remove', instance: 'pa-2' },
            { kind: 'create', instance: 'pb-1', toSize: { cores: 2, memoryGiB: 3 } }
        ]);
    });

    it('pairs a swapped shape of another size as the only gone and the only new shape', () => {
        // pa (1 vCPU) twice on a and on b (3 vCPUs each: 1 free); pc (2 vCPUs) is new and not
        // the same size: its role is pa's as the only gone and the only new shape
        const m = buildPlan({
            shapes: [{ name: 'pc', role: 'proxy', cores: 2, memoryGiB: 2 }],
            deploy: [[2, 'pc']],
            hosts: [{ names: ['a', 'b'], cores: 3, memoryGiB: 64 }]
        });
        const l: Lock = {
            ...lock({ 'pa-1': 'a', 'pa-2': 'a', 'pa-3': 'b', 'pa-4': 'b' }),
            shapes: new Map([['pa', { cores: 1, memoryGiB: 2 }]])
        };
        const planned = planDay2(m, l);
        expect(text(planned.order!.steps)).toEqual([
            '1. pa-1: remove on a',
            '2. pc-1: create on a',
            '3. pa-2: remove on a',
            '4. pa-3: remove on b',
            '5. pc-2: create on b',
            '6. pa-4: remove on b'
        ]);
        expect(replayMigration(m, l, planned.order!.steps, planned.placement.hostOf)).toBe(
            undefined
        );
    });
});

describe('a role the placement itself gathers on one host', () => {
    it('is not blocked on its way there: the final state breaks the rule, role-on-one-host says so', () => {
        // h0 drained; h1, h2: 6 usable vCPUs each; 16 deployed, 12 placeable: the most vCPUs
        // placed puts both 1-vCPU proxies on h2 (an even split leaves 5 odd vCPUs per host)
        const base = buildPlan({
            shapes: [
                { name: 'px', role: 'proxy', cores: 1, memoryGiB: 2 },
                { name: 'dr', role: 'director', cores: 2, memoryGiB: 4 },
                { name: 'be', role: 'backend', cores: 2, memoryGiB: 16 }
            ],
            deploy: [
                [2, 'px'],
                [4, 'dr'],
                [3, 'be']
            ],
            hosts: [
                {
                    names: ['h0', 'h1', 'h2'],
                    cores: 8,
                    memoryGiB: 128,
                    hypervisorCores: 2,
                    hypervisorMemoryGiB: 8
                }
            ]
        });
        const m = {
            ...base,
            hosts: base.hosts.map(h => (h.name === 'h0' ? { ...h, drain: true } : h))
        };
        const l = lock({
            'be-1': 'h0',
            'be-2': 'h1',
            'be-3': 'h2',
            'dr-1': 'h0',
            'dr-2': 'h0',
            'dr-3': 'h1',
            'dr-4': 'h2',
            'px-1': 'h1',
            'px-2': 'h2'
        });
        const planned = planDay2(m, l);
        expect(text(planned.order!.steps)).toEqual([
            '1. dr-1: stop on h0',
            '2. dr-2: stop on h0',
            '3. px-1: h1 -> h2',
            '4. be-1: h0 -> h1'
        ]);
        expect(planned.order!.blocked).toEqual([]);
        expect(planned.findings.map(f => f.code)).toEqual([]);
        expect(
            replayMigration(m, l, planned.order!.steps, planned.placement.hostOf)
        ).toBeUndefined();
    });
});

describe('a new instance of a role that loses no locked instance', () => {
    it('is a step after the rebuilds that make room on its host', () => {
        // a and b: 8 usable vCPUs each, full with one 8-vCPU backend; the plan runs 4 x 4 vCPUs:
        // be-3 and be-4 fit only once the locked ones are rebuilt at 4
        const m = buildPlan({
            shapes: [{ name: 'be', role: 'backend', cores: 4, memoryGiB: 8 }],
            deploy: [[4, 'be']],
            hosts: [{ names: ['a', 'b'], cores: 8, memoryGiB: 64 }]
        });
        const l: Lock = {
            ...lock({ 'be-1': 'a', 'be-2': 'b' }),
            shapes: new Map([['be', { cores: 8, memoryGiB: 16 }]])
        };
        const planned = planDay2(m, l);
        expect(text(planned.order!.steps)).toEqual([
            '1. be-1: rebuild on a',
            '2. be-2: rebuild on b',
            '3. be-3: create on a',
            '4. be-4: create on b'
        ]);
        expect(planned.order!.blocked).toEqual([]);
        expect(
            replayMigration(m, l, planned.order!.steps, planned.placement.hostOf)
        ).toBeUndefined();
    });

    it('never takes the room a temporary hop needs: it is created after the cycle is broken', () => {
        // a and b full (2 x 4 vCPUs each), c (4 vCPUs) empty; be-1 and be-3 swap hosts (a
        // cycle: one hops through c), and the new be-5 is planned on c
        const m = buildPlan({
            shapes: [{ name: 'be', role: 'backend', cores: 4, memoryGiB: 8 }],
            deploy: [[5, 'be']],
            hosts: [
                { names: ['a', 'b'], cores: 8, memoryGiB: 64 },
                { names: 'c', cores: 4, memoryGiB: 64 }
            ]
        });
        const l = lock({ 'be-1': 'a', 'be-2': 'a', 'be-3': 'b', 'be-4': 'b' });
        const order = orderMigration(m, l, [move(m, 'be-1', 'a', 'b'), move(m, 'be-3', 'b', 'a')], {
            removed: [],
            stopped: [],
            rebuilt: [],
            created: [{ i: m.instances.findIndex(x => x.name === 'be-5'), to: 2 }]
        });
        expect(text(order.steps)).toEqual([
            '1. be-1: a -> c (temporary)',
            '2. be-3: b -> a',
            '3. be-1: c -> b',
            '4. be-5: create on c'
        ]);
        expect(order.blocked).toEqual([]);
        expect(replayMigration(m, l, order.steps)).toBeUndefined();
    });

    it('is a step where its host has room from the start, also with no other change', () => {
        const m = buildPlan({
            shapes: [{ name: 'px', role: 'proxy', cores: 1, memoryGiB: 2 }],
            deploy: [[3, 'px']],
            hosts: [{ names: ['a', 'b'], cores: 4, memoryGiB: 64 }]
        });
        const l: Lock = {
            ...lock({ 'px-1': 'a', 'px-2': 'b' }),
            shapes: new Map([['px', { cores: 1, memoryGiB: 2 }]])
        };
        const planned = planDay2(m, l);
        expect(text(planned.order!.steps)).toEqual(['1. px-3: create on a']);
        expect(countMoves(planned.order!.steps)).toBe(0);
    });
});
