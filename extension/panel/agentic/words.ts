// Measured components in a designer's words and colours: where the light comes from, how hard
// and how warm it is, what colour each tonal band is cast, and what a weight of 0 means.
import { type Composition, type Lighting, type Tint, toHex } from '../../../shared/style/components';

export const percent = (v: number) => `${Math.round(v * 100)}%`;

/** A weight as the slider says it: 0 is "off" (the component of that reference is ignored). */
export const weightText = (w: number) => (w === 0 ? 'off' : percent(w));

const side = (v: number, low: string, high: string) => (v < 0.4 ? low : v > 0.6 ? high : '');

/** "the upper left", "the left", "above", "the front" (light near the frame's centre). */
export function placeOf(point: { x: number; y: number }): string {
  const h = side(point.x, 'left', 'right');
  const v = side(point.y, 'upper', 'lower');
  if (h && v) return `the ${v} ${h}`;
  if (h) return `the ${h}`;
  if (v) return v === 'upper' ? 'above' : 'below';
  return 'the front';
}

export const lightWords = (l: Lighting) => `Light from ${placeOf(l.direction)}`;

export const contrastWord = (c: number) => (c < 0.12 ? 'soft' : c < 0.22 ? 'medium' : 'hard');

export const warmthWord = (w: number) => (w > 0.08 ? 'warm' : w < -0.08 ? 'cool' : 'neutral');

/** Key: how bright the frame is overall. */
export const keyWord = (k: number) => (k < 0.35 ? 'low key' : k > 0.65 ? 'high key' : 'mid key');

/** The grey each tonal band sits at, as the tint swatches show it. */
export const bandLevels = { shadows: 1 / 6, midtones: 1 / 2, highlights: 5 / 6 } as const;
export type Band = keyof typeof bandLevels;
export const bandLabels: Record<Band, string> = { shadows: 'Shadows', midtones: 'Midtones', highlights: 'Highlights' };

/** A band's tint shown as colour: the band's grey plus its channel offsets. */
export function tintColour(band: Band, tint: Tint): string {
  const level = bandLevels[band];
  return toHex([(level + tint.r) * 255, (level + tint.g) * 255, (level + tint.b) * 255]);
}

/** What a tint leans to, in a word (the channel furthest from neutral). */
export function tintWord(tint: Tint): string {
  const warm = tint.r - tint.b;
  const green = tint.g - (tint.r + tint.b) / 2;
  if (Math.max(Math.abs(warm), Math.abs(green)) < 0.02) return 'neutral';
  if (Math.abs(warm) >= Math.abs(green)) return warm > 0 ? 'warm' : 'cool';
  return green > 0 ? 'green' : 'magenta';
}

export function compositionWords(c: Composition): string {
  const thirds = placeOf({ x: c.thirds.x, y: c.thirds.y }).replace(/^the /, '');
  return `Subject near the ${thirds} third, weight toward ${placeOf(c.balance)}, horizon ${percent(c.horizon)} down`;
}
