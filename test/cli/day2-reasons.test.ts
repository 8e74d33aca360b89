/**
 * Each day-2 step says why it is taken: the planner's reason of each move (its locked host
 * removed from the plan or drained, a `runs` pin, `rebalance_moves`) in the text after the move
 * and as `reason` in the JSON (a closed set: report.ts `StepReason`). Before, the steps said
 * only where an instance goes. Real files in a temp directory.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/main.js';
import { formatMoves } from '../../src/cli/lock.js';
import type { PlanReport } from '../../src/planner/report.js';

let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-reasons-'));
});
afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

const SHAPES =
    'shape px { role = proxy cores = 1 memory = 2 GiB }\n' +
    'shape be { role = backend cores = 4 memory = 16 GiB }\n' +
    'deploy 4 x px\ndeploy 4 x be\n';
/** 12 usable vCPUs and 56 GiB a host. */
const SIZE = 'cores = 14 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB';

/** A lock of `name`.dcplan placing be-1..4 and px-1..4 as `placement` says (`instance: host` lines). */
function lock(name: string, placement: string): string {
    return (
        `plan: ${name}.dcplan\nshapes:\n  be: { role: backend, cores: 4, memory_gib: 16 }\n` +
        `  px: { role: proxy, cores: 1, memory_gib: 2 }\nplacement:\n${placement}`
    );
}

/** h1 runs be-1, be-2, px-1; h2 be-3, px-2, px-3; h3 be-4, px-4. */
const SPREAD =
    '  be-1: h1\n  be-2: h1\n  be-3: h2\n  be-4: h3\n  px-1: h1\n  px-2: h2\n  px-3: h2\n  px-4: h3\n';

/** Writes `name`.dcplan (`plan name { settings }` then `body`) and its lock; the moves text and JSON of `dcplan place`. */
async function place(
    name: string,
    settings: string,
    body: string,
    placement: string
): Promise<{ text: string; json: PlanReport['moves'] }> {
    const file = path.join(tmp, `${name}.dcplan`);
    fs.writeFileSync(file, `plan ${name} { ${settings}}\n${SHAPES}${body}`);
    fs.writeFileSync(`${file}.lock`, lock(name, placement));
    const text = (await runCli(['place', file])).stdout;
    const json = JSON.parse(
        (await runCli(['place', '--format', 'json', file])).stdout
    ) as PlanReport;
    return {
        text: text.slice(text.lastIndexOf('\nmoves: ') + 1).replace(`${file}.lock`, 'LOCK'),
        json: json.moves
    };
}

/** A move step as the JSON has it. */
const move = (step: number, instance: string, from: string, to: string, reason: string) => ({
    step,
    kind: 'move',
    instance,
    from,
    to,
    temporary: false,
    reason
});

describe('each move says why', () => {
    it('hosts that shrank: the piece that leaves an overcommitted host says so, whichever it is', async () => {
        // 8 usable vCPUs a host now; h1 runs 9 under the lock: be-2 is shed first, but its room
        // is found by moving px-1 instead (a smaller piece leaves): "(h1 overcommitted)", not
        // "(room for the placement)"
        const r = await place(
            'shrunk',
            '',
            'host h1, h2, h3 { cores = 10 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB }\n',
            SPREAD
        );
        expect(r.text).toBe(
            ['moves: 1 (from LOCK)', '  1. px-1: h1 -> h2 (h1 overcommitted)', ''].join('\n')
        );
        expect(r.json).toStrictEqual([move(1, 'px-1', 'h1', 'h2', 'host-overcommitted')]);
    });

    it('a host removed from the plan: its instances move, "(h3 removed from the plan)"', async () => {
        const r = await place('removed', '', `host h1, h2, h4 { ${SIZE} }\n`, SPREAD);
        expect(r.text).toBe(
            [
                'moves: 2 (from LOCK)',
                '  1. px-4: h3 -> h4 (h3 removed from the plan)',
                '  2. be-4: h3 -> h4 (h3 removed from the plan)',
                ''
            ].join('\n')
        );
        expect(r.json).toStrictEqual([
            move(1, 'px-4', 'h3', 'h4', 'host-removed'),
            move(2, 'be-4', 'h3', 'h4', 'host-removed')
        ]);
    });

    it('a drained host: "(h3 drained)"', async () => {
        const r = await place(
            'drained',
            '',
            `host h1, h2 { ${SIZE} }\nhost h3 { ${SIZE} drain = true }\n`,
            SPREAD
        );
        expect(r.text).toBe(
            [
                'moves: 2 (from LOCK)',
                '  1. px-4: h3 -> h1 (h3 drained)',
                '  2. be-4: h3 -> h2 (h3 drained)',
                ''
            ].join('\n')
        );
        expect(r.json).toStrictEqual([
            move(1, 'px-4', 'h3', 'h1', 'host-drained'),
            move(2, 'be-4', 'h3', 'h2', 'host-drained')
        ]);
    });

    it('a pin that asks for one more proxy on h1: px-2 moves there, "(pinned by runs)"', async () => {
        const r = await place(
            'pinned',
            '',
            `host h1 { runs = 2 x px ${SIZE} }\nhost h2, h3 { ${SIZE} }\n`,
            SPREAD
        );
        expect(r.text).toBe(
            ['moves: 1 (from LOCK)', '  1. px-2: h2 -> h1 (pinned by runs)', ''].join('\n')
        );
        expect(r.json).toStrictEqual([move(1, 'px-2', 'h2', 'h1', 'pinned')]);
    });

    it('rebalance_moves = 2 onto an empty h3: "(rebalance)"', async () => {
        const r = await place(
            'rebalanced',
            'rebalance_moves = 2 ',
            `host h1, h2, h3 { ${SIZE} }\n`,
            '  be-1: h1\n  be-2: h1\n  be-3: h2\n  be-4: h2\n  px-1: h1\n  px-2: h1\n  px-3: h2\n  px-4: h2\n'
        );
        expect(r.text).toBe(
            [
                'moves: 2 (from LOCK)',
                '  1. px-3: h2 -> h3 (rebalance)',
                '  2. be-1: h1 -> h3 (rebalance)',
                ''
            ].join('\n')
        );
        expect(r.json).toStrictEqual([
            move(1, 'px-3', 'h2', 'h3', 'rebalance'),
            move(2, 'be-1', 'h1', 'h3', 'rebalance')
        ]);
    });

    it('a temporary hop and a blocked move: the reason names the locked host on every step', () => {
        const steps = [
            ['be-1', 'hv02', 'hv03', true],
            ['be-2', 'hv01', 'hv02', false],
            ['be-1', 'hv03', 'hv05', false]
        ] as const;
        const report = {
            lockFile: 'plan.dcplan.lock',
            moves: [
                ...steps.map(([instance, from, to, temporary], k) => ({
                    step: k + 1,
                    kind: 'move' as const,
                    instance,
                    from,
                    to,
                    temporary,
                    reason: instance === 'be-1' ? ('host-drained' as const) : ('rebalance' as const)
                })),
                {
                    step: 4,
                    kind: 'move' as const,
                    instance: 'px-1',
                    from: 'hv04',
                    to: 'hv01',
                    temporary: false,
                    blocked: true as const,
                    reason: 'host-overcommitted' as const
                }
            ]
        } as unknown as PlanReport;
        expect(formatMoves(report)).toBe(
            [
                'moves: 3 (from plan.dcplan.lock), in 3 steps with 1 temporary hop, 1 blocked (migration-blocked)',
                '  1. be-1: hv02 -> hv03 (hv02 drained) (temporary: moves on later)',
                '  2. be-2: hv01 -> hv02 (rebalance)',
                '  3. be-1: hv03 -> hv05 (hv02 drained)',
                '  4. px-1: hv04 -> hv01 (hv04 overcommitted) (blocked: no safe order, migration-blocked)'
            ].join('\n')
        );
    });
});
