// /v1/credits: the balance and its ledger.
import { credits, ledger } from '../../../shared/api/routes/credits';
import { getCredits, listLedger } from '../../domain/ledger';
import { router, serve } from '../../http/openapi';

export const creditRoutes = router();

serve(creditRoutes, credits, async (c) => c.json(await getCredits(c.env.DB, c.get('user').id), 200));
serve(creditRoutes, ledger, async (c) => c.json(await listLedger(c.env.DB, c.get('user').id, c.req.valid('query')), 200));
