/**
 * Requests about a document that is not a plan (plan-files.ts: `notes.txt` or `a.dcplan.bak`
 * opened as `dcplan`) answered `null`, as "nothing here". Langium answers most of them so itself
 * (its request handler asks the service registry); the handlers it registers for code lenses,
 * document links, inlay hints and semantic tokens instead throw "Could not find service
 * instance", which reached the client as an internal error. The builder's `waitUntil` lets such
 * a request through without waiting (overrides/containment.ts).
 */
import { URI } from 'langium';
import type { Connection } from 'vscode-languageserver';

type Handler = (params: { textDocument: { uri: string } }, ...rest: unknown[]) => unknown;

/**
 * Wraps the connection's registrations of the handlers above so that each answers `null` for a
 * URI `isPlan` rejects. Call before the server registers its handlers (`startLanguageServer`).
 */
export function answerPlansOnly(connection: Connection, isPlan: (uri: URI) => boolean): void {
    const gated =
        (handler: Handler): Handler =>
        (params, ...rest) =>
            isPlan(URI.parse(params.textDocument.uri)) ? handler(params, ...rest) : null;
    const wrap = (owner: object, names: readonly string[]) => {
        const methods = owner as Record<string, ((h: Handler) => unknown) | undefined>;
        for (const name of names) {
            const register = methods[name]?.bind(owner);
            if (!register) continue;
            Object.defineProperty(owner, name, {
                value: (handler: Handler) => register(gated(handler)),
                configurable: true
            });
        }
    };
    wrap(connection, ['onCodeLens', 'onDocumentLinks']);
    // these two are getters that make a new object per access: keep one, wrapped
    const languages = connection.languages;
    for (const feature of ['semanticTokens', 'inlayHint'] as const) {
        const api = languages[feature];
        wrap(api, ['on', 'onDelta', 'onRange']);
        Object.defineProperty(languages, feature, { value: api, configurable: true });
    }
}
