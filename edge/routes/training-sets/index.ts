// /v1/training-sets: the images a Style trains from, judged before any credit is spent.
import { addTrainingImage, createTrainingSet, removeTrainingImage, trainingSet, trainingSets, updateTrainingImage } from '../../../shared/api/routes/styles';
import * as domain from '../../domain/styles/training-sets';
import { router, serve } from '../../http/openapi';
import { rendererFor } from '../../services';

export const trainingSetRoutes = router();

serve(trainingSetRoutes, createTrainingSet, async (c) => c.json(await domain.createTrainingSet(c.env.DB, c.get('user').id, c.req.valid('json'), new Date()), 201));
serve(trainingSetRoutes, trainingSets, async (c) => c.json({ items: await domain.listTrainingSets(c.env.DB, c.get('user').id), next_cursor: null }, 200));
serve(trainingSetRoutes, trainingSet, async (c) => c.json(await domain.getTrainingSet(c.env.DB, c.get('user').id, c.req.valid('param').id), 200));
serve(trainingSetRoutes, addTrainingImage, async (c) => {
  const deps = { db: c.env.DB, bucket: c.env.IMAGES, renderer: rendererFor(c.env) };
  return c.json(await domain.addTrainingImage(deps, c.get('user').id, c.req.valid('param').id, c.req.valid('json'), new Date()), 201);
});
serve(trainingSetRoutes, updateTrainingImage, async (c) => {
  const { id, image_id } = c.req.valid('param');
  return c.json(await domain.describeTrainingImage(c.env.DB, c.get('user').id, id, image_id, c.req.valid('json').description, new Date()), 200);
});
serve(trainingSetRoutes, removeTrainingImage, async (c) => {
  const { id, image_id } = c.req.valid('param');
  await domain.removeTrainingImage(c.env.DB, c.get('user').id, id, image_id, new Date());
  return c.body(null, 204);
});
