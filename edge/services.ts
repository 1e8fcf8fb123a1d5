// The side effects the domain uses, chosen from configuration in one place.
import type { Bindings } from './env';
import { photonRenderer } from './imaging/photon';
import type { ImageRenderer } from './imaging/renderer';

export function rendererFor(_env: Bindings): ImageRenderer {
  return photonRenderer;
}
