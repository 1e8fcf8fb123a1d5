// The production renderer drives the Images binding as its API expects: scale down, draw the
// mark tile repeated over the whole image, encode.
import { describe, expect, it } from 'vitest';
import { imagesBindingRenderer } from '../../edge/imaging/images-binding';
import { photonRenderer } from '../../edge/imaging/photon';
import { createPng } from '../fakes/png';

/** A stand-in for env.IMAGES with the binding's shape, recording each call. */
function fakeImages() {
  const calls: unknown[][] = [];
  const transformer = (): ImageTransformer => ({
    transform(t) {
      calls.push(['transform', t]);
      return this;
    },
    draw(image, options) {
      calls.push(['draw', image instanceof ReadableStream ? 'stream' : 'transformer', options]);
      return this;
    },
    async output(options) {
      calls.push(['output', options]);
      return { response: () => new Response('x'), contentType: () => options.format, image: () => new Blob([createPng(4, 4, [1, 2, 3])]).stream() };
    },
  });
  const binding = {
    async info() {
      calls.push(['info']);
      return { format: 'image/png', fileSize: 10, width: 4096, height: 2048 };
    },
    input() {
      calls.push(['input']);
      return transformer();
    },
  } as unknown as ImagesBinding;
  return { binding, calls };
}

describe('the Images binding renderer', () => {
  it('scales down, tiles the mark over the image and encodes a JPEG', async () => {
    const images = fakeImages();
    const renderer = imagesBindingRenderer(images.binding, photonRenderer);
    const made = await renderer.rendition(createPng(8, 8, [9, 9, 9]), 1024, true);
    expect(made).toMatchObject({ contentType: 'image/jpeg', width: 1024, height: 512 });
    expect(images.calls).toEqual([
      ['info'],
      ['input'],
      ['transform', { width: 1024, height: 1024, fit: 'scale-down' }],
      ['draw', 'stream', { repeat: true, opacity: 1 }],
      ['output', { format: 'image/jpeg', quality: 85 }],
    ]);
  });

  it('draws nothing over a free image', async () => {
    const images = fakeImages();
    await imagesBindingRenderer(images.binding, photonRenderer).rendition(createPng(8, 8, [9, 9, 9]), 256);
    expect(images.calls.some((c) => c[0] === 'draw')).toBe(false);
  });
});
