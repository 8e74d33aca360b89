/**
 * dcplan's validation registry runs checks without Langium's async wrappers but keeps its
 * handling of failures: a check that throws, or whose promise rejects, becomes an error on the
 * node it was checking, and the other checks still run.
 */
import { describe, expect, it, vi } from 'vitest';
import { EmptyFileSystem, type ValidationChecks } from 'langium';
import { parseHelper } from 'langium/test';
import { createDcplanServices } from '../../language-server/dcplan-module.js';
import type { DcplanAstType, PlanFile } from '../../language-server/generated/ast.js';

describe('validation registry', () => {
    it('reports a throwing or rejecting check as an error on its node and goes on', async () => {
        const services = createDcplanServices({ ...EmptyFileSystem });
        const registry = services.Dcplan.validation.ValidationRegistry;
        const checks: ValidationChecks<DcplanAstType> = {
            Shape: node => { if (node.name === 'bad') throw new Error('boom'); },
            Deploy: async () => { throw new Error('later'); },
            HostModel: (node, accept) => accept('hint', `seen ${node.name}`, { node })
        };
        registry.register(checks);
        const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
        const doc = await parseHelper<PlanFile>(services.Dcplan)(
            'shape bad { role = proxy cores = 1 memory = 2 GiB }\ndeploy 1 x bad\nmodel m { cores = 8 memory = 16 GiB }\n', { validation: true });
        quiet.mockRestore();
        const at = (m: string) => doc.diagnostics!.filter(d => d.message === m).map(d => `${d.severity} ${d.range.start.line}:${d.range.start.character}`);
        expect(at('An error occurred during validation: boom')).toEqual(['1 0:0']);
        expect(at('An error occurred during validation: later')).toEqual(['1 1:0']);
        expect(at('seen m')).toEqual(['4 2:0']);
    });
});
