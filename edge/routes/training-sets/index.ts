// /v1/training-sets: the images a Style trains from, judged before any credit is spent.
import { router } from '../../http/openapi';

export const trainingSetRoutes = router();
