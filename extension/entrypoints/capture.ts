// The capture script: injected into a page only when the user asks (a menu click), never
// declared for all URLs. It answers the background and nobody else.
import { answerBackground } from '../capture/page-protocol';
import { pageHandlers } from '../capture/page-reader';

export default defineUnlistedScript(() => {
  const flag = '__exactlyCapture';
  const scope = globalThis as unknown as Record<string, boolean>;
  if (scope[flag]) return; // injected again into the same page: one listener is enough
  scope[flag] = true;
  answerBackground(pageHandlers);
});
