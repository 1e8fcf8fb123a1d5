// Decoding PNG at reduced scale: exact at full size, a true block average when reduced.
import { PhotonImage } from '@cf-wasm/photon/workerd';
import { describe, expect, it } from 'vitest';
import { decodePngReduced } from '../../edge/imaging/png-reduce';
import { halve } from '../../shared/imaging/downscale';
import { paintScene } from '../../shared/style/render';
import { promptComponents } from '../../shared/style/prompt';
import { createPng } from '../fakes/png';
import { pngHeader } from '../fixtures/headers';

function photonPng(width: number, height: number) {
  const rgba = paintScene({ width, height, seed: 3, components: promptComponents('harbour at dusk') });
  const image = new PhotonImage(rgba, width, height);
  try {
    return { png: image.get_bytes(), rgba };
  } finally {
    image.free();
  }
}

describe('decoding a PNG at reduced scale', () => {
  it('matches a full decode exactly at factor 1 (every filter type photon writes)', async () => {
    const { png, rgba } = photonPng(97, 61);
    const decoded = await decodePngReduced(png, 1);
    expect(decoded).toMatchObject({ width: 97, height: 61 });
    expect(decoded!.rgba).toEqual(rgba);
  });

  it('averages 2×2 blocks at factor 2, as halving the full picture does', async () => {
    const { png, rgba } = photonPng(128, 80);
    const reduced = await decodePngReduced(png, 2);
    expect(reduced!.rgba).toEqual(halve({ width: 128, height: 80, rgba }).rgba);
  });

  it('reads RGB files too, and leaves what it does not handle to the full decoder', async () => {
    const rgb = await decodePngReduced(createPng(8, 4, [10, 20, 30]), 4);
    expect(rgb).toMatchObject({ width: 2, height: 1 });
    expect([...rgb!.rgba.subarray(0, 4)]).toEqual([10, 20, 30, 255]);
    expect(await decodePngReduced(new TextEncoder().encode('not a png at all, not at all'), 2)).toBeNull();
    expect(await decodePngReduced(pngHeader(10, 10), 2)).toBeNull(); // no image data
  });
});
