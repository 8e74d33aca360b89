/**
 * Checking files outside an editor (the CLI, tests, benchmarks): load each file and the files it
 * imports into a Langium workspace, build and validate them, and return one plan report per file
 * with its diagnostics.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DocumentState, type LangiumDocument, URI } from 'langium';
import { createDcplanServices, type DcplanServices } from './dcplan-module.js';
import { decodeText, PlanFileSystem, readFailure, readText } from './plan-file-system.js';
import { resolveImports } from './imports.js';
import { lockKeyOf, toReport } from './analysis.js';
import { toReportDiagnostics } from './report-service.js';
import type { PlanReport } from '../src/planner/report.js';
import { isDeploy, isShape, type PlanFile } from './generated/ast.js';

/** A file that could not be read (exit status 2 in the CLI). */
export class UnreadableFileError extends Error {
    constructor(
        readonly file: string,
        reason: string
    ) {
        super(`${file}: cannot read: ${reason}`);
    }
}

/**
 * The text of the `.dcplan` file at `file` (a path as given). One open (non-blocking: a FIFO must
 * not hang on the open), then what it opened is asked what it is before anything is read: a
 * regular file is read, and with `streams` a pipe or a character device too (`check` and `place`
 * read `/dev/stdin`; `fix`, which writes the file back, does not); anything else is refused. A
 * leading byte order mark is dropped unless `keepBom`. Throws `UnreadableFileError` (in words:
 * missing, not a file, permission, not UTF-8 text, a NUL byte and where).
 */
export function readPlanFile(file: string, keepBom = false, streams = false): string {
    let bytes: Buffer;
    try {
        const fd = fs.openSync(path.resolve(file), fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
        try {
            const stat = fs.fstatSync(fd);
            if (stat.isFile()) bytes = fs.readFileSync(fd);
            // a pipe (`cat plan | dcplan check --any-extension /dev/stdin`, `<(…)`) or a device:
            // read to its end; a directory, a socket and the like are no text to read
            else if (streams && (stat.isFIFO() || stat.isCharacterDevice())) bytes = readStream(fd);
            else throw new Error('not a file');
        } finally {
            fs.closeSync(fd);
        }
    } catch (e) {
        throw new UnreadableFileError(file, readFailure(e));
    }
    const { text, problem } = readText(bytes, keepBom);
    if (problem !== undefined) throw new UnreadableFileError(file, problem);
    return text;
}

/** The most a pipe or a device is read for one plan (bytes): `/dev/zero` must not fill memory. */
const MAX_STREAM_BYTES = 64 * 1024 * 1024;

/** How long a read of an empty pipe waits before it tries again (milliseconds). */
const EMPTY_PIPE_WAIT_MS = 5;

/**
 * The bytes of the pipe or character device open (non-blocking) on `fd`, up to its end. An
 * empty pipe whose writer is still at work (`EAGAIN`) is waited for; a FIFO that no writer holds
 * open reads as empty. Throws an `Error` ("larger than 64 MiB") past `MAX_STREAM_BYTES`, and the
 * read's own error otherwise.
 */
function readStream(fd: number): Buffer {
    const chunks: Buffer[] = [];
    let total = 0;
    const waiter = new Int32Array(new SharedArrayBuffer(4));
    for (;;) {
        const chunk = Buffer.alloc(64 * 1024);
        let n: number;
        try {
            n = fs.readSync(fd, chunk, 0, chunk.length, null);
        } catch (e) {
            if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
            Atomics.wait(waiter, 0, 0, EMPTY_PIPE_WAIT_MS);
            continue;
        }
        if (n === 0) return Buffer.concat(chunks, total);
        total += n;
        if (total > MAX_STREAM_BYTES) throw new Error('larger than 64 MiB');
        chunks.push(chunk.subarray(0, n));
    }
}

/** One checked file: its report and its Langium document (for quick-fixes). */
export interface CheckedFile {
    /** The path as given. */
    readonly file: string;
    readonly document: LangiumDocument<PlanFile>;
    readonly report: PlanReport;
}

/** Services shared by the calls of one process (creating them parses the grammar). */
let cached:
    | { shared: ReturnType<typeof createDcplanServices>['shared']; Dcplan: DcplanServices }
    | undefined;

/** The language services on the real file system. */
export function nodeServices(): {
    shared: ReturnType<typeof createDcplanServices>['shared'];
    Dcplan: DcplanServices;
} {
    cached ??= createDcplanServices({ ...PlanFileSystem });
    return cached;
}

/** The lock (`lockKeyOf`) each checked plan's diagnostics were computed with. */
const validatedWith = new WeakMap<LangiumDocument, string>();

/**
 * Forgets every document of the workspace when one of them no longer holds what its file holds
 * (edited, replaced or deleted since it was loaded): the services live as long as the process, so
 * a second check in one process (several `runCli` calls, a file rewritten by `dcplan fix --write`)
 * must not be served the text of the first. Dropping all (not only the stale ones) also drops the
 * links other documents hold into them; the documents are then loaded afresh from disk.
 */
async function dropStaleDocuments(services: ReturnType<typeof nodeServices>): Promise<void> {
    const documents = services.shared.workspace.LangiumDocuments;
    const loaded = documents.all.toArray();
    const stale = loaded.some(doc => {
        if (doc.uri.scheme !== 'file') return false;
        let bytes: Buffer;
        try {
            // a pipe read before (`/dev/stdin`) is not read again: it may hang, and it is spent
            if (!fs.statSync(doc.uri.fsPath).isFile()) return true;
            bytes = fs.readFileSync(doc.uri.fsPath);
        } catch {
            return true;
        }
        // compared as the document was made: the root files drop a byte order mark, imports keep it
        const text = doc.textDocument.getText();
        return decodeText(bytes, text.startsWith('\uFEFF')) !== text;
    });
    if (stale)
        await services.shared.workspace.DocumentBuilder.update(
            [],
            loaded.map(d => d.uri)
        );
}

/**
 * The paths of the files that may import the plan `file` (as given) and should be known when it
 * is checked: the files the language server's workspace would hold beside it, or beside the file
 * `besides` (an importer of `file`: its neighbours may import it too). Asked only of a file that
 * declares a shape it does not deploy itself.
 */
export type ImportersOf = (file: string, besides?: string) => readonly string[];

/** Standard input as the CLI reads it (`check -`, `check --any-extension /dev/stdin`). */
const STDIN = '/dev/stdin';

/**
 * The URI of the document checked for `file`: its own, except for standard input, which stands
 * in the current folder (`stdin` there, a name no import can take: imports name `.dcplan` files),
 * so that its imports resolve from where the command runs, as `cat plan.dcplan | dcplan check -`
 * is meant (from `/dev` they were all missing).
 */
function documentUri(file: string): URI {
    return URI.file(path.resolve(file === STDIN ? 'stdin' : file));
}

/**
 * True when `file` declares a shape that none of its own deployments names: whether it is
 * unused (`unused-shape`) depends on the files that import it.
 */
function declaresUndeployedShape(file: PlanFile): boolean {
    const elements = Array.isArray(file?.elements) ? file.elements : [];
    const deployed = new Set(elements.filter(isDeploy).map(d => d.shape?.$refText));
    return elements.some(e => isShape(e) && typeof e.name === 'string' && !deployed.has(e.name));
}

/**
 * Checks `files` (paths as given). Throws `UnreadableFileError` for a file that does not exist
 * or cannot be read; a missing import is a diagnostic, not an error. `importersOf` names the
 * files beside a checked file that may import it (a shapes-only library): those are parsed into
 * the workspace, not checked, so that the shapes they deploy are not reported unused, as in the
 * language server, whose workspace holds every plan of the folder.
 */
export async function checkFiles(
    files: readonly string[],
    services = nodeServices(),
    importersOf?: ImportersOf
): Promise<CheckedFile[]> {
    const { shared } = services;
    const documents = shared.workspace.LangiumDocuments;
    await dropStaleDocuments(services);
    const roots: LangiumDocument<PlanFile>[] = [];
    const all = new Map<string, LangiumDocument>();
    for (const file of files) {
        const text = readPlanFile(file, false, true);
        const uri = documentUri(file);
        // parsed from the text just read (not read a second time by the document factory)
        const doc = (documents.getDocument(uri) ??
            documents.createDocument(uri, text)) as LangiumDocument<PlanFile>;
        roots.push(doc);
        all.set(uri.toString(), doc);
    }
    // the files that import a library: parsed only (built when they are checked themselves, with
    // their own imports loaded), read by the `unused-shape` check of the library
    const loadImporters = (i: number, library?: string) => {
        // standard input stands in the current folder (`documentUri`): its neighbours are there
        const besides = documentUri(files[i]).fsPath;
        for (const other of (library ? importersOf?.(library, besides) : importersOf?.(files[i])) ??
            []) {
            const uri = URI.file(path.resolve(other));
            if (documents.hasDocument(uri)) continue;
            try {
                documents.createDocument(uri, readPlanFile(other));
            } catch {
                // unreadable: it imports nothing the server would see either
                continue;
            }
            // a library checked before in this process is checked again, knowing its importer
            if (roots[i].state >= DocumentState.Validated)
                shared.workspace.DocumentBuilder.resetToState(
                    roots[i],
                    DocumentState.IndexedReferences
                );
        }
    };
    for (let i = 0; i < roots.length; i++)
        if (declaresUndeployedShape(roots[i].parseResult.value)) loadImporters(i);
    // Imported files, transitively loaded (so cycles and the imports' own checks can be seen).
    const queue = [...roots];
    while (queue.length > 0) {
        const doc = queue.pop()!;
        for (const i of resolveImports(doc, documents)) {
            const key = i.uri.toString();
            if (all.has(key) || !fs.existsSync(i.uri.fsPath) || !fs.statSync(i.uri.fsPath).isFile())
                continue;
            const imported = await documents.getOrCreateDocument(i.uri);
            all.set(key, imported);
            queue.push(imported as LangiumDocument<PlanFile>);
        }
    }
    // an importer of a library whose shapes it does not all deploy: the plans beside it may be
    // the library's other importers (`plans/*.dcplan` importing `../lib/shapes.dcplan`), whose
    // deployments keep the library's shapes from being reported unused on its import
    for (let i = 0; i < roots.length; i++)
        for (const x of resolveImports(roots[i], documents))
            if (x.target && declaresUndeployedShape(x.target.parseResult.value))
                loadImporters(i, x.uri.fsPath);
    // day 2: a plan validated with another lock (changed on disk, `--lock`, `--no-lock`) is
    // validated again, its diagnostics (placement-drift, lock-invalid, …) being the lock's
    const analyzer = services.Dcplan.analysis.PlanAnalyzer;
    const lockNow = (doc: LangiumDocument) => lockKeyOf(analyzer.lockFor(doc.uri.toString()));
    for (const doc of roots) {
        if (doc.state >= DocumentState.Validated && validatedWith.get(doc) !== lockNow(doc))
            shared.workspace.DocumentBuilder.resetToState(doc, DocumentState.IndexedReferences);
    }
    const fresh = [...all.values()].filter(d => d.state < DocumentState.Validated);
    await shared.workspace.DocumentBuilder.build(fresh, { validation: true });
    for (const doc of roots) validatedWith.set(doc, lockNow(doc));
    return roots.map((document, i) => {
        const analysis = services.Dcplan.analysis.PlanAnalyzer.analyze(document);
        const report = toReport(
            analysis,
            files[i],
            toReportDiagnostics(document.diagnostics ?? [])
        );
        return { file: files[i], document, report };
    });
}
