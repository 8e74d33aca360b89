/**
 * Containment (issue 13, item 2): an unexpected exception in a build phase, in the document
 * validator or in a listener of the builder gives the document one `internal-error` diagnostic,
 * the other documents of the build are built as usual, and the next build of the document (its
 * text changed, the bug gone) has no trace of it. The exceptions are forced by replacing a
 * service of real (file system) services.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DocumentState, type LangiumDocument, URI } from 'langium';
import { NodeFileSystem, NodeFileSystemProvider } from 'langium/node';
import { createDcplanServices } from '../../language-server/dcplan-module.js';
import {
    containRequests,
    setInternalErrorLog
} from '../../language-server/overrides/containment.js';
import { createServices } from '../lsp/helpers.js';
import { parseHelper } from 'langium/test';
import type { PlanFile } from '../../language-server/generated/ast.js';

let tmp: string;
beforeAll(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcplan-contain-'));
});
afterAll(() => {
    fs.rmSync(tmp, { recursive: true, force: true });
});

/** A plan whose one diagnostic is `unused-shape` on `spare`. */
const GOOD =
    'shape p { role = proxy cores = 1 memory = 2 GiB }\nshape spare { role = backend cores = 4 memory = 8 GiB }\n' +
    'host hv[1..2] { cores = 8 memory = 32 GiB hypervisor_cores = 2 hypervisor_memory = 4 GiB }\ndeploy 2 x p\n';
const codes = (d: LangiumDocument) => (d.diagnostics ?? []).map(x => String(x.code)).sort();
const internal = (d: LangiumDocument) =>
    (d.diagnostics ?? [])
        .filter(x => x.code === 'internal-error')
        .map(
            x =>
                `${x.range.start.line}:${x.range.start.character}-${x.range.end.line}:${x.range.end.character} ${x.message}`
        );

/** Fresh services on the real file system, two files written, loaded and built. */
async function setUp(dir: string, bad: string) {
    const services = createDcplanServices({ ...NodeFileSystem });
    fs.mkdirSync(path.join(tmp, dir));
    const badFile = path.join(tmp, dir, 'bad.dcplan'),
        goodFile = path.join(tmp, dir, 'good.dcplan');
    fs.writeFileSync(badFile, bad);
    fs.writeFileSync(goodFile, GOOD);
    const documents = services.shared.workspace.LangiumDocuments;
    const badDoc = await documents.getOrCreateDocument(URI.file(badFile));
    const goodDoc = await documents.getOrCreateDocument(URI.file(goodFile));
    return {
        services,
        badFile,
        badDoc,
        goodDoc,
        builder: services.shared.workspace.DocumentBuilder
    };
}

const boom = (d: LangiumDocument) => d.textDocument.getText().includes('boom');

describe('containment of unexpected exceptions', () => {
    it('a linker that throws: one internal-error on that document, the other built as usual; gone after the next change', async () => {
        const { services, badFile, badDoc, goodDoc, builder } = await setUp(
            'linker',
            '// boom\n' + GOOD
        );
        const linker = services.Dcplan.references.Linker;
        const link = linker.link.bind(linker);
        linker.link = async (document, token) => {
            if (boom(document)) throw new TypeError('Path must be a string. Received undefined');
            return link(document, token);
        };
        await builder.build([badDoc, goodDoc], { validation: true });
        expect(internal(badDoc)).toEqual([
            '0:0-0:0 internal error of the dcplan checker while linking (TypeError: Path must be a string. Received undefined): the other diagnostics of this file may be incomplete (please report it)'
        ]);
        expect(badDoc.state).toBe(DocumentState.Validated);
        expect(codes(goodDoc)).toEqual(['unused-shape']);
        // requests on both are answered
        for (const doc of [badDoc, goodDoc]) {
            const hover = await services.Dcplan.lsp.HoverProvider!.getHoverContent(doc, {
                textDocument: { uri: doc.uri.toString() },
                position: doc.textDocument.positionAt(doc.textDocument.getText().indexOf('spare'))
            });
            expect(JSON.stringify(hover)).toContain('**shape `spare`**');
        }
        // the text changes, the linker no longer throws for it
        fs.writeFileSync(badFile, '// fine\n' + GOOD);
        await builder.update([badDoc.uri], []);
        const rebuilt = services.shared.workspace.LangiumDocuments.getDocument(badDoc.uri)!;
        expect(internal(rebuilt)).toEqual([]);
        expect(codes(rebuilt)).toEqual(['unused-shape']);
    });

    it('a failing scope computation or document validator: one internal-error each, naming the phase', async () => {
        const { services, badDoc, goodDoc, builder } = await setUp('phases', '// boom\n' + GOOD);
        const scopes = services.Dcplan.references.ScopeComputation;
        const collect = scopes.collectLocalSymbols.bind(scopes);
        scopes.collectLocalSymbols = async (document, token) => {
            if (boom(document)) throw new Error('no scopes');
            return collect(document, token);
        };
        await builder.build([badDoc, goodDoc], { validation: true });
        expect(internal(badDoc)).toEqual([
            '0:0-0:0 internal error of the dcplan checker while computing scopes (Error: no scopes): the other diagnostics of this file may be incomplete (please report it)'
        ]);
        expect(codes(goodDoc)).toEqual(['unused-shape']);
        scopes.collectLocalSymbols = collect;

        const other = await setUp('validator', '// boom\n' + GOOD);
        const validator = other.services.Dcplan.validation.DocumentValidator;
        const validate = validator.validateDocument.bind(validator);
        validator.validateDocument = async (document, options, token) => {
            if (boom(document)) throw new RangeError('Invalid string length');
            return validate(document, options, token);
        };
        await other.builder.build([other.badDoc, other.goodDoc], { validation: true });
        // the validation failed as a whole: its one diagnostic is the internal error
        expect(other.badDoc.diagnostics!.map(d => `${String(d.code)} ${d.message}`)).toEqual([
            'internal-error internal error of the dcplan checker while checking (RangeError: Invalid string length): the other diagnostics of this file may be incomplete (please report it)'
        ]);
        expect(internal(other.goodDoc)).toEqual([]);
        expect(codes(other.goodDoc)).toEqual(['unused-shape']);
    });

    it('a listener that throws, and an index manager that throws when asked what a change affects: the build and the update go on', async () => {
        const { services, badDoc, goodDoc, builder } = await setUp('listeners', '// boom\n' + GOOD);
        const seen: string[] = [];
        builder.onDocumentPhase(DocumentState.Validated, document => {
            if (boom(document)) throw new Error('listener');
        });
        builder.onDocumentPhase(DocumentState.Validated, document => {
            seen.push(path.basename(document.uri.path));
        });
        builder.onBuildPhase(DocumentState.Linked, () => {
            throw new Error('build listener');
        });
        await builder.build([badDoc, goodDoc], { validation: true });
        expect(seen.sort()).toEqual(['bad.dcplan', 'good.dcplan']);
        const index = services.shared.workspace.IndexManager;
        index.isAffected = () => {
            throw new Error('isAffected');
        };
        await builder.update([goodDoc.uri], []);
        // every document was rebuilt (relinking is the safe answer when the test fails)
        expect(seen.sort()).toEqual(['bad.dcplan', 'bad.dcplan', 'good.dcplan', 'good.dcplan']);
    });

    it('a request that throws: its stack in the log (once), the error thrown on for the error response; the next request answered', async () => {
        const services = createServices();
        // as the server does (it has a connection)
        containRequests(services.Dcplan.lsp);
        const doc = await parseHelper<PlanFile>(services.Dcplan)(GOOD, { validation: true });
        const logged: string[] = [];
        const previous = setInternalErrorLog(text => logged.push(text));
        const analyzer = services.Dcplan.analysis.PlanAnalyzer;
        const analyze = analyzer.analyze.bind(analyzer);
        analyzer.analyze = () => {
            throw new TypeError('boom in the analysis');
        };
        const hover = () =>
            services.Dcplan.lsp.HoverProvider!.getHoverContent(doc, {
                textDocument: { uri: doc.uri.toString() },
                position: { line: 0, character: 6 }
            });
        try {
            await expect(Promise.resolve().then(hover)).rejects.toThrow('boom in the analysis');
        } finally {
            analyzer.analyze = analyze;
            setInternalErrorLog(previous);
        }
        expect(logged).toHaveLength(1);
        expect(logged[0].split('\n').slice(0, 2)).toEqual([
            'dcplan internal error while answering HoverProvider.getHoverContent: TypeError: boom in the analysis',
            expect.stringMatching(/^ {4}at /)
        ]);
        expect(JSON.stringify(await hover())).toContain('**shape `p`**');
    });

    it('a plan that cannot be read while the workspace loads is left out; the workspace becomes ready with the others', async () => {
        const dir = path.join(tmp, 'unreadable');
        fs.mkdirSync(dir);
        fs.writeFileSync(path.join(dir, 'locked.dcplan'), GOOD);
        fs.writeFileSync(path.join(dir, 'open.dcplan'), GOOD);
        class LockedFileSystem extends NodeFileSystemProvider {
            override readFile(uri: URI): Promise<string> {
                if (uri.path.endsWith('/locked.dcplan'))
                    return Promise.reject(
                        Object.assign(
                            new Error(`EACCES: permission denied, open '${uri.fsPath}'`),
                            { code: 'EACCES' }
                        )
                    );
                return super.readFile(uri);
            }
        }
        const services = createDcplanServices({ fileSystemProvider: () => new LockedFileSystem() });
        const logged: string[] = [];
        const previous = setInternalErrorLog(text => logged.push(text));
        try {
            await services.shared.workspace.WorkspaceManager.initializeWorkspace([
                { uri: URI.file(dir).toString(), name: 'unreadable' }
            ]);
        } finally {
            setInternalErrorLog(previous);
        }
        await services.shared.workspace.WorkspaceManager.ready;
        expect(
            services.shared.workspace.LangiumDocuments.all
                .map(d => path.basename(d.uri.path))
                .toArray()
        ).toEqual(['open.dcplan']);
        expect(logged.map(l => l.split('\n')[0])).toEqual([
            `dcplan internal error while loading ${URI.file(path.join(dir, 'locked.dcplan')).toString()} into the workspace: Error: EACCES: permission denied, open '${path.join(dir, 'locked.dcplan')}'`
        ]);
    });
});
