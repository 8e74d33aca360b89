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
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    DidChangeTextDocumentNotification,
    DidChangeWatchedFilesNotification,
    DidOpenTextDocumentNotification,
    DocumentSymbolRequest,
    FileChangeType,
    HoverRequest,
    LogMessageNotification,
    ReferencesRequest,
    RegistrationRequest,
    RenameRequest,
    WorkspaceSymbolRequest,
    type Diagnostic,
    type ProtocolConnection,
    type PublishDiagnosticsParams,
    type Registration
} from 'vscode-languageserver-protocol/node.js';
import { StdioServer } from './stdio-server.js';
import { diagnosticLines } from '../helpers/diagnostics.js';

let server: StdioServer;
let conn: ProtocolConnection;
let ws: string;
let published: Map<string, PublishDiagnosticsParams[]>;
const registrations: Registration[] = [];
const logged: string[] = [];

/** `server.until`, whose timeout also shows the end of the server's log messages. */
const until = <T>(what: string, check: () => T | undefined) =>
    server.until(what, check).catch((e: Error) => {
        throw new Error(`${e.message}\nlog:\n${logged.join('\n').slice(-2000)}`);
    });

const uriOf = (name: string) => pathToFileURL(path.join(ws, name)).toString();
const SHAPES = 'shapes.dcplan',
    PLAN = 'plan.dcplan';

const SHAPES_TEXT =
    'shape proxy_1c { role = proxy cores = 1 memory = 2 GiB }\nshape backend_4c { role = backend cores = 4 memory = 16 GiB }\n';
const PLAN_TEXT =
    'import "shapes.dcplan"\n\nplan demo { title = "Workspace test" }\nshape spare { role = director cores = 2 memory = 4 GiB }\n' +
    'host hv[1..4] { cores = 16 memory = 128 GiB hypervisor_cores = 2 hypervisor_memory = 8 GiB runs = 1 x proxy_1c }\n' +
    'deploy 6 x proxy_1c\ndeploy 6 x backend_4c\n';

/** The files of the workspace that are not plans (path → content). */
function otherFiles(): Record<string, string | Buffer> {
    let bundle = "import { h } from './h.js';\n";
    for (let i = 0; bundle.length < 1_700_000; i++)
        bundle += `export const proxy_1c_${i} = h('shape proxy_1c { role = proxy cores = ${i} }');\n`;
    return {
        'src/app.js':
            "import fs from 'node:fs';\nimport { x } from './x.js';\nconsole.log(fs, x);\n",
        'src/main.ts': 'import { a } from "./a";\nimport "./side-effect";\nexport const b = a;\n',
        'tools/gen.py': 'import os\nimport sys\nprint(os.name, sys.argv)\n',
        'tools/run': '#!/usr/bin/env python3\nimport os\nprint(os.getcwd())\n',
        'README.md':
            '# Cluster plans\n\nimport "plan.dcplan"\n\nThe shape proxy_1c is used by plan.dcplan.\n',
        'notes.txt': 'proxy_1c needs a bigger host\nshape proxy_1c {\n',
        'a.dcplan.bak': SHAPES_TEXT,
        'b.dcplan.orig': PLAN_TEXT,
        'data.bin': Buffer.from([
            0x00, 0xff, 0xfe, 0x69, 0x6d, 0x70, 0x6f, 0x72, 0x74, 0x00, 0x80, 0x0a
        ]),
        'node_modules/x/index.js': "import y from 'y';\nexport default y;\n",
        'node_modules/x/plan.dcplan': 'import\n',
        'dist/bundle.js': bundle
    };
}

/** The diagnostics as `severity code L:C-L:C message` (test/helpers/diagnostics.ts), sorted. */
const placed = (ds: Diagnostic[]) => diagnosticLines(ds).sort();

beforeAll(async () => {
    ws = mkdtempSync(path.join(tmpdir(), 'dcplan-ws-'));
    for (const [name, content] of Object.entries({
        ...otherFiles(),
        [SHAPES]: SHAPES_TEXT,
        [PLAN]: PLAN_TEXT
    })) {
        mkdirSync(path.dirname(path.join(ws, name)), { recursive: true });
        writeFileSync(path.join(ws, name), content);
    }
    server = new StdioServer({ cwd: ws, timeoutMs: 20_000 });
    ({ conn, published } = server);
    conn.onNotification(LogMessageNotification.type, p => {
        logged.push(p.message);
    });
    conn.onRequest(RegistrationRequest.type, p => {
        registrations.push(...p.registrations);
        server.poke();
        return null;
    });
    const folder = pathToFileURL(ws).toString();
    await server.initialize({
        rootUri: folder,
        workspaceFolders: [{ uri: folder, name: 'repo' }],
        capabilities: {
            workspace: {
                didChangeWatchedFiles: { dynamicRegistration: true },
                workspaceFolders: true,
                symbol: {}
            },
            textDocument: {
                publishDiagnostics: { versionSupport: true },
                rename: { prepareSupport: false }
            }
        }
    });
}, 60_000);

afterAll(async () => {
    await server?.stop();
    if (ws) rmSync(ws, { recursive: true, force: true });
});

/** The last diagnostics published for `name`, once some are. */
const lastOf = (name: string) =>
    until(`diagnostics of ${name}`, () => published.get(uriOf(name))?.at(-1)?.diagnostics);

/** True when every URI that has diagnostics is one of the plans named. */
function onlyPlansReported(...names: string[]): void {
    expect([...published.keys()].sort()).toEqual(names.map(uriOf).sort());
}

describe('a real repository as workspace', () => {
    it('indexes the plans only; reports them, with their exact diagnostics, when opened', async () => {
        // answered once the workspace is indexed (Langium's first build indexes without validating)
        await conn.sendRequest(WorkspaceSymbolRequest.type, { query: '' });
        expect([...published.keys()]).toEqual([]);
        for (const [name, text] of [
            [SHAPES, SHAPES_TEXT],
            [PLAN, PLAN_TEXT]
        ]) {
            await conn.sendNotification(DidOpenTextDocumentNotification.type, {
                textDocument: { uri: uriOf(name), languageId: 'dcplan', version: 1, text }
            });
        }
        // plan.dcplan imports shapes.dcplan and deploys both its shapes: they are used (issue 14)
        expect(placed(await lastOf(SHAPES))).toEqual([]);
        expect(placed(await lastOf(PLAN))).toEqual([
            'hint unused-shape 4:7-4:12 shape spare is not deployed'
        ]);
        onlyPlansReported(SHAPES, PLAN);
    });

    it('asks the client to watch .dcplan files (and deletions, for folders)', async () => {
        const watchers = await until('the file watcher registration', () =>
            registrations.find(r => r.method === DidChangeWatchedFilesNotification.method)
        );
        expect(watchers.registerOptions).toEqual({
            watchers: [
                { globPattern: '**/*.dcplan' },
                { globPattern: '**/*.dcplan.lock' },
                { globPattern: '**/*', kind: 4 }
            ]
        });
    });

    it('references and rename of a shape touch the two plans only', async () => {
        const position = { line: 0, character: 8 }; // in `proxy_1c` of shapes.dcplan
        const refs = await conn.sendRequest(ReferencesRequest.type, {
            textDocument: { uri: uriOf(SHAPES) },
            position,
            context: { includeDeclaration: true }
        });
        expect(
            refs!
                .map(
                    l =>
                        `${path.basename(new URL(l.uri).pathname)} ${l.range.start.line}:${l.range.start.character}-${l.range.end.line}:${l.range.end.character}`
                )
                .sort()
        ).toEqual(['plan.dcplan 4:102-4:110', 'plan.dcplan 5:11-5:19', 'shapes.dcplan 0:6-0:14']);
        const edit = await conn.sendRequest(RenameRequest.type, {
            textDocument: { uri: uriOf(SHAPES) },
            position,
            newName: 'proxy_one'
        });
        const changes = edit!.changes!;
        expect(Object.keys(changes).sort()).toEqual([uriOf(PLAN), uriOf(SHAPES)]);
        expect(
            changes[uriOf(SHAPES)].map(
                e => `${e.range.start.line}:${e.range.start.character} ${e.newText}`
            )
        ).toEqual(['0:6 proxy_one']);
        expect(
            changes[uriOf(PLAN)]
                .map(e => `${e.range.start.line}:${e.range.start.character} ${e.newText}`)
                .sort()
        ).toEqual(['4:102 proxy_one', '5:11 proxy_one']);
    });

    it('workspace symbols come from the plans only', async () => {
        const symbols = await conn.sendRequest(WorkspaceSymbolRequest.type, { query: 'proxy' });
        const found = (symbols ?? [])
            .map(s => `${path.basename(new URL(s.location.uri).pathname)} ${s.name}`)
            .sort();
        expect(found).toEqual(['shapes.dcplan proxy_1c']);
    });

    it("the editor's documents of other languages and the watcher's other files build nothing", async () => {
        for (const [name, languageId] of [
            ['tools/gen.py', 'python'],
            ['README.md', 'markdown'],
            ['src/app.js', 'javascript'],
            ['a.dcplan.bak', 'plaintext']
        ]) {
            await conn.sendNotification(DidOpenTextDocumentNotification.type, {
                textDocument: {
                    uri: uriOf(name),
                    languageId,
                    version: 1,
                    text: 'import\nimport os\n'
                }
            });
            await conn.sendNotification(DidChangeTextDocumentNotification.type, {
                textDocument: { uri: uriOf(name), version: 2 },
                contentChanges: [{ text: 'import' }]
            });
            // a request on it is refused, not answered as a plan
            const symbols = await conn
                .sendRequest(DocumentSymbolRequest.type, { textDocument: { uri: uriOf(name) } })
                .then(
                    s => s,
                    () => 'refused'
                );
            expect([null, 'refused']).toContain(symbols);
        }
        await conn.sendNotification(DidChangeWatchedFilesNotification.type, {
            changes: [
                { uri: uriOf('notes.txt'), type: FileChangeType.Changed },
                { uri: uriOf('b.dcplan.orig'), type: FileChangeType.Created },
                { uri: uriOf('tools/run'), type: FileChangeType.Changed },
                { uri: uriOf('dist'), type: FileChangeType.Changed }
            ]
        });
        // a plan created on disk with `import` alone, as the watcher reports it: indexed without a
        // crash (closed files are not checked), then reported once opened
        writeFileSync(path.join(ws, 'typing.dcplan'), 'import\n');
        await conn.sendNotification(DidChangeWatchedFilesNotification.type, {
            changes: [{ uri: uriOf('typing.dcplan'), type: FileChangeType.Created }]
        });
        const symbols = await conn.sendRequest(WorkspaceSymbolRequest.type, { query: '' });
        expect(JSON.stringify(symbols)).not.toContain('typing.dcplan');
        await conn.sendNotification(DidOpenTextDocumentNotification.type, {
            textDocument: {
                uri: uriOf('typing.dcplan'),
                languageId: 'dcplan',
                version: 1,
                text: 'import\n'
            }
        });
        expect(placed(await lastOf('typing.dcplan'))).toEqual([
            'error syntax-error 1:7-1:7 the file ends in the middle of an element'
        ]);
        onlyPlansReported(SHAPES, PLAN, 'typing.dcplan');
    });

    it('typing `import` into a plan is a syntax error, not a crash; the plan comes back when the quote is typed', async () => {
        const uri = uriOf(PLAN);
        const after = (n: number, what: string, check: (ds: Diagnostic[]) => boolean) =>
            until(what, () =>
                (published.get(uri) ?? [])
                    .slice(n)
                    .map(p => p.diagnostics)
                    .find(check)
            );
        let n = published.get(uri)?.length ?? 0;
        const typed =
            'import "shapes.dcplan"\nimport\n' + PLAN_TEXT.slice('import "shapes.dcplan"\n'.length);
        await conn.sendNotification(DidChangeTextDocumentNotification.type, {
            textDocument: { uri, version: 2 },
            contentChanges: [{ text: typed }]
        });
        const broken = await after(n, 'the syntax error', ds =>
            ds.some(d => d.code === 'syntax-error')
        );
        expect(placed(broken)).toEqual([
            "error syntax-error 4:1-4:5 unexpected 'plan': expected a string",
            'hint unused-shape 5:7-5:12 shape spare is not deployed'
        ]);
        n = published.get(uri)!.length;
        await conn.sendNotification(DidChangeTextDocumentNotification.type, {
            textDocument: { uri, version: 3 },
            contentChanges: [{ text: PLAN_TEXT }]
        });
        const back = await after(
            n,
            'the plan back',
            ds => !ds.some(d => d.code === 'syntax-error')
        );
        expect(placed(back)).toEqual(['hint unused-shape 4:7-4:12 shape spare is not deployed']);
    });

    it('is still alive and answering; logged no internal error', async () => {
        const hover = await conn.sendRequest(HoverRequest.type, {
            textDocument: { uri: uriOf(PLAN) },
            position: { line: 5, character: 13 }
        });
        expect(JSON.stringify(hover)).toContain('proxy_1c');
        expect(server.exitCode).toBeUndefined();
        expect(server.proc.exitCode).toBeNull();
        expect(logged.join('\n')).not.toMatch(/internal error|TypeError|Path must be a string/);
        expect(server.stderr).not.toMatch(/Error/);
        onlyPlansReported(SHAPES, PLAN, 'typing.dcplan');
    });
});
