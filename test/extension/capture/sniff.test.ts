// Fetched bytes are typed by what they are, not by what the server calls them.
import { describe, expect, it } from 'vitest';
import { sniffImage } from '../../../extension/capture/sniff';
import { createPng } from '../../fakes/png';

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));
const bytes = (...parts: (number[] | Uint8Array)[]) => Uint8Array.from(parts.flatMap((part) => [...part]));

describe('bytes read by their magic numbers', () => {
  it('a PNG is a PNG with its header size, whatever it was sent as', () => {
    expect(sniffImage(createPng(300, 200, [1, 2, 3]))).toEqual({ contentType: 'image/png', size: { width: 300, height: 200 } });
  });

  it('a JPEG, a GIF, a WebP and an AVIF are each known by their first bytes', () => {
    // SOI, then a baseline frame header: 8-bit, 120 high, 160 wide.
    const jpeg = bytes([0xff, 0xd8, 0xff, 0xc0, 0x00, 0x11, 0x08, 0x00, 0x78, 0x00, 0xa0, 0x03], new Uint8Array(12));
    expect(sniffImage(jpeg)).toEqual({ contentType: 'image/jpeg', size: { width: 160, height: 120 } });
    expect(sniffImage(bytes(ascii('GIF89a'), [0x40, 0x01, 0xc8, 0x00, 0, 0, 0]))).toEqual({ contentType: 'image/gif', size: { width: 320, height: 200 } });
    // VP8X: canvas width and height minus one, 24 bits each.
    const webp = bytes(ascii('RIFF'), [0, 0, 0, 0], ascii('WEBPVP8X'), [10, 0, 0, 0, 0, 0, 0, 0], [0x7f, 0x02, 0x00, 0xdf, 0x01, 0x00]);
    expect(sniffImage(webp)).toEqual({ contentType: 'image/webp', size: { width: 640, height: 480 } });
    const avif = bytes([0, 0, 0, 20], ascii('ftypavif'), [0, 0, 0, 0], ascii('mif1'));
    expect(sniffImage(avif)).toEqual({ contentType: 'image/avif', size: null });
  });

  it('SVG, HTML, text and a HEIC photo are no image the upload takes', () => {
    expect(sniffImage(ascii('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'))).toBeNull();
    expect(sniffImage(ascii('<!doctype html><title>Not found</title>'))).toBeNull();
    expect(sniffImage(ascii('no hotlinking'))).toBeNull();
    expect(sniffImage(bytes([0, 0, 0, 20], ascii('ftypheic'), [0, 0, 0, 0], ascii('mif1')))).toBeNull();
    expect(sniffImage(new Uint8Array(0))).toBeNull();
  });

  it('a PNG cut short after its signature is still a PNG, of a size nobody can state', () => {
    expect(sniffImage(createPng(8, 8, [0, 0, 0]).subarray(0, 10))).toEqual({ contentType: 'image/png', size: null });
  });
});
