/**
 * Cell padding for the tables of dcplan's hovers in VS Code, whose hover draws Markdown tables
 * with no space between columns (`| vCPUs | 88 |` read "vCPUs88"). The server sends plain
 * Markdown (Neovim and Helix show it as text); the VS Code client pads each cell with a
 * non-breaking space entity on either side, which VS Code's Markdown keeps. Pure: no vscode API.
 */

/** A table's delimiter row: `|---|---:|`. */
const DELIMITER = /^\|(\s*:?-+:?\s*\|)+\s*$/;

/** `markdown` with every table cell padded (`| a | b |` → `| &nbsp;a&nbsp; | &nbsp;b&nbsp; |`); other lines as they are. */
export function padHoverTables(markdown: string): string {
    return markdown
        .split('\n')
        .map(line => {
            if (!line.startsWith('|') || !line.trimEnd().endsWith('|') || DELIMITER.test(line))
                return line;
            const cells = line.trimEnd().slice(1, -1).split('|');
            return (
                '|' +
                cells.map(c => (c.trim() === '' ? c : ` &nbsp;${c.trim()}&nbsp; `)).join('|') +
                '|'
            );
        })
        .join('\n');
}
