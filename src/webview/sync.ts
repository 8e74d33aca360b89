/**
 * Scroll sync in the preview webview (as VS Code's Markdown preview does it, for a report whose
 * order is not the source's): the extension sends the element under the editor's cursor
 * (`highlight`), which is marked and brought into view; a scroll by the reader posts the element
 * now at the top of the viewport (`scrolled`), which the extension reveals in the editor.
 *
 * The DOM is the renderer's (src/webview/render.ts): host cards `article.host[data-host]`, compact
 * rows' `.host-name[data-kind=host]`, instances `[data-kind=instance][data-name]` (segments and
 * unplaced chips), shapes `.shape-entry[data-shape]` in the roles table, diagnostics `.diag[data-line]`.
 * Names are compared as strings, never put into a selector (they come from the user's file).
 */
import type { PreviewAnchor, PreviewTarget } from '../protocol.js';
import { shapeOfInstance } from './render.js';

const SYNCED = 'synced';

/** The elements that show `target`, in document order. */
export function targetElements(root: ParentNode, target: PreviewTarget): HTMLElement[] {
    const names = new Set(target.names);
    const all = (selector: string) => Array.from(root.querySelectorAll<HTMLElement>(selector));
    if (target.kind === 'host') {
        return [
            ...all('article.host[data-host]').filter(e => names.has(e.dataset.host ?? '')),
            ...all('table.compact .host-name[data-kind=host]')
                .filter(e => names.has(e.dataset.name ?? ''))
                .map(e => e.closest('tr') as HTMLElement)
        ];
    }
    const instances = all('[data-kind=instance][data-name]');
    if (target.kind === 'deploy') return instances.filter(e => names.has(e.dataset.name ?? ''));
    const shape = target.names[0];
    return [
        ...all('.shape-entry[data-shape]').filter(e => e.dataset.shape === shape),
        ...instances.filter(e => shapeOfInstance(e.dataset.name ?? '') === shape)
    ].sort((a, b) => (a.compareDocumentPosition(b) & Node.DOCUMENT_POSITION_FOLLOWING ? -1 : 1));
}

function inView(el: Element): boolean {
    const r = el.getBoundingClientRect();
    return r.top >= 0 && r.bottom <= window.innerHeight;
}

/**
 * Marks the elements of `target` (class `synced`), unmarking the previous ones; with `scroll`,
 * brings the first one into view unless it is already in view. Returns whether it scrolled.
 */
export function applyHighlight(
    root: ParentNode,
    target: PreviewTarget | null,
    scroll: boolean
): boolean {
    for (const el of Array.from(root.querySelectorAll(`.${SYNCED}`))) el.classList.remove(SYNCED);
    if (!target) return false;
    const els = targetElements(root, target);
    for (const el of els) el.classList.add(SYNCED);
    const first = els[0];
    if (!scroll || !first || inView(first)) return false;
    first.scrollIntoView({
        block: 'center',
        inline: 'nearest',
        behavior: 'instant' as ScrollBehavior
    });
    return true;
}

/** The first element with a place in the source whose box reaches into the viewport; null when none. */
export function topAnchor(root: ParentNode): PreviewAnchor | null {
    if (window.scrollY <= 0) return { kind: 'line', line: 1 };
    const candidates = root.querySelectorAll<HTMLElement>(
        'article.host[data-host], table.compact .host-name[data-kind=host], .chip[data-kind=instance], .shape-entry[data-shape], .diag[data-line]'
    );
    for (const el of Array.from(candidates)) {
        if (el.getBoundingClientRect().bottom <= 2) continue;
        const d = el.dataset;
        if (d.host) return { kind: 'host', name: d.host };
        if (d.shape) return { kind: 'shape', name: d.shape };
        if (d.line)
            return { kind: 'line', line: Number(d.line), ...(d.file ? { uri: d.file } : {}) };
        if (d.kind === 'host' && d.name) return { kind: 'host', name: d.name };
        if (d.kind === 'instance' && d.name) return { kind: 'instance', name: d.name };
    }
    return null;
}
