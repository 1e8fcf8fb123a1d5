// /v1/pins: Character and Product Pins.
import { createPin, deletePin, pin, pins, updatePin } from '../../../shared/api/routes/pins';
import * as domain from '../../domain/pins';
import { router, serve } from '../../http/openapi';

export const pinRoutes = router();

serve(pinRoutes, createPin, async (c) => c.json(await domain.createPin(c.env.DB, c.get('user').id, c.req.valid('json'), new Date()), 201));
serve(pinRoutes, pins, async (c) => c.json({ items: await domain.listPins(c.env.DB, c.get('user').id), next_cursor: null }, 200));
serve(pinRoutes, pin, async (c) => c.json(await domain.getPin(c.env.DB, c.get('user').id, c.req.valid('param').id), 200));
serve(pinRoutes, updatePin, async (c) => c.json(await domain.updatePin(c.env.DB, c.get('user').id, c.req.valid('param').id, c.req.valid('json'), new Date()), 200));
serve(pinRoutes, deletePin, async (c) => {
  await domain.deletePin(c.env.DB, c.get('user').id, c.req.valid('param').id);
  return c.body(null, 204);
});
