/**
 * The quick-fixes as a whole (spec, "Quick-fixes"): fixes never destroy (the value the checker
 * reads is the one edited, results are checked) and fix-all converges. Each family's own fixes
 * are tested in `fixes-<family>.test.ts` (splits, ring, hosts, capacity, imports, values).
 */
import { describe, expect, it } from 'vitest';
import { open } from '../lsp/helpers.js';
import { fixesForDocument } from '../../language-server/fixes/index.js';
import { fixSandbox } from '../../language-server/fixes/sandbox.js';
import { whyNot } from '../../language-server/fixes/fix-all.js';
import { fixed, lines } from './fixes-helpers.js';

describe('fixes never destroy: the value the checker reads, results checked, fix-all converges', () => {
    const sandbox = fixSandbox();
    const host =
        'host hv1 { cores = 32 memory = 128 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }';

    it('fix-all judges placed vCPUs first: fewer placed is refused, more placed is kept, then the diagnostics', async () => {
        const shape = 'shape px { role = proxy cores = 1 memory = 2 GiB }';
        const check = (t: string) => sandbox.check('file:///nv/p.dcplan', t, () => undefined);
        // 12 x 1 core on 8 cores, 16 GiB: 8 of 12 placed; with the reserve 6 cores, 8 GiB: 4
        const free = await check(
            lines(shape, 'deploy 12 x px', 'host h { cores = 8 memory = 16 GiB }')
        );
        const reserved = await check(
            lines(
                shape,
                'deploy 12 x px',
                'host h { cores = 8 memory = 16 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }'
            )
        );
        expect(whyNot(reserved, free)).toBe('it would place fewer vCPUs: 4 of 12, now 8 of 12');
        // the other way round: fewer warnings is not needed when more is placed
        expect(whyNot(free, reserved)).toBeUndefined();
        expect(whyNot(free, free)).toBe(
            'it would leave 1 error, 1 warning, 0 infos, 0 hints, now 1 error, 1 warning, 0 infos, 0 hints'
        );
    });

    it('explainLeft: each error and warning left with why (rounds run out, not preferred); none without it', async () => {
        // round 1 splits the proxies (split fixes first); the single backend's raise would be round 2
        const text = lines(
            'shape p4 { role = proxy cores = 4 memory = 8 GiB login_processes = 4 }',
            'shape be { role = backend cores = 4 memory = 16 GiB }',
            'deploy 3 x p4',
            'deploy 1 x be',
            'host h { cores = 26 memory = 128 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }'
        );
        const read = () => undefined;
        const one = await sandbox.fixAll('file:///nl/p.dcplan', text, read, {
            maxRounds: 1,
            explainLeft: true
        });
        expect(one.applied.map(a => a.code)).toEqual(['proxy-split']);
        expect(one.left).toEqual([
            {
                code: 'single-instance',
                severity: 'warning',
                line: 4,
                why: {
                    kind: 'not-applied',
                    title: 'Deploy 2 × be (a second backend for redundancy, +4 cores, +16 GiB)'
                }
            },
            { code: 'role-on-one-host', severity: 'warning', line: 5, why: { kind: 'no-fix' } }
        ]);
        const all = await sandbox.fixAll('file:///nl/p.dcplan', text, read, { explainLeft: true });
        expect(all.applied.map(a => a.code)).toEqual(['proxy-split', 'single-instance']);
        // one host: the proxies, and now the two backends, are each on one host
        const oneHost = { code: 'role-on-one-host', severity: 'warning', line: 5 };
        expect(all.left).toEqual([
            { ...oneHost, why: { kind: 'no-fix' } },
            { ...oneHost, why: { kind: 'no-fix' } }
        ]);
        expect((await sandbox.fixAll('file:///nl/p.dcplan', text, read)).left).toBeUndefined();
    });

    it('cores = 1 cores = 2: the split edits the last cores (the one read), doubles the count once, the earlier cores goes; a second run changes nothing', async () => {
        const text = lines(
            'shape s { role = proxy cores = 1 cores = 2 memory = 2 GiB }',
            'deploy 4 x s',
            host
        );
        const doc = await open(text);
        // the findings name the value read: the second cores
        expect(
            (doc.diagnostics ?? [])
                .filter(d =>
                    ['proxy-split', 'login-idle-cores', 'duplicate-attribute'].includes(
                        String(d.code)
                    )
                )
                .map(d => `${d.code} ${d.range.start.character}-${d.range.end.character}`)
                .sort()
        ).toEqual(['duplicate-attribute 41-42', 'login-idle-cores 41-42', 'proxy-split 41-42']);
        const once = await sandbox.fixAll('file:///nd/p.dcplan', text, () => undefined);
        expect(once.text).toBe(
            lines('shape s { role = proxy cores = 1 memory = 1 GiB }', 'deploy 8 x s', host)
        );
        expect(once.applied).toEqual([
            {
                round: 1,
                code: 'proxy-split',
                title: 'Split into 8 × 1-core proxies (maintenance impact 12.5%)'
            },
            { round: 2, code: 'duplicate-attribute', title: 'Remove the earlier cores = 1' }
        ]);
        expect(once.rounds).toBe(2);
        const twice = await sandbox.fixAll('file:///nd/p.dcplan', once.text, () => undefined);
        expect(twice).toMatchObject({ changed: false, text: once.text, applied: [], rounds: 0 });
    });

    it('login_processes given twice: a split to 1 core removes both (removing only the last would make the first count)', async () => {
        const text = lines(
            'shape s {',
            '  role = proxy',
            '  cores = 2',
            '  memory = 4 GiB',
            '  login_processes = 2  # first',
            '  login_processes = 2',
            '}',
            'deploy 3 x s',
            host
        );
        expect(await fixed(text, 'proxy-split')).toBe(
            lines(
                'shape s {',
                '  role = proxy',
                '  cores = 1',
                '  memory = 2 GiB',
                '  # first',
                '}',
                'deploy 6 x s',
                host
            )
        );
    });

    it('memory = 8 memory = 8 gib: the size-unit error and its fix are on the second value, the one in error', async () => {
        const text = lines(
            'shape s { role = backend cores = 4 memory = 8 memory = 8 gib }',
            'deploy 2 x s',
            host
        );
        const doc = await open(text);
        expect(
            (doc.diagnostics ?? [])
                .filter(d => d.code === 'size-unit' || d.code === 'duplicate-attribute')
                .map(d => `${d.code} ${d.range.start.character}-${d.range.end.character}`)
        ).toEqual(['duplicate-attribute 55-60', 'size-unit 55-60']);
        expect(text.slice(55, 60)).toBe('8 gib');
        expect(await fixed(text, 'size-unit')).toBe(
            lines(
                'shape s { role = backend cores = 4 memory = 8 memory = 8 GiB }',
                'deploy 2 x s',
                host
            )
        );
        // fix-all: the unit written, then the earlier memory removed (the last counted already)
        const once = await sandbox.fixAll('file:///nd/m.dcplan', text, () => undefined);
        expect(once.text).toBe(
            lines('shape s { role = backend cores = 4 memory = 8 GiB }', 'deploy 2 x s', host)
        );
        expect(
            (await sandbox.fixAll('file:///nd/m.dcplan', once.text, () => undefined)).changed
        ).toBe(false);
    });

    it('an import on the line of a host: the added import goes between them, once, and the file parses', async () => {
        const files: Record<string, string> = {
            'file:///ni/lib/shapes.dcplan': lines(
                'shape b { role = backend cores = 4 memory = 8 GiB }',
                'shape p { role = proxy cores = 1 memory = 2 GiB }'
            ),
            'file:///ni/lib/main.dcplan': lines(
                'import "shapes.dcplan"',
                'deploy 4 x b',
                'deploy 2 x p',
                'host h[1..2] { cores = 16 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB runs = 1 x p, 1 x b }'
            )
        };
        const read = (uri: { toString(): string }) => files[uri.toString()];
        const top =
            'import "lib/main.dcplan"   host hv1 { cores = 16 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB } // hosts\n';
        const once = await sandbox.fixAll('file:///ni/top.dcplan', top, read);
        expect(once.text).toBe(
            lines(
                'import "lib/main.dcplan"',
                'import "lib/shapes.dcplan"',
                'host hv1 { cores = 16 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB } // hosts'
            )
        );
        expect(once.applied.map(a => a.title)).toEqual(['Add import "lib/shapes.dcplan"']);
        expect(once.diagnostics.map(d => d.code)).not.toContain('syntax-error');
        expect((await sandbox.fixAll('file:///ni/top.dcplan', once.text, read)).changed).toBe(
            false
        );
        // with a line comment after the import, the new import goes on the next line; a block
        // comment stays after the new import
        expect(
            (
                await sandbox.fixAll(
                    'file:///ni/top.dcplan',
                    'import "lib/main.dcplan" // main\nplan t { title = "t" }\n',
                    read
                )
            ).text
        ).toBe(
            'import "lib/main.dcplan" // main\nimport "lib/shapes.dcplan"\nplan t { title = "t" }\n'
        );
        expect(
            (
                await sandbox.fixAll(
                    'file:///ni/top.dcplan',
                    'import "lib/main.dcplan" /* main */ plan t { title = "t" }\n',
                    read
                )
            ).text
        ).toBe(
            'import "lib/main.dcplan"\nimport "lib/shapes.dcplan" /* main */ plan t { title = "t" }\n'
        );
    });

    it('a fix whose result adds an error is not applied by fix-all (the rest still is)', async () => {
        // the import that the error asks for makes the pins of p exceed its (zero) deployments
        const files: Record<string, string> = {
            'file:///nx/shapes.dcplan': lines(
                'shape b { role = backend cores = 4 memory = 8 GiB }',
                'shape p { role = proxy cores = 1 memory = 2 GiB }'
            ),
            'file:///nx/main.dcplan': lines(
                'import "shapes.dcplan"',
                'deploy 4 x b',
                'host h[1..2] { cores = 16 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB runs = 1 x p, 1 x b }'
            )
        };
        const read = (uri: { toString(): string }) => files[uri.toString()];
        const top = lines(
            'import "main.dcplan"',
            'shape q { role = backend cores = 4 memory = 8 gib }',
            'deploy 1 x q'
        );
        const fixes = await (async () => {
            const c = await sandbox.check('file:///nx/top.dcplan', top, read);
            return fixesForDocument({ document: c.document, analysis: c.analysis }).map(
                f => f.title
            );
        })();
        expect(fixes).toEqual(['Add import "shapes.dcplan"', 'Write 8 GiB']);
        const once = await sandbox.fixAll('file:///nx/top.dcplan', top, read);
        // with its memory written right, q is the one backend: round 2 deploys a second
        expect(once.text).toBe(
            top.replace('8 gib', '8 GiB').replace('deploy 1 x q', 'deploy 2 x q')
        );
        expect(once.applied.map(a => a.title)).toEqual([
            'Write 8 GiB',
            'Deploy 2 × q (a second backend for redundancy, +4 cores, +8 GiB)'
        ]);
        expect((await sandbox.fixAll('file:///nx/top.dcplan', once.text, read)).changed).toBe(
            false
        );
    });
});
