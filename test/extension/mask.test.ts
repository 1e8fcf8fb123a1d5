// The mask brush's data: strokes in image-normalised coordinates, erase, invert, undo and
// redo, drawn the same on screen and in the black-and-white PNG that goes to the API.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import {
  canRedo,
  canUndo,
  clearMask,
  emptyMask,
  extendStroke,
  invertMask,
  isMaskEmpty,
  type MaskState,
  maskPng,
  rasterize,
  redo,
  renderMask,
  startStroke,
  undo,
} from '../../extension/panel/edit/mask';

const at = (x: number, y: number, w = 1) => ({ x, y, w });

/** A stroke from a to b (and on through more points), as pointer events would lay it down. */
function stroke(state: MaskState, mode: 'paint' | 'erase', size: number, ...points: ReturnType<typeof at>[]): MaskState {
  let next = startStroke(state, points[0]!, size, mode);
  for (const p of points.slice(1)) next = extendStroke(next, p);
  return next;
}

const pixel = (mask: Uint8Array, width: number, x: number, y: number) => mask[y * width + x];

describe('a painted stroke', () => {
  // 200×100: a brush of 0.1 of the width is 20 px across, radius 10.
  const painted = stroke(emptyMask, 'paint', 0.1, at(0.25, 0.5), at(0.75, 0.5));
  const mask = rasterize(painted, 200, 100);

  it('covers the width of the brush all along its path, and nothing beyond', () => {
    for (const x of [50, 100, 149]) {
      expect(pixel(mask, 200, x, 50)).toBe(1);
      expect(pixel(mask, 200, x, 41)).toBe(1);
      expect(pixel(mask, 200, x, 58)).toBe(1);
      expect(pixel(mask, 200, x, 38)).toBe(0);
      expect(pixel(mask, 200, x, 62)).toBe(0);
    }
    // Round ends: 10 px past the end points, no further.
    expect(pixel(mask, 200, 41, 50)).toBe(1);
    expect(pixel(mask, 200, 38, 50)).toBe(0);
    expect(pixel(mask, 200, 158, 50)).toBe(1);
    expect(pixel(mask, 200, 161, 50)).toBe(0);
    expect(pixel(mask, 200, 0, 0)).toBe(0);
  });

  it('keeps its place and its roundness at any size of the same aspect', () => {
    const dab = stroke(emptyMask, 'paint', 0.2, at(0.5, 0.5));
    for (const [w, h] of [[100, 50], [400, 200]] as const) {
      const m = rasterize(dab, w, h);
      const row = Array.from({ length: w }, (_, x) => pixel(m, w, x, h / 2)).filter(Boolean).length;
      const column = Array.from({ length: h }, (_, y) => pixel(m, w, w / 2, y)).filter(Boolean).length;
      expect(row).toBe(column);
      expect(row / w).toBeCloseTo(0.2, 1);
    }
  });

  it('grows with pen pressure', () => {
    const light = rasterize(stroke(emptyMask, 'paint', 0.1, at(0.5, 0.5, 0.5)), 200, 100).reduce((a, b) => a + b, 0);
    const firm = rasterize(stroke(emptyMask, 'paint', 0.1, at(0.5, 0.5, 1.5)), 200, 100).reduce((a, b) => a + b, 0);
    expect(firm).toBeGreaterThan(light * 4);
  });
});

describe('erase and invert', () => {
  it('erasing takes back what it goes over, and nothing else', () => {
    const painted = stroke(emptyMask, 'paint', 0.1, at(0.25, 0.5), at(0.75, 0.5));
    const erased = stroke(painted, 'erase', 0.1, at(0.5, 0.2), at(0.5, 0.8));
    const mask = rasterize(erased, 200, 100);
    expect(pixel(mask, 200, 100, 50)).toBe(0);
    expect(pixel(mask, 200, 60, 50)).toBe(1);
    expect(pixel(mask, 200, 140, 50)).toBe(1);
  });

  it('a mask erased all over is empty; an inverted empty mask is the whole image', () => {
    const painted = stroke(emptyMask, 'paint', 0.05, at(0.5, 0.5));
    expect(isMaskEmpty(painted, 200, 100)).toBe(false);
    expect(isMaskEmpty(stroke(painted, 'erase', 0.3, at(0.5, 0.5)), 200, 100)).toBe(true);
    expect(isMaskEmpty(emptyMask, 200, 100)).toBe(true);
    const whole = invertMask(emptyMask);
    expect(isMaskEmpty(whole, 200, 100)).toBe(false);
    expect(rasterize(whole, 20, 10).every((v) => v === 1)).toBe(true);
  });

  it('invert selects exactly what was not painted', () => {
    const painted = stroke(emptyMask, 'paint', 0.1, at(0.25, 0.5), at(0.75, 0.5));
    const before = rasterize(painted, 200, 100);
    const after = rasterize(invertMask(painted), 200, 100);
    expect(after.every((v, i) => v === 1 - before[i]!)).toBe(true);
  });
});

describe('undo and redo', () => {
  it('undo takes back a whole stroke, redo puts it back, and a new stroke forgets what was undone', () => {
    const one = stroke(emptyMask, 'paint', 0.1, at(0.2, 0.2), at(0.3, 0.3), at(0.4, 0.4));
    const two = stroke(one, 'paint', 0.1, at(0.8, 0.8));
    expect(canUndo(two)).toBe(true);
    expect(canRedo(two)).toBe(false);
    const undone = undo(two);
    expect(undone.strokes).toEqual(one.strokes);
    expect(canRedo(undone)).toBe(true);
    expect(redo(undone).strokes).toEqual(two.strokes);
    const other = stroke(undone, 'erase', 0.1, at(0.2, 0.2));
    expect(canRedo(other)).toBe(false);
    expect(undo(undo(other)).strokes).toEqual([]);
    expect(canUndo(undo(undo(other)))).toBe(false);
  });

  it('clear and invert are changes like any other: undone, they bring the mask back', () => {
    const painted = stroke(emptyMask, 'paint', 0.1, at(0.5, 0.5));
    const cleared = clearMask(painted);
    expect(cleared.strokes).toEqual([]);
    expect(undo(cleared).strokes).toEqual(painted.strokes);
    expect(clearMask(emptyMask)).toBe(emptyMask);
    const inverted = invertMask(painted);
    expect(undo(inverted).inverted).toBe(false);
    expect(redo(undo(inverted)).inverted).toBe(true);
  });
});

describe('the mask as the API takes it', () => {
  it('is a black-and-white PNG at the aspect of the source, white exactly where painted, its longest side capped at 2048', async () => {
    // A 3000×1500 source: the mask goes up at 2048×1024.
    const painted = stroke(emptyMask, 'paint', 0.1, at(0.25, 0.5), at(0.75, 0.5));
    const started = performance.now();
    const blob = await maskPng(painted, 3000, 1500);
    console.log(`mask PNG at 2048×1024: ${Math.round(performance.now() - started)} ms, ${blob.size} bytes`);
    expect(blob.type).toBe('image/png');
    const { data, info } = await sharp(new Uint8Array(await blob.arrayBuffer())).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([2048, 1024]);
    const expected = rasterize(painted, 2048, 1024);
    let white = 0;
    const wrong: string[] = [];
    for (let i = 0; i < expected.length; i++) {
      const v = data[i * info.channels]!;
      if (v !== (expected[i] ? 255 : 0)) wrong.push(`${i % 2048},${Math.floor(i / 2048)}: ${v}`);
      if (v === 255) white++;
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    // The stroke's band: about half the width by a tenth of the width (plus round ends).
    expect(white / (2048 * 1024)).toBeGreaterThan(0.09);
    expect(white / (2048 * 1024)).toBeLessThan(0.12);
    expect(data[(512 * 2048 + 1024) * info.channels]).toBe(255);
    expect(data[(100 * 2048 + 1024) * info.channels]).toBe(0);
  });

  it('keeps the own size of a small source', async () => {
    const blob = await maskPng(invertMask(emptyMask), 640, 480);
    const { data, info } = await sharp(new Uint8Array(await blob.arrayBuffer())).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([640, 480]);
    expect(data.every((v, i) => i % info.channels === 3 || v === 255)).toBe(true);
  });
});

describe('the overlay on screen', () => {
  it('is coloured and half-transparent where painted, clear elsewhere', () => {
    const painted = stroke(emptyMask, 'paint', 0.1, at(0.25, 0.5), at(0.75, 0.5));
    let put: ImageData | null = null;
    const ctx = {
      createImageData: (w: number, h: number) => ({ width: w, height: h, data: new Uint8ClampedArray(w * h * 4) }) as ImageData,
      putImageData: (image: ImageData) => void (put = image),
    };
    renderMask(painted, 200, 100, ctx as never);
    const data = put!.data;
    const alpha = (x: number, y: number) => data[(y * 200 + x) * 4 + 3]!;
    expect(alpha(100, 50)).toBeGreaterThan(64);
    expect(alpha(100, 50)).toBeLessThan(255);
    expect(data[(50 * 200 + 100) * 4]).toBeGreaterThan(200);
    expect(alpha(100, 10)).toBe(0);
    expect(alpha(10, 50)).toBe(0);
  });
});
