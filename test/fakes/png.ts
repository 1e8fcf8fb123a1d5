// Real, decodable PNG files for fakes to serve: a solid colour, encoded with uncompressed
// (stored) deflate blocks, so it needs no library and no async compression.
import { concatBytes } from '../../shared/encoding';

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function adler32(bytes: Uint8Array): number {
  let a = 1;
  let b = 0;
  for (const byte of bytes) {
    a = (a + byte) % 65521;
    b = (b + a) % 65521;
  }
  return ((b << 16) | a) >>> 0;
}

export const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];


/** One PNG chunk: length, type, data and the CRC over type and data. */
export function chunk(type: string, data: Uint8Array): Uint8Array {
  const typed = concatBytes([new Uint8Array([...type].map((c) => c.charCodeAt(0))), data]);
  return concatBytes([new Uint8Array(be32(data.length)), typed, new Uint8Array(be32(crc32(typed)))]);
}

function zlibStored(raw: Uint8Array): Uint8Array {
  const parts: Uint8Array[] = [new Uint8Array([0x78, 0x01])];
  for (let i = 0; i < raw.length || i === 0; i += 65535) {
    const block = raw.subarray(i, i + 65535);
    const last = i + 65535 >= raw.length ? 1 : 0;
    parts.push(new Uint8Array([last, block.length & 255, block.length >> 8, ~block.length & 255, (~block.length >> 8) & 255]), block);
    if (last) break;
  }
  parts.push(new Uint8Array(be32(adler32(raw))));
  return concatBytes(parts);
}

export function createPng(width: number, height: number, [r, g, b]: [number, number, number]): Uint8Array<ArrayBuffer> {
  const stride = width * 3 + 1;
  const row = new Uint8Array(stride);
  for (let x = 0; x < width; x++) row.set([r, g, b], 1 + x * 3);
  const raw = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) raw.set(row, y * stride); // filter byte 0: none
  const header = new Uint8Array([...be32(width), ...be32(height), 8, 2, 0, 0, 0]);
  return concatBytes([new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', zlibStored(raw)), chunk('IEND', new Uint8Array())]);
}
