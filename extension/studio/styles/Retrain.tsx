// Training a new version of a Style: free after a failed quiz or a rejection, else at the
// catalog's price. One Idempotency-Key per click, kept across its retries.
import { useRef, useState } from 'preact/hooks';
import type { Style } from '../../../shared/api/styles';
import { STYLE_TRAINING_CREDITS } from '../../../shared/catalog/styles';
import { messageOf, withToken } from '../../panel/api';
import { credits } from '../../panel/format';
import { stylesApi } from './api';

export function RetrainButton({ style, onStarted }: { style: Style; onStarted(style: Style): void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const key = useRef<string | null>(null);

  async function retrain() {
    key.current ??= crypto.randomUUID();
    setBusy(true);
    setError('');
    try {
      const started = await withToken((token) => stylesApi.retrain(token, style.id, key.current!));
      key.current = null;
      onStarted(started);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="row">
      <button type="button" disabled={busy} onClick={retrain}>
        {busy ? 'Starting…' : style.free_retrain ? 'Retrain for free' : `Retrain (${credits(STYLE_TRAINING_CREDITS)})`}
      </button>
      {error && (
        <span class="error small" role="alert">
          {error}
        </span>
      )}
    </div>
  );
}
