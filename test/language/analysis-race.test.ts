/**
 * An analysis cached for a syntax tree that has since been replaced is never served for the new
 * one. A request can ask for the analysis between an update (which empties the cache) and the new
 * parse: the UI test once saw the preview and the Problems panel keep the figures of the text
 * before the last edit, under the new version.
 */
import { describe, expect, it } from 'vitest';
import type { PlanFile } from '../../language-server/generated/ast.js';
import { Dcplan, example, open } from '../lsp/helpers.js';

describe('the plan analysis follows the syntax tree', () => {
    it('a cached analysis of the previous tree is computed again for the new one', async () => {
        const before = example('seed-reference.dcplan');
        const document = await open(before);
        const analyzer = Dcplan.analysis.PlanAnalyzer;
        const proxies = () =>
            analyzer.analyze(document).built.model.instances.filter(i => i.role === 'proxy').length;
        expect(proxies()).toBe(3);
        // what a new parse does to the document, without the update that empties the cache
        const parsed = Dcplan.parser.LangiumParser.parse<PlanFile>(
            before.replace('deploy 3 x proxy_4c', 'deploy 1 x proxy_4c')
        );
        (parsed.value as { $document?: unknown }).$document = document;
        (document as { parseResult: unknown }).parseResult = parsed;
        expect(proxies()).toBe(1);
        // and the same tree again is served from the cache
        expect(analyzer.analyze(document)).toBe(analyzer.analyze(document));
    });
});
