/**
 * Plans on disk that cannot be read as text (language-server/plan-file-system.ts): an import of
 * a file the user may not read, or of a binary file renamed `.dcplan`, is an `import-missing`
 * error at the import that says why — before, the CLI stopped with "internal error (EACCES …)"
 * and the server took the file as empty without a word, and a binary import gave thousands of
 * syntax errors. The tests run as root (CI does), so the permission is refused by the inner file
 * system rather than by chmod.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'langium';
import { NodeFileSystemProvider } from 'langium/node';
import { checkFiles } from '../../language-server/check.js';
import { createDcplanServices } from '../../language-server/dcplan-module.js';
import {
    PlanFileSystem,
    PlanFileSystemProvider,
    readText
} from '../../language-server/plan-file-system.js';
import { diagnosticLines } from '../helpers/diagnostics.js';

let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-unreadable-'));
    fs.writeFileSync(
        path.join(tmp, 'secret.dcplan'),
        'shape s { role = proxy cores = 1 memory = 2 GiB }\n'
    );
    fs.writeFileSync(
        path.join(tmp, 'binary.dcplan'),
        Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x00, 0x0a])
    );
    // Latin-1 text: not UTF-8 (0xe9 is `é` in Latin-1)
    fs.writeFileSync(path.join(tmp, 'latin1.dcplan'), Buffer.from([0x23, 0x20, 0xe9, 0x0a]));
    fs.writeFileSync(
        path.join(tmp, 'plan.dcplan'),
        'import "secret.dcplan"\nimport "binary.dcplan"\nimport "latin1.dcplan"\ndeploy 1 x s\n'
    );
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Node's file system, refusing `secret.dcplan` as a file without read permission would. */
class Locked extends NodeFileSystemProvider {
    private refuse(uri: URI): void {
        if (uri.path.endsWith('/secret.dcplan'))
            throw Object.assign(new Error(`EACCES: permission denied, open '${uri.fsPath}'`), {
                code: 'EACCES'
            });
    }
    override async readBinary(uri: URI): Promise<Uint8Array> {
        this.refuse(uri);
        return super.readBinary(uri);
    }
    override readBinarySync(uri: URI): Uint8Array {
        this.refuse(uri);
        return super.readBinarySync(uri);
    }
}

describe('imports of plans that cannot be read', () => {
    it('say why at the import, and the plan is still checked', async () => {
        const services = createDcplanServices({
            fileSystemProvider: () => new PlanFileSystemProvider(new Locked())
        });
        const [checked] = await checkFiles([path.join(tmp, 'plan.dcplan')], services);
        expect(diagnosticLines(checked.report.diagnostics)).toEqual([
            'error import-missing 1:8-1:23 cannot read secret.dcplan: permission denied',
            // an ELF header: valid UTF-8, its NUL is what is wrong
            'error import-missing 2:8-2:23 cannot read binary.dcplan: contains a NUL byte at line 1, column 6: not a text file',
            'error import-missing 3:8-3:23 cannot read latin1.dcplan: not a UTF-8 text file',
            "error unresolved-name 4:12-4:13 unknown shape 's'"
        ]);
    });

    it('a symbolic link loop is said so, not "cannot find"', async () => {
        const loop = path.join(tmp, 'loop.dcplan');
        fs.symlinkSync('loop.dcplan', loop);
        const plan = path.join(tmp, 'loops.dcplan');
        fs.writeFileSync(plan, 'import "loop.dcplan"\n');
        const [checked] = await checkFiles([plan], createDcplanServices({ ...PlanFileSystem }));
        expect(diagnosticLines(checked.report.diagnostics)).toEqual([
            'error import-missing 1:8-1:21 cannot read loop.dcplan: too many symbolic links (a link loop)'
        ]);
    });

    it('a file that reads again is taken as it is', async () => {
        const fsp = new PlanFileSystemProvider(new Locked());
        const uri = URI.file(path.join(tmp, 'secret.dcplan'));
        expect(await fsp.readFile(uri)).toBe('');
        expect(fsp.unreadable(uri)).toBe('permission denied');
        const open = new PlanFileSystemProvider();
        expect(open.readFileSync(uri)).toBe('shape s { role = proxy cores = 1 memory = 2 GiB }\n');
        expect(open.unreadable(uri)).toBeUndefined();
    });
});

describe('readText: why bytes are not a plan text', () => {
    const bytes = (s: string) => new TextEncoder().encode(s);

    it('a NUL byte is said with its line and column (lines end at LF, CRLF or CR; columns in UTF-16 units)', () => {
        // joined, not one literal: not a fixture plan of the typing replay (fuzz/plans.ts)
        const text = ['plan p {\r', '  title = "a\0b"', '}', ''].join('\n');
        expect(readText(bytes(text))).toEqual({
            problem: 'contains a NUL byte at line 2, column 13: not a text file'
        });
        // `ü` is one column, `𝒜` two (a surrogate pair, as the editor's columns)
        expect(readText(bytes('a\rhost hvü𝒜\0'))).toEqual({
            problem: 'contains a NUL byte at line 2, column 11: not a text file'
        });
        expect(readText(bytes('\0'))).toEqual({
            problem: 'contains a NUL byte at line 1, column 1: not a text file'
        });
    });

    it('bytes that do not decode stay "not a UTF-8 text file", even with a NUL among them', () => {
        expect(readText(Uint8Array.from([0x23, 0x20, 0xe9, 0x0a]))).toEqual({
            problem: 'not a UTF-8 text file'
        });
        expect(readText(Uint8Array.from([0x80, 0xff, 0x00, 0x41]))).toEqual({
            problem: 'not a UTF-8 text file'
        });
    });

    it('text decodes, a byte order mark dropped unless kept', () => {
        expect(readText(bytes('\uFEFFhost hvü2 { }\n'))).toEqual({ text: 'host hvü2 { }\n' });
        expect(readText(bytes('\uFEFFplan p { }'), true)).toEqual({ text: '\uFEFFplan p { }' });
    });
});

describe('folders that cannot be listed', () => {
    it('give no entries, not an error: gone, or a file where a folder was expected', async () => {
        const provider = new PlanFileSystemProvider();
        const gone = URI.file(path.join(tmp, 'no-such-folder'));
        const file = URI.file(path.join(tmp, 'plan.dcplan'));
        expect(await provider.readDirectory(gone)).toEqual([]);
        expect(await provider.readDirectory(file)).toEqual([]);
        expect(provider.readDirectorySync(gone)).toEqual([]);
        // a folder that can be listed still is
        const names = (await provider.readDirectory(URI.file(tmp))).map(n =>
            path.basename(n.uri.fsPath)
        );
        expect(names).toContain('plan.dcplan');
    });
});
