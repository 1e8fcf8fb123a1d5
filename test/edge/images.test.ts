// Uploads and their renditions through HTTP: validated before decoding, stored once, and
// visible only to their owner.
import { PhotonImage } from '@cf-wasm/photon/workerd';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { images, imageVariants } from '../../edge/db/schema';
import { avif40x30 } from '../fixtures/avif';
import { pngWithData, zerosBomb } from '../fixtures/damaged';
import { gifHeader, jpegHeader, pngHeader } from '../fixtures/headers';
import { newId } from '../../edge/db/ids';
import { db } from './db';
import { paintedPng } from './pixels';
import { waitForGeneration } from './generation-support';
import { call, env, expectProblem, grant, json, signIn } from './support';
import { storedImage } from './stored-image';

const realPng = (width: number, height: number, seed = 1) => paintedPng(width, height, (x, y) => [((y * width + x) * 4 * seed) % 251, (((y * width + x) * 4) >> 5) % 256, 200]);

const upload = (token: string, bytes: Uint8Array<ArrayBuffer>, type = 'image/png', headers: Record<string, string> = {}) =>
  call('/v1/images', { method: 'POST', token, body: bytes, headers: { 'content-type': type, ...headers } });

function decode(bytes: ArrayBuffer) {
  const image = PhotonImage.new_from_byteslice(new Uint8Array(bytes));
  try {
    return { width: image.get_width(), height: image.get_height() };
  } finally {
    image.free();
  }
}

describe('uploading an image', () => {
  it('keeps page text as written: accents, emoji and % arrive percent-encoded and are stored decoded', async () => {
    const me = await signIn();
    const title = 'Café crème 🌊 — 100% cotton';
    const response = await upload(me.access_token, realPng(20, 20, 7), 'image/png', {
      'x-page-title': encodeURIComponent(title),
      'x-page-url': encodeURIComponent('https://example.test/été?q=ü&p=5%'),
      'x-source-url': 'https://cdn.example.test/plain.png',
    });
    expect(response.status).toBe(201);
    const image = await json(response);
    expect(image).toMatchObject({ page_title: title, page_url: 'https://example.test/été?q=ü&p=5%', source_url: 'https://cdn.example.test/plain.png' });
    expect(await json(await call(`/v1/images/${image.id}`, { token: me.access_token }))).toMatchObject({ page_title: title });
    // A malformed escape does not fail the upload: the text is kept as it came.
    const odd = await json(await upload(me.access_token, realPng(20, 20, 9), 'image/png', { 'x-page-title': '100% sure %E2%8' }));
    expect(odd.page_title).toBe('100% sure %E2%8');
  });

  it('stores it with its size, hash and where it came from', async () => {
    const me = await signIn();
    const bytes = realPng(300, 200);
    const response = await upload(me.access_token, bytes, 'image/png', {
      'x-source-url': 'https://cdn.example.test/cat.png',
      'x-page-url': 'https://example.test/cats',
      'x-page-title': '  Cats of the web ',
    });
    expect(response.status).toBe(201);
    const image = await json(response);
    expect(image).toMatchObject({
      id: expect.stringMatching(/^img_/),
      kind: 'upload',
      width: 300,
      height: 200,
      bytes: bytes.byteLength,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      content_type: 'image/png',
      source_url: 'https://cdn.example.test/cat.png',
      page_url: 'https://example.test/cats',
      page_title: 'Cats of the web',
      thumb_url: `/v1/images/${image.id}/thumb`,
      policy: { watermarked: false, downloadable: true },
    });
    const row = await storedImage(image.id);
    expect(row.r2_key).not.toContain(image.id);
    const stored = await env.IMAGES.get(row.r2_key);
    expect(new Uint8Array(await stored!.arrayBuffer())).toEqual(bytes);
  });

  it('returns the existing image for the same bytes from the same user, even at once', async () => {
    const me = await signIn();
    const bytes = realPng(64, 64, 3);
    const responses = await Promise.all(Array.from({ length: 5 }, () => upload(me.access_token, bytes)));
    const ids = new Set(await Promise.all(responses.map(async (r) => (await json(r)).id)));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => r.status === 201).length).toBeLessThanOrEqual(1);
    expect(await db().$count(images, and(eq(images.owner_id, me.user.id), eq(images.kind, 'upload')))).toBe(1);
    const other = await signIn();
    expect((await json(await upload(other.access_token, bytes))).id).not.toBe([...ids][0]);
  });

  it('refuses what is not an accepted image by its magic bytes (415)', async () => {
    const me = await signIn();
    await expectProblem(await upload(me.access_token, new TextEncoder().encode('just text'), 'image/png'), 415, 'unsupported_media_type');
    await expectProblem(await upload(me.access_token, realPng(8, 8), 'image/svg+xml'), 415, 'unsupported_media_type');
    await expectProblem(await upload(me.access_token, jpegHeader(10, 10), 'image/png'), 415, 'unsupported_media_type');
    await expectProblem(await upload(me.access_token, realPng(8, 8), 'application/octet-stream'), 415, 'unsupported_media_type');
  });

  it('refuses files over 25 MB (413), declared or streamed', async () => {
    const me = await signIn();
    const big = new Uint8Array(25 * 1024 * 1024 + 1);
    big.set(pngHeader(100, 100));
    await expectProblem(await upload(me.access_token, big), 413, 'payload_too_large');
    const stream = new ReadableStream({
      start(controller) {
        for (let i = 0; i < 26; i++) controller.enqueue(new Uint8Array(1024 * 1024));
        controller.close();
      },
    });
    const streamed = await call('/v1/images', { method: 'POST', token: me.access_token, body: stream, headers: { 'content-type': 'image/png' }, duplex: 'half' } as RequestInit);
    await expectProblem(streamed, 413, 'payload_too_large');
  });

  it('refuses decompression bombs from the header alone (422), storing nothing', async () => {
    const me = await signIn();
    const wide = await expectProblem(await upload(me.access_token, pngHeader(20_000, 100)), 422, 'validation_failed');
    expect(wide.errors[0].path).toBe('width');
    const many = await expectProblem(await upload(me.access_token, pngHeader(8000, 8000)), 422, 'validation_failed');
    expect(many.errors.map((e: any) => e.path)).toContain('pixels');
    await expectProblem(await upload(me.access_token, gifHeader(12_001, 12_001), 'image/gif'), 422, 'validation_failed');
    expect(await db().$count(images, eq(images.owner_id, me.user.id))).toBe(0);
  });

  it('refuses a damaged or incomplete file (422) after trying to decode it, storing nothing', async () => {
    const me = await signIn();
    const whole = realPng(300, 200, 11);
    const cut = whole.slice(0, Math.floor(whole.length * 0.6)); // valid header, data cut short
    const corrupt = whole.slice();
    corrupt.fill(0x5a, 60, 400); // valid header, data overwritten
    const listed = await env.IMAGES.list();
    for (const bytes of [cut, corrupt]) {
      const problem = await expectProblem(await upload(me.access_token, bytes), 422, 'validation_failed');
      expect(problem.detail).toBe('This file is damaged or incomplete.');
    }
    expect(await db().$count(images, eq(images.owner_id, me.user.id))).toBe(0);
    expect((await env.IMAGES.list()).objects.length).toBe(listed.objects.length);
  });

  it('judges an AVIF, which the local renderer cannot decode, by its structure: a cut or garbled one is refused, storing nothing', async () => {
    const me = await signIn();
    const whole = avif40x30();
    const cut = whole.slice(0, whole.length - 40); // header and meta whole, data cut short
    const garbled = whole.slice();
    const iloc = Buffer.from(whole).indexOf('iloc', 0, 'latin1') + 4;
    garbled.set([0, 1, 0, 0], iloc + 12); // the item's data said to start 64 KB in, past the end
    const listed = await env.IMAGES.list();
    for (const bytes of [cut, garbled]) {
      const problem = await expectProblem(await upload(me.access_token, bytes, 'image/avif'), 422, 'validation_failed');
      expect(problem.detail).toBe('This file is damaged or incomplete.');
    }
    expect(await db().$count(images, eq(images.owner_id, me.user.id))).toBe(0);
    expect((await env.IMAGES.list()).objects.length).toBe(listed.objects.length);
    const stored = await upload(me.access_token, whole, 'image/avif');
    expect(stored.status).toBe(201);
    expect(await json(stored)).toMatchObject({ content_type: 'image/avif', width: 40, height: 30 });
  });

  it('refuses a PNG whose data inflates to gigabytes behind a small header (422) in milliseconds, and keeps answering', async () => {
    const me = await signIn();
    const { zlib, inflated } = zerosBomb(8 * 1024 * 1024);
    expect(inflated).toBeGreaterThan(1_000_000_000);
    const bomb = pngWithData(2000, 1500, zlib); // the header's rows need 12 MB
    const started = performance.now();
    const problem = await expectProblem(await upload(me.access_token, bomb), 422, 'validation_failed');
    expect(problem.detail).toBe('This file is damaged or incomplete.');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await db().$count(images, eq(images.owner_id, me.user.id))).toBe(0);
    expect((await call('/health')).status).toBe(200);
  });

  it('needs a signed-in user', async () => {
    await expectProblem(await call('/v1/images', { method: 'POST', body: realPng(4, 4) as BodyInit, headers: { 'content-type': 'image/png' } }), 401, 'unauthorized');
  });
});

describe('reading an image', () => {
  it('answers a bomb stored before uploads were decoded with a quick 422, and the Worker keeps answering', async () => {
    const me = await signIn();
    const bomb = pngWithData(2000, 1500, zerosBomb(8 * 1024 * 1024).zlib);
    const key = `originals/${crypto.randomUUID()}`;
    await env.IMAGES.put(key, bomb);
    const id = newId('img');
    await db()
      .insert(images)
      .values({ id, owner_id: me.user.id, kind: 'upload', content_type: 'image/png', bytes: bomb.length, width: 2000, height: 1500, sha256: 'bomb', r2_key: key, created_at: new Date().toISOString() })
      .run();
    for (const name of ['thumb', 'preview']) {
      const started = performance.now();
      const answered = call(`/v1/images/${id}/${name}`, { token: me.access_token });
      // Asked while the rendition is being refused: the Worker is not held.
      expect((await call('/health')).status).toBe(200);
      const problem = await expectProblem(await answered, 422, 'validation_failed');
      expect(problem.detail).toBe('This file is damaged or incomplete.');
      expect(performance.now() - started).toBeLessThan(2000);
    }
  });


  it('serves a thumbnail and a preview at their sizes', async () => {
    const me = await signIn();
    const image = await json(await upload(me.access_token, realPng(1600, 900, 5)));
    const thumb = await call(image.thumb_url, { token: me.access_token });
    expect(thumb.headers.get('content-type')).toBe('image/jpeg');
    expect(decode(await thumb.arrayBuffer())).toEqual({ width: 256, height: 144 });
    const preview = await call(image.preview_url, { token: me.access_token });
    expect(decode(await preview.arrayBuffer())).toEqual({ width: 1024, height: 576 });
    // Made once, then served from R2.
    const again = await call(image.preview_url, { token: me.access_token });
    expect(again.status).toBe(200);
  });

  it('takes a photo past 8 megapixels as a JPEG: its thumbnail and preview are read at reduced scale; cut short, it is refused', async () => {
    const me = await signIn();
    const [width, height] = [4000, 2500];
    const rgba = new Uint8Array(width * height * 4);
    for (let i = 0, y = 0; y < height; y++) for (let x = 0; x < width; x++, i += 4) rgba.set([(x * 255) / width, (y * 255) / height, (x ^ y) & 255, 255], i);
    const photo = new PhotonImage(rgba, width, height);
    const jpeg = photo.get_bytes_jpeg(85) as Uint8Array<ArrayBuffer>;
    photo.free();
    const stored = await upload(me.access_token, jpeg, 'image/jpeg');
    expect(stored.status).toBe(201);
    const image = await json(stored);
    expect(image).toMatchObject({ width, height });
    expect(decode(await (await call(image.thumb_url, { token: me.access_token })).arrayBuffer())).toEqual({ width: 256, height: 160 });
    expect(decode(await (await call(image.preview_url, { token: me.access_token })).arrayBuffer())).toEqual({ width: 1024, height: 640 });
    const problem = await expectProblem(await upload(me.access_token, jpeg.slice(0, Math.floor(jpeg.length * 0.7)), 'image/jpeg'), 422, 'validation_failed');
    expect(problem.detail).toBe('This file is damaged or incomplete.');
  });

  it('keeps one user’s images invisible to another (404 everywhere)', async () => {
    const owner = await signIn();
    const stranger = await signIn();
    const image = await json(await upload(owner.access_token, realPng(32, 32, 9)));
    for (const path of [`/v1/images/${image.id}`, image.thumb_url, image.preview_url]) {
      await expectProblem(await call(path, { token: stranger.access_token }), 404, 'not_found');
    }
    await expectProblem(await call(`/v1/images/${image.id}`, { method: 'DELETE', token: stranger.access_token }), 404, 'not_found');
    expect((await call(`/v1/images/${image.id}`, { token: owner.access_token })).status).toBe(200);
  });

  it('deletes the owner’s upload with its files', async () => {
    const me = await signIn();
    const image = await json(await upload(me.access_token, realPng(40, 40, 11)));
    await call(image.thumb_url, { token: me.access_token });
    const { r2_key } = await storedImage(image.id);
    expect((await call(`/v1/images/${image.id}`, { method: 'DELETE', token: me.access_token })).status).toBe(204);
    await expectProblem(await call(`/v1/images/${image.id}`, { token: me.access_token }), 404, 'not_found');
    expect(await env.IMAGES.get(r2_key)).toBeNull();
    expect(await env.IMAGES.get(`${r2_key}.thumb.jpg`)).toBeNull();
  });

  it('deletes an upload with the upscale, cut-out and SVG made from it (rows and files); pins drop it; an edit made from it stays', async () => {
    const me = await signIn();
    await grant(me.email, 10);
    const image = await json(await upload(me.access_token, realPng(96, 64, 5)));
    const other = await json(await upload(me.access_token, realPng(32, 32, 7)));
    const { r2_key } = await storedImage(image.id);
    await call(`/v1/images/${image.id}/upscale`, { method: 'POST', token: me.access_token, json: { size: '4k' } });
    await call(`/v1/images/${image.id}/remove-background`, { method: 'POST', token: me.access_token });
    await call(`/v1/images/${image.id}/vectorize`, { method: 'POST', token: me.access_token });
    for (let i = 0; ; i++) {
      const { items } = await json(await call(`/v1/images/${image.id}/variants`, { token: me.access_token }));
      if (items.length === 3 && items.every((v: any) => v.status === 'ready')) break;
      if (i > 600) throw new Error(`variants never finished: ${JSON.stringify(items)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    const pin = await json(await call('/v1/pins', { method: 'POST', token: me.access_token, json: { kind: 'product', name: 'vase', image_ids: [image.id, other.id] } }));
    // An edit made from it is an image of its own.
    const edited = await waitForGeneration(me.access_token, (await json(await call(`/v1/images/${image.id}/edits`, { method: 'POST', token: me.access_token, json: { op: 'recreate' } }))).id);
    const derived = edited.images[0].id;
    expect((await call(`/v1/images/${image.id}`, { method: 'DELETE', token: me.access_token })).status).toBe(204);

    await expectProblem(await call(`/v1/images/${image.id}`, { token: me.access_token }), 404, 'not_found');
    expect(await db().$count(imageVariants, eq(imageVariants.image_id, image.id))).toBe(0);
    for (const kind of ['', '.upscale_4k', '.no_background', '.svg', '.thumb.jpg']) expect(await env.IMAGES.get(`${r2_key}${kind}`)).toBeNull();
    expect((await json(await call(`/v1/pins/${pin.id}`, { token: me.access_token }))).image_ids).toEqual([other.id]);
    expect((await call(`/v1/images/${derived}`, { token: me.access_token })).status).toBe(200);
  });
});
