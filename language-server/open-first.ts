/**
 * A large workspace in the editor: the open documents' diagnostics first (issue 13: 2,000 files
 * of 50 elements answered after 21 s). Two changes to Langium's order of work, in the server only:
 *
 * - Loading the workspace no longer parses every file before the first build: each file found is
 *   added unparsed (as Langium's own update adds a changed file), and the build parses it; a
 *   build is cancellable where the loading was not, so an edit or an open is not kept waiting.
 * - A build that holds open documents and many others first builds the open ones and the files
 *   they import (transitively, parsing them to find their imports), then the rest. dcplan's
 *   names resolve only inside a file and its imports (overrides/scope.ts), so the open documents
 *   link and validate the same before the rest is read.
 */
import {
    type Cancellation,
    DocumentState,
    isOperationCancelled,
    type LangiumDocument,
    type Stream,
    type URI
} from 'langium';
import type { LangiumSharedServices } from 'langium/lsp';
import { resolveImports } from './imports.js';

/** Builds of at most this many documents are not split. */
const SPLIT_ABOVE = 16;

/** Registers the two changes (see the module comment) on a server's shared services. */
export function registerOpenFirst(shared: LangiumSharedServices): void {
    const documents = shared.workspace.LangiumDocuments;
    const factory = shared.workspace.LangiumDocumentFactory;
    const textDocuments = shared.workspace.TextDocuments;

    const manager = shared.workspace.WorkspaceManager as unknown as {
        loadWorkspaceDocuments(
            uris: Stream<URI>,
            collector: (d: LangiumDocument) => void
        ): Promise<void>;
    };
    manager.loadWorkspaceDocuments = async (uris, collector) => {
        for (const uri of uris) {
            // an unparsed document, as DocumentBuilder.update makes for a new file
            const document = factory.fromModel({ $type: 'INVALID' }, uri);
            document.state = DocumentState.Changed;
            collector(document);
        }
    };

    // A file is now read by the build: one that cannot be read (removed after the listing,
    // permission denied) is logged and taken as empty, instead of failing the build of all.
    const update = factory.update.bind(factory);
    factory.update = async (document, cancelToken) => {
        try {
            return await update(document, cancelToken);
        } catch (err) {
            if (isOperationCancelled(err) || textDocuments?.get(document.uri.toString())) throw err;
            console.error(
                `dcplan: cannot read ${document.uri.toString()}: ${err instanceof Error ? err.message : String(err)}`
            );
            document.parseResult = shared.ServiceRegistry.getServices(
                document.uri
            ).parser.LangiumParser.parse('');
            (document.parseResult.value as { $document?: LangiumDocument }).$document = document;
            document.state = DocumentState.Parsed;
            return document;
        }
    };

    type Builder = {
        buildDocuments(
            documents: LangiumDocument[],
            options: unknown,
            cancelToken: Cancellation.CancellationToken
        ): Promise<void>;
        runCancelable(
            documents: LangiumDocument[],
            state: DocumentState,
            cancelToken: Cancellation.CancellationToken,
            callback: (d: LangiumDocument) => unknown
        ): Promise<void>;
    };
    const builder = shared.workspace.DocumentBuilder as unknown as Builder;
    const buildDocuments = builder.buildDocuments.bind(builder);
    builder.buildDocuments = async (docs, options, cancelToken) => {
        const open = docs.filter(d => textDocuments?.get(d.uri.toString()) !== undefined);
        if (docs.length <= SPLIT_ABOVE || open.length === 0 || open.length === docs.length)
            return buildDocuments(docs, options, cancelToken);
        // the open documents and what they import, parsed as found
        const first = new Map<string, LangiumDocument>(open.map(d => [d.uri.toString(), d]));
        const inBuild = new Map(docs.map(d => [d.uri.toString(), d]));
        for (let wave = [...first.values()]; wave.length > 0;) {
            await builder.runCancelable(wave, DocumentState.Parsed, cancelToken, d =>
                factory.update(d, cancelToken)
            );
            const next: LangiumDocument[] = [];
            for (const d of wave) {
                for (const i of resolveImports(d, documents)) {
                    const key = i.uri.toString();
                    const target = inBuild.get(key);
                    if (!target || first.has(key)) continue;
                    first.set(key, target);
                    next.push(target);
                }
            }
            wave = next;
        }
        await buildDocuments([...first.values()], options, cancelToken);
        await buildDocuments(
            docs.filter(d => !first.has(d.uri.toString())),
            options,
            cancelToken
        );
    };
}
