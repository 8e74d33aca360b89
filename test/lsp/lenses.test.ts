/**
 * Inlay hints (maintenance impact per deployment, usable vCPUs per host block) and code lenses
 * (placement per deployment, load per host block), and the settings that turn them off.
 */
import { afterEach, describe, expect, test } from 'vitest';
import type { LangiumDocument } from 'langium';
import { example, open, services, Dcplan } from './helpers.js';

const ALL = { start: { line: 0, character: 0 }, end: { line: 9999, character: 0 } };

async function hints(doc: LangiumDocument, range = ALL): Promise<string[]> {
    const list = await Dcplan.lsp.InlayHintProvider!.getInlayHints(doc, {
        textDocument: { uri: doc.uri.toString() },
        range
    });
    return (list ?? []).map(h => `${h.position.line}:${h.position.character} ${h.label}`);
}
async function lenses(doc: LangiumDocument): Promise<string[]> {
    const list = await Dcplan.lsp.CodeLensProvider!.provideCodeLens(doc, {
        textDocument: { uri: doc.uri.toString() }
    });
    return (list ?? []).map(l => `${l.range.start.line} ${l.command?.title}`);
}
const setSettings = (dcplan: object) =>
    services.shared.workspace.ConfigurationProvider.updateConfiguration({ settings: { dcplan } });

afterEach(() => setSettings({}));

describe('inlay hints', () => {
    test('seed-recommended: the impact of one instance per deployment, usable vCPUs per host block', async () => {
        const doc = await open(example('seed-recommended.dcplan'));
        expect(await hints(doc)).toEqual([
            '24:20 8.3% each',
            '25:23 25% each',
            '26:22 6.3% each',
            '30:33 4 × 22 vCPUs'
        ]);
    });
    test('a host list and single hosts', async () => {
        expect(await hints(await open(example('seed-per-host.dcplan')))).toEqual([
            '17:20 8.3% each',
            '18:23 25% each',
            '19:22 6.3% each',
            '21:28 4 × 22 vCPUs'
        ]);
        expect(await hints(await open(example('overcommit.dcplan')))).toEqual([
            '14:19 50% each',
            '15:21 16.7% each',
            '17:10 22 vCPUs',
            '23:10 22 vCPUs'
        ]);
    });
    test('only those in the requested range', async () => {
        const doc = await open(example('seed-recommended.dcplan'));
        expect(
            await hints(doc, { start: { line: 25, character: 0 }, end: { line: 26, character: 0 } })
        ).toEqual(['25:23 25% each']);
    });
    test('a physical plan has no host hints', async () => {
        expect(await hints(await open(example('seed-physical.dcplan')))).toEqual([
            '17:19 33.3% each',
            '18:22 33.3% each',
            '19:21 12.5% each'
        ]);
    });
    test('`dcplan.inlayHints.enabled = false` turns them off', async () => {
        const doc = await open(example('seed-recommended.dcplan'));
        setSettings({ inlayHints: { enabled: false } });
        expect(await hints(doc)).toEqual([]);
        expect(await lenses(doc)).toHaveLength(4);
    });
});

describe('code lenses', () => {
    test('seed-recommended', async () => {
        expect(await lenses(await open(example('seed-recommended.dcplan')))).toEqual([
            '24 proxy maintenance impact 8.3% · hv01 3, hv02 3, hv03 3, hv04 3',
            '25 director maintenance impact 25% · hv01 1, hv02 1, hv03 1, hv04 1',
            '26 backend maintenance impact 6.3% · hv01 4, hv02 4, hv03 4, hv04 4',
            '30 4 hosts: 88 / 88 vCPUs · 560 / 1472 GiB · one host lost: up to 25% of sessions'
        ]);
    });
    test('overcommit and unplaced instances', async () => {
        expect(await lenses(await open(example('overcommit.dcplan')))).toEqual([
            '14 proxy maintenance impact 50% · hv01 2',
            '15 backend maintenance impact 16.7% · hv01 5, hv02 1',
            '17 overcommitted · 24 / 22 vCPUs · 248 / 112 GiB · host lost: 100% of sessions',
            '23 4 / 22 vCPUs · 48 / 112 GiB · host lost: 16.7% of sessions'
        ]);
        expect(await lenses(await open(example('seed-reference.dcplan')))).toEqual([
            '31 proxy maintenance impact 33.3% · hv01 1, hv03 1 · 1 unplaced',
            '32 director maintenance impact 33.3% · hv02 1, hv04 1 · 1 unplaced',
            '33 backend maintenance impact 12.5% · hv01 2, hv02 2, hv03 2, hv04 2',
            '37 4 hosts: 80 / 88 vCPUs · 544 / 1472 GiB · one host lost: up to 33.3% of sessions'
        ]);
    });
    test('a deployment over many hosts lists 8 of them, then how many more', async () => {
        const text = [
            'plan wide { title = "w" }',
            'shape p { role = proxy cores = 1 memory = 1 GiB }',
            'shape d { role = director cores = 1 memory = 1 GiB }',
            'shape b { role = backend cores = 4 memory = 8 GiB }',
            'deploy 20 x p',
            'deploy 3 x d',
            'deploy 20 x b',
            'host h[01..20] { cores = 8 memory = 32 GiB }',
            ''
        ].join('\n');
        const all = await lenses(await open(text));
        expect(all[0]).toBe(
            '4 proxy maintenance impact 5% · h01 1, h02 1, h03 1, h04 1, h05 1, h06 1, h07 1, h08 1 and 12 more'
        );
        expect(all.every(l => l.length < 200)).toBe(true);
    });
    test('`dcplan.codeLens.enabled = false` turns them off', async () => {
        const doc = await open(example('seed-recommended.dcplan'));
        setSettings({ codeLens: { enabled: false } });
        expect(await lenses(doc)).toEqual([]);
        expect(await hints(doc)).toHaveLength(4);
    });
});

describe('inlay hint padding (issue 14: `4 × 22 vCPUs{` was flush)', () => {
    test('the host hint is padded on both sides, the deploy hint on its left', async () => {
        const doc = await open(example('seed-recommended.dcplan'));
        const list = await Dcplan.lsp.InlayHintProvider!.getInlayHints(doc, {
            textDocument: { uri: doc.uri.toString() },
            range: ALL
        });
        expect(
            (list ?? []).map(h => [h.label, h.paddingLeft ?? false, h.paddingRight ?? false])
        ).toEqual([
            ['8.3% each', true, false],
            ['25% each', true, false],
            ['6.3% each', true, false],
            ['4 × 22 vCPUs', true, true]
        ]);
    });
});
