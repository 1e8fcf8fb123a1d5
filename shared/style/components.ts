// Style components of an image, measured from its pixels: palette, lighting, colour grading
// and composition. Agentic generation blends them from up to 10 references, one component
// at a time; Image-to-Prompt describes them in words; the offline renderer paints from them.
// Pure: RGBA arrays in, plain numbers out.
import { kMeans, type Rgb } from '../imaging/kmeans';

export type { Rgb } from '../imaging/kmeans';

export interface PaletteColor {
  hex: string;
  weight: number;
}

export interface Lighting {
  /** Mean luminance, 0 (black) to 1 (white). */
  key: number;
  /** Spread of luminance, 0 (flat) to ~0.5 (hard). */
  contrast: number;
  /** Where the light comes from, as a point in the frame (0..1, 0..1). */
  direction: { x: number; y: number };
  /** The light's own colour, read from the highlights: warm (+) or cool (−), −1..1. */
  warmth: number;
}

/** A tonal band's colour cast: each channel's mean offset from neutral grey, −1..1. */
export interface Tint {
  r: number;
  g: number;
  b: number;
}

export interface Grading {
  /** Warm (+) or cool (−), −1..1. */
  temperature: number;
  /** Mean saturation, 0..1. */
  saturation: number;
  /** Green (−) or magenta (+) tint, −1..1. */
  tint: number;
  /** The grade's cast in the dark, middle and bright thirds of the tonal range. */
  shadows: Tint;
  midtones: Tint;
  highlights: Tint;
}

export interface Composition {
  /** Height of the horizon from the top, 0..1. */
  horizon: number;
  /** Centre of visual interest, 0..1 each. */
  focus: { x: number; y: number };
  /** Share of the frame the subject takes, 0..1. */
  subjectScale: number;
  /** Centre of visual weight (what stands out from the frame's mean light and colour), 0..1 each. */
  balance: { x: number; y: number };
  /** The rule-of-thirds point nearest the focus (each 1/3 or 2/3). */
  thirds: { x: number; y: number };
}

export interface StyleComponents {
  palette: PaletteColor[];
  lighting: Lighting;
  grading: Grading;
  composition: Composition;
}

export const componentNames = ['composition', 'lighting', 'palette', 'grading'] as const;
export type ComponentName = (typeof componentNames)[number];

export interface Raster {
  width: number;
  height: number;
  rgba: Uint8Array;
}

const clamp = (v: number, lo = 0, hi = 1) => Math.min(hi, Math.max(lo, v));
const luminance = (r: number, g: number, b: number) => (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;

export function toHex([r, g, b]: Rgb): string {
  return `#${[r, g, b].map((v) => clamp(Math.round(v), 0, 255).toString(16).padStart(2, '0')).join('')}`;
}

export function fromHex(hex: string): Rgb {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

function saturationOf(r: number, g: number, b: number): number {
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  return max === 0 ? 0 : (max - min) / max;
}

/** Up to `k` dominant colours by k-means on a sample, seeded deterministically. */
export function extractPalette(raster: Raster, k = 5): PaletteColor[] {
  const { rgba, width, height } = raster;
  const step = Math.max(1, Math.floor(Math.sqrt((width * height) / 4096)));
  const samples: Rgb[] = [];
  for (let y = 0; y < height; y += step) {
    for (let x = 0; x < width; x += step) {
      const i = (y * width + x) * 4;
      if (rgba[i + 3]! < 16) continue;
      samples.push([rgba[i]!, rgba[i + 1]!, rgba[i + 2]!]);
    }
  }
  if (!samples.length) return [];
  // Deterministic init: spread over the samples sorted by luminance.
  const sorted = [...samples].sort((a, b) => luminance(...a) - luminance(...b));
  const initial = Array.from({ length: Math.min(k, sorted.length) }, (_, i) => sorted[Math.floor(((i + 0.5) * sorted.length) / k)]!);
  const { centres, counts } = kMeans(samples, initial, 8);
  const merged = new Map<string, number>();
  centres.forEach((c, i) => {
    if (!counts[i]) return;
    const hex = toHex(c);
    merged.set(hex, (merged.get(hex) ?? 0) + counts[i]! / samples.length);
  });
  return [...merged.entries()]
    .map(([hex, weight]) => ({ hex, weight: Math.round(weight * 1000) / 1000 }))
    .sort((a, b) => b.weight - a.weight);
}

/** The value below which `share` of a 256-bin histogram's counts fall, as 0..1. */
function quantile(histogram: Uint32Array, total: number, share: number): number {
  const target = total * share;
  let seen = 0;
  for (let bin = 0; bin < histogram.length; bin++) {
    seen += histogram[bin]!;
    if (seen >= target) return bin / 255;
  }
  return 1;
}

/**
 * All four components from a (small) raster, in a few linear passes over typed arrays: the
 * panel measures each reference as it is added (a 128 px raster in well under 50 ms).
 */
export function extractComponents(raster: Raster): StyleComponents {
  const { rgba, width, height } = raster;
  const pixels = width * height;
  const lum = new Float32Array(pixels);
  const rowMeans = new Float32Array(height);
  const lumHistogram = new Uint32Array(256);
  const channelHistograms = [new Uint32Array(256), new Uint32Array(256), new Uint32Array(256)] as const;
  let sum = 0;
  let sumSq = 0;
  let warm = 0;
  let tint = 0;
  let sat = 0;
  // Per tonal band (shadows, midtones, highlights): each channel's offset from the pixel's grey.
  const bands = [0, 1, 2].map(() => ({ r: 0, g: 0, b: 0, n: 0 }));
  for (let y = 0; y < height; y++) {
    let row = 0;
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const i = p * 4;
      const r = rgba[i]!;
      const g = rgba[i + 1]!;
      const b = rgba[i + 2]!;
      const l = luminance(r, g, b);
      lum[p] = l;
      row += l;
      sum += l;
      sumSq += l * l;
      lumHistogram[Math.min(255, Math.floor(l * 255))]!++;
      channelHistograms[0][r]!++;
      channelHistograms[1][g]!++;
      channelHistograms[2][b]!++;
      warm += (r - b) / 255;
      tint += ((r + b) / 2 - g) / 255;
      sat += saturationOf(r, g, b);
      const band = bands[l < 1 / 3 ? 0 : l < 2 / 3 ? 1 : 2]!;
      const grey = l * 255;
      band.r += (r - grey) / 255;
      band.g += (g - grey) / 255;
      band.b += (b - grey) / 255;
      band.n++;
    }
    rowMeans[y] = row / width;
  }
  const n = Math.max(1, pixels);
  const key = sum / n;
  const contrast = Math.sqrt(Math.max(0, sumSq / n - key * key));
  const tintOf = (band: (typeof bands)[number]): Tint =>
    band.n ? { r: round(clamp(band.r / band.n, -1, 1)), g: round(clamp(band.g / band.n, -1, 1)), b: round(clamp(band.b / band.n, -1, 1)) } : { r: 0, g: 0, b: 0 };

  // The light: where the frame's own brightest tenth sits (so a dim frame lit from one side
  // still says which), and its colour there. A frame with no spread of light has no direction.
  const brightest = quantile(lumHistogram, n, 0.9);
  const lit = brightest - quantile(lumHistogram, n, 0.1) > 0.02;
  // What stands out: each pixel's distance from the frame's typical (median) colour, so a
  // small subject outweighs the wide field around it.
  const typical = channelHistograms.map((h) => quantile(h, n, 0.5) * 255);
  let lx = 0;
  let ly = 0;
  let lw = 0;
  let lightWarmth = 0;
  let lightCount = 0;
  let bx = 0;
  let by = 0;
  let bw = 0;
  const xScale = 1 / Math.max(1, width - 1);
  const yScale = 1 / Math.max(1, height - 1);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const p = y * width + x;
      const i = p * 4;
      const r = rgba[i]!;
      const g = rgba[i + 1]!;
      const b = rgba[i + 2]!;
      const l = lum[p]!;
      if (l >= brightest) {
        const w = l - brightest + 1 / 255;
        lx += w * x * xScale;
        ly += w * y * yScale;
        lw += w;
        lightWarmth += (r - b) / 255;
        lightCount++;
      }
      const dr = r - typical[0]!;
      const dg = g - typical[1]!;
      const db = b - typical[2]!;
      const w = Math.sqrt(dr * dr + dg * dg + db * db) / 441.7;
      bx += w * x * xScale;
      by += w * y * yScale;
      bw += w;
    }
  }

  // Horizon: the boundary between rows where brightness changes most, away from the edges.
  let horizonRow = Math.round(height / 2) - 1;
  let strongest = -1;
  for (let y = Math.floor(height * 0.1); y < Math.ceil(height * 0.9) - 1; y++) {
    const change = Math.abs(rowMeans[y + 1]! - rowMeans[y]!);
    if (change > strongest) {
      strongest = change;
      horizonRow = y;
    }
  }

  // Focus: centre of local detail (gradient energy), where the eye goes.
  let fx = 0;
  let fy = 0;
  let fw = 0;
  let detailed = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1; x < width - 1; x++) {
      const gx = lum[y * width + x + 1]! - lum[y * width + x - 1]!;
      const gy = lum[(y + 1) * width + x]! - lum[(y - 1) * width + x]!;
      const e = gx * gx + gy * gy;
      fx += e * x * xScale;
      fy += e * y * yScale;
      fw += e;
      if (e > 0.01) detailed++;
    }
  }

  const focus = fw > 0 ? { x: round(fx / fw), y: round(fy / fw) } : { x: 0.5, y: 0.5 };
  return {
    palette: extractPalette(raster),
    lighting: {
      key: round(key),
      contrast: round(contrast),
      direction: lit && lw > 0 ? { x: round(lx / lw), y: round(ly / lw) } : { x: 0.5, y: 0.2 },
      warmth: lightCount ? round(clamp((lightWarmth / lightCount) * 2, -1, 1)) : 0,
    },
    grading: {
      temperature: round(clamp((warm / n) * 2, -1, 1)),
      saturation: round(sat / n),
      tint: round(clamp((tint / n) * 2, -1, 1)),
      shadows: tintOf(bands[0]!),
      midtones: tintOf(bands[1]!),
      highlights: tintOf(bands[2]!),
    },
    composition: {
      horizon: round((horizonRow + 1) / Math.max(1, height)),
      focus,
      subjectScale: round(clamp((detailed / Math.max(1, (width - 2) * (height - 2))) * 2)),
      balance: bw > 0 ? { x: round(bx / bw), y: round(by / bw) } : { x: 0.5, y: 0.5 },
      thirds: nearestThirds(focus),
    },
  };
}

/** The rule-of-thirds point (1/3 or 2/3 across, 1/3 or 2/3 down) nearest a point in the frame. */
export function nearestThirds(point: { x: number; y: number }): { x: number; y: number } {
  const third = (v: number) => round(v < 0.5 ? 1 / 3 : 2 / 3);
  return { x: third(point.x), y: third(point.y) };
}

const neutral: Tint = { r: 0, g: 0, b: 0 };

/**
 * Components as measured by an earlier release (a Style trained then, a recipe saved then)
 * lack what was measured later; each missing value takes its neutral or derived default.
 */
export function completeComponents(c: {
  palette?: PaletteColor[];
  lighting?: Partial<Lighting>;
  grading?: Partial<Grading>;
  composition?: Partial<Composition>;
}): StyleComponents {
  // A row written without measurements (or by hand) reads as a neutral, centred picture.
  const lighting = { key: 0.5, contrast: 0.16, direction: { x: 0.5, y: 0.2 }, ...c.lighting };
  const grading = { temperature: 0, saturation: 0.5, tint: 0, ...c.grading };
  const composition = { horizon: 0.5, focus: { x: 0.5, y: 0.5 }, subjectScale: 0.3, ...c.composition };
  return {
    palette: c.palette ?? [],
    lighting: { ...lighting, warmth: lighting.warmth ?? grading.temperature },
    grading: { ...grading, shadows: grading.shadows ?? neutral, midtones: grading.midtones ?? neutral, highlights: grading.highlights ?? neutral },
    composition: { ...composition, balance: composition.balance ?? composition.focus, thirds: composition.thirds ?? nearestThirds(composition.focus) },
  };
}

function round(v: number): number {
  return Math.round(v * 1000) / 1000;
}

export type ComponentWeights = Partial<Record<ComponentName, number>>;

/**
 * Blends several images' components, each weighted per component (default 1; 0 ignores that
 * reference's component). Numbers are averaged; palettes are pooled by weight and the
 * strongest colours kept. A component every reference turned down to 0 is not left empty:
 * the references then count alike for it.
 */
export function blendComponents(items: { components: StyleComponents; weights?: ComponentWeights }[]): StyleComponents | null {
  if (!items.length) return null;
  const asked = (item: (typeof items)[number], name: ComponentName) => Math.max(0, item.weights?.[name] ?? 1);
  const anyAsked = Object.fromEntries(componentNames.map((name) => [name, items.some((item) => asked(item, name) > 0)])) as Record<ComponentName, boolean>;
  const weightOf = (item: (typeof items)[number], name: ComponentName) => (anyAsked[name] ? asked(item, name) : 1);
  const average = (name: ComponentName, pick: (c: StyleComponents) => number) => {
    let total = 0;
    let weight = 0;
    for (const item of items) {
      const w = weightOf(item, name);
      total += pick(item.components) * w;
      weight += w;
    }
    return round(total / weight);
  };
  const pooled = new Map<string, number>();
  for (const item of items) {
    const w = weightOf(item, 'palette');
    if (w <= 0) continue;
    for (const colour of item.components.palette) pooled.set(colour.hex, (pooled.get(colour.hex) ?? 0) + colour.weight * w);
  }
  const kept = [...pooled.entries()].filter(([, w]) => w > 0).sort((a, b) => b[1] - a[1]).slice(0, 6);
  const total = kept.reduce((a, [, w]) => a + w, 0) || 1;
  const palette = kept.map(([hex, w]) => ({ hex, weight: round(w / total) }));
  const tint = (pick: (c: StyleComponents) => Tint): Tint => ({
    r: average('grading', (c) => pick(c).r),
    g: average('grading', (c) => pick(c).g),
    b: average('grading', (c) => pick(c).b),
  });
  const focus = { x: average('composition', (c) => c.composition.focus.x), y: average('composition', (c) => c.composition.focus.y) };
  return {
    palette: palette.length ? palette : items[0]!.components.palette,
    lighting: {
      key: average('lighting', (c) => c.lighting.key),
      contrast: average('lighting', (c) => c.lighting.contrast),
      direction: { x: average('lighting', (c) => c.lighting.direction.x), y: average('lighting', (c) => c.lighting.direction.y) },
      warmth: average('lighting', (c) => c.lighting.warmth),
    },
    grading: {
      temperature: average('grading', (c) => c.grading.temperature),
      saturation: average('grading', (c) => c.grading.saturation),
      tint: average('grading', (c) => c.grading.tint),
      shadows: tint((c) => c.grading.shadows),
      midtones: tint((c) => c.grading.midtones),
      highlights: tint((c) => c.grading.highlights),
    },
    composition: {
      horizon: average('composition', (c) => c.composition.horizon),
      focus,
      subjectScale: average('composition', (c) => c.composition.subjectScale),
      balance: { x: average('composition', (c) => c.composition.balance.x), y: average('composition', (c) => c.composition.balance.y) },
      thirds: nearestThirds(focus),
    },
  };
}
