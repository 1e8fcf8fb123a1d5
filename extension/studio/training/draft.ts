// The training set being prepared from the tray, kept across reloads of the studio: the server
// set it became, and the Style's name and visibility chosen so far. Gone once training starts.
import { z } from 'zod';
import { styleVisibilities } from '../../../shared/statuses';
import { defineUserStored } from '../../lib/stored';

export const TrainingDraft = z.object({
  /** The server's training set, once created. */
  set_id: z.string().nullable(),
  name: z.string(),
  visibility: z.enum(styleVisibilities).nullable(),
});
export type TrainingDraft = z.infer<typeof TrainingDraft>;

export const emptyDraft: TrainingDraft = { set_id: null, name: '', visibility: null };

export const trainingDraft = defineUserStored('local', 'trainingDraft', { schema: TrainingDraft, fallback: emptyDraft, version: 1, migrations: {} });
