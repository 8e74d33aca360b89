/**
 * One mistake, one diagnostic (newcomers' findings): a decimal in a host's whole-number
 * attribute is its error and leaves the host out (no `no-hypervisor-reserve`, no cores counted
 * as unreserved); the unplaceable message and the report's `unplacedReason` say the same thing;
 * a keyword written as a name is one "reserved word" error, never a `multiple-plans` or a second
 * syntax error made by error recovery; `numa_nodes` is bounded by the host's cores; a host whose
 * hypervisor reserve leaves nothing is left out as one with an invalid value.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkFiles } from '../../language-server/check.js';
import { diagnosticLines } from '../helpers/diagnostics.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-recovery-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let counter = 0;
/** Checks `text` as a file of its own; its diagnostics as `severity code L:C-L:C message`, and its report. */
async function check(text: string) {
    const file = path.join(dir, `plan${++counter}.dcplan`);
    fs.writeFileSync(file, text);
    const [checked] = await checkFiles([file]);
    return { lines: diagnosticLines(checked.report.diagnostics), report: checked.report };
}

const WORK = `shape b { role = backend cores = 4 memory = 16 GiB }
deploy 2 x b
`;

describe('a decimal where a whole number belongs, on a host', () => {
    it('hypervisor_cores = 2.5: the error at the value, the host left out, no no-hypervisor-reserve', async () => {
        const { lines, report } = await check(
            WORK +
                `host hv01 { cores = 24 memory = 128 GiB hypervisor_cores = 2.5 hypervisor_memory = 8 GiB }
host hv02 { cores = 24 memory = 128 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }
host hv03 { cores = 24 memory = 128 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }
`
        );
        expect(lines).toEqual([
            "error invalid-number 3:60-3:63 hypervisor_cores: '2.5' is not a whole number"
        ]);
        // hv01's 24 cores are not counted as usable without a reserve: the host is not there
        expect(report.hosts.map(h => [h.name, h.usableCores])).toEqual([
            ['hv02', 22],
            ['hv03', 22]
        ]);
        expect([report.totals.usableCores, report.totals.physicalCores]).toEqual([44, 48]);
    });

    it('a decimal in threads_per_core, numa_nodes or hypervisor_memory of a model leaves its hosts out too', async () => {
        const { lines, report } = await check(
            WORK +
                `model m { cores = 16 memory = 64 GiB threads_per_core = 1.5 }
host hv01 : m { hypervisor_cores = 2 hypervisor_memory = 4 GiB }
host hv02 { cores = 16 memory = 64 GiB numa_nodes = 2.5 hypervisor_cores = 2 hypervisor_memory = 4 GiB }
host hv03 { cores = 16 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }
`
        );
        expect(lines).toEqual([
            "error invalid-number 3:57-3:60 threads_per_core: '1.5' is not a whole number",
            "error invalid-number 5:53-5:56 numa_nodes: '2.5' is not a whole number",
            'warning role-on-one-host 6:6-6:10 both backends are on hv03: losing it takes the whole backend layer (the page, "Allocating Virtual Instances on Physical Machines")',
            'info host-failure 6:6-6:10 a single host: losing it loses all 8 cores; N+1 needs 2 hosts'
        ]);
        expect(report.hosts.map(h => h.name)).toEqual(['hv03']);
    });

    it('a single host with 1 core placed: "loses its 1 core", not "all 1 cores"', async () => {
        const { lines } = await check(
            `shape p { role = proxy cores = 1 memory = 1 GiB }
deploy 1 x p
host h1 { cores = 8 memory = 16 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB }
`
        );
        expect(lines.filter(l => l.includes('host-failure'))).toEqual([
            'info host-failure 3:6-3:8 a single host: losing it loses its 1 core; N+1 needs 2 hosts'
        ]);
    });

    it('cores = 24.5 on the only host: unplaceable and the report both say the total is short, and why', async () => {
        const { lines, report } = await check(
            WORK +
                'host hv01 { cores = 24.5 memory = 128 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }\n'
        );
        expect(lines).toEqual([
            'error unplaceable 2:1-2:13 cannot place b-1, b-2 (8 cores): the total is short: 8 cores deployed, 0 usable: no host is valid (the host block has errors); 0 cores placed, 8 unplaced: b-1, b-2',
            "error invalid-number 3:21-3:25 cores: '24.5' is not a whole number"
        ]);
        expect(report.unplacedReason).toBe('total-short');
    });

    it('a host left out beside valid ones is named in the reason', async () => {
        const { lines, report } = await check(
            `shape b { role = backend cores = 4 memory = 16 GiB }
deploy 4 x b
host hv01 { cores = 24.5 memory = 128 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }
host hv02 { cores = 6 memory = 128 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }
`
        );
        expect(lines.filter(l => l.includes(' unplaceable '))).toEqual([
            'error unplaceable 2:1-2:13 cannot place b-2, b-3, b-4 (12 cores): the total is short: 16 cores deployed, 4 usable (1 host block left out for errors in its values); 4 cores placed, 12 unplaced: b-2, b-3, b-4'
        ]);
        expect(report.unplacedReason).toBe('total-short');
    });

    it('memory 4 MiB short: the figures in MiB, where GiB would print one number twice', async () => {
        const { lines } = await check(
            `shape be { role = backend cores = 4 memory = 1025 MiB }
deploy 4 x be
host h1, h2 { cores = 8 memory = 2 GiB hypervisor_cores = 0 hypervisor_memory = 0 GiB }
`
        );
        expect(lines.filter(l => l.includes(' unplaceable '))).toEqual([
            'error unplaceable 2:1-2:14 cannot place be-3, be-4 (8 cores): the total is short: 4100 MiB deployed, 4096 MiB usable; 8 cores placed, 8 unplaced: be-3, be-4'
        ]);
    });

    it('memory keeps the last piece out: the reason says no host with its cores free has its GiB', async () => {
        const { lines, report } = await check(
            `shape px { role = proxy cores = 1 memory = 2 GiB }
shape be { role = backend cores = 4 memory = 30 GiB }
deploy 2 x px
deploy 3 x be
host h1, h2 { cores = 16 memory = 50 GiB hypervisor_cores = 0 hypervisor_memory = 0 GiB }
`
        );
        expect(lines.filter(l => l.includes(' unplaceable '))).toEqual([
            'error unplaceable 4:1-4:14 cannot place be-3 (4 cores): the total fits (14 cores deployed, 32 usable), but the planner did not fit all the pieces (not proved impossible): no host with 4 cores free has 30 GiB free for be-3; 10 cores placed, 4 unplaced: be-3'
        ]);
        expect(report.unplacedReason).toBe('fragmentation');
    });

    it('overcommit on a host without a reserve: the usable figures, not repeated in brackets', async () => {
        const { lines } = await check(
            `shape be { role = backend cores = 4 memory = 16 GiB }
deploy 3 x be
host h1 { cores = 8 memory = 32 GiB hypervisor_cores = 0 hypervisor_memory = 0 GiB runs = 3 x be }
`
        );
        expect(lines.filter(l => l.includes('overcommit'))).toEqual([
            'error cpu-overcommit 3:84-3:97 12 vCPUs pinned on h1, 8 usable: no overcommitment of resources (the page)',
            'error memory-overcommit 3:84-3:97 48 GiB pinned on h1, 32 GiB usable: no overcommitment of resources (the page)'
        ]);
    });

    it('memory overcommitted by 4 MiB: pinned and usable in MiB, where GiB would print one number twice', async () => {
        const { lines } = await check(
            `shape be { role = backend cores = 1 memory = 1025 MiB }
deploy 4 x be
host h1 { cores = 8 memory = 5 GiB hypervisor_cores = 0 hypervisor_memory = 1 GiB runs = 4 x be }
`
        );
        expect(lines.filter(l => l.includes('overcommit'))).toEqual([
            'error memory-overcommit 3:83-3:96 4100 MiB pinned on h1, 4096 MiB usable (5 - 1 GiB for the hypervisor): no overcommitment of resources (the page)'
        ]);
    });

    it('a piece larger than every host says so first, not "holds at most 0"', async () => {
        const { lines } = await check(
            `shape be { role = backend cores = 16 memory = 16 GiB }
deploy 1 x be
host h1, h2, h3 { cores = 14 memory = 64 GiB hypervisor_cores = 0 hypervisor_memory = 0 GiB }
`
        );
        expect(lines.filter(l => l.includes(' unplaceable '))).toEqual([
            "error unplaceable 2:1-2:14 cannot place be-1 (16 cores): be-1 needs 16 vCPUs, more than any host's 14 usable; the total fits (16 cores deployed, 42 usable), the pieces do not; 0 cores placed, 16 unplaced: be-1"
        ]);
    });

    it('where the total is short too, the piece no host holds comes first; one that fits no host in both dimensions says so', async () => {
        const short = await check(
            `shape px { role = proxy cores = 2 memory = 4 GiB }
shape huge { role = backend cores = 40 memory = 8 GiB }
deploy 15 x px
deploy 1 x huge
host h[1..3] { cores = 22 memory = 64 GiB hypervisor_cores = 0 hypervisor_memory = 0 GiB }
`
        );
        expect(short.lines.filter(l => l.includes(' unplaceable '))).toEqual([
            "error unplaceable 4:1-4:16 cannot place huge-1 (40 cores): huge-1 needs 40 vCPUs, more than any host's 22 usable; the total is short: 70 cores deployed, 66 usable; 30 cores placed, 40 unplaced: huge-1"
        ]);
        const both = await check(
            `shape be { role = backend cores = 16 memory = 100 GiB }
deploy 1 x be
host wide { cores = 32 memory = 64 GiB hypervisor_cores = 0 hypervisor_memory = 0 GiB }
host deep { cores = 8 memory = 256 GiB hypervisor_cores = 0 hypervisor_memory = 0 GiB }
`
        );
        expect(both.lines.filter(l => l.includes(' unplaceable '))).toEqual([
            'error unplaceable 2:1-2:14 cannot place be-1 (16 cores): no host has both 16 vCPUs and 100 GiB usable for be-1; the total fits (16 cores deployed, 40 usable), the pieces do not; 0 cores placed, 16 unplaced: be-1'
        ]);
    });
});

describe('numa_nodes against the cores', () => {
    it('more NUMA nodes than cores, or nodes that do not share the cores evenly: an error at numa_nodes, the host left out, no numa-span', async () => {
        const { lines, report } = await check(
            WORK +
                `model m { cores = 8 memory = 64 GiB numa_nodes = 64 }
host hv01 : m { hypervisor_cores = 2 hypervisor_memory = 4 GiB }
host hv02 { cores = 8 memory = 64 GiB numa_nodes = 64 hypervisor_cores = 2 hypervisor_memory = 4 GiB }
host hv03 { cores = 24 memory = 128 GiB numa_nodes = 5 hypervisor_cores = 2 hypervisor_memory = 4 GiB }
host hv04 { cores = 24 memory = 128 GiB numa_nodes = 3 hypervisor_cores = 2 hypervisor_memory = 4 GiB }
host hv05 { cores = 24 memory = 128 GiB numa_nodes = 2 hypervisor_cores = 2 hypervisor_memory = 4 GiB }
`
        );
        expect(lines).toEqual([
            "error invalid-number 3:50-3:52 numa_nodes (64) is more than the host's 8 cores: each NUMA node has at least one core",
            "error invalid-number 5:52-5:54 numa_nodes (64) is more than the host's 8 cores: each NUMA node has at least one core",
            "error invalid-number 6:54-6:55 numa_nodes (5) does not divide the host's 24 cores: NUMA nodes share a host's cores evenly"
        ]);
        expect(report.hosts.map(h => h.name)).toEqual(['hv04', 'hv05']);
    });

    it("a host's own cores against its model's numa_nodes: said at the host's cores", async () => {
        const { lines } = await check(
            `model m { cores = 16 memory = 64 GiB numa_nodes = 4 }
host hv01 : m { cores = 2 hypervisor_cores = 1 hypervisor_memory = 4 GiB }
`
        );
        expect(lines).toEqual([
            "error invalid-number 2:25-2:26 numa_nodes (4) is more than the host's 2 cores: each NUMA node has at least one core"
        ]);
    });
});

describe('a hypervisor reserve that leaves nothing for instances', () => {
    // the newcomer's plan: host a's reserve is more than its cores; as with an invalid
    // numa_nodes, the host is left out of the table, the physical cores and the N+1 count
    const PROXIES = `shape px { role = proxy cores = 1 memory = 2 GiB }
deploy 2 x px
`;
    const OTHERS = `host b, c { cores = 12 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }
`;
    it.each([
        [
            'hypervisor_cores = 6 of 4 cores',
            'host a { cores = 4 memory = 8 GiB hypervisor_cores = 6 hypervisor_memory = 4 GiB }',
            'error invalid-number 3:54-3:55 hypervisor_cores (6) leaves no vCPU of the 4 for instances'
        ],
        [
            'hypervisor_cores = 8 of 4 cores x 2 threads',
            'host a { cores = 4 threads_per_core = 2 memory = 8 GiB hypervisor_cores = 8 hypervisor_memory = 4 GiB }',
            'error invalid-number 3:75-3:76 hypervisor_cores (8) leaves no vCPU of the 8 for instances'
        ],
        [
            'hypervisor_memory = 8 GiB of 8 GiB',
            'host a { cores = 4 memory = 8 GiB hypervisor_cores = 1 hypervisor_memory = 8 GiB }',
            'error invalid-number 3:76-3:81 hypervisor_memory (8 GiB) leaves no memory of the 8 GiB for instances'
        ],
        [
            'numa_nodes = 8 of 4 cores (as before)',
            'host a { cores = 4 memory = 8 GiB numa_nodes = 8 hypervisor_cores = 1 hypervisor_memory = 4 GiB }',
            "error invalid-number 3:48-3:49 numa_nodes (8) is more than the host's 4 cores: each NUMA node has at least one core"
        ]
    ])('%s: the host left out of the figures', async (_, host, error) => {
        const { lines, report } = await check(PROXIES + host + '\n' + OTHERS);
        expect(lines).toEqual([error]);
        expect(report.hosts.map(h => [h.name, h.usableCores, h.usableMemoryGiB])).toEqual([
            ['b', 10, 60],
            ['c', 10, 60]
        ]);
        expect([report.totals.usableCores, report.totals.physicalCores]).toEqual([20, 24]);
        expect(report.hostFailure?.hostsNeededForNPlus1).toBe(2);
    });

    it('a model whose reserve leaves nothing leaves its hosts out (the error on the model)', async () => {
        const { lines, report } = await check(
            PROXIES +
                `model m { cores = 4 memory = 8 GiB hypervisor_cores = 4 hypervisor_memory = 2 GiB }
host a : m {}
${OTHERS}`
        );
        expect(lines).toEqual([
            'error invalid-number 3:55-3:56 hypervisor_cores (4) leaves no vCPU of the 4 for instances'
        ]);
        expect(report.hosts.map(h => h.name)).toEqual(['b', 'c']);
        expect(report.totals.physicalCores).toBe(24);
    });
});

describe('a keyword written as a name: one error, no recovery artefact', () => {
    it.each([
        [
            'plan plan {\n  title = "x"\n}\n',
            "error syntax-error 1:6-1:10 'plan' is a reserved word and cannot be a name"
        ],
        [
            'host host {}\n',
            "error syntax-error 1:6-1:10 'host' is a reserved word and cannot be a name"
        ],
        [
            'shape shape {}\n',
            "error syntax-error 1:7-1:12 'shape' is a reserved word and cannot be a name"
        ],
        [
            'workload workload { sessions = 1 }\n',
            "error syntax-error 1:10-1:18 'workload' is a reserved word and cannot be a name"
        ],
        [
            'model model { cores = 2 }\n',
            "error syntax-error 1:7-1:12 'model' is a reserved word and cannot be a name"
        ],
        ['deploy deploy\n', "error syntax-error 1:8-1:14 unexpected 'deploy': expected a number"],
        [
            'host x, y {}\n',
            "error syntax-error 1:6-1:7 'x' is a reserved word and cannot be a name"
        ],
        [
            'host hv01 { rack = cores }\n',
            "error syntax-error 1:20-1:25 'cores' is a reserved word and cannot be a name"
        ],
        [
            'host hv01 { rack = "r1" }\n',
            'error syntax-error 1:20-1:24 a name is written without quotes: r1, not "r1"'
        ]
    ])('%j', async (text, expected) => {
        expect((await check(text)).lines).toEqual([expected]);
    });

    it('`plan plan { … }` keeps what the block says; a second real plan is still multiple-plans', async () => {
        const one = await check('plan plan {\n  title = "EU"\n  platform = physical\n}\n');
        expect(one.report.title).toBe('EU');
        expect(one.report.platform).toBe('physical');
        const two = await check('plan p {}\nplan plan {}\n');
        expect(two.lines).toEqual([
            "error syntax-error 2:6-2:10 'plan' is a reserved word and cannot be a name",
            'error multiple-plans 2:6-2:13 at most one plan block per file (the first is p)'
        ]);
    });

    it('`deploy deploy` before a deployment: one error, the next deployment still read', async () => {
        const { lines, report } = await check(
            WORK +
                'deploy deploy\ndeploy 1 x b\nhost hv01 { cores = 24 memory = 128 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }\n'
        );
        expect(lines.filter(l => l.includes('syntax-error'))).toEqual([
            "error syntax-error 3:8-3:14 unexpected 'deploy': expected a number"
        ]);
        expect(report.roles.backend.instances).toBe(3);
    });
});
