// The one state machine of generations, their provider calls and variants: what may follow
// what, and the guarded update that lets exactly one of two racing moves win.
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { generations, generationTasks, imageVariants } from '../../edge/db/schema';
import {
  canMove,
  generationMachine,
  moveGeneration,
  moveTasks,
  moveVariant,
  openGenerationStates,
  openTaskStates,
  sourcesOf,
  taskMachine,
  variantMachine,
} from '../../edge/domain/generations/states';
import { generationStatuses, openGenerationStatuses, taskStatuses, variantStatuses } from '../../shared/statuses';
import { db } from './db';
import { env } from './support';
import { seededGeneration, seededUser } from './generation-rows';

const statusOf = async (id: string) => (await db().select({ status: generations.status }).from(generations).where(eq(generations.id, id)).get())?.status;

describe('the transition table', () => {
  it('covers every status of the schema, and only those', () => {
    expect(Object.keys(generationMachine.next).sort()).toEqual([...generationStatuses].sort());
    expect(Object.keys(taskMachine.next).sort()).toEqual([...taskStatuses].sort());
    expect(Object.keys(variantMachine.next).sort()).toEqual([...variantStatuses].sort());
    for (const machine of [generationMachine, taskMachine, variantMachine] as const) {
      for (const targets of Object.values(machine.next) as string[][]) for (const to of targets) expect(machine.states).toContain(to);
    }
  });

  it('lets work move forward and never out of an end', () => {
    expect(canMove(generationMachine, 'queued', 'running')).toBe(true);
    expect(canMove(generationMachine, 'running', 'partial')).toBe(true);
    expect(canMove(generationMachine, 'running', 'queued')).toBe(false);
    for (const end of ['succeeded', 'partial', 'failed', 'canceled'] as const) {
      for (const to of generationStatuses) expect(canMove(generationMachine, end, to)).toBe(false);
    }
    expect(canMove(taskMachine, 'submitted', 'pending')).toBe(false);
    expect(canMove(variantMachine, 'failed', 'queued')).toBe(true);
    expect(canMove(variantMachine, 'ready', 'queued')).toBe(false);
    expect(openGenerationStates).toEqual(['queued', 'running']);
    // The panel's idea of work in flight (shared) is the machine's.
    expect(openGenerationStates).toEqual([...openGenerationStatuses]);
    expect(openTaskStates).toEqual(['pending', 'submitted']);
  });

  it('names where nothing may go back to', () => {
    expect(sourcesOf(generationMachine, 'canceled')).toEqual(['queued', 'running']);
    expect(() => sourcesOf(generationMachine, 'queued')).toThrow(/Nothing may move to queued/);
    expect(() => sourcesOf(taskMachine, 'pending')).toThrow();
  });
});

describe('the guarded update', () => {
  it('refuses an illegal transition and leaves the row as it was', async () => {
    const user = await seededUser(10);
    const { generation } = await seededGeneration(user.id, { status: 'succeeded' });
    expect(await moveGeneration(env.DB, generation.id, 'running')).toBe(false);
    expect(await moveGeneration(env.DB, generation.id, 'canceled')).toBe(false);
    await expect(moveGeneration(env.DB, generation.id, 'queued')).rejects.toThrow(/Nothing may move to queued/);
    expect(await statusOf(generation.id)).toBe('succeeded');
  });

  it('lets one of two concurrent moves win; the second loses', async () => {
    const user = await seededUser(10);
    for (let round = 0; round < 5; round++) {
      const { generation } = await seededGeneration(user.id, { status: 'running' });
      const [canceled, succeeded] = await Promise.all([
        moveGeneration(env.DB, generation.id, 'canceled', { completed_at: 'now' }),
        moveGeneration(env.DB, generation.id, 'succeeded', { completed_at: 'now' }),
      ]);
      expect([canceled, succeeded].filter(Boolean)).toHaveLength(1);
      expect(await statusOf(generation.id)).toBe(canceled ? 'canceled' : 'succeeded');
      // A repeat of the move that won changes nothing either.
      expect(await moveGeneration(env.DB, generation.id, canceled ? 'canceled' : 'succeeded')).toBe(false);
    }
  });

  it('cancels only the calls still open', async () => {
    const user = await seededUser(10);
    const { generation } = await seededGeneration(user.id, { tasks: ['pending', 'submitted', 'succeeded', 'failed'] });
    expect(await moveTasks(env.DB, { generationId: generation.id }, 'canceled')).toBe(2);
    const tasks = await db().select({ status: generationTasks.status }).from(generationTasks).where(eq(generationTasks.generation_id, generation.id)).orderBy(generationTasks.first_index);
    expect(tasks.map((t) => t.status)).toEqual(['canceled', 'canceled', 'succeeded', 'failed']);
  });

  it('makes a failed variant again, never a ready one', async () => {
    const user = await seededUser(10);
    const { imageIds } = await seededGeneration(user.id, { outputs: 1 });
    const now = new Date().toISOString();
    await db().insert(imageVariants).values({ image_id: imageIds[0]!, kind: 'svg', status: 'queued', created_at: now, updated_at: now });
    expect(await moveVariant(env.DB, imageIds[0]!, 'svg', 'failed', { error: 'broke' })).toBe(true);
    expect(await moveVariant(env.DB, imageIds[0]!, 'svg', 'ready')).toBe(false);
    expect(await moveVariant(env.DB, imageIds[0]!, 'svg', 'queued')).toBe(true);
    expect(await moveVariant(env.DB, imageIds[0]!, 'svg', 'ready')).toBe(true);
    expect(await moveVariant(env.DB, imageIds[0]!, 'svg', 'queued')).toBe(false);
  });
});
