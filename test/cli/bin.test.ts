/**
 * The `dcplan` binary (the bundle `npm run build` makes) as a shell runs it: a reader that closes
 * the pipe early (`dcplan place … | head`) ends it quietly with the command's own status, no stack
 * trace.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { generate, toText } from '../../bench/generate.js';

const bin = path.resolve(__dirname, '../../bin/dcplan.cjs');

/** Runs the binary, reads the first chunk of stdout, then closes the pipe. */
function firstChunkThenClose(
    args: string[]
): Promise<{ first: string; stderr: string; status: number | null }> {
    return new Promise(resolve => {
        const child = spawn(process.execPath, [bin, ...args], {
            stdio: ['ignore', 'pipe', 'pipe']
        });
        let first = '',
            stderr = '';
        child.stdout.once('data', (d: Buffer) => {
            first = d.toString();
            child.stdout.destroy();
        });
        child.stderr.on('data', (d: Buffer) => {
            stderr += d.toString();
        });
        child.on('close', status => resolve({ first, stderr, status }));
    });
}

describe('dcplan binary', () => {
    it('ends quietly with its own status when the reader closes the pipe early', async () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-bin-'));
        const file = path.join(tmp, 'large.dcplan');
        // about 1.5 MB of JSON report: far more than one pipe buffer
        fs.writeFileSync(
            file,
            toText(generate({ seed: 3, hosts: 2000, load: 0.85, shapesPerRole: 2 }))
        );
        const r = await firstChunkThenClose(['place', '--format', 'json', file]);
        expect(r.first.startsWith('{')).toBe(true);
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        fs.rmSync(tmp, { recursive: true, force: true });
    }, 60_000);
});
