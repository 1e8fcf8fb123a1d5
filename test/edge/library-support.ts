// Styles as the library sees them, made directly in D1 (training, the quiz and moderation are
// tested on their own): a creator signed in through HTTP, their Style published or not.
import { eq } from 'drizzle-orm';
import { expect } from 'vitest';
import { newId } from '../../edge/db/ids';
import { styles } from '../../edge/db/schema';
import type { StyleStatus, StyleVisibility } from '../../shared/statuses';
import { promptComponents } from '../../shared/style/prompt';
import { db } from './db';
import { generate, waitForGeneration } from './generation-support';
import { call, json, signIn } from './support';

export type Person = Awaited<ReturnType<typeof signIn>> & { id: string; handle: string };

/** Signs a new person in and reads who they are. */
export async function person(email?: string): Promise<Person> {
  const tokens = await signIn(email);
  const me = await json(await call('/v1/me', { token: tokens.access_token }));
  return { ...tokens, id: me.id, handle: me.handle };
}

export interface StyleFields {
  name: string;
  title?: string | null;
  description?: string;
  visibility?: StyleVisibility;
  status?: StyleStatus;
  verified?: boolean;
  distinct_users?: number;
  published_at?: string | null;
  title_image_id?: string | null;
  example_image_ids?: string[];
}

/** A Style of `ownerId`'s, published in the library unless said otherwise. */
export async function makeStyle(ownerId: string, fields: StyleFields): Promise<string> {
  const id = newId('sty');
  const now = new Date().toISOString();
  const visibility = fields.visibility ?? 'public';
  await db()
    .insert(styles)
    .values({
      id,
      owner_id: ownerId,
      name: fields.name,
      description: fields.description ?? '',
      visibility,
      status: fields.status ?? 'published',
      verified: fields.verified ?? false,
      components: JSON.stringify(promptComponents(`${fields.name}, teal amber`)),
      title: fields.title === undefined ? fields.name : fields.title,
      title_image_id: fields.title_image_id ?? null,
      example_image_ids: JSON.stringify(fields.example_image_ids ?? []),
      copyright_status: visibility === 'public' ? 'own_work' : null,
      submitted_at: visibility === 'public' ? now : null,
      published_at: fields.published_at === undefined ? (visibility === 'public' ? now : null) : fields.published_at,
      distinct_users: fields.distinct_users ?? 0,
      created_at: now,
      updated_at: now,
    });
  return id;
}

export async function styleRow(id: string) {
  const row = await db().select().from(styles).where(eq(styles.id, id)).get();
  if (!row) throw new Error(`no Style ${id}`);
  return row;
}

/** One image made with a model by this person (the offline renderer), waited for. */
export async function generateWith(token: string, modelId: string, prompt = 'a harbour at dusk'): Promise<any> {
  const response = await generate(token, { model_id: modelId, prompt, batch: 1, resolution: 'hd', aspect_ratio: '1:1' });
  expect(response.status).toBe(202);
  const done = await waitForGeneration(token, (await json(response)).id, 60_000);
  expect(done.status).toBe('succeeded');
  return done;
}
