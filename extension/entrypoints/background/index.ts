// The background only wires things: the context menu, the side panel, the message protocol
// to the sign-in session, and in test builds a hook that runs the menu's handler.
import { captureUrls } from '../../capture/flow';
import { type MenuInfo, onMenuClicked, type PanelOpeners, runMenuClick } from '../../capture/handle-menu';
import { createMenus } from '../../capture/menus';
import { createApiClient } from '../../lib/api-client';
import { adoptUnscopedTrays } from '../../lib/captures';
import { API_URL } from '../../lib/config';
import { listen } from '../../lib/messaging';
import { createSession } from '../../lib/session';
import { backgroundHandlers } from './handlers';

type PanelApis = PanelOpeners & { sidePanel?: { setPanelBehavior(o: { openPanelOnActionClick: boolean }): Promise<void> } };

export default defineBackground(() => {
  const api = createApiClient(API_URL);
  const session = createSession(api);
  const deps = { api, accessToken: () => session.accessToken(), userId: async () => (await session.state()).user?.id ?? null };
  listen(backgroundHandlers(session, { captureUrls: (urls, page, menu) => captureUrls(deps, urls, page, menu) }));
  const panels = browser as unknown as PanelApis;
  // Trays kept before they were per user go to whoever was signed in when this release arrived.
  void session.state().then(({ user }) => user && adoptUnscopedTrays(user.id));

  // Chrome: the toolbar button opens the side panel. (Firefox opens its sidebar itself.)
  panels.sidePanel?.setPanelBehavior({ openPanelOnActionClick: true }).catch((error) => console.error('side panel behaviour', error));

  browser.runtime.onInstalled.addListener(() => {
    createMenus(browser.contextMenus).catch((error) => console.error('context menus', error));
  });

  browser.contextMenus.onClicked.addListener(onMenuClicked(deps, panels));

  if (import.meta.env.WXT_E2E_HOOKS) {
    // Native menus cannot be clicked by a browser test: this takes what a real click gives (no
    // point: where the browser names no image, the test clicks in the picker) and runs the same path.
    const run = runMenuClick(deps, panels);
    (globalThis as unknown as { __capture: unknown }).__capture = async (args: Omit<MenuInfo, 'menuItemId'> & { tabId: number; menuItemId?: string; menu?: string }) => {
      const { tabId, menu, menuItemId = menu ?? '', frameId, srcUrl, mediaType, pageUrl, linkUrl } = args;
      return run({ menuItemId, frameId, srcUrl, mediaType, pageUrl, linkUrl }, await browser.tabs.get(tabId));
    };
  }
});
