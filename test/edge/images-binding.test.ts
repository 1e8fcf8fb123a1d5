// The production renderer drives the Images binding as its API expects: scale down, draw the
// image's own mark (one overlay the size of the picture) and encode; a file the binding
// refuses is refused in the same words as locally.
import { PhotonImage } from '@cf-wasm/photon/workerd';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { images as imageRows } from '../../edge/db/schema';
import { markOf } from '../../edge/domain/watermark';
import { imagesBindingRenderer } from '../../edge/imaging/images-binding';
import { photonRenderer } from '../../edge/imaging/photon';
import { DamagedImage, ImageTooLarge } from '../../edge/imaging/renderer';
import { markOverlay } from '../../shared/imaging/watermark';
import { createPng } from '../fakes/png';
import { db } from './db';
import { paintedPng } from './pixels';
import { call, env, expectProblem, json, signIn } from './support';

/**
 * What the binding throws when the service refuses: an Error carrying the service's numeric
 * `code`, its message "IMAGES_<INFO|TRANSFORM>_ERROR <code>: <reason>" (workerd's images-api).
 */
const imagesError = (operation: 'INFO' | 'TRANSFORM', code: number, reason: string) => Object.assign(new Error(`IMAGES_${operation}_ERROR ${code}: ${reason}`), { code });

/** A stand-in for env.IMAGES_API with the binding's shape, recording each call and each overlay. */
function fakeImages(width = 4096, height = 2048, refuse: { info?: Error; output?: Error } = {}) {
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
      if (refuse.output) throw refuse.output;
      return { response: () => new Response('x'), contentType: () => options.format, image: () => new Blob([createPng(4, 4, [1, 2, 3])]).stream() };
    },
  });
  const binding = {
    async info() {
      calls.push(['info']);
      if (refuse.info) throw refuse.info;
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

describe('a file the Images binding refuses', () => {
  const renderer = (refuse: { info?: Error; output?: Error }) => imagesBindingRenderer(fakeImages(1024, 1024, refuse).binding, photonRenderer);
  const png = createPng(8, 8, [9, 9, 9]);

  it.each([
    ['not an image (9412)', imagesError('INFO', 9412, 'Input is not an image')],
    ['an unsupported type (9520)', imagesError('INFO', 9520, 'Unsupported image type')],
    ['an invalid format (9523)', imagesError('INFO', 9523, 'Could not process the image')],
  ])('as %s when measured is a damaged file, as locally', async (_, error) => {
    await expect(renderer({ info: error }).rendition(png, 256)).rejects.toBeInstanceOf(DamagedImage);
    await expect(renderer({ info: error }).convert(png, 'png')).rejects.toBeInstanceOf(DamagedImage);
  });

  it('as undecodable while transforming (after a header it could read) is a damaged file', async () => {
    const error = imagesError('TRANSFORM', 9412, 'Could not resize the image: The requested file is not an image');
    await expect(renderer({ output: error }).rendition(png, 256)).rejects.toBeInstanceOf(DamagedImage);
    await expect(renderer({ output: error }).rendition(png, 1024, await markOf(secret, 'e'.repeat(64)))).rejects.toBeInstanceOf(DamagedImage);
    await expect(renderer({ output: error }).convert(png, 'webp')).rejects.toBeInstanceOf(DamagedImage);
  });

  it('as past its image area (9413) is too large, in words', async () => {
    const made = renderer({ output: imagesError('TRANSFORM', 9413, 'Image exceeds the maximum image area') }).rendition(png, 256);
    await expect(made).rejects.toBeInstanceOf(ImageTooLarge);
    await expect(made).rejects.toThrow(/too large.*at most 12000 px a side and 50 megapixels/);
  });

  it('for a reason that is not the file (busy, over quota) stays an error of ours', async () => {
    const busy = imagesError('TRANSFORM', 9522, 'The service in this colo is too busy');
    await expect(renderer({ output: busy }).rendition(png, 256)).rejects.toBe(busy);
    const quota = imagesError('TRANSFORM', 9422, 'Transformation limit reached');
    await expect(renderer({ output: quota }).rendition(png, 256)).rejects.toBe(quota);
  });
});

describe('an upload in production (rendered by the Images binding)', () => {
  const realPng = () => paintedPng(300, 200, (x, y) => [(x * 7 + y) % 251, (y * 3) % 256, 200]);
  const upload = (token: string, bytes: Uint8Array, binding: ImagesBinding) =>
    call('/v1/images', { method: 'POST', token, body: bytes as Uint8Array<ArrayBuffer>, headers: { 'content-type': 'image/png' }, vars: { IMAGES_API: binding } });
  const stored = (ownerId: string) => db().$count(imageRows, eq(imageRows.owner_id, ownerId));

  it('that the binding cannot decode is refused (422) in plain words, storing nothing: not a 500', async () => {
    const me = await signIn();
    const listed = (await env.IMAGES.list()).objects.length;
    for (const refuse of [{ info: imagesError('INFO', 9412, 'Input is not an image') }, { output: imagesError('TRANSFORM', 9412, 'Could not resize the image: The requested file is not an image') }]) {
      const problem = await expectProblem(await upload(me.access_token, realPng(), fakeImages(300, 200, refuse).binding), 422, 'validation_failed');
      expect(problem.detail).toBe('This file is damaged or incomplete.');
    }
    const tooLarge = await expectProblem(await upload(me.access_token, realPng(), fakeImages(300, 200, { output: imagesError('TRANSFORM', 9413, 'Image exceeds the maximum image area') }).binding), 422, 'validation_failed');
    expect(tooLarge.detail).toMatch(/too large/);
    expect(await stored(me.user.id)).toBe(0);
    expect((await env.IMAGES.list()).objects.length).toBe(listed);
  });

  it('cut short or overwritten is refused by the local Images binding the same way; a whole one is stored', async () => {
    const me = await signIn();
    const whole = realPng();
    const cut = whole.slice(0, Math.floor(whole.length * 0.6)); // valid header, data cut short
    const corrupt = whole.slice();
    corrupt.fill(0x5a, 60, 400); // valid header, data overwritten
    for (const bytes of [cut, corrupt]) {
      const problem = await expectProblem(await upload(me.access_token, bytes, env.LOCAL_IMAGES_API), 422, 'validation_failed');
      expect(problem.detail).toBe('This file is damaged or incomplete.');
    }
    expect(await stored(me.user.id)).toBe(0);
    const created = await upload(me.access_token, whole, env.LOCAL_IMAGES_API);
    expect(created.status).toBe(201);
    expect(await json(created)).toMatchObject({ width: 300, height: 200 });
    expect(await stored(me.user.id)).toBe(1);
  });
});
