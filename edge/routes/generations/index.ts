// /v1/generations: start (Idempotency-Key), read, list, cancel.
import { Hono } from 'hono';
import { z } from 'zod';
import { ListQuery } from '../../../shared/api/credits';
import { GenerationBody } from '../../../shared/api/generation';
import { readConfig } from '../../config';
import { createGeneration } from '../../domain/generations/create';
import { listGenerations, ownGeneration, toGenerationDto } from '../../domain/generations/rows';
import { cancelGeneration } from '../../domain/generations/run';
import { DomainError } from '../../domain/errors';
import type { AppEnv } from '../../env';
import { idempotencyKey, requestHash } from '../../http/idempotency';
import { requireUser } from '../../http/require-user';
import { readJson, readQuery } from '../../http/validate';
import { runDepsFor } from '../../jobs/deps';
import { providersFor } from '../../providers/registry';

const Cursor = z.string().regex(/^gen_[0-9a-z]+$/, { message: 'Use next_cursor from the previous page' });

export const generationRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .post('/', async (c) => {
    const body = await readJson(c, GenerationBody);
    const { generation } = await createGeneration(
      { db: c.env.DB, queue: c.env.JOBS, providers: providersFor(c.env), holdTtlMinutes: readConfig(c.env).holdTtlMinutes, waitUntil: (p) => c.executionCtx.waitUntil(p) },
      {
        userId: c.get('user').id,
        body,
        idempotencyKey: idempotencyKey(c),
        requestHash: await requestHash({ generate: body }),
        webhookBase: c.env.PUBLIC_API_URL ?? new URL(c.req.url).origin,
        now: new Date(),
      },
    );
    return c.json(generation, 202);
  })
  .get('/', async (c) => {
    const { limit, cursor } = readQuery(c, ListQuery);
    if (cursor && !Cursor.safeParse(cursor).success) throw new DomainError('validation_failed', 'That list cursor is not valid.', { errors: [{ path: 'cursor', message: 'Use next_cursor from the previous page' }] });
    return c.json(await listGenerations(c.env.DB, c.get('user').id, { limit, cursor }));
  })
  .get('/:id', async (c) => c.json(await toGenerationDto(c.env.DB, await ownGeneration(c.env.DB, c.get('user').id, c.req.param('id')))))
  .post('/:id/cancel', async (c) => {
    const row = await cancelGeneration(runDepsFor(c.env), c.get('user').id, c.req.param('id'), new Date());
    return c.json(await toGenerationDto(c.env.DB, row));
  });
