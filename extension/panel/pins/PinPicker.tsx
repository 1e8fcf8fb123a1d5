// The Generate form's pins: the ones the model takes, each switched on or off.
// (Issue 13, part D: fills this in with the pins' images, renaming, adding images, deleting.)
import type { PublicModel } from '../../../shared/catalog/types';
import type { FormState } from '../generate/settings';
import type { PinsState } from './use-pins';

export interface PinPickerProps {
  model: PublicModel;
  form: FormState;
  setForm(change: (form: FormState) => FormState): void;
  pins: PinsState;
}

export function PinPicker(_props: PinPickerProps) {
  return null;
}
