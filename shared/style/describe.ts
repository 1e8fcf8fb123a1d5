// Image-to-Prompt without a captioning model: the measured components put into words. It
// describes colour, light and framing only; what the image shows needs a captioner.
import { fromHex, type StyleComponents } from './components';

const named: [string, [number, number, number]][] = [
  ['black', [20, 20, 22]], ['charcoal', [55, 57, 60]], ['grey', [128, 128, 130]], ['silver', [192, 196, 200]], ['white', [242, 242, 238]],
  ['cream', [240, 230, 205]], ['beige', [220, 205, 175]], ['sand', [210, 185, 140]], ['brown', [120, 80, 50]], ['rust', [170, 80, 40]],
  ['red', [200, 40, 45]], ['crimson', [150, 20, 45]], ['coral', [245, 120, 100]], ['pink', [240, 150, 185]], ['magenta', [205, 45, 150]],
  ['orange', [240, 135, 45]], ['amber', [250, 175, 50]], ['gold', [215, 170, 65]], ['yellow', [245, 215, 75]], ['olive', [120, 120, 50]],
  ['lime', [170, 210, 70]], ['green', [65, 145, 80]], ['forest green', [35, 85, 50]], ['teal', [30, 125, 125]], ['turquoise', [65, 200, 190]],
  ['sky blue', [125, 175, 230]], ['blue', [50, 95, 200]], ['navy', [25, 35, 85]], ['indigo', [65, 50, 140]], ['violet', [135, 85, 190]],
  ['purple', [110, 50, 150]], ['lavender', [185, 165, 220]], ['plum', [110, 55, 90]], ['peach', [250, 195, 155]],
];

export function colourName(hex: string): string {
  const [r, g, b] = fromHex(hex);
  let best = named[0]!;
  let bestDistance = Infinity;
  for (const entry of named) {
    const [nr, ng, nb] = entry[1];
    const d = 2 * (r - nr) ** 2 + 4 * (g - ng) ** 2 + 3 * (b - nb) ** 2;
    if (d < bestDistance) {
      bestDistance = d;
      best = entry;
    }
  }
  return best[0];
}

export interface Description {
  prompt: string;
  attributes: {
    palette: { hex: string; weight: number }[];
    lighting: string;
    grading: string;
    composition: string;
  };
}

export function describeComponents(c: StyleComponents): Description {
  const key = c.lighting.key < 0.3 ? 'low-key' : c.lighting.key > 0.62 ? 'high-key' : 'balanced';
  const hardness = c.lighting.contrast > 0.24 ? 'hard, contrasty' : c.lighting.contrast < 0.1 ? 'soft, diffused' : 'gentle directional';
  // The light's own colour, read from the highlights: a warm sun or a cool window, whatever the grade.
  const colour = c.lighting.warmth > 0.15 ? ' warm' : c.lighting.warmth < -0.15 ? ' cool' : '';
  const side = c.lighting.direction.x < 0.38 ? 'from the left' : c.lighting.direction.x > 0.62 ? 'from the right' : 'from ahead';
  const lighting = `${key}, ${hardness}${colour} light ${side}`;

  const temperature = c.grading.temperature > 0.15 ? 'warm' : c.grading.temperature < -0.15 ? 'cool' : 'neutral';
  const saturation = c.grading.saturation < 0.08 ? 'monochrome' : c.grading.saturation < 0.3 ? 'muted' : c.grading.saturation > 0.6 ? 'vivid' : 'natural';
  const grading = `${temperature}, ${saturation} colour`;

  const horizon = c.composition.horizon < 0.38 ? 'a high horizon' : c.composition.horizon > 0.62 ? 'a low horizon' : 'a centred horizon';
  const fx = c.composition.focus.x;
  // Pixels say where the detail is, not what it is: no subject is claimed.
  const placement = fx < 0.42 ? 'detail left of centre' : fx > 0.58 ? 'detail right of centre' : 'detail centred';
  const size = c.composition.subjectScale > 0.5 ? 'close framing' : c.composition.subjectScale < 0.15 ? 'wide, open framing' : 'medium framing';
  const composition = `${size}, ${placement}, ${horizon}`;

  const colours = [...new Set(c.palette.slice(0, 4).map((p) => colourName(p.hex)))];
  const palettePhrase = colours.length > 1 ? `${colours.slice(0, -1).join(', ')} and ${colours.at(-1)}` : (colours[0] ?? 'neutral');
  const prompt = `An image in ${palettePhrase} tones; ${lighting}; ${grading}; ${composition}.`;
  return { prompt, attributes: { palette: c.palette, lighting, grading, composition } };
}
