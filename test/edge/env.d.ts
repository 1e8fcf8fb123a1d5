import type { Bindings } from '../../edge/env';

declare global {
  namespace Cloudflare {
    interface Env extends Bindings {
      TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
      /** The local Images binding (vitest.config.ts), for the production renderer's own tests. */
      LOCAL_IMAGES_API: ImagesBinding;
    }
    interface GlobalProps {
      mainModule: typeof import('../../edge/index');
    }
  }
}
