// The messages between the background and the capture script it injects into a page, in the
// extension's one message mechanism: zod schemas for each request and answer, parsed on
// arrival at both ends (the background asks through askPage in flow.ts). Everything crosses
// as plain JSON: bytes as base64. zod/mini keeps the injected script small.
import { browser } from 'wxt/browser';
import * as z from 'zod/mini';
import { type HandlersOf, isTrustedSender, listenerFor } from '../lib/message-channel';

export const SourceKind = z.enum(['url', 'svg', 'canvas', 'video']);
export type SourceKind = z.infer<typeof SourceKind>;

/** A box in the top frame's viewport, in CSS pixels. */
export const Rect = z.object({ x: z.number(), y: z.number(), width: z.number().check(z.nonnegative()), height: z.number().check(z.nonnegative()) });
export type Rect = z.infer<typeof Rect>;

export const PageImage = z.object({ url: z.string(), width: z.number(), height: z.number(), alt: z.string() });
export type PageImage = z.infer<typeof PageImage>;

export const PageFacts = z.object({
  pageUrl: z.string(),
  pageTitle: z.string(),
  /** device pixels per CSS pixel, to crop screenshots. */
  dpr: z.number().check(z.positive()),
});
export type PageFacts = z.infer<typeof PageFacts>;

export const ResolveAnswer = z.discriminatedUnion('ok', [
  z.extend(PageFacts, {
    ok: z.literal(true),
    kind: SourceKind,
    url: z.nullable(z.string()),
    width: z.number(),
    height: z.number(),
    alt: z.string(),
    rect: Rect,
    inline: z.nullable(z.object({ base64: z.string(), contentType: z.string() })),
    needsScreenshot: z.boolean(),
  }),
  z.extend(PageFacts, { ok: z.literal(false), reason: z.enum(['opted_out', 'nothing_here']), message: z.string() }),
]);
export type ResolveAnswer = z.infer<typeof ResolveAnswer>;

export const CollectAnswer = z.extend(PageFacts, { images: z.array(PageImage), optedOut: z.nullable(z.string()) });
export type CollectAnswer = z.infer<typeof CollectAnswer>;

export const RegionAnswer = z.extend(PageFacts, { rect: z.nullable(Rect) });
export type RegionAnswer = z.infer<typeof RegionAnswer>;

/** Where the designer clicked in the picker (in this frame's viewport), or null: cancelled. */
export const PickAnswer = z.extend(PageFacts, { point: z.nullable(z.object({ x: z.number(), y: z.number() })) });
export type PickAnswer = z.infer<typeof PickAnswer>;

export const pageProtocol = {
  /** The image the designer right-clicked: by the URL the browser reports, or at the point they clicked in the picker. */
  'capture.resolve': {
    request: z.object({ srcUrl: z.optional(z.string()), x: z.optional(z.number()), y: z.optional(z.number()) }),
    response: ResolveAnswer,
  },
  'capture.collect': { request: z.object({}), response: CollectAnswer },
  'capture.region': { request: z.object({}), response: RegionAnswer },
  /** Shows the picker and waits for the designer's one click (or Esc). */
  'capture.pick': { request: z.object({}), response: PickAnswer },
} as const;

export type PageMessage = keyof typeof pageProtocol;
export type PageHandlers = HandlersOf<typeof pageProtocol>;

/** Page side: answers the background of this extension and nothing else (pages cannot reach it). */
export function answerBackground(handlers: PageHandlers) {
  const origin = browser.runtime.getURL('/');
  browser.runtime.onMessage.addListener(listenerFor(pageProtocol, handlers, (sender) => isTrustedSender(sender, browser.runtime.id, origin)));
}
