// What a verified Stripe event says about a purchase, in the domain's words. Only the fields
// the purchase rules read are checked (zod); the rest of Stripe's objects pass untouched, and
// events of other types are of no concern here.
import { z } from 'zod';

const expandable = z.union([z.string(), z.object({ id: z.string() })]).transform((v) => (typeof v === 'string' ? v : v.id));

const Envelope = z.object({
  id: z.string().min(1),
  object: z.literal('event'),
  type: z.string().min(1),
  data: z.object({ object: z.record(z.string(), z.unknown()) }),
});

const Session = z.object({
  id: z.string().min(1),
  object: z.literal('checkout.session'),
  client_reference_id: z.string().nullish(),
  amount_total: z.number().int().nullish(),
  currency: z.string().nullish(),
  payment_status: z.enum(['paid', 'unpaid', 'no_payment_required']),
  payment_intent: expandable.nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});

const Charge = z.object({
  id: z.string().min(1),
  object: z.literal('charge'),
  payment_intent: expandable.nullish(),
  amount: z.number().int(),
  amount_refunded: z.number().int(),
  refunded: z.boolean(),
  currency: z.string(),
});

const Dispute = z.object({
  id: z.string().min(1),
  object: z.literal('dispute'),
  payment_intent: expandable.nullish(),
  amount: z.number().int(),
  currency: z.string(),
  status: z.string(),
});

export interface SessionFacts {
  id: string;
  purchaseId: string | null;
  userId: string | null;
  packId: string | null;
  clientReferenceId: string | null;
  amountTotal: number | null;
  currency: string | null;
  paymentIntent: string | null;
}

export type PaymentReport =
  /** A Checkout Session paid (now, or its delayed payment succeeded), completed but not yet paid, whose delayed payment failed, or that expired unpaid. */
  | { kind: 'checkout'; eventId: string; outcome: 'paid' | 'unpaid' | 'failed' | 'expired'; session: SessionFacts }
  /** Money went back: `amountRefunded` is the charge's total refunded so far, `fully` when that is all of it. */
  | { kind: 'refund'; eventId: string; paymentIntent: string | null; amount: number; amountRefunded: number; fully: boolean; currency: string }
  /** A dispute the seller lost: the money is gone. */
  | { kind: 'dispute_lost'; eventId: string; paymentIntent: string | null; currency: string }
  | { kind: 'other'; eventId: string; type: string };

/** A body that is JSON, correctly signed, but not a Stripe event we can read. */
export class NotAnEvent extends Error {}

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.infer<T> {
  const result = schema.safeParse(value);
  if (!result.success) throw new NotAnEvent(`its ${what} is not shaped as Stripe's (${result.error.issues[0]?.path.join('.') || 'the whole'}: ${result.error.issues[0]?.message})`);
  return result.data;
}

function sessionFacts(object: unknown): SessionFacts {
  const s = parse(Session, object, 'checkout.session');
  return {
    id: s.id,
    purchaseId: s.metadata?.purchase_id ?? null,
    userId: s.metadata?.user_id ?? null,
    packId: s.metadata?.pack_id ?? null,
    clientReferenceId: s.client_reference_id ?? null,
    amountTotal: s.amount_total ?? null,
    currency: s.currency?.toLowerCase() ?? null,
    paymentIntent: s.payment_intent ?? null,
  };
}

export function paymentReport(event: unknown): PaymentReport {
  const { id: eventId, type, data } = parse(Envelope, event, 'event');
  switch (type) {
    case 'checkout.session.completed': {
      const session = sessionFacts(data.object);
      // Delayed methods (bank debits) complete unpaid; their outcome follows as async_payment_*.
      const paid = data.object.payment_status !== 'unpaid';
      return { kind: 'checkout', eventId, outcome: paid ? 'paid' : 'unpaid', session };
    }
    case 'checkout.session.async_payment_succeeded':
      return { kind: 'checkout', eventId, outcome: 'paid', session: sessionFacts(data.object) };
    case 'checkout.session.async_payment_failed':
      return { kind: 'checkout', eventId, outcome: 'failed', session: sessionFacts(data.object) };
    case 'checkout.session.expired':
      return { kind: 'checkout', eventId, outcome: 'expired', session: sessionFacts(data.object) };
    case 'charge.refunded': {
      const c = parse(Charge, data.object, 'charge');
      return { kind: 'refund', eventId, paymentIntent: c.payment_intent ?? null, amount: c.amount, amountRefunded: c.amount_refunded, fully: c.refunded, currency: c.currency.toLowerCase() };
    }
    case 'charge.dispute.closed': {
      const d = parse(Dispute, data.object, 'dispute');
      // Won, or closed as a warning: the money stayed, so do the credits.
      if (d.status !== 'lost') return { kind: 'other', eventId, type: `${type} (${d.status})` };
      return { kind: 'dispute_lost', eventId, paymentIntent: d.payment_intent ?? null, currency: d.currency.toLowerCase() };
    }
    // charge.dispute.created: the disputed amount is withdrawn while the dispute runs, but the
    // credits stay until it is lost (charge.dispute.closed): it may still be won.
    default:
      return { kind: 'other', eventId, type };
  }
}
