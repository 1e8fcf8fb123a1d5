// A larger rendition is kept only when it is the same picture: larger, the same shape, alike.
import { describe, expect, it } from 'vitest';
import { colourCells, type Look, LOOK_SIDE, renditionRefusal } from '../../../extension/capture/rendition';

/** A LOOK_SIDE² RGBA picture from a grey level per pixel, tinted by `rgb` (a multiplier per channel). */
function paint(grey: (x: number, y: number) => number, alpha = 255, rgb: [number, number, number] = [1, 1, 1]): Uint8Array {
  const rgba = new Uint8Array(LOOK_SIDE * LOOK_SIDE * 4);
  for (let y = 0; y < LOOK_SIDE; y++)
    for (let x = 0; x < LOOK_SIDE; x++) rgba.set([grey(x, y) * rgb[0], grey(x, y) * rgb[1], grey(x, y) * rgb[2], alpha], (y * LOOK_SIDE + x) * 4);
  return rgba;
}
const diagonal = (x: number, y: number) => ((x + y) * 255) / (2 * LOOK_SIDE);
const look = (width: number, height: number, grey = diagonal, rgb?: [number, number, number]): Look => ({ width, height, cells: colourCells(paint(grey, 255, rgb)) });
const original = look(300, 200);

describe('a larger rendition of the same picture', () => {
  it('is kept at twice the size, and with a few levels of re-encoding noise', () => {
    expect(renditionRefusal(original, look(600, 400))).toBeNull();
    expect(renditionRefusal(original, look(1200, 800, (x, y) => diagonal(x, y) + ((x * 7 + y * 3) % 9) - 4))).toBeNull();
  });

  it('is kept when rounding moves the shape by under 2 %', () => {
    expect(renditionRefusal(original, look(1024, 681))).toBeNull();
  });
});

describe('a file that is not a larger rendition', () => {
  it('is refused when smaller on either side, or no larger', () => {
    expect(renditionRefusal(original, look(150, 100))).toBe('smaller');
    expect(renditionRefusal(original, look(900, 199))).toBe('smaller');
    expect(renditionRefusal(original, look(300, 200))).toBe('the same size');
  });

  it('is refused when cropped to another shape', () => {
    expect(renditionRefusal(original, look(600, 600))).toBe('another shape');
    expect(renditionRefusal(original, look(1000, 640))).toBe('another shape');
  });

  it('is refused when it shows another picture of the same shape', () => {
    expect(renditionRefusal(original, look(600, 400, (x, y) => 255 - diagonal(x, y)))).toBe('another picture');
    expect(renditionRefusal(original, look(600, 400, () => 128))).toBe('another picture');
  });

  it('is refused when it has the same light but other colours (alike in grey, not in colour)', () => {
    const reddish = look(300, 200, () => 150, [1, 0.6, 0.6]);
    const greenish = look(600, 400, () => 150, [0.6, 0.88, 0.6]);
    expect(Math.abs(0.299 * 150 + 0.587 * 90 + 0.114 * 90 - (0.299 * 90 + 0.587 * 132 + 0.114 * 90))).toBeLessThan(10);
    expect(renditionRefusal(reddish, greenish)).toBe('another picture');
  });
});

describe('colour cells', () => {
  it('see transparent pixels as the white a page shows under them', () => {
    expect(colourCells(paint(() => 0, 0))).toEqual(new Array(16 * 16 * 3).fill(255));
    expect(colourCells(paint(() => 0))).toEqual(new Array(16 * 16 * 3).fill(0));
  });
});
