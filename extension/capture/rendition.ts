// Whether a file found by an image-CDN upgrade rule is the same picture as the one on the page,
// only larger: both sides at least as large and one larger, the same shape (aspect ratio within
// 2 %), and the same picture when both are averaged down to 16×16 colour cells (grey cells at
// 8×8 let two textured pictures of like tones pass for one). Pure: the capture flow (flow.ts)
// decodes both files and asks.

/** A decoded image as the comparison needs it: its size and its 16×16 colour cells (r, g, b; 0–255). */
export interface Look {
  width: number;
  height: number;
  cells: number[];
}

/** The side of the small square both images are scaled to (by the browser's decoder) before comparing. */
export const LOOK_SIDE = 32;
const CELLS = 16;
/** Aspect ratios further apart than this are another crop, not another size. */
export const ASPECT_TOLERANCE = 0.02;
/**
 * Mean difference of the cells' channels (of 255) under which two files are one picture:
 * resampling and re-encoding move them by a few levels; another picture moves them by tens.
 */
export const SAME_PICTURE_LEVELS = 10;

/** The 16×16 colour cells (r, g, b each) of a LOOK_SIDE × LOOK_SIDE RGBA scaling of an image. */
export function colourCells(rgba: ArrayLike<number>, side = LOOK_SIDE): number[] {
  const cells = new Array<number>(CELLS * CELLS * 3).fill(0);
  const counts = new Array<number>(CELLS * CELLS).fill(0);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const cell = Math.floor((y * CELLS) / side) * CELLS + Math.floor((x * CELLS) / side);
      const i = (y * side + x) * 4;
      // Transparent pixels count as what they show over white, as a page shows them.
      const alpha = rgba[i + 3]! / 255;
      for (let c = 0; c < 3; c++) cells[cell * 3 + c]! += rgba[i + c]! * alpha + 255 * (1 - alpha);
      counts[cell]! += 1;
    }
  }
  return cells.map((sum, i) => sum / Math.max(1, counts[Math.floor(i / 3)]!));
}

/** Why `candidate` is not a larger rendition of `original`, in words, or null when it is. */
export function renditionRefusal(original: Look, candidate: Look): string | null {
  if (candidate.width < original.width || candidate.height < original.height) return 'smaller';
  if (candidate.width === original.width && candidate.height === original.height) return 'the same size';
  const ratio = original.width / original.height;
  if (Math.abs(candidate.width / candidate.height - ratio) / ratio > ASPECT_TOLERANCE) return 'another shape';
  let difference = 0;
  for (let i = 0; i < original.cells.length; i++) difference += Math.abs(original.cells[i]! - candidate.cells[i]!);
  if (difference / original.cells.length > SAME_PICTURE_LEVELS) return 'another picture';
  return null;
}
