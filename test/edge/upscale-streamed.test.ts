// An upscale that never holds its frame: Lanczos3 a row at a time, PNG a band at a time, and
// R2 a part at a time. The same picture as photon's own Lanczos3, readable by the Worker's
// decoders, stored whole or not at all.
import { PhotonImage, resize, SamplingFilter } from '@cf-wasm/photon/workerd';
import { describe, expect, it } from 'vitest';
import { resampledRows } from '../../shared/imaging/resample';
import { PngRowWriter } from '../../shared/imaging/png-encode';
import { concatBytes } from '../../shared/encoding';
import { paintScene } from '../../shared/style/render';
import { promptComponents } from '../../shared/style/prompt';
import { decodePngReduced } from '../../edge/imaging/png-reduce';
import { photonRenderer } from '../../edge/imaging/photon';
import { putInParts } from '../../edge/storage/put-in-parts';
import { env } from './support';

const scene = (side: number) => ({ width: side, height: side, rgba: paintScene({ width: side, height: side, seed: 5, components: promptComponents('a lighthouse at dusk') }) });

function decoded(png: Uint8Array) {
  const image = PhotonImage.new_from_byteslice(png);
  try {
    return { width: image.get_width(), height: image.get_height(), rgba: image.get_raw_pixels() };
  } finally {
    image.free();
  }
}

/** Where two byte arrays first differ (-1: nowhere); toEqual is too slow for megabytes. */
function firstDifference(a: Uint8Array, b: Uint8Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

function psnr(a: Uint8Array, b: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) if (i % 4 !== 3) sum += (a[i]! - b[i]!) ** 2;
  return 10 * Math.log10((255 * 255) / (sum / ((a.length * 3) / 4)));
}

/** PSNR of our resampling of a square `source` to `side` against photon's own Lanczos3. */
function againstPhoton(source: { width: number; height: number; rgba: Uint8Array }, side: number): number {
  const image = new PhotonImage(source.rgba, source.width, source.height);
  const theirs = resize(image, side, side, SamplingFilter.Lanczos3);
  try {
    return psnr(enlarged(source, side, side), theirs.get_raw_pixels());
  } finally {
    image.free();
    theirs.free();
  }
}

function enlarged(source: { width: number; height: number; rgba: Uint8Array }, width: number, height: number): Uint8Array {
  const out = new Uint8Array(width * height * 4);
  let y = 0;
  for (const row of resampledRows(source, width, height)) out.set(row, y++ * width * 4);
  expect(y).toBe(height);
  return out;
}

describe('a streamed upscale', () => {
  it('writes rows filtered "up" that decode to exactly their pixels, a band at a time', async () => {
    const { rgba } = scene(90);
    rgba[7] = 3; // alpha survives too
    const parts: Uint8Array[] = [];
    const png = new PngRowWriter(90, 90, (bytes) => parts.push(bytes), { filter: 'up', pixelsPerBand: 90 * 16 });
    let bands = 0;
    for (let y = 0; y < 90; y++) if (png.push(rgba.subarray(y * 360, (y + 1) * 360))) bands++;
    expect(bands).toBe(Math.ceil(90 / 16));
    expect(png.done).toBe(true);
    expect(() => png.push(new Uint8Array(360))).toThrow(/already has its 90 rows/);
    const file = concatBytes(parts);
    expect(decoded(file).rgba).toEqual(rgba);
    expect((await decodePngReduced(file, 1))!.rgba).toEqual(rgba);
  });

  it('enlarges like photon’s Lanczos3, and keeps a flat colour exactly', () => {
    expect(againstPhoton(scene(64), 240)).toBeGreaterThan(35);
    const flat = { width: 3, height: 2, rgba: new Uint8Array(24).map((_, i) => [200, 40, 90, 255][i % 4]!) };
    expect(enlarged(flat, 31, 20)).toEqual(new Uint8Array(31 * 20 * 4).map((_, i) => [200, 40, 90, 255][i % 4]!));
  });

  it('shrinks like photon’s Lanczos3 too (a preview)', () => {
    expect(againstPhoton(scene(300), 224)).toBeGreaterThan(35);
  });

  it('hands an upscale out in pieces, as a PNG of the asked size', async () => {
    const original = decoded(new Uint8Array(photonRendererPng(scene(100))));
    const pieces: Uint8Array[] = [];
    const made = await photonRenderer.upscale(photonRendererPng(scene(100)), 1000, async (bytes) => void pieces.push(bytes));
    expect(made).toEqual({ contentType: 'image/png', width: 1000, height: 1000 });
    expect(pieces.length).toBeGreaterThan(3);
    const file = decoded(concatBytes(pieces));
    expect([file.width, file.height]).toEqual([1000, 1000]);
    expect(firstDifference(file.rgba, enlarged(original, 1000, 1000))).toBe(-1);
  });

  it('stores what is made in parts, or in one put when it fits in one part', async () => {
    const bytes = new Uint8Array(12 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) & 255;
    const answer = await putInParts(env.IMAGES, 'streamed/large', { httpMetadata: { contentType: 'image/png' } }, async (write) => {
      for (let at = 0; at < bytes.length; at += 1_000_003) await write(bytes.subarray(at, at + 1_000_003));
      return 'made';
    }, 5 * 1024 * 1024);
    expect(answer).toBe('made');
    const stored = await env.IMAGES.get('streamed/large');
    expect(stored!.httpMetadata?.contentType).toBe('image/png');
    expect(firstDifference(new Uint8Array(await stored!.arrayBuffer()), bytes)).toBe(-1);

    await putInParts(env.IMAGES, 'streamed/small', {}, (write) => write(bytes.subarray(0, 1000)), 5 * 1024 * 1024);
    expect(new Uint8Array(await (await env.IMAGES.get('streamed/small'))!.arrayBuffer())).toEqual(bytes.subarray(0, 1000));
  });

  it('leaves nothing behind when the making fails half-way', async () => {
    const made = putInParts(env.IMAGES, 'streamed/failed', {}, async (write) => {
      await write(new Uint8Array(11 * 1024 * 1024));
      throw new Error('the renderer gave up');
    }, 5 * 1024 * 1024);
    await expect(made).rejects.toThrow('the renderer gave up');
    expect(await env.IMAGES.get('streamed/failed')).toBeNull();
  });
});

function photonRendererPng(raster: { width: number; height: number; rgba: Uint8Array }): Uint8Array {
  const image = new PhotonImage(raster.rgba, raster.width, raster.height);
  try {
    return image.get_bytes();
  } finally {
    image.free();
  }
}
