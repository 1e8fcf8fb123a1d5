// Live updates: a short-lived ticket, then the WebSocket it opens (so no token rides in a URL).
import { EventTicket, EventsQuery, TICKET_TTL_SECONDS } from '../events';
import { defineRoute, json, problems, signedIn } from './define';

export const eventTicket = defineRoute({
  method: 'post',
  path: '/v1/events/ticket',
  tags: ['events'],
  summary: 'A single-use ticket (about 30 s) that opens your live channel',
  security: signedIn,
  responses: {
    200: json(EventTicket, 'The address to open as a WebSocket', { url: 'wss://api.example.com/v1/events?ticket=eyJ…', expires_in: TICKET_TTL_SECONDS }),
    ...problems('unauthorized'),
  },
});

export const events = defineRoute({
  method: 'get',
  path: '/v1/events',
  tags: ['events'],
  summary: 'Your live channel, opened as a WebSocket with a ticket',
  description:
    'Send `Upgrade: websocket`. Messages are JSON `{ type, data, at }`: `generation.updated` (data: a Generation), `credits.changed` (Credits), ' +
    '`variant.ready` (Variant: made, or failed), `license.created` (License). Send `ping` to hear `pong`. A ticket opens one connection, once; an expired, forged or used one is refused before the upgrade.',
  request: { query: EventsQuery },
  responses: {
    101: { description: 'Switching Protocols: the channel is open' },
    ...problems('bad_request', 'unauthorized', 'validation_failed'),
  },
});

export const eventRoutes = { eventTicket, events } as const;
