// Buying credit packs. A purchase is written (pending) before its Checkout Session is made,
// keyed by the buyer's Idempotency-Key; Stripe's reports then settle it. The pack is granted
// once: one ledger entry keyed `purchase:<id>`, in the same D1 batch as the status change and
// the event's record. A refund or a lost dispute takes credits back once per step (never below
// zero: what the balance cannot give becomes owed), each step keyed by how far it takes the
// purchase back, so deliveries in any number, order and concurrency add up to the same.
import { and, desc, eq, exists, isNull, lt, or, sql } from 'drizzle-orm';
import type { CheckoutSession as CheckoutSessionDto, Purchase } from '../../shared/api/credits';
import { findPack } from '../../shared/catalog/packs';
import { fromBase64Url, toBase64Url } from '../../shared/encoding';
import { type Database, database } from '../db/client';
import { violatesUnique } from '../db/constraints';
import { given } from '../db/insert-select';
import { newId } from '../db/ids';
import { ledgerEntries, providerEvents, type PurchaseRow, purchases, users } from '../db/schema';
import { iso } from '../db/time';
import type { EventPublisher } from '../live/publisher';
import { enqueueMail } from '../mail/outbox';
import type { Checkout } from '../payments/checkout';
import type { PaymentReport, SessionFacts } from '../payments/events';
import { creditsText, formatPrice } from '../payments/money';
import { conflict, DomainError, notFound } from './errors';
import { publishCredits, publishPurchase } from './events';
import { getCredits, prepareCredit, prepareTakeBack, settlingKey } from './ledger';

export const toPurchaseDto = (r: PurchaseRow): Purchase => ({
  id: r.id,
  pack_id: r.pack_id,
  credits: r.credits,
  amount: r.amount,
  currency: r.currency,
  status: r.status,
  created_at: r.created_at,
  paid_at: r.paid_at,
});

export async function purchaseById(db: D1Database, id: string): Promise<PurchaseRow | undefined> {
  return database(db).select().from(purchases).where(eq(purchases.id, id)).get();
}

/** The purchase a Checkout Session pays for, by the session's id. */
export async function purchaseOfSession(db: D1Database, sessionId: string): Promise<PurchaseRow | undefined> {
  return database(db).select().from(purchases).where(eq(purchases.checkout_session_id, sessionId)).get();
}

// ————— Checkout —————

export interface CheckoutInput {
  userId: string;
  packId: string;
  idempotencyKey: string;
  requestHash: string;
  origin: string;
  now: Date;
}

const byKey = (d: Database, userId: string, key: string) =>
  d
    .select()
    .from(purchases)
    .where(and(eq(purchases.user_id, userId), eq(purchases.idempotency_key, key)))
    .get();

/**
 * The session to pay a pack through. The purchase is written first, so a session is never
 * made for nothing we recorded; the same key again (one after another, or at once) answers the
 * same session, and the same key for another pack is refused.
 */
export async function startCheckout(db: D1Database, checkout: Checkout | null, input: CheckoutInput): Promise<CheckoutSessionDto> {
  if (!checkout) throw new DomainError('service_unavailable', 'Buying credits is not set up on this server yet.');
  const pack = findPack(input.packId);
  if (!pack) throw notFound(`The pack ${input.packId}`);
  const d = database(db);
  const now = iso(input.now);
  let purchase = await byKey(d, input.userId, input.idempotencyKey);
  if (!purchase) {
    const row: PurchaseRow = {
      id: newId('pur'),
      user_id: input.userId,
      pack_id: pack.id,
      credits: pack.credits,
      amount: pack.price.amount,
      currency: pack.price.currency,
      status: 'pending',
      checkout_session_id: null,
      checkout_url: null,
      payment_intent_id: null,
      idempotency_key: input.idempotencyKey,
      request_hash: input.requestHash,
      created_at: now,
      updated_at: now,
      paid_at: null,
      reversed_at: null,
    };
    try {
      await d.insert(purchases).values(row);
      purchase = row;
    } catch (error) {
      // The same key raced in: its purchase stands.
      if (!violatesUnique(error, 'purchases')) throw error;
      purchase = await byKey(d, input.userId, input.idempotencyKey);
      if (!purchase) throw error;
    }
  }
  if (purchase.request_hash !== input.requestHash) {
    throw conflict(`This Idempotency-Key was already used to buy ${creditsText(purchase.credits)}; use a new key to buy another pack.`);
  }
  if (!purchase.checkout_session_id) {
    const user = await d.select({ email: users.email }).from(users).where(eq(users.id, input.userId)).get();
    if (!user) throw notFound('Your account');
    const session = await checkout.createSession({ purchaseId: purchase.id, userId: input.userId, email: user.email, pack, origin: input.origin });
    // The first session stored stands (Stripe answers the same one for the same purchase anyway).
    await d
      .update(purchases)
      .set({ checkout_session_id: session.id, checkout_url: session.url, updated_at: now })
      .where(and(eq(purchases.id, purchase.id), isNull(purchases.checkout_session_id)));
    purchase = (await purchaseById(db, purchase.id))!;
  }
  return { id: purchase.checkout_session_id!, url: purchase.checkout_url!, purchase_id: purchase.id };
}

// ————— The list —————

const encodeCursor = (r: Pick<PurchaseRow, 'created_at' | 'id'>) => toBase64Url(new TextEncoder().encode(`${r.created_at}|${r.id}`));
function decodeCursor(cursor: string): { createdAt: string; id: string } {
  try {
    const match = /^([^|]+)\|(pur_[0-9a-z]+)$/.exec(new TextDecoder().decode(fromBase64Url(cursor)));
    if (match) return { createdAt: match[1]!, id: match[2]! };
  } catch {
    // falls through to the validation error
  }
  throw new DomainError('validation_failed', 'That list cursor is not valid.', { errors: [{ path: 'cursor', message: 'Use next_cursor from the previous page' }] });
}

/** The user's own purchases, newest first. */
export async function listPurchases(db: D1Database, userId: string, page: { limit: number; cursor?: string }) {
  const after = page.cursor ? decodeCursor(page.cursor) : null;
  const rows = await database(db)
    .select()
    .from(purchases)
    .where(
      and(
        eq(purchases.user_id, userId),
        after ? or(lt(purchases.created_at, after.createdAt), and(eq(purchases.created_at, after.createdAt), lt(purchases.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(purchases.created_at), desc(purchases.id))
    .limit(page.limit + 1);
  const items = rows.slice(0, page.limit);
  const last = items.at(-1);
  return { items: items.map(toPurchaseDto), next_cursor: rows.length > page.limit && last ? encodeCursor(last) : null };
}

// ————— Stripe's reports —————

export interface PaymentDeps {
  db: D1Database;
  events: EventPublisher;
  /** Publishing runs after the answer. */
  waitUntil(promise: Promise<unknown>): void;
}

type Receipt = { received: true; duplicate?: true };

/** The ledger entry that grants a purchase's pack: its key is what makes the grant happen once. */
const grantKey = (purchaseId: string) => `purchase:${purchaseId}`;
/** A take-back step's key names the credits taken back in all once it is done (`…:back:500`). */
const backPrefix = (purchaseId: string) => `purchase:${purchaseId}:back:`;

const eventRecord = (eventId: string, now: Date) => ({ provider: 'stripe', event_id: eventId, received_at: iso(now) });

async function seen(d: Database, eventId: string): Promise<boolean> {
  const row = await d
    .select({ id: providerEvents.event_id })
    .from(providerEvents)
    .where(and(eq(providerEvents.provider, 'stripe'), eq(providerEvents.event_id, eventId)))
    .get();
  return row !== undefined;
}

/** Remembers an event that changed nothing, so a redelivery is answered as a duplicate. */
async function remember(d: Database, eventId: string, now: Date): Promise<Receipt> {
  await d.insert(providerEvents).values(eventRecord(eventId, now)).onConflictDoNothing();
  return { received: true };
}

/** Applies one verified Stripe event to the purchase it concerns (if any). */
export async function receivePayment(deps: PaymentDeps, report: PaymentReport, now: Date): Promise<Receipt> {
  const d = database(deps.db);
  if (await seen(d, report.eventId)) return { received: true, duplicate: true };
  switch (report.kind) {
    case 'checkout':
      return checkoutReport(deps, report, now);
    case 'refund':
    case 'dispute_lost':
      return takeBackReport(deps, report, now);
    case 'other':
      return { received: true };
  }
}

/** What, if anything, makes a session not the one its purchase was made for. */
function mismatch(purchase: PurchaseRow, s: SessionFacts): string | null {
  if (s.id !== purchase.checkout_session_id) return `session ${s.id} is not the purchase's (${purchase.checkout_session_id})`;
  if (s.clientReferenceId !== purchase.user_id || (s.userId !== null && s.userId !== purchase.user_id)) return `it names another buyer (${s.clientReferenceId})`;
  if (s.packId !== null && s.packId !== purchase.pack_id) return `it names another pack (${s.packId})`;
  if (s.amountTotal !== purchase.amount || s.currency !== purchase.currency) return `it charged ${s.amountTotal} ${s.currency}, the pack costs ${purchase.amount} ${purchase.currency}`;
  return null;
}

async function checkoutReport(deps: PaymentDeps, report: Extract<PaymentReport, { kind: 'checkout' }>, now: Date): Promise<Receipt> {
  const d = database(deps.db);
  const { session } = report;
  const purchase = (session.purchaseId ? await purchaseById(deps.db, session.purchaseId) : undefined) ?? (await purchaseOfSession(deps.db, session.id));
  // A session of some other sale on the same Stripe account.
  if (!purchase) return { received: true };
  // Made at Stripe but not stored here yet (the checkout request failed after Stripe answered, and
  // its retry has not come): Stripe delivers again later, by when it is.
  if (!purchase.checkout_session_id) throw new DomainError('service_unavailable', `Purchase ${purchase.id} has no Checkout Session recorded yet; deliver this event again later.`);
  const wrong = mismatch(purchase, session);
  if (wrong) {
    console.error(`Stripe event ${report.eventId} does not match purchase ${purchase.id}: ${wrong}. Nothing granted.`);
    return remember(d, report.eventId, now);
  }
  switch (report.outcome) {
    case 'paid':
      return grant(deps, purchase, report.eventId, session.paymentIntent, now);
    case 'unpaid':
      // A delayed method: it stays pending until async_payment_succeeded (or _failed).
      try {
        await d.batch([
          d.insert(providerEvents).values(eventRecord(report.eventId, now)),
          d
            .update(purchases)
            .set({ payment_intent_id: session.paymentIntent, updated_at: iso(now) })
            .where(and(eq(purchases.id, purchase.id), eq(purchases.status, 'pending'), isNull(purchases.payment_intent_id))),
        ]);
      } catch (error) {
        return duplicateOr(error);
      }
      return { received: true };
    case 'failed':
    case 'expired':
      return fail(deps, purchase, report.eventId, report.outcome, now);
  }
}

/** A batch that lost to a delivery of the same event is a duplicate; anything else is thrown. */
function duplicateOr(error: unknown): Receipt {
  if (!violatesUnique(error, 'provider_events')) throw error;
  return { received: true, duplicate: true };
}

/**
 * Grants the pack, once: the event's record, the pending → paid transition and the grant (with
 * the settling of anything owed) in one batch. The grant's unique ledger key aborts a second
 * one (a redelivery, or completed followed by async_payment_succeeded), and the event's record
 * aborts a redelivery of the same event.
 */
async function grant(deps: PaymentDeps, purchase: PurchaseRow, eventId: string, paymentIntent: string | null, now: Date): Promise<Receipt> {
  const d = database(deps.db);
  const paid = exists(d.select({ one: sql`1` }).from(purchases).where(and(eq(purchases.id, purchase.id), eq(purchases.status, 'paid'))));
  let results: unknown[];
  try {
    results = await d.batch([
      d.insert(providerEvents).values(eventRecord(eventId, now)),
      d
        .update(purchases)
        .set({ status: 'paid', paid_at: iso(now), payment_intent_id: paymentIntent ?? purchase.payment_intent_id, updated_at: iso(now) })
        .where(and(eq(purchases.id, purchase.id), eq(purchases.status, 'pending')))
        .returning({ id: purchases.id }),
      ...prepareCredit(deps.db, { userId: purchase.user_id, kind: 'purchase', amount: purchase.credits, ref: purchase.id, key: grantKey(purchase.id), now, onlyIf: paid }),
    ]);
  } catch (error) {
    if (violatesUnique(error, 'provider_events')) return { received: true, duplicate: true };
    if (!violatesUnique(error, 'ledger_entries')) throw error;
    // Granted already, by another event about this session.
    return remember(d, eventId, now);
  }
  if (!(results[1] as unknown[]).length) return { received: true }; // failed or taken back before: nothing granted
  const settled = await d
    .select({ amount: ledgerEntries.amount })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.user_id, purchase.user_id), eq(ledgerEntries.idempotency_key, settlingKey(grantKey(purchase.id)))))
    .get();
  await announce(deps, purchase.id, (p, credits) => receiptMail(p, credits, -(settled?.amount ?? 0), now));
  return { received: true };
}

async function fail(deps: PaymentDeps, purchase: PurchaseRow, eventId: string, outcome: 'failed' | 'expired', now: Date): Promise<Receipt> {
  const d = database(deps.db);
  let results: unknown[];
  try {
    results = await d.batch([
      d.insert(providerEvents).values(eventRecord(eventId, now)),
      d
        .update(purchases)
        .set({ status: 'failed', updated_at: iso(now) })
        .where(and(eq(purchases.id, purchase.id), eq(purchases.status, 'pending')))
        .returning({ id: purchases.id }),
    ]);
  } catch (error) {
    return duplicateOr(error);
  }
  if ((results[1] as unknown[]).length) {
    // An abandoned checkout needs no mail; a payment that bounced does.
    await announce(deps, purchase.id, outcome === 'failed' ? (p) => failedMail(p) : null);
  }
  return { received: true };
}

/** Credits the purchase has had taken back so far: the highest step its take-back entries reached. */
function takenBackSoFar(d: Database, purchase: PurchaseRow) {
  const prefix = backPrefix(purchase.id);
  return d
    .select({ credits: sql<number>`COALESCE(MAX(CAST(substr(${ledgerEntries.idempotency_key}, ${prefix.length + 1}) AS INTEGER)), 0)`.as('credits') })
    .from(ledgerEntries)
    .where(and(eq(ledgerEntries.user_id, purchase.user_id), sql`substr(${ledgerEntries.idempotency_key}, 1, ${prefix.length}) = ${prefix}`));
}

/**
 * How many of the pack's credits a refund takes back in all: in proportion to the money
 * refunded so far (Stripe's `amount_refunded` is the charge's running total), rounded down in
 * the buyer's favour; all of them once the charge is fully refunded.
 */
export function creditsRefunded(purchase: Pick<PurchaseRow, 'credits' | 'amount'>, refund: { amountRefunded: number; fully: boolean }): number {
  if (refund.fully || refund.amountRefunded >= purchase.amount) return purchase.credits;
  return Math.max(0, Math.floor((purchase.credits * refund.amountRefunded) / purchase.amount));
}

/**
 * Takes back what a refund or a lost dispute says, once. Each step goes from the credits taken
 * back so far to the event's total, keyed by that total and written only if no other step
 * moved the purchase meanwhile (checked inside the batch); a step that lost such a race is
 * worked out again from where the winner left it.
 */
async function takeBackReport(deps: PaymentDeps, report: Extract<PaymentReport, { kind: 'refund' | 'dispute_lost' }>, now: Date): Promise<Receipt> {
  const d = database(deps.db);
  const purchase = report.paymentIntent ? await d.select().from(purchases).where(eq(purchases.payment_intent_id, report.paymentIntent)).get() : undefined;
  if (!purchase) return { received: true }; // another sale's payment
  if (purchase.status === 'pending' || purchase.status === 'failed' || report.currency !== purchase.currency || (report.kind === 'refund' && report.amount !== purchase.amount)) {
    console.error(`Stripe event ${report.eventId} (${report.kind}) does not fit purchase ${purchase.id} (${purchase.status}, ${purchase.amount} ${purchase.currency}). Nothing taken back.`);
    return remember(d, report.eventId, now);
  }
  const total = report.kind === 'refund' ? creditsRefunded(purchase, report) : purchase.credits;
  const finalStatus = report.kind === 'refund' ? 'refunded' : 'disputed';
  for (let attempt = 0; attempt < 5; attempt++) {
    const before = (await takenBackSoFar(d, purchase).get())?.credits ?? 0;
    if (total <= before) return remember(d, report.eventId, now);
    const step = prepareTakeBack(deps.db, {
      userId: purchase.user_id,
      credits: total - before,
      kind: 'purchase',
      ref: purchase.id,
      key: `${backPrefix(purchase.id)}${total}`,
      now,
      onlyIf: sql`(${takenBackSoFar(d, purchase)}) = ${before}`,
    });
    const stepWritten = exists(d.select({ one: sql`1` }).from(ledgerEntries).where(eq(ledgerEntries.id, step.entryId)));
    try {
      await d.batch([
        ...step.statements,
        d
          .update(purchases)
          .set({ ...(total === purchase.credits ? { status: finalStatus, reversed_at: iso(now) } : {}), updated_at: iso(now) })
          .where(and(eq(purchases.id, purchase.id), stepWritten)),
        d
          .insert(providerEvents)
          .select((qb) => qb.select({ provider: given('stripe', 'provider'), event_id: given(report.eventId, 'event_id'), received_at: given(iso(now), 'received_at') }).from(ledgerEntries).where(eq(ledgerEntries.id, step.entryId))),
      ]);
    } catch (error) {
      if (violatesUnique(error, 'provider_events')) return { received: true, duplicate: true };
      // Another event reached the same total first: from there, nothing is left to take.
      if (!violatesUnique(error, 'ledger_entries')) throw error;
      continue;
    }
    const entry = await d.select({ amount: ledgerEntries.amount }).from(ledgerEntries).where(eq(ledgerEntries.id, step.entryId)).get();
    if (!entry) continue; // another step moved the purchase first
    const stepCredits = total - before;
    await announce(deps, purchase.id, (p, credits) => takenBackMail(p, { kind: report.kind, credits: stepCredits, taken: -entry.amount }, credits, now));
    return { received: true };
  }
  throw new Error(`taking back purchase ${purchase.id} kept losing races; Stripe will deliver ${report.eventId} again`);
}

// ————— After a change: the live channel and the mail —————

type MailOf = (purchase: PurchaseRow, credits: Awaited<ReturnType<typeof getCredits>>) => { subject: string; text: string };

/** Tells the buyer's panel (after the answer) and mails them, reading the purchase and balance as they now stand. */
async function announce(deps: PaymentDeps, purchaseId: string, mail: MailOf | null): Promise<void> {
  const purchase = (await purchaseById(deps.db, purchaseId))!;
  deps.waitUntil(
    (async () => {
      await publishCredits(deps.db, deps.events, purchase.user_id);
      await publishPurchase(deps.db, deps.events, purchase.id);
    })(),
  );
  if (!mail) return;
  try {
    const [user, credits] = await Promise.all([database(deps.db).select({ email: users.email }).from(users).where(eq(users.id, purchase.user_id)).get(), getCredits(deps.db, purchase.user_id)]);
    if (user) await enqueueMail(deps.db, { to: user.email, ...mail(purchase, credits) }, new Date());
  } catch (error) {
    // The credits moved; a lost mail must not make Stripe deliver the event again.
    console.error(`mailing about purchase ${purchase.id} failed`, error);
  }
}

const day = (at: Date) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'long', timeZone: 'UTC' }).format(at);

function receiptMail(p: PurchaseRow, credits: { balance: number; owed: number }, settled: number, now: Date) {
  const lines = [
    'Thank you for buying credits.',
    '',
    `Pack: ${creditsText(p.credits)}`,
    `Paid: ${formatPrice(p.amount, p.currency)} (${p.currency.toUpperCase()})`,
    `Date: ${day(now)}`,
    `Purchase: ${p.id}`,
    '',
    ...(settled > 0 ? [`${creditsText(settled)} of it settled what a refunded purchase left owing.`] : []),
    `Your balance is now ${creditsText(credits.balance)}.`,
    ...(credits.owed > 0 ? [`${creditsText(credits.owed)} ${credits.owed === 1 ? 'is' : 'are'} still owing.`] : []),
  ];
  return { subject: `Your Exactly receipt: ${creditsText(p.credits)}`, text: lines.join('\n') };
}

function failedMail(p: PurchaseRow) {
  return {
    subject: `Your payment for ${creditsText(p.credits)} did not go through`,
    text: `Your payment of ${formatPrice(p.amount, p.currency)} for ${creditsText(p.credits)} (purchase ${p.id}) did not go through, so no credits were added and nothing was charged. You can buy the pack again from the Exactly panel.`,
  };
}

function takenBackMail(p: PurchaseRow, step: { kind: 'refund' | 'dispute_lost'; credits: number; taken: number }, credits: { balance: number; owed: number }, now: Date) {
  const what = step.kind === 'refund' ? 'was refunded' : 'was disputed and the dispute was lost';
  const owedNow = step.credits - step.taken;
  const lines = [
    `Your payment for ${creditsText(p.credits)} (purchase ${p.id}, ${formatPrice(p.amount, p.currency)}) ${step.kind === 'refund' && p.status !== 'refunded' ? 'was partly refunded' : what} on ${day(now)}.`,
    `${creditsText(step.credits)} ${step.credits === 1 ? 'was' : 'were'} taken back: ${creditsText(step.taken)} from your balance${owedNow > 0 ? `, and ${creditsText(owedNow)} your balance could not cover` : ''}.`,
    `Your balance is now ${creditsText(credits.balance)}.`,
    ...(credits.owed > 0 ? ['', `${creditsText(credits.owed)} ${credits.owed === 1 ? 'is' : 'are'} owing: nothing can be generated or licensed until credits you buy settle ${credits.owed === 1 ? 'it' : 'them'}.`] : []),
  ];
  return { subject: step.kind === 'refund' ? `Your Exactly purchase was refunded: ${creditsText(step.credits)} taken back` : `A lost dispute took back ${creditsText(step.credits)}`, text: lines.join('\n') };
}
