/**
 * The names a plan file declares, and the check that two files it imports do not declare the
 * same one: a host `hv03` in `inv/rack1.dcplan` and in `inv/rack2.dcplan` was one host in the
 * plan without a word (the model keeps the first), so a rack's inventory could hide another's.
 */
import type { AstNode, LangiumDocument, ValidationAcceptor } from 'langium';
import { isHost, isHostModel, isShape, isWorkload, type Import } from '../generated/ast.js';
import type { DcplanServices } from '../dcplan-module.js';
import { IssueCodes } from '../../src/planner/findings.js';
import { expandHostName, isName } from '../model-builder.js';
import { resolveImports } from '../imports.js';
import { report } from './report.js';

/** Names listed in one clash diagnostic before "and N more". */
const LISTED = 5;

/** Calls `f` for each named thing an element declares: shapes, models, workloads, hosts (expanded), with the node to mark. */
export function forEachName(
    e: AstNode,
    f: (kind: string, name: string, node: AstNode) => void
): void {
    // an element without a name (error recovery) declares nothing: the syntax error is reported
    if (isShape(e)) {
        if (isName(e.name)) f('shape', e.name, e);
    } else if (isHostModel(e)) {
        if (isName(e.name)) f('model', e.name, e);
    } else if (isWorkload(e)) {
        if (isName(e.name)) f('workload', e.name, e);
    } else if (isHost(e))
        for (const n of e.names) for (const name of expandHostName(n) ?? []) f('host', name, n);
}

/** The map of `kind` in `maps` (made when first asked). */
export function byKind<V>(maps: Map<string, Map<string, V>>, kind: string): Map<string, V> {
    let m = maps.get(kind);
    if (!m) maps.set(kind, (m = new Map()));
    return m;
}

/**
 * A `duplicate-name` error on each import that declares a name an earlier import of `document`
 * declares too, one per earlier file: `host hv03, hv04 is also declared in inv/rack1.dcplan`
 * (five names, then "and N more"). A file imported twice is not a clash with itself.
 */
export function checkImportClashes(
    document: LangiumDocument,
    services: DcplanServices,
    accept: ValidationAcceptor
): void {
    // kind → name → the import that declared it first, and its file
    const first = new Map<string, Map<string, { node: Import; uri: string }>>();
    for (const i of resolveImports(document, services.shared.workspace.LangiumDocuments)) {
        if (!i.target || i.target === document) continue;
        const uri = i.target.uri.toString();
        // earlier import path → kind → names
        const clashes = new Map<string, Map<string, string[]>>();
        const mine = new Map<string, Map<string, true>>();
        for (const e of (i.target.parseResult.value as { elements?: AstNode[] }).elements ?? []) {
            forEachName(e, (kind, name) => {
                const before = byKind(first, kind).get(name);
                if (before && before.uri !== uri) {
                    const names = byKind(clashes, before.node.path);
                    const list = names.get(kind) ?? [];
                    if (!byKind(mine, kind).has(name)) list.push(name);
                    names.set(kind, list);
                }
                byKind(mine, kind).set(name, true);
            });
        }
        for (const [kind, names] of mine)
            for (const name of names.keys())
                if (!byKind(first, kind).has(name))
                    byKind(first, kind).set(name, { node: i.node, uri });
        for (const [path, kinds] of clashes)
            for (const [kind, names] of kinds) {
                const listed =
                    names.length > LISTED
                        ? `${names.slice(0, LISTED).join(', ')} and ${names.length - LISTED} more`
                        : names.join(', ');
                report(
                    accept,
                    'error',
                    IssueCodes.DuplicateName,
                    `${kind} ${listed} ${names.length > 1 ? 'are' : 'is'} also declared in ${path}`,
                    { node: i.node, property: 'path' }
                );
            }
    }
}
