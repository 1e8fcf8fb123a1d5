// A page of generations costs a constant number of D1 statements, however many rows and
// images it shows, and reads the same as each generation read alone.
import { describe, expect, it } from 'vitest';
import { newId } from '../../edge/db/ids';
import { licenses, styles } from '../../edge/db/schema';
import { listGenerations, toGenerationDto } from '../../edge/domain/generations/rows';
import { settle } from '../../edge/domain/ledger';
import { db } from './db';
import { seededGeneration } from './generation-rows';
import { call, env, grant, json, signIn } from './support';

/** The D1 binding, counting every statement run through it (each is prepared once, batched or not). */
function counting(d1: D1Database) {
  let statements = 0;
  const counted = new Proxy(d1, {
    get(target, property) {
      if (property === 'prepare') return (query: string) => (statements++, target.prepare(query));
      if (property === 'exec') return (query: string) => (statements++, target.exec(query));
      const value = Reflect.get(target, property);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
  return { db: counted, statements: () => statements };
}

describe('the generations list', () => {
  it('reads 50 generations with their images, holds, calls, licenses and Styles in at most 3 statements', async () => {
    const me = await signIn();
    await grant(me.email, 500);
    const userId = me.user.id;
    const now = new Date().toISOString();
    const styleId = newId('sty');
    await db().insert(styles).values({ id: styleId, owner_id: userId, name: 'Ink', visibility: 'private', status: 'ready', components: '{}', created_at: now, updated_at: now });

    const seeded = [];
    const start = Date.now() - 60_000;
    for (let i = 0; i < 50; i++) {
      const ended = i % 3 === 0;
      const made = await seededGeneration(userId, {
        at: new Date(start + i * 10),
        status: ended ? 'succeeded' : 'running',
        batch: 4,
        tasks: ended ? ['succeeded'] : ['submitted', 'pending'],
        outputs: 2,
        modelId: i % 2 ? styleId : 'flux-schnell',
      });
      if (ended) await settle(env.DB, { holdId: made.generation.hold_id, charge: 2, now: new Date() });
      if (i % 5 === 0) {
        await db().insert(licenses).values({ id: newId('lic'), image_id: made.imageIds[0]!, holder_id: userId, model_id: made.generation.model_id, price: 20, terms: 't', image_sha256: 'x', idempotency_key: `lic-${i}`, signature: 's', issued_at: now });
      }
      seeded.push({ i, ended, ...made });
    }

    const counted = counting(env.DB);
    const page = await listGenerations(counted.db, userId, { limit: 50 });
    expect(counted.statements()).toBeGreaterThan(0);
    expect(counted.statements()).toBeLessThanOrEqual(3);

    expect(page.items.map((g) => g.id)).toEqual(seeded.map((s) => s.generation.id).reverse());
    expect(page.next_cursor).toBeNull();
    for (const item of page.items) {
      const { i, ended, imageIds } = seeded.find((s) => s.generation.id === item.id)!;
      expect(item.images.map((image) => image.id)).toEqual(imageIds);
      expect(item.cost).toEqual(ended ? { credits_per_image: 1, held: 0, charged: 2, refunded: 2 } : { credits_per_image: 1, held: 4, charged: 0, refunded: 0 });
      expect(item.progress).toEqual({ delivered: 2, pending: ended ? 0 : 2 });
      const style = i % 2 === 1;
      const licensed = i % 5 === 0;
      expect(item.images[0]!.policy).toEqual({ watermarked: style && !licensed, license: style ? 'per_image' : 'free', licensed, downloadable: !style || licensed });
      expect(item.images[0]!.preview_url.endsWith('?licensed=1')).toBe(licensed);
      expect(item.images[1]!.policy.licensed).toBe(false);
    }

    // One generation read alone reads the same, and so does the page through HTTP.
    const alone = await toGenerationDto(env.DB, seeded[7]!.generation);
    expect(alone).toEqual(page.items.find((g) => g.id === alone.id));
    expect(await json(await call('/v1/generations?limit=50', { token: me.access_token }))).toEqual(page);

    const firstTwo = await listGenerations(env.DB, userId, { limit: 2 });
    expect(firstTwo.items).toEqual(page.items.slice(0, 2));
    expect(firstTwo.next_cursor).toBe(page.items[1]!.id);
  });
});
