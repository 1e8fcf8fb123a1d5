// The preview watermark: the product's mark (◐ rings on a diagonal lattice) laid over the
// whole image, drawn on already-downscaled pixels. Pure: RGBA in, RGBA out.
//
// A mark that sits at the same place with the same opacity on every image can be estimated
// from many previews and subtracted (Dekel et al., CVPR 2017). So each image's mark is placed
// by its own parameters, derived from a server-side key (offset, scale, rotation, opacity and
// a small smooth warp, so it does not even repeat exactly within one image), and its strokes
// carry keyed grain: what lies under a stroke is mixed with noise nobody else knows, so even
// a perfect estimate of the mark cannot give the pixels back. A thumbnail carries the same
// strokes over the same parts of the picture (markFor).
import type { Raster } from '../style/components';
import { markedSide, PREVIEW_SIDE } from './limits';

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

/**
 * The mark for a copy of the picture at `factor` times the preview's size (a thumbnail): the
 * same strokes over the same parts of the picture, so no rendition shows what another's
 * strokes hide. Lines stay at least a pixel wide, so a smaller copy's strokes cover more.
 */
export function markAt(params: MarkParams, factor: number): MarkParams {
  if (factor === 1) return params;
  const { warp } = params;
  return {
    ...params,
    offsetX: params.offsetX * factor,
    offsetY: params.offsetY * factor,
    scale: params.scale * factor,
    warp: {
      ...warp,
      ax: warp.ax * factor,
      ay: warp.ay * factor,
      bx: warp.bx * factor,
      by: warp.by * factor,
      kx: warp.kx / factor,
      ky: warp.ky / factor,
      lx: warp.lx / factor,
      ly: warp.ly / factor,
    },
  };
}

/**
 * The mark of a width × height original's rendition whose longest side is at most `maxSide`:
 * the preview's own, and on a thumbnail the same strokes over the same parts of the picture
 * (enlarged, a thumbnail would otherwise show what the preview's strokes hide).
 */
export function markFor(params: MarkParams, width: number, height: number, maxSide: number): MarkParams {
  return markAt(params, markedSide(width, height, maxSide) / markedSide(width, height, PREVIEW_SIDE));
}

/** Coverage of a band [from, to] (mark units) at distance d, antialiased over one pixel. */
const band = (d: number, from: number, to: number, pixel: number) => {
  const inside = Math.min(d - from, to - d) / pixel + 0.5;
  return inside <= 0 ? 0 : inside >= 1 ? 1 : inside;
};

/**
 * The grain at one pixel and channel, in [0, 1): a well-mixed hash of the pixel's mixed
 * coordinates and seed (`spot`, see `drawMark`), the channel and the seed's second word.
 */
function grainAt(spot: number, c: number, seed1: number): number {
  let h = (spot ^ Math.imul(c + 1, 0x9e3779b1)) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) ^ seed1;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
  return ((h ^ (h >>> 16)) >>> 0) / 4294967296;
}

/** Radii of the ring (mark units at scale 1): its dark edge ends at OUTER + 1.5. */
const OUTER = 22;
const INNER = 16;
/** Past this distance from a centre nothing of its ring is drawn. */
const REACH = OUTER + 3;

/**
 * Draws the mark: at each centre a ring (light with a dark edge, readable on any picture)
 * around a half-filled disc (the product's ◐), and a faint diagonal lattice between them.
 * With `over` it is laid over the RGBA in `target` in place; otherwise `target` (zeroed)
 * receives the mark alone as straight-alpha RGBA. One pass that steps over runs of pixels
 * far from every stroke (most of the picture); only stroke pixels are drawn and grained.
 */
function drawMark(width: number, height: number, params: MarkParams, target: Uint8Array, over: boolean): void {
  const { offsetX, offsetY, scale, rotation, opacity, warp, grain, grainSeed } = params;
  const cos = Math.cos(rotation) / scale;
  const sin = Math.sin(rotation) / scale;
  const pixel = 1 / scale; // one preview pixel in mark units
  const half = MARK_SPACING / 2;
  // A lattice line (about 1.4 px wide, antialiased) covers nothing farther than this.
  const lineReach = 1.25 * pixel;
  // The warp is separable and the rotation linear, so a pixel's place in the mark is a
  // column's part plus a row's part: both computed once.
  const colX = new Float64Array(width);
  const colY = new Float64Array(width);
  const colSpot = new Int32Array(width);
  for (let x = 0; x < width; x++) {
    const u = x + warp.bx * Math.sin(warp.lx * x + warp.qx);
    const v = warp.ay * Math.sin(warp.ky * x + warp.py);
    colX[x] = cos * u + sin * v;
    colY[x] = -sin * u + cos * v;
    colSpot[x] = Math.imul(x, 0x27d4eb2d) ^ grainSeed[0];
  }
  // How far (mark units) one pixel to the right moves a point of the mark, at most: the
  // distances to the strokes change by no more, so a run of pixels far from them is skipped.
  const step = (Math.hypot(1 + Math.abs(warp.bx * warp.lx), Math.abs(warp.ay * warp.ky)) / scale) * 1.001 + 1e-9;
  const seed1 = grainSeed[1];
  for (let y = 0; y < height; y++) {
    const u = warp.ax * Math.sin(warp.kx * y + warp.px) - offsetX;
    const v = y + warp.by * Math.sin(warp.ly * y + warp.qy) - offsetY;
    const rowX = cos * u + sin * v;
    const rowY = -sin * u + cos * v;
    const rowSpot = Math.imul(y, 0x165667b1);
    for (let x = 0; x < width; x++) {
      const mx = colX[x]! + rowX;
      const my = colY[x]! + rowY;
      // Lattice: lines where mx + my is a multiple of half a tile.
      const sum = mx + my;
      const along = sum - Math.floor(sum / half) * half;
      const toLine = (along < half - along ? along : half - along) * Math.SQRT1_2;
      // The nearest centre: rows of centres every tile, every other row shifted by half a tile.
      const row = Math.floor(my / MARK_SPACING);
      const dy = my - row * MARK_SPACING - half;
      const base = row & 1 ? 0 : half;
      const dx = mx - (Math.round((mx - base) / MARK_SPACING) * MARK_SPACING + base);
      // The distance to the nearest centre, or half a tile: every other centre is farther.
      const r2 = dx * dx + dy * dy;
      const fromCentre = Math.min(half, Math.sqrt(r2));
      const clear = Math.min(toLine - lineReach, fromCentre - REACH);
      if (clear >= 0) {
        // Far from every stroke: so are the next pixels, as none moves farther than `step`.
        x += Math.floor(clear / step);
        continue;
      }
      let alpha = toLine < lineReach ? 0.2 * Math.min(1, (0.75 * pixel - toLine) / pixel + 0.5) : 0;
      let value = 255;
      if (dx > -REACH && dx < REACH && dy > -REACH && dy < REACH && r2 < REACH * REACH) {
        const r = Math.sqrt(r2);
        const edge = 0.5 * band(r, OUTER - 1, OUTER + 1.5, pixel);
        const ring = 0.6 * band(r, INNER, OUTER - 1, pixel);
        const disc = dx < 0 ? 0.62 * band(r, -1, INNER - 3, pixel) * band(-dx, 0, INNER, pixel) : 0;
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
      const cover = Math.round(255 * Math.min(1, alpha * opacity));
      if (over && !cover) continue;
      const i = (y * width + x) * 4;
      const spot = colSpot[x]! ^ rowSpot;
      for (let c = 0; c < 3; c++) {
        // Grain pulls the colour toward mid-grey by a keyed random amount: light strokes
        // darken, dark ones lighten, and nobody without the key knows by how much.
        const pull = grain ? grain * grainAt(spot, c, seed1) : 0;
        const colour = Math.round(value > 127 ? Math.max(0, value - pull) : Math.min(255, value + pull));
        target[i + c] = over ? Math.round(target[i + c]! + (colour - target[i + c]!) * (cover / 255)) : colour;
      }
      if (!over) target[i + 3] = cover;
    }
  }
}

/** The mark alone, as straight-alpha RGBA the size of the image. `grain: 0` draws it without noise. */
export function markOverlay(width: number, height: number, params: MarkParams): Raster {
  const rgba = new Uint8Array(width * height * 4);
  drawMark(width, height, params, rgba, false);
  return { width, height, rgba };
}

/** Draws this image's mark over it, in place: the same pixels as compositing `markOverlay`, without the overlay. */
export function applyWatermark(image: Raster, params: MarkParams): Raster {
  drawMark(image.width, image.height, params, image.rgba, true);
  return image;
}
