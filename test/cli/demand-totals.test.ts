/**
 * The plan's total demand when no workload states one: `null` in the JSON report (as each
 * role's `demandCores`), "not stated" in the CLI's text, "—" in the preview's totals and "not
 * stated" in its SVG; the sum of the roles' peaks when one does.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/main.js';
import type { PlanReport } from '../../src/planner/report.js';
import { renderReport, renderSvg } from '../../src/webview/render.js';

let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-demand-'));
});
afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

const HARDWARE = `shape px { role = proxy cores = 1 memory = 2 GiB }
shape be { role = backend cores = 4 memory = 8 GiB }
deploy 2 x px
deploy 2 x be
host h1, h2 { cores = 8 memory = 32 GiB hypervisor_cores = 1 hypervisor_memory = 2 GiB }
`;

async function place(name: string, text: string): Promise<{ json: PlanReport; text: string }> {
    const file = path.join(tmp, name);
    fs.writeFileSync(file, text);
    const json = JSON.parse(
        (await runCli(['place', '--format', 'json', file])).stdout
    ) as PlanReport;
    return { json, text: (await runCli(['place', file])).stdout };
}

/** The vCPUs row of the preview's totals table, its cells' text. */
function totalsRow(html: string): string[] {
    const section = html.slice(html.indexOf('<section class="totals">'));
    const start = section.indexOf('<td>vCPUs</td>');
    const row = section.slice(start, section.indexOf('</tr>', start));
    return [...row.matchAll(/<td[^>]*>([^<]*)<\/td>/g)].map(m => m[1]);
}

describe('totals.demandCores', () => {
    it('is null when no workload states a demand (before: 0)', async () => {
        const { json, text } = await place('none.dcplan', HARDWARE);
        expect(json.totals.demandCores).toBeNull();
        expect(json.roles.proxy.demandCores).toBeNull();
        expect(json.roles.backend.demandCores).toBeNull();
        expect(text).toContain(
            'totals: demand not stated, deployed 10, usable 14, physical 16; placed 10, unplaced 0\n'
        );
        expect(totalsRow(renderReport(json))).toEqual(['vCPUs', '—', '10', '14', '16', '10', '0']);
        expect(renderSvg(json)).toContain(
            'none.dcplan · demand not stated · deployed 10 · usable 14 · physical 16 cores · all placed'
        );
    });

    it("is the sum of the roles' peaks when a workload states one (a role without stays out)", async () => {
        const { json, text } = await place(
            'stated.dcplan',
            'workload w { proxy = 2 cores }\nworkload v { proxy = 1 cores backend = 6 cores }\n' +
                HARDWARE
        );
        expect(json.totals.demandCores).toBe(8);
        expect(json.roles.proxy.demandCores).toBe(2);
        expect(json.roles.backend.demandCores).toBe(6);
        expect(text).toContain(
            'totals: demand 8 cores, deployed 10, usable 14, physical 16; placed 10, unplaced 0\n'
        );
        expect(totalsRow(renderReport(json))).toEqual(['vCPUs', '8', '10', '14', '16', '10', '0']);
    });
});
