/**
 * The exact fallback off the server's request path (issue 15, language-server/exact-fallback.ts):
 * a hard plan (the heuristic leaves instances out, only the MILP can tell whether more fit) is
 * published at once with the heuristic's placement and `unplaceable` saying that the solver is
 * checking; while the solver runs in its worker, other documents are answered (hover, semantic
 * tokens); when it is done the diagnostics are published again, equal to the CLI's for the same
 * text, and `dcplan/reportChanged` goes out. An edit that changes the plan stops the solve and its
 * result is never used; a plan that is not open is never solved. The order of the answers,
 * notifications and log lines is asserted, not their timing.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    DidChangeTextDocumentNotification,
    HoverRequest,
    LogMessageNotification,
    SemanticTokensRequest,
    type Diagnostic
} from 'vscode-languageserver-protocol/node.js';
import { ReportChangedNotification, ReportRequest } from '../../src/protocol.js';
import type { PlanReport, ReportDiagnostic } from '../../src/planner/report.js';
import { CHECKING } from '../../language-server/analysis.js';
import { toReportDiagnostics } from '../../language-server/report-service.js';
import { ROOT, StdioServer } from './stdio-server.js';
import { describeTokens } from '../helpers/semantic-tokens.js';
import { hardPlans } from '../helpers/hard-plans.js';

const EASY = [
    'shape s { role = proxy cores = 1 memory = 2 GiB }',
    'deploy 2 x s',
    'host h { cores = 4 memory = 16 GiB hypervisor_cores = 0 hypervisor_memory = 0 GiB }',
    ''
].join('\n');

const [HARD, OTHER_HARD] = hardPlans(2);
let dir: string;
let server: StdioServer;
let legend: { tokenTypes: string[]; tokenModifiers: string[] };
const logs: string[] = [];
const reportChanged: { uri: string; version: number }[] = [];
const uriOf = (name: string) => pathToFileURL(path.join(dir, name)).toString();

/** The diagnostics `dcplan check --format json` gives the file `name` of the folder. */
function cliDiagnostics(name: string): { diagnostics: ReportDiagnostic[]; placedCores: number } {
    const out = spawnSync(
        process.execPath,
        [path.join(ROOT, 'bin/dcplan.cjs'), 'check', '--format', 'json', path.join(dir, name)],
        { encoding: 'utf8' }
    );
    const report = JSON.parse(out.stdout) as PlanReport;
    return {
        diagnostics: report.diagnostics.map(d => {
            const { file: _file, ...rest } = d;
            return rest;
        }),
        placedCores: report.totals.placedCores
    };
}

const isChecking = (ds: readonly Diagnostic[]) => ds.some(d => d.message.endsWith(CHECKING));
/** The log lines of the exact fallback about `uri`, their first words after the URI. */
const fallbackLog = (uri: string) =>
    logs
        .filter(l => l.startsWith(`dcplan: exact fallback of ${uri} `))
        .map(l => l.slice(`dcplan: exact fallback of ${uri} `.length).split(/[: ]/)[0]);

beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'dcplan-fallback-'));
    writeFileSync(path.join(dir, 'hard.dcplan'), HARD.text);
    writeFileSync(path.join(dir, 'other.dcplan'), OTHER_HARD.text);
    // a hard plan of the workspace that is never opened: never solved
    writeFileSync(path.join(dir, 'closed.dcplan'), OTHER_HARD.text);
    writeFileSync(path.join(dir, 'easy.dcplan'), EASY);
    server = new StdioServer({
        timeoutMs: 120_000,
        // each solve lasts 1.5 s at least: the edit that stops one comes while it runs
        env: { ...process.env, DCPLAN_TEST_SOLVE_MS: '1500' }
    });
    server.conn.onNotification(LogMessageNotification.type, p => {
        logs.push(p.message);
        server.poke();
    });
    server.conn.onNotification(ReportChangedNotification, p => {
        reportChanged.push(p);
        server.poke();
    });
    server.conn.onRequest('workspace/configuration', (p: { items: unknown[] }) =>
        p.items.map(() => null)
    );
    server.conn.onRequest('client/registerCapability', () => null);
    const init = await server.initialize({
        rootUri: pathToFileURL(dir).toString(),
        workspaceFolders: [{ uri: pathToFileURL(dir).toString(), name: 'fallback' }],
        capabilities: {
            textDocument: {
                publishDiagnostics: { versionSupport: true },
                semanticTokens: {
                    requests: { full: true },
                    tokenTypes: [],
                    tokenModifiers: [],
                    formats: ['relative']
                }
            }
        }
    });
    legend = init.capabilities.semanticTokensProvider!.legend;
}, 60_000);

afterAll(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the exact fallback in the language server', () => {
    it('publishes the heuristic at once, answers another document while the solver runs, then the CLI diagnostics', async () => {
        const hard = uriOf('hard.dcplan');
        const easy = uriOf('easy.dcplan');
        await server.open(hard, HARD.text, 1);
        const first = await server.diagnostics(hard, 1);
        // the heuristic's placement, each unplaceable saying that the solver is checking
        const unplaceable = first.filter(d => d.code === 'unplaceable');
        expect(unplaceable.length).toBeGreaterThan(0);
        for (const d of unplaceable) {
            expect(d.message).toContain(`; ${HARD.heuristicCores} cores placed, `);
            expect(d.message.endsWith(CHECKING)).toBe(true);
        }
        const checking = await server.conn.sendRequest(ReportRequest, { uri: hard });
        expect(checking.checking).toBe(true);
        expect(checking.report?.totals.placedCores).toBe(HARD.heuristicCores);

        // the solve runs in the worker: another document is opened and answered meanwhile
        await server.until('the solve to start', () =>
            fallbackLog(hard).includes('started') ? true : undefined
        );
        await server.open(easy, EASY, 1);
        const hover = await server.conn.sendRequest(HoverRequest.type, {
            textDocument: { uri: easy },
            position: { line: 0, character: 6 }
        });
        const tokens = await server.conn.sendRequest(SemanticTokensRequest.type, {
            textDocument: { uri: easy }
        });
        // both answered before the solve was done: no final diagnostics, no "done" in the log
        expect(fallbackLog(hard)).toEqual(['started']);
        expect(server.published.get(hard)!.map(p => isChecking(p.diagnostics))).toEqual([true]);
        expect((hover!.contents as { value: string }).value.split('\n\n')[0]).toBe(
            '**shape `s`** — proxy, 1 core, 2 GiB per instance'
        );
        expect(describeTokens(tokens!.data, legend, EASY).slice(0, 4)).toEqual([
            '0:0 shape keyword',
            '0:6 s type+declaration',
            '0:10 role property',
            '0:17 proxy enumMember'
        ]);

        // then the final diagnostics: the CLI's for the same text, for the same version
        const final = await server.until('the final diagnostics', () =>
            server.published.get(hard)!.find(p => !isChecking(p.diagnostics))
        );
        expect(final.version).toBe(1);
        const cli = cliDiagnostics('hard.dcplan');
        expect(toReportDiagnostics(final.diagnostics)).toEqual(cli.diagnostics);
        expect(cli.placedCores).toBeGreaterThan(HARD.heuristicCores);
        expect(fallbackLog(hard)).toEqual(['started', 'done']);
        // notify-then-pull: the report changed again, and is the final one
        await server.until('the second reportChanged', () =>
            reportChanged.filter(r => r.uri === hard && r.version === 1).length >= 2
                ? true
                : undefined
        );
        const report = await server.conn.sendRequest(ReportRequest, { uri: hard });
        expect(report.checking).toBeUndefined();
        expect(report.report?.totals.placedCores).toBe(cli.placedCores);
        expect(report.report?.diagnostics).toEqual(cli.diagnostics);
    }, 180_000);

    it('an edit that changes the plan stops the solve: its result is never used', async () => {
        const uri = uriOf('other.dcplan');
        const change = (version: number, text: string) =>
            server.conn.sendNotification(DidChangeTextDocumentNotification.type, {
                textDocument: { uri, version },
                contentChanges: [{ text }]
            });
        await server.open(uri, OTHER_HARD.text, 1);
        expect(isChecking(await server.diagnostics(uri, 1))).toBe(true);
        await server.until('the solve to start', () =>
            fallbackLog(uri).includes('started') ? true : undefined
        );
        // a large host more: everything fits, nothing to solve
        const roomy = `${OTHER_HARD.text}host spare { cores = 128 memory = 1024 GiB hypervisor_cores = 0 hypervisor_memory = 0 GiB }\n`;
        await change(2, roomy);
        const v2 = await server.diagnostics(uri, 2);
        expect(v2.filter(d => d.code === 'unplaceable')).toEqual([]);
        await server.until('the solve to stop', () =>
            fallbackLog(uri).includes('stopped') ? true : undefined
        );
        // back to the hard text: solved anew (the stopped solve left no result behind)
        await change(3, OTHER_HARD.text);
        const final = await server.until('the final diagnostics of version 3', () =>
            server.published.get(uri)!.find(p => p.version === 3 && !isChecking(p.diagnostics))
        );
        expect(fallbackLog(uri)).toEqual(['started', 'stopped', 'started', 'done']);
        expect(server.published.get(uri)!.map(p => [p.version, isChecking(p.diagnostics)])).toEqual(
            [
                [1, true],
                [2, false],
                [3, true],
                [3, false]
            ]
        );
        expect(toReportDiagnostics(final.diagnostics)).toEqual(
            cliDiagnostics('other.dcplan').diagnostics
        );
    }, 180_000);

    it('never solves a plan of the workspace that is not open', () => {
        // closed.dcplan is as hard as other.dcplan, in the workspace since the start
        expect(fallbackLog(uriOf('closed.dcplan'))).toEqual([]);
        expect(server.published.has(uriOf('closed.dcplan'))).toBe(false);
    });
});
