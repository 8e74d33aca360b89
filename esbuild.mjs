// Bundles the CLI, the language server, the VS Code extension and the preview webview.
// Node entries are CommonJS (what VS Code loads; `vscode` stays external); the webview is an IIFE for the browser.
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';

const watch = process.argv.includes('--watch');
// `--bench`: only the benchmark (bench/run.ts → dist/bench.mjs), so that `npm run bench` measures
// the same bundled code the CLI and the language server run
const bench = process.argv.includes('--bench');
// `--fuzz`: only the fuzzer (fuzz/run.ts → dist/fuzz.mjs), on the bundled code as `--bench`
const fuzz = process.argv.includes('--fuzz');
const minify = process.argv.includes('--minify');

const node = {
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: !minify,
    minify,
    outdir: 'dist',
    outExtension: { '.js': '.cjs' },
    external: ['vscode'],
    loader: { '.ts': 'ts' },
    // import.meta.url in a CJS bundle: the bundle's own file (the exact solver finds its worker
    // and highs.wasm beside it)
    define: { 'import.meta.url': '__importMetaUrl' },
    banner: { js: "var __importMetaUrl = require('url').pathToFileURL(__filename).href;" },
    logLevel: 'warning'
};

const builds = [
    { ...node, entryPoints: { 'language-server': 'language-server/main.ts' } },
    { ...node, entryPoints: { 'exact-worker': 'src/planner/exact-worker.ts' } }
];
// The HiGHS WebAssembly (exact placement) ships beside the bundles and inside the .vsix.
fs.mkdirSync('dist', { recursive: true });
fs.copyFileSync('node_modules/highs/build/highs.wasm', 'dist/highs.wasm');
if (fs.existsSync('src/cli/main.ts'))
    builds.push({ ...node, entryPoints: { cli: 'src/cli/bin.ts' } });
if (fs.existsSync('src/extension/main.ts'))
    builds.push({ ...node, entryPoints: { extension: 'src/extension/main.ts' } });
if (fs.existsSync('src/webview/main.ts')) {
    builds.push({
        bundle: true,
        platform: 'browser',
        format: 'iife',
        target: 'es2022',
        sourcemap: !minify,
        minify,
        entryPoints: { webview: 'src/webview/main.ts' },
        outdir: 'dist',
        logLevel: 'warning'
    });
}

if (bench) {
    await esbuild.build({
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'esm',
        sourcemap: true,
        outfile: 'dist/bench.mjs',
        entryPoints: ['bench/run.ts'],
        logLevel: 'warning',
        // CommonJS dependencies bundled into an ES module need a `require`
        banner: {
            js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
        }
    });
} else if (fuzz) {
    await esbuild.build({
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'esm',
        sourcemap: true,
        outfile: 'dist/fuzz.mjs',
        entryPoints: ['fuzz/run.ts'],
        logLevel: 'warning',
        // the fixture plans are found with the TypeScript parser, loaded from node_modules
        external: ['typescript'],
        banner: {
            js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);"
        }
    });
} else if (watch) {
    for (const b of builds) (await esbuild.context(b)).watch();
} else {
    await Promise.all(builds.map(b => esbuild.build(b)));
}
