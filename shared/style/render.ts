// The offline renderer's painter: a deterministic scene (sky, light, layered land, a
// subject) painted from style components at any size. Same inputs and seed, same pixels.
// It is honest about what it is: a stand-in that lets the whole product run with no key;
// real images need a provider.
import { fromHex, type Rgb, type StyleComponents } from './components';

/** mulberry32: small, fast, and the same everywhere. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clamp255 = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);
const mix = (a: Rgb, b: Rgb, t: number): Rgb => [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
const scale = (c: Rgb, k: number): Rgb => [c[0] * k, c[1] * k, c[2] * k];

/** Smooth 1-D value noise for ridge lines. */
function ridge(random: () => number, points: number): (x: number) => number {
  const values = Array.from({ length: points + 1 }, () => random());
  return (x) => {
    const f = x * points;
    const i = Math.min(points - 1, Math.floor(f));
    const t = f - i;
    const s = t * t * (3 - 2 * t);
    return values[i]! * (1 - s) + values[i + 1]! * s;
  };
}

/** How strongly a measured tonal cast (a channel's offset from grey, −1..1) is painted back. */
const TONE_GAIN = 110;

/** Components saved before the light's warmth was measured: the grade's temperature stands in. */
const temperatureOf = (c: StyleComponents) => c.grading.temperature;

export interface Scene {
  width: number;
  height: number;
  seed: number;
  components: StyleComponents;
}

/** The painted pixels so far, and a painter for the next rows (in order, top to bottom). */
interface Painter {
  rgba: Uint8Array;
  /** Paints rows [from, to); the film grain is drawn row after row, so rows go in order. */
  paintRows(from: number, to: number): void;
}

function painter({ width, height, seed, components }: Scene): Painter {
  const random = seededRandom(seed);
  const colours = components.palette.map((p) => fromHex(p.hex));
  while (colours.length < 4) colours.push(colours.length ? scale(colours[colours.length - 1]!, 0.7) : [128, 128, 128]);
  const byLight = [...colours].sort((a, b) => a[0] + a[1] + a[2] - (b[0] + b[1] + b[2]));
  const darkest = byLight[0]!;
  const lightest = byLight[byLight.length - 1]!;
  const { key, contrast } = components.lighting;
  const { temperature, saturation, tint } = components.grading;
  const { horizon, subjectScale } = components.composition;
  // Each seed moves the light and the subject a little, so a batch varies around the style.
  const jitter = (v: number, amount: number) => Math.min(0.92, Math.max(0.08, v + (random() - 0.5) * amount));
  const direction = { x: jitter(components.lighting.direction.x, 0.5), y: jitter(components.lighting.direction.y, 0.2) };
  const focus = { x: jitter(components.composition.focus.x, 0.4), y: jitter(components.composition.focus.y, 0.12) };

  // Light and exposure follow the key: low key darkens everything, high key lifts it.
  const exposure = 0.45 + key * 1.1;
  const skyTop = scale(mix(colours[1]!, darkest, 0.5), exposure);
  const skyHorizon = scale(mix(colours[0]!, lightest, 0.35), exposure);
  // The light's own colour: a warm sun or a cool sky, as measured in the references' highlights.
  const warmth = components.lighting.warmth ?? temperatureOf(components);
  const sunTone: Rgb = warmth >= 0 ? [255, 240 - 40 * warmth, 210 - 110 * warmth] : [255 + 70 * warmth, 240 + 5 * warmth, 210 - 45 * warmth];
  const sun = mix(lightest, sunTone, 0.5);
  const sunX = direction.x * width;
  const sunY = Math.min(direction.y, horizon - 0.04) * height;
  const sunRadius = Math.min(width, height) * (0.05 + 0.05 * random());
  const glow = Math.min(width, height) * (0.25 + contrast);

  const layers = [0, 1, 2].map((layer) => ({
    line: ridge(random, 4 + layer * 3 + Math.floor(random() * 3)),
    base: horizon + layer * 0.09,
    amplitude: 0.12 - layer * 0.03,
    colour: scale(mix(colours[(2 + layer) % colours.length]!, darkest, 0.25 + layer * 0.22), exposure * (1 - layer * 0.12)),
    haze: 0.45 - layer * 0.2,
  }));

  const toLight = Math.hypot(sunX - focus.x * width, sunY - focus.y * height) || 1;
  const subject = {
    lightX: (sunX - focus.x * width) / toLight,
    lightY: (sunY - focus.y * height) / toLight,
    x: focus.x * width,
    y: focus.y * height,
    rx: Math.max(4, subjectScale * width * 0.32),
    ry: Math.max(4, subjectScale * height * 0.42),
    colour: scale(mix(colours[colours.length > 4 ? 4 : 3]!, sun, 0.15), exposure * 0.9),
  };

  const contrastGain = 0.7 + contrast * 2.2;
  const satGain = 0.2 + saturation * 1.6;
  const warmShift = temperature * 28;
  const tintShift = tint * 16;
  // Split toning: the grade's own cast in the shadows, midtones and highlights.
  const bandsOf = components.grading;
  const toneShift = (band: 'shadows' | 'midtones' | 'highlights'): Rgb => {
    const t = bandsOf[band] ?? { r: 0, g: 0, b: 0 };
    return [t.r * TONE_GAIN, t.g * TONE_GAIN, t.b * TONE_GAIN];
  };
  const shadowTone = toneShift('shadows');
  const midTone = toneShift('midtones');
  const highlightTone = toneShift('highlights');
  const out = new Uint8Array(width * height * 4);
  const grain = seededRandom(seed ^ 0x9e3779b9);
  const diagonal = Math.hypot(width, height) / 2;

  const paintRows = (from: number, to: number) => {
    for (let y = from; y < to; y++) {
      const v = y / height;
      const sky = mix(skyTop, skyHorizon, Math.min(1, v / Math.max(0.05, horizon)) ** 1.3);
      for (let x = 0; x < width; x++) {
        const u = x / width;
        let c: Rgb = sky;
        // The light source and its glow, above the land.
        const dSun = Math.hypot(x - sunX, y - sunY);
        if (dSun < glow) c = mix(c, sun, ((1 - dSun / glow) ** 2) * (0.35 + key * 0.4));
        if (dSun < sunRadius) c = mix(c, sun, Math.min(1, (sunRadius - dSun) / 2));
        // Land: far layers hazy, near layers dark.
        for (const layer of layers) {
          const edge = layer.base - layer.amplitude * layer.line(u);
          if (v > edge) c = mix(layer.colour, skyHorizon, layer.haze * Math.max(0, 1 - (v - edge) * 6));
        }
        // The subject: a soft-edged form at the focus, lit from the light's side.
        const dx = (x - subject.x) / subject.rx;
        const dy = (y - subject.y) / subject.ry;
        const d = dx * dx + dy * dy;
        if (d < 1) {
          // A sphere-like form: brighter on the side facing the light, smoothly.
          const facing = dx * subject.lightX + dy * subject.lightY;
          const lit = 0.72 + 0.38 * facing * (0.4 + contrast * 2);
          c = mix(c, scale(subject.colour, lit), Math.min(1, (1 - d) * 6));
        }
        // Grade: contrast around mid-grey, saturation around luminance, temperature and tint.
        const lum = 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
        let r = lum + (c[0] - lum) * satGain;
        let g = lum + (c[1] - lum) * satGain;
        let b = lum + (c[2] - lum) * satGain;
        r = (r - 128) * contrastGain + 128 + warmShift + tintShift;
        g = (g - 128) * contrastGain + 128 - tintShift;
        b = (b - 128) * contrastGain + 128 - warmShift + tintShift;
        // Each tonal band takes its cast in proportion to how much of the pixel lies in it.
        const tone = lum / 255;
        const inShadow = tone < 0.5 ? 1 - tone * 2 : 0;
        const inHighlight = tone > 0.5 ? tone * 2 - 1 : 0;
        const inMid = 1 - inShadow - inHighlight;
        r += shadowTone[0] * inShadow + midTone[0] * inMid + highlightTone[0] * inHighlight;
        g += shadowTone[1] * inShadow + midTone[1] * inMid + highlightTone[1] * inHighlight;
        b += shadowTone[2] * inShadow + midTone[2] * inMid + highlightTone[2] * inHighlight;
        // Vignette grows as the key falls; a little grain keeps gradients from banding.
        const vignette = 1 - (Math.hypot(x - width / 2, y - height / 2) / diagonal) ** 2 * (0.55 - key * 0.4);
        const noise = (grain() - 0.5) * 6;
        const i = (y * width + x) * 4;
        out[i] = clamp255(r * vignette + noise);
        out[i + 1] = clamp255(g * vignette + noise);
        out[i + 2] = clamp255(b * vignette + noise);
        out[i + 3] = 255;
      }
    }
  };
  return { rgba: out, paintRows };
}

export function paintScene(scene: Scene): Uint8Array {
  const { rgba, paintRows } = painter(scene);
  paintRows(0, scene.height);
  return rgba;
}

/**
 * The same pixels as paintScene, painted a band of rows at a time with `between()` awaited
 * after each band: where the painter shares a thread with other work (the offline renderer
 * inside the API's Worker), nothing waits longer than one band.
 */
export async function paintSceneInSlices(scene: Scene, between: () => Promise<void>, pixelsPerSlice = 16 * 1024): Promise<Uint8Array> {
  const { rgba, paintRows } = painter(scene);
  const rows = Math.max(1, Math.floor(pixelsPerSlice / Math.max(1, scene.width)));
  for (let y = 0; y < scene.height; y += rows) {
    paintRows(y, Math.min(scene.height, y + rows));
    await between();
  }
  return rgba;
}
