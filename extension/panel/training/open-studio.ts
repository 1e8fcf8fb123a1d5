// The studio page opens in a tab of its own, at the view the side panel points to.
import { browser } from 'wxt/browser';
import { routeHash, type StudioRoute } from '../../studio/route';

export const studioUrl = (route: StudioRoute) => browser.runtime.getURL(`/studio.html${routeHash(route)}`);

export function openStudio(route: StudioRoute): void {
  void browser.tabs.create({ url: studioUrl(route) });
}
