// Generations written straight into D1, in the states a test needs, without running them.
import { findOrCreateUser } from '../../edge/domain/accounts';
import { credit, hold } from '../../edge/domain/ledger';
import { newId } from '../../edge/db/ids';
import { generations, generationTasks, images, type GenerationRow } from '../../edge/db/schema';
import type { GenerationStatus, TaskStatus } from '../../shared/statuses';
import { db } from './db';
import { env, randomEmail } from './support';

export async function seededUser(credits: number) {
  const user = await findOrCreateUser(env.DB, randomEmail('seeded'), new Date());
  if (credits) await credit(env.DB, { userId: user.id, amount: credits, kind: 'grant', idempotencyKey: 'seed', now: new Date() });
  return user;
}

/** A generation holding its price, with one call per task status and `outputs` stored images. */
export async function seededGeneration(
  userId: string,
  options: { status?: GenerationStatus; batch?: number; tasks?: TaskStatus[]; outputs?: number; modelId?: string; at?: Date } = {},
): Promise<{ generation: GenerationRow; imageIds: string[] }> {
  const at = options.at ?? new Date();
  const now = at.toISOString();
  const batch = options.batch ?? 2;
  const id = newId('gen', at.getTime());
  const held = await hold(env.DB, { userId, amount: batch, ref: id, idempotencyKey: `generation:${id}`, now: at, ttlMinutes: 60 });
  const generation: GenerationRow = {
    id,
    user_id: userId,
    model_id: options.modelId ?? 'flux-schnell',
    operation: 'generate',
    status: options.status ?? 'queued',
    prompt: 'a seeded boat',
    batch,
    resolution: 'sd',
    aspect_ratio: '1:1',
    width: 512,
    height: 512,
    params: JSON.stringify({ seed: 1, webhook_base: 'http://127.0.0.1' }),
    credits_per_image: 1,
    hold_id: held.id,
    idempotency_key: id,
    request_hash: 'seeded',
    warnings: '[]',
    error: null,
    created_at: now,
    updated_at: now,
    completed_at: null,
  };
  await db().insert(generations).values(generation);
  const taskIds: string[] = [];
  for (const [i, status] of (options.tasks ?? ['pending']).entries()) {
    const taskId = newId('task');
    taskIds.push(taskId);
    await db().insert(generationTasks).values({ id: taskId, generation_id: id, provider: 'offline', endpoint: 'flux-schnell', first_index: i, count: 1, status, created_at: now, updated_at: now });
  }
  const imageIds: string[] = [];
  for (let i = 0; i < (options.outputs ?? 0); i++) {
    const imageId = newId('img');
    imageIds.push(imageId);
    await db()
      .insert(images)
      .values({ id: imageId, owner_id: userId, kind: 'generated', content_type: 'image/png', bytes: 100, width: 512, height: 512, sha256: imageId, r2_key: `generated/${imageId}`, model_id: generation.model_id, generation_id: id, task_id: taskIds[0] ?? null, output_index: i, created_at: now });
  }
  return { generation, imageIds };
}
