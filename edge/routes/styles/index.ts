// /v1/styles and /v1/earnings: training, the quiz, retraining, publishing, verification, earnings.
import { createStyle, earnings as earningsRoute, getStyle, listStyles, retrainStyle, scoreQuiz, verifyStyle as verifyStyleRoute } from '../../../shared/api/routes/styles';
import { earningsOf } from '../../domain/styles/earnings';
import { createStyle as create, listOwnStyles, retrainStyle as retrain } from '../../domain/styles/lifecycle';
import { scoreQuiz as score } from '../../domain/styles/quiz';
import { verifyStyle } from '../../domain/styles/verification';
import { ownStyleRow, styleView } from '../../domain/styles/view';
import type { AppEnv } from '../../env';
import { idempotencyKey } from '../../http/idempotency';
import { router, serve } from '../../http/openapi';
import { providersFor } from '../../providers/registry';
import { eventsFor } from '../../services';
import type { Context } from 'hono';
import { servePublishing } from './publish';

export const styleLifecycleRoutes = router();

/** What starting a training needs from the request: where the work goes and where the trainer reaches us. */
function lifecycle(c: Context<AppEnv>) {
  return {
    deps: { db: c.env.DB, queue: c.env.JOBS, providers: providersFor(c.env), events: eventsFor(c.env), waitUntil: (p: Promise<unknown>) => c.executionCtx.waitUntil(p) },
    origin: c.env.PUBLIC_API_URL ?? new URL(c.req.url).origin,
  };
}

// ---- Training, the quiz, retraining, my Styles ----------------------------------------

serve(styleLifecycleRoutes, createStyle, async (c) => {
  const { deps, origin } = lifecycle(c);
  const style = await create(deps, { userId: c.get('user').id, body: c.req.valid('json'), idempotencyKey: idempotencyKey(c), origin, now: new Date() });
  return c.json(style, 202);
});

serve(styleLifecycleRoutes, listStyles, async (c) => c.json(await listOwnStyles(c.env.DB, c.get('user').id), 200));

serve(styleLifecycleRoutes, getStyle, async (c) => c.json(await styleView(c.env.DB, await ownStyleRow(c.env.DB, c.get('user').id, c.req.valid('param').id)), 200));

serve(styleLifecycleRoutes, scoreQuiz, async (c) => {
  const result = await score({ db: c.env.DB, events: eventsFor(c.env) }, { userId: c.get('user').id, styleId: c.req.valid('param').id, scores: c.req.valid('json').scores, now: new Date() });
  return c.json(result, 200);
});

serve(styleLifecycleRoutes, retrainStyle, async (c) => {
  const { deps, origin } = lifecycle(c);
  const style = await retrain(deps, { userId: c.get('user').id, styleId: c.req.valid('param').id, idempotencyKey: idempotencyKey(c), origin, now: new Date() });
  return c.json(style, 202);
});

// ---- Publishing for moderation (./publish.ts) --------------------------------------------

servePublishing(styleLifecycleRoutes);

// ---- Verification and earnings (edge/domain/styles/verification.ts, earnings.ts) ----------

serve(styleLifecycleRoutes, verifyStyleRoute, async (c) =>
  c.json(await verifyStyle(c.env.DB, eventsFor(c.env), { userId: c.get('user').id, styleId: c.req.valid('param').id, now: new Date() }), 200),
);

serve(styleLifecycleRoutes, earningsRoute, async (c) => c.json(await earningsOf(c.env.DB, c.get('user').id), 200));
