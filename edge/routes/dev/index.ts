// /dev: development-only helpers, absent (404) unless ENVIRONMENT = "development".
import { Hono } from 'hono';
import { z } from 'zod';
import { DevGrantBody } from '../../../shared/api/credits';
import { findOrCreateUser, setRole } from '../../domain/accounts';
import { publishCredits } from '../../domain/events';
import { credit, getCredits } from '../../domain/ledger';
import { notFound } from '../../domain/errors';
import type { AppEnv } from '../../env';
import { jsonCap, limitBody } from '../../http/body';
import { readJson, readQuery } from '../../http/validate';
import { listOutbox } from '../../mail/outbox';
import { newId } from '../../db/ids';
import { roleNames } from '../../../shared/statuses';
import { seedDevelopment } from '../../domain/seed';
import { eventsFor } from '../../services';

const OutboxQuery = z.object({ to: z.string().trim().toLowerCase().optional() });
const SeedBody = z.object({ email: z.string().trim().toLowerCase().pipe(z.email()) });
const RoleBody = SeedBody.extend({ role: z.enum(roleNames) });

export const devRoutes = new Hono<AppEnv>()
  .use(async (c, next) => {
    if (c.env.ENVIRONMENT !== 'development') throw notFound(`${c.req.method} ${new URL(c.req.url).pathname}`);
    await next();
  })
  .use(limitBody(jsonCap))
  .post('/seed', async (c) => {
    const { email } = await readJson(c, SeedBody);
    return c.json(await seedDevelopment(c.env.DB, email, new Date()));
  })
  .post('/roles', async (c) => {
    const { email, role } = await readJson(c, RoleBody);
    return c.json({ roles: await setRole(c.env.DB, email, role, new Date()) });
  })
  .get('/outbox', async (c) => c.json({ items: await listOutbox(c.env.DB, readQuery(c, OutboxQuery).to) }))
  .post('/credits/grant', async (c) => {
    const { email, amount } = await readJson(c, DevGrantBody);
    const now = new Date();
    const user = await findOrCreateUser(c.env.DB, email, now);
    // A retried grant with the same Idempotency-Key applies once.
    const key = c.req.header('idempotency-key') ?? newId('devgrant');
    await credit(c.env.DB, { userId: user.id, amount, kind: 'grant', ref: 'dev', idempotencyKey: `dev-grant:${key}`, now });
    c.executionCtx.waitUntil(publishCredits(c.env.DB, eventsFor(c.env), user.id));
    const { balance } = await getCredits(c.env.DB, user.id);
    return c.json({ balance });
  });
