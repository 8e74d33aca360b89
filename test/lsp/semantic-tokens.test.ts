/**
 * Semantic tokens over stdio, as Neovim and Helix get them: every token of a small plan decoded
 * with the server's own legend — keywords, attribute names, numbers with their unit, strings,
 * comments and names by kind, declarations marked — and a legend of only the types sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    SemanticTokensRequest,
    SemanticTokensRangeRequest
} from 'vscode-languageserver-protocol/node.js';
import { startStdioServer, type LanguageFeatureServer } from './stdio.js';
import { DCPLAN_LEGEND_TYPES, describeTokens } from '../helpers/semantic-tokens.js';

let server: LanguageFeatureServer;
beforeAll(async () => {
    server = await startStdioServer({
        textDocument: {
            semanticTokens: {
                requests: { full: true },
                tokenTypes: [],
                tokenModifiers: [],
                formats: ['relative']
            }
        }
    });
}, 60_000);
afterAll(async () => {
    await server?.stop();
});

const TEXT = [
    '// sizing',
    'plan p { title = "T" platform = virtual }',
    '/* two',
    '   lines */',
    'shape s { role = proxy cores = 2 memory = 4 GiB }',
    'deploy 3 x s ring r1',
    'model m { cores = 8 }',
    'host h1 : m { rack = a # here',
    '  runs = 1 x s }',
    'workload w { proxy = 2 cores, 4 GiB }',
    ''
].join('\n');

describe('semantic tokens over stdio', () => {
    it('the legend lists exactly the types and modifiers the server sends', () => {
        const provider = server.init.capabilities.semanticTokensProvider!;
        expect(provider.legend.tokenTypes).toEqual(DCPLAN_LEGEND_TYPES);
        expect(provider.legend.tokenModifiers).toEqual(['declaration']);
    });

    it('colours every token of a plan: keywords, attributes, numbers with units, strings, comments, names', async () => {
        const uri = 'file:///tmp/dcplan-semantic/plan.dcplan';
        await server.open(uri, TEXT);
        const { legend } = server.init.capabilities.semanticTokensProvider!;
        const tokens = await server.conn.sendRequest(SemanticTokensRequest.type, {
            textDocument: { uri }
        });
        const decoded = describeTokens(tokens!.data, legend, TEXT);
        expect(decoded).toEqual([
            '0:0 // sizing comment',
            '1:0 plan keyword',
            '1:5 p struct+declaration',
            '1:9 title property',
            '1:17 "T" string',
            '1:21 platform property',
            '1:32 virtual enumMember',
            '2:0 /* two comment',
            '3:0    lines */ comment',
            '4:0 shape keyword',
            '4:6 s type+declaration',
            '4:10 role property',
            '4:17 proxy enumMember',
            '4:23 cores property',
            '4:31 2 number',
            '4:33 memory property',
            '4:42 4 GiB number',
            '5:0 deploy keyword',
            '5:7 3 number',
            '5:9 x keyword',
            '5:11 s type',
            '5:13 ring keyword',
            '5:18 r1 namespace',
            '6:0 model keyword',
            '6:6 m class+declaration',
            '6:10 cores property',
            '6:18 8 number',
            '7:0 host keyword',
            '7:5 h1 variable+declaration',
            '7:10 m class',
            '7:14 rack property',
            '7:21 a namespace',
            '7:23 # here comment',
            '8:2 runs property',
            '8:9 1 number',
            '8:11 x keyword',
            '8:13 s type',
            '9:0 workload keyword',
            '9:9 w event+declaration',
            '9:13 proxy enumMember',
            '9:21 2 number',
            '9:23 cores keyword',
            '9:30 4 GiB number'
        ]);
        // every type in the legend is sent for this plan
        expect(new Set(decoded.map(d => d.split(' ').pop()!.split('+')[0]))).toEqual(
            new Set(legend.tokenTypes)
        );
    });

    it('a range request gives the tokens of that range only', async () => {
        const uri = 'file:///tmp/dcplan-semantic/plan.dcplan';
        const { legend } = server.init.capabilities.semanticTokensProvider!;
        const tokens = await server.conn.sendRequest(SemanticTokensRangeRequest.type, {
            textDocument: { uri },
            range: { start: { line: 5, character: 0 }, end: { line: 6, character: 0 } }
        });
        expect(describeTokens(tokens!.data, legend, TEXT)).toEqual([
            '5:0 deploy keyword',
            '5:7 3 number',
            '5:9 x keyword',
            '5:11 s type',
            '5:13 ring keyword',
            '5:18 r1 namespace'
        ]);
    });
});
