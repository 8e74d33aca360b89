import { defineConfig } from 'vitest/config';

// Unit, language, LSP and webview tests. The extension-host suite in test/editor/suite is mocha,
// run inside VS Code by test/editor/run-code-server.mjs (npm run test:editor), not by vitest.
export default defineConfig({
    test: {
        include: ['test/**/*.test.ts'],
        exclude: ['test/editor/**', 'out/**', 'dist/**', 'node_modules/**'],
        testTimeout: 30_000
    }
});
