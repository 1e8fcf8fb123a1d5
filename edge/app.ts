// The Hono app: small routers per capability, one error shape for everything.
import { Hono } from 'hono';
import type { AppEnv } from './env';
import { onError, onNotFound } from './http/problem';
import { accountRoutes } from './routes/account';
import { authRoutes } from './routes/auth';
import { creditRoutes } from './routes/credits';
import { devRoutes } from './routes/dev';
import { fileRoutes, imageDownloadRoutes } from './routes/downloads';
import { editRoutes } from './routes/edits';
import { generationRoutes } from './routes/generations';
import { imageToPromptRoutes } from './routes/image-to-prompt';
import { imageRoutes } from './routes/images';
import { imageLicenseRoutes, licenseRoutes } from './routes/licenses';
import { modelRoutes } from './routes/models';
import { pinRoutes } from './routes/pins';
import { quoteRoutes } from './routes/quotes';
import { styleComponentRoutes } from './routes/style-components';
import { webhookRoutes } from './routes/webhooks';

export function createApp() {
  return new Hono<AppEnv>()
    .get('/health', (c) => c.json({ ok: true }))
    .route('/v1/auth', authRoutes)
    .route('/v1', accountRoutes)
    .route('/v1/credits', creditRoutes)
    .route('/v1/images', editRoutes)
    .route('/v1/images', imageLicenseRoutes)
    .route('/v1/images', imageDownloadRoutes)
    .route('/v1/files', fileRoutes)
    .route('/v1/licenses', licenseRoutes)
    .route('/v1/images', imageRoutes)
    .route('/v1/image-to-prompt', imageToPromptRoutes)
    .route('/v1/style-components', styleComponentRoutes)
    .route('/v1/models', modelRoutes)
    .route('/v1/quotes', quoteRoutes)
    .route('/v1/generations', generationRoutes)
    .route('/v1/pins', pinRoutes)
    .route('/v1/webhooks', webhookRoutes)
    .route('/dev', devRoutes)
    .notFound(onNotFound)
    .onError(onError);
}
