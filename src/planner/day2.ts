/**
 * Day 2 (issue 12) in one call for the language layer: the placement planned from the lock, the
 * migration order of its steps (moves, stops, removals, rebuilds), and the findings
 * `placement-drift` (info: the lock names instances, hosts or shapes the plan no longer has, or
 * runs a shape whose size it does not record) and `migration-blocked` (error: no safe order).
 *
 * Pure: no I/O.
 */
import type { PlanModel } from './model.js';
import type { Lock } from './lock.js';
import type { PlaceOptions } from './placement.js';
import { type LockDelta, planPlacement, type PlannedPlacement } from './incremental.js';
import { migrationChanges, type MigrationOrder, orderMigration } from './migration.js';
import { IssueCodes, type Finding, type FindingTarget } from './findings.js';
import { listNames } from './rules.js';
import { lockShapeFindings } from './lock-shapes.js';
import { formatStepSizes } from './format.js';
import { withStepReasons } from './step-reasons.js';

/** The placement of a plan with, when it has a lock, the moves, their order and the findings about them. */
export interface Day2Plan extends PlannedPlacement {
    /** Absent without a lock. */
    readonly order?: MigrationOrder;
    /** `placement-drift` and `migration-blocked` findings (empty without a lock). */
    readonly findings: readonly Finding[];
}

/** Where a finding about the whole plan goes: the plan's name, else the first host's name; `undefined` when the plan has neither. */
export function planTarget(model: PlanModel): FindingTarget | undefined {
    if (model.settings.ref) return { kind: 'plan', property: 'name' };
    return model.hosts.length > 0 ? { kind: 'host', index: 0, property: 'name' } : undefined;
}

/** The findings about a lock's drift and a blocked order. */
function day2Findings(model: PlanModel, delta: LockDelta, order: MigrationOrder): Finding[] {
    const out: Finding[] = [];
    const target = planTarget(model);
    if (target && (delta.removed.length > 0 || delta.goneHosts.length > 0)) {
        const parts: string[] = [];
        if (delta.removed.length > 0)
            parts.push(
                `instances the plan no longer deploys (removed): ${listNames(delta.removed)}`
            );
        if (delta.goneHosts.length > 0)
            parts.push(`hosts the plan no longer has: ${listNames(delta.goneHosts)}`);
        out.push({
            code: IssueCodes.PlacementDrift,
            severity: 'info',
            message: `the lock names ${parts.join('; ')}`,
            target
        });
    }
    if (order.blocked.length > 0) {
        const hostIndex = new Map(model.hosts.map((h, k) => [h.name, k]));
        const firstHost = order.blocked.find(b => b.to !== null)?.to ?? order.blocked[0].from;
        const first = hostIndex.get(firstHost);
        const t: FindingTarget | undefined =
            first !== undefined ? { kind: 'host', index: first, property: 'name' } : target;
        const moves = order.blocked.map(blockedText);
        const held = (order.heldRoles ?? []).map(
            h =>
                `${h.role} would be left ${h.runningAfter === 0 ? 'with no running instance' : 'on one host'} while ${h.waiting} new ${h.waiting === 1 ? 'instance waits' : 'instances wait'} for room`
        );
        const why = held.length > 0 ? `${held.join('; ')}; ` : '';
        // moves and rebuilds say "moves", as they always have; removals, stops, creations "steps"
        const noun = order.blocked.every(b => b.kind === 'move' || b.kind === 'rebuild')
            ? ['move', 'moves']
            : ['step', 'steps'];
        if (t) {
            out.push({
                code: IssueCodes.MigrationBlocked,
                severity: 'error',
                target: t,
                message: `no safe migration order: ${why}${moves.length === 1 ? `this ${noun[0]} blocks` : `these ${moves.length} ${noun[1]} block`} (no host has room for them, even for a temporary hop, without overcommitting or putting a role on one host): ${listNames(moves)}`
            });
        }
    }
    return out;
}

/**
 * A blocked step as the `migration-blocked` message names it (`be-1: hv01 -> hv02`,
 * `be-1: rebuild on hv01 (4 -> 6 vCPUs, 8 GiB)`, `px-1: remove from hv01 (1 vCPU, 2 GiB)`, …):
 * with the sizes the step carries (`formatStepSizes`), as the CLI's and the preview's move lists
 * say them.
 */
function blockedText(b: MigrationOrder['blocked'][number]): string {
    const text = formatStepSizes(b);
    const sizes = text ? ` (${text})` : '';
    switch (b.kind) {
        case 'rebuild':
            return `${b.instance}: rebuild on ${b.to ?? b.from}${sizes}`;
        case 'remove':
            return `${b.instance}: remove from ${b.from}${sizes}`;
        case 'stop':
            return `${b.instance}: stop on ${b.from}${sizes}`;
        case 'create':
            return `${b.instance}: create on ${b.to ?? b.from}${sizes}`;
        default:
            return `${b.instance}: ${b.from} -> ${b.to ?? 'no host'}${sizes}`;
    }
}

/**
 * The migration order of the moves `delta` from `lock` (`orderMigration`), with the removals,
 * stops and rebuilds in place of the placement `hostOf` (per instance its host index, -1
 * unplaced; `migrationChanges`), and the findings about them (`placement-drift`,
 * `migration-blocked`): for a placement planned by `planPlacement` or by the exact mode
 * (`ExactResult.delta` and its placement), and about the lock's `shapes` (`lockShapeFindings`,
 * naming `lockFile`). Never throws on a well-formed model.
 */
export function orderDelta(
    model: PlanModel,
    lock: Lock,
    delta: LockDelta,
    hostOf: readonly number[],
    lockFile?: string
): { order: MigrationOrder; findings: Finding[] } {
    const changes = migrationChanges(model, lock, hostOf, delta.removed);
    // each step says why it is taken (step-reasons.ts)
    const order = withStepReasons(model, delta, orderMigration(model, lock, delta.moves, changes));
    return {
        order,
        findings: [
            ...day2Findings(model, delta, order),
            ...lockShapeFindings(model, lock, planTarget(model), lockFile)
        ]
    };
}

/**
 * Plans `model` from `lock` (or from nothing without one) and orders the moves; see
 * `planPlacement` and `orderDelta` (`lockFile`: the lock's file, named in findings). Never
 * throws on a well-formed model.
 */
export function planDay2(
    model: PlanModel,
    lock?: Lock,
    options: PlaceOptions = {},
    lockFile?: string
): Day2Plan {
    const planned = planPlacement(model, lock, options);
    if (!lock || !planned.delta) return { ...planned, findings: [] };
    return {
        ...planned,
        ...orderDelta(model, lock, planned.delta, planned.placement.hostOf, lockFile)
    };
}

/** What the lock has on one host: its instances (lock order) and their vCPUs and memory (GiB). */
export interface LockedOnHost {
    readonly instances: readonly string[];
    readonly cores: number;
    readonly memoryGiB: number;
}

/**
 * What `lock` runs on each host it names (`LockedOnHost` by host name), in one pass over the lock:
 * each instance at the size the lock recorded for its shape (else its size in `model`; an
 * instance neither knows counts 0). The shape of an instance the plan no longer deploys is its
 * name without the `-N` suffix, as the lock writes names. Hosts the lock leaves empty are absent.
 */
export function lockedByHost(model: PlanModel, lock: Lock): Map<string, LockedOnHost> {
    const byName = new Map(model.instances.map(it => [it.name, it]));
    const out = new Map<string, { instances: string[]; cores: number; memoryGiB: number }>();
    for (const [name, host] of lock.placement) {
        let on = out.get(host);
        if (!on) out.set(host, (on = { instances: [], cores: 0, memoryGiB: 0 }));
        on.instances.push(name);
        const it = byName.get(name);
        const size = lock.shapes.get(it?.shape ?? name.replace(/-[0-9]+$/, '')) ?? it;
        on.cores += size?.cores ?? 0;
        on.memoryGiB += size?.memoryGiB ?? 0;
    }
    return out;
}
