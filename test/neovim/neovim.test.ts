/**
 * Neovim as a user runs it: `nvim --headless` with the init.lua of the docs (the `neovim-0.7`
 * block of docs/lsp.md, the same as README.md's, extracted here so the docs cannot drift) and
 * `dcplan-language-server` on the PATH (a wrapper of bin/dcplan-language-server.cjs, as
 * `npm link` installs it). test/neovim/drive.lua opens a copy of seed-reference.dcplan with two
 * lines out of format in a git repository, waits for the client to attach and for the
 * diagnostics, hovers `proxy_4c`, applies the preferred proxy-split quick fix, formats, and
 * writes what it saw to JSON; asserted here: the exact diagnostic codes and lines, the hover, the
 * text after the action and after formatting, and the diagnostics the server sends for it.
 *
 * CI (.ci/run) installs Debian's `neovim` (0.7.2 on Debian 12); the test is skipped only when no
 * `nvim` is installed, and says so.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DCPLAN_LEGEND_TYPES, decodeTokens } from '../helpers/semantic-tokens.js';

const ROOT = path.resolve(__dirname, '../..');
const version = (() => {
    const r = spawnSync('nvim', ['--version'], { encoding: 'utf8' });
    return r.status === 0 ? /NVIM v(\S+)/.exec(r.stdout)?.[1] : undefined;
})();
if (!version)
    console.warn(
        "test/neovim: skipped, no `nvim` on the PATH (CI installs Debian's neovim: .ci/run)"
    );

/** The Lua block after the marker `<!-- neovim-0.7 … -->` in `file`, without the list indentation. */
function luaBlock(file: string): string {
    const text = readFileSync(path.join(ROOT, file), 'utf8');
    const m = /^( *)<!-- neovim-0\.7\b[^>]*-->\n\1```lua\n([\s\S]*?)\n\1```/m.exec(text);
    if (!m) throw new Error(`${file}: no \`<!-- neovim-0.7 -->\` Lua block`);
    return (
        m[2]
            .split('\n')
            .map(l => l.slice(m[1].length))
            .join('\n') + '\n'
    );
}

const work = mkdtempSync(path.join(tmpdir(), 'dcplan-nvim-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe.skipIf(!version)(
    `Neovim ${version ?? '(not installed)'} with the configuration of the docs`,
    () => {
        it('README.md and docs/lsp.md give the same configuration', () => {
            expect(luaBlock('README.md')).toBe(luaBlock('docs/lsp.md'));
            expect(luaBlock('docs/lsp.md')).toContain('vim.lsp.start_client({');
        });

        it('attaches, publishes the diagnostics, hovers, applies a quick fix and formats', () => {
            const bin = path.join(work, 'bin');
            const project = path.join(work, 'project');
            mkdirSync(bin);
            mkdirSync(path.join(project, '.git'), { recursive: true });
            writeFileSync(
                path.join(bin, 'dcplan-language-server'),
                `#!/bin/sh\nexec "${process.execPath}" "${path.join(ROOT, 'bin/dcplan-language-server.cjs')}" "$@"\n`
            );
            chmodSync(path.join(bin, 'dcplan-language-server'), 0o755);
            writeFileSync(path.join(work, 'init.lua'), luaBlock('docs/lsp.md'));
            const example = readFileSync(path.join(ROOT, 'examples/seed-reference.dcplan'), 'utf8');
            // two lines out of format, for the formatter to put back
            const plan = example
                .replace('deploy 8 x backend_8c', 'deploy   8 x  backend_8c')
                .replace('  hypervisor_cores  = 2', 'hypervisor_cores = 2');
            expect(plan).not.toBe(example);
            const file = path.join(project, 'plan.dcplan');
            writeFileSync(file, plan);
            const out = path.join(work, 'out.json');
            const r = spawnSync(
                'nvim',
                [
                    '--headless',
                    '-i',
                    'NONE',
                    '-n',
                    '-u',
                    path.join(work, 'init.lua'),
                    '-c',
                    `luafile ${path.join(__dirname, 'drive.lua')}`
                ],
                {
                    encoding: 'utf8',
                    timeout: 120_000,
                    env: {
                        ...process.env,
                        PATH: `${bin}:${process.env.PATH}`,
                        PLAN: file,
                        OUT: out,
                        CODE: 'proxy-split',
                        DIAGNOSTICS: '6',
                        XDG_CONFIG_HOME: path.join(work, 'config'),
                        XDG_DATA_HOME: path.join(work, 'data'),
                        XDG_STATE_HOME: path.join(work, 'state'),
                        XDG_CACHE_HOME: path.join(work, 'cache')
                    }
                }
            );
            expect(r.error, r.stderr).toBeUndefined();
            const seen = JSON.parse(readFileSync(out, 'utf8'));
            expect(seen.error).toBeUndefined();
            expect(seen.steps).toEqual([
                'attached',
                'diagnostics',
                'hover',
                'code action',
                'formatting',
                'semantic tokens',
                'code lens'
            ]);
            expect(seen.ok).toBe(true);
            expect(seen.filetype).toBe('dcplan');
            expect(seen.client).toEqual({ name: 'dcplan', root: project, count: 1 });

            const lines = plan.split('\n');
            const lineOf = (prefix: string) => lines.findIndex(l => l.startsWith(prefix));
            const brief = (ds: { code: string; lnum: number; col: number }[]) =>
                ds.map(d => [d.code, d.lnum, d.col]);
            expect(brief(seen.diagnostics)).toEqual([
                ['backend-split', lineOf('shape backend_8c'), 44],
                ['director-split', lineOf('shape director_4c'), 44],
                ['login-idle-cores', lineOf('shape proxy_4c'), 44],
                ['proxy-split', lineOf('shape proxy_4c'), 44],
                ['unplaceable', lineOf('deploy 3 x proxy_4c'), 0],
                ['unplaceable', lineOf('deploy 3 x director_4c'), 0]
            ]);
            expect(seen.hover.split('\n\n').slice(0, 3)).toEqual([
                '**shape `proxy_4c`** — proxy, 4 cores, 8 GiB per instance',
                '3 instances: 12 cores, 24 GiB in all.',
                'Maintenance impact: **33.3%** — one instance down takes 4 of the 12 proxy cores.'
            ]);

            expect(seen.actions).toEqual([
                'Split into 12 × 1-core proxies (maintenance impact 8.3%)'
            ]);
            expect(seen.applied).toBe('Split into 12 × 1-core proxies (maintenance impact 8.3%)');
            const fixed = plan
                .replace(
                    'shape proxy_4c    { role = proxy    cores = 4  memory = 8 GiB }',
                    'shape proxy_1c    { role = proxy    cores = 1  memory = 2 GiB }'
                )
                .replace('deploy 3 x proxy_4c', 'deploy 12 x proxy_1c');
            expect(seen.after_action.join('\n')).toBe(fixed.replace(/\n$/, ''));
            const formatted = fixed
                .replace('deploy 3 x director_4c', 'deploy 3  x director_4c')
                .replace('deploy   8 x  backend_8c', 'deploy 8  x backend_8c')
                .replace('\nhypervisor_cores = 2', '\n  hypervisor_cores  = 2');
            expect(seen.after_format.join('\n')).toBe(formatted.replace(/\n$/, ''));

            // the server re-checked the new text: the proxies are split, so no proxy-split, login-idle-cores or unplaceable
            expect(seen.diagnostics_after.map((d: { code: string }) => d.code)).toEqual([
                'backend-split',
                'director-split',
                'host-failure',
                'role-concentration'
            ]);
            // semantic tokens (issue 14): the server answers Neovim's client with every kind of token
            // of the plan (no ring or rack in it: no `namespace`); Neovim 0.7 has no
            // vim.lsp.semantic_tokens to apply them, so this is checked at the LSP level
            expect(seen.semantic.legend.tokenTypes).toEqual(DCPLAN_LEGEND_TYPES);
            const tokens = (seen.semantic.responses as number[][]).flatMap(data =>
                decodeTokens(data, seen.semantic.legend)
            );
            expect([...new Set(tokens.map(t => t.type))].sort()).toEqual([
                'class',
                'comment',
                'enumMember',
                'event',
                'keyword',
                'number',
                'property',
                'string',
                'struct',
                'type',
                'variable'
            ]);
            expect(tokens.length).toBeGreaterThan(60);
            // a code lens runs: the server executes its command, Neovim says nothing about it
            expect(seen.lens.command).toBe('dcplan.showInstances');
            expect(seen.notified).toEqual([]);
            expect(seen.executed.err).toBeUndefined();
            const hostLine = lines.findIndex(l => l.startsWith('host hv[01..04]'));
            expect(seen.executed.result).toEqual([
                {
                    uri: expect.stringMatching(/plan\.dcplan$/),
                    range: {
                        start: { line: hostLine, character: 5 },
                        end: { line: hostLine, character: 15 }
                    }
                }
            ]);
            expect(seen.alive).toBe(true);
        }, 150_000);
    }
);
