// This API's public origin: where providers send webhooks and fetch a call's inputs from.
import type { Context } from 'hono';
import type { AppEnv } from '../env';

export const publicOrigin = (c: Context<AppEnv>) => c.env.PUBLIC_API_URL ?? new URL(c.req.url).origin;
