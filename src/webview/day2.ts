/**
 * Day 2 in the preview (issue 12): what a plan placed from its lock (`plan.dcplan.lock`) changes.
 * Pure HTML helpers for the renderer (render.ts): the "Moves" section (the migration steps in
 * order, temporary hops and blocked moves said as such), the marker and tooltip of a moved VM
 * segment, and a host card's "k in, m out" and "drained" labels.
 *
 * A report without `moves` (no lock) gets none of this: every helper then returns ''.
 * Every user string goes through `escapeHtml` (the webview is untrusted input).
 */
import type { HostFigures, PlanReport, StepKind, StepSize } from '../planner/report.js';
import { formatResize, formatStepReason, formatStepSizes } from '../planner/format.js';
import { countMoves, moveOrigins } from '../planner/move-count.js';
import { escapeHtml } from './escape.js';

/** Per instance, its last step's origin and target; per host, the steps in and out. */
export interface MoveIndex {
    /** The instance's first origin and final host (a temporary hop then its final step: from the first, to the last). */
    readonly byInstance: ReadonlyMap<
        string,
        {
            /** The kind of its last step (a rebuild in place, a move; stops and removals have no VM segment). */
            readonly kind: StepKind;
            readonly from: string;
            /** Null for a stop or removal. */
            readonly to: string | null;
            readonly hops: number;
            /** The move is needed but no safe order can make it (`migration-blocked`). */
            readonly blocked: boolean;
            /** The sizes of a rebuild or of a move whose shape changed size (the lock's, then the plan's); absent otherwise. */
            readonly fromSize?: StepSize;
            readonly toSize?: StepSize;
        }
    >;
    /** Steps that bring an instance in and take one out (a temporary hop counts on the host it passes through, both ways; a stop or removal counts out, a creation in; a rebuild in place neither). */
    readonly byHost: ReadonlyMap<string, { readonly in: number; readonly out: number }>;
}

/** The index of a report's moves; `undefined` when the report was not placed from a lock. */
export function moveIndex(report: PlanReport): MoveIndex | undefined {
    if (!report.moves) return undefined;
    const byInstance = new Map<
        string,
        {
            kind: StepKind;
            from: string;
            to: string | null;
            hops: number;
            blocked: boolean;
            fromSize?: StepSize;
            toSize?: StepSize;
        }
    >();
    const byHost = new Map<string, { in: number; out: number }>();
    const at = (h: string) => {
        let v = byHost.get(h);
        if (!v) byHost.set(h, (v = { in: 0, out: 0 }));
        return v;
    };
    for (const s of report.moves) {
        if (s.kind !== 'rebuild') {
            if (s.to !== null) at(s.to).in++;
            // a creation only arrives
            if (s.kind !== 'create') at(s.from).out++;
        }
        // a new instance has no origin: its VM segment is not marked as moved
        if (s.kind === 'create') continue;
        const seen = byInstance.get(s.instance);
        byInstance.set(s.instance, {
            kind: s.kind,
            from: seen?.from ?? s.from,
            to: s.to,
            hops: (seen?.hops ?? 0) + (s.temporary ? 1 : 0),
            blocked: s.blocked === true,
            // a resizing move that hops says its sizes on its first step: kept for the last
            ...(s.fromSize && s.toSize
                ? { fromSize: s.fromSize, toSize: s.toSize }
                : seen?.fromSize && seen.toSize
                  ? { fromSize: seen.fromSize, toSize: seen.toSize }
                  : {})
        });
    }
    return { byInstance, byHost };
}

/**
 * The "Moves" section: `moves: N (from plan.dcplan.lock)`, the steps in order (an `<ol>`), the
 * blocked moves. '' without a lock. `interactive`: each step's instance reveals its deploy line.
 */
export function renderMoves(report: PlanReport, interactive: boolean): string {
    if (!report.moves) return '';
    const steps = report.moves.filter(s => !s.blocked);
    const blocked = report.moves.filter(s => s.blocked);
    const hops = steps.filter(s => s.temporary).length;
    // a move's reason names the host the lock runs it on, also on a hop's second step
    const origins = moveOrigins(report.moves);
    // the moves needed, blocked ones too (the count the CLI prints): moves and stops
    const moved = countMoves(report.moves);
    // the kinds of the ordered steps, as the CLI's head line: blocked ones are counted apart (a
    // newcomer's plan read "in 9 steps with 14 rebuilds in place", 5 of them blocked)
    const of = (kind: StepKind) => steps.filter(s => s.kind === kind).length;
    const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
    const kinds = [
        of('stop') > 0 ? plural(of('stop'), 'stop', 'stops') : '',
        of('remove') > 0 ? plural(of('remove'), 'removal', 'removals') : '',
        of('create') > 0 ? plural(of('create'), 'creation', 'creations') : '',
        of('rebuild') > 0 ? plural(of('rebuild'), 'rebuild in place', 'rebuilds in place') : '',
        hops > 0 ? plural(hops, 'temporary hop', 'temporary hops') : ''
    ].filter(Boolean);
    const lock = report.lockFile
        ? ` <span class="muted">(from <code>${escapeHtml(baseName(report.lockFile))}</code>)</span>`
        : '';
    const out: string[] = [];
    out.push(`<section class="moves"><h2>Moves${lock}</h2>`);
    if (steps.length === 0 && blocked.length === 0) {
        out.push(
            '<p class="muted moves-none">moves: 0 — every instance stays where it runs.</p></section>'
        );
        return out.join('');
    }
    const summary = `moves: ${moved}${kinds.length > 0 ? `, in ${steps.length} steps with ${kinds.join(', ')}` : ''}${blocked.length > 0 ? `, ${blocked.length} blocked` : ''}`;
    out.push(`<p class="moves-summary">${escapeHtml(summary)}</p>`);
    if (steps.length > 0) {
        out.push('<ol class="steps">');
        for (const s of steps) {
            const attrs = interactive
                ? ` data-kind="instance" data-name="${escapeHtml(s.instance)}" tabindex="0" role="button"`
                : '';
            // a removed instance is not in the plan: nothing to reveal
            const a = s.kind === 'remove' ? '' : attrs;
            out.push(
                `<li class="step${s.kind === 'move' ? '' : ` ${s.kind}`}${s.temporary ? ' temporary' : ''}" data-step="${s.step}"${s.kind === 'move' ? '' : ` data-step-kind="${s.kind}"`}${a} title="${escapeHtml(`step ${s.step}: ${stepTitle(s, origins)}`)}"><b>${escapeHtml(s.instance)}</b>: ${stepHtml(s, origins)}</li>`
            );
        }
        out.push('</ol>');
    }
    if (blocked.length > 0) {
        // removals, stops and creations held back are steps; moves and rebuilds say "moves"
        const noun = blocked.every(b => b.kind === 'move' || b.kind === 'rebuild')
            ? ['move', 'moves']
            : ['step', 'steps'];
        // the why is the diagnostic's (a role left on one host, or no room even for a hop):
        // the preview does not guess it
        const why = report.diagnostics.find(d => d.code === 'migration-blocked')?.message;
        out.push(
            `<p class="bad-text">✖ migration-blocked: no safe order for ${blocked.length === 1 ? `this ${noun[0]}` : `these ${blocked.length} ${noun[1]}`}</p>${why ? `<p class="blocked-why">${escapeHtml(why)}</p>` : ''}<ul class="blocked">`
        );
        for (const b of blocked)
            out.push(
                `<li class="blocked-move" data-step="${b.step}"${b.kind === 'move' ? '' : ` data-step-kind="${b.kind}"`}><b>${escapeHtml(b.instance)}</b>: ${stepHtml(b, origins)} <span class="hop">blocked</span></li>`
            );
        out.push('</ul>');
    }
    out.push('</section>');
    return out.join('');
}

type Step = NonNullable<PlanReport['moves']>[number];

/** A step's title text (plain: escaped by the caller): `move be-1 from hv01 to hv02: hv01 drained`, `stop be-1 on hv02`, … */
function stepTitle(s: Step, origins: ReadonlyMap<string, string>): string {
    const sizes = formatStepSizes(s, '→');
    const size = sizes ? ` (${sizes})` : '';
    switch (s.kind) {
        case 'remove':
            return `remove ${s.instance} from ${s.from}${size}: the plan no longer deploys it`;
        case 'stop':
            return `stop ${s.instance} on ${s.from}${size}: the plan leaves it unplaced (no room)`;
        case 'create':
            return `create ${s.instance} on ${s.to ?? s.from}${size}: a new instance`;
        case 'rebuild':
            return `rebuild ${s.instance} on ${s.from} at its shape's new size${resize(s, ': ')}`;
        default: {
            const why = formatStepReason(s, origins);
            return `move ${s.instance} from ${s.from} to ${s.to ?? 'no host'}${resize(s, " at its shape's new size: ")}${why ? `: ${why}` : ''}`;
        }
    }
}

/**
 * The sizes of a rebuild or a resizing move as the CLI says them, with the preview's arrow (`3 → 4 vCPUs, 6 GiB`) after
 * `prefix`; '' when the step carries no sizes. Plain text: escaped by the caller.
 */
function resize(s: { fromSize?: StepSize; toSize?: StepSize }, prefix: string): string {
    return s.fromSize && s.toSize ? prefix + formatResize(s.fromSize, s.toSize, '→') : '';
}

/**
 * A step's HTML after the instance name, every user string escaped: `hv01 → hv02 (hv01
 * drained)`, `stop on hv02`, … A move's reason (`formatStepReason`) in a `reason` span.
 */
function stepHtml(s: Step, origins: ReadonlyMap<string, string>): string {
    // a removed, stopped or created instance's size before its remark, as the CLI says it
    const sizes = formatStepSizes(s, '→');
    const size = sizes ? `(${escapeHtml(sizes)}) ` : '';
    switch (s.kind) {
        case 'remove':
            return `<span class="kind">remove</span> from ${escapeHtml(s.from)} <span class="muted">${size}(no longer deployed)</span>`;
        case 'stop':
            return `<span class="kind">stop</span> on ${escapeHtml(s.from)} <span class="muted">${size}(left unplaced: no room in the plan)</span>`;
        case 'create':
            return `<span class="kind">create</span> on ${escapeHtml(s.to ?? s.from)} <span class="muted">${size}(new)</span>`;
        case 'rebuild':
            return `<span class="kind">rebuild</span> on ${escapeHtml(s.from)} <span class="muted">(${escapeHtml(resize(s, '') || 'its shape changed size')})</span>`;
        default: {
            const why = formatStepReason(s, origins);
            return `${escapeHtml(s.from)} → ${escapeHtml(s.to ?? '')}${s.fromSize && s.toSize ? ` <span class="muted">(${escapeHtml(resize(s, ''))})</span>` : ''}${why ? ` <span class="muted reason">(${escapeHtml(why)})</span>` : ''}${s.temporary ? ' <span class="hop">temporary hop: it moves on in a later step</span>' : ''}`;
        }
    }
}

/**
 * The tooltip's day-2 part of a VM segment: ` · moved from hv02` (` · moved from hv02 (with 1
 * temporary hop)`; a blocked move: ` · moves from hv02 (blocked: no safe order)`), '' when it stays.
 */
export function movedTitle(index: MoveIndex | undefined, instance: string): string {
    const m = index?.byInstance.get(instance);
    if (!m) return '';
    if (m.kind === 'rebuild')
        return ` · rebuilt in place at its shape's new size${resize(m, ': ')}${m.blocked ? ' (blocked: no safe order)' : ''}`;
    if (m.blocked) return ` · moves from ${m.from} (blocked: no safe order)`;
    return ` · moved from ${m.from}${m.hops > 0 ? ` (with ${m.hops} temporary hop${m.hops === 1 ? '' : 's'})` : ''}${resize(m, " at its shape's new size: ")}`;
}

/** The marker inside a moved VM segment (an arrow; the tooltip says from where), '' when it stays. */
export function movedMarker(index: MoveIndex | undefined, instance: string): string {
    const m = index?.byInstance.get(instance);
    if (m?.kind === 'rebuild') return '<span class="moved-mark" aria-hidden="true">⟳</span>';
    return m ? '<span class="moved-mark" aria-hidden="true">↘</span>' : '';
}

/** A host card's day-2 labels: `drained`, and `k in, m out` when the plan was placed from a lock and steps touch the host. */
export function hostDay2Labels(h: HostFigures, index: MoveIndex | undefined): string {
    const out: string[] = [];
    if (h.drained)
        out.push(
            '<span class="drained" title="drain = true: in maintenance, it runs nothing unpinned">drained</span>'
        );
    const m = index?.byHost.get(h.name);
    if (m)
        out.push(
            `<span class="inout" title="${escapeHtml(`migration steps onto ${h.name}: ${m.in}, off it: ${m.out}`)}">${m.in} in, ${m.out} out</span>`
        );
    return out.join('');
}

/**
 * A drained host's figures in its card head (its `drained` label is beside them): `runs nothing`,
 * or `10 vCPUs pinned · 0 may stay` when pins hold 10 vCPUs there (not `10 / 0 vCPUs · 0%`);
 * `undefined` for a host that is not drained.
 */
export function drainedUtil(h: HostFigures): string | undefined {
    if (!h.drained) return undefined;
    return `<span class="util">${h.usedCores > 0 ? `${h.usedCores.toLocaleString('en-US')} vCPUs pinned · 0 may stay` : 'runs nothing'}</span>`;
}

/**
 * The warning line of a drained host that pins hold instances on (`drain-pinned`: a pin
 * contradicts a drain), instead of "overcommitted"; `undefined` for a host that is not drained.
 */
export function drainPinnedText(h: HostFigures): string | undefined {
    if (!h.drained) return undefined;
    return `<div class="overtext">✖ drain-pinned: its pins hold ${h.usedCores.toLocaleString('en-US')} vCPUs on a drained host — a pin contradicts a drain</div>`;
}

/** `a/b/plan.dcplan.lock` → `plan.dcplan.lock` (a path or URI). */
function baseName(file: string): string {
    const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
    const name = file.slice(i + 1);
    try {
        return decodeURIComponent(name);
    } catch {
        return name;
    }
}

/** The day-2 rules of the preview's stylesheet (appended to REPORT_CSS). */
export const DAY2_CSS = `
.moves .steps{margin:4px 0;padding-left:2.2em;font-family:var(--mono)} .moves .step{padding:1px 4px}
.moves .hop{font-family:var(--font);color:var(--warn);margin-left:6px} .moves .blocked{font-family:var(--mono)}
.moves-summary{margin:2px 0;font-weight:600} .moves .kind{font-family:var(--font);font-weight:600}
.seg.moved{box-shadow:inset 0 -3px 0 var(--fg)} .moved-mark{font-family:var(--font);font-weight:700;margin-right:2px}
.drained,.inout{padding:0 6px;border-radius:8px;border:1px solid var(--border);font-size:.9em}
.drained{border-color:var(--warn);color:var(--warn);font-weight:600}
.save-placement{float:right;margin-left:10px;padding:2px 8px;border:1px solid var(--border);border-radius:4px;background:var(--free);color:var(--fg);font:inherit;cursor:pointer}
`;
