// The library's people: creators' public pages and avatars, published Styles' example images, and your own profile.
import { router } from '../../http/openapi';

export const creatorRoutes = router();
