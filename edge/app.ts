// The Hono app: small routers per capability, each serving routes declared in
// shared/api/routes, the OpenAPI document made from those declarations, and one error shape.
import { openApiDocument } from '../shared/api/document';
import { consoleRoutes } from './console';
import type { AppEnv } from './env';
import { router } from './http/openapi';
import { onError, onNotFound } from './http/problem';
import { accountRoutes } from './routes/account';
import { adminRoutes } from './routes/admin';
import { authRoutes } from './routes/auth';
import { creatorRoutes } from './routes/creators';
import { checkoutPageRoutes, creditRoutes } from './routes/credits';
import { docsRoutes } from './routes/docs';
import { devRoutes } from './routes/dev';
import { downloadRoutes } from './routes/downloads';
import { editRoutes } from './routes/edits';
import { eventRoutes } from './routes/events';
import { generationRoutes } from './routes/generations';
import { healthRoutes } from './routes/health';
import { imageToPromptRoutes } from './routes/image-to-prompt';
import { imageRoutes } from './routes/images';
import { licenseRoutes } from './routes/licenses';
import { moderationRoutes } from './routes/moderation';
import { modelRoutes } from './routes/models';
import { pinRoutes } from './routes/pins';
import { recipeRoutes } from './routes/recipes';
import { providerInputRoutes } from './routes/provider-inputs';
import { quoteRoutes } from './routes/quotes';
import { styleComponentRoutes } from './routes/style-components';
import { styleLifecycleRoutes } from './routes/styles';
import { trainingSetRoutes } from './routes/training-sets';
import { webhookRoutes } from './routes/webhooks';

export function createApp() {
  const app = router();
  for (const routes of [
    healthRoutes,
    authRoutes,
    accountRoutes,
    creditRoutes,
    eventRoutes,
    editRoutes,
    licenseRoutes,
    downloadRoutes,
    imageRoutes,
    imageToPromptRoutes,
    styleComponentRoutes,
    modelRoutes,
    quoteRoutes,
    generationRoutes,
    pinRoutes,
    recipeRoutes,
    trainingSetRoutes,
    styleLifecycleRoutes,
    moderationRoutes,
    creatorRoutes,
    webhookRoutes,
    adminRoutes,
    providerInputRoutes,
  ]) {
    app.route('/', routes);
  }
  // Development-only helpers stay out of the document: they answer 404 everywhere else.
  app.route('/dev', devRoutes);
  // The moderation console: HTML pages for moderators, outside the document like /dev.
  app.route('/admin', consoleRoutes);
  // Where Stripe Checkout sends a buyer back: pages in words, outside the document too.
  app.route('/checkout', checkoutPageRoutes);
  // The document is made from the same declarations the routers serve (a test holds them equal).
  app.get('/openapi.json', (c) => c.json(openApiDocument(c.env.PUBLIC_API_URL ?? new URL(c.req.url).origin)));
  app.route('/docs', docsRoutes);
  return app.notFound(onNotFound).onError(onError);
}

export type App = ReturnType<typeof createApp>;
export type { AppEnv };
