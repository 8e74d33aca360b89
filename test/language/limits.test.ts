/**
 * Inputs that grow (issue 13, "Large workspaces and long import graphs"): syntax errors are
 * capped per file with one last "N more" diagnostic, as compilers do; a plan has at most
 * 100,000 hosts, as it has at most 1,000,000 instances.
 */
import { describe, expect, it } from 'vitest';
import { EmptyFileSystem } from 'langium';
import { parseHelper } from 'langium/test';
import type { Diagnostic } from 'vscode-languageserver-types';
import { createDcplanServices } from '../../language-server/dcplan-module.js';
import type { PlanFile } from '../../language-server/generated/ast.js';
import { MAX_DIAGNOSTICS, MAX_SYNTAX_ERRORS } from '../../language-server/syntax-messages.js';
import { LIMITS } from '../../language-server/values.js';

const services = createDcplanServices({ ...EmptyFileSystem });
const parse = parseHelper<PlanFile>(services.Dcplan);

async function syntaxErrors(text: string): Promise<Diagnostic[]> {
    const doc = await parse(text, { validation: true });
    return (doc.diagnostics ?? []).filter(d => d.code === 'syntax-error');
}

const at = (d: Diagnostic) =>
    `${d.range.start.line + 1}:${d.range.start.character + 1}-${d.range.end.line + 1}:${d.range.end.character + 1}`;

describe('syntax errors capped per file', () => {
    it(`reports the first ${MAX_SYNTAX_ERRORS} and one "N more" where the next one is`, async () => {
        // 2,000 commas in a `runs` list: one error per comma, and one for the missing pin
        const text = 'host h { cores = 4 memory = 8 GiB runs = ' + ','.repeat(2_000) + ' }\n';
        const ds = await syntaxErrors(text);
        expect(ds).toHaveLength(MAX_SYNTAX_ERRORS + 1);
        const last = ds[MAX_SYNTAX_ERRORS];
        expect(last.message).toBe('1901 more syntax errors not shown (the first 100 are)');
        expect(last.severity).toBe(1);
        // the 101st comma (column 42 is the first)
        expect(at(last)).toBe('1:142-1:143');
        expect(at(ds[0])).toBe('1:42-1:43');
    });

    it('says nothing more when the errors are within the cap', async () => {
        const ds = await syntaxErrors(
            'host h { cores = 4 memory = 8 GiB runs = ' + ','.repeat(50) + ' }\n'
        );
        expect(ds).toHaveLength(51);
        expect(ds.some(d => d.message.includes('more syntax error'))).toBe(false);
    });

    it('caps lexer errors too (they come first)', async () => {
        const ds = await syntaxErrors('§\n'.repeat(150));
        expect(ds).toHaveLength(MAX_SYNTAX_ERRORS + 1);
        expect(ds[MAX_SYNTAX_ERRORS].message).toMatch(
            /^\d+ more syntax errors not shown \(the first 100 are\)$/
        );
        expect(at(ds[MAX_SYNTAX_ERRORS])).toBe('101:1-101:2');
    });
});

describe('hosts per plan', () => {
    it(`at most ${LIMITS.hostsPerPlan.toLocaleString('en-US')}: the block that passes it is left out, said where`, async () => {
        const text = [
            'host hv[1..99999] { cores = 8 memory = 32 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB }',
            'host spare { cores = 8 memory = 32 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB }',
            'host a1, a2 { cores = 8 memory = 32 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB }',
            ''
        ].join('\n');
        const doc = await parse(text, { validation: true });
        const limit = (doc.diagnostics ?? []).filter(d => d.code === 'limit-exceeded');
        expect(limit.map(d => `${at(d)} ${d.message}`)).toEqual([
            '3:6-3:8 the plan passes 100,000 hosts here (100,002): this host block is left out'
        ]);
        const model = services.Dcplan.analysis.PlanAnalyzer.analyze(doc).built.model;
        expect(model.hosts).toHaveLength(100_000);
        expect(model.hosts.at(-1)!.name).toBe('spare');
        expect(model.leftOut).toEqual({
            hostBlocks: 1,
            hostBlocksOverLimit: 1,
            deployments: 0,
            deploymentsByRole: {},
            deploymentsOverLimitByRole: {}
        });
    });
});

describe('diagnostics capped per file', () => {
    it(`at most ${MAX_DIAGNOSTICS.toLocaleString('en-US')} from the checks, then one "N more"`, async () => {
        // the same 10,005 host names twice: a duplicate-name error per name of the second range
        const block =
            'host a[1..10005] { cores = 8 memory = 32 GiB hypervisor_cores = 1 hypervisor_memory = 1 GiB }';
        const doc = await parse(`${block}\n${block}\n`, { validation: true });
        const ds = doc.diagnostics ?? [];
        expect(ds).toHaveLength(MAX_DIAGNOSTICS + 1);
        expect(ds.slice(0, MAX_DIAGNOSTICS).every(d => d.code === 'duplicate-name')).toBe(true);
        expect(ds[0].message).toBe("duplicate host name 'a1'");
        const last = ds[MAX_DIAGNOSTICS];
        expect([last.code, last.severity, at(last), last.message]).toEqual([
            'limit-exceeded',
            1,
            '2:6-2:17',
            '5 more diagnostics not shown (the first 10,000 are)'
        ]);
    });
});
