// Draws the extension icon (icons/dcplan.png, 128×128): three hosts as bars filled with VMs
// coloured by role (proxy blue, director purple, backend green) and the hypervisor reserve
// apart, as the preview draws them. Plain Node (zlib), no image library.
import { deflateSync } from 'node:zlib';
import { writeFileSync } from 'node:fs';

const S = 128;
const px = new Uint8Array(S * S * 4);
const hex = h => [
    parseInt(h.slice(1, 3), 16),
    parseInt(h.slice(3, 5), 16),
    parseInt(h.slice(5, 7), 16)
];
function rect(x0, y0, x1, y1, color, radius = 0) {
    const [r, g, b] = hex(color);
    for (let y = y0; y < y1; y++)
        for (let x = x0; x < x1; x++) {
            const cx = x < x0 + radius ? x0 + radius : x >= x1 - radius ? x1 - radius - 1 : x;
            const cy = y < y0 + radius ? y0 + radius : y >= y1 - radius ? y1 - radius - 1 : y;
            if ((x - cx) ** 2 + (y - cy) ** 2 > radius * radius) continue;
            const i = (y * S + x) * 4;
            px[i] = r;
            px[i + 1] = g;
            px[i + 2] = b;
            px[i + 3] = 255;
        }
}
rect(0, 0, S, S, '#1f2937', 22);
const P = '#3b8eea',
    D = '#a371f7',
    B = '#3fb950',
    R = '#6b7280';
const rows = [
    [P, D, B, B],
    [P, P, B, B],
    [D, P, B, B]
];
rows.forEach((segs, i) => {
    const y = 22 + i * 30;
    const widths = [12, 18, 26, 26];
    let x = 16;
    segs.forEach((c, j) => {
        rect(x, y, x + widths[j] - 2, y + 22, c, 3);
        x += widths[j];
    });
    rect(x + 4, y, 112, y + 22, R, 3);
});
const raw = Buffer.alloc(S * (S * 4 + 1));
for (let y = 0; y < S; y++) {
    raw[y * (S * 4 + 1)] = 0;
    Buffer.from(px.buffer, y * S * 4, S * 4).copy(raw, y * (S * 4 + 1) + 1);
}
const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
});
const crc = buf => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(S, 0);
ihdr.writeUInt32BE(S, 4);
ihdr[8] = 8;
ihdr[9] = 6;
writeFileSync(
    new URL('../icons/dcplan.png', import.meta.url),
    Buffer.concat([
        Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]),
        chunk('IHDR', ihdr),
        chunk('IDAT', deflateSync(raw)),
        chunk('IEND', Buffer.alloc(0))
    ])
);
