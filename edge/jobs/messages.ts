// What travels on the jobs queue. Small: ids and outcomes; everything else is in D1.
import type { ExtraKind } from '../../shared/catalog/extras';
import type { ProviderOutcome, TrainingOutcome } from '../providers/types';

export type JobMessage =
  /** Send one provider call of a generation. */
  | { type: 'submit'; task_id: string }
  /** A provider reported on a call (webhook or polling): store outputs, then settle. */
  | { type: 'collect'; task_id: string; outcome: SerializableOutcome }
  /** Ask a provider that sends no webhook how a call is going (round: how many times already). */
  | { type: 'poll'; task_id: string; round: number }
  /** Make a licensed extra of an image (upscale, cut-out, SVG); `origin`: where a provider fetches the original from. */
  | { type: 'variant'; image_id: string; kind: ExtraKind; origin?: string }
  /** Train one Style version: offline at once, or start it at the trainer; `origin`: this API's public origin (webhooks, the set's archive link). */
  | { type: 'train'; version_id: string; origin?: string }
  /** A trainer reported on a training (webhook or polling): finish the version. */
  | { type: 'train-result'; version_id: string; outcome: TrainingOutcome; origin?: string }
  /** Ask the trainer how a training is going (round: how many times already); the fallback when no webhook comes. */
  | { type: 'train-poll'; version_id: string; round: number; origin?: string };


/** Outcomes on the queue carry image URLs only; bytes never travel through it. */
export type SerializableOutcome = Exclude<ProviderOutcome, { state: 'succeeded' }> | { state: 'succeeded'; images: { url: string; contentType?: string }[]; rejected: number };
