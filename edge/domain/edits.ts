// Editing an image the caller owns (instruct, replace, recreate, erase): checked against the
// image's license, run on the model asked for where it has the edit, else on the catalog's
// edit model (saying so in the generation's warnings), as a generation-shaped job.
import type { EditBody } from '../../shared/api/edits';
import type { Generation } from '../../shared/api/generation';
import { builtInModels, DEFAULT_EDIT_MODEL, editModelFor, type EditOp } from '../../shared/catalog';
import { fitWithin } from '../../shared/imaging/limits';
import { DomainError } from './errors';
import { type CreateDeps, createGeneration } from './generations/create';
import { imagesAsInput } from './inputs';
import { modelFor } from './models';

const opNames: Record<EditOp, string> = { instruct: 'Instruct', replace: 'Replace', recreate: 'Recreate', erase: 'Erase' };

const defaultPrompts = { erase: 'Erase the masked area', recreate: 'A variation of this image' } as const;

/** The model's aspect ratio closest to the image's own. */
function nearestRatio(ratios: string[], width: number, height: number): string {
  const target = Math.log(width / height);
  const distance = (r: string) => {
    const [w, h] = r.split(':').map(Number);
    return Math.abs(Math.log(w! / h!) - target);
  };
  return [...ratios].sort((a, b) => distance(a) - distance(b))[0]!;
}

export interface EditInput {
  userId: string;
  imageId: string;
  body: EditBody;
  idempotencyKey: string;
  /** A stable hash of what was asked, so a different edit under the same key is refused. */
  requestHash: string;
  webhookBase: string;
  now: Date;
}

export async function startEdit(deps: CreateDeps, input: EditInput): Promise<Generation> {
  const { db } = deps;
  const { userId, body } = input;
  const source = (await imagesAsInput(db, userId, [{ path: 'id', id: input.imageId }], 'not_found'))[0]!;
  const asked = await modelFor(db, userId, body.model_id ?? DEFAULT_EDIT_MODEL);
  if (!asked) throw new DomainError('validation_failed', 'That model is not in the catalog.', { errors: [{ path: 'model_id', message: 'Unknown model' }] });
  // Editing tools work with every model: one without this edit hands it to the catalog's edit model.
  const model = editModelFor(asked, body.op, builtInModels);
  if (!model) {
    throw new DomainError('feature_not_supported', `${asked.name} cannot ${body.op}, and no edit model is configured.`, { errors: [{ path: 'op', message: `${asked.name} cannot ${body.op}` }] });
  }
  const warnings = model.id === asked.id ? [] : [{ type: 'other' as const, setting: 'model_id', details: `${asked.name} has no ${opNames[body.op]} of its own; this edit ran on ${model.name}.` }];
  // The mask is an input like any other: a locked image's bright areas would come back unmarked.
  if (body.mask_image_id) await imagesAsInput(db, userId, [{ path: 'mask_image_id', id: body.mask_image_id }]);
  const tier = model.resolutions[0]!;
  const prompt = body.prompt || defaultPrompts[body.op as keyof typeof defaultPrompts];
  const { generation } = await createGeneration(deps, {
    userId,
    body: { model_id: model.id, prompt, batch: 1, resolution: tier.id, aspect_ratio: nearestRatio(model.aspect_ratios, source.width, source.height), seed: body.seed },
    operation: body.op,
    sourceImageId: source.id,
    maskImageId: body.mask_image_id,
    warnings,
    size: fitWithin(source.width, source.height, tier.width),
    idempotencyKey: input.idempotencyKey,
    requestHash: input.requestHash,
    webhookBase: input.webhookBase,
    now: input.now,
  });
  return generation;
}
