/**
 * Day 2 rows of `npm run bench` (issue 12): generated plans with a lock and one change each (add
 * a host, remove a host, drain a host, grow a role by 10%, shrink a role by 10%, change a shape's
 * size), planned from the lock.
 *  - moves against the exact minimum (the MILP's `moves` level, `solveExactSync` with the lock,
 *    on plans of at most 100 instances; both count a locked instance left unplaced as moved): equal, how far above at worst, and how many minima
 *    the time limit left unproved (those count against the best placement the solver found);
 *  - every migration order replayed step by step from the lock (`replayMigration`);
 *  - planning with a lock (reading the lock's text included) against without one at 1,000 and
 *    10,000 instances (add a host), and with a role deployed 50× over full hosts (most of it
 *    unplaced).
 */
import type { PlanModel, Role } from '../src/planner/model.js';
import { expandInstances } from '../src/planner/model.js';
import { place } from '../src/planner/placement.js';
import { parseLock, serialiseLock } from '../src/planner/lock.js';
import { orderDelta, planDay2 } from '../src/planner/day2.js';
import { replayMigration } from '../src/planner/migration.js';
import { countMoves } from '../src/planner/move-count.js';
import { solveExactSync } from '../src/planner/exact.js';
import type { Highs } from 'highs';
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

/**
 * `planDay2(model)` without and with the lock of `lockText` (its reading included, as the CLI and
 * the editor do), alternately, `rounds` times each; the medians of the rounds after the first
 * `warm` (milliseconds).
 */
function timedWithAndWithoutLock(
    model: PlanModel,
    lockText: string,
    rounds: number,
    warm: number
): { without: number; withLock: number } {
    const tw: number[] = [],
        tl: number[] = [];
    const clock = (f: () => void) => {
        const s = performance.now();
        f();
        return performance.now() - s;
    };
    for (let r = 0; r < rounds; r++) {
        const a = clock(() => planDay2(model)),
            b = clock(() => planDay2(model, parseLock(lockText, 'bench.dcplan')));
        if (r >= warm) {
            tw.push(a);
            tl.push(b);
        }
    }
    const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
    return { without: median(tw), withLock: median(tl) };
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

/** Most instances of a plan whose fewest moves the MILP is asked for (the bound). */
const EXACT_MAX_INSTANCES = 100;
/** Seconds the MILP may take per plan (its levels up to `moves`). */
const EXACT_SECONDS = 10;

/** Adds the day 2 rows. `quick`: fewer plans. `highs`: the loaded MILP runtime (`loadHighs`). */
export function day2Bench(row: Row, quick: boolean, highs: Highs): Record<string, unknown> {
    const plans = qualitySet(quick ? 24 : 120);
    let equal = 0,
        worst = 0,
        total = 0,
        unproved = 0,
        below = 0,
        valid = 0,
        ordered = 0,
        blocked = 0,
        exactValid = 0,
        exactOrdered = 0;
    const perChange: Record<string, { plans: number; moves: number; exact: number }> = {};
    const misses: string[] = [];
    plans.forEach(({ model }, k) => {
        const change = CHANGES[k % CHANGES.length];
        const lock = parseLock(serialiseLock(model, place(model), 'bench.dcplan', '0.1.0'));
        const m = changed(model, change);
        const planned = planDay2(m, lock);
        // as the MILP's `moves` level counts: locked instances moved, or stopped (left unplaced);
        // the order's own count (`moves: N`), blocked moves included
        const moves = countMoves([...planned.order!.steps, ...planned.order!.blocked]);
        if (m.instances.length <= EXACT_MAX_INSTANCES) {
            const e = solveExactSync(highs, m, {
                lock,
                timeLimitSeconds: EXACT_SECONDS,
                lastLevel: 'moves'
            });
            const level = e.levels.find(l => l.level === 'moves')!;
            const least = level.value;
            total++;
            if (level.status === 'time-limit') unproved++;
            if (moves === least) equal++;
            else {
                if (moves < least) below++;
                misses.push(`#${k} ${change}: ${moves} vs ${least}`);
            }
            worst = Math.max(worst, moves - least);
            const c = (perChange[change] ??= { plans: 0, moves: 0, exact: 0 });
            c.plans++;
            c.moves += moves;
            c.exact += least;
            // the exact placement's own moves replay too
            const ex = orderDelta(m, lock, e.delta!, e.placement.hostOf).order;
            if (ex.blocked.length === 0) {
                exactOrdered++;
                if (replayMigration(m, lock, ex.steps, e.placement.hostOf) === undefined)
                    exactValid++;
            }
        }
        if (planned.order!.blocked.length > 0) {
            blocked++;
            return;
        }
        ordered++;
        if (replayMigration(m, lock, planned.order!.steps, planned.placement.hostOf) === undefined)
            valid++;
    });
    row(
        'day 2: moves = exact minimum (MILP), ≤ 100 instances',
        `${equal}/${total} plans (${((100 * equal) / total).toFixed(1)}%), at most ${worst} above, ${below} below (an earlier level worse), ${unproved} minima unproved in ${EXACT_SECONDS} s`,
        '≥ 95% at the minimum, never > 1 above',
        equal / total >= 0.95 && worst <= 1
    );
    row(
        'day 2: migration orders valid on replay',
        `${valid}/${ordered} (${blocked} blocked); exact placements' ${exactValid}/${exactOrdered}`,
        '100%',
        valid === ordered && exactValid === exactOrdered
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
        // the first 3 rounds of each not counted (the optimising compiles of the day 2 passes
        // land there), the median of the 15 others: a major GC of the earlier sections' garbage
        // (4–5 ms) lands in a stretch of rounds of either path, twice the work measured at 1,000
        // instances (5 rounds were not enough to outvote it)
        const { without, withLock } = timedWithAndWithoutLock(grown, text, 18, 3);
        timing[n] = { withoutMs: without, withLockMs: withLock };
        row(
            `day 2: plan with a lock, ${n.toLocaleString('en-US')} instances`,
            `${withLock.toFixed(0)} ms vs ${without.toFixed(0)} ms without`,
            '≤ 2× without',
            withLock <= 2 * without
        );
    }
    // a count typed far too large into a plan whose lock fills the hosts (a newcomer's 48,000
    // proxies: 13 s with the lock against 1.7 s without, each unplaced size searched again; this
    // plan 4.3–5.3 s then): the editor checks each keystroke's text
    {
        const base = largePlan(1_000, 60);
        const text = serialiseLock(base, place(base), 'bench.dcplan', '0.1.0');
        const flood = scaleRole(base, 'proxy', 50);
        const { without, withLock } = timedWithAndWithoutLock(flood, text, 7, 2);
        timing.flood = {
            instances: flood.instances.length,
            withoutMs: without,
            withLockMs: withLock
        };
        row(
            `day 2: a lock's full hosts, proxies deployed 50× (${flood.instances.length.toLocaleString('en-US')} instances)`,
            `${withLock.toFixed(0)} ms vs ${without.toFixed(0)} ms without`,
            '≤ 500 ms',
            withLock <= 500
        );
    }
    return {
        equal,
        total,
        worst,
        below,
        unproved,
        misses,
        valid,
        ordered,
        blocked,
        exactValid,
        exactOrdered,
        perChange,
        timing
    };
}
