// ESLint (flat config): the layers and the absence of import cycles are errors (issue 11); style is
// Prettier's business (.prettierrc.json), so only a few correctness rules are on here.
// Run with `npm run lint` (ESLint, then knip for dead exports).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

/** Node's built-in modules, with or without the `node:` prefix (`fs`, `node:fs`, `node:fs/promises`). */
const NODE_BUILTINS = {
    group: [
        'node:*',
        'fs',
        'fs/*',
        'path',
        'os',
        'child_process',
        'worker_threads',
        'crypto',
        'module',
        'url',
        'util',
        'stream',
        'net',
        'http',
        'https'
    ],
    message: 'no Node I/O in this layer (docs/architecture.md)'
};
const EDITOR_PACKAGES = {
    group: ['langium', 'langium/*', 'vscode', 'vscode-*', 'vscode-*/*'],
    message: 'no editor or language framework in this layer (docs/architecture.md)'
};

export default tseslint.config(
    {
        ignores: [
            'dist/**',
            'out/**',
            'node_modules/**',
            'language-server/generated/**',
            '.vscode-test/**',
            '.cache/**',
            'bench/results/**',
            // written by the UI suite (a copy of the workspace and the installed extension)
            'test-results/**'
        ]
    },
    {
        files: ['**/*.ts', '**/*.mts', '**/*.mjs', '**/*.js'],
        extends: [js.configs.recommended, tseslint.configs.recommended],
        plugins: { 'import-x': importX },
        languageOptions: { ecmaVersion: 2022, sourceType: 'module' },
        settings: {
            // no-cycle parses the imported files too: without the TypeScript parser it sees no cycle.
            'import-x/extensions': ['.ts', '.mts', '.js', '.mjs', '.cjs'],
            'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.mts'] },
            'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })]
        },
        rules: {
            // Layers and cycles: errors.
            'import-x/no-cycle': ['error', { ignoreExternal: true }],
            'import-x/no-restricted-paths': [
                'error',
                {
                    zones: [
                        // The planner is pure: it imports no other layer of this repository.
                        {
                            target: './src/planner',
                            from: [
                                './language-server',
                                './src/cli',
                                './src/extension',
                                './src/webview',
                                './src/protocol.ts'
                            ],
                            message: 'src/planner is pure: it imports no other layer'
                        },
                        // The webview runs in the preview's iframe: the protocol and the planner's pure figures only.
                        {
                            target: './src/webview',
                            from: ['./language-server', './src/cli', './src/extension'],
                            message:
                                "the webview imports only the protocol and the planner's pure modules"
                        },
                        // The extension talks to the server through src/protocol.ts and shows the webview.
                        {
                            target: './src/extension',
                            from: ['./language-server', './src/cli', './src/planner'],
                            message: 'the extension imports only src/protocol.ts and src/webview'
                        },
                        // The language server is not a client: no extension, webview or CLI code.
                        {
                            target: './language-server',
                            from: ['./src/extension', './src/webview', './src/cli'],
                            message: 'the language server imports the planner and the protocol only'
                        },
                        {
                            target: './src/protocol.ts',
                            from: [
                                './language-server',
                                './src/cli',
                                './src/extension',
                                './src/webview'
                            ],
                            message: "the protocol imports only the planner's report types"
                        }
                    ]
                }
            ],
            // Style and taste: left to Prettier and review; these would only add noise.
            '@typescript-eslint/no-explicit-any': 'off',
            '@typescript-eslint/no-non-null-assertion': 'off',
            '@typescript-eslint/no-unused-vars': [
                'error',
                { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }
            ],
            'no-empty': ['error', { allowEmptyCatch: true }]
        }
    },
    {
        // src/planner is pure: no editor, no language framework, no Node I/O ...
        files: ['src/planner/**/*.ts'],
        rules: {
            'no-restricted-imports': ['error', { patterns: [NODE_BUILTINS, EDITOR_PACKAGES] }]
        }
    },
    {
        // ... except the exact solver's runtime: HiGHS is a WebAssembly module read from disk
        // (node:fs, node:path, node:url, node:module) and run in a worker thread so that a solve
        // never blocks the caller (node:worker_threads); exact.ts hashes its cache key (node:crypto).
        // Only these three files; model building and the solve loop's levels stay pure.
        files: [
            'src/planner/exact-runtime.ts',
            'src/planner/exact-worker.ts',
            'src/planner/exact.ts'
        ],
        rules: { 'no-restricted-imports': ['error', { patterns: [EDITOR_PACKAGES] }] }
    },
    {
        // The webview runs in a browser sandbox: no Node, no editor API.
        files: ['src/webview/**/*.ts'],
        rules: {
            'no-restricted-imports': ['error', { patterns: [NODE_BUILTINS, EDITOR_PACKAGES] }]
        }
    },
    {
        // The extension: vscode and vscode-languageclient, never the language framework.
        files: ['src/extension/**/*.ts'],
        rules: {
            'no-restricted-imports': [
                'error',
                {
                    patterns: [
                        {
                            group: [
                                'langium',
                                'langium/*',
                                'vscode-languageserver',
                                'vscode-languageserver/*'
                            ],
                            message: 'the extension talks to the server over LSP only'
                        }
                    ]
                }
            ]
        }
    },
    {
        // CommonJS launchers and Node scripts.
        files: ['bin/**/*.cjs', '**/*.cjs'],
        languageOptions: {
            sourceType: 'commonjs',
            globals: {
                require: 'readonly',
                module: 'writable',
                __dirname: 'readonly',
                process: 'readonly',
                console: 'readonly'
            }
        },
        rules: { '@typescript-eslint/no-require-imports': 'off' }
    }
);
