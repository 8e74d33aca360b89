/**
 * Planning from the lock (issue 12, day 2): the moves are those that must happen, no more, and
 * each move is there for a stated reason. Exact instance names and hosts.
 */
import { describe, expect, it } from 'vitest';
import { place } from '../../src/planner/placement.js';
import { planPlacement } from '../../src/planner/incremental.js';
import { parseLock, serialiseLock, type Lock } from '../../src/planner/lock.js';
import type { PlanModel } from '../../src/planner/model.js';
import { buildPlan, dualSocket, seedRecommendedSpec, type PlanSpec } from './fixtures.js';

/** seed-recommended.dcplan on `hosts` of its 24-core hosts (22 usable), with `extra` in place of parts of it. */
function seed(hosts: number, extra: Partial<PlanSpec> = {}): PlanModel {
    return buildPlan({ ...seedRecommendedSpec(hosts), ...extra });
}

/** The model with `drain = true` on the named hosts. */
function drained(model: PlanModel, ...names: string[]): PlanModel {
    return {
        ...model,
        hosts: model.hosts.map(h => (names.includes(h.name) ? { ...h, drain: true } : h))
    };
}

/** The lock `dcplan lock` writes for `model` as planned from nothing. */
function lockOf(model: PlanModel): Lock {
    return parseLock(serialiseLock(model, place(model), 'seed-recommended.dcplan', '0.1.0'));
}

/** The moves of `planned` (planned for `model`) as `instance: from -> to (reason)`. */
const movesIn = (model: PlanModel, planned: ReturnType<typeof planPlacement>) =>
    planned.delta!.moves.map(
        m =>
            `${model.instances[m.instance].name}: ${m.from} -> ${model.hosts[m.to].name} (${m.reason})`
    );
const movesOf = (model: PlanModel, lock: Lock) => movesIn(model, planPlacement(model, lock));

describe('seed-recommended locked on its four hosts', () => {
    const four = seed(4);
    const lock = lockOf(four);

    it('keeps every instance when a fifth host is added (0 moves)', () => {
        const five = seed(5);
        const planned = planPlacement(five, lock);
        expect(planned.delta!.moves).toEqual([]);
        expect(planned.placement.unplaced).toEqual([]);
        expect(planned.placement.byHost[4]).toEqual([]);
    });

    it('moves exactly the 8 instances of hv02 to hv05 when hv02 is drained, none else', () => {
        const five = drained(seed(5), 'hv02');
        expect([...lock.placement].filter(([, h]) => h === 'hv02').map(([i]) => i)).toEqual([
            'backend_4c-5',
            'backend_4c-6',
            'backend_4c-7',
            'backend_4c-8',
            'director_3c-2',
            'proxy_1c-4',
            'proxy_1c-5',
            'proxy_1c-6'
        ]);
        expect(movesOf(five, lock)).toEqual([
            'proxy_1c-4: hv02 -> hv05 (drained)',
            'proxy_1c-5: hv02 -> hv05 (drained)',
            'proxy_1c-6: hv02 -> hv05 (drained)',
            'director_3c-2: hv02 -> hv05 (drained)',
            'backend_4c-5: hv02 -> hv05 (drained)',
            'backend_4c-6: hv02 -> hv05 (drained)',
            'backend_4c-7: hv02 -> hv05 (drained)',
            'backend_4c-8: hv02 -> hv05 (drained)'
        ]);
    });
});

describe('what must move, and only that', () => {
    const four = seed(4);
    const lock = lockOf(four);

    it('moves nothing when the plan is unchanged', () => {
        expect(planPlacement(four, lock).delta!.moves).toEqual([]);
    });

    it('re-places the instances of a host that is gone, and says the lock names it', () => {
        const three = buildPlan({
            ...seedRecommendedSpec(4),
            hosts: [dualSocket(['hv01', 'hv03', 'hv04', 'hv05'])]
        });
        const planned = planPlacement(three, lock);
        expect(planned.delta!.goneHosts).toEqual(['hv02']);
        expect(movesIn(three, planned)).toEqual([
            'proxy_1c-4: hv02 -> hv05 (host-gone)',
            'proxy_1c-5: hv02 -> hv05 (host-gone)',
            'proxy_1c-6: hv02 -> hv05 (host-gone)',
            'director_3c-2: hv02 -> hv05 (host-gone)',
            'backend_4c-5: hv02 -> hv05 (host-gone)',
            'backend_4c-6: hv02 -> hv05 (host-gone)',
            'backend_4c-7: hv02 -> hv05 (host-gone)',
            'backend_4c-8: hv02 -> hv05 (host-gone)'
        ]);
    });

    it('removes instances no longer deployed and places new ones without moving the rest', () => {
        // 10 proxies instead of 12 (proxy_1c-11, -12 removed), 2 more backends on a fifth host
        const changed = seed(5, {
            deploy: [
                [10, 'proxy_1c'],
                [4, 'director_3c'],
                [18, 'backend_4c']
            ]
        });
        const planned = planPlacement(changed, lock);
        expect(planned.delta!.removed).toEqual(['proxy_1c-11', 'proxy_1c-12']);
        expect(planned.delta!.moves).toEqual([]);
        const hostOf = (name: string) =>
            changed.hosts[
                planned.placement.hostOf[changed.instances.findIndex(i => i.name === name)]
            ].name;
        expect([hostOf('backend_4c-17'), hostOf('backend_4c-18')]).toEqual(['hv05', 'hv05']);
        expect(planned.placement.unplaced).toEqual([]);
    });

    it('re-places the instances whose shape changed size; only those that no longer fit change host', () => {
        // backends grow to 5 cores: 3 proxies + 1 director + 3 x 5 = 21 of 22 cores stay, the 4th leaves
        const spec = seedRecommendedSpec(6);
        const grown = buildPlan({
            ...spec,
            shapes: spec.shapes.map(s => (s.name === 'backend_4c' ? { ...s, cores: 5 } : s))
        });
        const planned = planPlacement(grown, lock);
        expect(movesIn(grown, planned)).toEqual([
            'backend_4c-4: hv01 -> hv05 (resized)',
            'backend_4c-8: hv02 -> hv06 (resized)',
            'backend_4c-12: hv03 -> hv05 (resized)',
            'backend_4c-16: hv04 -> hv06 (resized)'
        ]);
        expect(planned.placement.unplaced).toEqual([]);
    });

    it('spends rebalance_moves on mix and balance, best first, and no more than asked', () => {
        // a fifth host that runs one pinned proxy: proxy_1c-1 (the lowest number) goes there
        const spec = seedRecommendedSpec(4);
        const withHv05: PlanSpec = {
            ...spec,
            hosts: [...spec.hosts!, { ...dualSocket(['hv05']), runs: [[1, 'proxy_1c']] }]
        };
        const five = buildPlan({ ...withHv05, settings: { rebalanceMoves: 2 } });
        const planned = planPlacement(five, lock);
        expect(planned.delta!.rebalanced).toBe(2);
        expect(movesIn(five, planned)).toEqual([
            'proxy_1c-1: hv01 -> hv05 (pinned)',
            // hv05 runs only a proxy: a backend there mixes it (a 4-core piece lowers the load most)
            'backend_4c-5: hv02 -> hv05 (rebalance)',
            // then the busiest hosts (hv03, hv04 at 22 of 22) give one more
            'backend_4c-9: hv03 -> hv05 (rebalance)'
        ]);
        const none = planPlacement(buildPlan(withHv05), lock);
        expect(none.delta!.moves.map(m => m.reason)).toEqual(['pinned']);
    });

    it('spends rebalance_moves on a host added empty (an empty host counts as single-role, as in rule 4)', () => {
        // a newcomer's day 2: a host added, rebalance_moves set, and nothing moved to it
        const spec = seedRecommendedSpec(4);
        const five = buildPlan({
            ...spec,
            hosts: [...spec.hosts!, dualSocket(['hv05'])],
            settings: { rebalanceMoves: 3 }
        });
        const planned = planPlacement(five, lock);
        // first a proxy (hv05 gains a role and hv02 keeps its proxies; its one director moved
        // would take a role from hv02: no fewer roles missing from hosts), then backends from
        // the busiest hosts
        expect(movesIn(five, planned)).toEqual([
            'proxy_1c-4: hv02 -> hv05 (rebalance)',
            'backend_4c-1: hv01 -> hv05 (rebalance)',
            'backend_4c-9: hv03 -> hv05 (rebalance)'
        ]);
    });
});
