/**
 * The reference plans of `examples/` (copies of shared/examples): every diagnostic and every
 * figure stated in each file's header, checked through the whole pipeline (parse, link,
 * validate, place, report) exactly as `dcplan check --format json` produces it.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import * as path from 'node:path';
import { checkFiles } from '../../language-server/check.js';
import type { PlanReport, ReportDiagnostic } from '../../src/planner/report.js';
import { formatPercent } from '../../src/planner/format.js';
import { diagnosticRange, diagnosticSeverity } from '../helpers/diagnostics.js';

const dir = path.resolve(__dirname, '../../examples');
const reports = new Map<string, PlanReport>();

beforeAll(async () => {
    const names = [
        'seed-reference',
        'seed-recommended',
        'seed-per-host',
        'seed-physical',
        'overcommit',
        'ring-too-large'
    ];
    const checked = await checkFiles(names.map(n => path.join(dir, `${n}.dcplan`)));
    checked.forEach((c, i) => reports.set(names[i], c.report));
});

/** The diagnostics as `severity code line:col-endLine:endCol`, sorted. */
function shape(diags: readonly ReportDiagnostic[]): string[] {
    return diags.map(d => `${diagnosticSeverity(d)} ${d.code} ${diagnosticRange(d)}`).sort();
}

function diag(report: PlanReport, code: string): ReportDiagnostic[] {
    return report.diagnostics.filter(d => d.code === code);
}

function hostCounts(report: PlanReport) {
    return report.hosts.map(h => [
        h.name,
        h.roleCounts.proxy,
        h.roleCounts.director,
        h.roleCounts.backend,
        h.usedCores,
        h.usableCores
    ]);
}

describe("seed-reference.dcplan (the page's sizing moved onto four 24-core hypervisors)", () => {
    it('gives exactly the diagnostics of its header, at the elements that cause them', () => {
        const r = reports.get('seed-reference')!;
        expect(shape(r.diagnostics)).toEqual(
            [
                'error unplaceable 32:1-32:20', // deploy 3 x proxy_4c
                'error unplaceable 33:1-33:23', // deploy 3 x director_4c
                'info backend-split 30:45-30:46', // backend_8c's cores
                'info director-split 29:45-29:46', // director_4c's cores
                'info proxy-split 28:45-28:46', // proxy_4c's cores
                'warning login-idle-cores 28:45-28:46'
            ].sort()
        );
    });

    it('says why the pieces do not fit and which instances stay out', () => {
        const r = reports.get('seed-reference')!;
        const [proxy, director] = diag(r, 'unplaceable');
        for (const d of [proxy, director]) {
            expect(d.message).toContain(
                'the total fits (88 cores deployed, 88 usable), the pieces do not'
            );
            expect(d.message).toContain(
                'every size is a multiple of 4, so a 22-core host holds at most 20'
            );
            expect(d.message).toContain('80 cores placed, 8 unplaced: proxy_4c-3, director_4c-3');
        }
        expect(proxy.message).toMatch(/^cannot place proxy_4c-3 \(4 cores\)/);
        expect(director.message).toMatch(/^cannot place director_4c-3 \(4 cores\)/);
        expect(diag(r, 'login-idle-cores')[0].message).toContain(
            'proxy_4c has 4 cores and 1 login process'
        );
        expect(diag(r, 'proxy-split')[0].message).toContain('3 x 4 cores -> 12 x 1 core');
        expect(diag(r, 'proxy-split')[0].message).toContain('33.3% -> 8.3%');
        expect(diag(r, 'director-split')[0].message).toContain(
            '3 x 4 cores -> 4 x 3 cores (maintenance impact 33.3% -> 25%), 6 x 2 cores offered too'
        );
        expect(diag(r, 'backend-split')[0].message).toContain(
            '8 x 8 cores -> 16 x 4 cores (maintenance impact 12.5% -> 6.3%'
        );
    });

    it('places 80 of 88 cores: every host 2 backends and one proxy or director', () => {
        const r = reports.get('seed-reference')!;
        expect(r.totals).toMatchObject({
            demandCores: 88,
            deployedCores: 88,
            usableCores: 88,
            physicalCores: 96,
            placedCores: 80,
            unplacedCores: 8
        });
        expect(r.unplaced).toEqual([
            { instance: 'proxy_4c-3', shape: 'proxy_4c', cores: 4, memoryGiB: 8 },
            { instance: 'director_4c-3', shape: 'director_4c', cores: 4, memoryGiB: 8 }
        ]);
        expect(r.unplacedReason).toBe('fragmentation');
        for (const h of r.hosts) {
            expect(h.roleCounts.backend).toBe(2);
            expect(h.roleCounts.proxy + h.roleCounts.director).toBe(1);
            expect([h.usedCores, h.usableCores]).toEqual([20, 22]);
        }
        expect(r.hosts.reduce((a, h) => a + h.roleCounts.proxy, 0)).toBe(2);
        expect(r.hostFailure).toBeNull();
    });

    it("has the page's maintenance impacts for 3 x 4, 3 x 4 and 8 x 8", () => {
        const r = reports.get('seed-reference')!;
        expect(formatPercent(r.roles.proxy.maintenanceImpact)).toBe('33.3%');
        expect(formatPercent(r.roles.director.maintenanceImpact)).toBe('33.3%');
        expect(formatPercent(r.roles.backend.maintenanceImpact)).toBe('12.5%');
        expect(r.roles.proxy.demandCores).toBe(12);
        expect(r.roles.backend.demandCores).toBe(64);
    });
});

describe("seed-recommended.dcplan (the page's recommended VM split)", () => {
    it('gives only the host-failure info, on the plan name', () => {
        const r = reports.get('seed-recommended')!;
        expect(shape(r.diagnostics)).toEqual(['info host-failure 11:6-11:17']);
        expect(r.diagnostics[0].message).toBe(
            "no spare capacity to re-place a lost host's instances; N+1 needs 5 hosts"
        );
    });

    it('puts 3 proxies, 1 director and 4 backends on every host, 22 of 22 cores', () => {
        const r = reports.get('seed-recommended')!;
        expect(hostCounts(r)).toEqual([
            ['hv01', 3, 1, 4, 22, 22],
            ['hv02', 3, 1, 4, 22, 22],
            ['hv03', 3, 1, 4, 22, 22],
            ['hv04', 3, 1, 4, 22, 22]
        ]);
        for (const h of r.hosts) {
            expect(h.usedMemoryGiB).toBe(3 * 2 + 6 + 4 * 32);
            expect(h.usableMemoryGiB).toBe(368);
            expect(h.lossImpact).toEqual({
                proxy: 0.25,
                director: 0.25,
                backend: 0.25,
                sessions: 0.25
            });
        }
        expect(r.unplaced).toEqual([]);
    });

    it("has the page's figures: 8.3%, 25%, 6.3%; 88 of 96 cores; N+1 needs 5 hosts", () => {
        const r = reports.get('seed-recommended')!;
        expect(r.roles.proxy).toMatchObject({
            instances: 12,
            cores: 12,
            memoryGiB: 24,
            demandCores: 12,
            hostsUsed: 4,
            maxOnOneHost: 3
        });
        expect(r.roles.director).toMatchObject({
            instances: 4,
            cores: 12,
            demandCores: 12,
            hostsUsed: 4,
            maxOnOneHost: 1
        });
        expect(r.roles.backend).toMatchObject({
            instances: 16,
            cores: 64,
            demandCores: 64,
            hostsUsed: 4,
            maxOnOneHost: 4
        });
        expect(r.roles.proxy.maintenanceImpact).toBeCloseTo(1 / 12, 5);
        expect(
            [r.roles.proxy, r.roles.director, r.roles.backend].map(f =>
                formatPercent(f.maintenanceImpact)
            )
        ).toEqual(['8.3%', '25%', '6.3%']);
        expect(r.totals).toMatchObject({
            demandCores: 88,
            deployedCores: 88,
            usableCores: 88,
            physicalCores: 96,
            placedCores: 88,
            unplacedCores: 0
        });
        expect(r.hostFailure).toEqual({ tolerates: 0, hostsNeededForNPlus1: 5 });
        expect(r.plan).toBe('recommended');
        expect(r.title).toBe('Dovecot recommended VM split on four hypervisors');
    });
});

describe("seed-per-host.dcplan (the page's per-host table written with runs)", () => {
    it('gives only the host-failure info, on the plan name', () => {
        const r = reports.get('seed-per-host')!;
        expect(shape(r.diagnostics)).toEqual(['info host-failure 12:6-12:14']);
        expect(r.diagnostics[0].message).toContain('no spare capacity');
        expect(r.diagnostics[0].message).toContain('N+1 needs 5 hosts');
    });

    it('keeps the placement written by hand: 22 of 22 cores on each host', () => {
        const r = reports.get('seed-per-host')!;
        expect(hostCounts(r)).toEqual([
            ['hv01', 3, 1, 4, 22, 22],
            ['hv02', 3, 1, 4, 22, 22],
            ['hv03', 3, 1, 4, 22, 22],
            ['hv04', 3, 1, 4, 22, 22]
        ]);
        expect(r.hosts[0].instances).toEqual([
            'proxy_1c-1',
            'proxy_1c-2',
            'proxy_1c-3',
            'director_3c-1',
            'backend_4c-1',
            'backend_4c-2',
            'backend_4c-3',
            'backend_4c-4'
        ]);
        expect(r.totals).toMatchObject({ usableCores: 88, physicalCores: 96, placedCores: 88 });
        expect(
            [r.roles.proxy, r.roles.director, r.roles.backend].map(f =>
                formatPercent(f.maintenanceImpact)
            )
        ).toEqual(['8.3%', '25%', '6.3%']);
        for (const h of r.hosts) expect(formatPercent(h.lossImpact.sessions)).toBe('25%');
    });
});

describe('seed-physical.dcplan (one instance per machine)', () => {
    it('has no diagnostics and no hosts', () => {
        const r = reports.get('seed-physical')!;
        expect(r.diagnostics).toEqual([]);
        expect(r.hosts).toEqual([]);
        expect(r.hostFailure).toBeNull();
        expect(r.platform).toBe('physical');
    });

    it('counts 14 instances and 88 cores: 3 x 4, 3 x 4, 8 x 8', () => {
        const r = reports.get('seed-physical')!;
        expect([
            r.roles.proxy.instances,
            r.roles.director.instances,
            r.roles.backend.instances
        ]).toEqual([3, 3, 8]);
        expect([r.roles.proxy.cores, r.roles.director.cores, r.roles.backend.cores]).toEqual([
            12, 12, 64
        ]);
        expect(r.totals).toMatchObject({
            deployedCores: 88,
            usableCores: 88,
            physicalCores: 88,
            placedCores: 88,
            unplacedCores: 0
        });
        expect(
            [r.roles.proxy, r.roles.director, r.roles.backend].map(f =>
                formatPercent(f.maintenanceImpact)
            )
        ).toEqual(['33.3%', '33.3%', '12.5%']);
    });
});

describe('overcommit.dcplan (a host asked to run more than it has)', () => {
    it("gives exactly the header's diagnostics and no host-failure figure", () => {
        const r = reports.get('overcommit')!;
        expect(shape(r.diagnostics)).toEqual(
            [
                'error cpu-overcommit 21:3-21:38', // runs = 2 x proxy_2c, 5 x backend_4c
                'error memory-overcommit 21:3-21:38',
                'info proxy-split 12:43-12:44',
                'info role-concentration 18:6-18:10', // hv01
                'info single-role-host 24:6-24:10', // hv02
                'warning role-on-one-host 18:6-18:10' // hv01
            ].sort()
        );
        expect(r.hostFailure).toBeNull();
    });

    it('gives the numbers of the header', () => {
        const r = reports.get('overcommit')!;
        expect(diag(r, 'cpu-overcommit')[0].message).toMatch(
            /^24 vCPUs pinned on hv01, 22 usable \(24 cores - 2 for the hypervisor\)/
        );
        expect(diag(r, 'memory-overcommit')[0].message).toMatch(
            /^248 GiB pinned on hv01, 112 GiB usable \(128 - 16 GiB for the hypervisor\)/
        );
        expect(diag(r, 'role-on-one-host')[0].message).toContain('both proxies are on hv01');
        expect(diag(r, 'role-concentration')[0].message).toBe(
            'hv01 holds 5 of the 6 backends (3 per host would spread them)'
        );
        expect(diag(r, 'single-role-host')[0].message).toContain('hv02 runs backends only');
        expect(diag(r, 'proxy-split')[0].message).toContain('2 x 2 cores -> 4 x 1 core');
        expect(r.hosts.find(h => h.name === 'hv01')).toMatchObject({
            usedCores: 24,
            usableCores: 22,
            usedMemoryGiB: 248,
            usableMemoryGiB: 112,
            overcommitted: true
        });
    });
});

describe('ring-too-large.dcplan (twelve 1-core directors in one ring)', () => {
    it('warns on the director deployment and gives the host-failure info on the first host', () => {
        const r = reports.get('ring-too-large')!;
        expect(shape(r.diagnostics)).toEqual([
            'info host-failure 20:6-20:14',
            'warning director-ring-too-large 16:1-16:24'
        ]);
        expect(diag(r, 'director-ring-too-large')[0].message).toMatch(
            /^12 directors in ring main, at most 9/
        );
        expect(diag(r, 'director-ring-too-large')[0].message).toContain(
            '4 x 3 cores (12) or 6 x 2 cores (12) carry the 12 cores'
        );
        expect(diag(r, 'host-failure')[0].message).toBe(
            "1 spare core per host cannot take a lost host's 13 cores; N+1 needs 5 hosts"
        );
    });

    it('spreads directors 3/3/3/3, proxies 2/2/2/2, backends 2/2/2/2', () => {
        const r = reports.get('ring-too-large')!;
        expect(hostCounts(r)).toEqual([
            ['hv1', 2, 3, 2, 13, 14],
            ['hv2', 2, 3, 2, 13, 14],
            ['hv3', 2, 3, 2, 13, 14],
            ['hv4', 2, 3, 2, 13, 14]
        ]);
        expect(r.hostFailure).toEqual({ tolerates: 0, hostsNeededForNPlus1: 5 });
    });
});
