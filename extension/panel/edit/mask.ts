// The mask as data: strokes in image-normalised coordinates, so the overlay on screen and the
// PNG sent to the API are drawn from the same strokes at any size. Pure: no DOM but the
// canvas context handed to renderMask.
import { encodePngInBands } from '../../../shared/imaging/png-encode';
import { fitWithin } from '../../../shared/imaging/limits';

export type BrushMode = 'paint' | 'erase';

/** A point of a stroke: x and y from 0 to 1 across the image; w scales the brush (pen pressure; 1 otherwise). */
export interface MaskPoint {
  x: number;
  y: number;
  w: number;
}

export interface Stroke {
  mode: BrushMode;
  /** The brush's diameter as a fraction of the image's width. */
  size: number;
  points: MaskPoint[];
}

/** What the mask is: its strokes in order, and whether it is turned inside out. */
export interface MaskDoc {
  strokes: Stroke[];
  inverted: boolean;
}

/** The mask with its history: every finished change can be undone and redone. */
export interface MaskState extends MaskDoc {
  past: MaskDoc[];
  future: MaskDoc[];
}

/** The mask goes up at the source's size, its longest side at most this. */
export const MASK_MAX_SIDE = 2048;

export const emptyMask: MaskState = { strokes: [], inverted: false, past: [], future: [] };

const docOf = (s: MaskState): MaskDoc => ({ strokes: s.strokes, inverted: s.inverted });
const clamp01 = (n: number) => Math.min(1, Math.max(0, n));

/** A change the history remembers: the mask before it becomes undoable, redo is forgotten. */
function change(state: MaskState, next: MaskDoc): MaskState {
  return { ...next, past: [...state.past, docOf(state)], future: [] };
}

export function startStroke(state: MaskState, point: MaskPoint, size: number, mode: BrushMode): MaskState {
  const stroke: Stroke = { mode, size, points: [{ x: clamp01(point.x), y: clamp01(point.y), w: point.w }] };
  return change(state, { strokes: [...state.strokes, stroke], inverted: state.inverted });
}

/** Adds a point to the stroke being drawn (part of the same undoable change). */
export function extendStroke(state: MaskState, point: MaskPoint): MaskState {
  const last = state.strokes.at(-1);
  if (!last) return state;
  const extended = { ...last, points: [...last.points, { x: clamp01(point.x), y: clamp01(point.y), w: point.w }] };
  return { ...state, strokes: [...state.strokes.slice(0, -1), extended] };
}

export function invertMask(state: MaskState): MaskState {
  return change(state, { strokes: state.strokes, inverted: !state.inverted });
}

export function clearMask(state: MaskState): MaskState {
  if (!state.strokes.length && !state.inverted) return state;
  return change(state, { strokes: [], inverted: false });
}

export const canUndo = (state: MaskState) => state.past.length > 0;
export const canRedo = (state: MaskState) => state.future.length > 0;

export function undo(state: MaskState): MaskState {
  const previous = state.past.at(-1);
  if (!previous) return state;
  return { ...previous, past: state.past.slice(0, -1), future: [docOf(state), ...state.future] };
}

export function redo(state: MaskState): MaskState {
  const [next, ...rest] = state.future;
  if (!next) return state;
  return { ...next, past: [...state.past, docOf(state)], future: rest };
}

/**
 * Sets every pixel whose centre lies within the brush of the segment a→b to `value` (1 paint,
 * 0 erase): a capsule, so a fast stroke leaves no gaps between its points.
 */
export function stampSegment(coverage: Uint8Array, width: number, height: number, stroke: Pick<Stroke, 'mode' | 'size'>, a: MaskPoint, b: MaskPoint): void {
  const value = stroke.mode === 'paint' ? 1 : 0;
  // At least half a pixel, so the smallest dab still marks the pixel under it.
  const r = Math.max(0.5, (stroke.size * width * Math.max(a.w, b.w)) / 2);
  const ax = a.x * width;
  const ay = a.y * height;
  const bx = b.x * width;
  const by = b.y * height;
  const dx = bx - ax;
  const dy = by - ay;
  const length2 = dx * dx + dy * dy;
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - r));
  const x1 = Math.min(width - 1, Math.ceil(Math.max(ax, bx) + r));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - r));
  const y1 = Math.min(height - 1, Math.ceil(Math.max(ay, by) + r));
  const r2 = r * r;
  for (let y = y0; y <= y1; y++) {
    const py = y + 0.5;
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5;
      const t = length2 ? Math.min(1, Math.max(0, ((px - ax) * dx + (py - ay) * dy) / length2)) : 0;
      const ex = px - (ax + t * dx);
      const ey = py - (ay + t * dy);
      if (ex * ex + ey * ey <= r2) coverage[y * width + x] = value;
    }
  }
}

/** The strokes laid down in order (1 = painted), before any inversion. */
export function paintStrokes(strokes: readonly Stroke[], width: number, height: number): Uint8Array {
  const coverage = new Uint8Array(width * height);
  for (const stroke of strokes) {
    const points = stroke.points;
    if (points.length === 1) stampSegment(coverage, width, height, stroke, points[0]!, points[0]!);
    for (let i = 1; i < points.length; i++) stampSegment(coverage, width, height, stroke, points[i - 1]!, points[i]!);
  }
  return coverage;
}

/** Which pixels the mask selects at this size: 1 = edit here, 0 = keep. */
export function rasterize(doc: MaskDoc, width: number, height: number): Uint8Array {
  const coverage = paintStrokes(doc.strokes, width, height);
  if (doc.inverted) for (let i = 0; i < coverage.length; i++) coverage[i] = coverage[i] ? 0 : 1;
  return coverage;
}

/** Whether painted coverage (as paintStrokes gives it) selects nothing once the inversion is applied. */
export function coverageEmpty(coverage: Uint8Array, inverted: boolean): boolean {
  for (let i = 0; i < coverage.length; i++) if ((coverage[i] === 1) !== inverted) return false;
  return true;
}

export const isMaskEmpty = (doc: MaskDoc, width: number, height: number) => coverageEmpty(paintStrokes(doc.strokes, width, height), doc.inverted);

/** The overlay's colour: a strong pink that reads over photographs, light or dark. */
export const OVERLAY_RGBA = [236, 38, 143, 140] as const;

type Canvas2D = Pick<CanvasRenderingContext2D, 'createImageData' | 'putImageData'>;

/** Draws painted coverage as the overlay (transparent where the image is kept). */
export function renderCoverage(coverage: Uint8Array, inverted: boolean, width: number, height: number, ctx: Canvas2D): void {
  const image = ctx.createImageData(width, height);
  const data = image.data;
  const [r, g, b, a] = OVERLAY_RGBA;
  for (let i = 0; i < coverage.length; i++) {
    if ((coverage[i] === 1) === inverted) continue;
    const o = i * 4;
    data[o] = r;
    data[o + 1] = g;
    data[o + 2] = b;
    data[o + 3] = a;
  }
  ctx.putImageData(image, 0, 0);
}

/** Draws the mask over an image of this size as a semi-transparent overlay. */
export function renderMask(doc: MaskDoc, width: number, height: number, ctx: Canvas2D): void {
  renderCoverage(paintStrokes(doc.strokes, width, height), doc.inverted, width, height, ctx);
}

/** The size the mask goes up at for a source of this size. */
export const maskSize = (width: number, height: number) => fitWithin(width, height, MASK_MAX_SIDE);

/** The mask as the API takes it: a PNG at the source's size (capped), white = edit here, black = keep. */
export async function maskPng(doc: MaskDoc, sourceWidth: number, sourceHeight: number): Promise<Blob> {
  const { width, height } = maskSize(sourceWidth, sourceHeight);
  const selected = rasterize(doc, width, height);
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < selected.length; i++) {
    const v = selected[i] ? 255 : 0;
    const o = i * 4;
    rgba[o] = v;
    rgba[o + 1] = v;
    rgba[o + 2] = v;
    rgba[o + 3] = 255;
  }
  const png = await encodePngInBands({ width, height, rgba });
  return new Blob([png as Uint8Array<ArrayBuffer>], { type: 'image/png' });
}
