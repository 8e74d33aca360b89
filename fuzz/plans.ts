/**
 * The plans the robustness tests type and mutate: every example (`examples/*.dcplan`) and every
 * test fixture plan, i.e. each string or template literal without substitutions in `test/**\/*.ts`
 * that spans at least two lines and has a top-level dcplan element at the start of a line
 * (`plan`, `workload`, `shape`, `deploy`, `model`, `host`, `import`, `settings`). The literals
 * are found with the TypeScript parser, so the list follows the tests as they are written.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

/** The repository: the parent of this file's folder (fuzz/ in the sources, dist/ in the bundle). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** A plan text and where it was found (`examples/x.dcplan` or `test/…/x.ts:line`). */
export interface PlanText {
    readonly source: string;
    readonly text: string;
}

const ELEMENT = /^(plan|workload|shape|deploy|model|host|import|settings)\b/m;

/** The example plans, sorted by file name. */
export function examplePlans(): PlanText[] {
    const dir = path.join(ROOT, 'examples');
    return readdirSync(dir)
        .filter(f => f.endsWith('.dcplan'))
        .sort()
        .map(f => ({ source: `examples/${f}`, text: readFileSync(path.join(dir, f), 'utf8') }));
}

function testFiles(dir: string): string[] {
    const out: string[] = [];
    for (const name of readdirSync(dir).sort()) {
        const p = path.join(dir, name);
        if (statSync(p).isDirectory()) {
            // not the fuzzer's own reproducers (test/fuzz): a new one would renumber every case
            if (name !== 'editor' && name !== 'fuzz' && name !== 'node_modules')
                out.push(...testFiles(p));
        } else if (name.endsWith('.ts')) out.push(p);
    }
    return out;
}

/** The fixture plans of the tests (deduplicated by text, in file then text order). */
export function fixturePlans(): PlanText[] {
    const seen = new Set<string>();
    const out: PlanText[] = [];
    for (const file of testFiles(path.join(ROOT, 'test'))) {
        const sf = ts.createSourceFile(
            file,
            readFileSync(file, 'utf8'),
            ts.ScriptTarget.Latest,
            true
        );
        const visit = (node: ts.Node): void => {
            if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) {
                const text = node.text;
                if (text.includes('\n') && ELEMENT.test(text) && !seen.has(text)) {
                    seen.add(text);
                    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
                    out.push({ source: `${path.relative(ROOT, file)}:${line}`, text });
                }
            }
            ts.forEachChild(node, visit);
        };
        visit(sf);
    }
    return out;
}
