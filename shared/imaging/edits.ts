// Classical image edits for the offline renderer: erase by diffusion inpainting (solved
// coarse to fine, so large holes fill in a few passes), soft compositing through a feathered
// mask, and colour and light changes read from a plain-language instruction. Pure.
import type { Raster } from '../style/components';

/** Which pixels a mask selects: white (luminance over half) means "edit here". */
export function maskOf(mask: Raster, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    const my = Math.min(mask.height - 1, Math.floor((y * mask.height) / height));
    for (let x = 0; x < width; x++) {
      const mx = Math.min(mask.width - 1, Math.floor((x * mask.width) / width));
      const i = (my * mask.width + mx) * 4;
      const lum = 0.2126 * mask.rgba[i]! + 0.7152 * mask.rgba[i + 1]! + 0.0722 * mask.rgba[i + 2]!;
      out[y * width + x] = lum > 127 && mask.rgba[i + 3]! > 127 ? 1 : 0;
    }
  }
  return out;
}

/** Fills holes (known = 0) with values diffused from their surroundings; channels interleaved. */
function diffuse(values: Float32Array, known: Uint8Array, width: number, height: number, channels: number): void {
  let holes = 0;
  for (const k of known) if (!k) holes++;
  if (!holes) return;
  if (width > 8 && height > 8) {
    // Solve on a half-size grid first, then start from its answer.
    const w2 = Math.ceil(width / 2);
    const h2 = Math.ceil(height / 2);
    const small = new Float32Array(w2 * h2 * channels);
    const smallKnown = new Uint8Array(w2 * h2);
    for (let y = 0; y < h2; y++) {
      for (let x = 0; x < w2; x++) {
        const sums = new Float32Array(channels);
        let n = 0;
        for (let dy = 0; dy < 2; dy++) {
          for (let dx = 0; dx < 2; dx++) {
            const sx = 2 * x + dx;
            const sy = 2 * y + dy;
            if (sx >= width || sy >= height || !known[sy * width + sx]) continue;
            for (let c = 0; c < channels; c++) sums[c]! += values[(sy * width + sx) * channels + c]!;
            n++;
          }
        }
        if (n) {
          smallKnown[y * w2 + x] = 1;
          for (let c = 0; c < channels; c++) small[(y * w2 + x) * channels + c] = sums[c]! / n;
        }
      }
    }
    diffuse(small, smallKnown, w2, h2, channels);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (known[y * width + x]) continue;
        const s = (Math.min(h2 - 1, y >> 1) * w2 + Math.min(w2 - 1, x >> 1)) * channels;
        for (let c = 0; c < channels; c++) values[(y * width + x) * channels + c] = small[s + c]!;
      }
    }
  }
  // Relax the holes towards the average of their neighbours (Gauss–Seidel).
  const passes = width * height <= 64 ? 200 : 24;
  for (let pass = 0; pass < passes; pass++) {
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const p = y * width + x;
        if (known[p]) continue;
        for (let c = 0; c < channels; c++) {
          let sum = 0;
          let n = 0;
          if (x > 0) (sum += values[(p - 1) * channels + c]!), n++;
          if (x < width - 1) (sum += values[(p + 1) * channels + c]!), n++;
          if (y > 0) (sum += values[(p - width) * channels + c]!), n++;
          if (y < height - 1) (sum += values[(p + width) * channels + c]!), n++;
          values[p * channels + c] = sum / n;
        }
      }
    }
  }
}

/** Erases what the mask selects, filling it from the surrounding pixels. */
export function inpaint(image: Raster, mask: Uint8Array): Raster {
  const { width, height } = image;
  const values = new Float32Array(width * height * 3);
  const known = new Uint8Array(width * height);
  for (let p = 0; p < width * height; p++) {
    known[p] = mask[p] ? 0 : 1;
    values[p * 3] = image.rgba[p * 4]!;
    values[p * 3 + 1] = image.rgba[p * 4 + 1]!;
    values[p * 3 + 2] = image.rgba[p * 4 + 2]!;
  }
  diffuse(values, known, width, height, 3);
  const rgba = new Uint8Array(image.rgba);
  for (let p = 0; p < width * height; p++) {
    if (known[p]) continue;
    rgba[p * 4] = values[p * 3]!;
    rgba[p * 4 + 1] = values[p * 3 + 1]!;
    rgba[p * 4 + 2] = values[p * 3 + 2]!;
    rgba[p * 4 + 3] = 255;
  }
  return { width, height, rgba };
}

/** A soft-edged version of a 0/1 mask (box blur of the given radius), 0..1 per pixel. */
export function feather(mask: Uint8Array, width: number, height: number, radius: number): Float32Array {
  const horizontal = new Float32Array(width * height);
  const out = new Float32Array(width * height);
  const span = 2 * radius + 1;
  for (let y = 0; y < height; y++) {
    let sum = 0;
    for (let x = -radius; x <= radius; x++) sum += mask[y * width + Math.min(width - 1, Math.max(0, x))]!;
    for (let x = 0; x < width; x++) {
      horizontal[y * width + x] = sum / span;
      sum += mask[y * width + Math.min(width - 1, x + radius + 1)]! - mask[y * width + Math.max(0, x - radius)]!;
    }
  }
  for (let x = 0; x < width; x++) {
    let sum = 0;
    for (let y = -radius; y <= radius; y++) sum += horizontal[Math.min(height - 1, Math.max(0, y)) * width + x]!;
    for (let y = 0; y < height; y++) {
      out[y * width + x] = sum / span;
      sum += horizontal[Math.min(height - 1, y + radius + 1) * width + x]! - horizontal[Math.max(0, y - radius) * width + x]!;
    }
  }
  return out;
}

/** Lays `top` over `base` where `alpha` (0..1 per pixel) says. */
export function composite(base: Raster, top: Uint8Array, alpha: Float32Array): Raster {
  const rgba = new Uint8Array(base.rgba);
  for (let p = 0; p < base.width * base.height; p++) {
    const a = alpha[p]!;
    if (a <= 0) continue;
    for (let c = 0; c < 3; c++) rgba[p * 4 + c] = base.rgba[p * 4 + c]! * (1 - a) + top[p * 4 + c]! * a;
  }
  return { width: base.width, height: base.height, rgba };
}

interface Adjustment {
  exposure: number;
  contrast: number;
  saturation: number;
  temperature: number;
  sepia: boolean;
}

const instructionWords: [RegExp, string, (a: Adjustment) => void][] = [
  [/\bwarm(er)?\b/, 'warmer', (a) => (a.temperature += 24)],
  [/\b(cool(er)?|cold(er)?)\b/, 'cooler', (a) => (a.temperature -= 24)],
  [/\b(bright(er|en)?|light(er|en)?)\b/, 'brighter', (a) => (a.exposure *= 1.2)],
  [/\bdark(er|en)?\b/, 'darker', (a) => (a.exposure *= 0.78)],
  [/\bmore contrast|contrast(y)?\b|\bpunch(y|ier)?\b/, 'more contrast', (a) => (a.contrast *= 1.3)],
  [/\b(less contrast|flat(ter)?|soft(er|en)?)\b/, 'less contrast', (a) => (a.contrast *= 0.75)],
  [/\b(vivid|saturated|more colou?r(ful)?|vibrant)\b/, 'more saturated', (a) => (a.saturation *= 1.4)],
  [/\b(muted|desaturated?|less colou?r|washed)\b/, 'less saturated', (a) => (a.saturation *= 0.55)],
  [/\b(black and white|black-and-white|b&w|grayscale|greyscale|monochrome)\b/, 'black and white', (a) => (a.saturation = 0)],
  [/\b(sepia|vintage|old photo)\b/, 'sepia', (a) => (a.sepia = true)],
];

/** Applies the colour and light changes an instruction asks for; says which it understood. */
export function gradeByInstruction(image: Raster, instruction: string): { image: Raster; applied: string[] } {
  const text = instruction.toLowerCase();
  const adjustment: Adjustment = { exposure: 1, contrast: 1, saturation: 1, temperature: 0, sepia: false };
  const applied: string[] = [];
  for (const [pattern, name, apply] of instructionWords) {
    if (pattern.test(text)) {
      apply(adjustment);
      applied.push(name);
    }
  }
  if (!applied.length) return { image, applied };
  const rgba = new Uint8Array(image.rgba.length);
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);
  for (let i = 0; i < rgba.length; i += 4) {
    let r = image.rgba[i]! * adjustment.exposure;
    let g = image.rgba[i + 1]! * adjustment.exposure;
    let b = image.rgba[i + 2]! * adjustment.exposure;
    const lum = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    r = lum + (r - lum) * adjustment.saturation;
    g = lum + (g - lum) * adjustment.saturation;
    b = lum + (b - lum) * adjustment.saturation;
    if (adjustment.sepia) [r, g, b] = [lum * 1.07 + 20, lum * 0.95 + 8, lum * 0.78];
    r = (r - 128) * adjustment.contrast + 128 + adjustment.temperature;
    g = (g - 128) * adjustment.contrast + 128;
    b = (b - 128) * adjustment.contrast + 128 - adjustment.temperature;
    rgba[i] = clamp(r);
    rgba[i + 1] = clamp(g);
    rgba[i + 2] = clamp(b);
    rgba[i + 3] = image.rgba[i + 3]!;
  }
  return { image: { width: image.width, height: image.height, rgba }, applied };
}
