// PNG encoding a band of rows at a time, for work that shares its thread with requests (the
// offline renderer runs inside the API's Worker) or that must not hold the whole picture (an 8K
// upscale is 236 MB of RGBA; a Worker has 128 MB). Each band is compressed by fflate's
// streaming zlib and written as its own IDAT chunk, so no step takes more than a few
// milliseconds and only the compressed bytes leave.
// RGBA, 8 bits per channel, zlib level 1. Filter "none" is the fastest and suits the offline
// renderer's grain; "up" suits smooth pictures (an enlargement), at a little more work a row.
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

export type PngFilter = 'none' | 'up';

/**
 * Writes a PNG row by row: `emit` receives the file's bytes in order (the signature and header
 * at once, an IDAT chunk per band, IEND after the last row). `push` answers true when it has
 * just compressed a band: a good moment to hand the thread back or to pass the bytes on.
 */
export class PngRowWriter {
  readonly #stride: number;
  readonly #rowsPerBand: number;
  readonly #filter: PngFilter;
  readonly #zlib: Zlib;
  readonly #band: Uint8Array;
  readonly #previous: Uint8Array;
  #rowsInBand = 0;
  #rows = 0;

  constructor(
    readonly width: number,
    readonly height: number,
    private readonly emit: (bytes: Uint8Array) => void,
    { filter = 'none', pixelsPerBand = 64 * 1024 }: { filter?: PngFilter; pixelsPerBand?: number } = {},
  ) {
    const header = new Uint8Array(13);
    const view = new DataView(header.buffer);
    view.setUint32(0, width);
    view.setUint32(4, height);
    header.set([8, 6, 0, 0, 0], 8); // 8-bit, RGBA, deflate, adaptive filtering, not interlaced
    emit(concatBytes([new Uint8Array(SIGNATURE), chunk('IHDR', header)]));
    this.#stride = width * 4;
    this.#filter = filter;
    this.#rowsPerBand = Math.max(1, Math.min(height, Math.floor(pixelsPerBand / Math.max(1, width))));
    this.#band = new Uint8Array((this.#stride + 1) * this.#rowsPerBand);
    this.#previous = new Uint8Array(filter === 'up' ? this.#stride : 0);
    this.#zlib = new Zlib({ level: 1 }, (data, final) => {
      if (data.length) emit(chunk('IDAT', data));
      if (final) emit(chunk('IEND', new Uint8Array(0)));
    });
  }

  /** Adds the next row (`width` RGBA pixels); true when a band was just compressed. */
  push(row: Uint8Array): boolean {
    if (row.length !== this.#stride) throw new Error(`expected a row of ${this.width} RGBA pixels`);
    if (this.#rows >= this.height) throw new Error(`the picture already has its ${this.height} rows`);
    const at = this.#rowsInBand * (this.#stride + 1);
    const out = this.#band.subarray(at + 1, at + 1 + this.#stride);
    if (this.#filter === 'up') {
      this.#band[at] = 2;
      const above = this.#previous;
      for (let i = 0; i < row.length; i++) out[i] = row[i]! - above[i]!;
      above.set(row);
    } else {
      this.#band[at] = 0;
      out.set(row);
    }
    this.#rows++;
    this.#rowsInBand++;
    const last = this.#rows === this.height;
    if (this.#rowsInBand < this.#rowsPerBand && !last) return false;
    // fflate keeps no reference to what it is given once push returns.
    this.#zlib.push(this.#band.subarray(0, this.#rowsInBand * (this.#stride + 1)), last);
    this.#rowsInBand = 0;
    return true;
  }

  get done(): boolean {
    return this.#rows === this.height;
  }
}

/** A PNG of the raster; `between()` is awaited after each band of about `pixelsPerBand` pixels. */
export async function encodePngInBands(raster: Raster, between: () => Promise<void> = async () => {}, pixelsPerBand = 64 * 1024): Promise<Uint8Array> {
  const { width, height, rgba } = raster;
  if (rgba.length !== width * height * 4) throw new Error(`expected ${width}×${height} RGBA pixels`);
  const parts: Uint8Array[] = [];
  const png = new PngRowWriter(width, height, (bytes) => parts.push(bytes), { pixelsPerBand });
  const stride = width * 4;
  for (let y = 0; y < height; y++) if (png.push(rgba.subarray(y * stride, (y + 1) * stride))) await between();
  return concatBytes(parts);
}
