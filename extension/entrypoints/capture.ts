// The capture script: injected into a page only when the user asks (a menu click), never
// declared for all URLs. It answers the background and nobody else.
import { browser } from 'wxt/browser';
import type { PageRequest } from '../capture/page-protocol';
import { collectInPage, dragRegion, resolveInPage } from '../capture/page-reader';

export default defineUnlistedScript(() => {
  const flag = '__exactlyCapture';
  const scope = globalThis as unknown as Record<string, boolean>;
  if (scope[flag]) return; // injected again into the same page: one listener is enough
  scope[flag] = true;
  browser.runtime.onMessage.addListener((message: unknown, sender: { id?: string }, sendResponse: (answer: unknown) => void) => {
    if (sender.id !== browser.runtime.id) return false;
    const request = message as PageRequest;
    const work =
      request.type === 'capture.resolve'
        ? resolveInPage(request)
        : request.type === 'capture.collect'
          ? Promise.resolve(collectInPage())
          : request.type === 'capture.region'
            ? dragRegion()
            : null;
    if (!work) return false;
    void work.then(sendResponse, (error) => sendResponse({ ok: false, reason: 'nothing_here', message: String(error) }));
    return true;
  });
});
