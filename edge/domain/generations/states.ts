// The one state machine of generation work: generations, their provider calls (tasks) and
// image variants. Every status change goes through `move*`, a guarded UPDATE that only
// applies from the states allowed to reach the target, so a late or repeated report loses.
import { and, eq, inArray } from 'drizzle-orm';
import { generationStatuses, taskStatuses, variantStatuses } from '../../../shared/statuses';
import type { ExtraKind } from '../../../shared/catalog/extras';
import { database } from '../../db/client';
import { generations, generationTasks, imageVariants } from '../../db/schema';
import type { GenerationStatus, TaskStatus, VariantStatus } from '../../../shared/statuses';

export interface Machine<S extends string> {
  states: readonly S[];
  /** The state a row is written in. */
  initial: S;
  /** From each state, where it may go; a state with nowhere to go is final. */
  next: { readonly [K in S]: readonly S[] };
}

export const generationMachine: Machine<GenerationStatus> = {
  states: generationStatuses,
  initial: 'queued',
  next: {
    queued: ['running', 'succeeded', 'partial', 'failed', 'canceled'],
    running: ['succeeded', 'partial', 'failed', 'canceled'],
    succeeded: [],
    partial: [],
    failed: [],
    canceled: [],
  },
};

export const taskMachine: Machine<TaskStatus> = {
  states: taskStatuses,
  initial: 'pending',
  next: {
    // A call that answers at once (sync) ends without passing through submitted.
    pending: ['submitted', 'succeeded', 'failed', 'canceled'],
    submitted: ['succeeded', 'failed', 'canceled'],
    succeeded: [],
    failed: [],
    canceled: [],
  },
};

export const variantMachine: Machine<VariantStatus> = {
  states: variantStatuses,
  initial: 'queued',
  next: {
    queued: ['ready', 'failed'],
    ready: [],
    // Asking again for a variant that failed makes it once more.
    failed: ['queued'],
  },
};

export const canMove = <S extends string>(machine: Machine<S>, from: S, to: S): boolean => machine.next[from].includes(to);

/** The states from which `to` may be reached; none means no row may ever move there. */
export function sourcesOf<S extends string>(machine: Machine<S>, to: S): S[] {
  const sources = machine.states.filter((from) => canMove(machine, from, to));
  if (!sources.length) throw new Error(`Nothing may move to ${to}.`);
  return sources;
}

/** States that still have somewhere to go: work in flight. */
export const openStates = <S extends string>(machine: Machine<S>): S[] => machine.states.filter((s) => machine.next[s].length > 0);

export const openGenerationStates = openStates(generationMachine);
export const openTaskStates = openStates(taskMachine);
export const isOpenGeneration = (status: GenerationStatus) => openGenerationStates.includes(status);
export const isOpenTask = (status: TaskStatus) => openTaskStates.includes(status);

type GenerationChanges = Partial<Omit<typeof generations.$inferInsert, 'id' | 'status'>>;
type TaskChanges = Partial<Omit<typeof generationTasks.$inferInsert, 'id' | 'status'>>;
type VariantChanges = Partial<Omit<typeof imageVariants.$inferInsert, 'image_id' | 'kind' | 'status'>>;

/** Moves a generation to `to` with `changes`, if it is in a state allowed to; true when it moved. */
export async function moveGeneration(db: D1Database, id: string, to: GenerationStatus, changes: GenerationChanges = {}): Promise<boolean> {
  const moved = await database(db)
    .update(generations)
    .set({ ...changes, status: to })
    .where(and(eq(generations.id, id), inArray(generations.status, sourcesOf(generationMachine, to))))
    .run();
  return moved.meta.changes > 0;
}

/** Moves one task (by id) or every task of a generation; returns how many moved. */
export async function moveTasks(db: D1Database, which: { id: string } | { generationId: string }, to: TaskStatus, changes: TaskChanges = {}): Promise<number> {
  const key = 'id' in which ? eq(generationTasks.id, which.id) : eq(generationTasks.generation_id, which.generationId);
  const moved = await database(db)
    .update(generationTasks)
    .set({ ...changes, status: to })
    .where(and(key, inArray(generationTasks.status, sourcesOf(taskMachine, to))))
    .run();
  return moved.meta.changes;
}

export async function moveTask(db: D1Database, id: string, to: TaskStatus, changes: TaskChanges = {}): Promise<boolean> {
  return (await moveTasks(db, { id }, to, changes)) > 0;
}

export async function moveVariant(db: D1Database, imageId: string, kind: ExtraKind, to: VariantStatus, changes: VariantChanges = {}): Promise<boolean> {
  const moved = await database(db)
    .update(imageVariants)
    .set({ ...changes, status: to })
    .where(and(eq(imageVariants.image_id, imageId), eq(imageVariants.kind, kind), inArray(imageVariants.status, sourcesOf(variantMachine, to))))
    .run();
  return moved.meta.changes > 0;
}
