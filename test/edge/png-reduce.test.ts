// Decoding PNG at reduced scale: exact at full size, a true block average when reduced.
import { PhotonImage } from '@cf-wasm/photon/workerd';
import { zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { checkPngData, decodePngReduced } from '../../edge/imaging/png-reduce';
import { DamagedImage } from '../../edge/imaging/renderer';
import { concatBytes } from '../../shared/encoding';
import { halve } from '../../shared/imaging/downscale';
import { encodePngInBands } from '../../shared/imaging/png-encode';
import { paintScene } from '../../shared/style/render';
import { promptComponents } from '../../shared/style/prompt';
import { createPng } from '../fakes/png';
import { pngWithData, zerosBomb } from '../fixtures/damaged';
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

describe('a PNG whose data does not match its header', () => {
  it('refuses a decompression bomb after inflating no more than the rows need, in milliseconds', async () => {
    const { zlib, inflated } = zerosBomb(8 * 1024 * 1024);
    expect(inflated).toBeGreaterThan(1_000_000_000);
    const bomb = pngWithData(1000, 1000, zlib); // the rows need 4 MB
    const started = performance.now();
    await expect(decodePngReduced(bomb, 4)).rejects.toBeInstanceOf(DamagedImage);
    await expect(checkPngData(bomb)).rejects.toThrow(DamagedImage);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('refuses data that ends before the last row, and accepts data that ends exactly there', async () => {
    const { png } = photonPng(64, 40);
    expect(await checkPngData(png)).toBe(true);
    const { zlib } = zerosBomb(64);
    await expect(decodePngReduced(pngWithData(64, 40, zlib.subarray(0, 20)), 2)).rejects.toBeInstanceOf(DamagedImage);
  });

  it('refuses data whose checksum is wrong, and ignores bytes after the end of the data', async () => {
    const rows = zlibSync(new Uint8Array(8 * (1 + 8 * 4)));
    expect(await checkPngData(pngWithData(8, 8, rows))).toBe(true);
    expect(await checkPngData(pngWithData(8, 8, concatBytes([rows, new Uint8Array([1, 2, 3])])))).toBe(true);
    const wrongSum = rows.slice();
    wrongSum[wrongSum.length - 1]! ^= 1;
    await expect(checkPngData(pngWithData(8, 8, wrongSum))).rejects.toBeInstanceOf(DamagedImage);
  });
});

describe('sharing the thread while a large PNG is read', () => {
  it('lets waiting timers run several times while a 1024² picture (4 MB of rows) is inflated', async () => {
    const side = 1024;
    const rgba = paintScene({ width: side, height: side, seed: 5, components: promptComponents('a lighthouse on a cliff') });
    const png = await encodePngInBands({ width: side, height: side, rgba });
    let turns = 0;
    let reading = true;
    const turn = () => {
      turns++;
      if (reading) setTimeout(turn, 0);
    };
    setTimeout(turn, 0);
    const decoding = decodePngReduced(png, 4);
    await decoding.finally(() => (reading = false));
    expect(await decoding).toMatchObject({ width: 256, height: 256 });
    expect(turns).toBeGreaterThanOrEqual(3);
  });
});
