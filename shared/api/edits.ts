// Editing an image, describing one, and measuring the style components of references.
import { z } from 'zod';
import { editOps } from '../catalog/types';

const Id = z.string().min(1).max(64);
export const editOperations = editOps;

export const EditBody = z
  .object({
    op: z.enum(editOperations),
    prompt: z.string().trim().max(4000).optional(),
    mask_image_id: Id.optional(),
    model_id: Id.optional(),
    seed: z.number().int().min(0).max(2 ** 32 - 1).optional(),
  })
  .superRefine((body, ctx) => {
    if ((body.op === 'instruct' || body.op === 'replace') && !body.prompt) {
      ctx.addIssue({ code: 'custom', path: ['prompt'], message: body.op === 'instruct' ? 'Say what to change' : 'Say what to put in the masked area' });
    }
    if ((body.op === 'replace' || body.op === 'erase') && !body.mask_image_id) {
      ctx.addIssue({ code: 'custom', path: ['mask_image_id'], message: 'Paint a mask of the area first' });
    }
    if (body.op === 'instruct' && body.mask_image_id) {
      ctx.addIssue({ code: 'custom', path: ['mask_image_id'], message: 'Instruct edits the whole image; leave out the mask' });
    }
  });
export type EditBody = z.infer<typeof EditBody>;

export const ImageToPromptBody = z.object({ image_id: Id });

export const StyleComponentsBody = z.object({
  image_ids: z.array(Id).min(1, { message: 'Choose at least one image' }).max(10, { message: 'At most 10 references' }),
});
