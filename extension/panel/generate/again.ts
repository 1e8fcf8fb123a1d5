// Running a finished generation's settings again: "re-run" repeats the batch as it was,
// "vary" makes one more image of the same settings with a new seed. Both go through the
// same generate call the form uses.
import type { Generation, GenerationBody } from '../../../shared/api/generation';
import { api, withToken } from '../api';

export type Again = 'rerun' | 'vary';

export function againBody(generation: Generation, how: Again, seed = crypto.getRandomValues(new Uint32Array(1))[0]!): GenerationBody {
  const body: GenerationBody = {
    model_id: generation.model_id,
    prompt: generation.prompt,
    batch: how === 'vary' ? 1 : generation.batch,
    resolution: generation.resolution,
    aspect_ratio: generation.aspect_ratio,
  };
  return how === 'vary' ? { ...body, seed } : body;
}

/** What running it again costs, at the price the first run was quoted. */
export const againCost = (generation: Generation, how: Again) => generation.cost.credits_per_image * (how === 'vary' ? 1 : generation.batch);

export function generateAgain(generation: Generation, how: Again): Promise<Generation> {
  // One key per click: each press is a new, deliberate run.
  const key = crypto.randomUUID();
  return withToken((token) => api.generate(token, againBody(generation, how), key));
}
