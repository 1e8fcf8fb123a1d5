// The browser's image decoder and canvas with real pixels, for the capture flow's tests that
// compare pictures: PNG files are decoded (8-bit RGB or RGBA, filters none, sub and up, as the
// project's encoders write them), createImageBitmap's resize averages boxes as a browser's
// 'high' quality does, and a canvas holds, draws and reads RGBA. Anything else does not decode.
import { unzlibSync } from 'fflate';
import { vi } from 'vitest';
import { concatBytes } from '../../../shared/encoding';
import { encodePngInBands } from '../../../shared/imaging/png-encode';

interface Pixels {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
  close(): void;
}

const pixels = (width: number, height: number, rgba = new Uint8ClampedArray(width * height * 4)): Pixels => ({ width, height, rgba, close: () => undefined });

function decodePng(bytes: Uint8Array): Pixels {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.length < 33 || view.getUint32(0) !== 0x89504e47) throw new DOMException('The source image could not be decoded.', 'InvalidStateError');
  const [width, height] = [view.getUint32(16), view.getUint32(20)];
  const channels = bytes[25] === 6 ? 4 : 3;
  const data: Uint8Array[] = [];
  for (let at = 8; at + 8 <= bytes.length; ) {
    const length = view.getUint32(at);
    if (String.fromCharCode(...bytes.subarray(at + 4, at + 8)) === 'IDAT') data.push(bytes.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  const raw = unzlibSync(concatBytes(data));
  const stride = width * channels;
  const out = pixels(width, height);
  let previous = new Uint8Array(stride);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    const row = raw.slice(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let i = 0; i < stride; i++) {
      if (filter === 1) row[i] = (row[i]! + (i >= channels ? row[i - channels]! : 0)) & 255;
      else if (filter === 2) row[i] = (row[i]! + previous[i]!) & 255;
    }
    for (let x = 0; x < width; x++) out.rgba.set([row[x * channels]!, row[x * channels + 1]!, row[x * channels + 2]!, channels === 4 ? row[x * channels + 3]! : 255], (y * width + x) * 4);
    previous = row;
  }
  return out;
}

/** Each output pixel the mean of the source pixels it covers. */
function boxResize(source: Pixels, width: number, height: number): Pixels {
  const out = pixels(width, height);
  for (let y = 0; y < height; y++) {
    const [y0, y1] = [Math.floor((y * source.height) / height), Math.max(Math.floor((y * source.height) / height) + 1, Math.floor(((y + 1) * source.height) / height))];
    for (let x = 0; x < width; x++) {
      const [x0, x1] = [Math.floor((x * source.width) / width), Math.max(Math.floor((x * source.width) / width) + 1, Math.floor(((x + 1) * source.width) / width))];
      const sum = [0, 0, 0, 0];
      for (let sy = y0; sy < y1; sy++) for (let sx = x0; sx < x1; sx++) for (let c = 0; c < 4; c++) sum[c]! += source.rgba[(sy * source.width + sx) * 4 + c]!;
      const n = (y1 - y0) * (x1 - x0);
      out.rgba.set(sum.map((v) => Math.round(v / n)), (y * width + x) * 4);
    }
  }
  return out;
}

async function createImageBitmap(source: Blob | Pixels, options?: { resizeWidth?: number; resizeHeight?: number }): Promise<Pixels> {
  const decoded = source instanceof Blob ? decodePng(new Uint8Array(await source.arrayBuffer())) : source;
  return options?.resizeWidth && options.resizeHeight ? boxResize(decoded, options.resizeWidth, options.resizeHeight) : decoded;
}

class OffscreenCanvas {
  readonly image: Pixels;
  constructor(
    public width: number,
    public height: number,
  ) {
    this.image = pixels(width, height);
  }
  getContext() {
    const target = this.image;
    return {
      /** drawImage(source, dx, dy[, dw, dh]) or (source, sx, sy, sw, sh, dx, dy, dw, dh), nearest pixel. */
      drawImage(source: Pixels, ...at: number[]) {
        const [sx, sy, sw, sh, dx, dy, dw, dh] = at.length === 8 ? at : [0, 0, source.width, source.height, at[0]!, at[1]!, at[2] ?? source.width, at[3] ?? source.height];
        for (let y = 0; y < dh!; y++) {
          for (let x = 0; x < dw!; x++) {
            const [tx, ty] = [dx! + x, dy! + y];
            if (tx < 0 || ty < 0 || tx >= target.width || ty >= target.height) continue;
            const from = (Math.floor(sy! + (y * sh!) / dh!) * source.width + Math.floor(sx! + (x * sw!) / dw!)) * 4;
            target.rgba.set(source.rgba.subarray(from, from + 4), (ty * target.width + tx) * 4);
          }
        }
      },
      getImageData(x: number, y: number, width: number, height: number) {
        const data = new Uint8ClampedArray(width * height * 4);
        for (let row = 0; row < height; row++) data.set(target.rgba.subarray(((y + row) * target.width + x) * 4, ((y + row) * target.width + x + width) * 4), row * width * 4);
        return { data };
      },
    };
  }
  async convertToBlob(options: { type?: string } = {}) {
    const png = await encodePngInBands({ width: this.width, height: this.height, rgba: new Uint8Array(this.image.rgba.buffer) });
    return new Blob([png as Uint8Array<ArrayBuffer>], { type: options.type ?? 'image/png' });
  }
}

/** Puts the real-pixel decoder and canvas in place of the page harness's size-only ones. */
export function decodeRealPixels() {
  vi.stubGlobal('createImageBitmap', createImageBitmap);
  vi.stubGlobal('OffscreenCanvas', OffscreenCanvas);
}
