/**
 * Broken text never crashes the checker: every truncation, deletion and insertion of random
 * tokens in the examples is parsed, linked, validated and placed without an exception inside a
 * check (Langium turns those into "An error occurred during validation" diagnostics, which this
 * test forbids).
 */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { EmptyFileSystem } from 'langium';
import { parseHelper } from 'langium/test';
import { createDcplanServices } from '../../language-server/dcplan-module.js';
import type { PlanFile } from '../../language-server/generated/ast.js';
import { EXAMPLES } from '../helpers/examples.js';
import { STRUCTURE_TOKENS } from './breakage.js';

const services = createDcplanServices({ ...EmptyFileSystem });
const parse = parseHelper<PlanFile>(services.Dcplan);
const examples = EXAMPLES.map(e => e.text);

const TOKENS = [
    ...STRUCTURE_TOKENS,
    'role',
    'cores',
    'memory',
    '0',
    '-1',
    '3',
    '99999999',
    '2M',
    '1.5',
    'GiB',
    '12 GiB',
    'proxy',
    'backend',
    'director',
    'ring',
    '"',
    '/*',
    '#',
    '\r\n',
    'plan',
    'import "x.dcplan"'
];

async function internalErrors(text: string): Promise<string[]> {
    const doc = await parse(text, { validation: true });
    return (doc.diagnostics ?? [])
        .map(d => d.message)
        .filter(m => m.startsWith('An error occurred'));
}

describe('broken text', () => {
    it('every prefix of every example checks without an internal error', async () => {
        for (const text of examples) {
            const lines = text.split('\n');
            for (let n = 0; n <= lines.length; n++) {
                expect(
                    await internalErrors(lines.slice(0, n).join('\n')),
                    `prefix of ${n} lines`
                ).toEqual([]);
            }
        }
    });

    it('random deletions and insertions check without an internal error', async () => {
        await fc.assert(
            fc.asyncProperty(
                fc.integer({ min: 0, max: examples.length - 1 }),
                fc.array(fc.tuple(fc.nat(), fc.nat({ max: 40 }), fc.constantFrom(...TOKENS)), {
                    minLength: 1,
                    maxLength: 4
                }),
                async (which, edits) => {
                    let text = examples[which];
                    for (const [at, del, insert] of edits) {
                        const i = at % (text.length + 1);
                        text = text.slice(0, i) + ' ' + insert + ' ' + text.slice(i + del);
                    }
                    expect(await internalErrors(text)).toEqual([]);
                }
            ),
            { numRuns: 150, seed: 20261129 }
        );
    });
});
