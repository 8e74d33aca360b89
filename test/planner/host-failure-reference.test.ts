/**
 * The host-failure re-placement check against a plain reference implementation of the same
 * algorithm (sort the lost items, compare totals, best-fit decreasing over the others in
 * spare order, then the same bounded exact search `boundedExactFit`): the fast paths (host
 * classes, roomy-host counts, merged lists, the fit tree) must give the same answers.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boundedExactFit, lossFailures } from '../../src/planner/host-failure.js';
import { EPS } from '../../src/planner/placement.js';

type Item = { c: number; m: number };

function referenceCanReplace(
    capC: number[],
    capM: number[],
    items: Item[][],
    lost: number[]
): boolean {
    const H = capC.length;
    const used = (h: number, k: 'c' | 'm') => items[h].reduce((a, it) => a + it[k], 0);
    const spareC = capC.map((c, h) => Math.max(0, c - used(h, 'c'))),
        spareM = capM.map((m, h) => Math.max(0, m - used(h, 'm')));
    const all = lost.flatMap(h => items[h]).sort((a, b) => b.c - a.c || b.m - a.m);
    if (all.length === 0) return true;
    let needC = 0,
        needM = 0,
        haveC = spareC.reduce((a, b) => a + b, 0),
        haveM = spareM.reduce((a, b) => a + b, 0);
    for (const it of all) {
        needC += it.c;
        needM += it.m;
    }
    for (const h of lost) {
        haveC -= spareC[h];
        haveM -= spareM[h];
    }
    if (needC > haveC + EPS || needM > haveM + EPS) return false;
    const order = Array.from({ length: H }, (_, h) => h).sort(
        (a, b) => spareC[a] - spareC[b] || spareM[a] - spareM[b] || a - b
    );
    const freeC = [...spareC],
        freeM = [...spareM];
    let ok = true;
    for (const it of all) {
        const h = order.find(
            x => !lost.includes(x) && freeC[x] >= it.c - EPS && freeM[x] >= it.m - EPS
        );
        if (h === undefined) {
            ok = false;
            break;
        }
        freeC[h] -= it.c;
        freeM[h] -= it.m;
    }
    if (ok) return true;
    const bins: Item[] = [];
    for (let h = 0; h < H; h++)
        if (!lost.includes(h) && spareC[h] > EPS) bins.push({ c: spareC[h], m: spareM[h] });
    // the same bounded exact search (its limits decide the answer on hard cases)
    return boundedExactFit(all, bins);
}

function referenceLossFailures(capC: number[], capM: number[], items: Item[][]): [number, number] {
    const byKey = new Map<string, number[]>();
    items.forEach((list, h) => {
        const key = `${capC[h]}|${capM[h]}|${[...list]
            .sort((a, b) => b.c - a.c || b.m - a.m)
            .map(it => `${it.c}:${it.m}`)
            .join(',')}`;
        byKey.set(key, [...(byKey.get(key) ?? []), h]);
    });
    const classes = [...byKey.values()];
    let single = 0,
        pairs = 0;
    for (const cl of classes)
        if (!referenceCanReplace(capC, capM, items, [cl[0]])) single += cl.length;
    for (let i = 0; i < classes.length; i++) {
        for (let j = i; j < classes.length; j++) {
            if (i === j && classes[i].length < 2) continue;
            const lost = i === j ? [classes[i][0], classes[i][1]] : [classes[i][0], classes[j][0]];
            if (!referenceCanReplace(capC, capM, items, lost)) pairs++;
        }
    }
    return [single, pairs];
}

const item = fc.record({
    c: fc.constantFrom(1, 2, 3, 4, 6, 8),
    m: fc.constantFrom(2, 4, 8, 16, 32, 48)
});
const host = fc.record({
    c: fc.integer({ min: 4, max: 48 }),
    m: fc.constantFrom(32, 64, 128, 256),
    items: fc.array(item, { maxLength: 6 })
});

describe('host-failure re-placement', () => {
    it('counts the same failing single and pair losses as the reference', () => {
        fc.assert(
            fc.property(fc.array(host, { minLength: 2, maxLength: 14 }), hosts => {
                const capC = hosts.map(h => h.c),
                    capM = hosts.map(h => h.m),
                    items = hosts.map(h => h.items);
                expect(lossFailures(capC, capM, items, 2)).toEqual(
                    referenceLossFailures(capC, capM, items)
                );
            }),
            { numRuns: 400, seed: 42 }
        );
    });
});
