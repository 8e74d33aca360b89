/**
 * Host failure (spec, "Host failure"): tolerated losses by re-placing, N+1 host count.
 */
import { describe, expect, it } from 'vitest';
import { place } from '../../src/planner/placement.js';
import {
    explainHostFailure,
    hostFailure,
    hostsNeededForNPlus1,
    toleratedHostLosses,
    withCopiesOfLargestHost
} from '../../src/planner/figures.js';
import { computeFigures } from '../../src/planner/figures.js';
import { ROLES } from '../../src/planner/model.js';
import { buildPlan, names, ringTooLarge, seedRecommended } from './fixtures.js';
import { HOST_FAILURE_WORK, WorkBudget, hostFailureWork } from '../../src/planner/host-failure.js';
import { checkPlan } from '../../src/planner/rules.js';
import { formatNPlus1, formatTolerates } from '../../src/planner/format.js';
import { adversarialModel, adversarialPlan } from '../../bench/adversarial.js';

const backend = { name: 'backend_4c', role: 'backend' as const, cores: 4, memoryGiB: 8 };

describe('tolerates', () => {
    it('is 1 when the others can take any one host but not any two', () => {
        // 6 × 4c on 3 hosts of 12: 8 used, 4 spare each; one lost: 8 cores into 4 + 4
        const m = buildPlan({
            shapes: [backend],
            deploy: [[6, 'backend_4c']],
            hosts: [{ names: names('h', 1, 3), cores: 12, memoryGiB: 64 }]
        });
        const p = place(m);
        expect(hostFailure(m, p)).toEqual({ tolerates: 1, hostsNeededForNPlus1: 3 });
        expect(explainHostFailure(m, p)).toMatchObject({ host: -1, minSpareCores: 4 });
    });

    it('a plan that deploys nothing has no host-failure figures (no loss costs anything) and no finding', () => {
        const m = buildPlan({
            shapes: [backend],
            deploy: [],
            hosts: [{ names: ['h1'], cores: 12, memoryGiB: 64 }]
        });
        const p = place(m);
        expect(hostFailure(m, p)).toBeNull();
        expect(explainHostFailure(m, p)).toBeNull();
        const f = computeFigures(m, p);
        expect(f.hostFailure).toBeNull();
        expect(checkPlan({ model: m, placement: p, figures: f }).map(x => x.code)).toEqual([
            'unused-shape'
        ]);
    });

    it('a plan that survives two losses holds N+2 with its own hosts', () => {
        const m = buildPlan({
            shapes: [backend],
            deploy: [[4, 'backend_4c']],
            hosts: [{ names: names('h', 1, 4), cores: 16, memoryGiB: 64 }]
        });
        const hf = hostFailure(m, place(m))!;
        expect(hf).toEqual({ tolerates: 2, hostsNeededForNPlus1: 4 });
        expect(`tolerates ${formatTolerates(hf)}; ${formatNPlus1(hf)}`).toBe(
            "tolerates 2 host losses; N+2 holds with the plan's 4 hosts"
        );
    });

    it('is 2 when any two hosts can go', () => {
        const m = buildPlan({
            shapes: [backend],
            deploy: [[4, 'backend_4c']],
            hosts: [{ names: names('h', 1, 4), cores: 16, memoryGiB: 64 }]
        });
        expect(toleratedHostLosses(m, place(m))).toBe(2);
    });

    it('is 2 by re-placing when too few hosts have room for the largest instance to settle it at once', () => {
        // h1 runs an 8-core backend (2 spare), h2–h6 two 1-core proxies each (8 spare): only 5 hosts
        // have room for 8 cores, fewer than 2 lost hosts' 4 instances + 2; each pair still re-places
        const m = buildPlan({
            shapes: [
                { name: 'backend_8c', role: 'backend', cores: 8, memoryGiB: 8 },
                { name: 'proxy_1c', role: 'proxy', cores: 1, memoryGiB: 1 }
            ],
            deploy: [
                [1, 'backend_8c'],
                [10, 'proxy_1c']
            ],
            hosts: [{ names: names('h', 1, 6), cores: 10, memoryGiB: 64 }]
        });
        const p = place(m);
        expect(p.byHost.map(l => l.length).sort()).toEqual([1, 2, 2, 2, 2, 2]);
        expect(toleratedHostLosses(m, p)).toBe(2);
    });

    it('re-places pieces instead of comparing totals', () => {
        // 3 spare cores on each of 3 other hosts (9 in all) cannot take one 4-core backend + 2c
        const m = buildPlan({
            shapes: [backend, { name: 'proxy_2c', role: 'proxy', cores: 2, memoryGiB: 2 }],
            deploy: [
                [4, 'backend_4c'],
                [4, 'proxy_2c']
            ],
            hosts: [{ names: names('h', 1, 4), cores: 9, memoryGiB: 64 }]
        });
        const p = place(m);
        expect(p.byHost.every(l => l.length === 2)).toBe(true);
        expect(toleratedHostLosses(m, p)).toBe(0);
    });

    it('counts memory too', () => {
        const m = buildPlan({
            shapes: [{ name: 'backend_1c', role: 'backend', cores: 1, memoryGiB: 60 }],
            deploy: [[2, 'backend_1c']],
            hosts: [{ names: names('h', 1, 2), cores: 16, memoryGiB: 100 }]
        });
        expect(hostFailure(m, place(m))).toEqual({ tolerates: 0, hostsNeededForNPlus1: 3 });
    });

    it('stays fast on thousands of alike hosts', () => {
        const m = buildPlan({
            shapes: [backend],
            deploy: [[4000, 'backend_4c']],
            hosts: [{ names: names('h', 1, 2000, 4), cores: 12, memoryGiB: 64 }]
        });
        const p = place(m);
        const t = performance.now();
        expect(hostFailure(m, p)).toEqual({ tolerates: 2, hostsNeededForNPlus1: 2000 });
        expect(performance.now() - t).toBeLessThan(1000);
    });
});

describe('N+1', () => {
    it('needs 5 hosts for the recommended split and for ring-too-large', () => {
        expect(hostsNeededForNPlus1(seedRecommended())).toBe(5);
        expect(hostsNeededForNPlus1(ringTooLarge())).toBe(5);
    });

    it('adds copies of the largest host, without pins', () => {
        const m = withCopiesOfLargestHost(seedRecommended(), 2);
        expect(m.hosts.map(h => h.name)).toEqual([
            'hv01',
            'hv02',
            'hv03',
            'hv04',
            'hv01+1',
            'hv01+2'
        ]);
        expect(m.hosts[5].pins).toEqual([]);
        expect(m.hosts[5].usableCores).toBe(22);
    });

    it('the 5-host placement of the recommended split survives any one loss', () => {
        const m = withCopiesOfLargestHost(seedRecommended(), 1);
        const p = place(m);
        expect(p.unplaced).toEqual([]);
        expect(toleratedHostLosses(m, p, 1)).toBe(1);
    });
});

describe('N+2, when tolerate_host_failures = 2 is not met', () => {
    // 124 vCPUs on hosts of 22 usable: N+1 needs ⌈124 / 22⌉ + 1 = 7 hosts, N+2 8
    const plan = (hosts: number) =>
        buildPlan({
            settings: { tolerateHostFailures: 2 },
            shapes: [
                { name: 'px', role: 'proxy', cores: 2, memoryGiB: 4, loginProcesses: 2 },
                { name: 'dr', role: 'director', cores: 4, memoryGiB: 8, loginProcesses: 4 },
                { name: 'be', role: 'backend', cores: 8, memoryGiB: 32 }
            ],
            deploy: [
                [10, 'px'],
                [6, 'dr'],
                [10, 'be']
            ],
            hosts: [
                {
                    names: names('hv', 1, hosts),
                    cores: 24,
                    memoryGiB: 128,
                    hypervisorCores: 2,
                    hypervisorMemoryGiB: 8
                }
            ]
        });
    const messages = (m: ReturnType<typeof plan>) => {
        const p = place(m);
        return checkPlan({ model: m, placement: p, figures: computeFigures(m, p) })
            .filter(x => x.code === 'host-failure')
            .map(x => [x.message, x.data]);
    };

    it('6 hosts survive no loss: N+1 needs 7 hosts, N+2 needs 8', () => {
        const m = plan(6);
        const hf = hostFailure(m, place(m))!;
        expect(hf).toEqual({
            tolerates: 0,
            hostsNeededForNPlus1: 7,
            nPlusAsked: { losses: 2, hosts: 8 }
        });
        expect(formatNPlus1(hf)).toBe('N+1 needs 7 hosts; N+2 needs 8 hosts');
        expect(messages(m)).toEqual([
            [
                "the plan tolerates 0 host losses, 2 asked: the other hosts' 8 spare cores cannot take hv01's 22 cores; N+1 needs 7 hosts; N+2 needs 8 hosts",
                { tolerates: 0, asked: 2, hostsNeededForNPlus1: 7, hostsNeededForAsked: 8 }
            ]
        ]);
    });

    it('7 hosts survive one loss: N+1 holds, N+2 needs 8 (the message gives N+2 only)', () => {
        const m = plan(7);
        const hf = hostFailure(m, place(m))!;
        expect(formatNPlus1(hf)).toBe("N+1 holds with the plan's 7 hosts; N+2 needs 8 hosts");
        expect(messages(m).map(([text]) => text)).toEqual([
            "the plan tolerates 1 host loss, 2 asked: two lost hosts' instances (up to 44 cores and 152 GiB) do not all fit the spare capacity of the others (0–10 spare cores and 44–80 GiB per host); N+2 needs 8 hosts"
        ]);
    });

    it('8 hosts survive two: no N+2 figure, no finding', () => {
        const m = plan(8);
        expect(hostFailure(m, place(m))).toEqual({ tolerates: 2, hostsNeededForNPlus1: 8 });
        expect(messages(m)).toEqual([]);
    });

    it('one loss asked: no N+2 figure', () => {
        const m = { ...plan(6), settings: { ...plan(6).settings, tolerateHostFailures: 1 } };
        expect(hostFailure(m, place(m))).toEqual({ tolerates: 0, hostsNeededForNPlus1: 7 });
    });
});

describe('placing for tolerate_host_failures', () => {
    // a generated plan (seed 627) where the plain placement does not survive every single loss
    const spec = (tolerate: number) =>
        buildPlan({
            settings: { tolerateHostFailures: tolerate },
            shapes: [
                { name: 'proxy_4c', role: 'proxy', cores: 4, memoryGiB: 8 },
                { name: 'director_2c', role: 'director', cores: 2, memoryGiB: 4 },
                { name: 'director_3c', role: 'director', cores: 3, memoryGiB: 6 },
                { name: 'backend_8c', role: 'backend', cores: 8, memoryGiB: 64 }
            ],
            deploy: [
                [4, 'proxy_4c'],
                [2, 'director_2c'],
                [3, 'director_3c'],
                [10, 'backend_8c']
            ],
            hosts: [
                { names: 'h1', cores: 16, memoryGiB: 128 },
                { names: 'h2', cores: 32, memoryGiB: 384 },
                { names: 'h3', cores: 48, memoryGiB: 512 },
                { names: 'h4', cores: 32, memoryGiB: 384 },
                { names: 'h5', cores: 16, memoryGiB: 128 },
                { names: 'h6', cores: 32, memoryGiB: 384 }
            ].map(h => ({ ...h, hypervisorCores: 2, hypervisorMemoryGiB: 16 }))
        });

    it('moves pieces until any single host loss re-places, without worse spread or mix', () => {
        const plain = spec(0),
            asked = spec(1);
        const p0 = place(plain),
            p1 = place(asked);
        expect(toleratedHostLosses(plain, p0, 1)).toBe(0);
        expect(p1.unplaced).toEqual([]);
        expect(toleratedHostLosses(asked, p1, 1)).toBe(1);
        const f0 = computeFigures(plain, p0),
            f1 = computeFigures(asked, p1);
        for (const role of ROLES)
            expect(f1.roles[role].maxOnOneHost).toBeLessThanOrEqual(f0.roles[role].maxOnOneHost);
        expect(place(asked)).toEqual(p1);
    });
});

describe('bounded work (issue 13)', () => {
    // two 8-core/64 GiB hosts, one 16-core/16 GiB host (the largest by cores), 4 backends of
    // 4 cores and 32 GiB: the backends never fit a copy of `big`, so copies of it never help
    const n1 = buildPlan({
        settings: { tolerateHostFailures: 1 },
        shapes: [{ name: 'be', role: 'backend', cores: 4, memoryGiB: 32 }],
        deploy: [[4, 'be']],
        hosts: [
            { names: ['a1', 'a2'], cores: 8, memoryGiB: 64 },
            { names: 'big', cores: 16, memoryGiB: 16 }
        ]
    });

    it('says N+1 cannot be reached by adding copies of the largest host when that is so', () => {
        const p = place(n1);
        expect(hostFailure(n1, p)).toEqual({
            tolerates: 0,
            hostsNeededForNPlus1: 3,
            nPlus1Bound: 'unreachable',
            copiesOf: 'big'
        });
        expect(hostsNeededForNPlus1(n1, p)).toBeNull();
        const f = computeFigures(n1, p);
        expect(
            checkPlan({ model: n1, placement: p, figures: f })
                .filter(x => x.code === 'host-failure')
                .map(x => x.message)
        ).toEqual([
            "the plan tolerates 0 host losses, 1 asked: the other hosts' 16 GiB of spare memory cannot take a1's 64 GiB; N+1 cannot be reached by adding copies of big"
        ]);
        expect(formatNPlus1(f.hostFailure!)).toBe('N+1 cannot be reached by adding copies of big');
    });

    it('still counts copies when they can take every instance', () => {
        // the same with 16 GiB backends: two copies of big hold them
        const m = {
            ...n1,
            instances: n1.instances.map(i => ({ ...i, memoryGiB: 16 })),
            shapes: n1.shapes.map(s => ({ ...s, memoryGiB: 16 }))
        };
        expect(hostFailure(m, place(m))).toEqual({ tolerates: 0, hostsNeededForNPlus1: 4 });
    });

    it('shares one budget between the searches and says "at least" when it runs out', () => {
        // an adversarial plan (bench/adversarial.ts, seed 118: 16 mixed near-full hosts, odd
        // sizes, tolerate 2) whose re-placement searches need more than the budget
        const m = adversarialModel(adversarialPlan(118));
        const p = place(m);
        const hf = hostFailure(m, p)!;
        expect(hf).toEqual({
            tolerates: 0,
            hostsNeededForNPlus1: 17,
            nPlus1Bound: 'at-least',
            copiesOf: 'hv1',
            nPlusAsked: { losses: 2, hosts: 17, bound: 'at-least', copiesOf: 'hv1' }
        });
        const work = hostFailureWork(m, p)!;
        expect(work).toBeGreaterThanOrEqual(HOST_FAILURE_WORK);
        // at most one step (one exact search or one placement re-run) over the budget
        expect(work).toBeLessThan(2 * HOST_FAILURE_WORK);
        // computed once: asking again (figures, then the rule's explanation) does no more work
        explainHostFailure(m, p);
        expect(hostFailureWork(m, p)).toBe(work);
        const f = computeFigures(m, p);
        expect(
            checkPlan({ model: m, placement: p, figures: f }).find(x => x.code === 'host-failure')
                ?.message
        ).toMatch(/; N\+1 needs at least 17 hosts; N\+2 needs at least 17 hosts$/);
    });

    it('says "not proven" when the budget runs out before a loss count is decided', () => {
        const hf = { tolerates: 1, hostsNeededForNPlus1: 5, toleratesBound: 'at-least' as const };
        expect(formatTolerates(hf)).toBe('at least 1 host loss (2 not proven)');
        expect(
            formatNPlus1({ tolerates: 0, hostsNeededForNPlus1: 7, nPlus1Bound: 'at-least' })
        ).toBe('N+1 needs at least 7 hosts');
        // a budget of no work decides nothing beyond the shortcut
        const m = buildPlan({
            shapes: [backend],
            deploy: [[6, 'backend_4c']],
            hosts: [{ names: names('h', 1, 3), cores: 12, memoryGiB: 64 }]
        });
        const p = place(m);
        expect(toleratedHostLosses(m, p, 2)).toBe(1);
        expect(toleratedHostLosses(m, p, 2, new WorkBudget(0))).toBe(0);
    });

    it('does the same work on every run (counted, not timed)', () => {
        const m = adversarialModel(adversarialPlan(70));
        const a = place(m),
            b = place(m);
        expect(b).toEqual(a);
        expect(hostFailure(m, b)).toEqual(hostFailure(m, a));
        expect(hostFailureWork(m, b)).toBe(hostFailureWork(m, a));
    });
});
