/**
 * Code lenses carry a command every client can run (issue 14): `dcplan.showInstances` with
 * `[uri, position, locations]`, listed in `executeCommandProvider`, so Neovim runs a lens through
 * `workspace/executeCommand` (no "Language server does not support command ``"): the server opens
 * the first location with `window/showDocument` and answers with the locations; an unknown command
 * is a JSON-RPC error that names it. Over stdio.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
    CodeLensRequest,
    ExecuteCommandRequest,
    type CodeLens
} from 'vscode-languageserver-protocol/node.js';
import { startStdioServer, type LanguageFeatureServer } from './stdio.js';

let server: LanguageFeatureServer;
beforeAll(async () => {
    server = await startStdioServer({ window: { showDocument: { support: true } } });
}, 60_000);
afterAll(async () => {
    await server?.stop();
});

const FILE = path.resolve(__dirname, '../../examples/overcommit.dcplan');
const URI = pathToFileURL(FILE).toString();
const range = (l1: number, c1: number, l2: number, c2: number) => ({
    start: { line: l1, character: c1 },
    end: { line: l2, character: c2 }
});

describe('code lens commands', () => {
    let lenses: CodeLens[];
    beforeAll(async () => {
        await server.open(URI, readFileSync(FILE, 'utf8'));
        lenses = (await server.conn.sendRequest(CodeLensRequest.type, {
            textDocument: { uri: URI }
        }))!;
    });

    it('the server lists the command it executes', () => {
        expect(server.init.capabilities.executeCommandProvider).toEqual({
            commands: ['dcplan.showInstances']
        });
    });

    it('each lens shows where the instances are: the hosts of a deployment, the deployments on a host', () => {
        expect(lenses.map(l => [l.range.start.line, l.command!.command, l.command!.title])).toEqual(
            [
                [14, 'dcplan.showInstances', 'proxy maintenance impact 50% · hv01 2'],
                [15, 'dcplan.showInstances', 'backend maintenance impact 16.7% · hv01 5, hv02 1'],
                [
                    17,
                    'dcplan.showInstances',
                    'overcommitted · 24 / 22 vCPUs · 248 / 112 GiB · host lost: 100% of sessions'
                ],
                [
                    23,
                    'dcplan.showInstances',
                    '4 / 22 vCPUs · 48 / 112 GiB · host lost: 16.7% of sessions'
                ]
            ]
        );
        expect(lenses[1].command!.arguments).toEqual([
            URI,
            { line: 15, character: 0 },
            [
                { uri: URI, range: range(17, 5, 17, 9) },
                { uri: URI, range: range(23, 5, 23, 9) }
            ]
        ]);
        expect(lenses[3].command!.arguments).toEqual([
            URI,
            { line: 23, character: 0 },
            [{ uri: URI, range: range(15, 0, 15, 21) }]
        ]);
        expect(lenses[2].command!.arguments).toEqual([
            URI,
            { line: 17, character: 0 },
            [
                { uri: URI, range: range(14, 0, 14, 19) },
                { uri: URI, range: range(15, 0, 15, 21) }
            ]
        ]);
    });

    it('the server executes a lens: opens the first location, answers with all', async () => {
        const { command, arguments: args } = lenses[1].command!;
        const result = await server.conn.sendRequest(ExecuteCommandRequest.type, {
            command,
            arguments: args
        });
        expect(result).toEqual(args![2]);
        expect(server.shown).toEqual([
            { uri: URI, takeFocus: true, selection: range(17, 5, 17, 9) }
        ]);
    });

    it('refuses arguments of the wrong form with a reason', async () => {
        await expect(
            server.conn.sendRequest(ExecuteCommandRequest.type, {
                command: 'dcplan.showInstances',
                arguments: [URI]
            })
        ).rejects.toThrow('dcplan.showInstances takes [uri, position, locations]');
    });

    it('answers an unknown command with a JSON-RPC error that names it, not null', async () => {
        const error = await server.conn
            .sendRequest(ExecuteCommandRequest.type, { command: 'dcplan.nope', arguments: [] })
            .then(
                () => undefined,
                (e: unknown) => e as { code: number; message: string }
            );
        expect(error && { code: error.code, message: error.message }).toEqual({
            code: -32602,
            message: "unknown command 'dcplan.nope': this server executes dcplan.showInstances"
        });
    });
});
