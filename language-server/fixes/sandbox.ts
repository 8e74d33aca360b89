/**
 * Fix sandboxes (`fix-all.ts`) with dcplan's services over an in-memory file system: the
 * process's one for `dcplan fix` and the tests, and new ones.
 */
import { EmptyFileSystem } from 'langium';
import { createDcplanServices } from '../dcplan-module.js';
import { FixSandbox } from './fix-all.js';

/** A new sandbox (creating services builds the parser: a few hundred milliseconds). */
export function createFixSandbox(): FixSandbox {
    return new FixSandbox(() => createDcplanServices({ ...EmptyFileSystem }));
}

let sandbox: FixSandbox | undefined;

/** The process's sandbox (created on first use). */
export function fixSandbox(): FixSandbox {
    sandbox ??= createFixSandbox();
    return sandbox;
}
