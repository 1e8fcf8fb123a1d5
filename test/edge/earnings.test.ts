// Earnings: every license sold on a verified public Style's image credits the creator's share,
// as a ledger earning and a creator_earnings row in the license's own batch; GET /v1/earnings
// reads them as a total, per Style and per day, for the creator alone.
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { creatorEarnings, ledgerEntries } from '../../edge/db/schema';
import { readConfig } from '../../edge/config';
import { STYLE_LICENSE_PRICE } from '../../shared/catalog/styles';
import { db } from './db';
import { generate, waitForGeneration } from './generation-support';
import { generateWith, makeStyle, person } from './library-support';
import { call, env, expectProblem, grant, json } from './support';

const license = (token: string, imageId: string) => call(`/v1/images/${imageId}/license`, { method: 'POST', token, headers: { 'idempotency-key': crypto.randomUUID() } });
const earningsOf = async (token: string) => json(await call('/v1/earnings', { token }));
const share = () => Math.floor(STYLE_LICENSE_PRICE * readConfig(env).creatorShare);

describe('GET /v1/earnings', () => {
  it('adds up every license sold on the creator’s verified Styles: total, per Style, per day, newest first', async () => {
    const creator = await person();
    const buyer = await person();
    const dusk = await makeStyle(creator.id, { name: `Dusk ${crypto.randomUUID().slice(0, 6)}`, title: 'Dusk at the quay', verified: true, distinct_users: 30 });
    const ink = await makeStyle(creator.id, { name: `Ink ${crypto.randomUUID().slice(0, 6)}`, verified: true, distinct_users: 26 });
    await grant(buyer.email, 200);
    const two = await waitForGeneration(buyer.access_token, (await json(await generate(buyer.access_token, { model_id: dusk, prompt: 'boats', batch: 2, resolution: 'hd', aspect_ratio: '1:1' }))).id, 60_000);
    const one = await generateWith(buyer.access_token, ink);
    const sold = [];
    for (const image of [...two.images, ...one.images]) {
      const response = await license(buyer.access_token, image.id);
      expect(response.status).toBe(201);
      sold.push(await json(response));
    }

    const each = share();
    expect(each).toBeGreaterThan(0);
    const earnings = await earningsOf(creator.access_token);
    expect(earnings.total).toBe(3 * each);
    expect(earnings.by_style).toEqual([
      { style_id: dusk, name: 'Dusk at the quay', amount: 2 * each, licenses: 2 },
      { style_id: ink, name: expect.stringMatching(/^Ink /), amount: each, licenses: 1 },
    ]);
    expect(earnings.by_day).toEqual([{ date: new Date().toISOString().slice(0, 10), amount: 3 * each }]);
    expect(earnings.items.map((i: any) => i.license_id)).toEqual(sold.map((l) => l.id).reverse());
    expect(earnings.items[0]).toMatchObject({ style_id: ink, image_id: one.images[0].id, amount: each });

    // Each earning is in the creator's ledger too, referring to its license.
    const ledger = await db().select().from(ledgerEntries).where(and(eq(ledgerEntries.user_id, creator.id), eq(ledgerEntries.kind, 'earning')));
    expect(ledger.map((e) => e.ref).sort()).toEqual(sold.map((l) => l.id).sort());
    expect((await json(await call('/v1/credits', { token: creator.access_token }))).balance).toBe(3 * each);

    // Only the caller's own.
    expect(await earningsOf(buyer.access_token)).toEqual({ total: 0, by_style: [], by_day: [], items: [] });
    await expectProblem(await call('/v1/earnings'), 401, 'unauthorized');
  }, 120_000);

  it('writes no earning when the buyer cannot pay, and none for the creator’s own purchase', async () => {
    const creator = await person();
    const buyer = await person();
    const style = await makeStyle(creator.id, { name: `Dear ${crypto.randomUUID().slice(0, 6)}`, verified: true, distinct_users: 25 });
    await grant(buyer.email, 3 + STYLE_LICENSE_PRICE - 1);
    const made = await generateWith(buyer.access_token, style);
    await expectProblem(await license(buyer.access_token, made.images[0].id), 402, 'insufficient_credits');
    expect(await db().$count(creatorEarnings, eq(creatorEarnings.creator_id, creator.id))).toBe(0);
    expect(await db().$count(ledgerEntries, and(eq(ledgerEntries.user_id, creator.id), eq(ledgerEntries.kind, 'earning')))).toBe(0);

    // The creator licensing their own output pays, and earns nothing from it.
    await grant(creator.email, 3 + STYLE_LICENSE_PRICE);
    const own = await generateWith(creator.access_token, style);
    expect((await license(creator.access_token, own.images[0].id)).status).toBe(201);
    expect((await earningsOf(creator.access_token)).total).toBe(0);
  }, 120_000);
});
