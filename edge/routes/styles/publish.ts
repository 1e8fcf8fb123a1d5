// POST /v1/styles/:id/publish: the owner submits a public Style that passed its quiz for
// moderation. Kept beside index.ts so the rest of the Styles routes stay in one place.
import { publishStyle as publishRoute } from '../../../shared/api/routes/styles';
import { submitForModeration } from '../../domain/styles/publishing';
import { publishStyle } from '../../domain/styles/view';
import { type router, serve } from '../../http/openapi';
import { eventsFor } from '../../services';

export function servePublishing(routes: ReturnType<typeof router>): void {
  serve(routes, publishRoute, async (c) => {
    const style = await submitForModeration(c.env.DB, { userId: c.get('user').id, styleId: c.req.valid('param').id, ...c.req.valid('json'), now: new Date() });
    c.executionCtx.waitUntil(publishStyle(c.env.DB, eventsFor(c.env), style.id));
    return c.json(style, 200);
  });
}
