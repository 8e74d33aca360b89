/**
 * `runs` pins with a lock (issue 12, day 2): a pin on host H of k × shape S binds first the
 * instances of S the lock already has on H, then those that cost no move of their own (new, or
 * on a gone, drained or overcommitted host), then the lowest-numbered; without a lock, the
 * lowest-numbered as before. The heuristic (`planPlacement`) and the MILP (`solveExactSync`)
 * agree. Exact instance names, hosts and move lists.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { Highs } from 'highs';
import { place, resolvePins } from '../../src/planner/placement.js';
import { planPlacement } from '../../src/planner/incremental.js';
import { loadHighs, solveExactSync } from '../../src/planner/exact.js';
import { parseLock, type Lock } from '../../src/planner/lock.js';
import type { PlanModel } from '../../src/planner/model.js';
import { pinPreferenceOf } from '../../src/planner/pin-preference.js';
import { buildPlan, dualSocket, seedRecommendedSpec, type ShapeSpec } from './fixtures.js';

let highs: Highs;
beforeAll(async () => {
    highs = await loadHighs();
});

/** A lock from `host: instances` lists, the shapes at their sizes in `shapes`. */
function lockOf(byHost: Record<string, string[]>, shapes: readonly ShapeSpec[]): Lock {
    const lines = [
        'shapes:',
        ...shapes.map(s => `  ${s.name}: { cores: ${s.cores}, memory_gib: ${s.memoryGiB} }`),
        'placement:',
        ...Object.entries(byHost).flatMap(([h, list]) => list.map(i => `  ${i}: ${h}`))
    ];
    return parseLock(lines.join('\n') + '\n');
}

const range = (prefix: string, from: number, to: number) =>
    Array.from({ length: to - from + 1 }, (_, k) => `${prefix}-${from + k}`);

/** The moves of a delta as `instance: from -> to (reason)`. */
function movesText(
    model: PlanModel,
    moves: readonly { instance: number; from: string; to: number; reason: string }[]
): string[] {
    return moves.map(
        m =>
            `${model.instances[m.instance].name}: ${m.from} -> ${model.hosts[m.to].name} (${m.reason})`
    );
}

const pinnedNames = (model: PlanModel, pinned: readonly (readonly number[])[], host: string) =>
    pinned[model.hosts.findIndex(h => h.name === host)].map(i => model.instances[i].name);

describe('a pin that writes down what a host already runs', () => {
    // seed-recommended on hv01..hv04, hv02 pinned to 3 backends; the lock runs backend_4c-4..-7
    // on hv02 and backend_4c-1..-3 and -8 on hv01 (22 of 22 cores on every host)
    const spec = seedRecommendedSpec(4);
    const model = buildPlan({
        ...spec,
        hosts: [
            dualSocket(['hv01']),
            { ...dualSocket(['hv02']), runs: [[3, 'backend_4c']] },
            dualSocket(['hv03', 'hv04'])
        ]
    });
    const lock = lockOf(
        {
            hv01: [
                ...range('proxy_1c', 1, 3),
                'director_3c-1',
                ...range('backend_4c', 1, 3)
            ].concat(['backend_4c-8']),
            hv02: [...range('proxy_1c', 4, 6), 'director_3c-2', ...range('backend_4c', 4, 7)],
            hv03: [...range('proxy_1c', 7, 9), 'director_3c-3', ...range('backend_4c', 9, 12)],
            hv04: [...range('proxy_1c', 10, 12), 'director_3c-4', ...range('backend_4c', 13, 16)]
        },
        spec.shapes
    );

    it('binds the backends the lock has on hv02: 0 moves from the heuristic', () => {
        const planned = planPlacement(model, lock);
        expect(pinnedNames(model, planned.placement.pinned, 'hv02')).toEqual([
            'backend_4c-4',
            'backend_4c-5',
            'backend_4c-6'
        ]);
        expect(planned.delta!.moves).toEqual([]);
        expect(planned.placement.unplaced).toEqual([]);
        // every instance where the lock has it
        for (const [name, host] of lock.placement) {
            const i = model.instances.findIndex(it => it.name === name);
            expect(model.hosts[planned.placement.hostOf[i]].name).toBe(host);
        }
    });

    it('0 moves from the MILP too, proved', () => {
        const r = solveExactSync(highs, model, { lock, timeLimitSeconds: 30 });
        expect(r.status).toBe('optimal');
        expect(r.delta!.moves).toEqual([]);
        const level = r.levels.find(l => l.level === 'moves')!;
        expect([level.value, level.bound]).toEqual([0, 0]);
        expect(pinnedNames(model, r.placement.pinned, 'hv02')).toEqual([
            'backend_4c-4',
            'backend_4c-5',
            'backend_4c-6'
        ]);
    });

    it('without a lock the pin takes the lowest-numbered backends, as before', () => {
        expect(pinnedNames(model, place(model).pinned, 'hv02')).toEqual([
            'backend_4c-1',
            'backend_4c-2',
            'backend_4c-3'
        ]);
    });
});

describe('a pin that needs more instances than the lock has on its host', () => {
    // hosts of 16 vCPUs; the lock runs 2 backends (4 vCPUs), a proxy and a director (2 each) on
    // each of h1..h3: 12 of 16. h3 is drained, h4 is new; h2 is pinned to 3 backends.
    const shapes: ShapeSpec[] = [
        { name: 'p', role: 'proxy', cores: 2, memoryGiB: 4 },
        { name: 'd', role: 'director', cores: 2, memoryGiB: 4 },
        { name: 'b', role: 'backend', cores: 4, memoryGiB: 8 }
    ];
    const lock = lockOf(
        {
            h1: ['b-1', 'b-2', 'p-1', 'd-1'],
            h2: ['b-3', 'b-4', 'p-2', 'd-2'],
            h3: ['b-5', 'b-6', 'p-3', 'd-3']
        },
        shapes
    );
    const planOf = (backends: number, drainH3: boolean): PlanModel => {
        const m = buildPlan({
            shapes,
            deploy: [
                [3, 'p'],
                [3, 'd'],
                [backends, 'b']
            ],
            hosts: [
                { names: 'h1', cores: 16, memoryGiB: 64 },
                { names: 'h2', cores: 16, memoryGiB: 64, runs: [[3, 'b']] },
                { names: ['h3', 'h4'], cores: 16, memoryGiB: 64 }
            ]
        });
        return drainH3
            ? { ...m, hosts: m.hosts.map(h => (h.name === 'h3' ? { ...h, drain: true } : h)) }
            : m;
    };

    it('takes b-3 and b-4 (on h2) and then b-5, which leaves the drained h3 anyway', () => {
        const model = planOf(6, true);
        const planned = planPlacement(model, lock);
        expect(pinnedNames(model, planned.placement.pinned, 'h2')).toEqual(['b-3', 'b-4', 'b-5']);
        // the lowest-numbered rule took b-1..b-3: b-1, b-2 moved off h1 for nothing (6 moves)
        expect(movesText(model, planned.delta!.moves)).toEqual([
            'p-3: h3 -> h4 (drained)',
            'd-3: h3 -> h4 (drained)',
            'b-5: h3 -> h2 (pinned)',
            'b-6: h3 -> h4 (drained)'
        ]);
        // the MILP proves 4 (the drained host's 4 instances must all move) with the same pins
        const r = solveExactSync(highs, model, { lock, timeLimitSeconds: 30 });
        expect(r.status).toBe('optimal');
        expect(r.levels.find(l => l.level === 'moves')!.value).toBe(4);
        expect(movesText(model, r.delta!.moves)).toEqual([
            'p-3: h3 -> h4 (drained)',
            'd-3: h3 -> h4 (drained)',
            'b-5: h3 -> h2 (pinned)',
            'b-6: h3 -> h4 (drained)'
        ]);
    });

    it('takes a new backend before one that runs elsewhere: 0 moves', () => {
        const model = planOf(7, false);
        const planned = planPlacement(model, lock);
        expect(pinnedNames(model, planned.placement.pinned, 'h2')).toEqual(['b-3', 'b-4', 'b-7']);
        expect(planned.delta!.moves).toEqual([]);
        const r = solveExactSync(highs, model, { lock, timeLimitSeconds: 30 });
        expect(r.delta!.moves).toEqual([]);
    });

    it('takes the lowest-numbered when no other costs no move: b-1 from h1, one move', () => {
        const model = planOf(6, false);
        const planned = planPlacement(model, lock);
        expect(pinnedNames(model, planned.placement.pinned, 'h2')).toEqual(['b-1', 'b-3', 'b-4']);
        expect(movesText(model, planned.delta!.moves)).toEqual(['b-1: h1 -> h2 (pinned)']);
        const r = solveExactSync(highs, model, { lock, timeLimitSeconds: 30 });
        expect(movesText(model, r.delta!.moves)).toEqual(['b-1: h1 -> h2 (pinned)']);
    });
});

describe("a pin when the plan's own placement is taken", () => {
    it('holds the pinned instance on its host in the placement `place` gives', () => {
        // h1 (10 vCPUs) runs p-2, d-2, d-3, b-2 in the lock: 14 vCPUs, overcommitted; h2, h3 of
        // 8. The kept-first pass cannot fit b-2 (6) and the rest, so `place`'s own counts are
        // named for fewest moves: that `place` must pin d-2 (the lock's, on h1) as the planner does
        const shapes: ShapeSpec[] = [
            { name: 'p', role: 'proxy', cores: 2, memoryGiB: 4 },
            { name: 'd', role: 'director', cores: 3, memoryGiB: 4 },
            { name: 'b', role: 'backend', cores: 6, memoryGiB: 8 }
        ];
        const model = buildPlan({
            shapes,
            deploy: [
                [2, 'p'],
                [3, 'd'],
                [2, 'b']
            ],
            hosts: [
                { names: 'h1', cores: 10, memoryGiB: 64, runs: [[1, 'd']] },
                { names: ['h2', 'h3'], cores: 8, memoryGiB: 64 }
            ]
        });
        const lock = lockOf(
            { h1: ['p-2', 'd-2', 'd-3', 'b-2'], h2: ['d-1'], h3: ['p-1', 'b-1'] },
            shapes
        );
        const names = (lists: readonly (readonly number[])[]) =>
            lists.map(l => l.map(i => model.instances[i].name));
        const planned = planPlacement(model, lock);
        expect(names(planned.placement.pinned)).toEqual([['d-2'], [], []]);
        expect(names(planned.placement.byHost)).toEqual([
            ['d-2', 'b-2'],
            ['p-2', 'd-1', 'd-3'],
            ['p-1', 'b-1']
        ]);
        // the lock runs 14 vCPUs on h1's 10: what leaves it says so (as the exact mode's delta)
        const moves = ['p-2: h1 -> h2 (overcommitted)', 'd-3: h1 -> h2 (overcommitted)'];
        expect(movesText(model, planned.delta!.moves)).toEqual(moves);
        const r = solveExactSync(highs, model, { lock, timeLimitSeconds: 30 });
        expect(r.levels.find(l => l.level === 'moves')).toMatchObject({ value: 2, bound: 2 });
        expect(movesText(model, r.delta!.moves)).toEqual(moves);
    });
});

describe('resolvePins with a lock preference', () => {
    it('gives each pinned host its own locked instances before any pin takes others', () => {
        // h1 is pinned to 2 backends but runs none; h2 pinned to 2 and runs b-1, b-2: in host
        // order h1 would take b-1, b-2 by number, and h2 would have to take others
        const shapes: ShapeSpec[] = [{ name: 'b', role: 'backend', cores: 4, memoryGiB: 8 }];
        const model = buildPlan({
            shapes,
            deploy: [[5, 'b']],
            hosts: [
                { names: 'h1', cores: 16, memoryGiB: 64, runs: [[2, 'b']] },
                { names: 'h2', cores: 16, memoryGiB: 64, runs: [[2, 'b']] },
                { names: 'h3', cores: 16, memoryGiB: 64 }
            ]
        });
        const lock = lockOf({ h2: ['b-1', 'b-2'], h3: ['b-3', 'b-4', 'b-5'] }, shapes);
        const pp = resolvePins(model, pinPreferenceOf(model, lock));
        expect(pp.pinned.map(list => list.map(i => model.instances[i].name))).toEqual([
            ['b-3', 'b-4'],
            ['b-1', 'b-2'],
            []
        ]);
        // the pinned lead the shape's list, the free one follows
        expect(pp.byShape[0].map(i => model.instances[i].name)).toEqual([
            'b-3',
            'b-4',
            'b-1',
            'b-2',
            'b-5'
        ]);
        expect([pp.pinCursor[0], pp.free[0]]).toEqual([4, 1]);
        // without the preference: by number, host order
        expect(resolvePins(model).pinned.map(l => l.map(i => model.instances[i].name))).toEqual([
            ['b-1', 'b-2'],
            ['b-3', 'b-4'],
            []
        ]);
    });
});
