// What the background answers, message by message.
import type { Handlers } from '../../lib/messaging';
import type { Session } from '../../lib/session';

export function backgroundHandlers(session: Session): Handlers {
  return {
    'auth.state': () => session.state(),
    'auth.start': ({ email }) => session.startEmail(email),
    'auth.verify': async ({ email, code }) => ({ user: await session.verifyEmail(email, code) }),
    'auth.signOut': async () => {
      await session.signOut();
      return {};
    },
    'auth.accessToken': async ({ forceRefresh }) => ({ token: await session.accessToken({ forceRefresh }) }),
  };
}
