// What a capture is, as the trays, the panel and the messages keep it: one zod schema each,
// the types inferred from them. Free of browser APIs, so any side (and the browser tests) can
// import it.
import { z } from 'zod';
import { type CaptureMenu, imageMenus } from './menus';

const captureMenus: [CaptureMenu, ...CaptureMenu[]] = ['region', ...imageMenus.map((m) => m.id)];

/** An image captured from a page, as the trays and the panel keep it. */
export const Capture = z.object({
  id: z.string(),
  menu: z.enum(captureMenus),
  image_id: z.string(),
  source_url: z.string().nullable(),
  page_url: z.string(),
  page_title: z.string(),
  alt: z.string(),
  width: z.number(),
  height: z.number(),
  sha256: z.string(),
  thumb_url: z.string(),
  /** A small JPEG made from the captured bytes, so the tray shows it without a round trip. */
  thumb_data: z.string().nullable(),
  /** uploading: shown from the bytes in hand while the upload runs (no image_id yet). */
  status: z.enum(['uploading', 'ready']),
  captured_at: z.string(),
});
export type Capture = z.infer<typeof Capture>;

export const TrainingItem = Capture.extend({ description: z.string() });
export type TrainingItem = z.infer<typeof TrainingItem>;

/**
 * The last word on a capture. `while` names what keeps it true (a prompt being read from an
 * image, a pin waiting for its name); without it an ok notice passes after a few seconds and
 * an error stays until dismissed.
 */
export const CaptureNotice = z.object({
  kind: z.enum(['ok', 'error']),
  message: z.string(),
  at: z.string(),
  while: z.enum(['reading_prompt', 'naming_pin']).optional(),
});
export type CaptureNotice = z.infer<typeof CaptureNotice>;
