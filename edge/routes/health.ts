// /health: the Worker answers.
import { health } from '../../shared/api/routes/health';
import { router, serve } from '../http/openapi';

export const healthRoutes = router();

serve(healthRoutes, health, (c) => c.json({ ok: true as const }, 200));
