import { describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/main.js';

describe('dcplan place --format svg|html (the preview renderer)', () => {
    it('prints the placement as a standalone SVG', async () => {
        const r = await runCli(['place', '--format', 'svg', 'examples/seed-reference.dcplan']);
        expect(r.status).toBe(1); // the plan has errors (unplaceable)
        expect(r.stdout).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/);
        expect(r.stdout).toContain('proxy_4c-3 (4c)');
    });

    it('prints the placement as a standalone HTML page', async () => {
        const r = await runCli(['place', '--format', 'html', 'examples/seed-recommended.dcplan']);
        expect(r.status).toBe(0);
        expect(r.stdout).toMatch(/^<!DOCTYPE html>/);
        expect(r.stdout.match(/<article class="host/g)).toHaveLength(4);
        expect(r.stdout).not.toContain('<script');
    });

    it('takes one file at a time', async () => {
        const r = await runCli([
            'place',
            '--format',
            'svg',
            'examples/seed-reference.dcplan',
            'examples/seed-recommended.dcplan'
        ]);
        expect(r.status).toBe(2);
        expect(r.stderr).toContain('takes one file');
    });
});
