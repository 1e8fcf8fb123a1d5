// Naming a pin made from a captured image ("Pin as character / product").
import { useState } from 'preact/hooks';
import { pendingPin } from '../../lib/captures';
import { api, messageOf, withToken } from '../api';
import { usePassing } from '../use-passing';
import { useUserStored } from '../user';

export function NewPin() {
  const [capture, setCapture] = useUserStored(pendingPin);
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const [done, setDone] = usePassing();
  if (!capture) return done ? <p class="muted small" role="status">{done}</p> : null;
  const kind = capture.menu === 'pin_product' ? 'product' : 'character';

  async function save(e: Event) {
    e.preventDefault();
    try {
      const pin = await withToken((token) => api.createPin(token, { kind, name: name.trim(), image_ids: [capture!.image_id] }));
      setDone(`Pinned “${pin.name}” as a ${kind}.`);
      setName('');
      await setCapture(null);
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return (
    <form class="card" onSubmit={save} data-testid="new-pin">
      <strong>New {kind} pin</strong>
      <input placeholder={kind === 'character' ? 'Who is it? e.g. Ada' : 'What is it? e.g. Blue mug'} value={name} onInput={(e) => setName(e.currentTarget.value)} data-testid="pin-name" />
      {error && <p class="error small">{error}</p>}
      <div class="row">
        <button type="submit" disabled={!name.trim()}>
          Pin it
        </button>
        <button type="button" class="link" onClick={() => setCapture(null)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
