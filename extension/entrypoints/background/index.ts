// The background only wires things: the side panel opens from the toolbar button, and the
// message protocol reaches the sign-in session.
import { createApiClient } from '../../lib/api-client';
import { API_URL } from '../../lib/config';
import { listen } from '../../lib/messaging';
import { createSession } from '../../lib/session';
import { backgroundHandlers } from './handlers';

export default defineBackground(() => {
  const session = createSession(createApiClient(API_URL));
  listen(backgroundHandlers(session));

  // Chrome: the toolbar button opens the side panel. (Firefox opens its sidebar itself.)
  const sidePanel = (browser as unknown as { sidePanel?: { setPanelBehavior(o: { openPanelOnActionClick: boolean }): Promise<void> } }).sidePanel;
  sidePanel?.setPanelBehavior({ openPanelOnActionClick: true }).catch((error) => console.error('side panel behaviour', error));
});
