/**
 * The plans of the repository's `examples/`, read once for every test that walks them all.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

/** The repository's `examples/` directory. */
export const EXAMPLES_DIR = path.resolve(__dirname, '../../examples');

/** Every example plan, sorted by file name: its name (`seed-recommended.dcplan`), path and text. */
export const EXAMPLES: readonly { name: string; file: string; text: string }[] = fs
    .readdirSync(EXAMPLES_DIR)
    .filter(f => f.endsWith('.dcplan'))
    .sort()
    .map(name => {
        const file = path.join(EXAMPLES_DIR, name);
        return { name, file, text: fs.readFileSync(file, 'utf8') };
    });
