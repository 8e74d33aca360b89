/**
 * Plan reports for the renderer's tests, with the figures of the seed examples' headers
 * (seed-recommended: 4 hosts × 22/22 cores, 3/1/4 per host; seed-reference: 8 cores unplaced).
 */
import type { HostFigures, PlanReport, RoleFigures } from '../../src/planner/report.js';

function role(
    instances: number,
    cores: number,
    memoryGiB: number,
    shape: string,
    demand: number | null,
    hostsUsed: number,
    maxOnOneHost: number,
    unplacedCores = 0
): RoleFigures {
    return {
        instances,
        cores: instances * cores,
        memoryGiB: instances * memoryGiB,
        demandCores: demand,
        maintenanceImpact: instances > 0 ? 1 / instances : 0,
        hostsUsed,
        maxOnOneHost,
        unplacedCores,
        shapes: [{ shape, instances, cores, memoryGiB }]
    };
}

function host(
    name: string,
    instances: string[],
    usedCores: number,
    usedMemoryGiB: number,
    loss: HostFigures['lossImpact']
): HostFigures {
    const roleCounts = { proxy: 0, director: 0, backend: 0 };
    for (const i of instances)
        roleCounts[
            i.startsWith('proxy') ? 'proxy' : i.startsWith('director') ? 'director' : 'backend'
        ]++;
    return {
        name,
        usableCores: 22,
        usedCores,
        usableMemoryGiB: 368,
        usedMemoryGiB,
        vcpus: 24,
        hypervisorCores: 2,
        hypervisorMemoryGiB: 16,
        memoryGiB: 384,
        rack: null,
        instances,
        roleCounts,
        lossImpact: loss,
        overcommitted: false
    };
}

export function recommendedReport(): PlanReport {
    const hosts: HostFigures[] = [];
    for (let h = 0; h < 4; h++) {
        const inst = [
            ...[1, 2, 3].map(k => `proxy_1c-${h * 3 + k}`),
            `director_3c-${h + 1}`,
            ...[1, 2, 3, 4].map(k => `backend_4c-${h * 4 + k}`)
        ];
        hosts.push(
            host(`hv0${h + 1}`, inst, 22, 3 * 2 + 6 + 4 * 32, {
                proxy: 0.25,
                director: 0.25,
                backend: 0.25,
                sessions: 0.25
            })
        );
    }
    return {
        file: 'file:///work/examples/seed-recommended.dcplan',
        plan: 'recommended',
        title: 'Dovecot recommended VM split on four hypervisors',
        platform: 'virtual',
        diagnostics: [
            {
                code: 'host-failure',
                severity: 'info',
                line: 11,
                column: 6,
                endLine: 11,
                endColumn: 17,
                message: 'The plan survives 0 host losses; N+1 needs 5 hosts.'
            }
        ],
        roles: {
            proxy: role(12, 1, 2, 'proxy_1c', 12, 4, 3),
            director: role(4, 3, 6, 'director_3c', 12, 4, 1),
            backend: role(16, 4, 32, 'backend_4c', 64, 4, 4)
        },
        hosts,
        unplaced: [],
        unplacedReason: null,
        totals: {
            demandCores: 88,
            deployedCores: 88,
            usableCores: 88,
            physicalCores: 96,
            placedCores: 88,
            unplacedCores: 0,
            deployedMemoryGiB: 24 + 24 + 512,
            usableMemoryGiB: 4 * 368
        },
        hostFailure: { tolerates: 0, hostsNeededForNPlus1: 5 }
    };
}

export function referenceReport(): PlanReport {
    const hosts: HostFigures[] = [
        host('hv01', ['proxy_4c-1', 'backend_8c-1', 'backend_8c-2'], 20, 8 + 128, {
            proxy: 1 / 3,
            director: 0,
            backend: 0.25,
            sessions: 1 / 3
        }),
        host('hv02', ['proxy_4c-2', 'backend_8c-3', 'backend_8c-4'], 20, 8 + 128, {
            proxy: 1 / 3,
            director: 0,
            backend: 0.25,
            sessions: 1 / 3
        }),
        host('hv03', ['director_4c-1', 'backend_8c-5', 'backend_8c-6'], 20, 8 + 128, {
            proxy: 0,
            director: 1 / 3,
            backend: 0.25,
            sessions: 0.25
        }),
        host('hv04', ['director_4c-2', 'backend_8c-7', 'backend_8c-8'], 20, 8 + 128, {
            proxy: 0,
            director: 1 / 3,
            backend: 0.25,
            sessions: 0.25
        })
    ];
    return {
        file: 'file:///work/examples/seed-reference.dcplan',
        plan: 'reference',
        title: 'Dovecot reference sizing on four hypervisors',
        platform: 'virtual',
        diagnostics: [
            {
                code: 'unplaceable',
                severity: 'error',
                line: 30,
                column: 1,
                endLine: 30,
                endColumn: 20,
                message: '1 proxy_4c instance (4 cores) cannot be placed: proxy_4c-3'
            },
            {
                code: 'unplaceable',
                severity: 'error',
                line: 31,
                column: 1,
                endLine: 31,
                endColumn: 23,
                message: '1 director_4c instance (4 cores) cannot be placed: director_4c-3'
            },
            {
                code: 'login-idle-cores',
                severity: 'warning',
                line: 26,
                column: 45,
                endLine: 26,
                endColumn: 46,
                message: 'proxy_4c has 4 cores but 1 login process'
            },
            {
                code: 'proxy-split',
                severity: 'info',
                line: 26,
                column: 45,
                endLine: 26,
                endColumn: 46,
                message: '3 x 4 cores -> 12 x 1 core'
            }
        ],
        roles: {
            proxy: role(3, 4, 8, 'proxy_4c', 12, 2, 1, 4),
            director: role(3, 4, 8, 'director_4c', 12, 2, 1, 4),
            backend: role(8, 8, 64, 'backend_8c', 64, 4, 2)
        },
        hosts,
        unplaced: [
            { instance: 'proxy_4c-3', shape: 'proxy_4c', cores: 4, memoryGiB: 8 },
            { instance: 'director_4c-3', shape: 'director_4c', cores: 4, memoryGiB: 8 }
        ],
        unplacedReason: 'fragmentation',
        fragmentationProved: true,
        totals: {
            demandCores: 88,
            deployedCores: 88,
            usableCores: 88,
            physicalCores: 96,
            placedCores: 80,
            unplacedCores: 8,
            deployedMemoryGiB: 24 + 24 + 512,
            usableMemoryGiB: 4 * 368
        },
        hostFailure: null
    };
}

/** A plan with `n` hosts, for the large-plan rendering test. */
export function largeReport(n: number): PlanReport {
    const base = recommendedReport();
    const hosts: HostFigures[] = [];
    for (let i = 0; i < n; i++)
        hosts.push({ ...base.hosts[i % 4], name: `h${String(i).padStart(5, '0')}` });
    return { ...base, hosts };
}
