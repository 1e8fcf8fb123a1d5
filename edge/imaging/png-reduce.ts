// Decoding a PNG at reduced scale: inflate the image data as a stream, unfilter it row by row
// and average each f×f block as the rows arrive, so a 4096² picture never exists in memory
// at full size (only two scanlines and the reduced image do). 8-bit RGB and RGBA,
// non-interlaced; anything else returns null and the caller decodes it whole.
// Every inflate here is capped at what the header's rows need: a file whose data would
// inflate past that (a decompression bomb with a small header) is refused as damaged after
// at most one chunk of zlib's output past the cap, and so is one whose data ends before its last row.
import { createInflate } from 'node:zlib';
import type { Raster } from '../../shared/style/components';
import { yieldToRequests } from '../scheduling';
import { DamagedImage } from './renderer';

const be32 = (b: Uint8Array, i: number) => ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;

/** Compressed bytes handed to zlib per write: a step between two checks of the cap stays small. */
const SLICE = 8 * 1024;

interface Header {
  width: number;
  height: number;
  depth: number;
  colour: number;
  interlaced: boolean;
  idat: Uint8Array[];
}

const channelsOf: Record<number, number> = { 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 };

function parse(png: Uint8Array): Header | null {
  if (png.length < 33 || png[0] !== 0x89 || png[1] !== 0x50) return null;
  let i = 8;
  let header: Omit<Header, 'idat'> | null = null;
  const idat: Uint8Array[] = [];
  while (i + 8 <= png.length) {
    const length = be32(png, i);
    const type = String.fromCharCode(png[i + 4]!, png[i + 5]!, png[i + 6]!, png[i + 7]!);
    const data = png.subarray(i + 8, i + 8 + length);
    if (type === 'IHDR') {
      if (data.length < 13 || channelsOf[data[9]!] === undefined) return null;
      header = { width: be32(data, 0), height: be32(data, 4), depth: data[8]!, colour: data[9]!, interlaced: data[12] === 1 };
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
    i += 12 + length;
  }
  return header && idat.length ? { ...header, idat } : null;
}

/** Bytes the image data inflates to: a filter byte and the packed samples of every row (of every Adam7 pass when interlaced). */
function dataSize({ width, height, depth, colour, interlaced }: Omit<Header, 'idat'>): number {
  const rowBytes = (w: number) => Math.ceil((w * channelsOf[colour]! * depth) / 8);
  if (!interlaced) return height * (1 + rowBytes(width));
  // Adam7: [x start, y start, x step, y step] per pass; an empty pass has no rows at all.
  const passes = [[0, 0, 8, 8], [4, 0, 8, 8], [0, 4, 4, 8], [2, 0, 4, 4], [0, 2, 2, 4], [1, 0, 2, 2], [0, 1, 1, 2]] as const;
  let total = 0;
  for (const [x0, y0, dx, dy] of passes) {
    const w = Math.ceil((width - x0) / dx);
    const h = Math.ceil((height - y0) / dy);
    if (w > 0 && h > 0) total += h * (1 + rowBytes(w));
  }
  return total;
}

/** Inflated bytes between two hand-backs of the thread: a few milliseconds of inflating and unfiltering. */
const BYTES_BETWEEN_YIELDS = 1024 * 1024;

/**
 * Inflates the image data in slices, handing each piece to `take`, and stops at exactly
 * `expected` bytes. Refuses (DamagedImage) data that would inflate past it or that ends short.
 * zlib itself (node:zlib, native in workerd and in Node) does the inflating; it hands over its
 * output a chunk at a time, so the inflater is destroyed at the first chunk past `expected`
 * and a bomb costs at most one chunk more than the rows need. The thread is handed back after
 * every megabyte inflated: inside the API's Worker a whole picture's inflate would keep every
 * other request waiting.
 */
async function inflateCapped(idat: Uint8Array[], expected: number, take: (piece: Uint8Array) => void): Promise<void> {
  const inflater = createInflate();
  let total = 0;
  let sinceYield = 0;
  let failure: unknown = null;
  const closed = new Promise<void>((resolve) => inflater.once('close', resolve));
  inflater.on('error', (error) => (failure ??= error));
  inflater.on('data', (piece: Uint8Array) => {
    if (failure) return;
    total += piece.length;
    sinceYield += piece.length;
    try {
      if (total > expected) throw new DamagedImage();
      take(piece);
    } catch (error) {
      failure = error;
      inflater.destroy();
    }
  });
  let open = true;
  void closed.then(() => (open = false));
  for (let c = 0; c < idat.length && open && !failure; c++) {
    const data = idat[c]!;
    for (let i = 0; i < data.length && open && !failure; i += SLICE) {
      await Promise.race([new Promise((resolve) => inflater.write(data.subarray(i, i + SLICE), resolve)), closed]);
      if (sinceYield >= BYTES_BETWEEN_YIELDS) {
        sinceYield = 0;
        await yieldToRequests();
      }
    }
  }
  if (open && !failure) inflater.end();
  await closed;
  if (failure instanceof DamagedImage) throw failure;
  if (failure || total !== expected) throw new DamagedImage(); // not a valid zlib stream, or short of the last row
}

/**
 * Checks that a PNG's image data inflates to exactly what its header's rows need, for the
 * PNGs another decoder reads whole (palette, grey, 16-bit, interlaced): that decoder then
 * never meets a bomb. Costs one capped inflate; returns false when there is no PNG to check.
 */
export async function checkPngData(png: Uint8Array): Promise<boolean> {
  const header = parse(png);
  if (!header) return false;
  await inflateCapped(header.idat, dataSize(header), () => {});
  return true;
}

/** Undoes a scanline's filter in place, given the previous (already unfiltered) line. One loop per filter type: this runs for every byte of the picture. */
function unfilter(filter: number, line: Uint8Array, previous: Uint8Array, bpp: number): void {
  const n = line.length;
  switch (filter) {
    case 1:
      for (let x = bpp; x < n; x++) line[x] = (line[x]! + line[x - bpp]!) & 255;
      return;
    case 2:
      for (let x = 0; x < n; x++) line[x] = (line[x]! + previous[x]!) & 255;
      return;
    case 3:
      for (let x = 0; x < bpp; x++) line[x] = (line[x]! + (previous[x]! >> 1)) & 255;
      for (let x = bpp; x < n; x++) line[x] = (line[x]! + ((line[x - bpp]! + previous[x]!) >> 1)) & 255;
      return;
    case 4:
      for (let x = 0; x < bpp; x++) line[x] = (line[x]! + previous[x]!) & 255;
      for (let x = bpp; x < n; x++) {
        const a = line[x - bpp]!;
        const b = previous[x]!;
        const c = previous[x - bpp]!;
        const pa = b > c ? b - c : c - b;
        const pb = a > c ? a - c : c - a;
        const pc = a + b - c - c > 0 ? a + b - c - c : c + c - a - b;
        line[x] = (line[x]! + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c)) & 255;
      }
      return;
  }
}

/**
 * Decodes `png` averaged over `factor`×`factor` blocks (factor 1 decodes it whole).
 * Returns RGBA, or null for PNGs this streaming path does not handle; throws DamagedImage
 * when the data does not inflate to exactly the header's rows.
 */
export async function decodePngReduced(png: Uint8Array, factor: number): Promise<Raster | null> {
  const header = parse(png);
  if (!header || factor < 1 || header.depth !== 8 || header.interlaced || (header.colour !== 2 && header.colour !== 6)) return null;
  const { width, height } = header;
  const channels = header.colour === 6 ? 4 : 3;
  const outWidth = Math.max(1, Math.floor(width / factor));
  const outHeight = Math.max(1, Math.floor(height / factor));
  const sums = new Uint32Array(outWidth * 4);
  const out = new Uint8Array(outWidth * outHeight * 4);
  const stride = width * channels;
  let previous = new Uint8Array(stride);
  let line = new Uint8Array(stride);
  let filled = -1; // -1: waiting for the filter byte
  let filter = 0;
  let row = 0;

  const finishLine = () => {
    unfilter(filter, line, previous, channels);
    const outRow = Math.floor(row / factor);
    if (outRow < outHeight) {
      for (let ox = 0, s0 = 0; ox < outWidth; ox++) {
        let r = 0;
        let g = 0;
        let b = 0;
        let a = 0;
        for (let k = 0; k < factor; k++, s0 += channels) {
          r += line[s0]!;
          g += line[s0 + 1]!;
          b += line[s0 + 2]!;
          a += channels === 4 ? line[s0 + 3]! : 255;
        }
        const o = ox * 4;
        sums[o] = sums[o]! + r;
        sums[o + 1] = sums[o + 1]! + g;
        sums[o + 2] = sums[o + 2]! + b;
        sums[o + 3] = sums[o + 3]! + a;
      }
      if (row % factor === factor - 1) {
        const area = factor * factor;
        const base = outRow * outWidth * 4;
        for (let k = 0; k < sums.length; k++) out[base + k] = Math.round(sums[k]! / area);
        sums.fill(0);
      }
    }
    [previous, line] = [line, previous];
    row++;
    filled = -1;
  };

  await inflateCapped(header.idat, dataSize(header), (value) => {
    let i = 0;
    while (i < value.length) {
      if (filled === -1) {
        filter = value[i++]!;
        if (filter > 4) throw new DamagedImage();
        filled = 0;
        continue;
      }
      const take = Math.min(stride - filled, value.length - i);
      line.set(value.subarray(i, i + take), filled);
      filled += take;
      i += take;
      if (filled === stride) finishLine();
    }
  });
  return row >= outHeight * factor ? { width: outWidth, height: outHeight, rgba: out } : null;
}
