/**
 * The client's provider calls are quiet while the client is not running (issue 14: every window
 * reload logged "provider FAILED / Starting server failed"), and fail as before while it runs.
 */
import { describe, expect, it } from 'vitest';
import { quietWhenStopped } from '../../src/extension/quiet-when-stopped.js';

type Next = (doc: string, token: number) => Promise<string>;
type Middleware = {
    provideHover?: (doc: string, token: number, next: Next) => Promise<string>;
    didOpen?: (doc: string, next: () => void) => void;
};

const failing: Next = async () => {
    throw new Error('Starting server failed');
};

describe('quietWhenStopped', () => {
    it('a provider without middleware of its own calls next; a failure once stopped answers undefined', async () => {
        let running = true;
        const m = quietWhenStopped<Middleware>({}, () => running);
        expect(await m.provideHover!('a.dcplan', 1, async (doc, token) => `${doc} ${token}`)).toBe(
            'a.dcplan 1'
        );
        // the failure happens while the client stops
        const stopping: Next = async () => {
            running = false;
            throw new Error('Starting server failed');
        };
        expect(await m.provideHover!('a.dcplan', 1, stopping)).toBeUndefined();
        // once stopped, the client's "Client is not running" is quiet too
        expect(
            await m.provideHover!('a.dcplan', 1, async () => {
                throw new Error('Client is not running');
            })
        ).toBeUndefined();
    });

    it("while running, a failure is thrown on; the middleware's own provider is used; other hooks are untouched", async () => {
        const didOpen = () => undefined;
        const m = quietWhenStopped<Middleware>(
            { provideHover: async (doc, token, next) => (await next(doc, token)) + '!', didOpen },
            () => true
        );
        await expect(m.provideHover!('a.dcplan', 1, failing)).rejects.toThrow(
            'Starting server failed'
        );
        expect(await m.provideHover!('a.dcplan', 2, async (doc, token) => `${doc} ${token}`)).toBe(
            'a.dcplan 2!'
        );
        expect(m.didOpen).toBe(didOpen);
    });
});
