// /v1/moderation: pending public Styles and the decisions on them (moderators only).
import { moderate, moderationImage, moderationQueue } from '../../../shared/api/routes/styles';
import { imagePolicyOf } from '../../domain/licenses';
import { rendition } from '../../domain/images';
import { decideStyle, moderatorOf, pendingStyleImage, pendingStyles } from '../../domain/styles/moderation';
import { publishStyle } from '../../domain/styles/view';
import { watermarkSecret } from '../../domain/watermark';
import { router, serve } from '../../http/openapi';
import { eventsFor, rendererFor } from '../../services';

export const moderationRoutes = router();

serve(moderationRoutes, moderationQueue, async (c) => {
  await moderatorOf(c.env.DB, c.get('user').id);
  return c.json({ items: await pendingStyles(c.env.DB) }, 200);
});

serve(moderationRoutes, moderate, async (c) => {
  const moderator = await moderatorOf(c.env.DB, c.get('user').id);
  const styleId = c.req.valid('param').id;
  const review = await decideStyle(c.env.DB, { moderator, styleId, ...c.req.valid('json'), now: new Date() });
  c.executionCtx.waitUntil(publishStyle(c.env.DB, eventsFor(c.env), styleId));
  return c.json(review, 200);
});

serve(moderationRoutes, moderationImage, async (c) => {
  await moderatorOf(c.env.DB, c.get('user').id);
  const { id, image_id } = c.req.valid('param');
  const image = await pendingStyleImage(c.env.DB, id, image_id);
  const policy = await imagePolicyOf(c.env.DB, image);
  const made = await rendition(c.env.IMAGES, rendererFor(c.env), image, 'preview', policy.watermarked ? watermarkSecret(c.env) : null);
  // Another user's image, shown to a moderator only: never cached by anything shared.
  return c.body(made.body as ReadableStream, 200, { 'content-type': made.contentType, 'cache-control': 'private, no-store', 'x-content-type-options': 'nosniff' });
});
