/**
 * `dcplan/report` waits for its own document, not for the whole workspace: after an open,
 * Langium validates every plan of the workspace (this repository: over a hundred, the
 * regression fixtures among them), and a report that waited for all of them went unanswered
 * for minutes on a loaded machine (and for ever with no document open).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ReportRequest } from '../../src/protocol.js';
import { startStdioServer, type LanguageFeatureServer } from './stdio.js';

let server: LanguageFeatureServer;
beforeAll(async () => {
    server = await startStdioServer(); // rooted at the repository
}, 60_000);
afterAll(async () => {
    await server?.stop();
});

describe('dcplan/report in a workspace of many plans', () => {
    it('answers for a document it does not know: no report', async () => {
        const uri = 'file:///tmp/dcplan-report-wait/none.dcplan';
        expect(await server.conn.sendRequest(ReportRequest, { uri })).toEqual({
            uri,
            version: 0,
            report: null,
            stale: false
        });
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
