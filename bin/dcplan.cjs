#!/usr/bin/env node
// The dcplan CLI (bundled by `npm run build` into dist/cli.cjs).
require('../dist/cli.cjs');
