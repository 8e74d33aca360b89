/**
 * The migration order (issue 12, day 2): steps that never overcommit a host nor gather a role on
 * one host, a temporary hop to break a cycle, `migration-blocked` when no safe order exists.
 * Exact steps.
 */
import { describe, expect, it } from 'vitest';
import { orderMigration, replayMigration } from '../../src/planner/migration.js';
import { planDay2 } from '../../src/planner/day2.js';
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
    steps.map(
        s => `${s.step}. ${s.instance}: ${s.from} -> ${s.to}${s.temporary ? ' (temporary)' : ''}`
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
            { instance: 'be-1', from: 'a', to: 'b' },
            { instance: 'be-3', from: 'b', to: 'a' }
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

describe('replayMigration', () => {
    it('finds the first step that breaks a rule', () => {
        const m = plan(false, 'backend');
        const l = lock({ 'be-1': 'a', 'be-2': 'a', 'be-3': 'b', 'be-4': 'b' });
        expect(
            replayMigration(m, l, [
                { step: 1, instance: 'be-1', from: 'a', to: 'b', temporary: false }
            ])
        ).toBe('step 1: be-1 -> b breaks a hard rule');
        expect(
            replayMigration(m, l, [
                { step: 1, instance: 'be-1', from: 'b', to: 'a', temporary: false }
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
        expect(text(planned.order!.steps)).toEqual(['1. be-2: z -> b']);
    });
});
