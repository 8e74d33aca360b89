// Bundles the extension-host suite (test/editor/suite/*.ts) into out/editor-suite/*.cjs
// (CommonJS, as the extension host loads it; `vscode` and `mocha` stay external).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const suite = path.join(root, 'test/editor/suite');
const entryPoints = Object.fromEntries(
    fs
        .readdirSync(suite)
        .filter(f => f.endsWith('.ts'))
        .map(f => [f.replace(/\.ts$/, ''), path.join(suite, f)])
);
export const OUT = path.join(root, 'out/editor-suite');
fs.rmSync(OUT, { recursive: true, force: true });
await esbuild.build({
    entryPoints,
    outdir: OUT,
    outExtension: { '.js': '.cjs' },
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode', 'mocha'],
    sourcemap: true,
    logLevel: 'warning'
});
