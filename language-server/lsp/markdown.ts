/**
 * User text in the Markdown of hovers: a plan's `title`, the names of hosts and instances outside
 * code spans. Escaped so that it shows as typed and never becomes markup: no link (`[x](command:y)`
 * would be a command link in an editor), no HTML (`<script>`), no emphasis, no table cell break.
 * Names inside code spans (`` `proxy_1c` ``) need no escaping: a name (the grammar's ID) has no
 * backtick.
 */

/**
 * `text` with every character that Markdown (CommonMark, GFM tables) could read as markup escaped
 * by a backslash: `\ ` * _ [ ] < > & | ~ # !`. An underscore between two letters or digits
 * (`proxy_1c`) is left as it is: it cannot start or end emphasis there, and clients that show
 * hover text as is (older Neovim) would show the backslash.
 */
export function markdownText(text: string): string {
    return text.replace(/[\\`*_[\]<>&|~#!]/g, (c, at: number) =>
        c === '_' &&
        /[\p{L}\p{N}]/u.test(text[at - 1] ?? '') &&
        /[\p{L}\p{N}]/u.test(text[at + 1] ?? '')
            ? c
            : `\\${c}`
    );
}
