/**
 * The LSP providers of dcplan (code actions, hover, completion, formatter, …), wired as one
 * Langium module so that each provider lives in its own file of `lsp/`.
 */
import type { Module } from 'langium';
import type { PartialLangiumServices } from 'langium/lsp';
import type { DcplanServices } from '../dcplan-module.js';
import { DcplanDocumentSymbolProvider } from './symbols.js';
import { DcplanFoldingRangeProvider } from './folding.js';
import { DcplanSemanticTokenProvider } from './semantic-tokens.js';
import { DcplanReferencesProvider, DcplanRenameProvider } from './rename.js';
import { DcplanCompletionProvider } from './completion.js';
import { DcplanFormatter } from './formatter.js';
import { DcplanCodeActionProvider } from './code-actions.js';
import { DcplanHoverProvider } from './hover.js';
import { DcplanInlayHintProvider } from './inlay-hints.js';
import { DcplanCodeLensProvider } from './code-lens.js';
import { DcplanDefinitionProvider, DcplanDocumentLinkProvider } from './import-links.js';

/** Overrides of Langium's LSP services; each entry names the file that implements it. */
export const DcplanLspModule: Module<DcplanServices, PartialLangiumServices> = {
    lsp: {
        DocumentSymbolProvider: () => new DcplanDocumentSymbolProvider(), // symbols.ts
        FoldingRangeProvider: services => new DcplanFoldingRangeProvider(services), // folding.ts
        SemanticTokenProvider: services => new DcplanSemanticTokenProvider(services), // semantic-tokens.ts
        RenameProvider: services => new DcplanRenameProvider(services), // rename.ts
        ReferencesProvider: services => new DcplanReferencesProvider(services), // rename.ts
        CompletionProvider: services => new DcplanCompletionProvider(services), // completion.ts
        Formatter: services => new DcplanFormatter(services), // formatter.ts
        CodeActionProvider: services => new DcplanCodeActionProvider(services), // code-actions.ts
        HoverProvider: services => new DcplanHoverProvider(services), // hover.ts
        InlayHintProvider: services => new DcplanInlayHintProvider(services), // inlay-hints.ts
        CodeLensProvider: services => new DcplanCodeLensProvider(services), // code-lens.ts
        DocumentLinkProvider: services => new DcplanDocumentLinkProvider(services), // import-links.ts
        DefinitionProvider: services => new DcplanDefinitionProvider(services) // import-links.ts
    }
};
