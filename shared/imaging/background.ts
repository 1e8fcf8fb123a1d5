// Background removal for the offline renderer: the background is what looks like the image's
// border and is connected to it; it becomes transparent, with a soft edge. Pure.
import type { Raster } from '../style/components';
import { kMeans, type Rgb } from './kmeans';

function colourDistance(a: Uint8Array, i: number, c: Rgb): number {
  return Math.hypot(a[i]! - c[0], a[i + 1]! - c[1], a[i + 2]! - c[2]);
}

/** Up to three colours that describe the border (simple k-means on the border pixels). */
function borderColours(image: Raster): Rgb[] {
  const { width, height, rgba } = image;
  const samples: Rgb[] = [];
  const take = (x: number, y: number) => {
    const i = (y * width + x) * 4;
    samples.push([rgba[i]!, rgba[i + 1]!, rgba[i + 2]!]);
  };
  for (let x = 0; x < width; x++) (take(x, 0), take(x, height - 1));
  for (let y = 1; y < height - 1; y++) (take(0, y), take(width - 1, y));
  const initial = [samples[0]!, samples[Math.floor(samples.length / 3)]!, samples[Math.floor((2 * samples.length) / 3)]!];
  return kMeans(samples, initial, 6).centres;
}

export function removeBackground(image: Raster, tolerance = 40): Raster {
  const { width, height, rgba } = image;
  const centres = borderColours(image);
  const distance = new Float32Array(width * height);
  for (let p = 0; p < width * height; p++) distance[p] = Math.min(...centres.map((c) => colourDistance(rgba, p * 4, c)));
  // Flood from the border through pixels close to the border's colours.
  const background = new Uint8Array(width * height);
  const stack: number[] = [];
  const push = (p: number) => {
    if (!background[p] && distance[p]! <= tolerance) {
      background[p] = 1;
      stack.push(p);
    }
  };
  for (let x = 0; x < width; x++) (push(x), push((height - 1) * width + x));
  for (let y = 0; y < height; y++) (push(y * width), push(y * width + width - 1));
  while (stack.length) {
    const p = stack.pop()!;
    const x = p % width;
    if (x > 0) push(p - 1);
    if (x < width - 1) push(p + 1);
    if (p >= width) push(p - width);
    if (p < width * (height - 1)) push(p + width);
  }
  const out = new Uint8Array(rgba);
  for (let p = 0; p < width * height; p++) {
    if (background[p]) {
      out[p * 4 + 3] = 0;
      continue;
    }
    // A soft edge: foreground pixels touching the background fade by how close they look to it.
    const x = p % width;
    const touches = (x > 0 && background[p - 1]) || (x < width - 1 && background[p + 1]) || (p >= width && background[p - width]) || (p < width * (height - 1) && background[p + width]);
    if (touches) out[p * 4 + 3] = Math.round(255 * Math.min(1, Math.max(0.25, (distance[p]! - tolerance) / tolerance + 0.5)));
  }
  return { width, height, rgba: out };
}
