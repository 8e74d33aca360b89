/**
 * Fixes keep the file's line breaks (found by the fuzzer): a file whose lines end in CR alone
 * got LF lines from a fix that adds one (the split's new shape line).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { expect, it } from 'vitest';
import { createFixSandbox } from '../../language-server/fixes/sandbox.js';

const reference = readFileSync(
    path.resolve(__dirname, '../../examples/seed-reference.dcplan'),
    'utf8'
);
// a shape another file deploys is not changed: the split makes a new shape, on a line of its own
const options = { codes: ['proxy-split'], usedElsewhere: () => true };

it('fix-all on a CR file gives the LF result with CR breaks', async () => {
    const sandbox = createFixSandbox();
    const read = () => undefined;
    const lf = await sandbox.fixAll('file:///w/lf.dcplan', reference, read, options);
    expect(lf.applied.map(a => a.code)).toEqual(['proxy-split']);
    expect(lf.text.split('\n').length).toBe(reference.split('\n').length + 1);
    const cr = await sandbox.fixAll(
        'file:///w/cr.dcplan',
        reference.replace(/\n/g, '\r'),
        read,
        options
    );
    expect(cr.text).not.toContain('\n');
    expect(cr.text).toBe(lf.text.replace(/\n/g, '\r'));
});
