// Halving an image by averaging 2×2 blocks: the cheap first steps of a big reduction (the
// last step, to the exact size, is Lanczos). Pure.
import type { Raster } from '../style/components';

export function halve(image: Raster): Raster {
  const width = Math.max(1, image.width >> 1);
  const height = Math.max(1, image.height >> 1);
  const src = image.rgba;
  const stride = image.width * 4;
  const out = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row0 = 2 * y * stride;
    const row1 = Math.min(2 * y + 1, image.height - 1) * stride;
    for (let x = 0; x < width; x++) {
      const a = row0 + 8 * x;
      const b = row1 + 8 * x;
      const o = (y * width + x) * 4;
      out[o] = (src[a]! + src[a + 4]! + src[b]! + src[b + 4]! + 2) >> 2;
      out[o + 1] = (src[a + 1]! + src[a + 5]! + src[b + 1]! + src[b + 5]! + 2) >> 2;
      out[o + 2] = (src[a + 2]! + src[a + 6]! + src[b + 2]! + src[b + 6]! + 2) >> 2;
      out[o + 3] = (src[a + 3]! + src[a + 7]! + src[b + 3]! + src[b + 7]! + 2) >> 2;
    }
  }
  return { width, height, rgba: out };
}
