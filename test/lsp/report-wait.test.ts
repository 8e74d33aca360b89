/**
 * `dcplan/report` waits for its own document, not for the whole workspace: after an open,
 * Langium validates every plan of the workspace (this repository: over a hundred, the
 * regression fixtures among them), and a report that waited for all of them went unanswered
 * for minutes on a loaded machine (and for ever with no document open).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OptimalRequest, ReportRequest } from '../../src/protocol.js';
import { startStdioServer, type LanguageFeatureServer } from './stdio.js';

let server: LanguageFeatureServer;
beforeAll(async () => {
    server = await startStdioServer(); // rooted at the repository
}, 60_000);
afterAll(async () => {
    await server?.stop();
});

describe('dcplan/report in a workspace of many plans', () => {
    it('refuses a plan it does not know (neither open nor on disk) with RequestFailed, as hover does', async () => {
        const uri = 'file:///tmp/dcplan-report-wait/none.dcplan';
        const refused = await server.conn.sendRequest(ReportRequest, { uri }).then(
            () => undefined,
            (e: { code: number; message: string }) => ({ code: e.code, message: e.message })
        );
        expect(refused).toEqual({
            code: -32803,
            message: `no document ${uri}: it is not open, and no plan of the workspace has that name`
        });
        const optimal = await server.conn.sendRequest(OptimalRequest, { uri }).then(
            () => undefined,
            (e: { code: number; message: string }) => ({ code: e.code, message: e.message })
        );
        expect(optimal).toEqual(refused);
    });

    it('answers for an open document with its report', async () => {
        const uri = 'file:///tmp/dcplan-report-wait/open.dcplan';
        await server.open(
            uri,
            'shape s { role = proxy cores = 1 memory = 2 GiB }\ndeploy 2 x s\nhost h { cores = 4 memory = 16 GiB }\n'
        );
        const answer = await server.conn.sendRequest(ReportRequest, { uri });
        expect(answer.uri).toBe(uri);
        expect(answer.report?.totals.placedCores).toBe(2);
        expect(answer.report?.unplaced).toEqual([]);
    });
});
