/**
 * Typing replay: every example (`examples/*.dcplan`) and every test fixture plan (fuzz/plans.ts)
 * typed into the real bundled server (dist/language-server.cjs over stdio) one character at a
 * time, as incremental `didChange` insertions at the end, then deleted back one character at a
 * time. After each change checked: the server process is alive, it publishes diagnostics for the
 * change, and it answers hover and completion at the cursor, code actions over the document,
 * document symbols, formatting, `dcplan/report`, references and document highlight without an
 * error. No message says `undefined`
 * (diagnostics, hover, completion, action titles, symbols, report). When the whole text is in,
 * and again when it is all deleted, the published diagnostics equal `dcplan check -f json`'s on
 * the same text in a file (code, severity, range, message).
 *
 * CI time: the examples are replayed in full (every prefix typed and deleted). The fixture plans
 * are replayed every FIXTURE_STEP-th prefix (a change inserting or deleting up to FIXTURE_STEP
 * characters), the requests still after every change; their full text and the empty text are
 * always among the prefixes. `DCPLAN_REPLAY_FULL=1` replays the fixtures in full too. On an idle
 * 2-core machine: about 45 s for the examples (some 15,000 changes), 20 s for the fixtures.
 */
import { type ChildProcess, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    CodeActionRequest,
    CompletionRequest,
    DidChangeTextDocumentNotification,
    DidCloseTextDocumentNotification,
    DidOpenTextDocumentNotification,
    DocumentFormattingRequest,
    DocumentHighlightRequest,
    DocumentSymbolRequest,
    HoverRequest,
    ReferencesRequest,
    type Diagnostic,
    type Position,
    type ProtocolConnection,
    type PublishDiagnosticsParams
} from 'vscode-languageserver-protocol/node.js';
import { ReportRequest } from '../../src/protocol.js';
import { examplePlans, fixturePlans, type PlanText } from '../../fuzz/plans.js';
import type { PlanReport } from '../../src/planner/report.js';
import { diagnosticLines } from '../helpers/diagnostics.js';
import { ROOT, StdioServer } from '../lsp/stdio-server.js';

const CLI = path.join(ROOT, 'bin/dcplan.cjs');
const FIXTURE_STEP = process.env.DCPLAN_REPLAY_FULL ? 1 : 7;
const WAIT = 20_000;

let server: StdioServer;
let proc: ChildProcess;
let conn: ProtocolConnection;
let work: string;
/** Diagnostics published per URI since the last `nextDiagnostics` of that URI. */
let published: Map<string, PublishDiagnosticsParams[]>;

/** Waits for the next diagnostics of `uri` (version `version` when the server says one). */
function nextDiagnostics(uri: string, version: number): Promise<Diagnostic[]> {
    return server.until(
        `diagnostics for ${uri} v${version}`,
        () => {
            const list = published.get(uri) ?? [];
            const at = list.findIndex(p => p.version === undefined || p.version === version);
            if (at >= 0) {
                // later publishes stay (the exact fallback's re-publish may already be there)
                published.set(uri, list.slice(at + 1));
                return list[at].diagnostics;
            }
            if (proc.exitCode !== null || proc.signalCode !== null)
                throw new Error(
                    `server exited (${proc.exitCode ?? proc.signalCode}); stderr:\n${server.stderr.slice(-3000)}`
                );
            return undefined;
        },
        WAIT,
        100
    );
}

/** The position of offset `at` in `text` (UTF-16 code units, lines split at \n, \r\n or \r). */
function positionAt(text: string, at: number): Position {
    let line = 0,
        start = 0;
    for (let i = 0; i < at; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
            line++;
            start = i + 1;
        }
    }
    return { line, character: at - start };
}

/** The offsets a replay stops at: every `step`-th of 0..length, and length (never inside a surrogate pair or a \r\n). */
function stops(text: string, step: number): number[] {
    const out: number[] = [];
    for (let i = 0; i <= text.length; i++) {
        const inside =
            i > 0 &&
            i < text.length &&
            ((text.charCodeAt(i) & 0xfc00) === 0xdc00 ||
                (text[i - 1] === '\r' && text[i] === '\n'));
        if (inside) continue;
        if (out.length === 0 || i === text.length || i - out[out.length - 1] >= step) out.push(i);
    }
    return out;
}

const UNDEFINED = /\bundefined\b/;

/** What `dcplan check -f json` reports for `text` written to a file: the diagnostics in the LSP's terms. */
function cliDiagnostics(text: string, name: string): string[] {
    const file = path.join(work, name);
    writeFileSync(file, text);
    let out: string;
    try {
        out = execFileSync(process.execPath, [CLI, 'check', '-f', 'json', file], {
            encoding: 'utf8'
        });
    } catch (e) {
        const err = e as { status: number; stdout: string; stderr: string };
        if (err.status !== 1) throw new Error(`dcplan check exited ${err.status}: ${err.stderr}`);
        out = err.stdout;
    }
    return diagnosticLines((JSON.parse(out) as PlanReport).diagnostics).sort();
}

const lspDiagnostics = (ds: Diagnostic[]) => diagnosticLines(ds).sort();

/**
 * Replays `plan` (typed up to each stop, then deleted back), checking the server after each
 * change; returns how many changes were made.
 */
async function replay(plan: PlanText, step: number, n: number): Promise<number> {
    const name = `replay-${n}.dcplan`;
    const uri = pathToFileURL(path.join(work, name)).toString();
    const text = plan.text;
    let version = 1;
    let current = '';
    published.delete(uri);
    await conn.sendNotification(DidOpenTextDocumentNotification.type, {
        textDocument: { uri, languageId: 'dcplan', version, text: '' }
    });
    await check(uri, current, version, `${plan.source} (opened empty)`);
    const at = stops(text, step);
    let changes = 0;
    const moveTo = async (offset: number) => {
        version++;
        changes++;
        const range =
            offset > current.length
                ? {
                      start: positionAt(current, current.length),
                      end: positionAt(current, current.length)
                  }
                : { start: positionAt(current, offset), end: positionAt(current, current.length) };
        const inserted = offset > current.length ? text.slice(current.length, offset) : '';
        await conn.sendNotification(DidChangeTextDocumentNotification.type, {
            textDocument: { uri, version },
            contentChanges: [{ range, text: inserted }]
        });
        current = text.slice(0, offset);
        await check(uri, current, version, `${plan.source} at offset ${offset} (v${version})`);
    };
    for (const offset of at.slice(1)) await moveTo(offset);
    expect(current).toBe(text);
    // a plan the heuristic leaves short is re-published once the exact fallback has solved it
    // in the server's worker: the CLI gives that answer at once, so compare the final one
    if (lastDiagnostics.get(uri)?.some(l => l.includes('checking with the exact solver')))
        lastDiagnostics.set(uri, lspDiagnostics(await nextDiagnostics(uri, version)));
    // a text with a NUL is no file the CLI reads ("not a text file", exit 2): the server's one
    // error is asserted in test/language/bad-input.test.ts
    if (!text.includes('\0'))
        expect(lastDiagnostics.get(uri), `${plan.source}: diagnostics of the whole text`).toEqual(
            cliDiagnostics(text, name)
        );
    for (const offset of at.slice(0, -1).reverse()) await moveTo(offset);
    expect(current).toBe('');
    expect(lastDiagnostics.get(uri), `${plan.source}: diagnostics of the empty text`).toEqual(
        cliDiagnostics('', name)
    );
    await conn.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    return changes;
}

const lastDiagnostics = new Map<string, string[]>();

/**
 * Plans as a newcomer typed them: names with letters beyond ASCII (one beyond U+FFFF, typed as
 * one character), a symbol and an invisible character inside names, and stray braces between
 * elements (test/language/unicode-names.test.ts asserts their diagnostics).
 */
const NEWCOMER_PLANS: PlanText[] = [
    {
        source: 'newcomer: hvü2 and bé',
        text: 'plan köln {\n}\nshape bé {\n  role = proxy\n  cores = 1\n  memory = 2 GiB\n}\ndeploy 2 x bé\nhost hvü2, 𝒜1 {\n  cores = 8\n  memory = 32 GiB\n  hypervisor_cores = 2\n  hypervisor_memory = 4 GiB\n}\n'
    },
    {
        source: 'newcomer: stray characters and text',
        text: 'shape a→b { role = proxy cores = 1 memory = 2 GiB }\nhost c\u200bd { cores = 4 }\n{{{{\ndeploy 1 x a\n'
    }
];

/** The checks after one change: alive, diagnostics published, every request answered, no `undefined`. */
async function check(uri: string, text: string, version: number, where: string): Promise<void> {
    const ds = await nextDiagnostics(uri, version);
    const cursor = positionAt(text, text.length);
    const hoverAt = positionAt(text, Math.max(0, text.length - 1));
    const whole = { start: { line: 0, character: 0 }, end: cursor };
    const textDocument = { uri };
    let answers: unknown[];
    try {
        answers = await Promise.all([
            conn.sendRequest(HoverRequest.type, { textDocument, position: hoverAt }),
            conn.sendRequest(CompletionRequest.type, { textDocument, position: cursor }),
            conn.sendRequest(CodeActionRequest.type, {
                textDocument,
                range: whole,
                context: { diagnostics: ds }
            }),
            conn.sendRequest(DocumentSymbolRequest.type, { textDocument }),
            conn.sendRequest(DocumentFormattingRequest.type, {
                textDocument,
                options: { tabSize: 2, insertSpaces: true }
            }),
            conn.sendRequest(ReportRequest, { uri }),
            // the requests that wait for the whole workspace (test/lsp/typing-requests.test.ts)
            conn.sendRequest(ReferencesRequest.type, {
                textDocument,
                position: hoverAt,
                context: { includeDeclaration: true }
            }),
            conn.sendRequest(DocumentHighlightRequest.type, { textDocument, position: hoverAt })
        ]);
    } catch (e) {
        throw new Error(
            `${where}: a request failed: ${(e as Error).message}\n${JSON.stringify(text)}\nstderr:\n${server.stderr.slice(-3000)}`
        );
    }
    expect(proc.exitCode, `${where}: server exited`).toBeNull();
    const said = JSON.stringify([ds.map(d => d.message), answers]);
    if (UNDEFINED.test(said)) {
        const m = said.match(/.{0,120}\bundefined\b.{0,60}/)![0];
        throw new Error(
            `${where}: 'undefined' in an answer: …${m}…\ntext: ${JSON.stringify(text)}`
        );
    }
    lastDiagnostics.set(uri, lspDiagnostics(ds));
}

beforeAll(async () => {
    work = mkdtempSync(path.join(tmpdir(), 'dcplan-replay-'));
    server = new StdioServer({ cwd: work });
    ({ proc, conn, published } = server);
    await server.initialize({
        rootUri: pathToFileURL(work).toString(),
        capabilities: { textDocument: { publishDiagnostics: { versionSupport: true } } },
        // every prefix checked and published: no pause after an edit (test/lsp/runtime.test.ts
        // covers the default pause and bursts)
        initializationOptions: { editDelay: 0 }
    });
}, 60_000);

afterAll(async () => {
    await server?.stop();
    if (work) rmSync(work, { recursive: true, force: true });
});

describe('typing replay into the real server over stdio', () => {
    const examples = examplePlans();
    const fixtures = fixturePlans();

    it('finds the plans to type: the seven examples and the fixture plans of the tests', () => {
        expect(examples.map(e => e.source)).toEqual(
            [
                'day2-drain',
                'overcommit',
                'ring-too-large',
                'seed-per-host',
                'seed-physical',
                'seed-recommended',
                'seed-reference'
            ].map(n => `examples/${n}.dcplan`)
        );
        expect(fixtures.length).toBeGreaterThan(50);
    });

    it.each(examples.map((e, i) => [e.source, e, i] as const))(
        '%s: every prefix typed, then deleted back',
        async (_s, plan, i) => {
            const changes = await replay(plan, 1, i);
            expect(changes).toBe(2 * [...plan.text].length - plan.text.split('\r\n').length + 1);
        },
        600_000
    );

    it('plans as a newcomer typed them (names beyond ASCII, stray characters, stray text): every prefix typed, then deleted back, the full text as the CLI reports it', async () => {
        let n = 50;
        for (const plan of NEWCOMER_PLANS) {
            const changes = await replay(plan, 1, n++);
            expect(changes).toBe(2 * [...plan.text].length);
        }
        // the reported plan whole: no diagnostic at all (no syntax error, no phantom host `hv`,
        // shape `bé` used)
        expect(
            lastDiagnostics.get(pathToFileURL(path.join(work, 'replay-50.dcplan')).toString())
        ).toEqual([]);
    }, 600_000);

    it(`the fixture plans: every ${FIXTURE_STEP}th prefix typed, then deleted back`, async () => {
        let n = 100;
        for (const plan of fixtures) await replay(plan, FIXTURE_STEP, n++);
    }, 1_200_000); // about 410 s alone on the 2-core machine, with 100+ test files' plans
});
