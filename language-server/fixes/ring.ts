/**
 * Ring fixes (spec, "Quick-fixes"): a director ring of more than 9 (`director-ring-too-large`,
 * the page, "Virtualised Director sizing") merged into fewer, larger directors, split into
 * rings, or one deployment moved to a new ring; a `ring` clause on a proxy or backend deployment
 * removed (`ring-not-for-role`).
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import { type Deploy, isDeploy } from '../generated/ast.js';
import { IssueCodes, type SplitChoice } from '../../src/planner/findings.js';
import { MAX_RING } from '../../src/planner/split-choices.js';
import { dedupe, rangeContains, type Editor } from './editor.js';
import { applyChanges, type Fix, type TextChange } from './fix.js';
import type { FixProviders } from './provider.js';
import {
    freshShapeName,
    renamed,
    reusableShape,
    shapeAttributeChanges,
    splitFix,
    splitText
} from './splits.js';

/**
 * `director-ring-too-large`: each merge choice of the finding (the ring's deployments as D′ × C′
 * directors), then moving the deployment the diagnostic is on to a new ring, or cutting a single
 * deployment into rings of at most 9.
 */
function ringFixes(
    e: Editor,
    diagnostic: Diagnostic,
    ring: string | undefined,
    choices: readonly SplitChoice[]
): Fix[] {
    if (ring === undefined) return [];
    const ringDeps = e.model.deployments
        .map((d, i) => ({ d, node: e.ctx.analysis.built.sources.deployments[i] }))
        .filter(
            x =>
                x.d.ring === ring &&
                e.model.shapes.find(s => s.name === x.d.shape)?.role === 'director'
        );
    if (ringDeps.length === 0) return [];
    const out: Fix[] = [];
    const allInMain = ringDeps.every(x => e.inMain(x.node));
    const shapes = [...new Set(ringDeps.map(x => x.d.shape))];
    for (const c of choices) {
        if (!allInMain) break;
        const title = `Merge ring ${ring} into ${splitText(c.count, c.cores, 'director')}`;
        if (shapes.length === 1) {
            const C = e.shape(shapes[0])!.model.cores;
            const exact =
                ringDeps.every(x => (x.d.count * C) % c.cores === 0) &&
                ringDeps.reduce((a, x) => a + (x.d.count * C) / c.cores, 0) === c.count;
            if (exact) {
                const f = splitFix(
                    e,
                    IssueCodes.DirectorRingTooLarge,
                    shapes[0],
                    c,
                    c.preferred,
                    ringDeps.map(x => x.node),
                    `Merge ring ${ring} into`
                );
                if (f) out.push(f);
                continue;
            }
        }
        const counts = e.roleCounts('director');
        for (const x of ringDeps) counts.get(x.d.shape)!.count -= x.d.count;
        counts.set('\u0000merged', { cores: c.cores, count: c.count });
        const f = ringMerge(
            e,
            ringDeps.map(x => x.node),
            shapes,
            c,
            `${title} (maintenance impact ${e.impactAfter(counts)})`
        );
        if (f) out.push(f);
    }
    // Move a deployment to a new ring (never preferred).
    const rings = new Set(e.model.deployments.map(d => d.ring));
    let fresh = `${ring}_2`;
    for (let i = 3; rings.has(fresh); i++) fresh = `${ring}_${i}`;
    const node =
        ringDeps.find(x => x.node.$cstNode && rangeContains(e, x.node, diagnostic))?.node ??
        ringDeps[0].node;
    const mine = ringDeps.find(x => x.node === node)!;
    if (e.inMain(node)) {
        const total = ringDeps.reduce((a, x) => a + x.d.count, 0);
        if (ringDeps.length > 1 && mine.d.count <= MAX_RING && total - mine.d.count >= 1) {
            out.push({
                title: `Move deploy ${mine.d.count} x ${mine.d.shape} to a new ring ${fresh} (${total - mine.d.count} directors stay in ${ring})`,
                code: IssueCodes.DirectorRingTooLarge,
                preferred: false,
                split: true,
                changes: setRing(e, node, fresh)
            });
        } else if (ringDeps.length === 1 && mine.d.count > MAX_RING) {
            // One deployment: cut it into rings of at most 9, as even as possible.
            const k = Math.ceil(mine.d.count / MAX_RING);
            const parts = Array.from(
                { length: k },
                (_, i) => Math.floor(mine.d.count / k) + (i < mine.d.count % k ? 1 : 0)
            );
            const names = [ring];
            for (let i = 2; names.length < k; i++)
                if (!rings.has(`${ring}_${i}`)) names.push(`${ring}_${i}`);
            const changes = e.replace(e.prop(node, 'count'), String(parts[0]), e.key(node));
            const indent = e.indentAt(node.$cstNode!.offset);
            const at = e.lineEnd(node.$cstNode!.end);
            const lines = parts
                .slice(1)
                .map(
                    (p, i) => `${e.eol}${indent}deploy ${p} x ${mine.d.shape} ring ${names[i + 1]}`
                )
                .join('');
            changes.push({ start: at, end: at, newText: lines, element: e.key(node) });
            out.push({
                title: `Split into ${k} rings of ${parts.join(' + ')} directors (${names.join(', ')})`,
                code: IssueCodes.DirectorRingTooLarge,
                preferred: false,
                split: true,
                changes
            });
        }
    }
    return out;
}

/** `ring NAME` on a deploy: the name replaced, or added after the shape. */
function setRing(e: Editor, node: Deploy, ring: string): TextChange[] {
    if (node.ring !== undefined) return e.replace(e.prop(node, 'ring'), ring, e.key(node));
    const ref = e.prop(node, 'shape');
    if (!ref) return [];
    return [{ start: ref.end, end: ref.end, newText: ` ring ${ring}`, element: e.key(node) }];
}

/**
 * A merge that does not scale count by count (several shapes, or cores not divisible): one
 * deployment of the ring becomes D′ × C′ and the ring's other deployments are removed. Its shape
 * (the template) is the first of the ring's shapes that nothing outside the ring uses, rewritten
 * in place (renamed `_<C′>c` unless taken), so no shape of the user's is left behind undeployed
 * when one could be reused; when every shape is used elsewhere, the first deployment's shape is
 * copied into a new shape. A shape the running fix-all made that already is the rewrite
 * (`reusableShape`) is used as it is. Not offered when pins name the ring's shapes.
 */
function ringMerge(
    e: Editor,
    nodes: Deploy[],
    shapes: string[],
    c: SplitChoice,
    title: string
): Fix | undefined {
    if (shapes.some(s => e.pinsOf(s).length > 0)) return undefined;
    const isOnlyHere = (name: string) => {
        const t = e.shape(name);
        return (
            t !== undefined &&
            e.inMain(t.node) &&
            !(e.ctx.usedElsewhere?.(name) ?? false) &&
            e.deploysOf(name).every(d => nodes.includes(d))
        );
    };
    const first = nodes.find(d => isOnlyHere(d.shape.$refText)) ?? nodes[0];
    const template = e.shape(first.shape.$refText);
    if (!template) return undefined;
    const changes: TextChange[] = [];
    const onlyHere = isOnlyHere(template.model.name);
    const reuse = reusableShape(e, template, c.cores);
    let target: string;
    if (reuse !== undefined) {
        // The run already made the merged shape: the template's declaration stays as written.
        target = reuse;
    } else if (onlyHere) {
        const proposed = renamed(template.model.name, template.model.cores, c.cores);
        target =
            proposed !== undefined && !e.shapeNames().has(proposed)
                ? proposed
                : template.model.name;
        // Every deployment of the shape is in the ring: the first is rewritten, the others removed.
        changes.push(
            ...shapeAttributeChanges(e, template, c.cores, target, 'shape:' + template.model.name)
        );
    } else {
        target = freshShapeName(e, template.model.name, template.model.cores, c.cores);
        const block = template.node.$cstNode;
        if (!block || !e.inMain(template.node)) return undefined;
        const attrChanges = shapeAttributeChanges(
            e,
            template,
            c.cores,
            target,
            'shape:' + template.model.name
        ).map(x => ({ ...x, start: x.start - block.offset, end: x.end - block.offset }));
        const at = e.lineEnd(block.end);
        changes.push({
            start: at,
            end: at,
            newText:
                e.eol +
                e.indentAt(block.offset) +
                applyChanges(e.text.slice(block.offset, block.end), attrChanges),
            element: 'shape:' + template.model.name
        });
    }
    changes.push(...e.replace(e.prop(first, 'count'), String(c.count), e.key(first)));
    if (target !== first.shape.$refText)
        changes.push(...e.replace(e.prop(first, 'shape'), target, e.key(first)));
    for (const d of nodes.filter(n => n !== first)) {
        const cst = d.$cstNode!;
        changes.push(e.removeSpan(cst.offset, cst.end, e.key(d), false));
    }
    return {
        title,
        code: IssueCodes.DirectorRingTooLarge,
        preferred: c.preferred,
        split: true,
        changes: dedupe(changes),
        claims: target !== template.model.name ? ['shape:' + target] : undefined
    };
}

/**
 * `ring-not-for-role`: removes `ring <name>` (and the blanks before it) from the deployment the
 * diagnostic is on, when it still names `ring` (preferred: the clause changes nothing).
 */
function removeRingFix(e: Editor, diagnostic: Diagnostic, ring: string | undefined): Fix[] {
    if (typeof ring !== 'string') return [];
    const d = e.root.elements.find(
        (x): x is Deploy => isDeploy(x) && x.ring === ring && rangeContains(e, x, diagnostic)
    );
    const kw = d && e.keyword(d, 'ring');
    const name = d && e.prop(d, 'ring');
    if (!d || !kw || !name || name.offset < kw.end) return [];
    const between = e.text.slice(kw.end, name.offset);
    // a comment between `ring` and its name would go with the clause: offer nothing then
    if (!/^[ \t\r\n]*$/.test(between)) return [];
    return [
        {
            title: `Remove ring ${ring} (rings are for directors)`,
            code: IssueCodes.RingNotForRole,
            preferred: true,
            split: false,
            changes: [e.removeSpan(kw.offset, name.end, e.key(d))]
        }
    ];
}

/** The ring family: `director-ring-too-large`, `ring-not-for-role`. */
export const ringFixProviders: FixProviders<'director-ring-too-large' | 'ring-not-for-role'> = {
    'director-ring-too-large': (e, data, diagnostic) =>
        ringFixes(e, diagnostic, data.ring, data.splits ?? []),
    'ring-not-for-role': (e, data, diagnostic) => removeRingFix(e, diagnostic, data.ring)
};
