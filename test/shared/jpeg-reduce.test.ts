// Scaled JPEG decoding against libjpeg (through sharp): every way a JPEG is coded that the
// web serves (baseline and progressive, 4:2:0 and 4:4:4, grey, restart intervals, mozjpeg's
// scan script) decodes at 1/2, 1/4 and 1/8 to what averaging libjpeg's full decode gives;
// what it leaves to a whole decoder returns null; damaged data is refused, never looped on.
import { readFileSync } from 'node:fs';
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { DamagedJpeg, decodeJpegReduced, type JpegScale, jpegScaleFor } from '../../shared/imaging/jpeg-reduce';

const fixture = (name: string) => new Uint8Array(readFileSync(new URL(`../fixtures/jpeg/${name}`, import.meta.url)));

/** Rings, a disc and stripes over gradients: edges and smooth areas, at an awkward size. */
function painting(width: number, height: number): Buffer {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const o = (y * width + x) * 3;
      const d = Math.hypot(x - width * 0.4, y - height * 0.45);
      raw[o] = d < height * 0.3 ? 230 : Math.round((x * 255) / width);
      raw[o + 1] = d < height * 0.3 ? 40 : Math.round((y * 255) / height);
      raw[o + 2] = Math.round(128 + 100 * Math.sin(d / 9));
    }
  }
  return raw;
}

/** libjpeg's full decode, averaged over scale×scale blocks (the last ones over what is there). */
async function reference(jpeg: Uint8Array, scale: number) {
  const { data, info } = await sharp(jpeg).removeAlpha().toColourspace('srgb').raw().toBuffer({ resolveWithObject: true });
  const width = Math.ceil(info.width / scale);
  const height = Math.ceil(info.height / scale);
  const out = new Float64Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sums = new Float64Array(3);
      let count = 0;
      for (let sy = y * scale; sy < Math.min(info.height, (y + 1) * scale); sy++) {
        for (let sx = x * scale; sx < Math.min(info.width, (x + 1) * scale); sx++, count++) {
          for (let c = 0; c < 3; c++) sums[c]! += data[(sy * info.width + sx) * info.channels + c]!;
        }
      }
      for (let c = 0; c < 3; c++) out[(y * width + x) * 3 + c] = sums[c]! / count;
    }
  }
  return { width, height, rgb: out };
}

/** Mean absolute difference per channel value between our decode and the reference. */
async function difference(jpeg: Uint8Array, scale: JpegScale) {
  const ours = await decodeJpegReduced(jpeg, scale);
  expect(ours).not.toBeNull();
  const theirs = await reference(jpeg, scale);
  expect({ width: ours!.width, height: ours!.height }).toEqual({ width: theirs.width, height: theirs.height });
  let total = 0;
  for (let i = 0; i < theirs.width * theirs.height; i++) {
    for (let c = 0; c < 3; c++) total += Math.abs(ours!.rgba[i * 4 + c]! - theirs.rgb[i * 3 + c]!);
    expect(ours!.rgba[i * 4 + 3]).toBe(255);
  }
  return total / (theirs.width * theirs.height * 3);
}

const encodings: [string, (s: Sharp) => Sharp][] = [
  ['baseline 4:2:0', (s) => s.jpeg({ quality: 85 })],
  ['baseline 4:4:4', (s) => s.jpeg({ quality: 92, chromaSubsampling: '4:4:4' })],
  ['progressive (libjpeg’s scan script, with refinement scans)', (s) => s.jpeg({ quality: 85, progressive: true })],
  ['mozjpeg (its own progressive script, trellis quantization)', (s) => s.jpeg({ quality: 80, mozjpeg: true })],
  ['optimized Huffman tables', (s) => s.jpeg({ quality: 75, optimiseCoding: true })],
  ['grey, one component', (s) => s.grayscale().jpeg({ quality: 85 })],
];

describe('decodeJpegReduced', () => {
  for (const [name, encode] of encodings) {
    it(`${name}: 1/2, 1/4 and 1/8 match libjpeg averaged`, async () => {
      const jpeg = new Uint8Array(await encode(sharp(painting(437, 291), { raw: { width: 437, height: 291, channels: 3 } })).toBuffer());
      // The 1/8 decode is each block's mean; smaller scales are a truncated inverse DCT, close to an average.
      expect(await difference(jpeg, 8)).toBeLessThan(2.5);
      expect(await difference(jpeg, 4)).toBeLessThan(1.5);
      expect(await difference(jpeg, 2)).toBeLessThan(1.5);
    });
  }

  it('the same coefficients decode to the same pixels however they are coded (jpegtran: progressive, restart intervals)', async () => {
    // jpegtran recodes losslessly: every file here holds baseline.jpg's very coefficients.
    for (const scale of [2, 4, 8] as const) {
      const baseline = await decodeJpegReduced(fixture('baseline.jpg'), scale);
      for (const name of ['restart.jpg', 'progressive.jpg', 'progressive-restart.jpg']) {
        const recoded = await decodeJpegReduced(fixture(name), scale);
        expect(recoded!.rgba, `${name} at 1/${scale}`).toEqual(baseline!.rgba);
      }
    }
    expect(await difference(fixture('baseline.jpg'), 8)).toBeLessThan(2.5);
  });

  it('leaves arithmetic-coded and CMYK files to a whole decoder', async () => {
    expect(await decodeJpegReduced(fixture('arithmetic.jpg'), 2)).toBeNull();
    const cmyk = await sharp(painting(64, 64), { raw: { width: 64, height: 64, channels: 3 } }).toColourspace('cmyk').jpeg().toBuffer();
    expect(await decodeJpegReduced(new Uint8Array(cmyk), 2)).toBeNull();
    expect(await decodeJpegReduced(new Uint8Array([0x89, 0x50, 0x4e, 0x47]), 2)).toBeNull();
  });

  it('refuses a file cut short, in its header or its image data', async () => {
    const jpeg = new Uint8Array(await sharp(painting(300, 200), { raw: { width: 300, height: 200, channels: 3 } }).jpeg({ quality: 90 }).toBuffer());
    await expect(decodeJpegReduced(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)), 8)).rejects.toThrow(DamagedJpeg);
    await expect(decodeJpegReduced(jpeg.subarray(0, 300), 8)).rejects.toThrow(DamagedJpeg);
    const progressive = new Uint8Array(await sharp(painting(300, 200), { raw: { width: 300, height: 200, channels: 3 } }).jpeg({ progressive: true }).toBuffer());
    // Only the first scans: the DC scan is whole, a later scan is cut.
    await expect(decodeJpegReduced(progressive.subarray(0, Math.floor(progressive.length * 0.5)), 2)).rejects.toThrow(DamagedJpeg);
  });

  it('garbled image data is refused or decoded, never anything else and never endless', async () => {
    const jpeg = new Uint8Array(await sharp(painting(160, 120), { raw: { width: 160, height: 120, channels: 3 } }).jpeg({ progressive: true }).toBuffer());
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 60; trial++) {
      const copy = jpeg.slice();
      for (let flips = 0; flips < 8; flips++) copy[Math.floor(200 + random() * (copy.length - 200))] = Math.floor(random() * 256);
      const outcome = await decodeJpegReduced(copy, ([2, 4, 8] as const)[trial % 3]!).then(
        (raster) => (raster ? 'decoded' : 'left'),
        (error: unknown) => (error instanceof DamagedJpeg ? 'refused' : error),
      );
      expect(['decoded', 'left', 'refused']).toContain(outcome);
    }
  });

  it('a 6000×4000 photo at 1/8 keeps only what the picture needs', async () => {
    const jpeg = new Uint8Array(await sharp({ create: { width: 6000, height: 4000, channels: 3, background: { r: 90, g: 140, b: 200 } } }).jpeg({ quality: 90 }).toBuffer());
    const raster = await decodeJpegReduced(jpeg, 8);
    expect(raster).toMatchObject({ width: 750, height: 500 });
    expect(Array.from(raster!.rgba.subarray(0, 3)).map((v) => Math.round(v / 4))).toEqual([90, 140, 200].map((v) => Math.round(v / 4)));
  });
});

describe('jpegScaleFor', () => {
  it('is the largest scale still at least the size asked for', () => {
    expect(jpegScaleFor({ width: 6000, height: 4000 }, { width: 256, height: 171 })).toBe(8);
    expect(jpegScaleFor({ width: 6000, height: 4000 }, { width: 1024, height: 683 })).toBe(4);
    expect(jpegScaleFor({ width: 3000, height: 2000 }, { width: 1024, height: 683 })).toBe(2);
    expect(jpegScaleFor({ width: 1500, height: 1000 }, { width: 1024, height: 683 })).toBe(1);
  });
});
