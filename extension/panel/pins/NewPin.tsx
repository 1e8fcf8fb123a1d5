// Naming a pin made from a captured image ("Pin as character / product"): the image being
// pinned is in view while it is named, and the kind the menu chose can still be changed.
import { useState } from 'preact/hooks';
import type { Pin } from '../../../shared/api/pins';
import { pendingPin } from '../../lib/captures';
import { api, messageOf, withToken } from '../api';
import { useAuthedImage } from '../use-authed-image';
import { usePassing } from '../use-passing';
import { useUserStored } from '../user';
import { pinKindLabels } from './words';
import { pinsChanged } from './use-pins';

export function NewPin() {
  const [capture, setCapture] = useUserStored(pendingPin);
  const [name, setName] = useState('');
  // The menu's choice, until the designer picks the other kind (kept per capture).
  const [chosen, setChosen] = useState<{ capture: string; kind: Pin['kind'] } | null>(null);
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);
  const [done, setDone] = usePassing();
  // The thumbnail made at capture time shows at once; the server's is the fallback.
  const { url: served } = useAuthedImage(capture && !capture.thumb_data ? capture.thumb_url : null);
  if (!capture) return done ? <p class="muted small" role="status">{done}</p> : null;
  const kind: Pin['kind'] = chosen?.capture === capture.id ? chosen.kind : capture.menu === 'pin_product' ? 'product' : 'character';
  const image = capture.thumb_data ?? served;

  async function save(e: Event) {
    e.preventDefault();
    if (busy) return;
    setBusy(true);
    setError('');
    try {
      const pin = await withToken((token) => api.createPin(token, { kind, name: name.trim(), image_ids: [capture!.image_id] }));
      setDone(`Pinned “${pin.name}” as a ${kind}.`);
      setName('');
      setChosen(null);
      pinsChanged();
      await setCapture(null);
    } catch (err) {
      // The capture stays, with what was typed, so nothing is lost.
      setError(messageOf(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="card new-pin" onSubmit={save} aria-label="New pin" data-testid="new-pin">
      <strong>New {kind} pin</strong>
      <div class="new-pin-body">
        {image ? (
          <img class="pin-image" src={image} alt={capture.alt || 'The image being pinned'} data-testid="new-pin-image" />
        ) : (
          <span class="pin-image placeholder" aria-label="Loading the image" />
        )}
        <div class="grow">
          <fieldset class="pin-kinds" aria-label="Kind">
            {(['character', 'product'] as const).map((k) => (
              <label key={k} class="pin-kind">
                <input type="radio" name="new-pin-kind" value={k} checked={kind === k} onChange={() => setChosen({ capture: capture.id, kind: k })} />
                {pinKindLabels[k]}
              </label>
            ))}
          </fieldset>
          <label for="new-pin-name">Name</label>
          <input
            id="new-pin-name"
            placeholder={kind === 'character' ? 'Who is it? e.g. Ada' : 'What is it? e.g. Blue mug'}
            value={name}
            maxLength={80}
            onInput={(e) => setName(e.currentTarget.value)}
            data-testid="pin-name"
          />
        </div>
      </div>
      {error && (
        <p class="error small" role="alert">
          {error}
        </p>
      )}
      <div class="row">
        <button type="submit" disabled={!name.trim() || busy}>
          {busy ? 'Pinning…' : 'Pin it'}
        </button>
        <button type="button" class="link" onClick={() => setCapture(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
