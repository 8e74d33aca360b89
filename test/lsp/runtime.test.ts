/**
 * The language server's runtime over stdio (the real bundled server, dist/language-server.cjs):
 * `$/cancelRequest` of `dcplan/optimal`, versioned and single diagnostics whatever the order of
 * opens (without a workspace root too), and a burst of edits sent without waiting.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    CancellationTokenSource,
    DidChangeTextDocumentNotification,
    LSPErrorCodes,
    ResponseError,
    type Diagnostic
} from 'vscode-languageserver-protocol/node.js';
import { OptimalRequest } from '../../src/protocol.js';
import { generate, toText } from '../../bench/generate.js';
import { ROOT, StdioServer } from './stdio-server.js';

/** A server with `rootDir` as its workspace root (or none), asking for versioned diagnostics. */
async function startServer(rootDir: string | null): Promise<StdioServer> {
    const server = new StdioServer();
    const rootUri = rootDir ? pathToFileURL(rootDir).toString() : null;
    await server.initialize({
        rootUri,
        workspaceFolders: rootUri ? [{ uri: rootUri, name: 'ws' }] : null,
        capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } }
    });
    return server;
}

const summary = (ds: readonly Diagnostic[]) =>
    ds.map(d => `${d.code}@${d.range.start.line}:${d.range.start.character}`).sort();
const doubled = (ds: readonly Diagnostic[]) =>
    new Set(ds.map(d => JSON.stringify([d.code, d.range, d.message]))).size !== ds.length;

describe('the language server runtime, with a workspace root', () => {
    let server: StdioServer;
    const dir = mkdtempSync(path.join(tmpdir(), 'dcplan-runtime-'));
    beforeAll(async () => {
        server = await startServer(dir);
    }, 60_000);
    afterAll(() => server?.stop());

    it('answers a cancelled dcplan/optimal at once with RequestCancelled, and solves again after', async () => {
        // 40 hosts at 97% load in 3 racks: HiGHS runs to its time limit on this plan
        const hard = toText(
            generate({ seed: 5, hosts: 40, load: 0.97, racks: 3, shapesPerRole: 2 })
        );
        const uri = pathToFileURL(path.join(dir, 'hard.dcplan')).toString();
        await server.open(uri, hard, 3);
        await server.diagnostics(uri, 3);
        const source = new CancellationTokenSource();
        const started = Date.now();
        const request = server.conn.sendRequest(
            OptimalRequest,
            { uri, timeLimitSeconds: 60 },
            source.token
        );
        setTimeout(() => source.cancel(), 800);
        const error = await request.then(
            () => undefined,
            (e: unknown) => e
        );
        const seconds = (Date.now() - started) / 1000;
        expect(error).toBeInstanceOf(ResponseError);
        expect((error as ResponseError<unknown>).code).toBe(LSPErrorCodes.RequestCancelled);
        // a generous cap, far below the 60 s limit the solve would have run to
        expect(seconds).toBeLessThan(15);

        // the solver is there for the next request: the recommended example, proved optimal
        const small = readFileSync(path.join(ROOT, 'examples', 'seed-recommended.dcplan'), 'utf8');
        const smallUri = pathToFileURL(path.join(dir, 'small.dcplan')).toString();
        await server.open(smallUri, small, 1);
        await server.diagnostics(smallUri, 1);
        const result = await server.conn.sendRequest(OptimalRequest, {
            uri: smallUri,
            timeLimitSeconds: 10
        });
        expect(result.exact?.status).toBe('optimal');
        expect(result.report?.unplaced).toEqual([]);
    }, 60_000);

    it('publishes diagnostics with the version of the text they are for', async () => {
        const uri = pathToFileURL(path.join(dir, 'versioned.dcplan')).toString();
        const text =
            'shape p { role = proxy cores = 1 memory = 2 GiB }\nhost h { cores = 8 memory = 32 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }\ndeploy 2 x p\n';
        await server.open(uri, text, 7);
        expect(summary(await server.diagnostics(uri, 7))).toEqual([
            'host-failure@1:5',
            'role-on-one-host@1:5'
        ]);
        await server.conn.sendNotification(DidChangeTextDocumentNotification.type, {
            textDocument: { uri, version: 8 },
            contentChanges: [{ text: text.replace('deploy 2 x p', 'deploy 2 x q') }]
        });
        const ds = await server.diagnostics(uri, 8);
        expect(summary(ds)).toEqual(['unresolved-name@2:11', 'unused-shape@0:6']);
        expect(server.published.get(uri)!.map(p => p.version)).toEqual([7, 8]);
    });

    it('drops superseded validations under a burst of 200 edits: the last version is published, far fewer publishes than edits', async () => {
        const uri = pathToFileURL(path.join(dir, 'burst.dcplan')).toString();
        const base =
            'shape p { role = proxy cores = 1 memory = 2 GiB }\nhost h { cores = 8 memory = 32 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }\n';
        await server.open(uri, base + 'deploy 1 x p\n', 1);
        await server.diagnostics(uri, 1);
        // counts 1..200 in turn, all sent without waiting: the last one, 200 × 1 core on 6 usable, cannot be placed
        const sends: Promise<void>[] = [];
        for (let k = 1; k <= 200; k++) {
            sends.push(
                server.conn.sendNotification(DidChangeTextDocumentNotification.type, {
                    textDocument: { uri, version: 1 + k },
                    contentChanges: [{ text: base + `deploy ${k} x p\n` }]
                })
            );
        }
        await Promise.all(sends);
        const last = await server.diagnostics(uri, 201);
        expect(summary(last)).toEqual(['unplaceable@2:0']);
        await new Promise(r => setTimeout(r, 500));
        const versions = server.published.get(uri)!.map(p => p.version!);
        expect(versions[versions.length - 1]).toBe(201);
        expect(versions.length - 1).toBeLessThanOrEqual(20);
        // never an older text after a newer one
        expect([...versions].sort((a, b) => a - b)).toEqual(versions);
    });
});

describe('the language server runtime, without a workspace root', () => {
    let server: StdioServer;
    beforeAll(async () => {
        server = await startServer(null);
    }, 60_000);
    afterAll(() => server?.stop());

    it('never doubles the diagnostics of an importer when the imported file is opened after it (10 times)', async () => {
        for (let run = 0; run < 10; run++) {
            const dir = mkdtempSync(path.join(tmpdir(), `dcplan-noroot-${run}-`));
            const inventory =
                'shape p { role = proxy cores = 4 memory = 8 GiB }\nhost hv[1..2] { cores = 8 memory = 32 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }\n';
            const plan = 'import "inventory.dcplan"\ndeploy 4 x p\ndeploy 1 x nope\n';
            writeFileSync(path.join(dir, 'inventory.dcplan'), inventory);
            writeFileSync(path.join(dir, 'plan.dcplan'), plan);
            const planUri = pathToFileURL(path.join(dir, 'plan.dcplan')).toString();
            const invUri = pathToFileURL(path.join(dir, 'inventory.dcplan')).toString();
            await server.open(planUri, plan, 1);
            // right after: the race of the import loader's rebuild with the open
            await server.open(invUri, inventory, 1);
            await server.diagnostics(invUri, 1);
            const expected = [
                'login-idle-cores@0:7',
                'proxy-split@0:7',
                'unplaceable@1:0',
                'unresolved-name@2:11'
            ];
            await server.until(
                `the importer's diagnostics, run ${run}: ${JSON.stringify(server.published.get(planUri)?.map(p => summary(p.diagnostics)))}`,
                () => {
                    const list = server.published.get(planUri) ?? [];
                    return list.length > 0 &&
                        summary(list[list.length - 1].diagnostics).join() === expected.join()
                        ? true
                        : undefined;
                }
            );
            // what follows the loads and rebuilds has settled
            await new Promise(r => setTimeout(r, 400));
            const all = server.published.get(planUri)!;
            for (const p of all)
                expect(
                    doubled(p.diagnostics),
                    `run ${run}: ${JSON.stringify(summary(p.diagnostics))}`
                ).toBe(false);
            expect(summary(all[all.length - 1].diagnostics)).toEqual(expected);
        }
    }, 120_000);
});
