// Character and Product Pins: a named set of 1..10 images of one subject.
import { z } from 'zod';
import { pinKinds } from '../statuses';

/** The most images one pin holds (the API refuses more; the panel says so before asking). */
export const PIN_IMAGES_MAX = 10;

const ImageIds = z.array(z.string().min(1).max(64)).min(1, { message: 'A pin needs at least one image' }).max(PIN_IMAGES_MAX, { message: `A pin holds at most ${PIN_IMAGES_MAX} images` });

export const CreatePinBody = z.object({
  kind: z.enum(pinKinds),
  name: z.string().trim().min(1, { message: 'Name the pin' }).max(80),
  image_ids: ImageIds,
});

export const UpdatePinBody = z
  .object({ name: z.string().trim().min(1).max(80).optional(), image_ids: ImageIds.optional() })
  .refine((b) => b.name !== undefined || b.image_ids !== undefined, { message: 'Change the name or the images' });

export const Pin = z.object({
  id: z.string(),
  kind: z.enum(pinKinds),
  name: z.string(),
  image_ids: z.array(z.string()),
  created_at: z.string(),
  updated_at: z.string(),
}).meta({ id: 'Pin' });
export type Pin = z.infer<typeof Pin>;
