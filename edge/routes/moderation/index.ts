// /v1/moderation: pending public Styles and the decisions on them (moderators only).
import { router } from '../../http/openapi';

export const moderationRoutes = router();
