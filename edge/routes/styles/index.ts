// /v1/styles and /v1/earnings: training, the quiz, retraining, publishing, verification, earnings.
import { router } from '../../http/openapi';

export const styleLifecycleRoutes = router();

// Publishing for moderation (./publish.ts).
import { servePublishing } from './publish';
servePublishing(styleLifecycleRoutes);
