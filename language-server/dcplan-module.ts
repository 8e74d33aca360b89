/**
 * Dependency-injection wiring of the dcplan language (Langium): the generated parser and AST,
 * the import-aware scope provider, the validator (the rulebook), the plan analyzer that runs the
 * planner once per document, and the LSP providers of `lsp/`.
 */
import { DcplanTokenBuilder } from './overrides/token-builder.js';
import {
    createLangiumParser,
    DefaultServiceRegistry,
    EmptyFileSystem,
    type Module,
    inject,
    type LangiumCoreServices,
    type PartialLangiumCoreServices,
    type URI
} from 'langium';
import {
    createDefaultModule,
    createDefaultSharedModule,
    type DefaultSharedModuleContext,
    type LangiumServices,
    type LangiumSharedServices,
    type PartialLangiumServices
} from 'langium/lsp';
import { DcplanGeneratedModule, DcplanGeneratedSharedModule } from './generated/module.js';
import { DcplanValidator, registerValidationChecks } from './validation/language-checks.js';
import { DcplanDocumentValidator, DcplanValidationRegistry } from './overrides/validator.js';
import { DcplanScopeComputation, DcplanScopeProvider } from './overrides/scope.js';
import {
    DcplanIndexManager,
    DcplanLinker,
    DcplanReferenceDescriptionProvider
} from './overrides/linking.js';
import { PlanAnalyzer } from './analysis.js';
import { FixSandbox } from './fixes/fix-all.js';
import { DcplanLspModule } from './lsp/lsp-module.js';
import { DcplanNodeKindProvider } from './lsp/node-kinds.js';
import { DcplanLanguageServer } from './lsp/language-server.js';
import { useDcplanCstBuilder } from './overrides/cst-builder.js';
import {
    containRequests,
    DcplanDocumentBuilder,
    DcplanWorkspaceManager,
    setInternalErrorLog
} from './overrides/containment.js';
import { DcplanDocumentUpdateHandler } from './overrides/document-update-handler.js';
import { DcplanDocumentFactory } from './overrides/publishing.js';
import { isPlanDocument } from './plan-files.js';
import { DcplanExecuteCommandHandler } from './lsp/commands.js';

/** Services added by dcplan to Langium's defaults. */
export type DcplanAddedServices = {
    validation: {
        DcplanValidator: DcplanValidator;
    };
    analysis: {
        PlanAnalyzer: PlanAnalyzer;
    };
    fixes: {
        /** The sandbox of the fix-all code action (made when first asked). */
        Sandbox: FixSandbox;
    };
};

/** All services of the dcplan language. */
export type DcplanServices = LangiumServices & DcplanAddedServices;

/** dcplan's own services and overrides of Langium's core ones. */
export const DcplanModule: Module<
    DcplanServices,
    PartialLangiumCoreServices & PartialLangiumServices & DcplanAddedServices
> = {
    parser: {
        LangiumParser: services => useDcplanCstBuilder(createLangiumParser(services)),
        // names with any letter, lexed with the first-character optimisation (overrides/token-builder.ts)
        TokenBuilder: () => new DcplanTokenBuilder()
    },
    validation: {
        DcplanValidator: () => new DcplanValidator(),
        DocumentValidator: services => new DcplanDocumentValidator(services),
        ValidationRegistry: services => new DcplanValidationRegistry(services)
    },
    analysis: {
        PlanAnalyzer: services => new PlanAnalyzer(services)
    },
    fixes: {
        Sandbox: () => new FixSandbox(() => createDcplanServices({ ...EmptyFileSystem }))
    },
    references: {
        ScopeProvider: services => new DcplanScopeProvider(services),
        ScopeComputation: services => new DcplanScopeComputation(services),
        Linker: services => new DcplanLinker(services)
    },
    workspace: {
        ReferenceDescriptionProvider: services => new DcplanReferenceDescriptionProvider(services)
    }
};

/**
 * Langium's service registry, telling plans from other files (plan-files.ts).
 *
 * `hasServices` decides what the workspace holds and the editor serves, by `isPlanDocument`: a
 * `.dcplan` file (unless open as another language), or an untitled buffer open as `dcplan`.
 * The workspace scan (Langium's traversal asks `hasServices`), the update handler and every
 * request handler ask it, so a `.py` file that starts with `import`, a README or `a.dcplan.bak`
 * is never indexed, built, reported, renamed or searched, even when opened as `dcplan`.
 *
 * `getServices` answers for any URI asked explicitly (with one language, every document given to
 * the parser is dcplan's): a file named on the command line whatever its name, the fix sandbox,
 * and an untitled document, which has neither an extension nor, once its editor is closed, a
 * language id, and which Langium still rebuilds on the next change.
 */
export class DcplanServiceRegistry extends DefaultServiceRegistry {
    override getServices(uri: URI): LangiumCoreServices {
        try {
            return super.getServices(uri);
        } catch (e) {
            if (this.all.length === 1) return this.all[0];
            throw e;
        }
    }

    override hasServices(uri: URI): boolean {
        return isPlanDocument(uri, this.textDocuments?.get(uri)?.languageId);
    }
}

/**
 * Creates the shared and the language services. `context.fileSystemProvider` decides where files
 * come from (`NodeFileSystem` for the server and the CLI, `EmptyFileSystem` for tests in memory);
 * `context.connection` is set when serving LSP.
 */
export function createDcplanServices(context: DefaultSharedModuleContext): {
    shared: LangiumSharedServices;
    Dcplan: DcplanServices;
} {
    const shared = inject(createDefaultSharedModule(context), DcplanGeneratedSharedModule, {
        lsp: {
            NodeKindProvider: () => new DcplanNodeKindProvider(),
            LanguageServer: services => new DcplanLanguageServer(services),
            // only plans are built (overrides/document-update-handler.ts)
            DocumentUpdateHandler: services => new DcplanDocumentUpdateHandler(services),
            // the code lenses' command, for clients without dcplan's extension (lsp/commands.ts)
            ExecuteCommandHandler: services => new DcplanExecuteCommandHandler(services)
        },
        ServiceRegistry: services => new DcplanServiceRegistry(services),
        workspace: {
            IndexManager: services => new DcplanIndexManager(services),
            DocumentBuilder: services => new DcplanDocumentBuilder(services),
            // records the version of the open text a document is parsed from (overrides/publishing.ts)
            LangiumDocumentFactory: services => new DcplanDocumentFactory(services),
            WorkspaceManager: services => new DcplanWorkspaceManager(services)
        }
    });
    if (context.connection) {
        // stacks of contained exceptions go to the client's log
        const console = context.connection.console;
        setInternalErrorLog(text => console.error(text));
    }
    const Dcplan = inject(
        createDefaultModule({ shared }),
        DcplanGeneratedModule,
        DcplanModule,
        DcplanLspModule
    );
    shared.ServiceRegistry.register(Dcplan);
    registerValidationChecks(Dcplan);
    if (context.connection) {
        // A request that fails is logged with its stack (overrides/containment.ts). This makes every
        // provider at once, as the server does anyway when it states its capabilities; the CLI
        // and the tests, which create services often and use few providers, keep them lazy.
        containRequests(Dcplan.lsp);
    }
    if (!context.connection) {
        // Without a connection (CLI, tests) there is no configuration provider to wait for.
        shared.workspace.ConfigurationProvider.initialized({});
    }
    return { shared, Dcplan };
}

export type { LangiumCoreServices };
