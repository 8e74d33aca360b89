/**
 * Bad input gets a clear error at the right line and column, the rest of the file is still
 * checked, and nothing crashes or hangs (issue 2, "Done when").
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { EmptyFileSystem, URI } from 'langium';
import { parseHelper } from 'langium/test';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createDcplanServices } from '../../language-server/dcplan-module.js';
import type { PlanFile } from '../../language-server/generated/ast.js';
import { checkFiles, nodeServices } from '../../language-server/check.js';
import { diagnosticRange } from '../helpers/diagnostics.js';

const services = createDcplanServices({ ...EmptyFileSystem });
const parse = parseHelper<PlanFile>(services.Dcplan);

/** Validates `text` and returns its diagnostics as `code line:col-line:col message` (1-based). */
async function check(
    text: string
): Promise<{ code: string; at: string; message: string; severity: number }[]> {
    const doc = await parse(text, { validation: true });
    return (doc.diagnostics ?? []).map((d: Diagnostic) => ({
        code: String(d.code),
        at: diagnosticRange(d),
        message: d.message,
        severity: d.severity ?? 1
    }));
}

const errors = (ds: Awaited<ReturnType<typeof check>>) => ds.filter(d => d.severity === 1);
/** The diagnostics of `code` as `line:col-line:col message`. */
const withCode = (ds: Awaited<ReturnType<typeof check>>, code: string) =>
    ds.filter(d => d.code === code).map(d => `${d.at} ${d.message}`);

const HOSTS =
    'host hv[1..2] { cores = 16 memory = 128 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }\n';

describe('bad input', () => {
    it('a binary file opened in an editor: one error at its first NUL, nothing else', async () => {
        // bytes as a client decodes them: NULs and replacement characters among some text
        const ds = await check('shape px {\n  \uFFFD\u0001 x\u0000\u0000\uFFFD deploy\n}\n');
        expect(ds).toEqual([
            {
                code: 'syntax-error',
                at: '2:7-2:8',
                message:
                    'contains a NUL byte at line 2, column 7: not a text file, so it is not checked as a plan',
                severity: 1
            }
        ]);
    });

    it('a size without a unit: says which unit was probably meant, on the value', async () => {
        const ds = await check(
            'shape p { role = proxy cores = 1 memory = 2 }\ndeploy 4 x p\n' + HOSTS
        );
        expect(errors(ds)).toEqual([
            {
                code: 'size-unit',
                at: '1:43-1:44',
                severity: 1,
                message:
                    "memory needs a unit: did you mean '2 GiB'? (MiB, GiB, TiB, or decimal MB, GB, TB)"
            }
        ]);
    });

    it('zero and negative cores: an error on the number; the rest of the file is still checked', async () => {
        const ds = await check(
            'shape p { role = proxy cores = 0 memory = 2 GiB }\nshape b { role = backend cores = -4 memory = 8 GiB }\nshape q { role = proxy cores = 2 memory = 2 GiB }\ndeploy 3 x q\n' +
                HOSTS
        );
        expect(errors(ds).map(d => [d.code, d.at, d.message])).toEqual([
            ['invalid-number', '1:32-1:33', 'cores must be a positive whole number (0 given)'],
            ['invalid-number', '2:34-2:36', 'cores must be a positive whole number (-4 given)']
        ]);
        // The valid part is still checked: the 2-core proxies get their split advice.
        expect(ds.map(d => d.code)).toContain('proxy-split');
    });

    it('a reversed host range: an error on the range', async () => {
        const ds = await check('host hv[04..01] { cores = 8 memory = 16 GiB }\n');
        expect(errors(ds)).toEqual([
            {
                code: 'host-range',
                at: '1:6-1:16',
                severity: 1,
                message: 'the range hv[04..01] is reversed: it names no host (write hv[01..04])'
            }
        ]);
    });

    it('an empty host range: a syntax error where the bound is missing', async () => {
        const ds = await check(
            'host hv[] { cores = 8 memory = 16 GiB }\nshape s { role = proxy cores = 1 memory = 1 GiB }\n'
        );
        const e = errors(ds);
        expect(e.length).toBeGreaterThan(0);
        expect(e[0].code).toBe('syntax-error');
        expect(e[0].at.startsWith('1:9')).toBe(true);
    });

    it('a count of 0: an error on the count', async () => {
        const ds = await check(
            'shape p { role = proxy cores = 1 memory = 2 GiB }\ndeploy 0 x p\n' + HOSTS
        );
        expect(errors(ds)).toEqual([
            {
                code: 'invalid-number',
                at: '2:8-2:9',
                severity: 1,
                message: 'count must be a positive whole number (0 given)'
            }
        ]);
    });

    it('a count too large to handle: an error on the number, at once (no hang)', async () => {
        const ds = await check(
            'shape p { role = proxy cores = 1 memory = 2 GiB }\ndeploy 5M x p\n' + HOSTS
        );
        expect(errors(ds)).toEqual([
            {
                code: 'limit-exceeded',
                at: '2:8-2:10',
                severity: 1,
                message: 'at most 1,000,000 instances in a deployment (5,000,000 given)'
            }
        ]);
    });

    it('a host range too large: an error on the range', async () => {
        const ds = await check('host h[1..200000] { cores = 8 memory = 16 GiB }\n');
        expect(errors(ds).map(d => [d.code, d.at])).toEqual([['limit-exceeded', '1:6-1:18']]);
    });

    it('an unknown role: lists the valid ones', async () => {
        const ds = await check('shape p { role = proxi cores = 1 memory = 2 GiB }\n');
        expect(errors(ds)).toEqual([
            {
                code: 'invalid-value',
                at: '1:18-1:23',
                severity: 1,
                message: "unknown role 'proxi': proxy, director or backend"
            }
        ]);
    });

    it('an unknown shape name: unresolved-name on the reference', async () => {
        const ds = await check(
            'shape p { role = proxy cores = 1 memory = 2 GiB }\ndeploy 2 x p\ndeploy 2 x q\n' +
                HOSTS
        );
        expect(errors(ds)).toEqual([
            { code: 'unresolved-name', at: '3:12-3:13', severity: 1, message: "unknown shape 'q'" }
        ]);
    });

    it('a duplicate name: an error on the second', async () => {
        const ds = await check(
            'shape p { role = proxy cores = 1 memory = 2 GiB }\nshape p { role = proxy cores = 1 memory = 4 GiB }\ndeploy 2 x p\n' +
                HOSTS
        );
        expect(errors(ds).filter(d => d.code === 'duplicate-name')).toEqual([
            {
                code: 'duplicate-name',
                at: '2:7-2:8',
                severity: 1,
                message: "duplicate shape name 'p'"
            }
        ]);
    });

    it('a duplicate host name across a range and a list', async () => {
        const ds = await check(
            'host hv[1..3] { cores = 8 memory = 16 GiB }\nhost hv2 { cores = 8 memory = 16 GiB }\n'
        );
        expect(errors(ds)).toEqual([
            {
                code: 'duplicate-name',
                at: '2:6-2:9',
                severity: 1,
                message: "duplicate host name 'hv2'"
            }
        ]);
    });

    it('a shape missing its role, cores or memory', async () => {
        const ds = await check('shape p { cores = 1 }\n');
        expect(errors(ds)).toEqual([
            {
                code: 'missing-attribute',
                at: '1:7-1:8',
                severity: 1,
                message: 'shape p needs role, memory'
            }
        ]);
    });

    it('an empty file: no diagnostic, an empty report', async () => {
        expect(await check('')).toEqual([]);
        expect(await check('\uFEFF// only a comment\r\n')).toEqual([]);
    });

    it('a file with a BOM and CRLF line endings parses like the same file with LF', async () => {
        const lf = 'shape p { role = proxy cores = 2 memory = 2 GiB }\ndeploy 2 x p\n' + HOSTS;
        const crlf = '\uFEFF' + lf.replace(/\n/g, '\r\n');
        const a = await check(lf);
        const b = await check(crlf);
        expect(b.map(d => d.code)).toEqual(a.map(d => d.code));
        expect(b.map(d => d.at)).toEqual(
            a.map(d =>
                d.at
                    .replace(/^1:(\d+)/, (_, c) => `1:${Number(c) + 1}`)
                    .replace(/-1:(\d+)$/, (_, c) => `-1:${Number(c) + 1}`)
            )
        );
    });

    it('integers with _, k and M; sizes with and without a space', async () => {
        const ds = await check(
            'workload w { sessions = 200_000 active_users = 150k }\nshape b { role = backend cores = 4 memory = 32GiB local_disk = 1.5 TiB }\ndeploy 2 x b\n' +
                HOSTS
        );
        expect(errors(ds)).toEqual([]);
    });

    it('an import of a missing file: an error on the import path', async () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-'));
        const file = path.join(tmp, 'main.dcplan');
        fs.writeFileSync(
            file,
            'import "inventory.dcplan"\nshape p { role = proxy cores = 1 memory = 2 GiB }\n'
        );
        const [r] = await checkFiles([file]);
        const e = r.report.diagnostics.filter(d => d.severity === 'error');
        expect(e.map(d => [d.code, d.line, d.column, d.endLine, d.endColumn])).toEqual([
            ['import-missing', 1, 8, 1, 26]
        ]);
        expect(e[0].message).toContain('cannot find inventory.dcplan');
    });

    it('an unclosed string, an unclosed comment and an unknown element say so', async () => {
        const first = async (text: string) => errors(await check(text))[0];
        expect(await first('plan p { title = "abc\n}\n')).toMatchObject({
            code: 'syntax-error',
            at: '1:18-1:19',
            message: `a string is not closed: this '"' has no closing quote on its line`
        });
        expect(
            await first('shape p { role = proxy cores = 1 memory = 2 GiB }\n/* never closed\n')
        ).toMatchObject({
            code: 'syntax-error',
            at: '2:1-2:3',
            message: "a comment is not closed: this '/*' has no '*/' after it"
        });
        expect(await first('widget b { x = 1 }\n')).toMatchObject({
            code: 'syntax-error',
            at: '1:1-1:7',
            message:
                "unknown element 'widget': a file holds import, plan, workload, shape, deploy, model and host elements"
        });
    });

    it('a word that is nearly a unit is an unknown unit, not an unknown attribute', async () => {
        const text = 'shape b { role = backend cores = 4 memory = 32 GiBs }\ndeploy 2 x b\n';
        expect(withCode(await check(text), 'syntax-error')).toEqual([
            "1:48-1:52 unknown unit 'GiBs' (did you mean GiB?): units are KiB, MiB, GiB, TiB, KB, MB, GB, TB"
        ]);
    });

    it('a one-letter word is an unknown attribute, not a unit: t is not TB', async () => {
        expect(withCode(await check('plan p {\n  t\n}\n'), 'syntax-error')).toEqual([
            "2:3-2:4 unknown attribute 't' here"
        ]);
    });

    it("guesses among the block's own attributes, a begun name first: tol, login_proce", async () => {
        expect(withCode(await check('plan p {\n  tol = 1\n}\n'), 'syntax-error')).toEqual([
            "2:3-2:6 unknown attribute 'tol' here (did you mean tolerate_host_failures?)"
        ]);
        const shape =
            'shape s { role = director cores = 2 memory = 2 GiB login_proce = 1 }\ndeploy 1 x s\n';
        expect(withCode(await check(shape), 'syntax-error')).toEqual([
            "1:52-1:63 unknown attribute 'login_proce' here (did you mean login_processes?)"
        ]);
    });

    it('a host of a model that does not exist: only the unresolved name, not "needs cores and memory"', async () => {
        const ds = await check('host h : nosuch { }\n');
        expect(errors(ds).map(d => `${d.code} ${d.at} ${d.message}`)).toEqual([
            "unresolved-name 1:10-1:16 unknown model 'nosuch'"
        ]);
    });

    it("a block left open is said where it ends, not at the next element (it read: unknown attribute 'shape')", async () => {
        const text =
            'shape p { role = proxy cores = 1 memory = 2 GiB // the proxies\n\n/* next */\n' +
            'shape b { role = backend cores = 4 memory = 32 GiB }\ndeploy 2 x p\ndeploy 2 x b\n' +
            'host h { cores = 8 memory = 64 GiB\nplan q { title = "t" }\n';
        expect(withCode(await check(text), 'syntax-error')).toEqual([
            "1:43-1:48 this block is not closed: a '}' is missing before the 'shape' at 4:1",
            "7:29-7:35 this block is not closed: a '}' is missing before the 'plan' at 8:1"
        ]);
        // the shapes, the deployments and the host are still read
        expect(withCode(await check(text), 'unresolved-name')).toEqual([]);
    });

    it('an empty import path and an import of a directory say so', async () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-'));
        fs.mkdirSync(path.join(tmp, 'sub'));
        fs.writeFileSync(path.join(tmp, 'main.dcplan'), 'import ""\nimport "sub"\n');
        const [r] = await checkFiles([path.join(tmp, 'main.dcplan')]);
        expect(r.report.diagnostics.map(d => [d.code, d.line, d.column, d.message])).toEqual([
            ['import-missing', 1, 8, 'an import needs the path of a .dcplan file'],
            ['import-missing', 2, 8, 'sub is a directory, not a .dcplan file']
        ]);
    });

    it('an imported file with syntax errors: an error on the import path that says where', async () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-'));
        fs.writeFileSync(
            path.join(tmp, 'inv_bad.dcplan'),
            'shape px { role = proxy cores = 1 memory = 2 GiB }\nhost h1 { cores = 8 memory = 16 GiB frob = 1 }\n'
        );
        fs.writeFileSync(path.join(tmp, 'main.dcplan'), 'import "inv_bad.dcplan"\ndeploy 2 x px\n');
        const [r] = await checkFiles([path.join(tmp, 'main.dcplan')]);
        const e = r.report.diagnostics.filter(d => d.severity === 'error');
        expect(e.map(d => [d.code, d.line, d.column, d.endLine, d.endColumn])).toEqual([
            ['syntax-error', 1, 8, 1, 24]
        ]);
        expect(e[0].message).toBe(
            'in inv_bad.dcplan: 1 syntax error, the first at 2:37: its elements may be missing from this plan'
        );
    });

    it('an import makes the shapes and hosts of the imported file visible; without it they are not', async () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-'));
        fs.writeFileSync(
            path.join(tmp, 'inventory.dcplan'),
            'shape p { role = proxy cores = 1 memory = 2 GiB }\nhost hv[1..2] { cores = 8 memory = 32 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }\n'
        );
        fs.writeFileSync(
            path.join(tmp, 'plan.dcplan'),
            'import "inventory.dcplan"\ndeploy 4 x p\n'
        );
        fs.writeFileSync(path.join(tmp, 'other.dcplan'), 'deploy 4 x p\n');
        const [withImport, without] = await checkFiles([
            path.join(tmp, 'plan.dcplan'),
            path.join(tmp, 'other.dcplan')
        ]);
        expect(withImport.report.diagnostics.filter(d => d.severity === 'error')).toEqual([]);
        expect(withImport.report.hosts.map(h => [h.name, h.roleCounts.proxy])).toEqual([
            ['hv1', 2],
            ['hv2', 2]
        ]);
        expect(without.report.diagnostics.map(d => [d.code, d.line, d.column])).toEqual([
            ['unresolved-name', 1, 12]
        ]);
    });

    it('an import cycle: an error on the import', async () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-'));
        fs.writeFileSync(path.join(tmp, 'a.dcplan'), 'import "b.dcplan"\n');
        fs.writeFileSync(path.join(tmp, 'b.dcplan'), 'import "a.dcplan"\n');
        const [a] = await checkFiles([path.join(tmp, 'a.dcplan')]);
        expect(a.report.diagnostics.map(d => [d.code, d.line, d.column])).toEqual([
            ['import-cycle', 1, 8]
        ]);
    });
});

describe('an invalid tolerate_host_failures asks for nothing', () => {
    // 6 × 4-core backends on 3 hosts of 12 usable cores: any one host can go, not any two
    const plan = (k: number) => `plan p {
  tolerate_host_failures = ${k}
}
shape b { role = backend cores = 4 memory = 8 GiB }
deploy 6 x b
host h[1..3] { cores = 14 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }
`;

    it('2 gets the host-failure warning of a plan that survives one loss: about two losses, the hosts N+2 needs (N+1 holds)', async () => {
        const ds = await check(plan(2));
        // 24 vCPUs on hosts of 12: two of 4 hosts left hold them, two of 3 do not
        expect(withCode(ds, 'host-failure')).toEqual([
            "2:28-2:29 the plan tolerates 1 host loss, 2 asked: two lost hosts' instances (up to 16 cores and 32 GiB) do not all fit the spare capacity of the others (4 spare cores and 44 GiB per host); N+2 needs 4 hosts"
        ]);
    });

    it('3 is the invalid-number error alone (no warning that speaks of 2 asked)', async () => {
        const ds = await check(plan(3));
        expect(ds.map(d => `${d.code} ${d.at} ${d.message}`)).toEqual([
            'invalid-number 2:28-2:29 tolerate_host_failures is 0, 1 or 2 (3 given)'
        ]);
    });
});

describe('the host-failure message names the cause', () => {
    it("spare spread over hosts in bits smaller than a lost instance: the host, its pieces and the others' room", async () => {
        // h1 and h2 each run an 8-core backend (4 spare), h3 two 2-core ones (6 spare): h1's 8 cores
        // would fit the others' 10 spare cores in all, but no host has 8
        const ds = await check(`shape big { role = backend cores = 8 memory = 16 GiB }
shape small { role = backend cores = 2 memory = 4 GiB }
deploy 2 x big
deploy 2 x small
host h1 { cores = 14 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB runs = 1 x big }
host h2 { cores = 14 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB runs = 1 x big }
host h3 { cores = 12 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB runs = 2 x small }
`);
        expect(withCode(ds, 'host-failure')).toEqual([
            "5:6-5:8 h1's instances (8 cores, up to 8 in one) do not fit the spare room of the others (10 cores in all, at most 6 on one host); N+1 needs 4 hosts"
        ]);
    });

    it('memory short with cores to spare: names memory (35 spare cores per host would take 5)', async () => {
        const ds = await check(`plan memeven { tolerate_host_failures = 1 }
shape p1 { role = proxy   cores = 1 memory = 2 GiB }
shape b4 { role = backend cores = 4 memory = 100 GiB }
deploy 4 x p1
deploy 4 x b4
host h[1..4] { cores = 42 memory = 128 GiB hypervisor_cores = 2 hypervisor_memory = 16 GiB }
`);
        expect(withCode(ds, 'host-failure')).toEqual([
            "1:41-1:42 the plan tolerates 0 host losses, 1 asked: the other hosts' 30 GiB of spare memory cannot take h1's 102 GiB; N+1 needs 5 hosts"
        ]);
    });

    it("too few spare cores on the others: says so with the lost host's load", async () => {
        // h1 runs 12 cores with none spare, h2 and h3 4 cores with 4 spare each: 12 > 4 + 4
        const ds = await check(`shape b { role = backend cores = 4 memory = 8 GiB }
deploy 5 x b
host h1 { cores = 14 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB runs = 3 x b }
host h2 { cores = 10 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB runs = 1 x b }
host h3 { cores = 10 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB runs = 1 x b }
`);
        expect(withCode(ds, 'host-failure')).toEqual([
            "3:6-3:8 the other hosts' 8 spare cores cannot take h1's 12 cores; N+1 needs 4 hosts"
        ]);
    });
});

describe('an edit of an imported file re-checks the files that import it', () => {
    it('a plan placed on an imported inventory of hosts gets unplaceable when the inventory loses hosts, and loses it when they come back', async () => {
        const services = nodeServices();
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-'));
        const inventory = path.join(tmp, 'inventory.dcplan');
        const hosts = (n: number) =>
            `host hv[1..${n}] { cores = 10 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }\n`;
        fs.writeFileSync(inventory, hosts(2));
        // the plan names nothing of the inventory: no reference ties it to the file it imports
        fs.writeFileSync(
            path.join(tmp, 'plan.dcplan'),
            'import "inventory.dcplan"\nshape b { role = backend cores = 4 memory = 8 GiB }\ndeploy 4 x b\n'
        );
        const [plan] = await checkFiles([path.join(tmp, 'plan.dcplan')]);
        const codes = () =>
            (plan.document.diagnostics ?? [])
                .filter(d => d.severity === 1)
                .map(d => String(d.code));
        expect(codes()).toEqual([]);
        const uri = URI.file(inventory);
        fs.writeFileSync(inventory, hosts(1));
        await services.shared.workspace.DocumentBuilder.update([uri], []);
        expect(codes()).toEqual(['unplaceable']);
        fs.writeFileSync(inventory, hosts(2));
        await services.shared.workspace.DocumentBuilder.update([uri], []);
        expect(codes()).toEqual([]);
    });
});

describe('a finding after an error does not state what the error made', () => {
    it('no valid host and a deployment left out: said so, not "the plan has no hosts" and a bare "0 deployed"', async () => {
        const ds = await check(`workload w { backend = 8 cores }
shape b { role = backend cores = 4 memory = 8 }
shape p { role = proxy cores = 1 memory = 2 GiB }
deploy 2 x b
deploy 2 x p
host h1, h2 { cores = 8 memory = 64 gib hypervisor_cores = 2 hypervisor_memory = 4 GiB }
`);
        expect(
            ds
                .filter(d => d.code === 'capacity-short' || d.code === 'unplaceable')
                .map(d => `${d.code} ${d.at} ${d.message}`)
        ).toEqual([
            'unplaceable 5:1-5:13 cannot place p-1, p-2 (2 cores): the total is short: 2 cores deployed, 0 usable: no host is valid (the host block has errors); 0 cores placed, 2 unplaced: p-1, p-2',
            'capacity-short 1:14-1:31 backend needs 8 cores at the peak (workload w), 0 deployed: 8 short (1 deployment left out for errors in its count or shape)'
        ]);
    });
});

describe('the "left out" note of capacity-short goes to the role of the deployment left out', () => {
    const shortOf = (ds: { code?: unknown; at: string; message: string }[]) =>
        ds.filter(d => d.code === 'capacity-short').map(d => `${d.at} ${d.message}`);
    const PLAN = (third: string) => `workload w { proxy = 8 cores backend = 20 cores }
shape px { role = proxy cores = 1 memory = 2 GiB }
shape be { role = backend cores = 4 memory = 8 GiB }
deploy 4 x px
deploy 4 x be
${third}
host h[1..4] { cores = 16 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }
`;

    it('a backend deployment left out: the note on backend, none on proxy', async () => {
        expect(shortOf(await check(PLAN('deploy 1e3 x be')))).toEqual([
            '1:14-1:29 proxy needs 8 cores at the peak (workload w), 4 deployed: 4 short',
            '1:30-1:48 backend needs 20 cores at the peak (workload w), 16 deployed: 4 short (1 deployment left out for errors in its count or shape)'
        ]);
    });

    it('a proxy deployment left out: the note on proxy only', async () => {
        expect(shortOf(await check(PLAN('deploy 1e3 x px')))).toEqual([
            '1:14-1:29 proxy needs 8 cores at the peak (workload w), 4 deployed: 4 short (1 deployment left out for errors in its count or shape)',
            '1:30-1:48 backend needs 20 cores at the peak (workload w), 16 deployed: 4 short'
        ]);
    });

    it('a deployment of an unknown shape (a name of no shape, a model) is of no role: no note', async () => {
        const plain = [
            '1:14-1:29 proxy needs 8 cores at the peak (workload w), 4 deployed: 4 short',
            '1:30-1:48 backend needs 20 cores at the peak (workload w), 16 deployed: 4 short'
        ];
        expect(shortOf(await check(PLAN('deploy 2 x nope')))).toEqual(plain);
        expect(
            shortOf(await check(PLAN('model m1 { cores = 8 memory = 64 GiB }\ndeploy 2 x m1')))
        ).toEqual(plain);
        // beside one of the role: only that one is counted
        expect(shortOf(await check(PLAN('deploy 2 x nope\ndeploy 1e3 x be')))).toEqual([
            plain[0],
            plain[1] + ' (1 deployment left out for errors in its count or shape)'
        ]);
    });
});

describe('one core is said in the singular', () => {
    it('capacity-short and unplaceable say "1 core"', async () => {
        const ds = await check(`workload w { backend = 1 cores }
shape px { role = proxy cores = 1 memory = 2 GiB }
shape be { role = backend cores = 1 memory = 2 GiB }
deploy 1 x px
host h { cores = 1 memory = 8 GiB }
`);
        expect(withCode(ds, 'capacity-short')).toEqual([
            '1:14-1:31 backend needs 1 core at the peak (workload w), 0 deployed: 1 short'
        ]);
        const full = await check(`shape px { role = proxy cores = 1 memory = 2 GiB }
deploy 2 x px
host h { cores = 2 memory = 8 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB }
`);
        expect(withCode(full, 'unplaceable')).toEqual([
            '2:1-2:14 cannot place px-2 (1 core): the total is short: 2 cores deployed, 1 usable; 1 core placed, 1 unplaced: px-2'
        ]);
    });
});

describe('a deployment left out for passing the limit of instances per plan', () => {
    it('is said so in capacity-short, not as errors in its count or shape', async () => {
        const plan = (extra: string) => `workload peak { director = 9 cores }
shape px { role = proxy cores = 1 memory = 2 GiB }
shape dr { role = director cores = 3 memory = 6 GiB login_processes = 3 }
deploy 1000000 x px
deploy 3 x dr
${extra}host h { cores = 24 memory = 384 GiB hypervisor_cores = 2 hypervisor_memory = 16 GiB }
`;
        const ds = await check(plan(''));
        expect(withCode(ds, 'limit-exceeded')).toEqual([
            '5:8-5:9 the plan passes 1,000,000 instances here (1,000,003): this deployment is left out'
        ]);
        expect(withCode(ds, 'capacity-short')).toEqual([
            '1:17-1:35 director needs 9 cores at the peak (workload peak), 0 deployed: 9 short (1 deployment left out for passing the limit of instances per plan)'
        ]);
        const both = await check(plan('deploy 1e3 x dr\n'));
        expect(withCode(both, 'capacity-short')).toEqual([
            '1:17-1:35 director needs 9 cores at the peak (workload peak), 0 deployed: 9 short (1 deployment left out for errors in its count or shape, 1 left out for passing the limit of instances per plan)'
        ]);
    });
});

describe('a host block left out for passing the limit of hosts per plan', () => {
    it('is said so in unplaceable, not as a block with errors', async () => {
        const ds = await check(`shape px { role = proxy cores = 1 memory = 2 GiB }
deploy 3 x px
host a { cores = 2 memory = 8 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB }
host b[1..100000] { cores = 2 memory = 8 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB }
host c { cores = 0 memory = 8 GiB }
`);
        expect(withCode(ds, 'limit-exceeded')).toEqual([
            '4:6-4:18 the plan passes 100,000 hosts here (100,001): this host block is left out'
        ]);
        expect(withCode(ds, 'unplaceable')).toEqual([
            '2:1-2:14 cannot place px-2, px-3 (2 cores): the total is short: 3 cores deployed, 1 usable (1 host block left out for errors in its values, 1 left out for passing the limit of hosts per plan); 1 core placed, 2 unplaced: px-2, px-3'
        ]);
        const alone = await check(`shape px { role = proxy cores = 1 memory = 2 GiB }
deploy 3 x px
host a { cores = 2 memory = 8 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB }
host b[1..100000] { cores = 2 memory = 8 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB }
`);
        expect(withCode(alone, 'unplaceable')).toEqual([
            '2:1-2:14 cannot place px-2, px-3 (2 cores): the total is short: 3 cores deployed, 1 usable (1 host block left out for passing the limit of hosts per plan); 1 core placed, 2 unplaced: px-2, px-3'
        ]);
    });
});

describe("a hypervisor reserve against the hardware of the host's model", () => {
    it("a host that sets only its reserve is checked against its model's cores and memory", async () => {
        const ds = await check(`model m { cores = 16 memory = 128 GiB }
host a : m { hypervisor_cores = 99 hypervisor_memory = 200 GiB }
host b : m { hypervisor_cores = 2 hypervisor_memory = 8 GiB }
`);
        expect(withCode(ds, 'invalid-number')).toEqual([
            '2:33-2:35 hypervisor_cores (99) leaves no vCPU of the 16 for instances',
            '2:56-2:63 hypervisor_memory (200 GiB) leaves no memory of the 128 GiB for instances'
        ]);
    });
});

describe('host names as written', () => {
    it('missing-attribute names a range as written; a range the parser could not read names no host', async () => {
        const text = `model m { memory = 64 GiB }
host hv[01..03] : m { hypervisor_cores = 2 hypervisor_memory = 4 GiB }
host k[a..c] { cores = 8 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }
shape p { role = proxy cores = 1 memory = 2 GiB }
deploy 2 x p
`;
        const ds = await check(text);
        expect(
            ds
                .filter(d => d.code === 'missing-attribute' || d.code === 'unplaceable')
                .map(d => `${d.code} ${d.at} ${d.message}`)
        ).toEqual([
            'unplaceable 5:1-5:13 cannot place p-1, p-2 (2 cores): the total is short: 2 cores deployed, 0 usable: no host is valid (2 host blocks have errors); 0 cores placed, 2 unplaced: p-1, p-2',
            'missing-attribute 2:6-2:16 host hv[01..03] needs cores (not in model m either)'
        ]);
    });
});

describe('tolerate_host_failures in a physical plan', () => {
    it('is said to be ignored, at the setting (no host failure is checked)', async () => {
        const physical = await check(`plan p {
  platform = physical
  tolerate_host_failures = 1
}
shape px { role = proxy cores = 4 memory = 8 GiB }
deploy 2 x px
`);
        expect(withCode(physical, 'physical-hosts-ignored')).toEqual([
            '3:28-3:29 tolerate_host_failures is ignored: with platform = physical every instance is its own machine, so no host failure is checked'
        ]);
    });
});

describe('a host range the parser recovered from is quoted as written', () => {
    it('d[0x1..3] is d[0x1..3] in physical-hosts-ignored, not d[0..3]', async () => {
        const physical = await check(`plan p { platform = physical }
host d[0x1..3] { cores = 8 memory = 32 GiB }
`);
        expect(withCode(physical, 'physical-hosts-ignored')).toEqual([
            '2:6-2:15 host d[0x1..3] is ignored: with platform = physical every instance is its own machine'
        ]);
    });
});
