/**
 * Repeated attributes and repeated `runs = …` in every kind of block: one error on each repeat,
 * at the repeated value (pins the checker's one-walk-per-block scan of the syntax tree to what
 * Langium's per-property search reported).
 */
import { describe, expect, it } from 'vitest';
import { EmptyFileSystem } from 'langium';
import { parseHelper } from 'langium/test';
import { createDcplanServices } from '../../language-server/dcplan-module.js';
import type { PlanFile } from '../../language-server/generated/ast.js';
import { diagnosticLines } from '../helpers/diagnostics.js';

const services = createDcplanServices({ ...EmptyFileSystem });
const parse = parseHelper<PlanFile>(services.Dcplan);

const TEXT = `plan p {
  title = "a"
  title = "b"
  dovecot = "2.4"
  dovecot = "2.3"
  platform = virtual
  platform = virtual
  tolerate_host_failures = 1
  tolerate_host_failures = 1
}
workload w {
  sessions = 10
  sessions = 20
  active_users = 5
  active_users = 5
  proxy = 4 cores
  proxy = 5 cores
}
shape s { role = proxy role = proxy cores = 1 cores = 2 memory = 2 GiB memory = 4 GiB login_processes = 1 login_processes = 2 login_mode = performance login_mode = security }
shape b { role = backend cores = 4 memory = 32 GiB local_disk = 10 GiB local_disk = 20 GiB }
deploy 4 x s
deploy 2 x b
model m { cores = 16 cores = 24 threads_per_core = 2 threads_per_core = 1 memory = 128 GiB memory = 256 GiB numa_nodes = 1 numa_nodes = 2 hypervisor_cores = 2 hypervisor_cores = 2 hypervisor_memory = 16 GiB hypervisor_memory = 8 GiB }
host h1, h[2..3] : m {
  rack = r1
  rack = r2
  cores = 16
  cores = 8
  runs = 1 x s
  runs = 1 x b
  runs = 1 x s
}
host h4 { cores = 8 memory = 64 GiB cores = 8 memory = 64 GiB hypervisor_memory = 4 GiB hypervisor_memory = 4 GiB runs = 2 x s }
`;

describe('repeated attributes', () => {
    it('one duplicate-attribute error per repeat, in every block kind, at the repeated value', async () => {
        const doc = await parse(TEXT, { validation: true });
        const got = (doc.diagnostics ?? [])
            .filter(d => d.code === 'duplicate-attribute')
            .map(
                d =>
                    `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${d.message}`
            );
        expect(got).toEqual([
            '3:11-3:14 title is given twice; the last one counts',
            '5:13-5:18 dovecot is given twice; the last one counts',
            '7:14-7:21 platform is given twice; the last one counts',
            '9:28-9:29 tolerate_host_failures is given twice; the last one counts',
            '13:14-13:16 sessions is given twice; the last one counts',
            '15:18-15:19 active_users is given twice; the last one counts',
            '17:3-17:8 proxy is given twice in workload w',
            '19:31-19:36 role is given twice; the last one counts',
            '19:55-19:56 cores is given twice; the last one counts',
            '19:81-19:86 memory is given twice; the last one counts',
            '19:125-19:126 login_processes is given twice; the last one counts',
            '19:165-19:173 login_mode is given twice; the last one counts',
            '20:85-20:91 local_disk is given twice; the last one counts',
            '23:30-23:32 cores is given twice; the last one counts',
            '23:73-23:74 threads_per_core is given twice; the last one counts',
            '23:101-23:108 memory is given twice; the last one counts',
            '23:137-23:138 numa_nodes is given twice; the last one counts',
            '23:179-23:180 hypervisor_cores is given twice; the last one counts',
            '23:228-23:233 hypervisor_memory is given twice; the last one counts',
            '26:10-26:12 rack is given twice; the last one counts',
            '28:11-28:12 cores is given twice; the last one counts',
            '30:3-30:7 runs is given twice: list every pin in one runs = \u2026',
            '31:3-31:7 runs is given twice: list every pin in one runs = \u2026',
            '33:45-33:46 cores is given twice; the last one counts',
            '33:56-33:62 memory is given twice; the last one counts',
            '33:109-33:114 hypervisor_memory is given twice; the last one counts'
        ]);
    });

    // The checker skips the walk of a block whose text holds as many `=` as its AST has values.
    it('still finds a repeat when a comment or a string adds a = to the block, and reports nothing for them alone', async () => {
        const doc = await parse(
            `plan p {
  title = "a = b" // no repeat: the = of the string sends the block to the walk
}
shape s { role = proxy cores = 1 cores = 2 memory = 2 GiB } # a = in a comment
shape t { role = proxy cores = 1 memory = 2 GiB # cores = 3
}
workload w { proxy = 4 cores director = 2 cores proxy = 4 cores // two = here: a = b
}
`,
            { validation: true }
        );
        const got = (doc.diagnostics ?? []).filter(d => d.code === 'duplicate-attribute');
        expect(diagnosticLines(got)).toEqual([
            'error duplicate-attribute 4:42-4:43 cores is given twice; the last one counts',
            'error duplicate-attribute 7:49-7:54 proxy is given twice in workload w'
        ]);
    });

    it('finds a repeat the parser made by inserting a missing = (a syntax error sends every block to the walk)', async () => {
        const doc = await parse('shape s { cores 1 cores = 2 role = proxy memory = 2 GiB }\n', {
            validation: true
        });
        const got = (doc.diagnostics ?? []).filter(
            d => d.code === 'duplicate-attribute' || d.code === 'syntax-error'
        );
        expect(diagnosticLines(got)).toEqual([
            "error syntax-error 1:17-1:18 unexpected '1': expected '='",
            'error duplicate-attribute 1:27-1:28 cores is given twice; the last one counts'
        ]);
    });
});
