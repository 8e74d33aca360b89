/**
 * dcplan's CST builder (language-server/overrides/cst-builder.ts) builds the same tree as Langium's own,
 * on the examples, on every prefix of them, on random breakage and on generated plans; and it
 * takes a run of 100,000 comment lines, which overflowed the stack in Langium's.
 */
import { describe, expect, it } from 'vitest';
import * as fc from 'fast-check';
import { createLangiumParser, EmptyFileSystem, isCompositeCstNode, type CstNode } from 'langium';
import { createDcplanServices } from '../../language-server/dcplan-module.js';
import { DcplanCstNodeBuilder } from '../../language-server/overrides/cst-builder.js';
import { generate, toText } from '../../bench/generate.js';
import { EXAMPLES } from '../helpers/examples.js';
import { brokenTexts } from './breakage.js';

const services = createDcplanServices({ ...EmptyFileSystem });
const ours = services.Dcplan.parser.LangiumParser;
const langiums = createLangiumParser(services.Dcplan);
const examples = EXAMPLES.map(e => e.text);

/** The tree as text: every node's kind, offset, length, hidden flag and its container's offset, depth first. */
function shape(node: CstNode, out: string[] = [], depth = 0): string[] {
    const container = node.container ? `${node.container.offset}` : '-';
    out.push(
        `${depth} ${isCompositeCstNode(node) ? 'C' : 'L'} ${node.offset}+${node.length}${node.hidden ? ' h' : ''} in ${container}`
    );
    if (isCompositeCstNode(node)) for (const c of node.content) shape(c, out, depth + 1);
    return out;
}

const same = (text: string) => {
    const a = ours.parse(text),
        b = langiums.parse(text);
    expect(shape(a.value.$cstNode!)).toEqual(shape(b.value.$cstNode!));
};

describe('the CST builder', () => {
    it('is the one the dcplan parser uses', () => {
        expect((ours as unknown as { nodeBuilder: unknown }).nodeBuilder).toBeInstanceOf(
            DcplanCstNodeBuilder
        );
    });

    it('builds the tree Langium builds: examples, their prefixes, a generated plan with comments', () => {
        for (const text of examples) {
            same(text);
            const lines = text.split('\n');
            for (let n = 0; n <= lines.length; n += 3) same(lines.slice(0, n).join('\n'));
        }
        const plan = toText(generate({ seed: 3, hosts: 40, load: 0.85, shapesPerRole: 2 }));
        same(plan);
        same('// head\n/* a */ # b\n' + plan.replace(/\n/g, '\n  // c\n') + '\n// tail\n');
    });

    it('builds the tree Langium builds on random breakage', () => {
        const TOKENS = [
            '{',
            '}',
            '=',
            ' ',
            '\n',
            '// c\n',
            '/* c */',
            '# c\n',
            'host',
            'shape',
            'x',
            '3',
            '12 GiB',
            '"',
            'deploy'
        ];
        fc.assert(fc.property(brokenTexts(examples, TOKENS), same), { numRuns: 150, seed: 7 });
    });

    it('takes 100,000 comment lines in a row (one call of 100,000 arguments overflowed the stack)', () => {
        const comments = '# a comment\n'.repeat(100_000);
        for (const text of [
            comments + 'shape p { role = proxy cores = 1 memory = 2 GiB }\n',
            'shape p { role = proxy cores = 1 memory = 2 GiB }\n' + comments
        ]) {
            const r = ours.parse(text);
            expect(r.parserErrors).toEqual([]);
            const root = r.value.$cstNode as CstNode & { content: CstNode[] };
            expect(root.content.filter(n => n.hidden).length).toBe(100_000);
        }
    });
});
