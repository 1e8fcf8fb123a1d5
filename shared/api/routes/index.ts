// Every route of API v1, declared once: the Worker serves and documents them, the extension
// calls them.
export * from './admin';
export * from './auth';
export * from './credits';
export * from './events';
export * from './generations';
export * from './health';
export * from './images';
export * from './licenses';
export * from './models';
export * from './pins';
export * from './provider-inputs';
export * from './recipes';
export * from './style';
export * from './styles';
export * from './webhooks';

import { adminRoutes } from './admin';
import { authRoutes } from './auth';
import { creditRoutes } from './credits';
import { eventRoutes } from './events';
import { generationRoutes } from './generations';
import { health } from './health';
import { imageRoutes } from './images';
import { licenseRoutes } from './licenses';
import { modelRoutes } from './models';
import { pinRoutes } from './pins';
import { providerInputRoutes } from './provider-inputs';
import { recipeRoutes } from './recipes';
import { styleRoutes } from './style';
import { creatorRoutes, moderationRoutes, styleLifecycleRoutes, trainingSetRoutes } from './styles';
import { webhookRoutes } from './webhooks';

/** Every public route, in the order the document lists them. */
export const allRoutes = [
  health,
  ...Object.values(authRoutes),
  ...Object.values(creditRoutes),
  ...Object.values(eventRoutes),
  ...Object.values(modelRoutes),
  ...Object.values(imageRoutes),
  ...Object.values(generationRoutes),
  ...Object.values(licenseRoutes),
  ...Object.values(pinRoutes),
  ...Object.values(styleRoutes),
  ...Object.values(recipeRoutes),
  ...Object.values(trainingSetRoutes),
  ...Object.values(styleLifecycleRoutes),
  ...Object.values(moderationRoutes),
  ...Object.values(creatorRoutes),
  ...Object.values(webhookRoutes),
  ...Object.values(adminRoutes),
  ...Object.values(providerInputRoutes),
];
