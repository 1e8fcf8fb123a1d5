// /v1/pins: Character and Product Pins.
import { Hono } from 'hono';
import { CreatePinBody, UpdatePinBody } from '../../../shared/api/pins';
import { createPin, deletePin, getPin, listPins, updatePin } from '../../domain/pins';
import type { AppEnv } from '../../env';
import { requireUser } from '../../http/require-user';
import { readJson } from '../../http/validate';

export const pinRoutes = new Hono<AppEnv>()
  .use(requireUser)
  .post('/', async (c) => c.json(await createPin(c.env.DB, c.get('user').id, await readJson(c, CreatePinBody), new Date()), 201))
  .get('/', async (c) => c.json({ items: await listPins(c.env.DB, c.get('user').id), next_cursor: null }))
  .get('/:id', async (c) => c.json(await getPin(c.env.DB, c.get('user').id, c.req.param('id'))))
  .patch('/:id', async (c) => c.json(await updatePin(c.env.DB, c.get('user').id, c.req.param('id'), await readJson(c, UpdatePinBody), new Date())))
  .delete('/:id', async (c) => {
    await deletePin(c.env.DB, c.get('user').id, c.req.param('id'));
    return c.body(null, 204);
  });
