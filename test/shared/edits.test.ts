// Offline edits: inpainting fills from the surroundings, masks feather, instructions grade.
import { describe, expect, it } from 'vitest';
import { composite, feather, gradeByInstruction, inpaint, maskOf } from '../../shared/imaging/edits';
import type { Raster } from '../../shared/style/components';

function raster(width: number, height: number, paint: (x: number, y: number) => number[]): Raster {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgba.set([...paint(x, y), 255].slice(0, 4), (y * width + x) * 4);
  return { width, height, rgba };
}
const at = (r: Raster, x: number, y: number) => [...r.rgba.subarray((y * r.width + x) * 4, (y * r.width + x) * 4 + 3)];

describe('erasing by inpainting', () => {
  it('fills a hole with what surrounds it, leaving the rest untouched', () => {
    // Left half red, right half blue, with a black blot in the middle of the red half.
    const image = raster(64, 32, (x, y) => (x >= 10 && x < 22 && y >= 10 && y < 22 ? [0, 0, 0] : x < 32 ? [220, 30, 30] : [30, 30, 220]));
    const mask = new Uint8Array(64 * 32).map((_, p) => (p % 64 >= 10 && p % 64 < 22 && Math.floor(p / 64) >= 10 && Math.floor(p / 64) < 22 ? 1 : 0));
    const filled = inpaint(image, mask);
    const centre = at(filled, 16, 16);
    expect(centre[0]).toBeGreaterThan(180);
    expect(centre[2]).toBeLessThan(80);
    expect(at(filled, 50, 5)).toEqual([30, 30, 220]);
  });

  it('reads white in a mask as the area to edit, at any mask size', () => {
    const mask = raster(2, 2, (x) => (x === 0 ? [255, 255, 255] : [0, 0, 0]));
    expect([...maskOf(mask, 4, 2)]).toEqual([1, 1, 0, 0, 1, 1, 0, 0]);
  });
});

describe('compositing through a feathered mask', () => {
  it('blends softly at the edge and fully inside', () => {
    const mask = new Uint8Array(20 * 1).map((_, x) => (x >= 10 ? 1 : 0));
    const soft = feather(mask, 20, 1, 2);
    expect(soft[0]).toBe(0);
    expect(soft[19]).toBe(1);
    expect(soft[10]).toBeGreaterThan(0.4);
    expect(soft[10]).toBeLessThan(0.9);
    const base = raster(20, 1, () => [0, 0, 0]);
    const top = raster(20, 1, () => [200, 200, 200]).rgba;
    const out = composite(base, top, soft);
    expect(at(out, 0, 0)).toEqual([0, 0, 0]);
    expect(at(out, 19, 0)).toEqual([200, 200, 200]);
  });
});

describe('grading by instruction', () => {
  const grey = raster(4, 4, () => [120, 120, 120]);
  it('applies the changes it recognises and names them', () => {
    const warmer = gradeByInstruction(grey, 'Make it a bit warmer and brighter');
    expect(warmer.applied).toEqual(['warmer', 'brighter']);
    const [r, , b] = at(warmer.image, 0, 0);
    expect(r!).toBeGreaterThan(b! + 30);
    const mono = gradeByInstruction(raster(2, 2, () => [200, 40, 40]), 'black and white please');
    const [mr, mg, mb] = at(mono.image, 0, 0);
    expect(mr).toBe(mg);
    expect(mg).toBe(mb);
  });

  it('says when it understood nothing, leaving the image as it was', () => {
    const result = gradeByInstruction(grey, 'add a dragon on the left');
    expect(result.applied).toEqual([]);
    expect(result.image).toBe(grey);
  });
});
