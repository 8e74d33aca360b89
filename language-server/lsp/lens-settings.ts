/**
 * The settings that turn the figures beside the text off: `dcplan.inlayHints.enabled` and
 * `dcplan.codeLens.enabled` (both default on), read through Langium's ConfigurationProvider
 * (section `dcplan`). When they change, the client is asked to refresh hints and lenses.
 */
import type { LangiumSharedServices } from 'langium/lsp';
import { CodeLensRefreshRequest } from 'vscode-languageserver';

/** The two feature switches. */
export type FigureFeature = 'inlayHints' | 'codeLens';

/** Whether `feature` is on: `dcplan.<feature>.enabled`, default true. */
export async function figureFeatureEnabled(
    shared: LangiumSharedServices,
    feature: FigureFeature
): Promise<boolean> {
    const section = (await shared.workspace.ConfigurationProvider.getConfiguration(
        'dcplan',
        feature
    )) as { enabled?: unknown } | undefined;
    return section?.enabled !== false;
}

const watched = new WeakSet<object>();

/**
 * Asks the client to refresh inlay hints and code lenses whenever the `dcplan` settings change
 * (once per server), each only where the client said it supports the refresh request
 * (`workspace.inlayHint.refreshSupport`, `workspace.codeLens.refreshSupport`): a request the
 * client does not know is an error on its side.
 */
export function refreshOnSettingsChange(shared: LangiumSharedServices): void {
    const configuration = shared.workspace.ConfigurationProvider;
    if (watched.has(configuration)) return;
    watched.add(configuration);
    let hints = false,
        lenses = false;
    shared.lsp.LanguageServer.onInitialize(params => {
        hints = params.capabilities.workspace?.inlayHint?.refreshSupport === true;
        lenses = params.capabilities.workspace?.codeLens?.refreshSupport === true;
    });
    configuration.onConfigurationSectionUpdate(update => {
        const connection = shared.lsp.Connection;
        if (update.section !== 'dcplan' || !connection) return;
        if (hints) connection.languages.inlayHint.refresh().catch(() => undefined);
        if (lenses) connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    });
}
