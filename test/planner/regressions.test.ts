/**
 * Placement regressions of issue 15 (test/fixtures/placement-regressions/, from
 * `npm run bench:quality -- --fixtures`): plans on which dcplan once missed a target. Each plan
 * listed here is checked against the figures of the bench's own MILP optimum (expected.json):
 * everything placed where the optimum places all, as many cores as the optimum where it does not
 * (with the exact fallback loaded, as the CLI and the server run), and the same objective value
 * (cores placed, spread, mix, racks, busiest host) in the block orders that once differed. Where
 * the optimum places all, the levels before the busiest host (spread, single-role hosts, missing
 * roles, rack excess) must be the optimum's (or better where the optimum's are not proved), and
 * then the busiest host at most 3 points above the optimum's (issue 15's target), except for
 * the plans of LEVELS_NOT_REACHED. Plans that still miss a target are not listed (see
 * bench/quality/FINDINGS.md).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enableExactFallback } from '../../src/planner/exact-fallback.js';
import { place, setPlacementFallback } from '../../src/planner/placement.js';
import type { PlanModel } from '../../src/planner/model.js';
import { checkFiles, nodeServices } from '../../language-server/check.js';
import { planText, qualityPlans, type QualityPlan } from '../../bench/quality/plans.js';
import { objectiveOfPlacement, type Objective } from '../../bench/quality/measure.js';

const DIR = path.resolve(__dirname, '../fixtures/placement-regressions');

interface Expected {
    readonly fails: readonly string[];
    readonly deployedCores: number;
    /** The optimum's placed vCPUs (an incumbent where `proved.placedCores` is false: a lower bound). */
    readonly placedCores: number;
    readonly full: boolean;
    /** The optimum's levels where it places all (null: not reached within its time limit). */
    readonly spread: number | null;
    readonly singleRole: number | null;
    readonly missingRoles: number | null;
    readonly racks: number | null;
    /** The busiest host's utilisation (0–1) of the optimum; an incumbent where not proved. */
    readonly maxUtil: number | null;
    /** Which levels of the optimum are proved. */
    readonly proved: { readonly placedCores?: boolean };
    readonly permutationOrdersThatDiffer: readonly (readonly number[])[];
}
const expected = JSON.parse(fs.readFileSync(path.join(DIR, 'expected.json'), 'utf8')) as Record<
    string,
    Expected
>;

/** Plans that still miss a target; FINDINGS.md says why. Everything else in expected.json is tested. */
const STILL_FAILING: Record<string, string> = {};

/**
 * Full plans whose spread, mix or racks (or busiest host) the placement does not reach yet: their
 * levels are not asserted (the other targets are). FINDINGS.md says why.
 */
const LEVELS_NOT_REACHED: Record<string, string> = {
    q_heavy_39: 'spread 2 against 1: no exchange among up to four hosts lowers it',
    q_near_full_8: 'spread 15 reached, missing roles 1 against 0',
    q_mixed_hosts_31: 'single-role hosts 9 against 5 (23 hosts: sets of four are not tried)',
    q_pins_racks_34:
        'rack excess 1 against 0: the roles walk reaches 0 with 150,000 moves, not 60,000',
    q_issue_38: 'spread 4 against 3 (18 hosts: sets of four are not tried)',
    q_issue_39: 'spread 5 against 4',
    q_small_hosts_1: 'single-role hosts 10 against 8 (40 hosts)',
    q_small_hosts_48: 'single-role hosts 15 against 9 (40 hosts)'
};

/** Busiest-host gap to the optimum allowed, in points (issue 15's target). */
const GAP_POINTS = 3;

/**
 * How the spread / mix / racks levels of a placement compare with the optimum's, in the spec's
 * order; a level the optimum did not reach (null) ends the comparison.
 */
function levelsVersusOptimum(h: Objective, e: Expected): 'same' | 'worse' | 'better' {
    const hv = [h.spread, h.singleRole, h.missingRoles, h.racks],
        ov = [e.spread, e.singleRole, e.missingRoles, e.racks];
    for (let k = 0; k < hv.length; k++) {
        const o = ov[k];
        if (o === null) return 'same';
        if (hv[k] > o) return 'worse';
        if (hv[k] < o) return 'better';
    }
    return 'same';
}

const services = nodeServices();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-regressions-'));
const plans = new Map<string, QualityPlan>(qualityPlans(50).map(p => [p.name, p]));

async function modelOf(name: string, text: string): Promise<PlanModel> {
    const file = path.join(tmp, `${name}.dcplan`);
    fs.writeFileSync(file, text);
    const [c] = await checkFiles([file], services);
    return services.Dcplan.analysis.PlanAnalyzer.analyze(c.document).built.model;
}

beforeAll(async () => {
    expect(await enableExactFallback()).toBe(true);
});
afterAll(() => {
    setPlacementFallback(undefined);
    fs.rmSync(tmp, { recursive: true, force: true });
});

describe('placement regressions of issue 15', () => {
    const names = Object.keys(expected).filter(n => !(n in STILL_FAILING));

    it("covers every fixture file, and the fixtures are the generator's plans", () => {
        const files = fs
            .readdirSync(DIR)
            .filter(f => f.endsWith('.dcplan'))
            .map(f => f.slice(0, -'.dcplan'.length))
            .sort();
        expect(files).toEqual(Object.keys(expected).sort());
        for (const name of files)
            expect(
                fs
                    .readFileSync(path.join(DIR, `${name}.dcplan`), 'utf8')
                    .endsWith(planText(plans.get(name)!))
            ).toBe(true);
        for (const name of Object.keys(LEVELS_NOT_REACHED)) expect(expected[name]?.full).toBe(true);
        expect(names.length).toBeGreaterThanOrEqual(
            files.length - Object.keys(STILL_FAILING).length
        );
    });

    for (const name of names) {
        const e = expected[name];
        const levels =
            e.full && !(name in LEVELS_NOT_REACHED)
                ? `, spread/mix/racks of the optimum, busiest host ≤ ${GAP_POINTS} points above`
                : '';
        it(`${name}: ${e.full ? `all ${e.deployedCores} cores placed` : `at least ${e.placedCores} of ${e.deployedCores} cores placed`}${levels}, the same objective in ${e.permutationOrdersThatDiffer.length + 1} block orders`, async () => {
            const p = plans.get(name)!;
            const model = await modelOf(
                name,
                fs.readFileSync(path.join(DIR, `${name}.dcplan`), 'utf8')
            );
            // with the exact fallback, as the CLI and the server
            const placement = place(model);
            const withFallback = objectiveOfPlacement(model, placement);
            if (e.full) {
                expect(withFallback.placedCores).toBe(e.deployedCores);
                if (!(name in LEVELS_NOT_REACHED)) {
                    // spread, mix and racks as the optimum (better only where it is not proved),
                    // then the busiest host within GAP_POINTS of it
                    const rel = levelsVersusOptimum(withFallback, e);
                    expect(rel).not.toBe('worse');
                    if (rel === 'same' && e.maxUtil !== null)
                        expect(100 * (withFallback.maxUtil - e.maxUtil)).toBeLessThanOrEqual(
                            GAP_POINTS + 1e-9
                        );
                }
            } else {
                expect(withFallback.placedCores).toBeGreaterThanOrEqual(e.placedCores);
                // and the message can say it was proved: the fallback's bound is the optimum's
                if (e.proved.placedCores) expect(placement.placedCoresBound).toBe(e.placedCores);
            }
            // block order: place alone, the file order against the orders that once differed
            const alone = objectiveOfPlacement(model, place(model, { exactFallback: false }));
            for (const [k, order] of e.permutationOrdersThatDiffer.entries()) {
                const other = await modelOf(`${name}-${k}`, planText(p, order));
                expect(objectiveOfPlacement(other, place(other, { exactFallback: false }))).toEqual(
                    alone
                );
            }
        }, 120_000);
    }
});
