/**
 * Hover with the computed figures: exact Markdown on the examples (shape, host, deployment,
 * ring, model, workload, demand, plan), each naming its section of the Dovecot page.
 */
import { describe, expect, test } from 'vitest';
import { Dcplan, example, offsetOf, open } from './helpers.js';

/** The hover Markdown at `needle` (its `n`-th occurrence, one character in). */
async function hoverAt(
    text: string,
    needle: string,
    n = 0,
    delta = 1
): Promise<string | undefined> {
    const doc = await open(text);
    const hover = await Dcplan.lsp.HoverProvider!.getHoverContent(doc, {
        textDocument: { uri: doc.uri.toString() },
        position: doc.textDocument.positionAt(offsetOf(text, needle, n, delta))
    });
    return hover ? (hover.contents as { value: string }).value : undefined;
}

const RECOMMENDED = example('seed-recommended.dcplan');
const SRC = 'Dovecot "Virtualised Architecture"';
const WORKLOAD_NOTE =
    'The largest demand of a role over the workloads (its peak) is what the capacity checks compare with the deployed cores and memory.';

describe('seed-recommended.dcplan', () => {
    test('a shape: 12 instances, 12 cores, 24 GiB, 8.3%', async () => {
        const expected = [
            '**shape `proxy_1c`** — proxy, 1 core, 2 GiB per instance',
            '12 instances: 12 cores, 24 GiB in all.',
            'Maintenance impact: **8.3%** — one instance down takes 1 of the 12 proxy cores.',
            'Placed: hv01 3, hv02 3, hv03 3, hv04 3.',
            `*Source: ${SRC}, section "Virtualised Proxy sizing".*`
        ].join('\n\n');
        expect(await hoverAt(RECOMMENDED, 'shape proxy_1c', 0, 7)).toBe(expected);
        // The same on a use of the shape.
        expect(await hoverAt(RECOMMENDED, 'x proxy_1c', 0, 3)).toBe(expected);
    });
    test('the director and backend shapes', async () => {
        expect(await hoverAt(RECOMMENDED, 'shape director_3c', 0, 7)).toBe(
            [
                '**shape `director_3c`** — director, 3 cores, 6 GiB per instance',
                '4 instances: 12 cores, 24 GiB in all.',
                'Maintenance impact: **25%** — one instance down takes 3 of the 12 director cores.',
                'Placed: hv01 1, hv02 1, hv03 1, hv04 1.',
                `*Source: ${SRC}, section "Virtualised Director sizing".*`
            ].join('\n\n')
        );
        expect(await hoverAt(RECOMMENDED, 'shape backend_4c', 0, 7)).toContain(
            'Maintenance impact: **6.3%** — one instance down takes 4 of the 64 backend cores.'
        );
    });
    test('a host range: a row per host with its load and loss impact', async () => {
        const row = (h: string) =>
            `| ${h} | 22 / 22 | 140 / 368 GiB | 3 × proxy_1c, 1 × director_3c, 4 × backend_4c | 25% |`;
        expect(await hoverAt(RECOMMENDED, 'hv[01..04]')).toBe(
            [
                // the range as typed, its brackets escaped (user text in Markdown)
                '**host hv\\[01..04\\]** — 4 hosts (model dual_socket_24)',
                [
                    '| host | vCPUs used / usable | memory used / usable | instances | host lost |',
                    '|---|---:|---:|---|---:|',
                    row('hv01'),
                    row('hv02'),
                    row('hv03'),
                    row('hv04')
                ].join('\n'),
                'Usable vCPUs per host: 24 cores × 1 thread − 2 for the hypervisor = 22; usable memory: 384 − 16 GiB = 368 GiB.',
                `*Source: ${SRC}, sections "No over commitment of resources" and "Allocating Virtual Instances on Physical Machines".*`
            ].join('\n\n')
        );
    });
    test('a deployment: where its instances went, and the ring of directors', async () => {
        expect(await hoverAt(RECOMMENDED, 'deploy 4', 0, 2)).toBe(
            [
                '**deploy 4 x director_3c** — instances director_3c-1 … director_3c-4',
                'Placed: hv01 1, hv02 1, hv03 1, hv04 1.',
                'Maintenance impact of one instance: 25% of the director cores.',
                'Ring `main`: 4 directors of at most 9.',
                `*Source: ${SRC}, sections "Allocating Virtual Instances on Physical Machines" and "Virtualised Director sizing".*`
            ].join('\n\n')
        );
    });
    test('a deployment over 60 hosts lists 50 of them, then how many more', async () => {
        const text = [
            'plan wide { title = "w" }',
            'shape p { role = proxy cores = 1 memory = 1 GiB }',
            'shape d { role = director cores = 1 memory = 1 GiB }',
            'shape b { role = backend cores = 4 memory = 8 GiB }',
            'deploy 60 x p',
            'deploy 3 x d',
            'deploy 60 x b',
            'host h[01..60] { cores = 8 memory = 32 GiB }',
            ''
        ].join('\n');
        const placed = (await hoverAt(text, 'deploy 60 x p', 0, 2))!.split('\n\n')[1];
        const hosts = Array.from({ length: 50 }, (_, k) => `h${String(k + 1).padStart(2, '0')} 1`);
        expect(placed).toBe(`Placed: ${hosts.join(', ')} and 10 more.`);
    });
    test('a model, its hosts and what each can give to instances', async () => {
        const expected = [
            '**model `dual_socket_24`** — 24 cores × 1 thread, 384 GiB',
            'Used by 4 hosts: hv01, hv02, hv03, hv04.',
            'Usable vCPUs per host: 24 cores × 1 thread − 2 for the hypervisor = 22; usable memory: 384 − 16 GiB = 368 GiB.',
            'Hyper-threads count as cores when the guest OS supports them: vCPUs = cores × threads per core.',
            `*Source: ${SRC}, section "No over commitment of resources".*`
        ].join('\n\n');
        expect(await hoverAt(RECOMMENDED, ': dual_socket_24', 0, 4)).toBe(expected);
        // The same on its declaration.
        expect(await hoverAt(RECOMMENDED, 'model dual_socket_24', 0, 7)).toBe(expected);
    });
    test('a workload: its demand per role, the deployed cores, and that it is the peak', async () => {
        expect(await hoverAt(RECOMMENDED, 'workload peak', 0, 10)).toBe(
            [
                '**workload `peak`**',
                [
                    '| role | demand | deployed | governing workload |',
                    '|---|---:|---:|---|',
                    '| proxy | 12 cores | 12 cores | **this workload** |',
                    '| director | 12 cores | 12 cores | **this workload** |',
                    '| backend | 64 cores | 64 cores | **this workload** |'
                ].join('\n'),
                WORKLOAD_NOTE,
                `*Source: ${SRC}, section "Sizing Virtual Machines".*`
            ].join('\n\n')
        );
    });
    test('a workload demand against the deployed cores', async () => {
        expect(await hoverAt(RECOMMENDED, 'backend  = 64')).toBe(
            [
                '**backend demand** — 64 cores (workload `peak`)',
                'Deployed: 64 cores against the peak demand of 64 cores (100%).',
                `*Source: ${SRC}, section "Sizing Virtual Machines".*`
            ].join('\n\n')
        );
    });
    test('a demand line still being typed (role, no cores yet) says so', async () => {
        const text = 'workload day { proxy = 12 cores }\nworkload night { proxy';
        expect(await hoverAt(text, 'proxy', 1, 2)).toBe(
            [
                '**proxy demand** — no cores given (workload `night`)',
                'Deployed: 0 cores against the peak demand of 12 cores (0%).',
                `*Source: ${SRC}, section "Sizing Virtual Machines".*`
            ].join('\n\n')
        );
    });
    test('the plan: totals, impacts, host failure', async () => {
        expect(await hoverAt(RECOMMENDED, 'plan recommended', 0, 6)).toBe(
            [
                '**plan `recommended`** — Dovecot recommended VM split on four hypervisors',
                [
                    '| cores | |',
                    '|---|---:|',
                    '| demand | 88 |',
                    '| deployed | 88 |',
                    '| usable | 88 |',
                    '| physical | 96 |',
                    '| placed | 88 |'
                ].join('\n'),
                'Maintenance impact of one instance: proxy 8.3%, director 25%, backend 6.3%.',
                'Host failure: tolerates 0 host losses; N+1 needs 5 hosts.',
                `*Source: ${SRC}, section "Allocating Virtual Instances on Physical Machines".*`
            ].join('\n\n')
        );
    });
    test('the plan of a plan that survives two losses: N+2 holds with its own hosts', async () => {
        const text =
            'plan p { tolerate_host_failures = 2 }\nshape proxy_1c { role = proxy cores = 1 memory = 2 GiB }\ndeploy 3 x proxy_1c\n' +
            'host hv[1..5] { cores = 8 memory = 32 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }\n';
        const parts = (await hoverAt(text, 'plan p', 0, 5))!.split('\n\n');
        expect(parts.filter(x => x.startsWith('Host failure'))).toEqual([
            "Host failure: tolerates 2 host losses; N+2 holds with the plan's 5 hosts."
        ]);
    });
    test('the plan of a plan that deploys nothing has no host failure line', async () => {
        const text = 'plan p { }\nhost hv01 { cores = 8 memory = 32 GiB }\n';
        const hover = await hoverAt(text, 'plan p', 0, 5);
        expect(hover).toContain('**plan `p`**');
        expect(hover).not.toContain('Host failure');
    });
    test('keywords, numbers and comments have no hover', async () => {
        expect(await hoverAt(RECOMMENDED, '// The split')).toBeUndefined();
        expect(await hoverAt(RECOMMENDED, 'cores = 1 ', 0, 8)).toBeUndefined();
    });
});

describe('the other examples', () => {
    test('an overcommitted host', async () => {
        expect(await hoverAt(example('overcommit.dcplan'), 'host hv01', 0, 6)).toBe(
            [
                '**host hv01**',
                [
                    '| | used | usable |',
                    '|---|---:|---:|',
                    '| vCPUs | 24 | 22 |',
                    '| memory | 248 GiB | 112 GiB |'
                ].join('\n'),
                'Usable vCPUs: 24 cores × 1 thread − 2 for the hypervisor = 22; usable memory: 128 − 16 GiB = 112 GiB.',
                'Runs 7 instances: 2 × proxy_2c, 5 × backend_4c.',
                'Losing it affects **100%** of sessions (proxy 100%, backend 83.3% of their cores).',
                '**Overcommitted** hv01: its `runs` need 24 vCPUs and 248 GiB of 22 vCPUs and 112 GiB usable.',
                `*Source: ${SRC}, sections "No over commitment of resources" and "Allocating Virtual Instances on Physical Machines".*`
            ].join('\n\n')
        );
    });
    test('a ring past the limit of 9', async () => {
        const text = example('ring-too-large.dcplan');
        expect(await hoverAt(text, 'deploy 12', 0, 2)).toContain(
            'Ring `main`: 12 directors of at most 9 — 3 over.'
        );
        expect(
            await hoverAt(
                'shape d { role = director cores = 1 memory = 2 GiB }\ndeploy 12 x d ring eu\n',
                'ring eu',
                0,
                6
            )
        ).toBe(
            [
                '**ring `eu`** — 12 directors, at most 9 recommended: 3 over',
                '12 × d',
                `*Source: ${SRC}, section "Virtualised Director sizing".*`
            ].join('\n\n')
        );
    });
    test('unplaced instances of seed-reference', async () => {
        expect(await hoverAt(example('seed-reference.dcplan'), 'shape proxy_4c', 0, 7)).toBe(
            [
                '**shape `proxy_4c`** — proxy, 4 cores, 8 GiB per instance',
                '3 instances: 12 cores, 24 GiB in all.',
                'Maintenance impact: **33.3%** — one instance down takes 4 of the 12 proxy cores.',
                'Placed: hv01 1, hv03 1.',
                'Unplaced: proxy_4c-3.',
                `*Source: ${SRC}, section "Virtualised Proxy sizing".*`
            ].join('\n\n')
        );
    });
    test('a physical plan', async () => {
        expect(await hoverAt(example('seed-physical.dcplan'), 'shape backend_8c', 0, 7)).toBe(
            [
                '**shape `backend_8c`** — backend, 8 cores, 128 GiB per instance',
                '8 instances: 64 cores, 1024 GiB in all.',
                'Maintenance impact: **12.5%** — one instance down takes 8 of the 64 backend cores.',
                'Placed: every instance on its own machine (physical plan).',
                `*Source: ${SRC}, section "Virtualised Backend sizing".*`
            ].join('\n\n')
        );
    });
    test('two workloads: which one governs each role, cores and memory apart, and ties', async () => {
        const text =
            'workload day { sessions = 200k active_users = 150k proxy = 12 cores backend = 64 cores, 512 GiB }\n' +
            'workload night { proxy = 12 cores director = 6 cores backend = 32 cores, 1 TiB }\n' +
            'workload backend { }\n' +
            'shape p { role = proxy cores = 1 memory = 2 GiB }\ndeploy 10 x p\n';
        const source = `*Source: ${SRC}, section "Sizing Virtual Machines".*`;
        expect(await hoverAt(text, 'workload day', 0, 10)).toBe(
            [
                '**workload `day`** — 200,000 sessions, 150,000 active users',
                [
                    '| role | demand | deployed | governing workload |',
                    '|---|---:|---:|---|',
                    '| proxy | 12 cores | 10 cores | **this workload** (tied with `night`) |',
                    '| backend | 64 cores, 512 GiB | 0 cores, 0 GiB | cores: **this workload**; memory: `night` (1024 GiB) |'
                ].join('\n'),
                WORKLOAD_NOTE,
                source
            ].join('\n\n')
        );
        expect(await hoverAt(text, 'workload night', 0, 10)).toBe(
            [
                '**workload `night`**',
                [
                    '| role | demand | deployed | governing workload |',
                    '|---|---:|---:|---|',
                    '| proxy | 12 cores | 10 cores | **this workload** (tied with `day`) |',
                    '| director | 6 cores | 0 cores | **this workload** |',
                    '| backend | 32 cores, 1024 GiB | 0 cores, 0 GiB | cores: `day` (64 cores); memory: **this workload** |'
                ].join('\n'),
                WORKLOAD_NOTE,
                source
            ].join('\n\n')
        );
        // a value word as the name; no demand line
        expect(await hoverAt(text, 'workload backend', 0, 10)).toBe(
            [
                '**workload `backend`**',
                'No demand per role: the capacity checks do not count this workload.',
                source
            ].join('\n\n')
        );
    });
    test('a model whose hosts keep different hypervisor reserves: one usable line each', async () => {
        const text =
            'model m { cores = 16 threads_per_core = 2 memory = 128 GiB hypervisor_cores = 2 }\n' +
            'host a, b : m { }\nhost c : m { hypervisor_cores = 4 hypervisor_memory = 8 GiB }\n';
        expect(await hoverAt(text, 'model m', 0, 6)).toBe(
            [
                '**model `m`** — 16 cores × 2 threads, 128 GiB',
                'Used by 3 hosts: a, b, c.',
                'Usable vCPUs on a, b: 16 cores × 2 threads − 2 for the hypervisor = 30; usable memory: 128 − 0 GiB = 128 GiB.',
                'Usable vCPUs on c: 16 cores × 2 threads − 4 for the hypervisor = 28; usable memory: 128 − 8 GiB = 120 GiB.',
                'Hyper-threads count as cores when the guest OS supports them: vCPUs = cores × threads per core.',
                `*Source: ${SRC}, section "No over commitment of resources".*`
            ].join('\n\n')
        );
        expect(
            (await hoverAt(`plan p { platform = physical }\n${text}`, 'model m', 0, 6))!.split(
                '\n\n'
            )[2]
        ).toBe('Physical plan: hosts are ignored, every instance is its own machine.');
        expect(await hoverAt('model m { cores = 8 memory = 32 GiB }\n', 'model m', 0, 6)).toBe(
            [
                '**model `m`** — 8 cores × 1 thread, 32 GiB',
                'Used by no host.',
                'Hyper-threads count as cores when the guest OS supports them: vCPUs = cores × threads per core.',
                `*Source: ${SRC}, section "No over commitment of resources".*`
            ].join('\n\n')
        );
    });
    test('a shape nobody deploys', async () => {
        expect(
            await hoverAt('shape spare { role = proxy cores = 1 memory = 2 GiB }\n', 'spare')
        ).toBe(
            [
                '**shape `spare`** — proxy, 1 core, 2 GiB per instance',
                'Not deployed: no `deploy` line uses it.',
                `*Source: ${SRC}, section "Virtualised Proxy sizing".*`
            ].join('\n\n')
        );
    });
});

describe('user text in hover Markdown', () => {
    test('a plan title shows as typed: no link, no HTML, no emphasis', async () => {
        const text =
            'plan p { title = "see [x](command:y) <b>bold</b> *a* _b_ `c` | d" }\n' +
            'shape px { role = proxy cores = 1 memory = 2 GiB }\ndeploy 1 x px\n';
        const hover = await hoverAt(text, 'plan p', 0, 5);
        expect(hover!.split('\n\n')[0]).toBe(
            '**plan `p`** — see \\[x\\](command:y) \\<b\\>bold\\</b\\> \\*a\\* \\_b\\_ \\`c\\` \\| d'
        );
    });
    test('a name with underscores at its ends is escaped, one inside a word is not', async () => {
        const text =
            'shape _px_1 { role = proxy cores = 1 memory = 2 GiB }\ndeploy 2 x _px_1\n' +
            'host _h_ { cores = 8 memory = 32 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB }\n';
        const hover = await hoverAt(text, 'deploy 2', 0, 1);
        expect(hover!.split('\n\n').slice(0, 2)).toEqual([
            '**deploy 2 x \\_px_1** — instances \\_px_1-1 … \\_px_1-2',
            'Placed: \\_h\\_ 2.'
        ]);
    });
});

describe('a shape name that names no shape', () => {
    test('deploy and runs: no such shape, not "a shape needs a valid role"; a shape with errors keeps that', async () => {
        const text =
            'deploy 2 x nosuch\n' +
            'host a { cores = 4 memory = 8 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB runs = 1 x nosuch }\n' +
            'shape bad { role = proxy cores = 0 memory = 2 GiB }\ndeploy 1 x bad\n';
        const none =
            '**shape `nosuch`**\n\nNo shape of this name is defined in this file or the files it imports.';
        expect(await hoverAt(text, 'nosuch', 0)).toBe(none);
        expect(await hoverAt(text, 'nosuch', 1)).toBe(none);
        expect(await hoverAt(text, 'x bad', 0, 3)).toBe(
            '**shape `bad`**\n\nNot in the plan: a shape needs a valid `role`, `cores` and `memory`.'
        );
    });
});
