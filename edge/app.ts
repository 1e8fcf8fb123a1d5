// The Hono app: small routers per capability, one error shape for everything.
import { Hono } from 'hono';
import type { AppEnv } from './env';
import { onError, onNotFound } from './http/problem';
import { accountRoutes } from './routes/account';
import { authRoutes } from './routes/auth';
import { creditRoutes } from './routes/credits';
import { devRoutes } from './routes/dev';
import { imageRoutes } from './routes/images';
import { modelRoutes } from './routes/models';
import { quoteRoutes } from './routes/quotes';

export function createApp() {
  return new Hono<AppEnv>()
    .get('/health', (c) => c.json({ ok: true }))
    .route('/v1/auth', authRoutes)
    .route('/v1', accountRoutes)
    .route('/v1/credits', creditRoutes)
    .route('/v1/images', imageRoutes)
    .route('/v1/models', modelRoutes)
    .route('/v1/quotes', quoteRoutes)
    .route('/dev', devRoutes)
    .notFound(onNotFound)
    .onError(onError);
}
