/**
 * Reading the files beside a plan that may import it (`dcplan fix` keeps the shapes they use,
 * `dcplan check` does not call those shapes unused): of each only its imports are read, from its
 * start to its first element, so a large plan beside a small file is not read whole.
 */
import * as fs from 'node:fs';
import { readPlanFile } from '../../language-server/check.js';

/**
 * How `dcplan fix` and `dcplan check` read the other `.dcplan` files beside a file (the files
 * that may import it): replaceable, so that a test can see what is read.
 */
export interface NeighbourFiles {
    /** The names in directory `dir`; throws when it cannot be listed. */
    list(dir: string): readonly string[];
    /**
     * Opens `file` to read its start: `read` fills `buffer` from the next byte on and returns the
     * number of bytes read (0 at the end). Throws when `file` is not a readable regular file.
     */
    open(file: string): { read(buffer: Buffer): number; close(): void };
    /** The whole text of `file`, as the checker reads it; throws `UnreadableFileError`. */
    readText(file: string): string;
}

/** The file system, read as `check` reads it (a FIFO or a directory is not opened for reading). */
export const DISK: NeighbourFiles = {
    list: dir => fs.readdirSync(dir),
    open(file) {
        const fd = fs.openSync(file, fs.constants.O_RDONLY | fs.constants.O_NONBLOCK);
        try {
            if (!fs.fstatSync(fd).isFile()) throw new Error('not a file');
        } catch (e) {
            fs.closeSync(fd);
            throw e;
        }
        return {
            read: buffer => fs.readSync(fd, buffer, 0, buffer.length, null),
            close: () => fs.closeSync(fd)
        };
    },
    readText: file => readPlanFile(file)
};

/** Bytes read at a time from the start of a neighbouring file. */
const HEAD_CHUNK = 16 * 1024;

/** The text of `file` from its start to the end of its imports (comments between them included). */
export function importHeader(file: string, neighbours: NeighbourFiles): string {
    const handle = neighbours.open(file);
    try {
        const decoder = new TextDecoder('utf-8');
        const buffer = Buffer.alloc(HEAD_CHUNK);
        let text = '';
        for (;;) {
            const n = handle.read(buffer);
            const eof = n === 0;
            text += eof
                ? decoder.decode()
                : decoder.decode(buffer.subarray(0, n), { stream: true });
            const end = importsEnd(text, eof);
            if (end !== undefined) return text.slice(0, end);
        }
    } finally {
        handle.close();
    }
}

/**
 * Where the imports at the start of `text` end: the offset of the first token that is neither
 * an `import`, its path, a comment nor white space. `undefined` when `text` may stop inside the
 * imports (more of the file is needed) and `eof` is false.
 */
export function importsEnd(text: string, eof: boolean): number | undefined {
    // the hidden and import tokens of the grammar (dcplan.langium)
    const token =
        /\s+|\/\/[^\n\r]*|#[^\n\r]*|\/\*[\s\S]*?\*\/|import(?![\p{L}\p{M}\p{N}_-])|"(?:\\.|[^"\\\r\n])*"/uy;
    let at = 0;
    while (at < text.length) {
        token.lastIndex = at;
        const m = token.exec(text);
        // nothing known here: the imports end, unless an unfinished token (a block comment, a
        // path, `imp…`) may go on in the part not read yet
        if (!m || m.index !== at)
            return eof ||
                !/^(\/\*|"(?:\\.|[^"\\\r\n])*\\?$|\/$|i(m(p(o(r(t)?)?)?)?)?$)/.test(text.slice(at))
                ? at
                : undefined;
        // a token that reaches the end of what was read may go on
        if (at + m[0].length === text.length && !eof) return undefined;
        at += m[0].length;
    }
    return eof ? at : undefined;
}
