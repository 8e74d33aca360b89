/**
 * Rename carried into the lock (issue 12, day 2): renaming a host or a shape also edits the name
 * tokens of `plan.dcplan.lock` in the same WorkspaceEdit, so the plan is still placed from its
 * lock with no moves. A lock that cannot be read or parsed is not touched. Real files in a temp
 * directory (the lock is found beside the plan on disk), the CLI to place after the rename.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'langium';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit, WorkspaceEdit } from 'vscode-languageserver';
import { RenameRequest } from 'vscode-languageserver-protocol/node.js';
import { Dcplan, open, services } from './helpers.js';
import { startStdioServer } from './stdio.js';
import { runCli } from '../../src/cli/main.js';

const HW = 'cores = 8 memory = 32 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB';
const PLAN = `plan p { }
shape px { role = proxy cores = 1 memory = 2 GiB }
shape be { role = backend cores = 2 memory = 4 GiB }
deploy 2 x px
deploy 2 x be
host hv[01..02] { ${HW} }
host spare { ${HW} }
`;
/** The lock `dcplan lock` writes for PLAN. */
const LOCK = `# dcplan lock: the placement that runs now; plan.dcplan stays the intent.
# Written by \`dcplan lock\` (or "dcplan: Save Current Placement"); one line per instance.
plan: plan.dcplan
dcplan: 0.1.0
shapes:
  be: { role: backend, cores: 2, memory_gib: 4 }
  px: { role: proxy, cores: 1, memory_gib: 2 }
placement:
  be-1: hv01
  be-2: spare
  px-1: hv01
  px-2: spare
`;

let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-rename-lock-'));
});
afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

/** A new directory holding `files` (name → text); its path. */
function folder(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(tmp, 'case-'));
    for (const [name, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), text);
    return dir;
}

/** The edits of `edit` per file name, each as `L:C-L:C newText` (0-based, as LSP). */
function byFile(edit: WorkspaceEdit | undefined): Record<string, string[]> {
    return Object.fromEntries(
        Object.entries(edit?.changes ?? {}).map(([uri, edits]) => [
            path.basename(URI.parse(uri).fsPath),
            edits.map(
                e =>
                    `${e.range.start.line}:${e.range.start.character}-${e.range.end.line}:${e.range.end.character} ${e.newText}`
            )
        ])
    );
}

/** Applies `edit` to the files on disk. */
function applyToDisk(edit: WorkspaceEdit): void {
    for (const [uri, edits] of Object.entries(edit.changes ?? {})) {
        const file = URI.parse(uri).fsPath;
        const doc = TextDocument.create(uri, 'text', 1, fs.readFileSync(file, 'utf8'));
        fs.writeFileSync(file, TextDocument.applyEdits(doc, edits as TextEdit[]));
    }
}

/** Opens the plan file `file` at its real path, as it is on disk now (again when it was open). */
async function reopen(file: string) {
    const uri = URI.file(file);
    const documents = services.shared.workspace.LangiumDocuments;
    if (documents.hasDocument(uri)) documents.deleteDocument(uri);
    return open(fs.readFileSync(file, 'utf8'), uri.toString());
}

/** Renames the name at `line`:`character` of the plan file `file` (opened at its real path). */
async function rename(file: string, line: number, character: number, newName: string) {
    const doc = await reopen(file);
    return Dcplan.lsp.RenameProvider!.rename(doc, {
        textDocument: { uri: doc.uri.toString() },
        position: { line, character },
        newName
    });
}

/** `dcplan place`'s moves part for `file`: from the `moves:` line to the end. */
async function placeMoves(file: string): Promise<string> {
    const r = await runCli(['place', file]);
    return r.stdout.slice(r.stdout.lastIndexOf('\nmoves: ') + 1);
}

describe('rename with a lock beside the plan', () => {
    it('a host range: the lock names its hosts by the new name; placed with no moves', async () => {
        const dir = folder({ 'plan.dcplan': PLAN, 'plan.dcplan.lock': LOCK });
        const plan = path.join(dir, 'plan.dcplan');
        expect(await placeMoves(plan)).toBe(`moves: 0 (from ${plan}.lock)\n`);
        // `hv` of `host hv[01..02]`: hv01 and hv02 become node01 and node02
        const edit = await rename(plan, 5, 6, 'node');
        expect(byFile(edit)).toEqual({
            'plan.dcplan': ['5:5-5:7 node'],
            // only the placement's host tokens: be-1 and px-1 ran on hv01 (hv02 ran nothing)
            'plan.dcplan.lock': ['8:8-8:12 node01', '10:8-10:12 node01']
        });
        applyToDisk(edit!);
        expect(fs.readFileSync(`${plan}.lock`, 'utf8')).toBe(
            LOCK.replace('be-1: hv01', 'be-1: node01').replace('px-1: hv01', 'px-1: node01')
        );
        expect(await placeMoves(plan)).toBe(`moves: 0 (from ${plan}.lock)\n`);
    });

    it('a host and a shape, renamed from a use: the lock follows both; placed with no moves', async () => {
        const dir = folder({ 'plan.dcplan': PLAN, 'plan.dcplan.lock': LOCK });
        const plan = path.join(dir, 'plan.dcplan');
        const host = await rename(plan, 6, 7, 'reserve');
        const range = (line: number, from: number, to: number) => ({
            start: { line, character: from },
            end: { line, character: to }
        });
        // the whole WorkspaceEdit: the plan's declaration, and the lock's two `spare` tokens
        expect(host).toStrictEqual({
            changes: {
                [URI.file(plan).toString()]: [{ range: range(6, 5, 10), newText: 'reserve' }],
                [URI.file(`${plan}.lock`).toString()]: [
                    { range: range(9, 8, 13), newText: 'reserve' },
                    { range: range(11, 8, 13), newText: 'reserve' }
                ]
            }
        });
        applyToDisk(host!);
        // the shape from its use in `deploy 2 x px`: the shape's key and its instances' names
        const shape = await rename(plan, 3, 11, 'proxy_1c');
        expect(byFile(shape)).toEqual({
            'plan.dcplan': ['1:6-1:8 proxy_1c', '3:11-3:13 proxy_1c'],
            'plan.dcplan.lock': ['6:2-6:4 proxy_1c', '10:2-10:6 proxy_1c-1', '11:2-11:6 proxy_1c-2']
        });
        applyToDisk(shape!);
        expect(fs.readFileSync(`${plan}.lock`, 'utf8')).toBe(
            LOCK.replace('  px: {', '  proxy_1c: {')
                .replace('be-2: spare', 'be-2: reserve')
                .replace('px-1: hv01', 'proxy_1c-1: hv01')
                .replace('px-2: spare', 'proxy_1c-2: reserve')
        );
        expect(await placeMoves(plan)).toBe(`moves: 0 (from ${plan}.lock)\n`);
        // the plan alone renamed (the lock as it was): the locked VMs read as gone, new ones
        // placed — what the rename of the lock avoids
        fs.writeFileSync(`${plan}.lock`, LOCK);
        expect(await placeMoves(plan)).toBe(
            [
                `moves: 1 (from ${plan}.lock), in 5 steps with 2 removals, 2 creations`,
                '  1. proxy_1c-1: create on reserve (1 vCPU, 2 GiB) (new)',
                '  2. proxy_1c-2: create on hv01 (1 vCPU, 2 GiB) (new)',
                '  3. px-1: remove from hv01 (1 vCPU, 2 GiB) (no longer deployed)',
                '  4. px-2: remove from spare (1 vCPU, 2 GiB) (no longer deployed)',
                '  5. be-2: spare -> hv02 (spare removed from the plan)',
                ''
            ].join('\n')
        );
    });

    it('a hand-written lock (quoted names, CRLF): only the name tokens change, quotes and line ends kept', async () => {
        const lock = [
            'plan: "plan.dcplan"',
            'shapes:',
            "  'px': { role: proxy, cores: 1, memory_gib: 2 }",
            '  be: { role: backend, cores: 2, memory_gib: 4 }',
            'placement: { "be-1": hv01, be-2: "spare", px-1: hv01, \'px-2\': spare }',
            ''
        ].join('\r\n');
        const dir = folder({ 'plan.dcplan': PLAN, 'plan.dcplan.lock': lock });
        const plan = path.join(dir, 'plan.dcplan');
        const edit = await rename(plan, 1, 6, 'p_x');
        expect(byFile(edit)['plan.dcplan.lock']).toEqual([
            "2:2-2:6 'p_x'",
            '4:42-4:46 p_x-1',
            "4:54-4:60 'p_x-2'"
        ]);
        applyToDisk(edit!);
        expect(fs.readFileSync(`${plan}.lock`, 'utf8')).toBe(
            lock.replace("'px':", "'p_x':").replace('px-1:', 'p_x-1:').replace("'px-2'", "'p_x-2'")
        );
        expect(await placeMoves(plan)).toBe(`moves: 0 (from ${plan}.lock)\n`);
    });

    it('a host declared in an imported inventory: the importing plan’s lock follows', async () => {
        const inventory = `host hv[01..02] { ${HW} }\nhost spare { ${HW} }\n`;
        const main = 'import "inventory.dcplan"\n' + PLAN.replace(/host hv[\s\S]*$/, '');
        const dir = folder({
            'inventory.dcplan': inventory,
            'plan.dcplan': main,
            'plan.dcplan.lock': LOCK
        });
        const plan = path.join(dir, 'plan.dcplan');
        await reopen(plan);
        const edit = await rename(path.join(dir, 'inventory.dcplan'), 1, 7, 'reserve');
        expect(byFile(edit)).toEqual({
            'inventory.dcplan': ['1:5-1:10 reserve'],
            'plan.dcplan.lock': ['9:8-9:13 reserve', '11:8-11:13 reserve']
        });
        applyToDisk(edit!);
        expect(await placeMoves(plan)).toBe(`moves: 0 (from ${plan}.lock)\n`);
    });
});

describe('a lock the rename leaves as it is', () => {
    it('another plan’s lock, one that does not parse, a directory, one whose new name it has', async () => {
        const cases: [string, string | undefined][] = [
            ['written for another plan', LOCK.replace('plan: plan.dcplan', 'plan: other.dcplan')],
            ['not a lock', LOCK.replace('placement:', 'placement: [')],
            // a shape the plan no longer has, already named as the new name: two `be2` would clash
            [
                'the new name taken',
                LOCK.replace('shapes:\n', 'shapes:\n  be2: { cores: 1, memory_gib: 1 }\n')
            ],
            ['a directory', undefined]
        ];
        for (const [why, text] of cases) {
            const dir = folder({ 'plan.dcplan': PLAN });
            const plan = path.join(dir, 'plan.dcplan');
            if (text === undefined) fs.mkdirSync(`${plan}.lock`);
            else fs.writeFileSync(`${plan}.lock`, text);
            const edit = await rename(plan, 2, 7, 'be2');
            expect([why, byFile(edit)]).toEqual([
                why,
                { 'plan.dcplan': ['2:6-2:8 be2', '4:11-4:13 be2'] }
            ]);
        }
    });

    it('a model, the plan and a workload are not in the lock: no lock edit', async () => {
        const dir = folder({ 'plan.dcplan': PLAN, 'plan.dcplan.lock': LOCK });
        const plan = path.join(dir, 'plan.dcplan');
        expect(byFile(await rename(plan, 0, 5, 'q'))).toEqual({ 'plan.dcplan': ['0:5-0:6 q'] });
    });
});

describe('the bundled server over stdio', () => {
    it('answers textDocument/rename with the lock’s edits beside the plan’s', async () => {
        const dir = folder({ 'plan.dcplan': PLAN, 'plan.dcplan.lock': LOCK });
        const plan = path.join(dir, 'plan.dcplan');
        const uri = URI.file(plan).toString();
        const server = await startStdioServer({}, URI.file(dir).toString());
        try {
            await server.open(uri, PLAN);
            const edit = await server.conn.sendRequest(RenameRequest.type, {
                textDocument: { uri },
                position: { line: 2, character: 7 },
                newName: 'backend_2c'
            });
            expect(byFile(edit ?? undefined)).toEqual({
                'plan.dcplan': ['2:6-2:8 backend_2c', '4:11-4:13 backend_2c'],
                'plan.dcplan.lock': [
                    '5:2-5:4 backend_2c',
                    '8:2-8:6 backend_2c-1',
                    '9:2-9:6 backend_2c-2'
                ]
            });
        } finally {
            await server.stop();
        }
    }, 60_000);
});
