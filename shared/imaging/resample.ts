// Lanczos3 resampling a row at a time: an 8K upscale never holds its frame (the rows go straight
// to a streaming encoder, png-encode.ts), and a preview is made without a second full-size copy.
// Separable: each source row is resampled across once (kept while output rows still need it),
// and each output row is the weighted sum of the resampled source rows around it. Pure.
import type { Raster } from '../style/components';

const A = 3;

function lanczos(x: number): number {
  if (x === 0) return 1;
  if (x <= -A || x >= A) return 0;
  const px = Math.PI * x;
  return (A * Math.sin(px) * Math.sin(px / A)) / (px * px);
}

/**
 * For each output position, `n` source positions (clamped at the edges) and their weights.
 * Enlarging, the kernel spans 2A source pixels; shrinking, it is widened by the ratio so every
 * source pixel counts.
 */
function taps(inSize: number, outSize: number): { n: number; index: Int32Array; weight: Float32Array } {
  const scale = outSize / inSize;
  const stretch = Math.max(1, 1 / scale);
  const n = Math.ceil(A * stretch) * 2;
  const index = new Int32Array(outSize * n);
  const weight = new Float32Array(outSize * n);
  for (let o = 0; o < outSize; o++) {
    const centre = (o + 0.5) / scale - 0.5;
    const first = Math.floor(centre) - n / 2 + 1;
    let sum = 0;
    for (let k = 0; k < n; k++) sum += lanczos((centre - (first + k)) / stretch);
    for (let k = 0; k < n; k++) {
      index[o * n + k] = Math.min(inSize - 1, Math.max(0, first + k));
      weight[o * n + k] = lanczos((centre - (first + k)) / stretch) / sum;
    }
  }
  return { n, index, weight };
}

/**
 * The rows of `source` resampled to width × height (Lanczos3), top to bottom. The yielded row
 * is reused for the next one: copy it to keep it.
 */
export function* resampledRows(source: Raster, width: number, height: number): Generator<Uint8Array, void, undefined> {
  const across = taps(source.width, width);
  const down = taps(source.height, height);
  const stride = source.width * 4;
  // Source rows resampled across, by source row, while an output row still needs them.
  const resampled = new Map<number, Float32Array>();
  const spare: Float32Array[] = [];
  const rowAcross = (y: number): Float32Array => {
    let row = resampled.get(y);
    if (row) return row;
    row = spare.pop() ?? new Float32Array(width * 4);
    const src = source.rgba;
    const base = y * stride;
    const { n, index, weight } = across;
    for (let x = 0, o = 0; x < width; x++, o += 4) {
      let r = 0, g = 0, b = 0, a = 0;
      for (let k = x * n, end = k + n; k < end; k++) {
        const w = weight[k]!;
        const i = base + index[k]! * 4;
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
  const sum = new Float64Array(width * 4);
  const { n } = down;
  for (let y = 0; y < height; y++) {
    const firstNeeded = down.index[y * n]!;
    for (const [key, row] of resampled) if (key < firstNeeded) (resampled.delete(key), spare.push(row));
    let started = false;
    for (let k = y * n, end = k + n; k < end; k++) {
      const w = down.weight[k]!;
      if (w === 0) continue;
      const row = rowAcross(down.index[k]!);
      if (started) for (let i = 0; i < sum.length; i++) sum[i] = sum[i]! + w * row[i]!;
      else for (let i = 0; i < sum.length; i++) sum[i] = w * row[i]!;
      started = true;
    }
    for (let i = 0; i < sum.length; i++) clamped[i] = sum[i]!;
    yield out;
  }
}
