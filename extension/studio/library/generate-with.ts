// "Generate with this Style" from the studio: the Style becomes the model of the signed-in
// user's Generate draft (which the side panel's Generate tab reads when it opens), and the side
// panel is opened where the browser lets a page do so.
import { browser } from 'wxt/browser';
import type { PanelOpeners } from '../../capture/handle-menu';

export { chooseForGenerate } from '../../panel/generate/draft-store';

/** This page's window, asked for ahead of time: the panel may only be opened inside the click itself. */
export async function currentWindowId(): Promise<number | undefined> {
  try {
    return (await browser.windows.getCurrent()).id;
  } catch {
    return undefined;
  }
}

/**
 * Opens Chrome's side panel or Firefox's sidebar, called synchronously inside the click (both
 * browsers refuse it later). Whether a browser had a way to try; it may still refuse.
 */
export function openSidePanel(windowId: number | undefined): boolean {
  const panels = browser as unknown as PanelOpeners;
  try {
    if (panels.sidePanel && windowId !== undefined) {
      panels.sidePanel.open({ windowId }).catch(() => undefined);
      return true;
    }
    if (panels.sidebarAction) {
      panels.sidebarAction.open().catch(() => undefined);
      return true;
    }
  } catch {
    // A browser without the API (or a test's fake): the words on the page say where to go.
  }
  return false;
}
