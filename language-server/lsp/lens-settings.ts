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

/** Asks the client to refresh inlay hints and code lenses whenever the `dcplan` settings change (once per server). */
export function refreshOnSettingsChange(shared: LangiumSharedServices): void {
    const configuration = shared.workspace.ConfigurationProvider;
    if (watched.has(configuration)) return;
    watched.add(configuration);
    configuration.onConfigurationSectionUpdate(update => {
        const connection = shared.lsp.Connection;
        if (update.section !== 'dcplan' || !connection) return;
        connection.languages.inlayHint.refresh().catch(() => undefined);
        connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
    });
}
