/**
 * Per host counts of the migration order's steps (`k in, m out`) for the hover, code lens and
 * preview. Pure: no I/O.
 */
import type { MigrationOrder } from './migration.js';
import type { StepKind } from './report.js';

/**
 * Per host, the steps that bring an instance in and take one out (a temporary hop counts on the
 * host it passes through, both ways; a stop or removal counts out on its host, a creation in; a
 * rebuild in place counts neither): for the hover, code lens and preview's "k in, m out".
 * Blocked moves may be given too (they are needed, if not safely orderable).
 */
export function movesPerHost(
    steps: readonly {
        readonly kind?: StepKind;
        readonly from: string;
        readonly to: string | null;
    }[]
): Map<string, { in: number; out: number }> {
    const out = new Map<string, { in: number; out: number }>();
    const at = (h: string) => {
        let v = out.get(h);
        if (!v) out.set(h, (v = { in: 0, out: 0 }));
        return v;
    };
    for (const s of steps) {
        // a rebuild stays on its host: neither in nor out; a stop or removal only leaves
        if (s.kind === 'rebuild') continue;
        if (s.to !== null) at(s.to).in++;
        // a creation only arrives
        if (s.kind !== 'create') at(s.from).out++;
    }
    return out;
}

/**
 * The hover's line about the lock's moves through `hosts` (names): `Moves from the lock: hv05 8
 * in, 0 out.`, only hosts with moves listed; `undefined` when the plan was not placed from a lock.
 */
export function hostMovesLine(
    order: MigrationOrder | undefined,
    hosts: readonly string[]
): string | undefined {
    if (!order) return undefined;
    // blocked moves are needed too: counted like the steps (the preview and the CLI list them)
    const per = movesPerHost([...order.steps, ...order.blocked]);
    const parts = hosts
        .filter(h => per.has(h))
        .map(h => `${h} ${per.get(h)!.in} in, ${per.get(h)!.out} out`);
    return `Moves from the lock: ${parts.length > 0 ? parts.join('; ') : 'none'}.`;
}
