// The preview watermark: the product's mark (◐ rings on a diagonal lattice) laid over the
// whole image, drawn on already-downscaled pixels. Pure: RGBA in, RGBA out.
//
// A mark that sits at the same place with the same opacity on every image can be estimated
// from many previews and subtracted (Dekel et al., CVPR 2017). So each image's mark is placed
// by its own parameters, derived from a server-side key (offset, scale, rotation, opacity and
// a small smooth warp, so it does not even repeat exactly within one image), and its strokes
// carry keyed grain: what lies under a stroke is mixed with noise nobody else knows, so even
// a perfect estimate of the mark cannot give the pixels back.
import type { Raster } from '../style/components';

/** Distance between mark centres, in pixels of the preview, at scale 1. */
export const MARK_SPACING = 128;

/** Everything that places one image's mark; `markParams` derives it from a key. */
export interface MarkParams {
  /** Where the lattice starts, in preview pixels. */
  offsetX: number;
  offsetY: number;
  /** Size of the mark against MARK_SPACING. */
  scale: number;
  /** Radians. */
  rotation: number;
  /** Multiplies every stroke's opacity. */
  opacity: number;
  /** A smooth displacement (in pixels) of the whole mark: amplitudes, wave numbers, phases. */
  warp: { ax: number; ay: number; bx: number; by: number; kx: number; ky: number; lx: number; ly: number; px: number; py: number; qx: number; qy: number };
  /** Strength of the grain in the strokes' colour (0..255), and its seed (two 32-bit words). */
  grain: number;
  grainSeed: [number, number];
}

/** The mark as it was before it varied: one place, one opacity, no grain. Kept to show why. */
export const FIXED_MARK: MarkParams = {
  offsetX: 0,
  offsetY: 0,
  scale: 1,
  rotation: 0,
  opacity: 1,
  warp: { ax: 0, ay: 0, bx: 0, by: 0, kx: 0, ky: 0, lx: 0, ly: 0, px: 0, py: 0, qx: 0, qy: 0 },
  grain: 0,
  grainSeed: [0, 0],
};

/** Bytes of key a mark takes: 34 for its geometry and opacity, 8 for its grain's seed. */
export const MARK_KEY_BYTES = 42;

/** Strength of the grain in every keyed mark: enough that inverting the mark gains nothing. */
const GRAIN = 190;

/**
 * One image's mark from MARK_KEY_BYTES of key (HMACs of the image under the server's secret):
 * the same bytes always give the same mark, so cached renditions stay consistent.
 */
export function markParams(key: Uint8Array): MarkParams {
  if (key.length < MARK_KEY_BYTES) throw new Error(`A watermark key needs at least ${MARK_KEY_BYTES} bytes.`);
  let at = 0;
  const unit = () => ((key[at++]! << 8) | key[at++]!) / 65536;
  const between = (low: number, high: number) => low + (high - low) * unit();
  const wave = () => (2 * Math.PI) / between(90, 260);
  const word = () => ((key[at++]! << 24) | (key[at++]! << 16) | (key[at++]! << 8) | key[at++]!) >>> 0;
  return {
    offsetX: between(0, MARK_SPACING),
    offsetY: between(0, MARK_SPACING),
    scale: between(0.85, 1.2),
    rotation: between(-0.35, 0.35),
    opacity: between(0.85, 1),
    warp: {
      ax: between(1.2, 2.6),
      ay: between(1.2, 2.6),
      bx: between(0.8, 1.8),
      by: between(0.8, 1.8),
      kx: wave(),
      ky: wave(),
      lx: wave(),
      ly: wave(),
      px: between(0, 2 * Math.PI),
      py: between(0, 2 * Math.PI),
      qx: between(0, 2 * Math.PI),
      qy: between(0, 2 * Math.PI),
    },
    grain: GRAIN,
    grainSeed: [word(), word()],
  };
}

/** Coverage of a band [from, to] (mark units) at distance d, antialiased over one pixel. */
const band = (d: number, from: number, to: number, pixel: number) => {
  const inside = Math.min(d - from, to - d) / pixel + 0.5;
  return inside <= 0 ? 0 : inside >= 1 ? 1 : inside;
};

/** A well-mixed hash of a pixel, a channel and the 64-bit seed, in [0, 1): the grain, reproducible. */
function hash(x: number, y: number, c: number, seed: [number, number]): number {
  let h = (Math.imul(x, 0x27d4eb2d) ^ Math.imul(y, 0x165667b1) ^ Math.imul(c + 1, 0x9e3779b1) ^ seed[0]) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ seed[1];
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/**
 * The mark alone, as straight-alpha RGBA the size of the image: at each centre a ring (light
 * with a dark edge, readable on any picture) around a half-filled disc (the product's ◐),
 * and a faint diagonal lattice between them. `grain: 0` draws it without noise.
 */
export function markOverlay(width: number, height: number, params: MarkParams): Raster {
  const rgba = new Uint8Array(width * height * 4);
  const { offsetX, offsetY, scale, rotation, opacity, warp, grain, grainSeed } = params;
  const cos = Math.cos(rotation) / scale;
  const sin = Math.sin(rotation) / scale;
  const pixel = 1 / scale; // one preview pixel in mark units
  // The warp is separable, so it is computed once per row and once per column.
  const rowShift = Float64Array.from({ length: height }, (_, y) => warp.ax * Math.sin(warp.kx * y + warp.px));
  const rowLift = Float64Array.from({ length: height }, (_, y) => warp.by * Math.sin(warp.ly * y + warp.qy));
  const colShift = Float64Array.from({ length: width }, (_, x) => warp.bx * Math.sin(warp.lx * x + warp.qx));
  const colLift = Float64Array.from({ length: width }, (_, x) => warp.ay * Math.sin(warp.ky * x + warp.py));
  const half = MARK_SPACING / 2;
  const outer = 22;
  const inner = 16;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const u = x + rowShift[y]! + colShift[x]! - offsetX;
      const v = y + rowLift[y]! + colLift[x]! - offsetY;
      const mx = cos * u + sin * v;
      const my = -sin * u + cos * v;
      // Lattice: lines where mx + my is a multiple of half a tile, about 1.4 px wide.
      const along = (((mx + my) % half) + half) % half;
      const toLine = Math.min(along, half - along) / Math.SQRT2;
      let alpha = 0.2 * band(toLine, -0.75 * pixel, 0.75 * pixel, pixel);
      let value = 255;
      // The nearest centre: rows of centres every tile, every other row shifted by half a tile.
      const row = Math.floor(my / MARK_SPACING);
      const base = row % 2 ? 0 : half;
      const dx = mx - (Math.round((mx - base) / MARK_SPACING) * MARK_SPACING + base);
      const dy = my - (row * MARK_SPACING + half);
      const near = outer + 3;
      if (dx > -near && dx < near && dy > -near && dy < near && dx * dx + dy * dy < near * near) {
        const r = Math.sqrt(dx * dx + dy * dy);
        const edge = 0.5 * band(r, outer - 1, outer + 1.5, pixel);
        const ring = 0.6 * band(r, inner, outer - 1, pixel);
        const disc = dx < 0 ? 0.62 * band(r, -1, inner - 3, pixel) * band(-dx, 0, inner, pixel) : 0;
        const light = Math.max(ring, disc);
        // Over the lattice: the ring's edge dark, its band and the half disc light.
        if (edge > 0) {
          value = (255 * alpha * (1 - edge)) / (edge + alpha * (1 - edge));
          alpha = edge + alpha * (1 - edge);
        }
        if (light > 0) {
          value = (255 * light + value * alpha * (1 - light)) / (light + alpha * (1 - light));
          alpha = light + alpha * (1 - light);
        }
      }
      if (alpha <= 0) continue;
      const i = (y * width + x) * 4;
      for (let c = 0; c < 3; c++) {
        // Grain pulls the colour toward mid-grey by a keyed random amount: light strokes
        // darken, dark ones lighten, and nobody without the key knows by how much.
        const pull = grain * hash(x, y, c, grainSeed);
        rgba[i + c] = Math.round(value > 127 ? Math.max(0, value - pull) : Math.min(255, value + pull));
      }
      rgba[i + 3] = Math.round(255 * Math.min(1, alpha * opacity));
    }
  }
  return { width, height, rgba };
}

/** Lays a straight-alpha overlay of the same size over the image, in place. */
export function composite(image: Raster, overlay: Raster): Raster {
  const { rgba } = image;
  const over = overlay.rgba;
  for (let i = 0; i < rgba.length; i += 4) {
    const alpha = over[i + 3]! / 255;
    if (!alpha) continue;
    for (let c = 0; c < 3; c++) rgba[i + c] = Math.round(rgba[i + c]! + (over[i + c]! - rgba[i + c]!) * alpha);
  }
  return image;
}

/** Draws this image's mark over it, in place. */
export function applyWatermark(image: Raster, params: MarkParams): Raster {
  return composite(image, markOverlay(image.width, image.height, params));
}
