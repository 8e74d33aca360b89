/**
 * Document symbols of elements error recovery left without a value (found by the fuzzer): a
 * deploy whose count is not (yet) written is named `deploy ? x s`, as a demand without cores is
 * `? cores`, never `deploy undefined x s`.
 */
import { expect, test } from 'vitest';
import { Dcplan, open } from './helpers.js';

test('a deploy without its count: `deploy ? x p`', async () => {
    const doc = await open(
        'shape p { role = proxy cores = 1 memory = 2 GiB }\ndeploy x p\ndeploy 2 x p\n'
    );
    const symbols = await Dcplan.lsp.DocumentSymbolProvider!.getSymbols(doc, {
        textDocument: { uri: doc.uri.toString() }
    });
    expect(symbols.map(s => s.name)).toEqual(['p', 'deploy ? x p', 'deploy 2 x p']);
});
