/**
 * dcplan's own requests (src/protocol.ts) and completion with params a client got wrong, over
 * stdio: each is refused with `InvalidParams` (-32602) and a message naming the field, never an
 * internal error; `dcplan/saveLock` writes no lock for a file that is not a plan nor for a
 * buffer not on disk; `dcplan/locate` finds no instance past its shape's deployments; a
 * completion position past the document is clamped to its end.
 */
import { readdirSync, writeFileSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    CompletionRequest,
    DidOpenTextDocumentNotification,
    type CompletionList,
    type TextEdit
} from 'vscode-languageserver-protocol/node.js';
import {
    LocateRequest,
    OptimalRequest,
    PreviewTargetRequest,
    ReportRequest,
    SaveLockRequest
} from '../../src/protocol.js';
import {
    planFolder,
    startStdioServer,
    type LanguageFeatureServer,
    type PlanFolder
} from './stdio.js';

const SMALL =
    'plan small { }\n' +
    'shape px { role = proxy cores = 1 memory = 2 GiB }\n' +
    'deploy 4 x px\n' +
    'host n[1..2] { cores = 8 memory = 32 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB }\n';

let folder: PlanFolder<'small'>;
let dir: string;
let server: LanguageFeatureServer;
let uri: string;
beforeAll(async () => {
    folder = planFolder('dcplan-params-', { small: SMALL });
    dir = path.dirname(fileURLToPath(folder.uri('small')));
    writeFileSync(path.join(dir, 'notes.txt'), SMALL);
    server = await startStdioServer({}, folder.rootUri);
    uri = folder.uri('small');
    await server.open(uri, SMALL);
}, 60_000);
afterAll(async () => {
    await server?.stop();
    folder?.remove();
});

/** The JSON-RPC error of a request (`code message`), or `answered` when it was answered. */
async function refusal(method: string, params?: unknown): Promise<string> {
    try {
        await (params === undefined
            ? server.conn.sendRequest(method)
            : server.conn.sendRequest(method, params));
        return 'answered';
    } catch (e) {
        const err = e as { code: number; message: string };
        return `${err.code} ${err.message}`;
    }
}

describe('dcplan/saveLock', () => {
    it('writes no lock for a document that is not a plan, opened as dcplan', async () => {
        const notes = pathToFileURL(path.join(dir, 'notes.txt')).toString();
        await server.conn.sendNotification(DidOpenTextDocumentNotification.type, {
            textDocument: { uri: notes, languageId: 'dcplan', version: 1, text: SMALL }
        });
        expect(await server.conn.sendRequest(SaveLockRequest, { uri: notes })).toEqual({
            instances: 0,
            moves: 0,
            stops: 0,
            error: 'notes.txt: not a .dcplan file: only plans are locked'
        });
        expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'small.dcplan']);
    });

    it('writes no lock for a plan that is not on disk', async () => {
        const unsaved = pathToFileURL(path.join(dir, 'seed-copy.dcplan')).toString();
        await server.open(unsaved, SMALL);
        expect(await server.conn.sendRequest(SaveLockRequest, { uri: unsaved })).toEqual({
            instances: 0,
            moves: 0,
            stops: 0,
            error: 'the plan is not a file on disk: save it first'
        });
        expect(readdirSync(dir).sort()).toEqual(['notes.txt', 'small.dcplan']);
    });

    it('refuses params without a uri', async () => {
        expect(await refusal(SaveLockRequest.method, {})).toBe(
            '-32602 dcplan/saveLock: uri must be a URI (a non-empty string)'
        );
        expect(await refusal(SaveLockRequest.method, { uri: '' })).toBe(
            '-32602 dcplan/saveLock: uri must be a URI (a non-empty string)'
        );
    });
});

describe('dcplan/optimal', () => {
    const TIME_LIMIT =
        '-32602 dcplan/optimal: timeLimitSeconds takes a positive number of seconds, at most 86400';
    it.each([['x'], [1e9], [86_401], [-1], [0], [true]])(
        'refuses timeLimitSeconds %j as --time-limit does',
        async timeLimitSeconds => {
            expect(await refusal(OptimalRequest.method, { uri, timeLimitSeconds })).toBe(
                TIME_LIMIT
            );
        }
    );

    it('takes null as the default time limit, and refuses a missing uri', async () => {
        const r = await server.conn.sendRequest(OptimalRequest, { uri, timeLimitSeconds: null });
        expect([r.exact?.status, r.exact?.timeLimitSeconds]).toEqual(['optimal', 10]);
        expect(await refusal(OptimalRequest.method, { timeLimitSeconds: 5 })).toBe(
            '-32602 dcplan/optimal: uri must be a URI (a non-empty string)'
        );
    }, 30_000);
});

describe('dcplan/locate and dcplan/previewTarget', () => {
    it('refuses a missing or ill-typed field', async () => {
        expect(await refusal(LocateRequest.method, { uri, kind: 'instance' })).toBe(
            '-32602 dcplan/locate: name must be a string'
        );
        expect(await refusal(LocateRequest.method, { uri, kind: 'vm', name: 'px-1' })).toBe(
            '-32602 dcplan/locate: kind must be one of host, instance, shape'
        );
        expect(await refusal(LocateRequest.method, { kind: 'host', name: 'n1' })).toBe(
            '-32602 dcplan/locate: uri must be a URI (a non-empty string)'
        );
        expect(await refusal(LocateRequest.method, [uri, 'host', 'n1'])).toBe(
            '-32602 dcplan/locate: params must be an object'
        );
        expect(await refusal(PreviewTargetRequest.method, { uri, line: 1.5 })).toBe(
            '-32602 dcplan/previewTarget: line must be a 1-based line number (a whole number from 1)'
        );
        expect(await refusal(PreviewTargetRequest.method, { uri, line: '3' })).toBe(
            '-32602 dcplan/previewTarget: line must be a 1-based line number (a whole number from 1)'
        );
    });

    it('finds the deploy line of px-4 and nothing for px-5, px-99 or px-03 (4 deployed)', async () => {
        const at = (name: string) =>
            server.conn.sendRequest(LocateRequest, { uri, kind: 'instance', name });
        expect(await at('px-4')).toEqual({ uri, line: 3, column: 1 });
        expect(await at('px-5')).toBeNull();
        expect(await at('px-99')).toBeNull();
        expect(await at('px-0')).toBeNull();
        // no instance is numbered with a leading zero (it read as px-3)
        expect(await at('px-03')).toBeNull();
        expect(await at('px-3')).toEqual({ uri, line: 3, column: 1 });
    });
});

describe('dcplan/report', () => {
    it('refuses params without a uri, and a request without params', async () => {
        expect(await refusal(ReportRequest.method, { url: uri })).toBe(
            '-32602 dcplan/report: uri must be a URI (a non-empty string)'
        );
        expect(await refusal(ReportRequest.method, null)).toBe(
            '-32602 dcplan/report: params must be an object'
        );
    });
});

describe('completion at a position the document does not have', () => {
    const complete = (position: unknown) =>
        server.conn.sendRequest(CompletionRequest.method, {
            textDocument: { uri },
            position
        }) as Promise<CompletionList | null>;
    const ranges = (list: CompletionList | null) => [
        ...new Set(
            (list?.items ?? []).map(i => {
                const r = (i.textEdit as TextEdit).range;
                return `${r.start.line}:${r.start.character}-${r.end.line}:${r.end.character}`;
            })
        )
    ];

    it('clamps a line or a character past the end to the end of the text', async () => {
        // the text ends with a newline: its end is line 4, character 0
        const end = ranges(await complete({ line: 4, character: 0 }));
        expect(end).toEqual(['4:0-4:0']);
        expect(ranges(await complete({ line: 9999, character: 0 }))).toEqual(end);
        expect(ranges(await complete({ line: 9999, character: 9999 }))).toEqual(end);
        // past the end of line 3 (`deploy 4 x px`, 13 characters): its end
        expect(ranges(await complete({ line: 2, character: 9999 }))).toEqual(
            ranges(await complete({ line: 2, character: 13 }))
        );
    });

    it('refuses a position that is not two whole numbers from 0', async () => {
        const message =
            '-32602 textDocument/completion: position must have a line and a character, whole numbers from 0';
        for (const position of [
            { line: 1.5, character: 2 },
            { line: -1, character: -5 },
            { line: 0, character: -1 },
            { line: '3', character: '4' },
            {},
            null
        ])
            expect(
                await refusal(CompletionRequest.method, { textDocument: { uri }, position })
            ).toBe(message);
    });
});
