/**
 * GiB as the preview prints them (pure: the webview, the SVG and HTML exports): at most two
 * decimals and thousands separated, or four where two would make a host's used and usable memory
 * read the same (the rule of planner/format.ts's `apart`).
 */
import { apart } from '../planner/format.js';

/** GiB as the preview prints them: at most two decimals, thousands separated like vCPUs ("22,080", "1,472.5"). */
export function gib(x: number): string {
    // most figures: no separator, no formatter needed (thousands of hosts render at once)
    if (Number.isInteger(x) && Math.abs(x) < 1000) return String(x);
    return GIB_FORMAT.format(Number.isInteger(x) ? x : Math.round(x * 100) / 100);
}
/**
 * A used and a usable GiB figure as `gib` prints them, or with up to four decimals where two
 * would make different amounts read the same (4100 MiB used of 4096: "4.0039 / 4", not "4 / 4").
 */
export function gibApart(used: number, usable: number): string {
    return apart(used, usable, gib, x => GIB_FINE.format(x)).join(' / ');
}
const GIB_FINE = new Intl.NumberFormat('en-US', { maximumFractionDigits: 4 });
/** One formatter for all (a `toLocaleString` with options builds one per call: slow for thousands of hosts). */
const GIB_FORMAT = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
