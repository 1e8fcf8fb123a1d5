// Decoding a PNG at reduced scale: inflate the image data as a stream, unfilter it row by row
// and average each f×f block as the rows arrive, so a 4096² picture never exists in memory
// at full size (only two scanlines and the reduced image do). 8-bit RGB and RGBA,
// non-interlaced; anything else returns null and the caller decodes it whole.
import type { Raster } from '../../shared/style/components';

const be32 = (b: Uint8Array, i: number) => ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;

interface Header {
  width: number;
  height: number;
  channels: 3 | 4;
  idat: Uint8Array[];
}

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
      const [depth, colour, , , interlace] = [data[8], data[9], data[10], data[11], data[12]];
      if (depth !== 8 || interlace !== 0 || (colour !== 2 && colour !== 6)) return null;
      header = { width: be32(data, 0), height: be32(data, 4), channels: colour === 6 ? 4 : 3 };
    } else if (type === 'IDAT') {
      idat.push(data);
    } else if (type === 'IEND') {
      break;
    }
    i += 12 + length;
  }
  return header && idat.length ? { ...header, idat } : null;
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
 * Returns RGBA, or null for PNGs this streaming path does not handle.
 */
export async function decodePngReduced(png: Uint8Array, factor: number): Promise<Raster | null> {
  const header = parse(png);
  if (!header || factor < 1) return null;
  const { width, height, channels } = header;
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

  const inflated = new Blob(header.idat as Uint8Array<ArrayBuffer>[]).stream().pipeThrough(new DecompressionStream('deflate'));
  const reader = inflated.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    let i = 0;
    while (i < value.length && row < height) {
      if (filled === -1) {
        filter = value[i++]!;
        filled = 0;
        continue;
      }
      const take = Math.min(stride - filled, value.length - i);
      line.set(value.subarray(i, i + take), filled);
      filled += take;
      i += take;
      if (filled === stride) finishLine();
    }
  }
  return row >= outHeight * factor ? { width: outWidth, height: outHeight, rgba: out } : null;
}
