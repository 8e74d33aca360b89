/**
 * The shared flat AST walk and the reference index made from the linker's list: the same nodes
 * in the same order as Langium's `streamAst`, and the same reference descriptions as Langium's
 * default provider (which walks the whole tree), on every example and on a generated plan.
 */
import { describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as os from 'node:os';
import { AstUtils, DefaultReferenceDescriptionProvider } from 'langium';
import * as fc from 'fast-check';
import { checkFiles, nodeServices } from '../../language-server/check.js';
import { containmentProperties, flattenAst } from '../../language-server/overrides/ast-walk.js';
import { generate, toText } from '../../bench/generate.js';
import { EXAMPLES } from '../helpers/examples.js';
import { brokenTexts, STRUCTURE_TOKENS } from './breakage.js';

const files = EXAMPLES.map(e => e.file);

describe('flattenAst', () => {
    it('visits the containments the grammar assigns, in its order', () => {
        expect(
            Object.fromEntries([...containmentProperties()].filter(([, v]) => v.length > 0))
        ).toEqual({
            PlanFile: ['imports', 'elements'],
            Workload: ['demands'],
            Host: ['names', 'pins']
        });
    });

    it('lists the nodes of streamAst on broken text too, whatever the parser recovered', () => {
        const parser = nodeServices().Dcplan.parser.LangiumParser;
        const texts = EXAMPLES.map(e => e.text);
        const TOKENS = [
            ...STRUCTURE_TOKENS,
            'import "a.dcplan"',
            '3',
            '12 GiB',
            'proxy',
            'workload',
            'proxy = 2 cores',
            '\n'
        ];
        fc.assert(
            fc.property(brokenTexts(texts, TOKENS), text => {
                const root = parser.parse(text).value;
                expect(flattenAst(root).nodes).toEqual(AstUtils.streamAst(root).toArray());
            }),
            { numRuns: 300, seed: 11 }
        );
    });

    it('lists the nodes of streamAst in its order, with subtree ends that match the containment', async () => {
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-walk-'));
        const generated = path.join(tmp, 'generated.dcplan');
        fs.writeFileSync(generated, toText(generate({ seed: 7, hosts: 30, load: 0.8, racks: 3 })));
        const checked = await checkFiles([...files, generated]);
        expect(checked.length).toBe(files.length + 1);
        for (const { document } of checked) {
            const root = document.parseResult.value;
            const { nodes, ends } = flattenAst(root);
            expect(nodes).toEqual(AstUtils.streamAst(root).toArray());
            expect(nodes.length).toBeGreaterThan(5);
            for (let i = 0; i < nodes.length; i++) {
                // the subtree of node i: exactly the nodes that have it as an ancestor
                const inside = AstUtils.streamAllContents(nodes[i]).toArray();
                expect(nodes.slice(i + 1, ends[i])).toEqual(inside);
            }
            // made once per parse result
            expect(flattenAst(root)).toBe(flattenAst(root));
        }
        fs.rmSync(tmp, { recursive: true, force: true });
    });
});

describe('linker', () => {
    it("links every reference Langium's tree walk finds, in its order", async () => {
        const checked = await checkFiles(files);
        let total = 0;
        for (const { document } of checked) {
            const walked = AstUtils.streamAst(document.parseResult.value)
                .flatMap(n => AstUtils.streamReferences(n))
                .map(r => r.reference)
                .toArray();
            expect(document.references).toEqual(walked);
            for (const r of walked)
                expect('_ref' in r && (r as { _ref?: unknown })._ref !== undefined).toBe(true);
            total += walked.length;
        }
        expect(total).toBeGreaterThan(20);
    });
});

describe('reference index', () => {
    it("holds the descriptions of Langium's default provider, in the same order", async () => {
        const services = nodeServices();
        const reference = new DefaultReferenceDescriptionProvider(services.Dcplan);
        const checked = await checkFiles(files);
        let total = 0;
        for (const { document } of checked) {
            const ours =
                await services.Dcplan.workspace.ReferenceDescriptionProvider.createDescriptions(
                    document
                );
            const langiums = await reference.createDescriptions(document);
            expect(ours).toEqual(langiums);
            total += ours.length;
        }
        // the examples name shapes and host models: a real number of references was compared
        expect(total).toBeGreaterThan(20);
    });
});
