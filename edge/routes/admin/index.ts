// /v1/admin: operating the deployment, for admins only.
import { providerSelfCheck } from '../../../shared/api/routes/admin';
import { checkProviders } from '../../admin/provider-checks';
import { DomainError } from '../../domain/errors';
import { router, serve } from '../../http/openapi';

export const adminRoutes = router();

serve(adminRoutes, providerSelfCheck, async (c) => {
  if (c.get('user').role !== 'admin') throw new DomainError('forbidden', 'Only an admin can run the provider self-check.');
  return c.json(await checkProviders(c.env, new URL(c.req.url).origin, new Date()), 200);
});
