// The designer's pins, below the Generate form: each with its images, kind and name; renamed
// in place, given more images from the references tray (up to 10), an image taken out (never
// the last), or deleted after a second click. Collapsed until asked for, so the form stays high.
import { useState } from 'preact/hooks';
import type { z } from 'zod';
import type { Pin, UpdatePinBody } from '../../../shared/api/pins';
import { referencesTray } from '../../lib/captures';
import { api, messageOf, withToken } from '../api';
import { useUserStored } from '../user';
import { PinThumb } from './PinThumb';
import type { PinsState } from './use-pins';
import { PIN_IMAGES_MAX, pinKindLabels } from './words';

export function PinsManager({ pins }: { pins: PinsState }) {
  const [open, setOpen] = useState(false);
  if (!pins.pins.length) return null;
  return (
    <section class="card pins-manager" aria-label="Pins" data-testid="pins-manager">
      <div class="row spread">
        <strong>
          Pins <span class="muted small">· {pins.pins.length}</span>
        </strong>
        <button type="button" class="link" aria-expanded={open} onClick={() => setOpen(!open)}>
          {open ? 'Hide pins' : 'Show pins'}
        </button>
      </div>
      {open && (
        <ul class="pin-list">
          {pins.pins.map((pin) => (
            <PinCard key={pin.id} pin={pin} onChanged={pins.reload} />
          ))}
        </ul>
      )}
    </section>
  );
}

type Step = 'view' | 'rename' | 'add' | 'delete';

function PinCard({ pin, onChanged }: { pin: Pin; onChanged(): void }) {
  const [step, setStep] = useState<Step>('view');
  const [name, setName] = useState(pin.name);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [tray] = useUserStored(referencesTray);
  const full = pin.image_ids.length >= PIN_IMAGES_MAX;
  // The tray's uploaded captures this pin does not hold yet (the same image once).
  const addable = tray.filter((c, i) => c.status === 'ready' && c.image_id && !pin.image_ids.includes(c.image_id) && tray.findIndex((t) => t.image_id === c.image_id) === i);

  async function change(body: z.input<typeof UpdatePinBody> | 'delete', after: Step = 'view') {
    setBusy(true);
    setError('');
    try {
      if (body === 'delete') await withToken((token) => api.deletePin(token, pin.id));
      else await withToken((token) => api.updatePin(token, pin.id, body));
      setStep(after);
      onChanged();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const go = (next: Step) => {
    setError('');
    setName(pin.name);
    setStep(step === next ? 'view' : next);
  };

  return (
    <li class="pin-card" aria-label={`${pin.name}, ${pinKindLabels[pin.kind].toLowerCase()} pin`} data-testid="pin-card">
      {step === 'rename' ? (
        <form
          class="row pin-rename"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim() && name.trim() !== pin.name) void change({ name: name.trim() });
            else setStep('view');
          }}
        >
          <input aria-label={`New name for ${pin.name}`} value={name} maxLength={80} onInput={(e) => setName(e.currentTarget.value)} autoFocus />
          <button type="submit" disabled={busy || !name.trim()}>
            Save
          </button>
          <button type="button" class="link" onClick={() => go('view')}>
            Cancel
          </button>
        </form>
      ) : (
        <div class="row spread pin-head">
          <span class="pin-name">
            <strong>{pin.name}</strong> <span class="badge">{pinKindLabels[pin.kind]}</span>
          </span>
          <span class="row pin-actions">
            <button type="button" class="link" onClick={() => go('rename')}>
              Rename
            </button>
            <button type="button" class="link" aria-expanded={step === 'add'} onClick={() => go('add')}>
              Add images
            </button>
            <button type="button" class="link danger" onClick={() => go('delete')}>
              Delete
            </button>
          </span>
        </div>
      )}
      <ul class="pin-images" aria-label={`Images of ${pin.name}`}>
        {pin.image_ids.map((id, i) => (
          <li key={id}>
            <PinThumb imageId={id} alt={`${pin.name}, image ${i + 1}`} />
            {pin.image_ids.length > 1 && (
              <button type="button" class="pin-image-remove" aria-label={`Remove image ${i + 1} from ${pin.name}`} disabled={busy} onClick={() => change({ image_ids: pin.image_ids.filter((x) => x !== id) }, step)}>
                ✕
              </button>
            )}
          </li>
        ))}
      </ul>
      <p class="muted small">
        {pin.image_ids.length} of {PIN_IMAGES_MAX} images{pin.image_ids.length === 1 ? ' · a pin keeps at least one' : ''}
      </p>
      {step === 'add' && (
        <div class="pin-add" role="group" aria-label={`Add images to ${pin.name}`}>
          {full ? (
            <p class="warning small" role="status">
              {pin.name} holds {PIN_IMAGES_MAX} images, the most a pin can. Remove one to add another.
            </p>
          ) : addable.length ? (
            <p class="muted small">From your references tray: choose an image to add it.</p>
          ) : (
            <p class="muted small">Images come from your references tray: right-click an image on a page and choose Use as reference, then add it here.</p>
          )}
          {addable.length > 0 && (
            <ul class="pin-images">
              {addable.map((c, i) => (
                <li key={c.id}>
                  <button type="button" class="pin-add-image" aria-label={`Add ${c.alt || `reference ${i + 1}`} to ${pin.name}`} disabled={busy || full} onClick={() => change({ image_ids: [...pin.image_ids, c.image_id] }, 'add')}>
                    <TrayImage thumbData={c.thumb_data} imageId={c.image_id} />
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {step === 'delete' && (
        <div class="row pin-confirm" role="group" aria-label={`Delete ${pin.name}?`}>
          <span class="small">Delete “{pin.name}”? Its images stay in your library.</span>
          <button type="button" class="danger" disabled={busy} onClick={() => change('delete')}>
            Delete pin
          </button>
          <button type="button" class="link" onClick={() => go('view')}>
            Keep it
          </button>
        </div>
      )}
      {error && (
        <p class="error small" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

/** A tray capture's thumbnail: the one made at capture time when there is one. */
function TrayImage({ thumbData, imageId }: { thumbData: string | null; imageId: string }) {
  if (thumbData) return <img class="pin-thumb" src={thumbData} alt="" style={{ width: '40px', height: '40px' }} />;
  return <PinThumb imageId={imageId} alt="" />;
}
