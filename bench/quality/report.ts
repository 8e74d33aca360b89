/**
 * The bench rows of the independent quality comparison: per distribution and in all, with the
 * targets of issue 15 (held = true, not held = false, informative = null).
 */
import { DISTRIBUTIONS, type Distribution } from './plans.js';
import type { DistributionFigures } from './compare.js';

/** [measure, result, target, held] rows. */
export function qualityRows(
    figures: Record<Distribution | 'all', DistributionFigures>
): [string, string, string, boolean | null][] {
    const rows: [string, string, string, boolean | null][] = [];
    for (const d of [...DISTRIBUTIONS, 'all'] as const) {
        const f = figures[d];
        const p = `independent quality, ${d} (${f.plans} plans${f.notProved ? `, ${f.notProved} optima not proved` : ''})`;
        rows.push([
            `${p}: full placement when the optimum places all (place alone / CLI with fallback)`,
            `${f.heurFull}/${f.optFull} / ${f.cliFull}/${f.optFull}`,
            '100%',
            f.heurFull === f.optFull && f.cliFull === f.optFull
        ]);
        rows.push([
            `${p}: most cores placeable reached (place / CLI)`,
            `${f.heurMost}/${f.optShort} / ${f.cliMost}/${f.optShort}`,
            '100%',
            f.heurMost === f.optShort && f.cliMost === f.optShort
        ]);
        rows.push([
            `${p}: best spread where it exists`,
            `${f.heurSpread}/${f.spreadExists}`,
            '100%',
            f.heurSpread === f.spreadExists
        ]);
        rows.push([
            `${p}: busiest-host gap mean / worst (same spread, mix, racks; ${f.prefixWorse} plans worse before)`,
            `${(Math.abs(f.gapMean) < 0.005 ? 0 : f.gapMean).toFixed(2)} / ${f.gapWorst.toFixed(1)} points (${f.gapCompared} plans)`,
            '≤ 1 / ≤ 3',
            f.gapMean <= 1 && f.gapWorst <= 3
        ]);
        rows.push([
            `${p}: 5 block orders give the same objective`,
            `${f.permEqual}/${f.permPlans}`,
            '100%',
            f.permEqual === f.permPlans
        ]);
    }
    return rows;
}
