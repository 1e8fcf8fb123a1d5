// /v1/me: who is signed in, with their credits.
import { me } from '../../../shared/api/routes/auth';
import { getUser, toUserDto } from '../../domain/accounts';
import { getCredits } from '../../domain/ledger';
import { router, serve } from '../../http/openapi';

export const accountRoutes = router();

serve(accountRoutes, me, async (c) => {
  const { id } = c.get('user');
  const [user, credits] = await Promise.all([getUser(c.env.DB, id), getCredits(c.env.DB, id)]);
  return c.json({ ...toUserDto(user), credits }, 200);
});
