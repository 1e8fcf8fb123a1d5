// Live updates: the ticket that opens a user's channel, and every message the channel carries
// ({ type, data, at }), each `data` the same shape its matching GET returns.
import { z } from 'zod';
import { Credits } from './auth';
import { Purchase } from './credits';
import { Generation } from './generation';
import { License, Variant } from './licenses';
import { Style } from './styles';

/** How long a ticket opens the channel, in seconds (long enough to connect, too short to share). */
export const TICKET_TTL_SECONDS = 30;

export const EventTicket = z
  .object({
    url: z.string().meta({ description: 'The WebSocket address to open, with its single-use ticket', example: 'wss://api.example.com/v1/events?ticket=eyJ…' }),
    expires_in: z.number().int().meta({ description: 'Seconds the ticket stays valid', example: TICKET_TTL_SECONDS }),
  })
  .meta({ id: 'EventTicket' });
export type EventTicket = z.infer<typeof EventTicket>;

export const EventsQuery = z.object({ ticket: z.string().min(1).max(2048).meta({ description: 'A ticket from POST /v1/events/ticket', example: 'eyJ…' }) });

/** What each message type carries: the shape of the GET that reads the same thing. */
export const eventData = {
  'generation.updated': Generation,
  'credits.changed': Credits,
  'variant.ready': Variant,
  'license.created': License,
  /** A Style of yours changed: training progress, the quiz ready, a moderation decision, verification. */
  'style.updated': Style,
  /** A purchase settled (paid: its credits granted; or its payment failed), or was taken back (refunded, disputed). */
  'purchase.completed': Purchase,
} as const;
export type EventType = keyof typeof eventData;
export type EventData<T extends EventType> = z.infer<(typeof eventData)[T]>;
export const eventTypes = Object.keys(eventData) as EventType[];

const message = <T extends EventType>(type: T) => z.object({ type: z.literal(type), data: eventData[type], at: z.string() });

/** One message as it is sent: `at` is when it was published (ISO 8601). */
export const LiveMessage = z.discriminatedUnion('type', [message('generation.updated'), message('credits.changed'), message('variant.ready'), message('license.created'), message('style.updated'), message('purchase.completed')]);
export type LiveMessage = z.infer<typeof LiveMessage>;
