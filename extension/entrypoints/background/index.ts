// The background only wires things: the context menu, the side panel, the message protocol
// to the sign-in session, and in test builds a hook that runs the menu's handler.
import { captureUrls } from '../../capture/flow';
import { handleMenuClick, onMenuClicked, type PanelOpeners } from '../../capture/handle-menu';
import { imageMenus, pageMenus } from '../../capture/menus';
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
    browser.contextMenus.removeAll().then(() => {
      for (const item of imageMenus) browser.contextMenus.create({ id: item.id, title: item.title, contexts: ['image'] });
      for (const item of pageMenus) browser.contextMenus.create({ id: item.id, title: item.title, contexts: ['page'] });
    });
  });

  browser.contextMenus.onClicked.addListener(onMenuClicked(deps, panels));

  if (import.meta.env.WXT_E2E_HOOKS) {
    // Native menus cannot be clicked by a browser test: this runs the same handler.
    (globalThis as unknown as { __capture: unknown }).__capture = async (args: { tabId: number; frameId?: number; x?: number; y?: number; srcUrl?: string; menu: string }) => {
      const tab = await browser.tabs.get(args.tabId);
      return handleMenuClick(deps, { menuItemId: args.menu, tabId: args.tabId, windowId: tab.windowId, frameId: args.frameId, srcUrl: args.srcUrl, x: args.x, y: args.y });
    };
  }
});
