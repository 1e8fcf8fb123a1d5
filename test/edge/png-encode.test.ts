// Encoding PNG in bands (the offline renderer's encoder) and painting in slices: the same
// pictures as in one go, readable by the Worker's own decoder, with the thread handed back
// between bands.
import { PhotonImage } from '@cf-wasm/photon/workerd';
import { describe, expect, it } from 'vitest';
import { readImageHeader } from '../../shared/imaging/header';
import { encodePngInBands } from '../../shared/imaging/png-encode';
import { paintScene, paintSceneInSlices } from '../../shared/style/render';
import { promptComponents } from '../../shared/style/prompt';
import { decodePngReduced } from '../../edge/imaging/png-reduce';

const scene = (width: number, height: number) => ({ width, height, seed: 11, components: promptComponents('a harbour wall in a storm') });

describe('painting and encoding a band at a time', () => {
  it('paints the same pixels in slices as in one go, yielding after every slice', async () => {
    let yields = 0;
    const sliced = await paintSceneInSlices(scene(97, 61), async () => void yields++, 97 * 8);
    expect(sliced).toEqual(paintScene(scene(97, 61)));
    expect(yields).toBe(Math.ceil(61 / 8));
  });

  it('writes a PNG that decodes to exactly its pixels, with the thread handed back between bands', async () => {
    const rgba = paintScene(scene(131, 77));
    rgba[3] = 17; // alpha survives too
    let yields = 0;
    const png = await encodePngInBands({ width: 131, height: 77, rgba }, async () => void yields++, 131 * 10);
    expect(yields).toBe(8);
    expect(readImageHeader(png)).toMatchObject({ type: 'image/png', width: 131, height: 77 });
    const image = PhotonImage.new_from_byteslice(png);
    try {
      expect([image.get_width(), image.get_height()]).toEqual([131, 77]);
      expect(image.get_raw_pixels()).toEqual(rgba);
    } finally {
      image.free();
    }
    // The project's own streaming decoder reads the many IDAT chunks as one stream.
    expect((await decodePngReduced(png, 1))!.rgba).toEqual(rgba);
  });

  it('keeps a full-size picture smaller than its raw pixels', async () => {
    const rgba = paintScene(scene(512, 512));
    const png = await encodePngInBands({ width: 512, height: 512, rgba });
    expect(png.length).toBeLessThan(rgba.length / 2);
  });

  it('refuses pixels that do not match the stated size', async () => {
    await expect(encodePngInBands({ width: 4, height: 4, rgba: new Uint8Array(10) })).rejects.toThrow(/4×4/);
  });
});
