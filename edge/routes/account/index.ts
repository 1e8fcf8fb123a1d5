// /v1/me: who is signed in, with their credits.
import { Hono } from 'hono';
import type { Me } from '../../../shared/api/auth';
import { getUser, toUserDto } from '../../domain/accounts';
import { getCredits } from '../../domain/ledger';
import type { AppEnv } from '../../env';
import { requireUser } from '../../http/require-user';

export const accountRoutes = new Hono<AppEnv>().get('/me', requireUser, async (c) => {
  const { id } = c.get('user');
  const [user, credits] = await Promise.all([getUser(c.env.DB, id), getCredits(c.env.DB, id)]);
  return c.json({ ...toUserDto(user), credits } satisfies Me);
});
