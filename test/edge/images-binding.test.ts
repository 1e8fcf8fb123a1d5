// The production renderer drives the Images binding as its API expects: scale down, draw the
// image's own mark (one overlay the size of the picture) and encode.
import { PhotonImage } from '@cf-wasm/photon/workerd';
import { describe, expect, it } from 'vitest';
import { markOf } from '../../edge/domain/watermark';
import { imagesBindingRenderer } from '../../edge/imaging/images-binding';
import { photonRenderer } from '../../edge/imaging/photon';
import { markOverlay } from '../../shared/imaging/watermark';
import { createPng } from '../fakes/png';

/** A stand-in for env.IMAGES with the binding's shape, recording each call and each overlay. */
function fakeImages(width = 4096, height = 2048) {
  const calls: unknown[][] = [];
  const overlays: Promise<Uint8Array>[] = [];
  const transformer = (): ImageTransformer => ({
    transform(t) {
      calls.push(['transform', t]);
      return this;
    },
    draw(image, options) {
      calls.push(['draw', image instanceof ReadableStream ? 'stream' : 'transformer', options]);
      if (image instanceof ReadableStream) overlays.push(new Response(image).arrayBuffer().then((b) => new Uint8Array(b)));
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
      return { format: 'image/png', fileSize: 10, width, height };
    },
    input() {
      calls.push(['input']);
      return transformer();
    },
  } as unknown as ImagesBinding;
  return { binding, calls, overlays };
}

function pixels(png: Uint8Array) {
  const image = PhotonImage.new_from_byteslice(png);
  try {
    return { width: image.get_width(), height: image.get_height(), rgba: image.get_raw_pixels() };
  } finally {
    image.free();
  }
}

const secret = 'a-watermark-secret-for-these-tests-only';

describe('the Images binding renderer', () => {
  it('scales down, draws the image\'s own mark over the whole picture and encodes a JPEG', async () => {
    const images = fakeImages();
    const mark = await markOf(secret, 'a'.repeat(64));
    const made = await imagesBindingRenderer(images.binding, photonRenderer).rendition(createPng(8, 8, [9, 9, 9]), 1024, mark);
    expect(made).toMatchObject({ contentType: 'image/jpeg', width: 1024, height: 512 });
    expect(images.calls).toEqual([
      ['info'],
      ['input'],
      ['transform', { width: 1024, height: 512, fit: 'scale-down' }],
      ['draw', 'stream', { top: 0, left: 0, opacity: 1 }],
      ['output', { format: 'image/jpeg', quality: 85 }],
    ]);
    // The overlay is this image's mark, grain and all, pixel for pixel: not a repeated tile.
    const overlay = pixels(await images.overlays[0]!);
    const expected = markOverlay(1024, 512, mark);
    expect([overlay.width, overlay.height]).toEqual([1024, 512]);
    expect(overlay.rgba).toEqual(expected.rgba);
  });

  it('never hands out a locked image at full resolution: at most three quarters of its longest side', async () => {
    const images = fakeImages(1024, 1024);
    const made = await imagesBindingRenderer(images.binding, photonRenderer).rendition(createPng(8, 8, [9, 9, 9]), 1024, await markOf(secret, 'b'.repeat(64)));
    expect([made.width, made.height]).toEqual([768, 768]);
    expect(images.calls).toContainEqual(['transform', { width: 768, height: 768, fit: 'scale-down' }]);
  });

  it('draws a different mark over a different image, and the same one over the same image', async () => {
    const overlayFor = async (sha: string) => {
      const images = fakeImages(1024, 1024);
      await imagesBindingRenderer(images.binding, photonRenderer).rendition(createPng(8, 8, [9, 9, 9]), 1024, await markOf(secret, sha));
      return images.overlays[0]!;
    };
    const first = await overlayFor('c'.repeat(64));
    expect(await overlayFor('c'.repeat(64))).toEqual(first);
    expect(await overlayFor('d'.repeat(64))).not.toEqual(first);
  });

  it('draws nothing over a free image, and keeps it at the full preview size', async () => {
    const images = fakeImages(1024, 1024);
    const made = await imagesBindingRenderer(images.binding, photonRenderer).rendition(createPng(8, 8, [9, 9, 9]), 1024);
    expect(images.calls.some((c) => c[0] === 'draw')).toBe(false);
    expect([made.width, made.height]).toEqual([1024, 1024]);
  });
});
