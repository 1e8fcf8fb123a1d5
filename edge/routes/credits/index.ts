// /v1/credits: the balance and its ledger.
import { Hono } from 'hono';
import { ListQuery } from '../../../shared/api/credits';
import { getCredits, listLedger } from '../../domain/ledger';
import type { AppEnv } from '../../env';
import { requireUser } from '../../http/require-user';
import { readQuery } from '../../http/validate';

export const creditRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .get('/', async (c) => c.json(await getCredits(c.env.DB, c.get('user').id)))
  .get('/ledger', async (c) => c.json(await listLedger(c.env.DB, c.get('user').id, readQuery(c, ListQuery))));
