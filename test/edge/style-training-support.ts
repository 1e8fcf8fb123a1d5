// Training Styles through HTTP: a training set of real uploaded pictures (written straight into
// its tables, as the training-sets routes would leave it), starting a training, and waiting for
// a Style to reach a status the way the studio does (polling GET /v1/styles/:id).
import { expect } from 'vitest';
import { newId } from '../../edge/db/ids';
import { trainingImages, trainingSets } from '../../edge/db/schema';
import { encodePngInBands } from '../../shared/imaging/png-encode';
import { perceptualHash } from '../../shared/styles/training-set';
import { promptComponents } from '../../shared/style/prompt';
import { paintScene } from '../../shared/style/render';
import { db, ledgerSums } from './db';
import { providerFakes } from './generation-support';
import { call, json } from './support';

const looks = ['harbour at dusk, warm amber teal', 'fish market at dawn, cool blue', 'gulls over the pier, bright white sky', 'net mender in the rain, grey muted', 'lighthouse at night, deep blue gold', 'tide pools at low water, green brown', 'red boats in the sun, saturated'];

/** A set of `count` different pictures (512 px), each uploaded by the user and described; the set's id. */
export async function trainingSet(token: string, userId: string, count = 5, describe = (i: number) => looks[i % looks.length]!): Promise<string> {
  const side = 512;
  const setId = newId('tset');
  const now = new Date().toISOString();
  await db().insert(trainingSets).values({ id: setId, owner_id: userId, name: `Set ${setId.slice(-4)}`, created_at: now, updated_at: now });
  for (let i = 0; i < count; i++) {
    const raster = { width: side, height: side, rgba: paintScene({ width: side, height: side, seed: 1000 + i * 7919, components: promptComponents(looks[i % looks.length]!) }) };
    const bytes = (await encodePngInBands(raster)) as Uint8Array<ArrayBuffer>;
    const image = await json(await call('/v1/images', { method: 'POST', token, body: bytes, headers: { 'content-type': 'image/png' } }));
    expect(image.id).toBeTruthy();
    await db()
      .insert(trainingImages)
      .values({ set_id: setId, image_id: image.id, description: describe(i), width: side, height: side, sha256: image.sha256, hash: perceptualHash(raster), created_at: new Date(Date.now() + i).toISOString() });
  }
  return setId;
}

export function train(token: string, body: Record<string, unknown>, idempotencyKey?: string, init: { vars?: Record<string, string> } = {}) {
  return call('/v1/styles', { method: 'POST', token, json: body, headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}, ...init });
}

export function retrain(token: string, id: string, idempotencyKey?: string) {
  return call(`/v1/styles/${id}/retrain`, { method: 'POST', token, headers: idempotencyKey ? { 'idempotency-key': idempotencyKey } : {} });
}

/** Polls the Style until `done` holds of it (letting provider fakes send their webhooks between looks). */
export async function waitForStyle(token: string, id: string, done: (style: any) => boolean, timeoutMs = 50_000, seen?: (style: any) => void): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    for (const fake of providerFakes) await fake.pump();
    const style = await json(await call(`/v1/styles/${id}`, { token }));
    seen?.(style);
    if (done(style)) return style;
    if (Date.now() > deadline) expect.fail(`Style ${id} did not get there in ${timeoutMs} ms: ${JSON.stringify(style)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The ledger's rows add up to the account, whatever happened. */
export async function expectLedgerConsistent(me: { access_token: string; user: { id: string } }) {
  const credits = await json(await call('/v1/credits', { token: me.access_token }));
  const sums = await ledgerSums(me.user.id);
  expect([sums.amount, sums.held]).toEqual([credits.balance, credits.held]);
  return credits;
}
