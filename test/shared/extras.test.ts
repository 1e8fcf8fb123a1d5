// Licensed extras offline: background removal and SVG export.
import { describe, expect, it } from 'vitest';
import { removeBackground } from '../../shared/imaging/background';
import { traceRegions, vectorize } from '../../shared/imaging/vectorize';
import type { Raster } from '../../shared/style/components';

function raster(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): Raster {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgba.set([...paint(x, y), 255], (y * width + x) * 4);
  return { width, height, rgba };
}
const alphaAt = (r: Raster, x: number, y: number) => r.rgba[(y * r.width + x) * 4 + 3];

describe('removing the background', () => {
  it('makes the border-connected backdrop transparent and keeps the subject', () => {
    const image = raster(40, 30, (x, y) => (x >= 12 && x < 28 && y >= 8 && y < 22 ? [200, 30, 30] : [240, 240, 235]));
    const cut = removeBackground(image);
    expect(alphaAt(cut, 0, 0)).toBe(0);
    expect(alphaAt(cut, 39, 29)).toBe(0);
    expect(alphaAt(cut, 20, 15)).toBe(255);
    expect(alphaAt(cut, 12, 15)).toBeGreaterThan(0);
  });
});

describe('tracing regions', () => {
  it('traces a square as four corners and keeps a hole as its own loop', () => {
    const square = new Uint8Array(9).fill(1);
    expect(traceRegions(square, 3, 3)).toEqual([[[0, 0], [3, 0], [3, 3], [0, 3]]]);
    const ring = new Uint8Array([1, 1, 1, 1, 0, 1, 1, 1, 1]);
    const loops = traceRegions(ring, 3, 3);
    expect(loops).toHaveLength(2);
    expect(loops.map((l) => l.length).sort()).toEqual([4, 4]);
  });

  it('exports real SVG paths, one per colour', () => {
    const image = raster(20, 10, (x) => (x < 10 ? [20, 40, 200] : [250, 200, 20]));
    const svg = vectorize(image, 4);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" viewBox="0 0 20 10"/);
    const paths = [...svg.matchAll(/<path fill="(#[0-9a-f]{6})" fill-rule="evenodd" d="([^"]+)"\/>/g)];
    expect(paths).toHaveLength(2);
    expect(paths.map((p) => p[2]).sort()).toEqual(['M0 0L10 0L10 10L0 10Z', 'M10 0L20 0L20 10L10 10Z']);
  });
});

describe('halving for a big reduction', () => {
  it('averages 2×2 blocks', async () => {
    const { halve } = await import('../../shared/imaging/downscale');
    const image = raster(4, 2, (x) => (x % 2 ? [200, 100, 0] : [0, 100, 200]));
    const half = halve(image);
    expect([half.width, half.height]).toEqual([2, 1]);
    expect([...half.rgba.subarray(0, 4)]).toEqual([100, 100, 100, 255]);
  });
});
