// Reading type and size from headers alone, for every accepted format.
import { PhotonImage } from '@cf-wasm/photon/node';
import { describe, expect, it } from 'vitest';
import { readImageHeader, sniffImageType } from '../../shared/imaging/header';
import { fitWithin } from '../../shared/imaging/limits';
import { avifHeader, gifHeader, jpegHeader, pngHeader, webpVp8xHeader } from '../fixtures/headers';

function realImage(width: number, height: number) {
  const pixels = new Uint8Array(width * height * 4).map((_, i) => (i % 4 === 3 ? 255 : (i * 7) % 256));
  const image = new PhotonImage(pixels, width, height);
  try {
    return { png: image.get_bytes(), jpeg: image.get_bytes_jpeg(80), webp: image.get_bytes_webp() };
  } finally {
    image.free();
  }
}

describe('reading image headers', () => {
  it('reads real PNG, JPEG and WebP files', () => {
    const { png, jpeg, webp } = realImage(37, 21);
    expect(readImageHeader(png)).toEqual({ type: 'image/png', width: 37, height: 21 });
    expect(readImageHeader(jpeg)).toEqual({ type: 'image/jpeg', width: 37, height: 21 });
    expect(readImageHeader(webp)).toEqual({ type: 'image/webp', width: 37, height: 21 });
  });

  it('reads sizes a decoder would choke on, from a few bytes', () => {
    expect(readImageHeader(pngHeader(20_000, 20_000))).toEqual({ type: 'image/png', width: 20_000, height: 20_000 });
    expect(readImageHeader(jpegHeader(9000, 7000))).toEqual({ type: 'image/jpeg', width: 9000, height: 7000 });
    expect(readImageHeader(webpVp8xHeader(16_383, 300))).toEqual({ type: 'image/webp', width: 16_383, height: 300 });
    expect(readImageHeader(gifHeader(640, 480))).toEqual({ type: 'image/gif', width: 640, height: 480 });
    expect(readImageHeader(avifHeader(4032, 3024))).toEqual({ type: 'image/avif', width: 4032, height: 3024 });
  });

  it('refuses what is not an image, or is cut short', () => {
    expect(sniffImageType(new TextEncoder().encode('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
    expect(readImageHeader(new TextEncoder().encode('%PDF-1.7'))).toBeNull();
    expect(readImageHeader(pngHeader(10, 10).subarray(0, 20))).toBeNull();
    expect(readImageHeader(new Uint8Array([0xff, 0xd8, 0xff, 0xda, 0, 4, 0, 0]))).toBeNull();
    expect(readImageHeader(pngHeader(0, 10))).toBeNull();
  });
});

describe('fitting within a box', () => {
  it('scales the longest side down and never up', () => {
    expect(fitWithin(4000, 2000, 1024)).toEqual({ width: 1024, height: 512 });
    expect(fitWithin(300, 900, 256)).toEqual({ width: 85, height: 256 });
    expect(fitWithin(100, 50, 1024)).toEqual({ width: 100, height: 50 });
  });
});
