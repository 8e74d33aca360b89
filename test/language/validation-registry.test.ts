/**
 * dcplan's validation registry runs checks without Langium's async wrappers and contains their
 * failures: a check that throws, or whose promise rejects, becomes an `internal-error` on the node
 * it was checking (one per document: the first), and the other checks still run.
 */
import { describe, expect, it } from 'vitest';
import { EmptyFileSystem, type ValidationChecks } from 'langium';
import { parseHelper } from 'langium/test';
import { createDcplanServices } from '../../language-server/dcplan-module.js';
import type { DcplanAstType, PlanFile } from '../../language-server/generated/ast.js';

describe('validation registry', () => {
    it('reports a throwing or rejecting check as one internal-error on the first node and goes on', async () => {
        const services = createDcplanServices({ ...EmptyFileSystem });
        const registry = services.Dcplan.validation.ValidationRegistry;
        const checks: ValidationChecks<DcplanAstType> = {
            Shape: node => {
                if (node.name === 'bad') throw new Error('boom');
            },
            Deploy: async () => {
                throw new Error('later');
            },
            HostModel: (node, accept) => accept('hint', `seen ${node.name}`, { node })
        };
        registry.register(checks);
        const doc = await parseHelper<PlanFile>(services.Dcplan)(
            'shape bad { role = proxy cores = 1 memory = 2 GiB }\ndeploy 1 x bad\nmodel m { cores = 8 memory = 16 GiB }\n',
            { validation: true }
        );
        const at = (m: string) =>
            doc
                .diagnostics!.filter(d => d.message === m)
                .map(d => `${d.severity} ${d.range.start.line}:${d.range.start.character}`);
        const internal = doc.diagnostics!.filter(d => d.code === 'internal-error');
        expect(
            internal.map(d => [d.severity, d.range.start.line, d.range.start.character, d.message])
        ).toEqual([
            [
                1,
                0,
                0,
                'internal error of the dcplan checker in the check of a Shape (Error: boom): the other diagnostics of this file may be incomplete (please report it)'
            ]
        ]);
        expect(at('seen m')).toEqual(['4 2:0']);
        // the plan's own checks ran too: the shape is deployed once, with no other finding
        expect(
            doc
                .diagnostics!.filter(d => d.code !== 'internal-error' && d.message !== 'seen m')
                .map(d => d.code)
                .sort()
        ).toEqual(['single-instance', 'unplaceable']);
    });
});
