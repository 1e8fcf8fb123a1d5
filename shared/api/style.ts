// What the API measures from images: style components (palette, lighting, grading,
// composition) and Image-to-Prompt's description.
import { z } from 'zod';

const Unit = z.number().min(0).max(1);
const Signed = z.number().min(-1).max(1);
const Point = z.object({ x: Unit, y: Unit });
const Tint = z.object({ r: Signed, g: Signed, b: Signed });

/** What shared/style/components.ts measures; a recipe carries the same values, blended. */
export const StyleComponents = z
  .object({
    palette: z.array(z.object({ hex: z.string().regex(/^#[0-9a-fA-F]{6}$/, { message: 'A colour as #rrggbb' }), weight: Unit })).max(12),
    lighting: z.object({ key: Unit, contrast: Unit, direction: Point, warmth: Signed }),
    grading: z.object({ temperature: Signed, saturation: Unit, tint: Signed, shadows: Tint, midtones: Tint, highlights: Tint }),
    composition: z.object({ horizon: Unit, focus: Point, subjectScale: Unit, balance: Point, thirds: Point }),
  })
  .meta({ id: 'StyleComponents' });

export const StyleComponentsResult = z.object({
  items: z.array(StyleComponents.extend({ image_id: z.string() })),
  /** The even blend of every reference; null when there were none. */
  blended: StyleComponents.nullable(),
});

export const ImageToPrompt = z.object({
  prompt: z.string(),
  attributes: z.record(z.string(), z.unknown()),
  /** What the prompt was read from: 'pixels', or 'caption+pixels' where a captioner is bound. */
  source: z.string(),
});
export type ImageToPrompt = z.infer<typeof ImageToPrompt>;
