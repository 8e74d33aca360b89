/**
 * Reading plans from disk for the server and the CLI: a `.dcplan` file that cannot be read
 * (permission denied, removed after the listing, a link loop) or is not text (a binary renamed
 * `.dcplan`) reads as an empty plan, and the reason is kept, so that an `import` of it says
 * `cannot read …` at the import instead of the whole build failing or the file's bytes becoming
 * thousands of syntax errors.
 */
import type { FileSystemNode, FileSystemProvider, URI } from 'langium';
import { NodeFileSystemProvider } from 'langium/node';
import { isPlanUri } from './plan-files.js';

/** Why a file could not be read, in words (`no such file`, `permission denied`, …), else the error's code or message. */
export function readFailure(e: unknown): string {
    const code = (e as NodeJS.ErrnoException | undefined)?.code;
    const words: Record<string, string> = {
        ENOENT: 'no such file',
        EACCES: 'permission denied',
        EPERM: 'permission denied',
        EISDIR: 'is a directory',
        ENOTDIR: 'a part of the path is not a directory',
        ELOOP: 'too many symbolic links (a link loop)'
    };
    if (code && words[code]) return words[code];
    return code ?? (e instanceof Error ? e.message : String(e));
}

/**
 * The text of `bytes` when they decode as UTF-8 and hold no NUL byte (a `.dcplan` file is
 * text), else `undefined`. A leading byte order mark is dropped, as editors do: columns on the
 * first line are those the user sees (`dcplan fix` keeps the mark in the files it writes).
 */
export function decodeText(bytes: Uint8Array, keepBom = false): string | undefined {
    return readText(bytes, keepBom).text;
}

/**
 * The text of `bytes` (as `decodeText`), or why they are not a plan's text, in words:
 * `not a UTF-8 text file` when they do not decode as UTF-8, else `contains a NUL byte at line L,
 * column C: not a text file` (1-based; the column counts UTF-16 code units, as the diagnostics'
 * columns do) for the first NUL. A NUL is valid UTF-8, so it needs its own words: saying the file
 * is not UTF-8 sent users looking for an encoding problem.
 */
export function readText(
    bytes: Uint8Array,
    keepBom = false
): { text: string; problem?: undefined } | { text?: undefined; problem: string } {
    let text: string;
    try {
        text = (keepBom ? UTF8_WITH_BOM : UTF8).decode(bytes);
    } catch {
        return { problem: 'not a UTF-8 text file' };
    }
    const nul = text.indexOf('\0');
    if (nul < 0) return { text };
    const { line, column } = lineAndColumn(text, nul);
    return { problem: `contains a NUL byte at line ${line}, column ${column}: not a text file` };
}

/** The 1-based line and column of `offset` in `text` (lines end at \n, \r\n or \r; columns in UTF-16 code units). */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
    let line = 1;
    let start = 0;
    for (let i = 0; i < offset; i++) {
        const c = text.charCodeAt(i);
        if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
            line++;
            start = i + 1;
        }
    }
    return { line, column: offset - start + 1 };
}

/** Strict UTF-8 (throws on a malformed sequence); drops a leading byte order mark. One call holds no state over to the next. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });
/** The same, keeping a leading byte order mark (for a file that is written back). */
const UTF8_WITH_BOM = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * The real file system, where a plan that cannot be read as text reads as `''` and
 * `unreadable(uri)` tells why (until the file reads again). Other files read as Node reads them.
 */
export class PlanFileSystemProvider implements FileSystemProvider {
    private readonly failures = new Map<string, string>();

    /** `fs`: where the bytes come from (Node's file system; a test gives its own). */
    constructor(private readonly fs: FileSystemProvider = new NodeFileSystemProvider()) {}

    /** Why the plan at `uri` read as empty at its last read (`permission denied`, `not a UTF-8 text file`, `contains a NUL byte at …`), else `undefined`. */
    unreadable(uri: URI): string | undefined {
        return this.failures.get(uri.toString());
    }

    private text(uri: URI, read: () => Uint8Array): string {
        let text: string | undefined;
        try {
            const decoded = readText(read());
            text = decoded.text;
            if (decoded.problem !== undefined) this.failures.set(uri.toString(), decoded.problem);
        } catch (e) {
            this.failures.set(uri.toString(), readFailure(e));
        }
        if (text === undefined) return '';
        this.failures.delete(uri.toString());
        return text;
    }

    async readFile(uri: URI): Promise<string> {
        if (!isPlanUri(uri)) return this.fs.readFile(uri);
        let bytes: Uint8Array | undefined;
        let error: unknown;
        try {
            bytes = await this.fs.readBinary(uri);
        } catch (e) {
            error = e;
        }
        return this.text(uri, () => {
            if (!bytes) throw error;
            return bytes;
        });
    }
    readFileSync(uri: URI): string {
        if (!isPlanUri(uri)) return this.fs.readFileSync(uri);
        return this.text(uri, () => this.fs.readBinarySync(uri));
    }
    stat(uri: URI): Promise<FileSystemNode> {
        return this.fs.stat(uri);
    }
    statSync(uri: URI): FileSystemNode {
        return this.fs.statSync(uri);
    }
    exists(uri: URI): Promise<boolean> {
        return this.fs.exists(uri);
    }
    existsSync(uri: URI): boolean {
        return this.fs.existsSync(uri);
    }
    readBinary(uri: URI): Promise<Uint8Array> {
        return this.fs.readBinary(uri);
    }
    readBinarySync(uri: URI): Uint8Array {
        return this.fs.readBinarySync(uri);
    }
    /**
     * A folder's entries; none for a folder that cannot be listed (no permission, gone, a
     * process's folder under /proc): the workspace scan of a folder opened at `/` logged 18
     * internal errors with stack traces for them, and they hold no plan to read.
     */
    async readDirectory(uri: URI): Promise<FileSystemNode[]> {
        try {
            return await this.fs.readDirectory(uri);
        } catch {
            return [];
        }
    }
    readDirectorySync(uri: URI): FileSystemNode[] {
        try {
            return this.fs.readDirectorySync(uri);
        } catch {
            return [];
        }
    }
}

/**
 * True when `uri` is a `file:` URI of a regular file on disk: not a folder, not missing, not an
 * untitled buffer. Shared by the import loader (which imports to load), the update handler (a
 * plan's close reverts to disk) and `dcplan/saveLock` (no lock of a buffer never saved).
 */
export function isFileOnDisk(fileSystem: FileSystemProvider, uri: URI): boolean {
    if (uri.scheme !== 'file') return false;
    try {
        return fileSystem.existsSync(uri) && fileSystem.statSync(uri).isFile;
    } catch {
        return false;
    }
}

/** The services' context for the real file system (as Langium's `NodeFileSystem`). */
export const PlanFileSystem = {
    fileSystemProvider: (): FileSystemProvider => new PlanFileSystemProvider()
};
