/** The VS Code client's padding of hover table cells (issue 14: "hover tables have no cell padding"). */
import { describe, expect, it } from 'vitest';
import { padHoverTables } from '../../src/extension/hover-tables.js';

describe('padHoverTables', () => {
    it('pads every cell of a table with a non-breaking space each side; the delimiter row and other lines stay', () => {
        const md =
            '**host `hv01`**\n\n| | used | usable |\n|---|---:|---:|\n| vCPUs | 20 | 22 |\n| memory | 96 GiB | 112 GiB |\n\nLoss: 25% | of sessions';
        expect(padHoverTables(md)).toBe(
            '**host `hv01`**\n\n| | &nbsp;used&nbsp; | &nbsp;usable&nbsp; |\n|---|---:|---:|\n' +
                '| &nbsp;vCPUs&nbsp; | &nbsp;20&nbsp; | &nbsp;22&nbsp; |\n| &nbsp;memory&nbsp; | &nbsp;96 GiB&nbsp; | &nbsp;112 GiB&nbsp; |\n\nLoss: 25% | of sessions'
        );
    });
    it('leaves a text without tables as it is', () => {
        expect(padHoverTables('**shape `p`** — proxy, 1 core')).toBe(
            '**shape `p`** — proxy, 1 core'
        );
    });
});
