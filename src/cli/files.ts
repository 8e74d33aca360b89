/**
 * Checking the files named on the command line one by one, so that one unreadable file is
 * reported without hiding the reports of the others (`check`, `place`, `place --optimal`).
 */
import { checkFiles, type CheckedFile, UnreadableFileError } from '../../language-server/check.js';

/** The files that could be read, checked, in the order given, and one stderr line per file that could not. */
export interface CheckedEach {
    readonly checked: readonly CheckedFile[];
    /** `dcplan: <file>: cannot read: <why>` lines (empty when every file was read). */
    readonly unreadable: string;
}

/** Checks each of `files` (paths as given); rethrows any error but `UnreadableFileError`. */
export async function checkEach(files: readonly string[]): Promise<CheckedEach> {
    const checked: CheckedFile[] = [];
    let unreadable = '';
    for (const file of files) {
        try {
            checked.push(...await checkFiles([file]));
        } catch (e) {
            if (!(e instanceof UnreadableFileError)) throw e;
            unreadable += `dcplan: ${e.message}\n`;
        }
    }
    return { checked, unreadable };
}
