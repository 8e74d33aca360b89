// Preloaded into the language server by `npm run bench` only (node --expose-gc --require this):
// on SIGUSR2 it runs a full garbage collection and writes process.memoryUsage() as JSON to the
// file named by DCPLAN_BENCH_PROBE, so the bench reads the memory the server retains, not the
// V8 heap's slack between collections. Not part of the server.
'use strict';
const fs = require('node:fs');
const out = process.env.DCPLAN_BENCH_PROBE;
if (out && typeof global.gc === 'function') {
    process.on('SIGUSR2', () => {
        global.gc();
        fs.writeFileSync(out + '.tmp', JSON.stringify(process.memoryUsage()));
        fs.renameSync(out + '.tmp', out);
    });
}
