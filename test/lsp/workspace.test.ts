/**
 * A real repository as workspace (issue 13, "How it is proven"): the real bundled server
 * (dist/language-server.cjs) over stdio, with a workspace folder that holds what a repository
 * holds beside its plans — `.js`, `.ts` and `.py` files that start with `import`, a `#!` script,
 * a README, notes, `.bak` and `.orig` copies of plans, a binary file, `node_modules/`, a 1.7 MB
 * bundle — and two plans, one importing the other. Only the plans are indexed, built and
 * reported; references, rename and workspace symbols stay inside them; the editor's changes of
 * other files and the watcher's events about them build nothing; `import` alone (typed or
 * created on disk) is a syntax error, not a crash; the server answers to the end.
 */
import { spawn, type ChildProcess, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    createProtocolConnection, StreamMessageReader, StreamMessageWriter, DidChangeTextDocumentNotification, DidChangeWatchedFilesNotification,
    DidOpenTextDocumentNotification, DocumentSymbolRequest, ExitNotification, FileChangeType, HoverRequest, InitializedNotification,
    InitializeRequest, LogMessageNotification, PublishDiagnosticsNotification, ReferencesRequest, RegistrationRequest, RenameRequest,
    ShutdownRequest, WorkspaceSymbolRequest, type Diagnostic, type ProtocolConnection, type PublishDiagnosticsParams, type Registration
} from 'vscode-languageserver-protocol/node.js';

const ROOT = path.resolve(__dirname, '../..');
const SERVER = path.join(ROOT, 'dist/language-server.cjs');
const TIMEOUT = 20_000;

let proc: ChildProcess;
let conn: ProtocolConnection;
let ws: string;
const published = new Map<string, PublishDiagnosticsParams[]>();
const registrations: Registration[] = [];
const logged: string[] = [];
const waiters: (() => void)[] = [];
let stderr = '';
let exited: number | null | undefined;

function poke(): void { for (const w of waiters.splice(0)) w(); }

/** Waits until `check` returns a value (re-checked on each message), or fails after a timeout. */
async function until<T>(what: string, check: () => T | undefined, ms = TIMEOUT): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
        const value = check();
        if (value !== undefined) return value;
        const left = end - Date.now();
        if (left <= 0) throw new Error(`timed out waiting for ${what}; server stderr:\n${stderr.slice(-2000)}\nlog:\n${logged.join('\n').slice(-2000)}`);
        await new Promise<void>(resolve => { const t = setTimeout(resolve, Math.min(left, 200)); waiters.push(() => { clearTimeout(t); resolve(); }); });
    }
}

const uriOf = (name: string) => pathToFileURL(path.join(ws, name)).toString();
const SHAPES = 'shapes.dcplan', PLAN = 'plan.dcplan';

const SHAPES_TEXT = 'shape proxy_1c { role = proxy cores = 1 memory = 2 GiB }\nshape backend_4c { role = backend cores = 4 memory = 16 GiB }\n';
const PLAN_TEXT = 'import "shapes.dcplan"\n\nplan demo { title = "Workspace test" }\nshape spare { role = director cores = 2 memory = 4 GiB }\n'
    + 'host hv[1..4] { cores = 16 memory = 128 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB runs = 1 x proxy_1c }\n'
    + 'deploy 6 x proxy_1c\ndeploy 6 x backend_4c\n';

/** The files of the workspace that are not plans (path → content). */
function otherFiles(): Record<string, string | Buffer> {
    let bundle = "import { h } from './h.js';\n";
    for (let i = 0; bundle.length < 1_700_000; i++) bundle += `export const proxy_1c_${i} = h('shape proxy_1c { role = proxy cores = ${i} }');\n`;
    return {
        'src/app.js': "import fs from 'node:fs';\nimport { x } from './x.js';\nconsole.log(fs, x);\n",
        'src/main.ts': 'import { a } from "./a";\nimport "./side-effect";\nexport const b = a;\n',
        'tools/gen.py': 'import os\nimport sys\nprint(os.name, sys.argv)\n',
        'tools/run': '#!/usr/bin/env python3\nimport os\nprint(os.getcwd())\n',
        'README.md': '# Cluster plans\n\nimport "plan.dcplan"\n\nThe shape proxy_1c is used by plan.dcplan.\n',
        'notes.txt': 'proxy_1c needs a bigger host\nshape proxy_1c {\n',
        'a.dcplan.bak': SHAPES_TEXT,
        'b.dcplan.orig': PLAN_TEXT,
        'data.bin': Buffer.from([0x00, 0xff, 0xfe, 0x69, 0x6d, 0x70, 0x6f, 0x72, 0x74, 0x00, 0x80, 0x0a]),
        'node_modules/x/index.js': "import y from 'y';\nexport default y;\n",
        'node_modules/x/plan.dcplan': 'import\n',
        'dist/bundle.js': bundle
    };
}

/** `code line:col-line:col` (0-based) of each diagnostic, sorted. */
const placed = (ds: Diagnostic[]) => ds.map(d => `${String(d.code)} ${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character} ${d.message}`).sort();

beforeAll(async () => {
    if (!existsSync(SERVER)) execFileSync(process.execPath, ['esbuild.mjs'], { cwd: ROOT, stdio: 'inherit' });
    ws = mkdtempSync(path.join(tmpdir(), 'dcplan-ws-'));
    for (const [name, content] of Object.entries({ ...otherFiles(), [SHAPES]: SHAPES_TEXT, [PLAN]: PLAN_TEXT })) {
        mkdirSync(path.dirname(path.join(ws, name)), { recursive: true });
        writeFileSync(path.join(ws, name), content);
    }
    proc = spawn(process.execPath, [SERVER, '--stdio'], { cwd: ws, stdio: ['pipe', 'pipe', 'pipe'] });
    proc.stderr!.on('data', d => { stderr += String(d); });
    proc.on('exit', code => { exited = code; poke(); });
    conn = createProtocolConnection(new StreamMessageReader(proc.stdout!), new StreamMessageWriter(proc.stdin!));
    conn.onNotification(PublishDiagnosticsNotification.type, p => {
        const list = published.get(p.uri) ?? [];
        list.push(p);
        published.set(p.uri, list);
        poke();
    });
    conn.onNotification(LogMessageNotification.type, p => { logged.push(p.message); });
    conn.onRequest(RegistrationRequest.type, p => { registrations.push(...p.registrations); poke(); return null; });
    conn.listen();
    const folder = pathToFileURL(ws).toString();
    await conn.sendRequest(InitializeRequest.type, {
        processId: process.pid, rootUri: folder, workspaceFolders: [{ uri: folder, name: 'repo' }],
        capabilities: {
            workspace: { didChangeWatchedFiles: { dynamicRegistration: true }, workspaceFolders: true, symbol: {} },
            textDocument: { publishDiagnostics: { versionSupport: true }, rename: { prepareSupport: false } }
        }
    });
    await conn.sendNotification(InitializedNotification.type, {});
}, 60_000);

afterAll(async () => {
    try {
        await Promise.race([conn.sendRequest(ShutdownRequest.type), new Promise(r => setTimeout(r, 3000))]);
        await conn.sendNotification(ExitNotification.type);
    } catch { /* already gone */ }
    conn?.dispose();
    await new Promise(r => setTimeout(r, 200));
    proc?.kill('SIGKILL');
    if (ws) rmSync(ws, { recursive: true, force: true });
});

/** The last diagnostics published for `name`, once some are. */
const lastOf = (name: string) => until(`diagnostics of ${name}`, () => published.get(uriOf(name))?.at(-1)?.diagnostics);

/** True when every URI that has diagnostics is one of the plans named. */
function onlyPlansReported(...names: string[]): void {
    expect([...published.keys()].sort()).toEqual(names.map(uriOf).sort());
}

describe('a real repository as workspace', () => {
    it('indexes the plans only; reports them, with their exact diagnostics, when opened', async () => {
        // answered once the workspace is indexed (Langium's first build indexes without validating)
        await conn.sendRequest(WorkspaceSymbolRequest.type, { query: '' });
        expect([...published.keys()]).toEqual([]);
        for (const [name, text] of [[SHAPES, SHAPES_TEXT], [PLAN, PLAN_TEXT]]) {
            await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uriOf(name), languageId: 'dcplan', version: 1, text } });
        }
        expect(placed(await lastOf(SHAPES))).toEqual([
            'unused-shape 0:6-0:14 shape proxy_1c is not deployed',
            'unused-shape 1:6-1:16 shape backend_4c is not deployed'
        ]);
        expect(placed(await lastOf(PLAN))).toEqual(['unused-shape 3:6-3:11 shape spare is not deployed']);
        onlyPlansReported(SHAPES, PLAN);
    });

    it('asks the client to watch .dcplan files (and deletions, for folders)', async () => {
        const watchers = await until('the file watcher registration', () => registrations.find(r => r.method === DidChangeWatchedFilesNotification.method));
        expect(watchers.registerOptions).toEqual({ watchers: [{ globPattern: '**/*.dcplan' }, { globPattern: '**/*.dcplan.lock' }, { globPattern: '**/*', kind: 4 }] });
    });

    it('references and rename of a shape touch the two plans only', async () => {
        const position = { line: 0, character: 8 }; // in `proxy_1c` of shapes.dcplan
        const refs = await conn.sendRequest(ReferencesRequest.type, { textDocument: { uri: uriOf(SHAPES) }, position, context: { includeDeclaration: true } });
        expect(refs!.map(l => `${path.basename(new URL(l.uri).pathname)} ${l.range.start.line}:${l.range.start.character}-${l.range.end.line}:${l.range.end.character}`).sort()).toEqual([
            'plan.dcplan 4:102-4:110', 'plan.dcplan 5:11-5:19', 'shapes.dcplan 0:6-0:14'
        ]);
        const edit = await conn.sendRequest(RenameRequest.type, { textDocument: { uri: uriOf(SHAPES) }, position, newName: 'proxy_one' });
        const changes = edit!.changes!;
        expect(Object.keys(changes).sort()).toEqual([uriOf(PLAN), uriOf(SHAPES)]);
        expect(changes[uriOf(SHAPES)].map(e => `${e.range.start.line}:${e.range.start.character} ${e.newText}`)).toEqual(['0:6 proxy_one']);
        expect(changes[uriOf(PLAN)].map(e => `${e.range.start.line}:${e.range.start.character} ${e.newText}`).sort()).toEqual(['4:102 proxy_one', '5:11 proxy_one']);
    });

    it('workspace symbols come from the plans only', async () => {
        const symbols = await conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'proxy' });
        const found = (symbols ?? []).map(s => `${path.basename(new URL(s.location.uri).pathname)} ${s.name}`).sort();
        expect(found).toEqual(['shapes.dcplan proxy_1c']);
    });

    it('the editor\'s documents of other languages and the watcher\'s other files build nothing', async () => {
        for (const [name, languageId] of [['tools/gen.py', 'python'], ['README.md', 'markdown'], ['src/app.js', 'javascript'], ['a.dcplan.bak', 'plaintext']]) {
            await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uriOf(name), languageId, version: 1, text: 'import\nimport os\n' } });
            await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri: uriOf(name), version: 2 }, contentChanges: [{ text: 'import' }] });
            // a request on it is refused, not answered as a plan
            const symbols = await conn.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: uriOf(name) } }).then(s => s, () => 'refused');
            expect([null, 'refused']).toContain(symbols);
        }
        await conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [
            { uri: uriOf('notes.txt'), type: FileChangeType.Changed }, { uri: uriOf('b.dcplan.orig'), type: FileChangeType.Created },
            { uri: uriOf('tools/run'), type: FileChangeType.Changed }, { uri: uriOf('dist'), type: FileChangeType.Changed }
        ] });
        // a plan created on disk with `import` alone, as the watcher reports it: indexed without a
        // crash (closed files are not checked), then reported once opened
        writeFileSync(path.join(ws, 'typing.dcplan'), 'import\n');
        await conn.sendNotification(DidChangeWatchedFilesNotification.type, { changes: [{ uri: uriOf('typing.dcplan'), type: FileChangeType.Created }] });
        const symbols = await conn.sendRequest(WorkspaceSymbolRequest.type, { query: '' });
        expect(JSON.stringify(symbols)).not.toContain('typing.dcplan');
        await conn.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: uriOf('typing.dcplan'), languageId: 'dcplan', version: 1, text: 'import\n' } });
        expect(placed(await lastOf('typing.dcplan'))).toEqual(['syntax-error 0:6-0:6 the file ends in the middle of an element']);
        onlyPlansReported(SHAPES, PLAN, 'typing.dcplan');
    });

    it('typing `import` into a plan is a syntax error, not a crash; the plan comes back when the quote is typed', async () => {
        const uri = uriOf(PLAN);
        const after = (n: number, what: string, check: (ds: Diagnostic[]) => boolean) =>
            until(what, () => (published.get(uri) ?? []).slice(n).map(p => p.diagnostics).find(check));
        let n = published.get(uri)?.length ?? 0;
        const typed = 'import "shapes.dcplan"\nimport\n' + PLAN_TEXT.slice('import "shapes.dcplan"\n'.length);
        await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 2 }, contentChanges: [{ text: typed }] });
        const broken = await after(n, 'the syntax error', ds => ds.some(d => d.code === 'syntax-error'));
        expect(placed(broken)).toEqual(["syntax-error 3:0-3:4 unexpected 'plan': expected a string", 'unused-shape 4:6-4:11 shape spare is not deployed']);
        n = published.get(uri)!.length;
        await conn.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: 3 }, contentChanges: [{ text: PLAN_TEXT }] });
        const back = await after(n, 'the plan back', ds => !ds.some(d => d.code === 'syntax-error'));
        expect(placed(back)).toEqual(['unused-shape 3:6-3:11 shape spare is not deployed']);
    });

    it('is still alive and answering; logged no internal error', async () => {
        const hover = await conn.sendRequest(HoverRequest.type, { textDocument: { uri: uriOf(PLAN) }, position: { line: 5, character: 13 } });
        expect(JSON.stringify(hover)).toContain('proxy_1c');
        expect(exited).toBeUndefined();
        expect(proc.exitCode).toBeNull();
        expect(logged.join('\n')).not.toMatch(/internal error|TypeError|Path must be a string/);
        expect(stderr).not.toMatch(/Error/);
        onlyPlansReported(SHAPES, PLAN, 'typing.dcplan');
    });
});
