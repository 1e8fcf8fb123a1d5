// PNG encoding a band of rows at a time, for work that shares its thread with requests (the
// offline renderer runs inside the API's Worker). A WASM encoder holds the thread for the whole
// picture (about 65 ms for 1024², longer than a request should wait); here each band is
// compressed by fflate's streaming zlib and written as its own IDAT chunk, with `between()`
// awaited after each, so no step takes more than a few milliseconds.
// RGBA, 8 bits per channel, no filter (the fastest; the offline renderer's grain leaves
// little for a filter to gain), zlib level 1.
import { Zlib } from 'fflate';
import { concatBytes } from '../encoding';
import type { Raster } from '../style/components';

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(parts: Uint8Array[]): number {
  let c = 0xffffffff;
  for (const part of parts) for (let i = 0; i < part.length; i++) c = CRC_TABLE[(c ^ part[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  const name = Uint8Array.from(type, (c) => c.charCodeAt(0));
  out.set(name, 4);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32([name, data]));
  return out;
}

/** A PNG of the raster; `between()` is awaited after each band of about `pixelsPerBand` pixels. */
export async function encodePngInBands(raster: Raster, between: () => Promise<void> = async () => {}, pixelsPerBand = 64 * 1024): Promise<Uint8Array> {
  const { width, height, rgba } = raster;
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width}×${height} RGBA pixels`);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit, RGBA, deflate, adaptive filtering, not interlaced
  const parts: Uint8Array[] = [new Uint8Array(SIGNATURE), chunk('IHDR', header)];

  let compressed: Uint8Array[] = [];
  const zlib = new Zlib({ level: 1 }, (data) => data.length && compressed.push(data));
  const stride = width * 4;
  const rows = Math.max(1, Math.floor(pixelsPerBand / Math.max(1, width)));
  for (let y = 0; y < height; y += rows) {
    const n = Math.min(rows, height - y);
    const band = new Uint8Array((stride + 1) * n);
    for (let j = 0; j < n; j++) band.set(rgba.subarray((y + j) * stride, (y + j + 1) * stride), j * (stride + 1) + 1); // filter byte 0: none
    zlib.push(band, y + n >= height);
    for (const data of compressed) parts.push(chunk('IDAT', data));
    compressed = [];
    await between();
  }
  parts.push(chunk('IEND', new Uint8Array(0)));
  return concatBytes(parts);
}
