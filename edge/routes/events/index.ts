// /v1/events: a ticket for the signed-in user, then the WebSocket upgrade it opens, handed to
// that user's channel (a Durable Object) once the ticket's signature and expiry hold.
import { TICKET_TTL_SECONDS } from '../../../shared/api/events';
import { events, eventTicket } from '../../../shared/api/routes/events';
import { readConfig } from '../../config';
import { DomainError } from '../../domain/errors';
import { router, serve } from '../../http/openapi';
import { signTicket, verifyTicket } from '../../live/tickets';
import { TICKET_EXPIRES_HEADER, TICKET_ID_HEADER } from '../../live/user-events';

export const eventRoutes = router();

serve(eventRoutes, eventTicket, async (c) => {
  const ticket = await signTicket(readConfig(c.env).authSecret, c.get('user').id, TICKET_TTL_SECONDS, new Date());
  const url = new URL('/v1/events', c.env.PUBLIC_API_URL ?? c.req.url);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  url.search = new URLSearchParams({ ticket }).toString();
  return c.json({ url: url.toString(), expires_in: TICKET_TTL_SECONDS }, 200);
});

serve(eventRoutes, events, async (c) => {
  if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') throw new DomainError('bad_request', 'Open this address as a WebSocket (Upgrade: websocket).');
  const ticket = await verifyTicket(readConfig(c.env).authSecret, c.req.valid('query').ticket, new Date());
  // The ticket's user names the channel: a ticket can open no one else's.
  const channel = c.env.USER_EVENTS.get(c.env.USER_EVENTS.idFromName(ticket.userId));
  const upgrade = new Request(c.req.raw.url, { headers: c.req.raw.headers });
  upgrade.headers.set(TICKET_ID_HEADER, ticket.id);
  upgrade.headers.set(TICKET_EXPIRES_HEADER, String(ticket.expiresAt));
  return (await channel.fetch(upgrade)) as never;
});
