// The last word on a capture (added, refused by the site, failed), shown while it holds (see
// notice-rules.ts) and removed from storage once it does not, so it never contradicts the panel.
import { useEffect, useState } from 'preact/hooks';
import { captureNotice, pendingPin, pendingPrompt } from '../lib/captures';
import { noticeHolds } from './notice-rules';
import { useUserItem, useUserStored } from './user';

export function CaptureNotice() {
  const item = useUserItem(captureNotice);
  const [notice, setNotice, noticeRead] = useUserStored(captureNotice);
  const [prompt, , promptRead] = useUserStored(pendingPrompt);
  const [pin, , pinRead] = useUserStored(pendingPin);
  // Bumped when a notice's time is up, to look again.
  const [, setLooked] = useState(0);
  const read = noticeRead && promptRead && pinRead;
  const state = notice && read ? noticeHolds(notice, { prompt: Boolean(prompt), pin: Boolean(pin) }, Date.now()) : null;

  useEffect(() => {
    if (!state) return;
    if (!state.holds) {
      // Only this notice goes: one the background wrote meanwhile stays.
      void item.getValue().then(async (stored) => {
        if (stored?.at === notice!.at && stored.message === notice!.message) await item.setValue(null);
      });
      return;
    }
    if (state.until === undefined) return;
    const timer = setTimeout(() => setLooked((n) => n + 1), Math.max(0, state.until - Date.now()));
    return () => clearTimeout(timer);
  }, [notice, state?.holds, state?.until]);

  if (!notice || !state?.holds) return null;
  return (
    <div class={notice.kind === 'error' ? 'notice error' : 'notice'} role="status" data-testid="capture-notice">
      <span>{notice.message}</span>
      <button type="button" class="link" onClick={() => setNotice(null)} aria-label="Dismiss">
        ✕
      </button>
    </div>
  );
}
