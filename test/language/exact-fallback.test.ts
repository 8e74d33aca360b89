/**
 * The analyzer with the exact fallback left for later (language-server/exact-fallback.ts, the
 * server's `FallbackRuns`), in process, with the worker's plan given by the test: which
 * documents wait for a solve (open ones only, and only when the fallback's cheap bound does not
 * already prove the heuristic's placement), one solve through an edit that leaves the plan
 * as it was, the document validated again when it is done and the plan then taken, a solve
 * stopped when its document's plan changes, and a failed solve leaving the heuristic's plan.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { URI } from 'langium';
import { parseHelper } from 'langium/test';
import { createServices, example } from '../lsp/helpers.js';
import type { PlanFile } from '../../language-server/generated/ast.js';
import { CHECKING, type PlanAnalysis } from '../../language-server/analysis.js';
import { FallbackRuns } from '../../language-server/exact-fallback.js';
import { enableDeferredExactFallback } from '../../src/planner/exact-deferred.js';
import { setPlacementFallback } from '../../src/planner/placement.js';
import type { Day2Plan } from '../../src/planner/day2.js';
import type { Lock } from '../../src/planner/lock.js';
import type { PlanModel } from '../../src/planner/model.js';
import { hardPlans } from '../helpers/hard-plans.js';

const [HARD] = hardPlans(1);
const ROOMY = `${HARD.text}host spare { cores = 128 memory = 1024 GiB hypervisor_cores = 0 hypervisor_memory = 0 GiB }\n`;

/** A solve the test ends: its arguments, and how to answer it. */
interface Solve {
    readonly model: PlanModel;
    readonly lock: Lock | undefined;
    readonly signal: AbortSignal | undefined;
    resolve(plan: Day2Plan): void;
    reject(e: Error): void;
}

const { Dcplan, shared } = createServices();
const analyzer = Dcplan.analysis.PlanAnalyzer;
const parse = parseHelper<PlanFile>(Dcplan);
const open = new Set<string>();
const revalidated: string[][] = [];
const logs: string[] = [];
const solves: Solve[] = [];
const runs = new FallbackRuns(
    {
        isOpen: uri => open.has(uri),
        revalidate: uris => revalidated.push([...uris]),
        log: m => logs.push(m)
    },
    0,
    (model, lock, signal) =>
        new Promise<Day2Plan>((resolve, reject) => {
            solves.push({ model, lock, signal, resolve, reject });
        })
);

beforeAll(() => {
    enableDeferredExactFallback();
    analyzer.reuseByModel = true;
    analyzer.deferred = runs;
});
afterAll(() => {
    setPlacementFallback(undefined);
});

/** Builds `text` at `uri` (replacing the document there) and returns its analysis. */
async function analyse(uri: string, text: string): Promise<PlanAnalysis> {
    const documents = shared.workspace.LangiumDocuments;
    if (documents.hasDocument(URI.parse(uri))) documents.deleteDocument(URI.parse(uri));
    const doc = await parse(text, { documentUri: uri, validation: true });
    return analyzer.analyze(doc);
}

const unplaceable = (a: PlanAnalysis) =>
    a.findings.filter(f => f.code === 'unplaceable').map(f => f.message);
const tick = () => new Promise(resolve => setTimeout(resolve, 20));

describe('the exact fallback of the language server', () => {
    it('a document that is not open keeps the heuristic plan: not checking, nothing solved', async () => {
        const a = await analyse('file:///fallback/closed.dcplan', HARD.text);
        expect(a.checking).toBeUndefined();
        expect(unplaceable(a).length).toBeGreaterThan(0);
        for (const m of unplaceable(a)) {
            expect(m).toContain(`; ${HARD.heuristicCores} cores placed, `);
            expect(m.endsWith(CHECKING)).toBe(false);
            expect(m).not.toContain('proved');
        }
        await tick();
        expect(solves).toHaveLength(0);
    });

    it('a plan the cheap bound proves (seed-reference): proved at once, nothing solved', async () => {
        const uri = 'file:///fallback/seed-reference.dcplan';
        open.add(uri);
        const a = await analyse(uri, example('seed-reference.dcplan'));
        expect(a.checking).toBeUndefined();
        expect(unplaceable(a)).toHaveLength(2);
        for (const m of unplaceable(a))
            expect(m.endsWith('; proved: at most 80 of 88 cores can be placed')).toBe(true);
        await tick();
        expect(solves).toHaveLength(0);
        open.delete(uri);
    });

    it('an open document: checking, one solve through an edit of a comment, validated again, then its plan', async () => {
        const a = 'file:///fallback/a.dcplan';
        open.add(a);
        const first = await analyse(a, HARD.text);
        expect(first.checking).toBe(true);
        for (const m of unplaceable(first)) expect(m.endsWith(CHECKING)).toBe(true);
        await tick();
        expect(solves).toHaveLength(1);
        expect(solves[0].model).toEqual(first.built.model);
        expect(solves[0].lock).toBeUndefined();
        // a comment leaves the plan as it was: the same solve goes on for the new text
        const commented = `// a note\n${HARD.text}`;
        expect((await analyse(a, commented)).checking).toBe(true);
        await tick();
        expect(solves).toHaveLength(1);
        expect(solves[0].signal?.aborted).toBe(false);
        // the worker's plan: here the heuristic's with a proof the test makes up
        solves[0].resolve({
            placement: { ...first.placement, placedCoresBound: 999 },
            findings: []
        });
        await tick();
        expect(revalidated).toEqual([[a]]);
        // validated again: the plan is taken, nothing is checking any more
        const again = await analyse(a, commented);
        expect(again.checking).toBeUndefined();
        expect(unplaceable(again).length).toBe(unplaceable(first).length);
        for (const m of unplaceable(again))
            expect(m).toMatch(/; proved: at most 999 of \d+ cores can be placed$/);
        expect(solves).toHaveLength(1);
        open.delete(a);
    });

    it('an edit that changes the plan stops its solve; a failed solve leaves the heuristic plan', async () => {
        const c = 'file:///fallback/c.dcplan';
        open.add(c);
        const text = HARD.text.replace('deploy ', '// another plan\ndeploy 1 x p3\ndeploy ');
        expect((await analyse(c, text)).checking).toBe(true);
        await tick();
        expect(solves).toHaveLength(2);
        const running = solves[1];
        expect(running.signal?.aborted).toBe(false);
        // everything fits now: the solve is stopped, nobody waits for it
        const roomy = await analyse(c, ROOMY);
        expect(roomy.checking).toBeUndefined();
        expect(unplaceable(roomy)).toEqual([]);
        expect(running.signal?.aborted).toBe(true);
        expect(logs.at(-1)).toBe(`dcplan: exact fallback of ${c} stopped: its plan changed`);
        // back to the text: solved anew; this time the solve fails
        expect((await analyse(c, text)).checking).toBe(true);
        await tick();
        expect(solves).toHaveLength(3);
        solves[2].reject(new Error('no worker'));
        await tick();
        expect(revalidated.at(-1)).toEqual([c]);
        const after = await analyse(c, text);
        expect(after.checking).toBeUndefined();
        for (const m of unplaceable(after)) {
            expect(m.endsWith(CHECKING)).toBe(false);
            expect(m).not.toContain('proved');
        }
        expect(logs.at(-1)).toBe(
            `dcplan: exact fallback of ${c} failed, the heuristic's placement stands: Error: no worker`
        );
    });
});
