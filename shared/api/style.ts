// What the API measures from images: style components (palette, lighting, grading,
// composition) and Image-to-Prompt's description.
import { z } from 'zod';

const Point = z.object({ x: z.number(), y: z.number() });

export const StyleComponents = z
  .object({
    palette: z.array(z.object({ hex: z.string(), weight: z.number() })),
    lighting: z.object({ key: z.number(), contrast: z.number(), direction: Point }),
    grading: z.object({ temperature: z.number(), saturation: z.number(), tint: z.number() }),
    composition: z.object({ horizon: z.number(), focus: Point, subjectScale: z.number() }),
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
