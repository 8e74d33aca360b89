/**
 * The language client's middleware with every provider call (`provide…`, `prepare…`,
 * `resolve…`) answering nothing instead of failing while the client is not running. On a window
 * reload VS Code deactivates the extension — the client stops — while it still asks the
 * providers of the open editors (code lenses, semantic tokens, inlay hints, …); the language
 * client then throws "Starting server failed" (or "Client is not running"), and VS Code logged
 * each as "provider FAILED". A failure while the client runs is thrown on as it was. Pure: no
 * vscode API.
 */

/** `middleware` with its provider calls (its own or, where it has none, the client's `next`) quiet while `running()` is false. */
export function quietWhenStopped<T extends object>(middleware: T, running: () => boolean): T {
    return new Proxy(middleware, {
        get(target, key, receiver) {
            const own = Reflect.get(target, key, receiver) as unknown;
            if (typeof key !== 'string' || !/^(provide|prepare|resolve)[A-Z]/.test(key)) return own;
            return async (...args: unknown[]) => {
                try {
                    if (typeof own === 'function')
                        return await (own as (...a: unknown[]) => unknown).apply(target, args);
                    return await (args[args.length - 1] as (...a: unknown[]) => unknown)(
                        ...args.slice(0, -1)
                    );
                } catch (err) {
                    if (!running()) return undefined;
                    throw err;
                }
            };
        }
    });
}
