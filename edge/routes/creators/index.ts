// The library's people: creators' public pages and avatars, published Styles' example images, and your own profile.
import type { Context } from 'hono';
import { creator, creatorAvatar, profile, styleExample, updateProfile } from '../../../shared/api/routes/styles';
import { creatorAvatar as avatarOf, creatorPage, getProfile, updateProfile as changeProfile } from '../../domain/profiles';
import { styleExample as exampleOf } from '../../domain/styles/library';
import { watermarkSecret } from '../../domain/watermark';
import type { AppEnv } from '../../env';
import { router, serve } from '../../http/openapi';
import { rendererFor } from '../../services';

export const creatorRoutes = router();

/** A public image: cached briefly (a Style taken down, or an avatar changed, is gone within minutes). */
const publicImage = (c: Context<AppEnv>, made: { body: ReadableStream | Uint8Array; contentType: string }) =>
  c.body(made.body as ReadableStream, 200, { 'content-type': made.contentType, 'cache-control': 'public, max-age=300', 'x-content-type-options': 'nosniff' });

serve(creatorRoutes, styleExample, async (c) => {
  const { id, image_id } = c.req.valid('param');
  return publicImage(c, await exampleOf(c.env.DB, c.env.IMAGES, rendererFor(c.env), watermarkSecret(c.env), id, image_id));
});

serve(creatorRoutes, creator, async (c) => c.json(await creatorPage(c.env.DB, c.req.valid('param').handle), 200));

serve(creatorRoutes, creatorAvatar, async (c) =>
  publicImage(c, await avatarOf(c.env.DB, c.env.IMAGES, rendererFor(c.env), watermarkSecret(c.env), c.req.valid('param').handle)),
);

serve(creatorRoutes, profile, async (c) => c.json(await getProfile(c.env.DB, c.get('user').id), 200));

serve(creatorRoutes, updateProfile, async (c) => c.json(await changeProfile(c.env.DB, c.get('user').id, c.req.valid('json')), 200));
