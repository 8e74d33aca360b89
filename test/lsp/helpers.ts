/**
 * Shared setup of the language-server tests: dcplan services over an in-memory file system, the
 * examples read from `examples/`, and small helpers to open documents at chosen URIs.
 */
import { EmptyFileSystem, type LangiumDocument, URI } from 'langium';
import { parseHelper } from 'langium/test';
import { createDcplanServices } from '../../language-server/dcplan-module.js';
import type { PlanFile } from '../../language-server/generated/ast.js';
import { EXAMPLES } from '../helpers/examples.js';

export { EXAMPLES, EXAMPLES_DIR } from '../helpers/examples.js';

/** Fresh dcplan services without a file system. */
export function createServices() {
    return createDcplanServices({ ...EmptyFileSystem });
}

/** The shared services used by most tests. */
export const services = createServices();
export const Dcplan = services.Dcplan;

/** The text of one example. */
export function example(name: string): string {
    const e = EXAMPLES.find(x => x.name === name);
    if (!e) throw new Error(`no example ${name}`);
    return e.text;
}

let counter = 0;
/** A unique in-memory URI for a test document, `file:///ws<n>/<name>`. */
export function testUri(name = 'test.dcplan', dir?: string): string {
    return `file:///${dir ?? 'ws' + ++counter}/${name}`;
}

const parse = parseHelper<PlanFile>(Dcplan);

/** Parses and builds (with validation) a document at `uri`. */
export async function open(text: string, uri = testUri()): Promise<LangiumDocument<PlanFile>> {
    return parse(text, { documentUri: uri, validation: true });
}

/** Offset of the `n`-th (0-based) occurrence of `needle` in `text`, plus `delta`. */
export function offsetOf(text: string, needle: string, n = 0, delta = 0): number {
    let at = -1;
    for (let i = 0; i <= n; i++) {
        at = text.indexOf(needle, at + 1);
        if (at < 0) throw new Error(`'${needle}' #${n} not found`);
    }
    return at + delta;
}

/** The URI object of a document. */
export const uriOf = (d: LangiumDocument) => URI.parse(d.uri.toString());
