/**
 * The split and merge choices the rules offer (spec, `director-split`, `backend-split`,
 * `director-ring-too-large`): how many instances of how many cores a shape or a ring becomes.
 * Pure arithmetic on counts (instances) and sizes (cores).
 */
import type { SplitChoice } from './findings.js';

/** The most directors one ring should have (the page, "Virtualised Director sizing"). */
export const MAX_RING = 9;
/**
 * Director split choices (spec, `director-split`): D × C → D′ × C′ with D′·C′ = D·C,
 * D < D′ ≤ 9 − others, 2 ≤ C′ ≤ 3; the one with the fewest instances is preferred
 * (the page: 3 × 4 → 4 × 3, not 12 × 1).
 */
export function directorSplits(count: number, cores: number, othersInRing: number): SplitChoice[] {
    const total = count * cores;
    const out: { count: number; cores: number }[] = [];
    for (const c of [3, 2]) {
        if (c >= cores || total % c !== 0) continue;
        const d = total / c;
        if (d > count && d <= MAX_RING - othersInRing) out.push({ count: d, cores: c });
    }
    out.sort((a, b) => a.count - b.count);
    return out.map((s, i) => ({ ...s, preferred: i === 0 }));
}

/**
 * Backend split (spec, `backend-split`): C′ = 4 when 4 divides C, else the smallest divisor of
 * C that is at least 4 and below C; `undefined` when there is none (the page: 8 × 8 → 16 × 4).
 */
export function backendSplit(count: number, cores: number): SplitChoice | undefined {
    for (let c = 4; c < cores; c++) {
        if (cores % c === 0) return { count: count * (cores / c), cores: c, preferred: true };
    }
    return undefined;
}

/**
 * Ring merge choices for `director-ring-too-large` (spec, Quick-fixes): D′ = ⌈cores / C′⌉ with
 * C′ = 3 (preferred, the page's choice) or C′ = 2 where D′ ≤ 9; where neither fits under 9, the
 * smallest C′ that does.
 */
export function ringMergeChoices(ringCores: number): SplitChoice[] {
    const out: SplitChoice[] = [];
    for (const c of [3, 2]) {
        const d = Math.ceil(ringCores / c);
        if (d <= MAX_RING) out.push({ count: d, cores: c, preferred: c === 3 });
    }
    if (out.length === 0) {
        const c = Math.ceil(ringCores / MAX_RING);
        out.push({ count: Math.ceil(ringCores / c), cores: c, preferred: true });
    }
    return out;
}
