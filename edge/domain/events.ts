// What the domain tells a user's live channel, read after the change committed: the same
// shapes the matching GETs return, so the panel applies a message as it would a fresh read.
import type { EventPublisher } from '../live/publisher';
import { generationById, toGenerationDto } from './generations/rows';
import { getCredits } from './ledger';
import { purchaseById, toPurchaseDto } from './purchases';

export type { EventPublisher } from '../live/publisher';

/** `generation.updated` with the generation as GET /v1/generations/:id reads now. */
export async function publishGeneration(db: D1Database, events: EventPublisher, generationId: string): Promise<void> {
  try {
    const row = await generationById(db, generationId);
    if (row) await events.publish(row.user_id, { type: 'generation.updated', data: await toGenerationDto(db, row) });
  } catch (error) {
    console.error(`reading ${generationId} to publish it failed; the panel will poll`, error);
  }
}

/** `credits.changed` with the balance as GET /v1/credits reads now. */
export async function publishCredits(db: D1Database, events: EventPublisher, userId: string): Promise<void> {
  try {
    await events.publish(userId, { type: 'credits.changed', data: await getCredits(db, userId) });
  } catch (error) {
    console.error(`reading the credits of ${userId} to publish them failed; the panel will poll`, error);
  }
}

/** `purchase.completed` with the purchase as GET /v1/credits/purchases lists it now. */
export async function publishPurchase(db: D1Database, events: EventPublisher, purchaseId: string): Promise<void> {
  try {
    const row = await purchaseById(db, purchaseId);
    if (row) await events.publish(row.user_id, { type: 'purchase.completed', data: toPurchaseDto(row) });
  } catch (error) {
    console.error(`reading ${purchaseId} to publish it failed; the panel will poll`, error);
  }
}
