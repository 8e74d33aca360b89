/**
 * The quick-fixes of the spec ("Quick-fixes"), each with the exact text before and after: the
 * split rules (counts, memory, login_processes, names), comments and layout kept, CRLF kept, a
 * shape that cannot be rewritten in place (imported, shared with another ring) getting a new
 * shape, and the other fixes (ring, login processes, hypervisor reserve, pins, capacity, hosts).
 */
import { describe, expect, it } from 'vitest';
import { Dcplan, example, open, testUri } from '../lsp/helpers.js';
import { applyChanges, fixesForDocument, type Fix } from '../../language-server/fixes/index.js';
import { fixSandbox } from '../../language-server/fixes/fix-all.js';

/** Every fix offered for the text (optionally of one code), in diagnostic order. */
async function fixesOf(text: string, code?: string, uri?: string): Promise<Fix[]> {
    const document = await open(text, uri);
    const analysis = Dcplan.analysis.PlanAnalyzer.analyze(document);
    return fixesForDocument({ document, analysis }).filter(f => !code || f.code === code);
}

/** The text after the fix titled `title` (or the only / first preferred fix of `code`). */
async function fixed(text: string, code: string, title?: string, uri?: string): Promise<string> {
    const fixes = await fixesOf(text, code, uri);
    const fix = title ? fixes.find(f => f.title === title) : fixes.find(f => f.preferred) ?? fixes[0];
    if (!fix) throw new Error(`no fix ${code} ${title ?? ''}: ${fixes.map(f => f.title).join(' | ')}`);
    return applyChanges(text, fix.changes);
}

const lines = (...l: string[]) => l.join('\n') + '\n';
const crlf = (s: string) => s.replace(/\n/g, '\r\n');

describe('split fixes on seed-reference.dcplan (the page\'s three splits)', () => {
    const text = example('seed-reference.dcplan');

    it('offers the page\'s splits with their numbers, the page\'s choice preferred', async () => {
        const fixes = await fixesOf(text);
        const byCode = (c: string) => fixes.filter(f => f.code === c).map(f => [f.title, f.preferred]);
        expect(byCode('proxy-split')).toEqual([['Split into 12 × 1-core proxies (maintenance impact 8.3%)', true]]);
        expect(byCode('director-split')).toEqual([
            ['Split into 4 × 3-core directors (maintenance impact 25%)', true],
            ['Split into 6 × 2-core directors (maintenance impact 16.7%)', false]
        ]);
        expect(byCode('backend-split')).toEqual([['Split into 16 × 4-core backends (maintenance impact 6.3%)', true]]);
        expect(byCode('login-idle-cores')).toEqual([
            ['Split into 12 × 1-core proxies (maintenance impact 8.3%)', true],
            ['Set login_processes = 4 on proxy_4c (one login process per core)', false]
        ]);
        expect(byCode('unplaceable')).toEqual([['Add 1 host like hv04 (22 usable cores, 368 GiB): hv05', false]]);
    });

    it('proxy-split: 3 × 4 → 12 × 1, memory 8 → 2 GiB, renamed proxy_1c; only those tokens change', async () => {
        const after = await fixed(text, 'proxy-split');
        expect(after).toBe(text
            .replace('shape proxy_4c    { role = proxy    cores = 4  memory = 8 GiB }', 'shape proxy_1c    { role = proxy    cores = 1  memory = 2 GiB }')
            .replace('deploy 3 x proxy_4c', 'deploy 12 x proxy_1c'));
    });

    it('director-split: 4 × 3 (memory 6 GiB, login_processes 3) or 6 × 2', async () => {
        const four = await fixed(text, 'director-split', 'Split into 4 × 3-core directors (maintenance impact 25%)');
        expect(four).toBe(text
            .replace('shape director_4c { role = director cores = 4  memory = 8 GiB  login_processes = 4 }', 'shape director_3c { role = director cores = 3  memory = 6 GiB  login_processes = 3 }')
            .replace('deploy 3 x director_4c', 'deploy 4 x director_3c'));
        const six = await fixed(text, 'director-split', 'Split into 6 × 2-core directors (maintenance impact 16.7%)');
        expect(six).toBe(text
            .replace('shape director_4c { role = director cores = 4  memory = 8 GiB  login_processes = 4 }', 'shape director_2c { role = director cores = 2  memory = 4 GiB  login_processes = 2 }')
            .replace('deploy 3 x director_4c', 'deploy 6 x director_2c'));
    });

    it('backend-split: 8 × 8 → 16 × 4, memory 64 → 32 GiB', async () => {
        expect(await fixed(text, 'backend-split')).toBe(text
            .replace('shape backend_8c  { role = backend  cores = 8  memory = 64 GiB }', 'shape backend_4c  { role = backend  cores = 4  memory = 32 GiB }')
            .replace('deploy 8 x backend_8c', 'deploy 16 x backend_4c'));
    });

    it('unplaceable: extends the host range by the hosts needed (never preferred)', async () => {
        expect(await fixed(text, 'unplaceable')).toBe(text.replace('host hv[01..04]', 'host hv[01..05]'));
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
        '}');
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
        '}');

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
        'host h[1..3] { cores = 32 memory = 512 GiB hypervisor_cores = 2 hypervisor_memory = 16 GiB }');

    it('writes memory and local_disk in whole GiB, rounded up (65536 MiB / 2 = 32 GiB, 1 TB / 2 = 466 GiB)', async () => {
        expect(await fixed(text, 'backend-split')).toBe(text
            .replace('shape backend_8c { role = backend cores = 8 memory = 65536 MiB local_disk = 1 TB }', 'shape backend_4c { role = backend cores = 4 memory = 32 GiB local_disk = 466 GiB }')
            .replace('deploy 4 x backend_8c', 'deploy 8 x backend_4c'));
    });

    it('keeps a name whose split name is taken (proxy_1c exists), and the role\'s impact counts every proxy', async () => {
        const [fix] = await fixesOf(text, 'proxy-split');
        expect(fix.title).toBe('Split into 4 × 1-core proxies (maintenance impact 16.7%)');
        expect(applyChanges(text, fix.changes)).toBe(text
            .replace('shape proxy_2c { role = proxy cores = 2 memory = 3 GiB login_processes = 2 }', 'shape proxy_2c { role = proxy cores = 1 memory = 2 GiB }')
            .replace('deploy 2 x proxy_2c', 'deploy 4 x proxy_2c'));
    });

    it('keeps the GiB spelling as written (8GiB → 6GiB) and leaves login_processes alone below C', async () => {
        expect(await fixed(text, 'director-split', 'Split into 4 × 3-core directors (maintenance impact 25%)')).toBe(text
            .replace('shape director_4c {\n    role = director\n    cores = 4\n    memory = 8GiB', 'shape director_3c {\n    role = director\n    cores = 3\n    memory = 6GiB')
            .replace('deploy 3 x director_4c', 'deploy 4 x director_3c'));
    });

    it('a shape declared in an imported file: a new shape here, the import untouched', async () => {
        const dir = 'imp' + Math.random().toString(36).slice(2);
        await open(lines(
            'shape proxy_4c { role = proxy cores = 4 memory = 8 GiB login_processes = 4 }',
            'host hv[1..2] { cores = 24 memory = 128 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }'), testUri('inv.dcplan', dir));
        const main = lines('import "inv.dcplan"', '', '// the proxies come from the inventory', 'deploy 3 x proxy_4c');
        const fixes = await fixesOf(main, 'proxy-split', testUri('main.dcplan', dir));
        expect(fixes.map(f => f.title)).toEqual(['Split into 12 × 1-core proxies (maintenance impact 8.3%; as new shape proxy_1c)']);
        expect(applyChanges(main, fixes[0].changes)).toBe(lines(
            'import "inv.dcplan"', '', '// the proxies come from the inventory',
            'shape proxy_1c { role = proxy  cores = 1  memory = 2 GiB }',
            'deploy 12 x proxy_1c'));
    });
});

describe('director-ring-too-large', () => {
    it('ring-too-large.dcplan: 12 × 1 → 4 × 3 (preferred; 6 GiB, login_processes 3) or 6 × 2, or two rings', async () => {
        const text = example('ring-too-large.dcplan');
        const fixes = await fixesOf(text, 'director-ring-too-large');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Merge ring main into 4 × 3-core directors (maintenance impact 25%)', true],
            ['Merge ring main into 6 × 2-core directors (maintenance impact 16.7%)', false],
            ['Split into 2 rings of 6 + 6 directors (main, main_2)', false]
        ]);
        const [three, two, rings] = fixes.map(f => applyChanges(text, f.changes));
        expect(three).toBe(text
            .replace('shape director_1c { role = director cores = 1  memory = 2 GiB }', 'shape director_3c { role = director cores = 3  memory = 6 GiB  login_processes = 3 }')
            .replace('deploy 12 x director_1c', 'deploy 4 x director_3c'));
        expect(two).toBe(text
            .replace('shape director_1c { role = director cores = 1  memory = 2 GiB }', 'shape director_2c { role = director cores = 2  memory = 4 GiB  login_processes = 2 }')
            .replace('deploy 12 x director_1c', 'deploy 6 x director_2c'));
        expect(rings).toBe(text.replace('deploy 12 x director_1c', 'deploy 6 x director_1c\ndeploy 6 x director_1c ring main_2'));
    });

    it('a shape shared with another ring: the merge makes a new shape and leaves the other ring alone', async () => {
        const text = lines(
            'shape director_1c { role = director cores = 1 memory = 2 GiB } // small',
            'shape proxy_1c { role = proxy cores = 1 memory = 2 GiB }',
            'deploy 10 x director_1c',
            'deploy 2 x director_1c ring other',
            'deploy 4 x proxy_1c',
            'host hv[1..4] {',
            '  cores = 16  memory = 128 GiB',
            '  hypervisor_cores = 2  hypervisor_memory = 8 GiB',
            '}');
        const fixes = await fixesOf(text, 'director-ring-too-large');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Merge ring main into 4 × 3-core directors (maintenance impact 21.4%)', true],
            ['Merge ring main into 5 × 2-core directors (maintenance impact 16.7%; new shape director_2c for 10 of the 12 instances of director_1c)', false],
            ['Split into 2 rings of 5 + 5 directors (main, main_2)', false]
        ]);
        expect(applyChanges(text, fixes[0].changes)).toBe(text
            .replace('// small\n', '// small\nshape director_3c { role = director cores = 3 memory = 6 GiB login_processes = 3 }\n')
            .replace('deploy 10 x director_1c', 'deploy 4 x director_3c'));
        expect(applyChanges(text, fixes[1].changes)).toBe(text
            .replace('// small\n', '// small\nshape director_2c { role = director cores = 2 memory = 4 GiB login_processes = 2 }\n')
            .replace('deploy 10 x director_1c', 'deploy 5 x director_2c'));
    });
});

describe('director-ring-too-large with runs pins that do not scale', () => {
    // ring-too-large.dcplan with one director pinned on each of hv1..hv4: 4 pins of 1 core do not
    // divide into 3- or 2-core directors. Pins round up to whole merged directors (every pinned
    // host keeps a director, with at least the cores it pinned) when they fit.
    const text = example('ring-too-large.dcplan').replace('hypervisor_cores = 2  hypervisor_memory = 8 GiB\n', 'hypervisor_cores = 2  hypervisor_memory = 8 GiB\n  runs = 1 x director_1c\n');

    it('offers the preferred merge, the pins rounded up to one merged director per host', async () => {
        const fixes = await fixesOf(text, 'director-ring-too-large');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Merge ring main into 4 × 3-core directors (maintenance impact 25%; pins rounded up to whole 3-core directors)', true],
            ['Merge ring main into 6 × 2-core directors (maintenance impact 16.7%; pins rounded up to whole 2-core directors)', false],
            ['Split into 2 rings of 6 + 6 directors (main, main_2)', false]
        ]);
        const [three, two] = fixes.map(f => applyChanges(text, f.changes));
        expect(three).toBe(text
            .replace('shape director_1c { role = director cores = 1  memory = 2 GiB }', 'shape director_3c { role = director cores = 3  memory = 6 GiB  login_processes = 3 }')
            .replace('deploy 12 x director_1c', 'deploy 4 x director_3c')
            .replace('runs = 1 x director_1c', 'runs = 1 x director_3c'));
        expect(two).toBe(text
            .replace('shape director_1c { role = director cores = 1  memory = 2 GiB }', 'shape director_2c { role = director cores = 2  memory = 4 GiB  login_processes = 2 }')
            .replace('deploy 12 x director_1c', 'deploy 6 x director_2c')
            .replace('runs = 1 x director_1c', 'runs = 1 x director_2c'));
    });

    it('pins that would not fit once rounded up are removed, and the title says so', async () => {
        // One director pinned on each of 8 hosts: rounded up, 8 merged directors pinned, more
        // than the 4 (or 6) the merge deploys.
        const wide = lines(
            'shape director_1c { role = director cores = 1  memory = 2 GiB }',
            'deploy 12 x director_1c',
            'host hv[1..4] {',
            '  cores = 16  memory = 128 GiB',
            '  hypervisor_cores = 2  hypervisor_memory = 8 GiB',
            '}',
            'host hw[1..8] {',
            '  cores = 16  memory = 128 GiB',
            '  hypervisor_cores = 2  hypervisor_memory = 8 GiB',
            '  runs = 1 x director_1c',
            '}');
        const fixes = await fixesOf(wide, 'director-ring-too-large');
        expect(fixes.filter(f => f.preferred).map(f => f.title)).toEqual(['Merge ring main into 4 × 3-core directors (maintenance impact 25%; pins of director_1c removed)']);
        expect(applyChanges(wide, fixes[0].changes)).toBe(wide
            .replace('shape director_1c { role = director cores = 1  memory = 2 GiB }', 'shape director_3c { role = director cores = 3  memory = 6 GiB  login_processes = 3 }')
            .replace('deploy 12 x director_1c', 'deploy 4 x director_3c')
            .replace('  runs = 1 x director_1c\n', ''));
    });
});

describe('login-idle-cores', () => {
    const text = crlf(lines(
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
        '}'));

    it('directors: login_processes = cores (preferred), on a line of its own, CRLF kept', async () => {
        const fixes = await fixesOf(text, 'login-idle-cores');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Set login_processes = 4 on director_4c (one login process per core)', true],
            ['Split into 4 × 1-core proxies (maintenance impact 25%)', true],
            ['Set login_processes = 2 on proxy_2c (one login process per core)', false]
        ]);
        expect(applyChanges(text, fixes[0].changes)).toBe(text.replace('memory = 8 GiB\r\n', 'memory = 8 GiB\r\n  login_processes = 4\r\n'));
    });

    it('proxies: the 1-core split (preferred) or login_processes = cores on the one line', async () => {
        const fixes = await fixesOf(text, 'login-idle-cores');
        expect(applyChanges(text, fixes[1].changes)).toBe(text
            .replace('shape proxy_2c { role = proxy  cores = 2  memory = 4 GiB }', 'shape proxy_1c { role = proxy  cores = 1  memory = 2 GiB }')
            .replace('deploy 2 x proxy_2c', 'deploy 4 x proxy_1c'));
        expect(applyChanges(text, fixes[2].changes)).toBe(text.replace('memory = 4 GiB }', 'memory = 4 GiB  login_processes = 2 }'));
    });
});

describe('no-hypervisor-reserve', () => {
    const text = lines(
        'shape backend_4c { role = backend cores = 4 memory = 32 GiB }',
        'deploy 4 x backend_4c',
        'host hv1 { cores = 16 memory = 256 GiB }',
        'host hv2 {',
        '  # second machine',
        '  cores = 16',
        '  memory = 256 GiB',
        '  hypervisor_memory = 0 GiB  // none yet',
        '}');

    it('adds the missing reserve to a one-line block and to a block of lines (a 0 is replaced)', async () => {
        const fixes = await fixesOf(text, 'no-hypervisor-reserve');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Add hypervisor_cores = 2 and hypervisor_memory = 8 GiB to hv1 (a starting value to adjust)', true],
            ['Add hypervisor_cores = 2 and hypervisor_memory = 8 GiB to hv2 (a starting value to adjust)', true]
        ]);
        expect(applyChanges(text, fixes[0].changes)).toBe(text.replace('host hv1 { cores = 16 memory = 256 GiB }', 'host hv1 { cores = 16 memory = 256 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }'));
        expect(applyChanges(text, fixes[1].changes)).toBe(text.replace('  hypervisor_memory = 0 GiB  // none yet\n', '  hypervisor_memory = 8 GiB  // none yet\n  hypervisor_cores = 2\n'));
    });

    it('one fix for a block that names several hosts; CRLF kept', async () => {
        const t = crlf(lines('shape backend_4c { role = backend cores = 4 memory = 32 GiB }', 'deploy 4 x backend_4c', 'host hv[1..3] {', '  cores = 24', '  memory = 256 GiB', '}'));
        const fixes = await fixesOf(t, 'no-hypervisor-reserve');
        expect(fixes).toHaveLength(1);
        expect(applyChanges(t, fixes[0].changes)).toBe(t.replace('256 GiB\r\n', '256 GiB\r\n  hypervisor_cores = 2\r\n  hypervisor_memory = 8 GiB\r\n'));
    });
});

describe('role-on-one-host', () => {
    it('overcommit.dcplan: spread the pins evenly (not preferred); no removal, as the planner would put both proxies on hv02', async () => {
        const text = example('overcommit.dcplan');
        const fixes = await fixesOf(text, 'role-on-one-host');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([['Spread the 2 pinned proxies evenly over 2 hosts', false]]);
        expect(applyChanges(text, fixes[0].changes)).toBe(text
            .replace('runs = 2 x proxy_2c, 5 x backend_4c', 'runs = 1 x proxy_2c, 5 x backend_4c')
            .replace('runs = 1 x backend_4c', 'runs = 1 x backend_4c, 1 x proxy_2c'));
    });

    it('removes the whole runs line when only that role is pinned (comments stay), or spreads the pins', async () => {
        const text = lines(
            'shape proxy_1c { role = proxy cores = 1 memory = 2 GiB }',
            'deploy 2 x proxy_1c',
            'host hv1 { cores = 8 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB',
            '  runs = 2 x proxy_1c',
            '  // pinned by hand',
            '}',
            'host hv2 { cores = 8 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }');
        const fixes = await fixesOf(text, 'role-on-one-host');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Remove the proxy pins from hv1 (the planner spreads the proxies)', false],
            ['Spread the 2 pinned proxies evenly over 2 hosts', false]
        ]);
        expect(applyChanges(text, fixes[0].changes)).toBe(text.replace('  runs = 2 x proxy_1c\n', ''));
        expect(applyChanges(text, fixes[1].changes)).toBe(text
            .replace('  runs = 2 x proxy_1c\n', '  runs = 1 x proxy_1c\n')
            .replace('host hv2 { cores = 8 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }', 'host hv2 { cores = 8 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB runs = 1 x proxy_1c }'));
    });
});

describe('capacity-short', () => {
    it('raises the count of the role\'s last deployment to cover the cores and the memory', async () => {
        const text = lines(
            'workload peak { proxy = 14 cores  backend = 16 cores, 200 GiB }',
            'shape proxy_1c { role = proxy cores = 1 memory = 2 GiB }',
            'shape backend_4c { role = backend cores = 4 memory = 32 GiB }',
            'deploy 12 x proxy_1c // front',
            'deploy 4 x backend_4c',
            'host hv[1..4] { cores = 24 memory = 256 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }');
        const fixes = await fixesOf(text, 'capacity-short');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Raise deploy 12 x proxy_1c to 14 (14 proxy cores for a demand of 14)', true],
            ['Raise deploy 4 x backend_4c to 7 (28 backend cores, 224 GiB for a demand of 16 cores, 200 GiB)', true]
        ]);
        expect(applyChanges(text, fixes[0].changes)).toBe(text.replace('deploy 12 x proxy_1c', 'deploy 14 x proxy_1c'));
        expect(applyChanges(text, fixes[1].changes)).toBe(text.replace('deploy 4 x backend_4c', 'deploy 7 x backend_4c'));
    });
});

describe('unplaceable', () => {
    it('a host block with pins: a new block with the same hardware and no pins', async () => {
        const text = lines(
            'shape backend_4c { role = backend cores = 4 memory = 32 GiB }',
            'deploy 6 x backend_4c',
            'host hv01 {',
            '  cores = 10  memory = 128 GiB  hypervisor_cores = 2  hypervisor_memory = 8 GiB',
            '  runs = 2 x backend_4c',
            '} // the only one');
        const fixes = await fixesOf(text, 'unplaceable');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([['Add 2 hosts like hv01 (8 usable cores, 120 GiB): hv02, hv03', false]]);
        expect(applyChanges(text, fixes[0].changes)).toBe(text.replace('} // the only one\n', '} // the only one\nhost hv02, hv03 { cores = 10  memory = 128 GiB  hypervisor_cores = 2  hypervisor_memory = 8 GiB }\n'));
    });
});

describe('import-missing: shapes an imported file takes from a file this one does not import', () => {
    it('one error on the import naming the shapes and the file; the fix adds the import after it', async () => {
        const dir = 'tr' + Math.random().toString(36).slice(2);
        await open(lines('shape b { role = backend cores = 4 memory = 8 GiB }', 'shape p { role = proxy cores = 1 memory = 2 GiB }'), testUri('lib/shapes.dcplan', dir));
        await open(lines('import "shapes.dcplan"', 'deploy 4 x b', 'host h[1..2] { cores = 16 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB runs = 1 x p, 1 x b }'), testUri('lib/main.dcplan', dir));
        const top = lines('  import "lib/main.dcplan"', 'plan top { title = "top" }');
        const document = await open(top, testUri('top.dcplan', dir));
        expect((document.diagnostics ?? []).map(d => `${d.code} ${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1} ${d.message}`)).toEqual([
            'import-missing 1:10-1:27 in lib/main.dcplan: deployments or pins use shapes b, p of lib/shapes.dcplan, which this file does not import (imports are not transitive): add import "lib/shapes.dcplan"'
        ]);
        expect(await fixed(top, 'import-missing', undefined, testUri('top2.dcplan', dir))).toBe(lines('  import "lib/main.dcplan"', '  import "lib/shapes.dcplan"', 'plan top { title = "top" }'));
    });

    it('nothing when the file imports the shapes too, or when the imported file declares them itself', async () => {
        const dir = 'tr' + Math.random().toString(36).slice(2);
        await open(lines('shape b { role = backend cores = 4 memory = 8 GiB }'), testUri('shapes.dcplan', dir));
        await open(lines('import "shapes.dcplan"', 'deploy 4 x b'), testUri('main.dcplan', dir));
        await open(lines('shape c { role = backend cores = 4 memory = 8 GiB }', 'deploy 2 x c'), testUri('self.dcplan', dir));
        const both = await open(lines('import "main.dcplan"', 'import "shapes.dcplan"', 'import "self.dcplan"'), testUri('top.dcplan', dir));
        expect((both.diagnostics ?? []).filter(d => d.code === 'import-missing')).toEqual([]);
        const analysis = Dcplan.analysis.PlanAnalyzer.analyze(both);
        expect(analysis.figures.roles.backend.instances).toBe(6);
    });
});

describe('splits stay within the limits', () => {
    it('no proxy split of 2,000 × 1,000-core proxies: 2,000,000 instances pass the 1,000,000 of a deployment', async () => {
        const text = lines('shape p1 { role = proxy cores = 1k memory = 1 GiB }', 'deploy 2k x p1',
            'host h[1..3] { cores = 1M memory = 1.5 TiB hypervisor_cores = 2 hypervisor_memory = 1 MiB }');
        expect(await fixesOf(text, 'proxy-split')).toEqual([]);
        // 500 of them split into 500,000: offered
        expect((await fixesOf(text.replace('deploy 2k', 'deploy 500'), 'proxy-split')).map(f => f.title)).toEqual(['Split into 500000 × 1-core proxies (maintenance impact < 0.1%)']);
    });
});

describe('size-unit', () => {
    it('a unit in the wrong case: the size as the message writes it (preferred); a bare number: the likely unit, offered only', async () => {
        const text = lines('shape b { role = backend cores = 4 memory = 8 gib  local_disk = 2tb }', 'shape c { role = backend cores = 4 memory = 16 }', 'deploy 1 x b', 'deploy 1 x c');
        const fixes = await fixesOf(text, 'size-unit');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([['Write 8 GiB', true], ['Write 2 TB', true], ['Write 16 GiB', false]]);
        expect(applyChanges(text, fixes.flatMap(f => f.changes))).toBe(lines(
            'shape b { role = backend cores = 4 memory = 8 GiB  local_disk = 2 TB }', 'shape c { role = backend cores = 4 memory = 16 GiB }', 'deploy 1 x b', 'deploy 1 x c'));
    });
});

describe('fixes never destroy: the value the checker reads, results checked, fix-all converges', () => {
    const sandbox = fixSandbox();
    const host = 'host hv1 { cores = 32 memory = 128 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }';

    it('cores = 1 cores = 2: the split edits the last cores (the one read), doubles the count once; a second run changes nothing', async () => {
        const text = lines('shape s { role = proxy cores = 1 cores = 2 memory = 2 GiB }', 'deploy 4 x s', host);
        const doc = await open(text);
        // the findings name the value read: the second cores
        expect((doc.diagnostics ?? []).filter(d => ['proxy-split', 'login-idle-cores', 'duplicate-attribute'].includes(String(d.code)))
            .map(d => `${d.code} ${d.range.start.character}-${d.range.end.character}`).sort())
            .toEqual(['duplicate-attribute 41-42', 'login-idle-cores 41-42', 'proxy-split 41-42']);
        const once = await sandbox.fixAll('file:///nd/p.dcplan', text, () => undefined);
        expect(once.text).toBe(lines('shape s { role = proxy cores = 1 cores = 1 memory = 1 GiB }', 'deploy 8 x s', host));
        expect(once.applied).toEqual([{ round: 1, code: 'proxy-split', title: 'Split into 8 × 1-core proxies (maintenance impact 12.5%)' }]);
        expect(once.rounds).toBe(1);
        const twice = await sandbox.fixAll('file:///nd/p.dcplan', once.text, () => undefined);
        expect(twice).toMatchObject({ changed: false, text: once.text, applied: [], rounds: 0 });
    });

    it('login_processes given twice: a split to 1 core removes both (removing only the last would make the first count)', async () => {
        const text = lines('shape s {', '  role = proxy', '  cores = 2', '  memory = 4 GiB', '  login_processes = 2  # first', '  login_processes = 2', '}', 'deploy 3 x s', host);
        expect(await fixed(text, 'proxy-split')).toBe(lines('shape s {', '  role = proxy', '  cores = 1', '  memory = 2 GiB', '  # first', '}', 'deploy 6 x s', host));
    });

    it('memory = 8 memory = 8 gib: the size-unit error and its fix are on the second value, the one in error', async () => {
        const text = lines('shape s { role = backend cores = 4 memory = 8 memory = 8 gib }', 'deploy 2 x s', host);
        const doc = await open(text);
        expect((doc.diagnostics ?? []).filter(d => d.code === 'size-unit' || d.code === 'duplicate-attribute')
            .map(d => `${d.code} ${d.range.start.character}-${d.range.end.character}`)).toEqual(['duplicate-attribute 55-60', 'size-unit 55-60']);
        expect(text.slice(55, 60)).toBe('8 gib');
        expect(await fixed(text, 'size-unit')).toBe(lines('shape s { role = backend cores = 4 memory = 8 memory = 8 GiB }', 'deploy 2 x s', host));
        const once = await sandbox.fixAll('file:///nd/m.dcplan', text, () => undefined);
        expect(once.text).toBe(lines('shape s { role = backend cores = 4 memory = 8 memory = 8 GiB }', 'deploy 2 x s', host));
        expect((await sandbox.fixAll('file:///nd/m.dcplan', once.text, () => undefined)).changed).toBe(false);
    });

    it('an import on the line of a host: the added import goes between them, once, and the file parses', async () => {
        const files: Record<string, string> = {
            'file:///ni/lib/shapes.dcplan': lines('shape b { role = backend cores = 4 memory = 8 GiB }', 'shape p { role = proxy cores = 1 memory = 2 GiB }'),
            'file:///ni/lib/main.dcplan': lines('import "shapes.dcplan"', 'deploy 4 x b', 'deploy 2 x p', 'host h[1..2] { cores = 16 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB runs = 1 x p, 1 x b }')
        };
        const read = (uri: { toString(): string }) => files[uri.toString()];
        const top = 'import "lib/main.dcplan"   host hv1 { cores = 16 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB } // hosts\n';
        const once = await sandbox.fixAll('file:///ni/top.dcplan', top, read);
        expect(once.text).toBe(lines('import "lib/main.dcplan"', 'import "lib/shapes.dcplan"',
            'host hv1 { cores = 16 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB } // hosts'));
        expect(once.applied.map(a => a.title)).toEqual(['Add import "lib/shapes.dcplan"']);
        expect(once.diagnostics.map(d => d.code)).not.toContain('syntax-error');
        expect((await sandbox.fixAll('file:///ni/top.dcplan', once.text, read)).changed).toBe(false);
        // with a line comment after the import, the new import goes on the next line; a block
        // comment stays after the new import
        expect((await sandbox.fixAll('file:///ni/top.dcplan', 'import "lib/main.dcplan" // main\nplan t { title = "t" }\n', read)).text)
            .toBe('import "lib/main.dcplan" // main\nimport "lib/shapes.dcplan"\nplan t { title = "t" }\n');
        expect((await sandbox.fixAll('file:///ni/top.dcplan', 'import "lib/main.dcplan" /* main */ plan t { title = "t" }\n', read)).text)
            .toBe('import "lib/main.dcplan"\nimport "lib/shapes.dcplan" /* main */ plan t { title = "t" }\n');
    });

    it('a fix whose result adds an error is not applied by fix-all (the rest still is)', async () => {
        // the import that the error asks for makes the pins of p exceed its (zero) deployments
        const files: Record<string, string> = {
            'file:///nx/shapes.dcplan': lines('shape b { role = backend cores = 4 memory = 8 GiB }', 'shape p { role = proxy cores = 1 memory = 2 GiB }'),
            'file:///nx/main.dcplan': lines('import "shapes.dcplan"', 'deploy 4 x b', 'host h[1..2] { cores = 16 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB runs = 1 x p, 1 x b }')
        };
        const read = (uri: { toString(): string }) => files[uri.toString()];
        const top = lines('import "main.dcplan"', 'shape q { role = backend cores = 4 memory = 8 gib }', 'deploy 1 x q');
        const fixes = await (async () => {
            const c = await sandbox.check('file:///nx/top.dcplan', top, read);
            return fixesForDocument({ document: c.document, analysis: c.analysis }).map(f => f.title);
        })();
        expect(fixes).toEqual(['Add import "shapes.dcplan"', 'Write 8 GiB']);
        const once = await sandbox.fixAll('file:///nx/top.dcplan', top, read);
        expect(once.text).toBe(top.replace('8 gib', '8 GiB'));
        expect(once.applied.map(a => a.title)).toEqual(['Write 8 GiB']);
        expect((await sandbox.fixAll('file:///nx/top.dcplan', once.text, read)).changed).toBe(false);
    });
});
