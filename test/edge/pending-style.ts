// A creator's Style set up as training and the quiz would leave it, written straight into D1
// (those parts are tested on their own): real uploaded training images in the version's
// snapshot, real generated results made with the Style (quiz samples and images to publish),
// the samples scored and the quiz result recorded.
import { eq, inArray } from 'drizzle-orm';
import { expect } from 'vitest';
import { newId } from '../../edge/db/ids';
import { images, quizResults, quizSamples, styles, styleVersions } from '../../edge/db/schema';
import type { StyleStatus, StyleVisibility } from '../../shared/statuses';
import { promptComponents } from '../../shared/style/prompt';
import { db } from './db';
import { generate, waitForGeneration } from './generation-support';
import { paintedPng } from './pixels';
import { call, grant, json, signIn } from './support';

export type Person = Awaited<ReturnType<typeof signIn>> & { id: string };

export async function person(label = 'designer'): Promise<Person> {
  const signed = await signIn(`${label}-${crypto.randomUUID().slice(0, 8)}@example.test`);
  return { ...signed, id: signed.user.id };
}

/** Signs in someone holding `role` (granted through /dev/roles, as a developer does). */
export async function withRole(role: 'moderator' | 'admin', label: string = role): Promise<Person> {
  const p = await person(label);
  expect((await call('/dev/roles', { method: 'POST', json: { email: p.email, role } })).status).toBe(200);
  return p;
}

export async function upload(token: string, seed: number): Promise<string> {
  const bytes = paintedPng(512, 512, (x, y) => [(x * seed) % 256, (y * 3 + seed * 40) % 256, ((x ^ y) + seed * 17) % 256]);
  const response = await call('/v1/images', { method: 'POST', token, body: bytes, headers: { 'content-type': 'image/png' } });
  // The same bytes again give the image already uploaded (200).
  expect([200, 201]).toContain(response.status);
  return (await json(response)).id;
}

/** `count` real results of the offline renderer, owned by `owner` (made with the base model, then marked as made with `modelId`). */
export async function generatedWith(owner: Person, modelId: string | null, count: number): Promise<string[]> {
  await grant(owner.email, count);
  const started = await json(await generate(owner.access_token, { model_id: 'flux-schnell', prompt: 'harbour at dusk', batch: count, resolution: 'sd', aspect_ratio: '1:1', seed: 7 }));
  const done = await waitForGeneration(owner.access_token, started.id);
  expect(done.status).toBe('succeeded');
  const ids: string[] = done.images.map((i: { id: string }) => i.id);
  if (modelId) await db().update(images).set({ model_id: modelId }).where(inArray(images.id, ids));
  return ids;
}

export interface StyleSetup {
  visibility?: StyleVisibility;
  status?: StyleStatus;
  /** The quiz result of the current version; null: not scored yet. */
  quiz?: 'pass' | 'retrain' | null;
}

export interface SetUpStyle {
  id: string;
  name: string;
  creator: Person;
  trainingImageIds: string[];
  sampleIds: string[];
  /** Results made with the Style that are not quiz samples: the title image and examples to choose. */
  resultIds: string[];
}

/** A Style of a new creator, by default public, `ready`, its quiz passed (average 4). */
export async function styleOf(setup: StyleSetup = {}, creator?: Person): Promise<SetUpStyle> {
  const owner = creator ?? (await person('creator'));
  const now = new Date().toISOString();
  const id = newId('sty');
  const name = `Harbour ${id.slice(-6)}`;
  const trainingImageIds = [await upload(owner.access_token, 3), await upload(owner.access_token, 5)];
  await db()
    .insert(styles)
    .values({
      id,
      owner_id: owner.id,
      name,
      visibility: setup.visibility ?? 'public',
      status: setup.status ?? 'ready',
      components: JSON.stringify(promptComponents('harbour at dusk, amber teal')),
      training_set_id: null,
      version: 1,
      created_at: now,
      updated_at: now,
    });
  await db()
    .insert(styleVersions)
    .values({
      id: newId('stv'),
      style_id: id,
      version: 1,
      status: 'succeeded',
      images: JSON.stringify(trainingImageIds.map((image_id, i) => ({ image_id, description: `harbour study ${i + 1}` }))),
      provider: 'offline',
      created_at: now,
      updated_at: now,
      completed_at: now,
    });
  const made = await generatedWith(owner, id, 5);
  const sampleIds = made.slice(0, 2);
  const quiz = setup.quiz === undefined ? 'pass' : setup.quiz;
  await db()
    .insert(quizSamples)
    .values(sampleIds.map((image_id, position) => ({ style_id: id, version: 1, image_id, prompt: `sample ${position + 1}`, position, score: quiz ? 4 : null, scored_at: quiz ? now : null })));
  if (quiz) await db().insert(quizResults).values({ style_id: id, version: 1, average: quiz === 'pass' ? 4 : 2, outcome: quiz, created_at: now });
  return { id, name, creator: owner, trainingImageIds, sampleIds, resultIds: made.slice(2) };
}

export const publishBody = (style: SetUpStyle, overrides: Record<string, unknown> = {}) => ({
  title: `${style.name} at dusk`,
  title_image_id: style.resultIds[0],
  example_image_ids: style.resultIds.slice(1),
  copyright_status: 'own_work',
  ...overrides,
});

export const publish = (style: SetUpStyle, body: Record<string, unknown> = publishBody(style), token = style.creator.access_token) =>
  call(`/v1/styles/${style.id}/publish`, { method: 'POST', token, json: body });

/** A Style waiting in moderation, submitted through the API. */
export async function pendingStyle(): Promise<SetUpStyle> {
  const style = await styleOf();
  expect((await publish(style)).status).toBe(200);
  return style;
}

export const styleRow = async (id: string) => (await db().select().from(styles).where(eq(styles.id, id)).get())!;

/** The mail about Styles sent to an address, newest first (sign-in codes left out). */
export async function mailTo(email: string): Promise<{ subject: string; text: string }[]> {
  const items: { subject: string; text: string }[] = (await json(await call(`/dev/outbox?to=${encodeURIComponent(email)}`))).items;
  return items.filter((m) => m.subject.includes('Style'));
}
