// An attack on the preview watermark, for the test and the bench: the attacker knows the
// algorithm (shared/imaging/watermark.ts, the ranges its parameters are drawn from, the mark's
// colours and the grain's strength) but not the server's key. From many marked previews of one
// Style it estimates the mark the way Dekel et al. (CVPR 2017) do, from statistics over the
// images, then inverts it (solves each pixel for what lay under the mark) and is scored by
// PSNR against the original at the preview's size.
//
// Three attackers, each stronger than the last:
// - blind: the previews stacked pixel on pixel (right for a mark that never moves);
// - aligned: told each preview's exact offset, scale and rotation (the best any search over
//   that space could find), so it folds every tile of every preview onto one cell of the
//   mark; only the warp, the opacity and the grain stay unknown;
// - oracle: told everything but the grain, so its estimate of the mark is exact.
import * as nodePhoton from '@cf-wasm/photon/node';
import { createPhotonRenderer } from '../../edge/imaging/photon';
import { concatBytes } from '../../shared/encoding';
import { readImageHeader } from '../../shared/imaging/header';
import { PREVIEW_SIDE, THUMB_SIDE } from '../../shared/imaging/limits';
import { markFor, type MarkParams, MARK_SPACING, markOverlay } from '../../shared/imaging/watermark';
import { paintScene } from '../../shared/style/render';
import { promptComponents } from '../../shared/style/prompt';
import type { Raster } from '../../shared/style/components';

export const renderer = createPhotonRenderer(nodePhoton);

export interface Sample {
  /** The original, downscaled to the preview's size by the same path. */
  original: Raster;
  /** The marked preview as served (decoded JPEG). */
  preview: Raster;
  /** The image's mark, as the server drew it; only the aligned and oracle attackers see parts of it. */
  mark: MarkParams;
}

export function decodeJpeg(bytes: Uint8Array): Raster {
  const image = nodePhoton.PhotonImage.new_from_byteslice(bytes);
  try {
    return { width: image.get_width(), height: image.get_height(), rgba: image.get_raw_pixels() };
  } finally {
    image.free();
  }
}

/** Originals "of one Style": one set of components, different seeds, each a PNG. */
export async function styleOriginals(count: number, side: number): Promise<Uint8Array[]> {
  const components = promptComponents('harbour at dusk, warm cinematic');
  const originals: Uint8Array[] = [];
  for (let seed = 1; seed <= count; seed++) {
    originals.push(await renderer.encodePng({ width: side, height: side, rgba: paintScene({ width: side, height: side, seed, components }) }));
  }
  return originals;
}

/** Marked previews through the real renderer, each original with its own mark. */
export async function samples(originals: Uint8Array[], marks: MarkParams[], maxSide: number): Promise<Sample[]> {
  return Promise.all(
    originals.map(async (png, k) => {
      const preview = decodeJpeg((await renderer.rendition(png, maxSide, marks[k]!)).bytes);
      const original = await renderer.decode(png, Math.max(preview.width, preview.height));
      return { original, preview, mark: marks[k]! };
    }),
  );
}

/** Peak signal-to-noise ratio over R, G and B, in dB. */
export function psnr(a: Raster, b: Raster): number {
  let sum = 0;
  for (let i = 0; i < a.rgba.length; i += 4) {
    for (let c = 0; c < 3; c++) sum += (a.rgba[i + c]! - b.rgba[i + c]!) ** 2;
  }
  return 10 * Math.log10((255 * 255) / (sum / (a.width * a.height * 3)));
}

/**
 * Mean of each channel over a (2r+1)² window, leaving out pixels `skip` marks: the picture
 * around a pixel, without what the attacker already believes is mark.
 */
function surroundings(image: Raster, r: number, skip?: Uint8Array): Float32Array {
  const { width, height, rgba } = image;
  // Running sums along rows, then along columns: three channels' sums and the count.
  const rows = new Float32Array(width * height * 4);
  const sums = new Float64Array(4);
  const add = (j: number, sign: number) => {
    if (skip?.[j]) return;
    for (let c = 0; c < 3; c++) sums[c]! += sign * rgba[j * 4 + c]!;
    sums[3]! += sign;
  };
  for (let y = 0; y < height; y++) {
    sums.fill(0);
    for (let x = 0; x < Math.min(width, r); x++) add(y * width + x, 1);
    for (let x = 0; x < width; x++) {
      if (x + r < width) add(y * width + x + r, 1);
      if (x - r - 1 >= 0) add(y * width + x - r - 1, -1);
      rows.set(sums, (y * width + x) * 4);
    }
  }
  const out = new Float32Array(width * height * 3);
  for (let x = 0; x < width; x++) {
    sums.fill(0);
    const take = (y: number, sign: number) => {
      for (let c = 0; c < 4; c++) sums[c]! += sign * rows[(y * width + x) * 4 + c]!;
    };
    for (let y = 0; y < Math.min(height, r); y++) take(y, 1);
    for (let y = 0; y < height; y++) {
      if (y + r < height) take(y + r, 1);
      if (y - r - 1 >= 0) take(y - r - 1, -1);
      const j = y * width + x;
      for (let c = 0; c < 3; c++) out[j * 3 + c] = sums[3]! > 0.5 ? sums[c]! / sums[3]! : rgba[j * 4 + c]!;
    }
  }
  return out;
}

/** Where a preview's pixel falls in the attacker's model of the mark (an index into it). */
type Place = (k: number, x: number, y: number) => number;

/**
 * Estimates the mark (its opacity at each place, and whether it lightens or darkens there)
 * from every preview's deviation from its own surroundings, averaged over every pixel that
 * falls on the same place, then inverts it in every preview.
 */
function estimateAndInvert(previews: Raster[], places: number, place: Place, grain: number): Raster[] {
  // Twice: the second round measures each pixel's surroundings without the pixels the first
  // round found clearly lightened, so the mark no longer lifts the background it is measured
  // against (leaving out more would leave some windows empty).
  const first = estimate(previews, places, place, grain, []);
  const skips = previews.map((p, k) => {
    const skip = new Uint8Array(p.width * p.height);
    for (let y = 0; y < p.height; y++) {
      for (let x = 0; x < p.width; x++) {
        const at = place(k, x, y);
        if (at >= 0 && first[at]! > 0.25) for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) skip[Math.min(p.height - 1, Math.max(0, y + dy)) * p.width + Math.min(p.width - 1, Math.max(0, x + dx))] = 1;
      }
    }
    return skip;
  });
  return invert(previews, estimate(previews, places, place, grain, skips), place, grain);
}

/** The mark's opacity at each place; negative where it darkens. */
function estimate(previews: Raster[], places: number, place: Place, grain: number, skips: Uint8Array[]): Float64Array {
  const light = 255 - grain / 2;
  const dark = grain / 2;
  const lift = new Float64Array(places); // mean of (pixel − surroundings)
  const headroomUp = new Float64Array(places); // mean of (light − surroundings)
  const headroomDown = new Float64Array(places); // mean of (surroundings − dark)
  const count = new Float64Array(places);
  const around = previews.map((p, k) => surroundings(p, 14, skips[k]));
  previews.forEach((p, k) => {
    for (let y = 0; y < p.height; y++) {
      for (let x = 0; x < p.width; x++) {
        const at = place(k, x, y);
        if (at < 0) continue;
        const j = y * p.width + x;
        for (let c = 0; c < 3; c++) {
          const b = around[k]![j * 3 + c]!;
          lift[at] = lift[at]! + p.rgba[j * 4 + c]! - b;
          headroomUp[at] = headroomUp[at]! + light - b;
          headroomDown[at] = headroomDown[at]! + b - dark;
          count[at] = count[at]! + 1;
        }
      }
    }
  });
  // Opacity where the estimate stands clear of the picture's own texture; negative: darkening.
  const alpha = new Float64Array(places);
  for (let at = 0; at < places; at++) {
    if (!count[at]) continue;
    const d = lift[at]! / count[at]!;
    if (Math.abs(d) < 2) continue;
    const a = d > 0 ? d / (headroomUp[at]! / count[at]!) : -(-d / (headroomDown[at]! / count[at]!));
    alpha[at] = Math.max(-0.9, Math.min(0.9, a));
  }
  return alpha;
}

function invert(previews: Raster[], alpha: Float64Array, place: Place, grain: number): Raster[] {
  const light = 255 - grain / 2;
  const dark = grain / 2;
  return previews.map((p, k) => {
    const out = new Uint8Array(p.rgba);
    for (let y = 0; y < p.height; y++) {
      for (let x = 0; x < p.width; x++) {
        const at = place(k, x, y);
        if (at < 0 || !alpha[at]) continue;
        const a = Math.abs(alpha[at]!);
        const value = alpha[at]! > 0 ? light : dark;
        const i = (y * p.width + x) * 4;
        for (let c = 0; c < 3; c++) out[i + c] = Math.max(0, Math.min(255, Math.round((p.rgba[i + c]! - a * value) / (1 - a))));
      }
    }
    return { width: p.width, height: p.height, rgba: out };
  });
}

/** The previews stacked pixel on pixel, as for a mark that sits in the same place on every image. */
export function blindAttack(previews: Raster[], grain: number): Raster[] {
  const { width, height } = previews[0]!;
  return estimateAndInvert(previews, width * height, (_, x, y) => (x < width && y < height ? y * width + x : -1), grain);
}

/**
 * Told each preview's offset, scale and rotation, the attacker folds every pixel of every
 * preview onto one cell of the mark (at half-pixel resolution), so it averages over every
 * tile of every image; the warp, opacity and grain it does not know.
 */
export function alignedAttack(previews: Raster[], marks: MarkParams[], grain: number): Raster[] {
  const bins = MARK_SPACING * 2;
  return estimateAndInvert(
    previews,
    bins * bins,
    (k, x, y) => {
      const { offsetX, offsetY, scale, rotation } = marks[k]!;
      const u = x - offsetX;
      const v = y - offsetY;
      const mx = (Math.cos(rotation) * u + Math.sin(rotation) * v) / scale;
      const my = (-Math.sin(rotation) * u + Math.cos(rotation) * v) / scale;
      // The mark repeats along (128, 0) and (64, 128): fold onto one 128 × 128 cell.
      const row = Math.floor(my / MARK_SPACING);
      const cy = my - row * MARK_SPACING;
      const cx = (((mx - row * (MARK_SPACING / 2)) % MARK_SPACING) + MARK_SPACING) % MARK_SPACING;
      return Math.min(bins - 1, Math.floor(cy * 2)) * bins + Math.min(bins - 1, Math.floor(cx * 2));
    },
    grain,
  );
}

/** Told everything but the grain: the mark's exact opacity and colour at every pixel. */
export function oracleAttack(previews: Raster[], marks: MarkParams[]): Raster[] {
  return previews.map((p, k) => {
    const mark = marks[k]!;
    const overlay = markOverlay(p.width, p.height, { ...mark, grain: 0 }).rgba;
    const out = new Uint8Array(p.rgba);
    for (let i = 0; i < out.length; i += 4) {
      const a = Math.min(0.98, overlay[i + 3]! / 255);
      if (!a) continue;
      // The grain's mean is known; its values are not.
      const value = overlay[i]! > 127 ? overlay[i]! - mark.grain / 2 : overlay[i]! + mark.grain / 2;
      for (let c = 0; c < 3; c++) out[i + c] = Math.max(0, Math.min(255, Math.round((p.rgba[i + c]! - a * value) / (1 - a))));
    }
    return { width: p.width, height: p.height, rgba: out };
  });
}

/** The mean PSNR of the previews and of their inversions against the originals, and the gain. */
export function score(samples: Sample[], inverted: Raster[]): { marked: number; inverted: number; gain: number } {
  const marked = samples.reduce((s, x) => s + psnr(x.preview, x.original), 0) / samples.length;
  const after = samples.reduce((s, x, k) => s + psnr(inverted[k]!, x.original), 0) / samples.length;
  return { marked, inverted: after, gain: after - marked };
}

// Two attacks that leave the mark's model aside and fill its strokes from elsewhere:
// - inpainting: the strokes' pixels are thrown away and filled from their surroundings
//   (from the edges inward, then smoothed by diffusion), as a designer's healing brush would;
// - the thumbnail: a locked image's thumbnail is enlarged to the preview's size and fills the
//   strokes wherever its own mark leaves it clean; what both marks cover is inpainted.
// Both attackers are told exactly which pixels the marks cover (more than any detector of
// the visible mark could find), so what they gain bounds what a real one could.

/** The pixels a mark covers at all, grown by `grow` pixels (JPEG smears a stroke's edge). */
export function strokeMask(width: number, height: number, mark: MarkParams, grow: number): Uint8Array {
  const overlay = markOverlay(width, height, { ...mark, grain: 0 }).rgba;
  const mask = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (!overlay[(y * width + x) * 4 + 3]) continue;
      for (let dy = -grow; dy <= grow; dy++) {
        for (let dx = -grow; dx <= grow; dx++) {
          const yy = y + dy;
          const xx = x + dx;
          if (yy >= 0 && yy < height && xx >= 0 && xx < width) mask[yy * width + xx] = 1;
        }
      }
    }
  }
  return mask;
}

/**
 * Fills the masked pixels from the rest: ring by ring from the mask's edge inward (each pixel
 * the mean of its already known neighbours), then relaxed toward the smooth (harmonic) fill.
 */
export function inpaint(image: Raster, mask: Uint8Array): Raster {
  const { width, height } = image;
  const rgba = new Uint8Array(image.rgba);
  const value = Float32Array.from(rgba);
  const known = mask.map((m) => (m ? 0 : 1));
  let front = [...mask.keys()].filter((j) => mask[j]);
  while (front.length) {
    const filled: number[] = [];
    const rest: number[] = [];
    for (const j of front) {
      const x = j % width;
      const y = (j - x) / width;
      let weight = 0;
      const sum = [0, 0, 0];
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const xx = x + dx;
          const yy = y + dy;
          if ((!dx && !dy) || xx < 0 || yy < 0 || xx >= width || yy >= height || !known[yy * width + xx]) continue;
          const w = dx && dy ? Math.SQRT1_2 : 1;
          for (let c = 0; c < 3; c++) sum[c]! += w * value[(yy * width + xx) * 4 + c]!;
          weight += w;
        }
      }
      if (!weight) {
        rest.push(j);
        continue;
      }
      for (let c = 0; c < 3; c++) value[j * 4 + c] = sum[c]! / weight;
      filled.push(j);
    }
    if (!filled.length) break;
    for (const j of filled) known[j] = 1;
    front = rest;
  }
  const holes = [...mask.keys()].filter((j) => mask[j]);
  for (let round = 0; round < 60; round++) {
    for (const j of holes) {
      const x = j % width;
      const y = (j - x) / width;
      const around = [x > 0 ? j - 1 : j + 1, x < width - 1 ? j + 1 : j - 1, y > 0 ? j - width : j + width, y < height - 1 ? j + width : j - width];
      for (let c = 0; c < 3; c++) value[j * 4 + c] = (value[around[0]! * 4 + c]! + value[around[1]! * 4 + c]! + value[around[2]! * 4 + c]! + value[around[3]! * 4 + c]!) / 4;
    }
  }
  for (const j of holes) for (let c = 0; c < 3; c++) rgba[j * 4 + c] = Math.max(0, Math.min(255, Math.round(value[j * 4 + c]!)));
  return { width, height, rgba };
}

/** The strokes of each preview inpainted from their surroundings. */
export function inpaintAttack(samples: Sample[], grow: number): Raster[] {
  return samples.map((s) => inpaint(s.preview, strokeMask(s.preview.width, s.preview.height, s.mark, grow)));
}

/** The renderer's upscale (Lanczos), its pieces gathered into one PNG. */
async function enlargedPng(bytes: Uint8Array, longSide: number): Promise<Uint8Array> {
  const pieces: Uint8Array[] = [];
  await renderer.upscale(bytes, longSide, async (piece) => void pieces.push(piece));
  return concatBytes(pieces);
}

/**
 * What a locked image's thumbnail gives an attacker: the marked thumbnail as served, enlarged
 * to the preview's size (Lanczos), and where its own mark lies there (the attacker is told).
 */
export async function enlargedThumbnail(original: Uint8Array, mark: MarkParams, preview: Raster, grow: number): Promise<{ picture: Raster; marked: Uint8Array }> {
  const thumb = await renderer.rendition(original, THUMB_SIDE, mark);
  const enlarged = await renderer.decode(await enlargedPng(thumb.bytes, Math.max(preview.width, preview.height)));
  if (enlarged.width !== preview.width || enlarged.height !== preview.height) throw new Error('The enlarged thumbnail does not match the preview.');
  const header = readImageHeader(original)!;
  const own = strokeMask(thumb.width, thumb.height, markFor(mark, header.width, header.height, THUMB_SIDE), grow);
  const marked = new Uint8Array(preview.width * preview.height);
  for (let y = 0; y < preview.height; y++) {
    for (let x = 0; x < preview.width; x++) {
      const tx = Math.min(thumb.width - 1, Math.floor(((x + 0.5) * thumb.width) / preview.width));
      const ty = Math.min(thumb.height - 1, Math.floor(((y + 0.5) * thumb.height) / preview.height));
      marked[y * preview.width + x] = own[ty * thumb.width + tx]!;
    }
  }
  return { picture: enlarged, marked };
}

/**
 * The preview's strokes (grown by `grow` pixels) filled from the enlarged thumbnail wherever
 * the thumbnail's own mark (grown by `thumbGrow` of its pixels) leaves it clean; what both
 * marks cover is inpainted.
 */
export async function thumbnailAttack(originals: Uint8Array[], samples: Sample[], grow: number, thumbGrow: number): Promise<Raster[]> {
  return Promise.all(
    samples.map(async (s, k) => {
      const { width, height } = s.preview;
      const { picture, marked } = await enlargedThumbnail(originals[k]!, s.mark, s.preview, thumbGrow);
      const strokes = strokeMask(width, height, s.mark, grow);
      const rgba = new Uint8Array(s.preview.rgba);
      const both = new Uint8Array(width * height);
      for (let j = 0; j < width * height; j++) {
        if (!strokes[j]) continue;
        if (marked[j]) both[j] = 1;
        else for (let c = 0; c < 3; c++) rgba[j * 4 + c] = picture.rgba[j * 4 + c]!;
      }
      return inpaint({ width, height, rgba }, both);
    }),
  );
}

/**
 * How close each picture, enlarged to the licensed preview's size (Lanczos), comes to the
 * licensed preview itself (unmarked, as large as the preview size allows): mean PSNR, in dB.
 */
export async function againstLicensed(originals: Uint8Array[], pictures: Raster[]): Promise<number> {
  const each = await Promise.all(
    pictures.map(async (picture, k) => {
      const licensed = decodeJpeg((await renderer.rendition(originals[k]!, PREVIEW_SIDE)).bytes);
      const enlarged = await renderer.decode(await enlargedPng(await renderer.encodePng(picture), Math.max(licensed.width, licensed.height)));
      return psnr(enlarged, licensed);
    }),
  );
  return each.reduce((a, b) => a + b, 0) / each.length;
}
