// An AVIF's structure judged without an AV1 decoder: a real file is whole; cut short, or with
// offsets pointing outside itself, or without a size, it is damaged.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { avifFault } from '../../shared/imaging/avif';
import { readImageHeader } from '../../shared/imaging/header';
import { avif40x30 } from '../fixtures/avif';

const ascii = (text: string) => [...text].map((c) => c.charCodeAt(0));
const be16 = (n: number) => [(n >>> 8) & 255, n & 255];
const be32 = (n: number) => [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
const box = (type: string, ...body: number[][]) => [...be32(8 + body.flat().length), ...ascii(type), ...body.flat()];
const full = (type: string, version: number, ...body: number[][]) => box(type, [version, 0, 0, 0], ...body);

/** Where a box's header starts in `bytes` (its first occurrence). */
function boxAt(bytes: Uint8Array, type: string): number {
  const at = Buffer.from(bytes).indexOf(type, 0, 'latin1');
  if (at < 4) throw new Error(`no ${type} box`);
  return at - 4;
}

/**
 * Where the fixture's iloc (version 0; 4-byte offsets, lengths and base offset; one item with
 * one extent) keeps each field, from the start of its body.
 */
const ILOC = { dataReference: 10, baseOffset: 12, extentLength: 22 };

function writeBe32(bytes: Uint8Array, at: number, value: number) {
  bytes.set(be32(value), at);
}

/** Real AVIF files, as libheif writes them: with and without alpha, lossy and lossless. */
async function encoded(width: number, height: number, options: { alpha?: boolean; lossless?: boolean } = {}) {
  const channels = options.alpha ? 4 : 3;
  const raw = Buffer.alloc(width * height * channels).map((_, i) => (i * 7) % 251);
  return new Uint8Array(await sharp(raw, { raw: { width, height, channels } }).avif({ lossless: options.lossless ?? false }).toBuffer());
}

/**
 * A hand-built AVIF whose primary item's data lies in meta's idat (iloc version 1,
 * construction method 1), as a grid's description does; `data` the idat's bytes.
 */
function withIdat(extentLength: number, data = [1, 2, 3, 4, 5, 6, 7, 8]) {
  const iloc = full('iloc', 1, [0x44, 0x00], be16(1), be16(1), be16(1), be16(0), be16(1), be32(0), be32(extentLength));
  const infe = full('infe', 2, be16(1), be16(0), ascii('grid'), [0]);
  const ipco = box('ipco', full('ispe', 0, be32(640), be32(480)));
  const ipma = full('ipma', 0, be32(1), be16(1), [1, 0x81]);
  const meta = full('meta', 0, full('hdlr', 0, be32(0), ascii('pict'), be32(0), be32(0), be32(0), [0]), full('pitm', 0, be16(1)), iloc, full('iinf', 0, be16(1), infe), box('iprp', ipco, ipma), box('idat', data));
  return new Uint8Array([...box('ftyp', ascii('avif'), be32(0), ascii('mif1'), ascii('miaf')), ...meta]);
}

describe('an AVIF whose structure is whole', () => {
  it('is every file libheif writes: small, large, with alpha, lossless', async () => {
    for (const file of [await encoded(64, 48), await encoded(480, 320), await encoded(64, 48, { alpha: true }), await encoded(33, 17, { lossless: true })]) {
      expect(readImageHeader(file)?.type).toBe('image/avif');
      expect(avifFault(file)).toBeNull();
    }
  }, 30_000);

  it('is the fixture the workerd tests upload, a real AVIF a decoder reads', async () => {
    const file = avif40x30();
    expect(avifFault(file)).toBeNull();
    const { info } = await sharp(file).raw().toBuffer({ resolveWithObject: true });
    expect([info.width, info.height]).toEqual([40, 30]);
  });

  it('may keep an item in meta (idat) rather than mdat, and write a box with a 64-bit size', () => {
    expect(avifFault(withIdat(8))).toBeNull();
    const file = avif40x30();
    const mdat = boxAt(file, 'mdat');
    const size = file.length - mdat;
    // The same mdat, with size 1 and its real size in the 8 bytes after the type.
    const large = new Uint8Array([...file.subarray(0, mdat), ...be32(1), ...ascii('mdat'), ...be32(0), ...be32(size + 8), ...file.subarray(mdat + 8)]);
    const iloc = boxAt(large, 'iloc');
    writeBe32(large, iloc + 8 + ILOC.baseOffset, 8 + new DataView(large.buffer).getUint32(iloc + 8 + ILOC.baseOffset)); // the data moved 8 bytes on
    expect(avifFault(large)).toBeNull();
  });
});

describe('a damaged AVIF', () => {
  it('cut short anywhere is refused', () => {
    const file = avif40x30();
    for (let cut = 12; cut < file.length; cut++) {
      expect(avifFault(file.subarray(0, cut)), `cut at ${cut} of ${file.length}`).not.toBeNull();
    }
    expect(avifFault(file.subarray(0, file.length - 1))).toMatch(/mdat box runs past the end of the file/);
  });

  it('whose item data is said to lie past the end of the file is refused', () => {
    const file = avif40x30();
    const iloc = boxAt(file, 'iloc') + 8;
    const offset = file.slice();
    writeBe32(offset, iloc + ILOC.baseOffset, 0x0001_0000); // far past the file
    expect(avifFault(offset)).toMatch(/item 1's data lies outside the file/);
    const length = file.slice();
    writeBe32(length, iloc + ILOC.extentLength, 1000);
    expect(avifFault(length)).toMatch(/outside the file/);
  });

  it('whose boxes do not nest is refused', () => {
    const file = avif40x30();
    const grown = file.slice();
    writeBe32(grown, boxAt(file, 'iloc'), 0x7fff_ffff);
    expect(avifFault(grown)).toMatch(/iloc box runs past the end of meta/);
    const shrunk = file.slice();
    writeBe32(shrunk, boxAt(file, 'meta'), 4);
    expect(avifFault(shrunk)).toMatch(/smaller than its own header/);
  });

  it('whose primary item has no size, or is not there, is refused', () => {
    const file = avif40x30();
    const noSize = file.slice();
    noSize.set(ascii('ispf'), boxAt(file, 'ispe') + 4);
    expect(avifFault(noSize)).toMatch(/no size/);
    const elsewhere = file.slice();
    elsewhere.set(be16(7), boxAt(file, 'pitm') + 12);
    expect(avifFault(elsewhere)).toMatch(/primary item 7 is not described/);
  });

  it('whose data is in another file, or in an idat it does not have room in, is refused', () => {
    const file = avif40x30();
    const external = file.slice();
    external.set(be16(1), boxAt(file, 'iloc') + 8 + ILOC.dataReference);
    expect(avifFault(external)).toMatch(/in another file/);
    expect(avifFault(withIdat(9))).toMatch(/outside idat/);
  });
});
