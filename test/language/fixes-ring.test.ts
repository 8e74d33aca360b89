/**
 * Ring fixes (`language-server/fixes/ring.ts`): `director-ring-too-large` merges, ring splits
 * and moves, with pins that do not scale; exact text before and after.
 */
import { describe, expect, it } from 'vitest';
import { example, open } from '../lsp/helpers.js';
import { diagnosticLines } from '../helpers/diagnostics.js';
import { applyChanges } from '../../language-server/fixes/index.js';
import { fixesOf, lines } from './fixes-helpers.js';

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
        expect(three).toBe(
            text
                .replace(
                    'shape director_1c { role = director cores = 1  memory = 2 GiB }',
                    'shape director_3c { role = director cores = 3  memory = 6 GiB  login_processes = 3 }'
                )
                .replace('deploy 12 x director_1c', 'deploy 4 x director_3c')
        );
        expect(two).toBe(
            text
                .replace(
                    'shape director_1c { role = director cores = 1  memory = 2 GiB }',
                    'shape director_2c { role = director cores = 2  memory = 4 GiB  login_processes = 2 }'
                )
                .replace('deploy 12 x director_1c', 'deploy 6 x director_2c')
        );
        expect(rings).toBe(
            text.replace(
                'deploy 12 x director_1c',
                'deploy 6 x director_1c\ndeploy 6 x director_1c ring main_2'
            )
        );
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
            '}'
        );
        const fixes = await fixesOf(text, 'director-ring-too-large');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Merge ring main into 4 × 3-core directors (maintenance impact 21.4%)', true],
            [
                'Merge ring main into 5 × 2-core directors (maintenance impact 16.7%; new shape director_2c for 10 of the 12 instances of director_1c)',
                false
            ],
            ['Split into 2 rings of 5 + 5 directors (main, main_2)', false]
        ]);
        expect(applyChanges(text, fixes[0].changes)).toBe(
            text
                .replace(
                    '// small\n',
                    '// small\nshape director_3c { role = director cores = 3 memory = 6 GiB login_processes = 3 }\n'
                )
                .replace('deploy 10 x director_1c', 'deploy 4 x director_3c')
        );
        expect(applyChanges(text, fixes[1].changes)).toBe(
            text
                .replace(
                    '// small\n',
                    '// small\nshape director_2c { role = director cores = 2 memory = 4 GiB login_processes = 2 }\n'
                )
                .replace('deploy 10 x director_1c', 'deploy 5 x director_2c')
        );
    });
});

describe('director-ring-too-large with runs pins that do not scale', () => {
    // ring-too-large.dcplan with one director pinned on each of hv1..hv4: 4 pins of 1 core do not
    // divide into 3- or 2-core directors. Pins round up to whole merged directors (every pinned
    // host keeps a director, with at least the cores it pinned) when they fit.
    const text = example('ring-too-large.dcplan').replace(
        'hypervisor_cores = 2  hypervisor_memory = 8 GiB\n',
        'hypervisor_cores = 2  hypervisor_memory = 8 GiB\n  runs = 1 x director_1c\n'
    );

    it('offers the preferred merge, the pins rounded up to one merged director per host', async () => {
        const fixes = await fixesOf(text, 'director-ring-too-large');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            [
                'Merge ring main into 4 × 3-core directors (maintenance impact 25%; pins rounded up to whole 3-core directors)',
                true
            ],
            [
                'Merge ring main into 6 × 2-core directors (maintenance impact 16.7%; pins rounded up to whole 2-core directors)',
                false
            ],
            ['Split into 2 rings of 6 + 6 directors (main, main_2)', false]
        ]);
        const [three, two] = fixes.map(f => applyChanges(text, f.changes));
        expect(three).toBe(
            text
                .replace(
                    'shape director_1c { role = director cores = 1  memory = 2 GiB }',
                    'shape director_3c { role = director cores = 3  memory = 6 GiB  login_processes = 3 }'
                )
                .replace('deploy 12 x director_1c', 'deploy 4 x director_3c')
                .replace('runs = 1 x director_1c', 'runs = 1 x director_3c')
        );
        expect(two).toBe(
            text
                .replace(
                    'shape director_1c { role = director cores = 1  memory = 2 GiB }',
                    'shape director_2c { role = director cores = 2  memory = 4 GiB  login_processes = 2 }'
                )
                .replace('deploy 12 x director_1c', 'deploy 6 x director_2c')
                .replace('runs = 1 x director_1c', 'runs = 1 x director_2c')
        );
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
            '}'
        );
        const fixes = await fixesOf(wide, 'director-ring-too-large');
        expect(fixes.filter(f => f.preferred).map(f => f.title)).toEqual([
            'Merge ring main into 4 × 3-core directors (maintenance impact 25%; pins of director_1c removed)'
        ]);
        expect(applyChanges(wide, fixes[0].changes)).toBe(
            wide
                .replace(
                    'shape director_1c { role = director cores = 1  memory = 2 GiB }',
                    'shape director_3c { role = director cores = 3  memory = 6 GiB  login_processes = 3 }'
                )
                .replace('deploy 12 x director_1c', 'deploy 4 x director_3c')
                .replace('  runs = 1 x director_1c\n', '')
        );
    });
});

describe('ring-not-for-role', () => {
    const text = lines(
        'shape director_3c { role = director cores = 3 memory = 6 GiB login_processes = 3 }',
        'shape backend_4c { role = backend cores = 4 memory = 32 GiB }',
        'deploy 2 x director_3c ring r9',
        'deploy 2 x backend_4c ring r9 // storage',
        'deploy 2 x backend_4c',
        '  ring eu',
        'host hv[1..3] { cores = 16 memory = 128 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }'
    );

    it('warns on each `ring <name>` clause of a backend deployment, not on the director ring', async () => {
        const doc = await open(text);
        expect(diagnosticLines(doc.diagnostics ?? [])).toEqual([
            'info single-role-host 7:6-7:14 hv1 runs backends only: the page recommends proxy, director and backend together on each host',
            'warning ring-not-for-role 4:23-4:30 ring applies to directors, not to backends: backend_4c is a backend shape, so ring r9 is ignored',
            'warning ring-not-for-role 6:3-6:10 ring applies to directors, not to backends: backend_4c is a backend shape, so ring eu is ignored'
        ]);
    });

    it('removes the clause (and its blanks, or its line when alone); the comment and the director ring stay', async () => {
        const fixes = await fixesOf(text, 'ring-not-for-role');
        expect(fixes.map(f => [f.title, f.preferred])).toEqual([
            ['Remove ring r9 (rings are for directors)', true],
            ['Remove ring eu (rings are for directors)', true]
        ]);
        const [r9, eu] = fixes.map(f => applyChanges(text, f.changes));
        expect(r9).toBe(
            text.replace(
                'deploy 2 x backend_4c ring r9 // storage',
                'deploy 2 x backend_4c // storage'
            )
        );
        expect(eu).toBe(
            text.replace('deploy 2 x backend_4c\n  ring eu\n', 'deploy 2 x backend_4c\n')
        );
    });

    it('after fixing both, the plan parses with no ring-not-for-role left', async () => {
        const fixes = await fixesOf(text, 'ring-not-for-role');
        const after = applyChanges(
            text,
            fixes.flatMap(f => f.changes)
        );
        expect(after).toBe(
            text
                .replace('backend_4c ring r9 // storage', 'backend_4c // storage')
                .replace('deploy 2 x backend_4c\n  ring eu\n', 'deploy 2 x backend_4c\n')
        );
        expect(await fixesOf(after, 'ring-not-for-role')).toEqual([]);
        // what stays is about the placement, not the rings
        const doc = await open(after);
        expect(diagnosticLines(doc.diagnostics ?? [])).toEqual([
            'info single-role-host 6:6-6:14 hv1 runs backends only: the page recommends proxy, director and backend together on each host'
        ]);
    });
});
