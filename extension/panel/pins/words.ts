// How pins read in the panel.
import type { Pin } from '../../../shared/api/pins';

export { PIN_IMAGES_MAX } from '../../../shared/api/pins';

export const pinKindLabels: Record<Pin['kind'], string> = { character: 'Character', product: 'Product' };

/** "1 pin on", "2 pins on", "No pins on". */
export const pinsOn = (n: number) => (n === 0 ? 'No pins on' : `${n} pin${n === 1 ? '' : 's'} on`);
