// The last word on a capture (added, refused by the site, failed), until dismissed.
import { captureNotice } from '../lib/captures';
import { useStored } from './use-stored';

export function CaptureNotice() {
  const [notice, setNotice] = useStored(captureNotice);
  if (!notice) return null;
  return (
    <div class={notice.kind === 'error' ? 'notice error' : 'notice'} role="status" data-testid="capture-notice">
      <span>{notice.message}</span>
      <button type="button" class="link" onClick={() => setNotice(null)} aria-label="Dismiss">
        ✕
      </button>
    </div>
  );
}
