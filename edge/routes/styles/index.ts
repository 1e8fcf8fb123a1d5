// /v1/styles and /v1/earnings: training, the quiz, retraining, publishing, verification, earnings.
import { earnings as earningsRoute, verifyStyle as verifyStyleRoute } from '../../../shared/api/routes/styles';
import { earningsOf } from '../../domain/styles/earnings';
import { verifyStyle } from '../../domain/styles/verification';
import { router, serve } from '../../http/openapi';
import { eventsFor } from '../../services';
import { servePublishing } from './publish';

export const styleLifecycleRoutes = router();

// Publishing for moderation (./publish.ts).
servePublishing(styleLifecycleRoutes);

// ---- Verification and earnings (edge/domain/styles/verification.ts, earnings.ts) ----------

serve(styleLifecycleRoutes, verifyStyleRoute, async (c) =>
  c.json(await verifyStyle(c.env.DB, eventsFor(c.env), { userId: c.get('user').id, styleId: c.req.valid('param').id, now: new Date() }), 200),
);

serve(styleLifecycleRoutes, earningsRoute, async (c) => c.json(await earningsOf(c.env.DB, c.get('user').id), 200));
