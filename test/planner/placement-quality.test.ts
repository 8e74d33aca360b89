/**
 * Placement quality on the benchmark's generated plans (bench/generate.ts), the heuristic alone
 * (no exact fallback), in `measure`'s terms (src/planner/exact.ts): the best spread wherever the
 * exact optimum (HiGHS, `npm run bench`) reaches it, the ejection chains on plans whose spread
 * cannot reach 0, the totals over the whole set, and the spread, mix and racks of generated
 * larger plans (so that a change made for speed cannot make any of them worse unnoticed).
 */
import { describe, expect, it } from 'vitest';
import { measure, type PlacementMeasures } from '../../src/planner/exact.js';
import { place } from '../../src/planner/placement.js';
import type { PlanModel } from '../../src/planner/model.js';
import { generate, qualitySet, toModel } from '../../bench/generate.js';
import { buildPlan } from './fixtures.js';

const set = qualitySet(100);
const plan = (seed: number): PlanModel => set.find(p => p.spec.seed === seed)!.model;

/** The measures the objective ranks, in its order (plus what is deployed). */
function ranked(
    model: PlanModel
): Pick<
    PlacementMeasures,
    'placedCores' | 'deployedCores' | 'spread' | 'singleRole' | 'missingRoles' | 'maxUtil'
> {
    const m = measure(model, place(model, { exactFallback: false }));
    return {
        placedCores: m.placedCores,
        deployedCores: m.deployedCores,
        spread: m.spread,
        singleRole: m.singleRole,
        missingRoles: m.missingRoles,
        maxUtil: m.maxUtil
    };
}

/**
 * Seeds of `qualitySet(100)` where the exact optimum places every core with no role above
 * ⌈n/h⌉ on any host (spread excess 0), as `npm run bench` found them (36 plans).
 */
const SPREAD_ZERO_POSSIBLE = [
    1000, 1001, 1003, 1004, 1006, 1010, 1012, 1014, 1016, 1020, 1021, 1022, 1024, 1029, 1030, 1031,
    1032, 1034, 1036, 1038, 1050, 1053, 1056, 1057, 1058, 1061, 1070, 1072, 1074, 1076, 1080, 1084,
    1086, 1089, 1090, 1091
];

describe('spread on the quality set', () => {
    it('1053 (11 hosts, 78 instances, 95% load) and 1090 (7 hosts, 47 instances, 85% load) reach spread 0 like the exact optimum (they ended one over ⌈n/h⌉)', () => {
        expect(ranked(plan(1053))).toEqual({
            placedCores: 320,
            deployedCores: 320,
            spread: 0,
            singleRole: 0,
            missingRoles: 3,
            maxUtil: 1
        });
        expect(ranked(plan(1090))).toEqual({
            placedCores: 158,
            deployedCores: 158,
            spread: 0,
            singleRole: 0,
            missingRoles: 2,
            maxUtil: 1
        });
    });

    it('reaches spread 0 with every core placed on all 36 plans where the exact optimum does', () => {
        expect(SPREAD_ZERO_POSSIBLE).toHaveLength(36);
        const missed = SPREAD_ZERO_POSSIBLE.filter(seed => {
            const m = ranked(plan(seed));
            return m.spread !== 0 || m.placedCores !== m.deployedCores;
        });
        expect(missed).toEqual([]);
    });

    it("ejection chains bring the forced excess down to the exact optimum's: 1023 to 3, 1051 to 9", () => {
        expect(ranked(plan(1023))).toEqual({
            placedCores: 239,
            deployedCores: 239,
            spread: 3,
            singleRole: 0,
            missingRoles: 1,
            maxUtil: 1
        });
        expect(ranked(plan(1051))).toEqual({
            placedCores: 335,
            deployedCores: 335,
            spread: 9,
            singleRole: 0,
            missingRoles: 0,
            maxUtil: 1
        });
    });
});

describe('the whole quality set', () => {
    it('places every core in 96 of the 100 plans, with spread excess 242, 1 single-role host and 213 missing roles in all (roles − distinct roles, every host), and the busiest host full in 59', () => {
        let allPlaced = 0,
            spread = 0,
            singleRole = 0,
            missingRoles = 0,
            full = 0;
        for (const { model } of set) {
            const m = ranked(model);
            if (m.placedCores === m.deployedCores) allPlaced++;
            spread += m.spread;
            singleRole += m.singleRole;
            missingRoles += m.missingRoles;
            if (m.maxUtil >= 1 - 1e-9) full++;
        }
        expect({ allPlaced, spread, singleRole, missingRoles, full }).toEqual({
            allPlaced: 96,
            spread: 242,
            singleRole: 1,
            missingRoles: 213,
            full: 59
        });
    });
});

describe('large generated plans (seed 3, 85% load, two shapes per role)', () => {
    it('2,000 hosts, 14,330 instances: spread 0, no single-role host, 101 missing roles — the least mix a placement with spread 0 can have (configuration LP over the four host models)', () => {
        const model = toModel(generate({ seed: 3, hosts: 2000, load: 0.85, shapesPerRole: 2 }));
        expect(model.instances).toHaveLength(14_330);
        expect(ranked(model)).toEqual({
            placedCores: 47_785,
            deployedCores: 47_785,
            spread: 0,
            singleRole: 0,
            missingRoles: 101,
            maxUtil: 1
        });
    });

    it('100 hosts, 631 instances: spread 4, no single-role host, 27 missing roles', () => {
        const model = toModel(generate({ seed: 3, hosts: 100, load: 0.85, shapesPerRole: 2 }));
        expect(ranked(model)).toEqual({
            placedCores: 2390,
            deployedCores: 2390,
            spread: 4,
            singleRole: 0,
            missingRoles: 27,
            maxUtil: 1
        });
    });

    it('10,000 hosts, 77,357 instances: every core placed, spread 4737, no single-role host, 2460 missing roles', () => {
        const model = toModel(generate({ seed: 3, hosts: 10_000, load: 0.85, shapesPerRole: 2 }));
        expect(model.instances).toHaveLength(77_357);
        expect(ranked(model)).toEqual({
            placedCores: 238_097,
            deployedCores: 238_097,
            spread: 4737,
            singleRole: 0,
            missingRoles: 2460,
            maxUtil: 1
        });
    });
});

describe('generated plans in racks (seed 9, 85% load, two shapes per role, 4 racks)', () => {
    /** `ranked` plus the rack excess (the memos of the search key rack counts too). */
    const withRacks = (model: PlanModel) => {
        const m = measure(model, place(model, { exactFallback: false }));
        return {
            placedCores: m.placedCores,
            deployedCores: m.deployedCores,
            spread: m.spread,
            singleRole: m.singleRole,
            missingRoles: m.missingRoles,
            racks: m.racks,
            maxUtil: m.maxUtil
        };
    };

    it('60 hosts, 442 instances: spread 0, no single-role host, 3 missing roles, rack excess 6', () => {
        const model = toModel(
            generate({ seed: 9, hosts: 60, load: 0.85, shapesPerRole: 2, racks: 4 })
        );
        expect(model.instances).toHaveLength(442);
        expect(withRacks(model)).toEqual({
            placedCores: 1466,
            deployedCores: 1466,
            spread: 0,
            singleRole: 0,
            missingRoles: 3,
            racks: 6,
            maxUtil: 21 / 22
        });
    });

    it('300 hosts, 1,636 instances: spread 0, no single-role host, 45 missing roles, rack excess 14', () => {
        const model = toModel(
            generate({ seed: 9, hosts: 300, load: 0.85, shapesPerRole: 2, racks: 4 })
        );
        expect(model.instances).toHaveLength(1636);
        expect(withRacks(model)).toEqual({
            placedCores: 6964,
            deployedCores: 6964,
            spread: 0,
            singleRole: 0,
            missingRoles: 45,
            racks: 14,
            maxUtil: 29 / 30
        });
    });
});

describe('more hosts than pieces of each role (a newcomer plan)', () => {
    // 1-core proxies and 4-core backends, n of each, on h hosts of 6 usable vCPUs: a proxy and a
    // backend fit on every host, so n hosts run both and the rest stay empty (an empty host
    // counts as single-role, rule 4). The proxies, placed last, went to the empty hosts first
    // (the most room): 400 of 500 hosts ran one role where the optimum has none.
    const mix = (n: number, hosts: number) =>
        ranked(
            buildPlan({
                shapes: [
                    { name: 'px', role: 'proxy', cores: 1, memoryGiB: 2 },
                    { name: 'be', role: 'backend', cores: 4, memoryGiB: 16 }
                ],
                deploy: [
                    [n, 'px'],
                    [n, 'be']
                ],
                hosts: [
                    {
                        names: Array.from({ length: hosts }, (_, i) => `h${i + 1}`),
                        cores: 8,
                        memoryGiB: 64,
                        hypervisorCores: 2,
                        hypervisorMemoryGiB: 4
                    }
                ]
            })
        );
    it.each([
        [60, 100],
        [300, 500]
    ])('%i of each on %i hosts: every host that runs a role runs both', (n, hosts) => {
        expect(mix(n, hosts)).toMatchObject({
            placedCores: 5 * n,
            spread: 0,
            singleRole: hosts - n,
            missingRoles: 2 * (hosts - n)
        });
    });
});
