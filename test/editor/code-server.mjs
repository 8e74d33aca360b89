// Helpers for the editor tests that run in a real VS Code workbench: code-server 4.100.3 (VS Code
// 1.100.3, the last one on Node 20) from the npm registry, driven by Debian's Chromium through
// playwright-core. Used by run-code-server.mjs (the extension-host suite) and ui.mjs (the UI).
//
// code-server is installed once into a cache folder (DCPLAN_CODE_SERVER_DIR, default
// ~/.cache/dcplan/code-server-4.100.3). Its install needs the Debian packages build-essential
// python3 pkg-config libkrb5-dev ripgrep (and chromium for the browser).
import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

export const CODE_SERVER_VERSION = '4.100.3';
export const REPO = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
export const CACHE =
    process.env.DCPLAN_CODE_SERVER_DIR ??
    path.join(
        process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'),
        'dcplan',
        `code-server-${CODE_SERVER_VERSION}`
    );
export const CODE_SERVER = path.join(CACHE, 'node_modules', '.bin', 'code-server');
export const CHROMIUM = process.env.DCPLAN_CHROMIUM ?? '/usr/bin/chromium';

const T0 = Date.now();
export const log = (...a) => console.log(`[${((Date.now() - T0) / 1000).toFixed(1)}s]`, ...a);

/** Installs code-server into the cache folder when it is not there yet. */
export function ensureCodeServer() {
    if (fs.existsSync(CODE_SERVER) && fs.existsSync(path.join(CACHE, '.complete')))
        return CODE_SERVER;
    for (const tool of ['rg', 'make', 'g++', 'python3']) {
        try {
            execFileSync('which', [tool], { stdio: 'ignore' });
        } catch {
            throw new Error(
                `code-server's install needs '${tool}': apt-get install -y build-essential python3 pkg-config libkrb5-dev ripgrep`
            );
        }
    }
    log('installing code-server', CODE_SERVER_VERSION, 'into', CACHE);
    fs.rmSync(CACHE, { recursive: true, force: true });
    const tmp = path.join(CACHE, 'tmp');
    fs.mkdirSync(tmp, { recursive: true });
    // @vscode/ripgrep's postinstall downloads rg from GitHub, which is not reachable: give it
    // Debian's rg in the download cache it looks into first.
    const rgCache = path.join(tmp, 'vscode-ripgrep-cache-1.15.11');
    fs.mkdirSync(path.join(rgCache, 'stage'), { recursive: true });
    fs.copyFileSync(
        execFileSync('which', ['rg'], { encoding: 'utf8' }).trim(),
        path.join(rgCache, 'stage', 'rg')
    );
    execFileSync('tar', [
        'czf',
        path.join(rgCache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz'),
        '-C',
        path.join(rgCache, 'stage'),
        'rg'
    ]);
    fs.writeFileSync(
        path.join(CACHE, 'package.json'),
        JSON.stringify({ name: 'dcplan-code-server', private: true })
    );
    // A local install (with -g --prefix its nested install of lib/vscode breaks). As root its
    // postinstall needs unsafe-perm, and node-pty's runs `npx node-gyp` (yes=true).
    execFileSync(
        'npm',
        [
            'install',
            `code-server@${CODE_SERVER_VERSION}`,
            '--no-audit',
            '--no-fund',
            '--foreground-scripts'
        ],
        {
            cwd: CACHE,
            stdio: ['ignore', 'inherit', 'inherit'],
            timeout: 20 * 60_000,
            env: {
                ...process.env,
                TMPDIR: tmp,
                npm_config_unsafe_perm: 'true',
                npm_config_yes: 'true'
            }
        }
    );
    fs.writeFileSync(path.join(CACHE, '.complete'), new Date().toISOString());
    log('code-server installed');
    return CODE_SERVER;
}

export function freePort() {
    return new Promise((resolve, reject) => {
        const s = net.createServer();
        s.listen(0, '127.0.0.1', () => {
            const p = s.address().port;
            s.close(() => resolve(p));
        });
        s.on('error', reject);
    });
}

async function waitHttp(url, ms) {
    const end = Date.now() + ms;
    while (Date.now() < end) {
        try {
            const r = await fetch(url, { redirect: 'manual' });
            if (r.status < 500) return;
        } catch {
            /* not up yet */
        }
        await new Promise(r => setTimeout(r, 150));
    }
    throw new Error(`code-server did not answer ${url} within ${ms} ms`);
}

/** A fresh run folder: user data with quiet settings, extensions, XDG dirs, a workspace. */
export function makeRunDir(name) {
    const run = path.join(REPO, 'test-results', name);
    fs.rmSync(run, { recursive: true, force: true });
    for (const d of ['data/User', 'exts', 'workspace', 'xdg/config', 'xdg/data', 'xdg/cache'])
        fs.mkdirSync(path.join(run, d), { recursive: true });
    fs.writeFileSync(
        path.join(run, 'data/User/settings.json'),
        JSON.stringify(
            {
                'workbench.startupEditor': 'none',
                'workbench.tips.enabled': false,
                'security.workspace.trust.enabled': false,
                'telemetry.telemetryLevel': 'off',
                'update.mode': 'none',
                'extensions.autoCheckUpdates': false,
                'extensions.autoUpdate': false,
                'extensions.ignoreRecommendations': true,
                'workbench.enableExperiments': false,
                'window.commandCenter': false,
                'chat.commandCenter.enabled': false,
                'workbench.colorTheme': process.env.DCPLAN_THEME ?? 'Default Light Modern',
                'editor.minimap.enabled': false,
                'files.autoSave': 'off',
                'git.enabled': false,
                'git.openRepositoryInParentFolders': 'never'
            },
            null,
            1
        )
    );
    const env = {
        ...process.env,
        XDG_CONFIG_HOME: path.join(run, 'xdg/config'),
        XDG_DATA_HOME: path.join(run, 'xdg/data'),
        XDG_CACHE_HOME: path.join(run, 'xdg/cache')
    };
    return {
        run,
        env,
        data: path.join(run, 'data'),
        exts: path.join(run, 'exts'),
        workspace: path.join(run, 'workspace')
    };
}

/** Installs a .vsix into the run's extensions folder. */
export function installVsix(dir, vsix) {
    execFileSync(
        CODE_SERVER,
        ['--user-data-dir', dir.data, '--extensions-dir', dir.exts, '--install-extension', vsix],
        { env: dir.env, stdio: 'pipe', timeout: 120_000 }
    );
}

/** Starts code-server in its own process group; returns { base, stop }. */
export async function startCodeServer(dir) {
    const port = await freePort();
    const out = fs.openSync(path.join(dir.run, 'code-server.log'), 'w');
    const child = spawn(
        CODE_SERVER,
        [
            '--bind-addr',
            `127.0.0.1:${port}`,
            '--auth',
            'none',
            '--disable-telemetry',
            '--disable-update-check',
            '--disable-workspace-trust',
            '--disable-getting-started-override',
            '--user-data-dir',
            dir.data,
            '--extensions-dir',
            dir.exts,
            dir.workspace
        ],
        { env: dir.env, detached: true, stdio: ['ignore', out, out] }
    );
    const stop = async () => {
        try {
            process.kill(-child.pid, 'SIGTERM');
        } catch {
            /* gone */
        }
        await new Promise(r => setTimeout(r, 700));
        try {
            process.kill(-child.pid, 'SIGKILL');
        } catch {
            /* gone */
        }
    };
    const base = `http://127.0.0.1:${port}`;
    try {
        await waitHttp(`${base}/healthz`, 60_000);
    } catch (e) {
        await stop();
        throw e;
    }
    log('code-server up on', base, 'pid', child.pid);
    return { base, port, stop };
}

/** Chromium through playwright-core, with a fresh profile in the run folder. */
export async function launchBrowser(dir, viewport = { width: 1500, height: 950 }) {
    const { chromium } = await import('playwright-core');
    return chromium.launchPersistentContext(path.join(dir.run, 'chromium-profile'), {
        executablePath: CHROMIUM,
        headless: true,
        env: dir.env,
        viewport,
        args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-quic',
            '--no-first-run',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--disable-dev-shm-usage'
        ]
    });
}
