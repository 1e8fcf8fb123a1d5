// Licenses of single images, their public certificate, and the licensed extras (variants)
// a license unlocks: upscales, background removal, SVG.
import { z } from 'zod';
import { extraKinds } from '../catalog/extras';
import { variantStatuses } from '../statuses';
import { Page } from './credits';

export const License = z
  .object({
    id: z.string(),
    image_id: z.string(),
    model_id: z.string(),
    price: z.number().int(),
    terms: z.string(),
    issued_at: z.string(),
    certificate_url: z.string(),
  })
  .meta({ id: 'License' });
export type License = z.infer<typeof License>;

export const LicensePage = Page(License);

export const Certificate = z
  .object({
    license_id: z.string(),
    /** Whether the stored signature still matches what was issued. */
    valid: z.boolean(),
    holder: z.string(),
    image: z.object({ id: z.string(), sha256: z.string() }),
    style: z.object({ name: z.string(), creator: z.string().nullable() }).nullable(),
    issued_at: z.string(),
    terms: z.string(),
    signature: z.string(),
  })
  .meta({ id: 'Certificate' });
export type Certificate = z.infer<typeof Certificate>;

export const Variant = z
  .object({
    image_id: z.string(),
    kind: z.enum(extraKinds),
    status: z.enum(variantStatuses),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    error: z.string().optional(),
  })
  .meta({ id: 'Variant' });
export type Variant = z.infer<typeof Variant>;

export const VariantList = z.object({ items: z.array(Variant) });

/** A download that asked for an extra not made yet: the job, and where to watch it. */
export const VariantJob = z.object({ job: Variant, poll_url: z.string() });

/** What a download link serves of the image itself: the original, or a conversion of it. */
export const downloadFormats = ['original', 'png', 'jpg', 'webp'] as const;
/** What a download may ask for: those, or the SVG tracing (a licensed extra). */
export const requestedFormats = [...downloadFormats, 'svg'] as const;

export const DownloadQuery = z.object({
  format: z.enum(requestedFormats).default('original'),
  size: z.enum(['original', '4k', '8k']).default('original'),
  variant: z.enum(['no_background']).optional(),
});
export type DownloadQuery = z.infer<typeof DownloadQuery>;

export const UpscaleBody = z.object({ size: z.enum(['4k', '8k']) });
