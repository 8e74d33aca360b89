/**
 * `lockRenameEdits` (issue 12, day 2): a rename in the plan carried into its lock's text, token
 * by token: exact edits, and `undefined` (the lock left as it is) when it cannot be done exactly.
 */
import { describe, expect, it } from 'vitest';
import { lockRenameEdits, type LockRenames } from '../../src/planner/lock-rename.js';

const LOCK = `plan: plan.dcplan
shapes:
  be-2: { role: backend, cores: 2, memory_gib: 4 }
placement:
  be-2-1: hv01
  be-2-10: hv02
`;

const shape = (from: string, to: string): LockRenames => ({
    shapes: new Map([[from, to]]),
    hosts: new Map()
});
const host = (from: string, to: string): LockRenames => ({
    shapes: new Map(),
    hosts: new Map([[from, to]])
});

/** `text` with `edits` applied. */
function apply(text: string, edits: ReturnType<typeof lockRenameEdits>): string {
    let out = text;
    for (const e of [...(edits ?? [])].reverse())
        out = out.slice(0, e.start) + e.newText + out.slice(e.end);
    return out;
}

describe('lockRenameEdits', () => {
    it('renames a shape with dashes: its key and its instances `<shape>-<k>`, nothing else', () => {
        const edits = lockRenameEdits(LOCK, shape('be-2', 'backend'), 'plan.dcplan');
        const at = (token: string) => LOCK.indexOf(token);
        expect(edits).toEqual([
            { start: at('  be-2:') + 2, end: at('  be-2:') + 6, newText: 'backend' },
            { start: at('be-2-1:'), end: at('be-2-1:') + 6, newText: 'backend-1' },
            { start: at('be-2-10:'), end: at('be-2-10:') + 7, newText: 'backend-10' }
        ]);
        expect(edits!.map(e => LOCK.slice(e.start, e.end))).toEqual(['be-2', 'be-2-1', 'be-2-10']);
        expect(apply(LOCK, edits)).toBe(LOCK.replace(/be-2/g, 'backend'));
        // `be` is not the shape of `be-2-1`: nothing to edit
        expect(lockRenameEdits(LOCK, shape('be', 'x'), 'plan.dcplan')).toEqual([]);
    });

    it('quotes a new plain name YAML would misread, and keeps a quoted one quoted', () => {
        expect(apply(LOCK, lockRenameEdits(LOCK, host('hv01', 'true')))).toBe(
            LOCK.replace('hv01', '"true"')
        );
        // a YAML 1.1 boolean too
        expect(apply(LOCK, lockRenameEdits(LOCK, host('hv01', 'yes')))).toBe(
            LOCK.replace('hv01', '"yes"')
        );
        const quoted = LOCK.replace('hv02', '"hv02"');
        expect(apply(quoted, lockRenameEdits(quoted, host('hv02', 'node2')))).toBe(
            LOCK.replace('hv02', '"node2"')
        );
    });

    it('leaves the lock as it is when a token is not the name itself, or the new name is taken', () => {
        // an escape in a quoted name: the same value, another token
        const escaped = LOCK.replace('hv01', '"hv\\x301"');
        expect(lockRenameEdits(escaped, host('hv01', 'node1'))).toBeUndefined();
        // another plan's lock, and text that is not a lock
        expect(lockRenameEdits(LOCK, host('hv01', 'node1'), 'other.dcplan')).toBeUndefined();
        expect(lockRenameEdits('placement: [', host('hv01', 'node1'))).toBeUndefined();
        // the lock records an instance of the new name already: two `be-1`
        const taken = LOCK + '  be-1: hv01\n';
        expect(lockRenameEdits(taken, shape('be-2', 'be'))).toBeUndefined();
        // a block scalar is never edited
        const block = 'placement:\n  be-2-1: |-\n    hv01\n';
        expect(lockRenameEdits(block, host('hv01', 'node1'))).toBeUndefined();
        expect(lockRenameEdits(block, host('hv09', 'node9'))).toEqual([]);
    });
});
