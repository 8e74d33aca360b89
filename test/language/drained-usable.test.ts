/**
 * A drained host (`drain = true`, issue 12) is not usable: the role spread (`role-concentration`)
 * and the N+1 host count (`host-failure`) are judged over the other hosts. Exact messages.
 */
import { describe, expect, it } from 'vitest';
import { tempPlanChecker } from '../helpers/temp-plans.js';
import { diagnosticLines } from '../helpers/diagnostics.js';

const check = tempPlanChecker('dcplan-drained-');

const HOST = 'memory = 8 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB';

describe('a drained host is not usable', () => {
    it('role-concentration spreads over the hosts that are not drained', async () => {
        const plan = (drain: boolean) =>
            'shape p { role = proxy cores = 1 memory = 1 GiB }\ndeploy 6 x p\n' +
            `host h1 { cores = 4 ${HOST} drain = ${drain} }\n` +
            `host h2, h3 { cores = 4 ${HOST} }\n`;
        // drained: 3 on each of the 2 usable hosts is the spread (3 per host), no finding
        const drained = await check('spread.dcplan', plan(true));
        expect(drained.hosts.map(h => `${h.name}: ${h.instances.length}`)).toEqual([
            'h1: 0',
            'h2: 3',
            'h3: 3'
        ]);
        expect(
            diagnosticLines(drained.diagnostics).filter(l => l.includes('role-concentration'))
        ).toEqual([]);
        // h2 with room for 4 of the 5: 3 per host (5 over 2 usable hosts), not 2 (over 3 hosts)
        const uneven = await check(
            'uneven.dcplan',
            'shape p { role = proxy cores = 1 memory = 1 GiB }\ndeploy 5 x p\n' +
                `host h1 { cores = 4 ${HOST} drain = true }\n` +
                `host h2 { cores = 5 ${HOST} }\n` +
                `host h3 { cores = 2 ${HOST} }\n`
        );
        expect(
            diagnosticLines(uneven.diagnostics).filter(l => l.includes('role-concentration'))
        ).toEqual([
            'info role-concentration 4:6-4:8 h2 holds 4 of the 5 proxies (3 per host would spread them)'
        ]);
    });

    it('the host-failure message does not count a drained host among "the others"', async () => {
        // 6 × 2-vCPU backends on 3 hosts of 8 usable (4 spare each); h9 drained: not "0–4 spare"
        const r = await check(
            'others.dcplan',
            'plan hf1 { tolerate_host_failures = 2 }\n' +
                'shape be { role = backend cores = 2 memory = 4 GiB }\ndeploy 6 x be\n' +
                'host h9 { cores = 10 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB drain = true }\n' +
                'host h[1..3] { cores = 10 memory = 64 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }\n'
        );
        expect(diagnosticLines(r.diagnostics).filter(l => l.includes('host-failure'))).toEqual([
            "warning host-failure 1:37-1:38 the plan tolerates 1 host loss, 2 asked: two lost hosts' instances (up to 8 cores and 16 GiB) do not all fit the spare capacity of the others (4 spare cores and 52 GiB per host); N+2 needs 4 hosts, not counting the drained one"
        ]);
    });

    it('N+1 counts the hosts that are not drained, and says the drained one is not counted', async () => {
        const r = await check(
            'nplus1.dcplan',
            'plan q { }\nshape p { role = proxy cores = 1 memory = 1 GiB }\ndeploy 6 x p\n' +
                `host h1 { cores = 4 ${HOST} drain = true }\n` +
                `host h2, h3 { cores = 4 ${HOST} }\n`
        );
        expect(r.hostFailure).toMatchObject({
            tolerates: 0,
            hostsNeededForNPlus1: 3,
            drainedHosts: 1
        });
        expect(diagnosticLines(r.diagnostics).filter(l => l.includes('host-failure'))).toEqual([
            "info host-failure 1:6-1:7 no spare capacity to re-place a lost host's instances; N+1 needs 3 hosts, not counting the drained one"
        ]);
    });
});
