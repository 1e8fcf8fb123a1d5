// What the background answers, message by message.
import type { Capture } from '../../capture/flow';
import type { CaptureMenu } from '../../capture/menus';
import { afterSignIn } from '../../lib/captures';
import type { Handlers } from '../../lib/messaging';
import type { Session } from '../../lib/session';

export interface CaptureService {
  captureUrls(urls: string[], page: { url: string; title: string }, menu: CaptureMenu): Promise<{ captures: Capture[]; failed: string[] }>;
}

export function backgroundHandlers(session: Session, capture: CaptureService): Handlers {
  return {
    'auth.state': () => session.state(),
    'auth.start': ({ email }) => session.startEmail(email),
    'auth.verify': async ({ email, code }) => {
      const user = await session.verifyEmail(email, code);
      await afterSignIn(user.id);
      return { user };
    },
    'auth.signOut': async () => {
      await session.signOut();
      return {};
    },
    'auth.accessToken': async ({ forceRefresh }) => ({ token: await session.accessToken({ forceRefresh }) }),
    'capture.urls': ({ urls, page_url, page_title, menu }) => capture.captureUrls(urls, { url: page_url, title: page_title }, menu),
  };
}
