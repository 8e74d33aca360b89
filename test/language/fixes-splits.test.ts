/**
 * Split fixes (`language-server/fixes/splits.ts`), each with the exact text before and after:
 * the page's three splits with their numbers, the split rules (counts, memory, login_processes,
 * names), comments, layout and CRLF kept, a new shape when the shape cannot be rewritten in
 * place, the limits of a deployment, and `login-idle-cores`.
 */
import { describe, expect, it } from 'vitest';
import { example, open, testUri } from '../lsp/helpers.js';
import { applyChanges } from '../../language-server/fixes/index.js';
import { crlf, fixed, fixesOf, lines } from './fixes-helpers.js';

describe("split fixes on seed-reference.dcplan (the page's three splits)", () => {
    const text = example('seed-reference.dcplan');

    it("offers the page's splits with their numbers, the page's choice preferred", async () => {
        const fixes = await fixesOf(text);
        const byCode = (c: string) =>
            fixes.filter(f => f.code === c).map(f => [f.title, f.preferred]);
        expect(byCode('proxy-split')).toEqual([
            ['Split into 12 × 1-core proxies (maintenance impact 8.3%)', true]
        ]);
        expect(byCode('director-split')).toEqual([
            ['Split into 4 × 3-core directors (maintenance impact 25%)', true],
            ['Split into 6 × 2-core directors (maintenance impact 16.7%)', false]
        ]);
        expect(byCode('backend-split')).toEqual([
            ['Split into 16 × 4-core backends (maintenance impact 6.3%)', true]
        ]);
        expect(byCode('login-idle-cores')).toEqual([
            ['Split into 12 × 1-core proxies (maintenance impact 8.3%)', true],
            ['Set login_processes = 4 on proxy_4c (one login process per core)', false]
        ]);
        expect(byCode('unplaceable')).toEqual([
            ['Add 1 host like hv04 (22 usable cores, 368 GiB): hv05', false]
        ]);
    });

    it('proxy-split: 3 × 4 → 12 × 1, memory 8 → 2 GiB, renamed proxy_1c; only those tokens change', async () => {
        const after = await fixed(text, 'proxy-split');
        expect(after).toBe(
            text
                .replace(
                    'shape proxy_4c    { role = proxy    cores = 4  memory = 8 GiB }',
                    'shape proxy_1c    { role = proxy    cores = 1  memory = 2 GiB }'
                )
                .replace('deploy 3 x proxy_4c', 'deploy 12 x proxy_1c')
        );
    });

    it('director-split: 4 × 3 (memory 6 GiB, login_processes 3) or 6 × 2', async () => {
        const four = await fixed(
            text,
            'director-split',
            'Split into 4 × 3-core directors (maintenance impact 25%)'
        );
        expect(four).toBe(
            text
                .replace(
                    'shape director_4c { role = director cores = 4  memory = 8 GiB  login_processes = 4 }',
                    'shape director_3c { role = director cores = 3  memory = 6 GiB  login_processes = 3 }'
                )
                .replace('deploy 3 x director_4c', 'deploy 4 x director_3c')
        );
        const six = await fixed(
            text,
            'director-split',
            'Split into 6 × 2-core directors (maintenance impact 16.7%)'
        );
        expect(six).toBe(
            text
                .replace(
                    'shape director_4c { role = director cores = 4  memory = 8 GiB  login_processes = 4 }',
                    'shape director_2c { role = director cores = 2  memory = 4 GiB  login_processes = 2 }'
                )
                .replace('deploy 3 x director_4c', 'deploy 6 x director_2c')
        );
    });

    it('backend-split: 8 × 8 → 16 × 4, memory 64 → 32 GiB', async () => {
        expect(await fixed(text, 'backend-split')).toBe(
            text
                .replace(
                    'shape backend_8c  { role = backend  cores = 8  memory = 64 GiB }',
                    'shape backend_4c  { role = backend  cores = 4  memory = 32 GiB }'
                )
                .replace('deploy 8 x backend_8c', 'deploy 16 x backend_4c')
        );
    });

    it('unplaceable: extends the host range by the hosts needed (never preferred)', async () => {
        expect(await fixed(text, 'unplaceable')).toBe(
            text.replace('host hv[01..04]', 'host hv[01..05]')
        );
    });
});

describe('a split keeps comments, layout and every use of the shape consistent', () => {
    const before = lines(
        '// proxies with comments everywhere',
        'shape proxy_4c { // the proxies',
        '  role = proxy',
        '  cores = 4      # four cores',
        '  /* memory */ memory = 8 GiB',
        '  login_processes = 4',
        '}',
        '',
        '/* deployments */',
        'deploy 2 x proxy_4c // two',
        'deploy 1 x proxy_4c ring r2',
        '',
        'host a, b {',
        '  cores = 16 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB',
        '  runs = 1 x proxy_4c  // one each',
        '}'
    );
    const after = lines(
        '// proxies with comments everywhere',
        'shape proxy_1c { // the proxies',
        '  role = proxy',
        '  cores = 1      # four cores',
        '  /* memory */ memory = 2 GiB',
        '}',
        '',
        '/* deployments */',
        'deploy 8 x proxy_1c // two',
        'deploy 4 x proxy_1c ring r2',
        '',
        'host a, b {',
        '  cores = 16 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB',
        '  runs = 4 x proxy_1c  // one each',
        '}'
    );

    it('scales every deployment and the runs pins, drops login_processes for 1 core, keeps the comments', async () => {
        expect(await fixed(before, 'proxy-split')).toBe(after);
    });

    it('keeps CRLF line endings (the removed line goes with its CRLF)', async () => {
        expect(await fixed(crlf(before), 'proxy-split')).toBe(crlf(after));
    });
});

describe('split rules', () => {
    const text = lines(
        'plan p {}',
        'shape backend_8c { role = backend cores = 8 memory = 65536 MiB local_disk = 1 TB }',
        'shape proxy_2c { role = proxy cores = 2 memory = 3 GiB login_processes = 2 }',
        'shape proxy_1c { role = proxy cores = 1 memory = 2GiB }',
        'shape director_4c {',
        '    role = director',
        '    cores = 4',
        '    memory = 8GiB // per VM',
        '}',
        'deploy 4 x backend_8c',
        'deploy 2 x proxy_2c',
        'deploy 2 x proxy_1c',
        'deploy 3 x director_4c',
        'host h[1..3] { cores = 32 memory = 512 GiB hypervisor_cores = 2 hypervisor_memory = 16 GiB }'
    );

    it('writes memory and local_disk in whole GiB, rounded up (65536 MiB / 2 = 32 GiB, 1 TB / 2 = 466 GiB)', async () => {
        expect(await fixed(text, 'backend-split')).toBe(
            text
                .replace(
                    'shape backend_8c { role = backend cores = 8 memory = 65536 MiB local_disk = 1 TB }',
                    'shape backend_4c { role = backend cores = 4 memory = 32 GiB local_disk = 466 GiB }'
                )
                .replace('deploy 4 x backend_8c', 'deploy 8 x backend_4c')
        );
    });

    it("keeps a name whose split name is taken (proxy_1c exists), and the role's impact counts every proxy", async () => {
        const [fix] = await fixesOf(text, 'proxy-split');
        expect(fix.title).toBe('Split into 4 × 1-core proxies (maintenance impact 16.7%)');
        expect(applyChanges(text, fix.changes)).toBe(
            text
                .replace(
                    'shape proxy_2c { role = proxy cores = 2 memory = 3 GiB login_processes = 2 }',
                    'shape proxy_2c { role = proxy cores = 1 memory = 2 GiB }'
                )
                .replace('deploy 2 x proxy_2c', 'deploy 4 x proxy_2c')
        );
    });

    it('keeps the GiB spelling as written (8GiB → 6GiB) and leaves login_processes alone below C', async () => {
        expect(
            await fixed(
                text,
                'director-split',
                'Split into 4 × 3-core directors (maintenance impact 25%)'
            )
        ).toBe(
            text
                .replace(
                    'shape director_4c {\n    role = director\n    cores = 4\n    memory = 8GiB',
                    'shape director_3c {\n    role = director\n    cores = 3\n    memory = 6GiB'
                )
                .replace('deploy 3 x director_4c', 'deploy 4 x director_3c')
        );
    });

    it('a shape declared in an imported file: a new shape here, the import untouched', async () => {
        const dir = 'imp' + Math.random().toString(36).slice(2);
        await open(
            lines(
                'shape proxy_4c { role = proxy cores = 4 memory = 8 GiB login_processes = 4 }',
                'host hv[1..2] { cores = 24 memory = 128 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }'
            ),
            testUri('inv.dcplan', dir)
        );
        const main = lines(
            'import "inv.dcplan"',
            '',
            '// the proxies come from the inventory',
            'deploy 3 x proxy_4c'
        );
        const fixes = await fixesOf(main, 'proxy-split', testUri('main.dcplan', dir));
        expect(fixes.map(f => f.title)).toEqual([
            'Split into 12 × 1-core proxies (maintenance impact 8.3%; as new shape proxy_1c)'
        ]);
        expect(applyChanges(main, fixes[0].changes)).toBe(
            lines(
                'import "inv.dcplan"',
                '',
                '// the proxies come from the inventory',
                'shape proxy_1c { role = proxy  cores = 1  memory = 2 GiB }',
                'deploy 12 x proxy_1c'
            )
        );
    });
});

describe('proxy-split of an imported shape', () => {
    it('deploys an imported shape that is just what the split makes, rather than a copy of it', async () => {
        const dir = 'imp' + Math.random().toString(36).slice(2);
        await open(
            lines(
                'shape proxy_1c { role = proxy cores = 1 memory = 2 GiB }',
                'shape proxy_4c { role = proxy cores = 4 memory = 8 GiB login_processes = 4 }'
            ),
            testUri('shapes.dcplan', dir)
        );
        const main = lines(
            'import "shapes.dcplan"',
            'deploy 3 x proxy_4c',
            'host hv[1..2] { cores = 24 memory = 128 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }'
        );
        const fixes = await fixesOf(main, 'proxy-split', testUri('main.dcplan', dir));
        expect(fixes.map(f => f.title)).toEqual([
            'Split into 12 × 1-core proxies (maintenance impact 8.3%; as the existing shape proxy_1c)'
        ]);
        expect(applyChanges(main, fixes[0].changes)).toBe(
            main.replace('deploy 3 x proxy_4c', 'deploy 12 x proxy_1c')
        );
    });
});

describe('login-idle-cores', () => {
    const text = crlf(
        lines(
            'shape director_4c {',
            '  role = director',
            '  cores = 4',
            '  memory = 8 GiB',
            '}',
            'shape proxy_2c { role = proxy  cores = 2  memory = 4 GiB }  # front',
            'deploy 3 x director_4c',
            'deploy 2 x proxy_2c',
            'host hv[1..3] {',
            '  cores = 24',
            '  memory = 256 GiB',
            '}'
        )
    );

    it('directors: login_processes = cores (preferred), on a line of its own, CRLF kept', async () => {
        const fixes = await fixesOf(text, 'login-idle-cores');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Set login_processes = 4 on director_4c (one login process per core)', true],
            ['Split into 4 × 1-core proxies (maintenance impact 25%)', true],
            ['Set login_processes = 2 on proxy_2c (one login process per core)', false]
        ]);
        expect(applyChanges(text, fixes[0].changes)).toBe(
            text.replace('memory = 8 GiB\r\n', 'memory = 8 GiB\r\n  login_processes = 4\r\n')
        );
    });

    it('proxies: the 1-core split (preferred) or login_processes = cores on the one line', async () => {
        const fixes = await fixesOf(text, 'login-idle-cores');
        expect(applyChanges(text, fixes[1].changes)).toBe(
            text
                .replace(
                    'shape proxy_2c { role = proxy  cores = 2  memory = 4 GiB }',
                    'shape proxy_1c { role = proxy  cores = 1  memory = 2 GiB }'
                )
                .replace('deploy 2 x proxy_2c', 'deploy 4 x proxy_1c')
        );
        expect(applyChanges(text, fixes[2].changes)).toBe(
            text.replace('memory = 4 GiB }', 'memory = 4 GiB  login_processes = 2 }')
        );
    });
});

describe('splits stay within the limits', () => {
    it('no proxy split of 2,000 × 1,000-core proxies: 2,000,000 instances pass the 1,000,000 of a deployment', async () => {
        const text = lines(
            'shape p1 { role = proxy cores = 1k memory = 1 GiB }',
            'deploy 2k x p1',
            'host h[1..3] { cores = 1M memory = 1.5 TiB hypervisor_cores = 2 hypervisor_memory = 1 MiB }'
        );
        expect(await fixesOf(text, 'proxy-split')).toEqual([]);
        // 500 of them split into 500,000: offered
        expect(
            (await fixesOf(text.replace('deploy 2k', 'deploy 500'), 'proxy-split')).map(
                f => f.title
            )
        ).toEqual(['Split into 500000 × 1-core proxies (maintenance impact < 0.1%)']);
    });
});

describe('split fixes past the plan instance limit', () => {
    it('no split that takes the plan past 1,000,000 instances, each deployment within its own', async () => {
        // 200,000 × 4 cores → 800,000 one-core proxies, beside 300,000 backends: 1,100,000
        const text = lines(
            'shape proxy_4c { role = proxy cores = 4 memory = 8 GiB }',
            'shape be { role = backend cores = 4 memory = 8 GiB }',
            'deploy 200k x proxy_4c',
            'deploy 300k x be',
            'host h1 { cores = 24 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }'
        );
        const codes = async (t: string) =>
            ((await open(t)).diagnostics ?? []).map(d => String(d.code));
        expect(await codes(text)).not.toContain('proxy-split');
        const fixes = await fixesOf(text);
        expect(fixes.filter(f => f.title.startsWith('Split'))).toEqual([]);
        expect(await codes(text.replace('deploy 300k', 'deploy 100k'))).toContain('proxy-split');
        // 100,000 backends instead: 1,000,000 in all, offered
        expect(
            (await fixesOf(text.replace('deploy 300k', 'deploy 100k'), 'proxy-split')).map(
                f => f.title
            )
        ).toEqual(['Split into 800000 × 1-core proxies (maintenance impact < 0.1%)']);
    });
});
