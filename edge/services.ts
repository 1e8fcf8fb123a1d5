// The side effects the domain uses, chosen from configuration in one place.
import type { Bindings } from './env';
import { imagesBindingRenderer } from './imaging/images-binding';
import { photonRenderer } from './imaging/photon';
import type { ImageRenderer } from './imaging/renderer';
import { channelPublisher, type EventPublisher } from './live/publisher';

const bindingRenderers = new WeakMap<ImagesBinding, ImageRenderer>();

/** The Images binding where it is bound (production); the WASM renderer locally and in tests. */
export function rendererFor(env: Bindings): ImageRenderer {
  const binding = env.IMAGES_API;
  if (!binding) return photonRenderer;
  let renderer = bindingRenderers.get(binding);
  if (!renderer) bindingRenderers.set(binding, (renderer = imagesBindingRenderer(binding, photonRenderer)));
  return renderer;
}

/** Live events go to each user's channel (the USER_EVENTS Durable Objects). */
export function eventsFor(env: Bindings): EventPublisher {
  return channelPublisher(env.USER_EVENTS);
}
