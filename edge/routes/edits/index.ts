// /v1/images/:id/edits: instruct, replace, recreate or erase an image the caller owns, as a
// generation-shaped job priced from the catalog.
import { Hono } from 'hono';
import { EditBody } from '../../../shared/api/edits';
import { fitWithin } from '../../../shared/imaging/limits';
import { readConfig } from '../../config';
import { createGeneration } from '../../domain/generations/create';
import { DomainError } from '../../domain/errors';
import { getOwnImage } from '../../domain/images';
import { assertUsableAsInput } from '../../domain/licenses';
import { modelFor } from '../../domain/models';
import type { AppEnv } from '../../env';
import { idempotencyKey, requestHash } from '../../http/idempotency';
import { requireUser } from '../../http/require-user';
import { readJson } from '../../http/validate';
import { providersFor } from '../../providers/registry';

const DEFAULT_EDIT_MODEL = 'flux-edit';
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

export const editRoutes = new Hono<AppEnv>().post('/:id/edits', requireUser, async (c) => {
  const userId = c.get('user').id;
  const body = await readJson(c, EditBody);
  const source = await getOwnImage(c.env.DB, userId, c.req.param('id'));
  await assertUsableAsInput(c.env.DB, [source], 'image');
  const model = await modelFor(c.env.DB, userId, body.model_id ?? DEFAULT_EDIT_MODEL);
  if (!model) throw new DomainError('validation_failed', 'That model is not in the catalog.', { errors: [{ path: 'model_id', message: 'Unknown model' }] });
  if (!model.features.includes(body.op)) {
    throw new DomainError('feature_not_supported', `${model.name} cannot ${body.op}.`, { errors: [{ path: 'op', message: `${model.name} cannot ${body.op}` }] });
  }
  if (body.mask_image_id) {
    await getOwnImage(c.env.DB, userId, body.mask_image_id).catch(() => {
      throw new DomainError('validation_failed', 'That mask was not found.', { errors: [{ path: 'mask_image_id', message: 'No such image' }] });
    });
  }
  const tier = model.resolutions[0]!;
  const prompt = body.prompt || defaultPrompts[body.op as keyof typeof defaultPrompts];
  const { generation } = await createGeneration(
    { db: c.env.DB, queue: c.env.JOBS, providers: providersFor(c.env), holdTtlMinutes: readConfig(c.env).holdTtlMinutes, waitUntil: (p) => c.executionCtx.waitUntil(p) },
    {
      userId,
      body: { model_id: model.id, prompt, batch: 1, resolution: tier.id, aspect_ratio: nearestRatio(model.aspect_ratios, source.width, source.height), seed: body.seed },
      operation: body.op,
      sourceImageId: source.id,
      maskImageId: body.mask_image_id,
      size: fitWithin(source.width, source.height, tier.width),
      idempotencyKey: idempotencyKey(c),
      requestHash: await requestHash({ edit: source.id, ...body }),
      webhookBase: c.env.PUBLIC_API_URL ?? new URL(c.req.url).origin,
      now: new Date(),
    },
  );
  return c.json(generation, 202);
});
