/**
 * Day 2 rows of `npm run bench` (issue 12): generated plans with a lock and one change each (add
 * a host, remove a host, drain a host, grow a role by 10%, shrink a role by 10%, change a shape's
 * size), planned from the lock.
 *  - moves against a lower bound of the moves that must happen (instances on a removed or drained
 *    host, and the fewest pieces an overcommitted host must shed, by vCPUs or by memory, with
 *    resized instances at their new size): equal to it means proven minimal. The exact
 *    minimum by MILP is not computed here (not done: the bound is weaker than the MILP).
 *  - every migration order replayed step by step from the lock (`replayMigration`);
 *  - planning with a lock (reading the lock's text included) against without one at 1,000 and
 *    10,000 instances (add a host).
 */
import type { PlanModel, Role } from '../src/planner/model.js';
import { expandInstances } from '../src/planner/model.js';
import { place } from '../src/planner/placement.js';
import { parseLock, serialiseLock, type Lock } from '../src/planner/lock.js';
import { planDay2 } from '../src/planner/day2.js';
import { replayMigration } from '../src/planner/migration.js';
import { largePlan, qualitySet } from './generate.js';

type Row = (what: string, value: string, target: string, ok: boolean | null) => void;

const CHANGES = [
    'add a host',
    'remove a host',
    'drain a host',
    'grow a role 10%',
    'shrink a role 10%',
    'resize a shape'
] as const;

/** The model with its deployments of `role` scaled by `factor` (at least 1 each). */
function scaleRole(m: PlanModel, role: Role, factor: number): PlanModel {
    const shapes = new Map(m.shapes.map(s => [s.name, s]));
    const deployments = m.deployments.map(d =>
        shapes.get(d.shape)?.role === role
            ? { ...d, count: Math.max(1, Math.round(d.count * factor)) }
            : d
    );
    return { ...m, deployments, instances: expandInstances(m.shapes, deployments) };
}

/** One change of `m`, by number. */
export function changed(m: PlanModel, change: (typeof CHANGES)[number]): PlanModel {
    const last = m.hosts[m.hosts.length - 1];
    switch (change) {
        case 'add a host':
            return { ...m, hosts: [...m.hosts, { ...last, name: `${last.name}x`, pins: [] }] };
        case 'remove a host':
            return { ...m, hosts: m.hosts.slice(0, -1) };
        case 'drain a host':
            return { ...m, hosts: m.hosts.map((h, k) => (k === 0 ? { ...h, drain: true } : h)) };
        case 'grow a role 10%':
            return scaleRole(m, 'backend', 1.1);
        case 'shrink a role 10%':
            return scaleRole(m, 'backend', 0.9);
        case 'resize a shape': {
            const s = m.shapes.find(x => x.role === 'backend') ?? m.shapes[0];
            const shapes = m.shapes.map(x =>
                x === s ? { ...x, memoryGiB: x.memoryGiB * 1.25 } : x
            );
            return { ...m, shapes, instances: expandInstances(shapes, m.deployments) };
        }
    }
}

/** The moves that must happen whatever the planner does (see the module comment). */
function forcedMoves(m: PlanModel, lock: Lock): number {
    const hostIndex = new Map(m.hosts.map((h, k) => [h.name, k]));
    let forced = 0;
    const kept: { c: number; m: number }[][] = m.hosts.map(() => []);
    for (const it of m.instances) {
        const name = lock.placement.get(it.name);
        if (name === undefined) continue;
        const h = hostIndex.get(name);
        if (h === undefined || m.hosts[h].drain) {
            forced++;
            continue;
        }
        kept[h].push({ c: it.cores, m: it.memoryGiB });
    }
    m.hosts.forEach((host, h) => {
        // fewest pieces to shed so that the vCPUs fit (the largest first), likewise the memory: the larger count is a bound
        const shed = (size: number[], usable: number) => {
            let used = size.reduce((a, x) => a + x, 0),
                n = 0;
            for (const x of size.sort((a, b) => b - a)) {
                if (used <= usable + 1e-9) break;
                used -= x;
                n++;
            }
            return n;
        };
        forced += Math.max(
            shed(
                kept[h].map(k => k.c),
                host.usableCores
            ),
            shed(
                kept[h].map(k => k.m),
                host.usableMemoryGiB
            )
        );
    });
    return forced;
}

/** Adds the day 2 rows. `quick`: fewer plans. */
export function day2Bench(row: Row, quick: boolean): Record<string, unknown> {
    const plans = qualitySet(quick ? 24 : 120);
    let equal = 0,
        worst = 0,
        total = 0,
        valid = 0,
        ordered = 0,
        blocked = 0;
    const perChange: Record<string, { plans: number; moves: number; forced: number }> = {};
    plans.forEach(({ model }, k) => {
        const change = CHANGES[k % CHANGES.length];
        const lock = parseLock(serialiseLock(model, place(model), 'bench.dcplan', '0.1.0'));
        const m = changed(model, change);
        const planned = planDay2(m, lock);
        const moves = planned.delta!.moves.length;
        const forced = forcedMoves(m, lock);
        total++;
        if (moves === forced) equal++;
        worst = Math.max(worst, moves - forced);
        const c = (perChange[change] ??= { plans: 0, moves: 0, forced: 0 });
        c.plans++;
        c.moves += moves;
        c.forced += forced;
        if (planned.order!.blocked.length > 0) {
            blocked++;
            return;
        }
        ordered++;
        if (replayMigration(m, lock, planned.order!.steps) === undefined) valid++;
    });
    row(
        'day 2: moves = forced lower bound',
        `${equal}/${total} plans (${((100 * equal) / total).toFixed(1)}%), at most ${worst} above`,
        '≥ 95% at the minimum, never > 1 above (MILP not run: bound)',
        equal / total >= 0.95 && worst <= 1
    );
    row(
        'day 2: migration orders valid on replay',
        `${valid}/${ordered} (${blocked} blocked)`,
        '100%',
        valid === ordered
    );
    const timing: Record<string, unknown> = {};
    for (const [n, h] of quick
        ? [[1_000, 60]]
        : [
              [1_000, 60],
              [10_000, 600]
          ]) {
        const base = largePlan(n, h);
        const text = serialiseLock(base, place(base), 'bench.dcplan', '0.1.0');
        const grown = changed(base, 'add a host');
        // alternately, the first round of each not counted (JIT), the median of the rest
        const tw: number[] = [],
            tl: number[] = [];
        const clock = (f: () => void) => {
            const s = performance.now();
            f();
            return performance.now() - s;
        };
        for (let r = 0; r < 6; r++) {
            // with a lock: reading its text too, as the CLI and the editor do for each plan
            const a = clock(() => planDay2(grown)),
                b = clock(() => planDay2(grown, parseLock(text, 'bench.dcplan')));
            if (r > 0) {
                tw.push(a);
                tl.push(b);
            }
        }
        const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
        const without = median(tw),
            withLock = median(tl);
        timing[n] = { withoutMs: without, withLockMs: withLock };
        row(
            `day 2: plan with a lock, ${n.toLocaleString('en-US')} instances`,
            `${withLock.toFixed(0)} ms vs ${without.toFixed(0)} ms without`,
            '≤ 2× without',
            withLock <= 2 * without
        );
    }
    return { equal, total, worst, valid, ordered, blocked, perChange, timing };
}
