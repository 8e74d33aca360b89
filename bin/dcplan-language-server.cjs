#!/usr/bin/env node
// The dcplan language server for any LSP editor: `dcplan-language-server --stdio`.
require('../dist/language-server.cjs');
