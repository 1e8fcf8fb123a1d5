// Enlarging with Lanczos3 a row at a time, so an 8K upscale never holds its frame: the rows
// go straight to a streaming encoder (png-encode.ts). Separable: each source row is resampled
// across once (kept while output rows still need it), and each output row is the weighted sum
// of the six resampled source rows around it. Pure.
import type { Raster } from '../style/components';

const A = 3;
const TAPS = 2 * A;

function lanczos(x: number): number {
  if (x === 0) return 1;
  if (x <= -A || x >= A) return 0;
  const px = Math.PI * x;
  return (A * Math.sin(px) * Math.sin(px / A)) / (px * px);
}

/** For each output position, the TAPS source positions (clamped at the edges) and their weights. */
function taps(inSize: number, outSize: number): { index: Int32Array; weight: Float32Array } {
  const scale = outSize / inSize;
  const index = new Int32Array(outSize * TAPS);
  const weight = new Float32Array(outSize * TAPS);
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) / scale - 0.5;
    const first = Math.floor(centre) - A + 1;
    let sum = 0;
    for (let k = 0; k < TAPS; k++) sum += lanczos(centre - (first + k));
    for (let k = 0; k < TAPS; k++) {
      index[o * TAPS + k] = Math.min(inSize - 1, Math.max(0, first + k));
      weight[o * TAPS + k] = lanczos(centre - (first + k)) / sum;
    }
  }
  return { index, weight };
}

/**
 * The rows of `source` enlarged to width × height (each at least the source's), top to bottom.
 * The yielded row is reused for the next one: copy it to keep it.
 */
export function* enlargedRows(source: Raster, width: number, height: number): Generator<Uint8Array, void, undefined> {
  if (width < source.width || height < source.height) throw new Error('enlargedRows only enlarges');
  const across = taps(source.width, width);
  const down = taps(source.height, height);
  const stride = source.width * 4;
  // Resampled source rows, by source row, while an output row still needs them.
  const resampled = new Map<number, Float32Array>();
  const spare: Float32Array[] = [];
  const rowAcross = (y: number): Float32Array => {
    let row = resampled.get(y);
    if (row) return row;
    row = spare.pop() ?? new Float32Array(width * 4);
    const src = source.rgba;
    const base = y * stride;
    for (let x = 0, o = 0; x < width; x++, o += 4) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let k = x * TAPS, end = k + TAPS; k < end; k++) {
        const w = across.weight[k]!;
        const i = base + across.index[k]! * 4;
        r += w * src[i]!;
        g += w * src[i + 1]!;
        b += w * src[i + 2]!;
        a += w * src[i + 3]!;
      }
      row[o] = r;
      row[o + 1] = g;
      row[o + 2] = b;
      row[o + 3] = a;
    }
    resampled.set(y, row);
    return row;
  };
  const out = new Uint8Array(width * 4);
  // Stored through a clamped view of the same bytes: rounded, and held within 0–255.
  const clamped = new Uint8ClampedArray(out.buffer);
  const rows: Float32Array[] = [];
  const weights = new Float32Array(TAPS);
  for (let y = 0; y < height; y++) {
    const firstNeeded = down.index[y * TAPS]!;
    for (const [key, row] of resampled) if (key < firstNeeded) (resampled.delete(key), spare.push(row));
    for (let k = 0; k < TAPS; k++) {
      rows[k] = rowAcross(down.index[y * TAPS + k]!);
      weights[k] = down.weight[y * TAPS + k]!;
    }
    const [r0, r1, r2, r3, r4, r5] = rows as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    const [w0, w1, w2, w3, w4, w5] = weights as unknown as [number, number, number, number, number, number];
    for (let i = 0; i < out.length; i++) clamped[i] = w0 * r0[i]! + w1 * r1[i]! + w2 * r2[i]! + w3 * r3[i]! + w4 * r4[i]! + w5 * r5[i]!;
    yield out;
  }
}
