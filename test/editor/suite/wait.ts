/** Waiting in the extension-host suites: every wait has a timeout, so a broken run fails instead of hanging. */

/** How long a suite waits for the language server or the preview, ms. */
export const WAIT = 30_000;

/** Re-runs `check` every 100 ms until it gives a value (not undefined or false); fails after `ms`. */
export async function until<T>(
    what: string,
    check: () => T | undefined | false | Promise<T | undefined | false>,
    ms = WAIT
): Promise<T> {
    const end = Date.now() + ms;
    for (;;) {
        const value = await check();
        if (value !== undefined && value !== false) return value;
        if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
        await new Promise(r => setTimeout(r, 100));
    }
}
