// The Generate form's pins: the ones the model takes (by kind), each switched on or off, and
// how many are on. A pin deleted anywhere leaves the form's choice as soon as the list knows.
import { useEffect } from 'preact/hooks';
import type { PublicModel } from '../../../shared/catalog/types';
import { type FormState, pinFeature, pinsFor } from '../generate/settings';
import { PinThumb } from './PinThumb';
import type { PinsState } from './use-pins';
import { pinKindLabels, pinsOn } from './words';

export interface PinPickerProps {
  model: PublicModel;
  form: FormState;
  setForm(change: (form: FormState) => FormState): void;
  pins: PinsState;
}

export function PinPicker({ model, form, setForm, pins }: PinPickerProps) {
  // Only once the list has been read: an empty list before the answer says nothing.
  const gone = pins.loaded ? form.pinIds.filter((id) => !pins.pins.some((p) => p.id === id)) : [];
  useEffect(() => {
    if (gone.length) setForm((f) => ({ ...f, pinIds: f.pinIds.filter((id) => !gone.includes(id)) }));
  }, [gone.join()]);

  const offered = pins.pins.filter((p) => model.features.includes(pinFeature(p.kind)));
  const takes = (['character', 'product'] as const).filter((k) => model.features.includes(pinFeature(k)));
  if (!takes.length) {
    if (!pins.pins.length) return null;
    return (
      <p class="muted small" data-testid="pins-not-taken">
        {model.name} takes no pins — yours stay for a model that does.
      </p>
    );
  }
  if (!offered.length) {
    return (
      <p class="muted small" data-testid="pins-none">
        {pins.error || `To keep a ${takes.join(' or ')} the same across images, right-click an image and choose Pin as ${takes.join(' / ')}.`}
      </p>
    );
  }
  const on = pinsFor(form, model, pins.pins);
  const toggle = (id: string, checked: boolean) =>
    setForm((f) => ({ ...f, pinIds: checked ? [...f.pinIds.filter((x) => x !== id), id] : f.pinIds.filter((x) => x !== id) }));
  return (
    <fieldset class="pin-picker" data-testid="pin-picker">
      <legend>
        Pins <span class="muted small" data-testid="pins-on">· {pinsOn(on.length)}</span>
      </legend>
      <ul class="pin-choices">
        {offered.map((pin) => (
          <li key={pin.id}>
            <label class={on.includes(pin.id) ? 'pin-choice on' : 'pin-choice'}>
              <input type="checkbox" checked={on.includes(pin.id)} onChange={(e) => toggle(pin.id, e.currentTarget.checked)} data-testid="pin-choice" />
              {pin.image_ids[0] && <PinThumb imageId={pin.image_ids[0]} alt="" size={28} />}
              <span class="pin-choice-name">{pin.name}</span>
              <span class="muted small">{pinKindLabels[pin.kind]}</span>
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}
