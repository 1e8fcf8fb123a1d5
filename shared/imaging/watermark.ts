// The preview watermark: a mark tiled over the whole image (so no crop removes it), drawn on
// already-downscaled pixels. Pure: RGBA in, RGBA changed in place.
import type { Raster } from '../style/components';

/** Distance between mark centres, in pixels of the preview. */
export const MARK_SPACING = 128;

/** Centres of every mark on an image of this size (rows offset by half a tile). */
export function markCentres(width: number, height: number): { x: number; y: number }[] {
  const centres: { x: number; y: number }[] = [];
  for (let row = 0, y = MARK_SPACING / 2; y < height + MARK_SPACING / 2; row++, y += MARK_SPACING) {
    for (let x = row % 2 ? MARK_SPACING : MARK_SPACING / 2; x < width + MARK_SPACING / 2; x += MARK_SPACING) centres.push({ x, y });
  }
  return centres;
}

const blend = (rgba: Uint8Array, i: number, value: number, alpha: number) => {
  rgba[i] = rgba[i]! + (value - rgba[i]!) * alpha;
  rgba[i + 1] = rgba[i + 1]! + (value - rgba[i + 1]!) * alpha;
  rgba[i + 2] = rgba[i + 2]! + (value - rgba[i + 2]!) * alpha;
};

/**
 * Draws the mark: at each centre a ring (light with a dark edge, readable on any picture)
 * around a half-filled disc (the product's ◐), and a faint diagonal lattice between them.
 */
export function applyWatermark(image: Raster): Raster {
  const { width, height, rgba } = image;
  const outer = 22;
  const inner = 16;
  // Lattice: thin diagonal lines every half tile.
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const d = (x + y) % (MARK_SPACING / 2);
      if (d < 2) blend(rgba, (y * width + x) * 4, 255, 0.18);
    }
  }
  for (const c of markCentres(width, height)) {
    for (let y = Math.max(0, Math.floor(c.y - outer - 2)); y < Math.min(height, Math.ceil(c.y + outer + 2)); y++) {
      for (let x = Math.max(0, Math.floor(c.x - outer - 2)); x < Math.min(width, Math.ceil(c.x + outer + 2)); x++) {
        const r = Math.hypot(x - c.x, y - c.y);
        const i = (y * width + x) * 4;
        if (r <= outer + 1.5 && r > outer - 1) blend(rgba, i, 0, 0.45);
        else if (r <= outer - 1 && r > inner) blend(rgba, i, 255, 0.55);
        else if (r <= inner - 3 && x < c.x) blend(rgba, i, 255, 0.6);
      }
    }
  }
  return image;
}
