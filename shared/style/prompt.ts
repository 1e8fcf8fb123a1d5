// What a prompt says about style, read from its words: colours, light, grade and framing.
// The offline renderer paints from this, so the same words visibly change the picture.
import type { StyleComponents } from './components';
import { completeComponents, toHex, type Rgb } from './components';

const colourWords: Record<string, Rgb[]> = {
  red: [[196, 40, 48]],
  crimson: [[153, 17, 43]],
  scarlet: [[222, 42, 36]],
  orange: [[242, 133, 41]],
  amber: [[255, 176, 46]],
  gold: [[222, 170, 60]],
  golden: [[230, 178, 72]],
  yellow: [[246, 214, 72]],
  lime: [[170, 214, 60]],
  green: [[64, 150, 80]],
  emerald: [[28, 140, 100]],
  forest: [[36, 84, 50], [78, 120, 62]],
  jungle: [[30, 110, 60], [120, 170, 70]],
  teal: [[30, 128, 128]],
  turquoise: [[64, 200, 190]],
  cyan: [[60, 210, 230]],
  blue: [[48, 96, 200]],
  navy: [[22, 34, 84]],
  ocean: [[20, 80, 140], [64, 150, 190]],
  sea: [[30, 100, 150], [120, 180, 200]],
  sky: [[120, 170, 230]],
  indigo: [[60, 50, 140]],
  violet: [[130, 80, 190]],
  purple: [[110, 50, 150]],
  lavender: [[180, 160, 220]],
  magenta: [[210, 40, 150]],
  pink: [[240, 140, 180]],
  rose: [[220, 110, 130]],
  peach: [[250, 190, 150]],
  coral: [[250, 120, 100]],
  brown: [[120, 80, 50]],
  earth: [[110, 84, 60], [160, 130, 90]],
  sand: [[214, 190, 140]],
  desert: [[220, 170, 110], [190, 120, 70]],
  beige: [[225, 210, 180]],
  cream: [[245, 235, 210]],
  white: [[240, 240, 236]],
  snow: [[236, 242, 248], [190, 205, 225]],
  winter: [[200, 215, 235], [120, 140, 170]],
  black: [[18, 18, 20]],
  charcoal: [[50, 52, 56]],
  gray: [[128, 128, 132]],
  grey: [[128, 128, 132]],
  silver: [[190, 195, 200]],
  neon: [[255, 40, 200], [40, 240, 255]],
  sunset: [[250, 120, 60], [120, 50, 110]],
  dusk: [[90, 60, 120], [240, 140, 90]],
  dawn: [[250, 190, 160], [140, 160, 210]],
  autumn: [[200, 100, 40], [150, 60, 30]],
  spring: [[170, 220, 140], [250, 200, 220]],
  fire: [[250, 90, 20], [255, 200, 60]],
  ice: [[200, 235, 250], [120, 180, 220]],
  night: [[14, 20, 48], [40, 50, 100]],
  lighthouse: [[230, 230, 220], [200, 40, 40]],
};

const lightingWords: Record<string, { key?: number; contrast?: number; direction?: { x: number; y: number } }> = {
  night: { key: 0.14, contrast: 0.14 },
  dark: { key: 0.2 },
  moody: { key: 0.25, contrast: 0.22 },
  noir: { key: 0.18, contrast: 0.3 },
  bright: { key: 0.72 },
  sunny: { key: 0.68, contrast: 0.22, direction: { x: 0.75, y: 0.15 } },
  airy: { key: 0.78, contrast: 0.1 },
  overcast: { key: 0.55, contrast: 0.07 },
  fog: { key: 0.6, contrast: 0.05 },
  foggy: { key: 0.6, contrast: 0.05 },
  soft: { contrast: 0.09 },
  dramatic: { contrast: 0.3 },
  sunset: { key: 0.42, direction: { x: 0.5, y: 0.55 } },
  dusk: { key: 0.32, direction: { x: 0.3, y: 0.6 } },
  dawn: { key: 0.5, direction: { x: 0.7, y: 0.6 } },
  backlit: { contrast: 0.28, direction: { x: 0.5, y: 0.35 } },
  studio: { key: 0.6, contrast: 0.16, direction: { x: 0.2, y: 0.2 } },
};

const gradingWords: Record<string, { temperature?: number; saturation?: number; tint?: number }> = {
  warm: { temperature: 0.45 },
  cool: { temperature: -0.45 },
  cold: { temperature: -0.55 },
  vintage: { temperature: 0.3, saturation: 0.3 },
  film: { temperature: 0.15, saturation: 0.35 },
  cinematic: { temperature: 0.1, saturation: 0.45, tint: -0.1 },
  vivid: { saturation: 0.85 },
  vibrant: { saturation: 0.85 },
  saturated: { saturation: 0.9 },
  muted: { saturation: 0.2 },
  pastel: { saturation: 0.28 },
  desaturated: { saturation: 0.1 },
  monochrome: { saturation: 0 },
  'black-and-white': { saturation: 0 },
};

const compositionWords: Record<string, { horizon?: number; focus?: { x: number; y: number }; subjectScale?: number }> = {
  portrait: { focus: { x: 0.5, y: 0.45 }, subjectScale: 0.55 },
  'close-up': { focus: { x: 0.5, y: 0.5 }, subjectScale: 0.7 },
  closeup: { focus: { x: 0.5, y: 0.5 }, subjectScale: 0.7 },
  macro: { subjectScale: 0.8 },
  landscape: { horizon: 0.62, subjectScale: 0.12 },
  panorama: { horizon: 0.6, subjectScale: 0.08 },
  wide: { subjectScale: 0.1 },
  aerial: { horizon: 0.12 },
  'top-down': { horizon: 0.05 },
  minimal: { subjectScale: 0.08 },
  minimalist: { subjectScale: 0.08 },
  centered: { focus: { x: 0.5, y: 0.5 } },
  left: { focus: { x: 0.3, y: 0.55 } },
  right: { focus: { x: 0.7, y: 0.55 } },
};

function words(prompt: string): string[] {
  return prompt
    .toLowerCase()
    .replace(/black and white/g, 'black-and-white')
    .replace(/close up/g, 'close-up')
    .replace(/top down/g, 'top-down')
    .split(/[^a-z-]+/)
    .filter(Boolean);
}

/** A stable 32-bit hash (FNV-1a) for seeding. */
export function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Hue to RGB for prompts that name no colour: a stable palette from the words themselves. */
function hueColour(hue: number, s: number, l: number): Rgb {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + hue / 30) % 12;
    return Math.round(255 * (l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1))));
  };
  return [f(0), f(8), f(4)];
}

/** The prompt's own style: colours named in it, its light, grade and framing. */
export function promptComponents(prompt: string): StyleComponents {
  const found = words(prompt);
  const colours: Rgb[] = found.flatMap((w) => colourWords[w] ?? []);
  if (colours.length < 3) {
    const base = hash32(prompt.trim().toLowerCase() || 'untitled') % 360;
    colours.push(hueColour(base, 0.55, 0.62), hueColour((base + 35) % 360, 0.5, 0.42), hueColour((base + 190) % 360, 0.45, 0.3));
  }
  const components = {
    palette: colours.slice(0, 6).map((c, i, all) => ({ hex: toHex(c), weight: Math.round((1 / all.length) * 1000) / 1000 + (i === 0 ? 0.001 : 0) })),
    lighting: { key: 0.5, contrast: 0.16, direction: { x: 0.62, y: 0.22 } },
    grading: { temperature: 0, saturation: 0.55, tint: 0 },
    composition: { horizon: 0.58, focus: { x: 0.5, y: 0.55 }, subjectScale: 0.28 },
  };
  for (const w of found) {
    Object.assign(components.lighting, lightingWords[w]);
    Object.assign(components.grading, gradingWords[w]);
    Object.assign(components.composition, compositionWords[w]);
  }
  // The prompt names no tonal casts: the light's warmth follows the grade's, the rest is derived.
  return completeComponents(components);
}
