// Style components: measured from pixels, blended by weight, read from prompts, painted
// deterministically, and put into words.
import { describe, expect, it } from 'vitest';
import { blendComponents, extractComponents, extractPalette, fromHex, type Raster } from '../../shared/style/components';
import { colourName, describeComponents } from '../../shared/style/describe';
import { promptComponents } from '../../shared/style/prompt';
import { paintScene } from '../../shared/style/render';

function solid(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): Raster {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const [r, g, b] = paint(x, y);
    rgba.set([r, g, b, 255], (y * width + x) * 4);
  }
  return { width, height, rgba };
}

const mean = (rgba: Uint8Array, channel: number) => {
  let s = 0;
  for (let i = channel; i < rgba.length; i += 4) s += rgba[i]!;
  return s / (rgba.length / 4);
};

describe('measuring style components', () => {
  it('finds the dominant colours with their share', () => {
    const raster = solid(40, 40, (x) => (x < 30 ? [200, 30, 40] : [20, 40, 200]));
    const palette = extractPalette(raster, 3);
    expect(colourName(palette[0]!.hex)).toBe('red');
    expect(palette[0]!.weight).toBeCloseTo(0.75, 1);
    expect(palette.some((p) => colourName(p.hex) === 'blue')).toBe(true);
  });

  it('reads low key from a dark frame and finds a horizon where sky meets land', () => {
    const dark = extractComponents(solid(32, 32, (_x, y) => (y < 8 ? [60, 60, 90] : [10, 10, 15])));
    expect(dark.lighting.key).toBeLessThan(0.2);
    expect(dark.composition.horizon).toBeCloseTo(7 / 31, 1);
    const warm = extractComponents(solid(16, 16, () => [230, 140, 60]));
    expect(warm.grading.temperature).toBeGreaterThan(0.5);
  });

  it('blends references one component at a time by weight', () => {
    const a = extractComponents(solid(16, 16, () => [240, 240, 240]));
    const b = extractComponents(solid(16, 16, () => [10, 10, 10]));
    const lightOnly = blendComponents([{ components: a, weights: { lighting: 1 } }, { components: b, weights: { lighting: 0 } }])!;
    expect(lightOnly.lighting.key).toBeCloseTo(a.lighting.key, 2);
    const even = blendComponents([{ components: a }, { components: b }])!;
    expect(even.lighting.key).toBeCloseTo((a.lighting.key + b.lighting.key) / 2, 2);
    expect(even.palette.map((p) => p.hex).sort()).toEqual([...a.palette, ...b.palette].map((p) => p.hex).sort());
    expect(blendComponents([])).toBeNull();
  });
});

describe('reading a prompt', () => {
  it('takes named colours, light, grade and framing from the words', () => {
    const night = promptComponents('a neon city at night, vivid');
    expect(night.lighting.key).toBeLessThan(0.2);
    expect(night.grading.saturation).toBeGreaterThan(0.8);
    expect(night.palette.map((p) => colourName(p.hex))).toContain('magenta');
    expect(promptComponents('black and white portrait').grading.saturation).toBe(0);
    expect(promptComponents('portrait').composition.subjectScale).toBeGreaterThan(0.5);
  });

  it('gives an unnamed prompt its own stable colours', () => {
    expect(promptComponents('a quiet harbour').palette).toEqual(promptComponents('a quiet harbour').palette);
    expect(promptComponents('a quiet harbour').palette).not.toEqual(promptComponents('a busy market').palette);
  });
});

describe('painting a scene', () => {
  const scene = (prompt: string, seed = 1) => paintScene({ width: 96, height: 64, seed, components: promptComponents(prompt) });

  it('is deterministic: same request and seed, same pixels', () => {
    expect(scene('a lighthouse at dusk', 42)).toEqual(scene('a lighthouse at dusk', 42));
    expect(scene('a lighthouse at dusk', 42)).not.toEqual(scene('a lighthouse at dusk', 43));
  });

  it('is visibly shaped by the prompt', () => {
    const night = scene('night, dark, moody');
    const bright = scene('bright sunny airy');
    expect(mean(night, 0) + mean(night, 1) + mean(night, 2)).toBeLessThan(mean(bright, 0) + mean(bright, 1) + mean(bright, 2) - 100);
    const red = scene('red crimson scarlet');
    const blue = scene('blue navy ocean');
    expect(mean(red, 0) - mean(red, 2)).toBeGreaterThan(mean(blue, 0) - mean(blue, 2) + 40);
  });

  it('takes the colours of reference images', () => {
    const reference = extractComponents(solid(24, 24, () => [30, 160, 70]));
    const plain = promptComponents('a quiet harbour');
    const withReference = blendComponents([{ components: plain, weights: { palette: 0 } }, { components: reference }])!;
    const green = paintScene({ width: 64, height: 64, seed: 3, components: withReference });
    const own = paintScene({ width: 64, height: 64, seed: 3, components: plain });
    const greenness = (p: Uint8Array) => mean(p, 1) - (mean(p, 0) + mean(p, 2)) / 2;
    expect(greenness(green)).toBeGreaterThan(greenness(own) + 10);
  });

  it('paints the size asked for', () => {
    expect(paintScene({ width: 31, height: 17, seed: 1, components: promptComponents('x') })).toHaveLength(31 * 17 * 4);
  });
});

describe('describing an image', () => {
  it('puts the components into a prompt', () => {
    const components = extractComponents(solid(32, 32, (_x, y) => (y < 20 ? [250, 150, 60] : [40, 20, 10])));
    const { prompt, attributes } = describeComponents(components);
    expect(prompt).toMatch(/^An image in .*tones/);
    expect(attributes.grading).toMatch(/^warm/);
    expect(attributes.palette[0]!.hex).toMatch(/^#[0-9a-f]{6}$/);
    expect(fromHex(attributes.palette[0]!.hex)).toHaveLength(3);
  });
});
