import { afterEach, describe, expect, test } from 'vitest';
import { readFileSync } from 'node:fs';
import { Dcplan, EXAMPLES_DIR, example, offsetOf, open } from './helpers.js';
const LOCK = readFileSync(EXAMPLES_DIR + '/day2-drain.dcplan.lock', 'utf8');

async function hoverAt(text: string, needle: string, n = 0, delta = 1) {
    const doc = await open(text);
    const hover = await Dcplan.lsp.HoverProvider!.getHoverContent(doc, {
        textDocument: { uri: doc.uri.toString() },
        position: doc.textDocument.positionAt(offsetOf(text, needle, n, delta))
    });
    return hover ? (hover.contents as { value: string }).value : undefined;
}
const analyzer = Dcplan.analysis.PlanAnalyzer;
const before = analyzer.lockFor;
afterEach(() => { analyzer.lockFor = before; });
describe('x', () => {
    test('y', async () => {
        const text = example('day2-drain.dcplan');
        analyzer.lockFor = () => ({ file: '/x/day2-drain.dcplan.lock', text: LOCK });
        console.log(await hoverAt(text, 'hv02 :'));
        console.log(await hoverAt(text, 'hv01,'));
        console.log(await hoverAt(text.replace('drain = true', 'drain = true\n  runs = 2 x proxy_1c'), 'hv02 :'));
    });
});
