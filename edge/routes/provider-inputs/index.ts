// GET /v1/provider-inputs/:token: a provider fetching one input of its call by the link it was
// given (edge/domain/provider-inputs.ts). No bearer and no CORS: the link is the permission.
import { providerInput } from '../../../shared/api/routes/provider-inputs';
import { readConfig } from '../../config';
import { openProviderInput } from '../../domain/provider-inputs';
import { router, serve } from '../../http/openapi';

export const providerInputRoutes = router();

serve(providerInputRoutes, providerInput, async (c) => {
  const { body, headers } = await openProviderInput(c.env.IMAGES, readConfig(c.env).authSecret, c.req.valid('param').token, new Date());
  return c.body(body, 200, headers);
});
