// The preview watermark cannot be solved away: an attacker who knows the algorithm but not the
// server's key estimates the mark from many previews of one Style and inverts it, and gains at
// most 2 dB; the same attack against the old fixed mark gains far more, so the test can fail.
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { sha256Hex } from '../../edge/domain/auth/secrets';
import { markOf, watermarkSecret } from '../../edge/domain/watermark';
import { markedSide } from '../../shared/imaging/limits';
import { applyWatermark, FIXED_MARK, MARK_KEY_BYTES, markOverlay, markParams } from '../../shared/imaging/watermark';
import { alignedAttack, blindAttack, decodeJpeg, oracleAttack, renderer, type Sample, samples, score, styleOriginals } from './watermark-attack';

// The renderer module loads photon's Worker build; Node runs the same code from its own build.
vi.mock('@cf-wasm/photon/workerd', async () => import('@cf-wasm/photon/node'));

const secret = watermarkSecret({ AUTH_SECRET: 'test-secret-that-is-long-enough-to-sign-tokens' });
const IMAGES = 32;
const SIDE = 512;

describe('the preview watermark against an attacker without the key', () => {
  let originals: Uint8Array[];
  let keyed: Sample[];
  let fixed: Sample[];

  beforeAll(async () => {
    originals = await styleOriginals(IMAGES, SIDE);
    // Each image gets its mark as the server gives it: from its SHA-256 under the secret.
    const marks = await Promise.all(originals.map(async (png) => markOf(secret, await sha256Hex(png))));
    keyed = await samples(originals, marks, 1024);
    fixed = await samples(originals, originals.map(() => FIXED_MARK), 1024);
  }, 240_000);

  it('the old fixed mark is solved away by the attack (so the attack is real)', () => {
    const result = score(fixed, blindAttack(fixed.map((s) => s.preview), 0));
    expect(result.gain).toBeGreaterThan(8);
  }, 60_000);

  it('stacking many previews of one Style gains at most 2 dB over the marked preview', () => {
    const result = score(keyed, blindAttack(keyed.map((s) => s.preview), keyed[0]!.mark.grain));
    expect(result.gain).toBeLessThanOrEqual(2);
  }, 60_000);

  it('told each preview\'s exact offset, scale and rotation, the attack still gains at most 2 dB', () => {
    const result = score(keyed, alignedAttack(keyed.map((s) => s.preview), keyed.map((s) => s.mark), keyed[0]!.mark.grain));
    expect(result.gain).toBeLessThanOrEqual(2);
  }, 60_000);

  it('even the mark\'s exact opacity and colour do not give back what its strokes covered', () => {
    expect(score(keyed, oracleAttack(keyed.map((s) => s.preview), keyed.map((s) => s.mark))).gain).toBeLessThanOrEqual(2);
    // Without the grain, the same exact knowledge would restore the picture.
    expect(score(fixed, oracleAttack(fixed.map((s) => s.preview), fixed.map((s) => s.mark))).gain).toBeGreaterThan(8);
  }, 60_000);

  it('a locked preview never carries the original\'s full resolution', async () => {
    expect(markedSide(1024, 1024, 1024)).toBe(768);
    expect(markedSide(4096, 2048, 1024)).toBe(1024);
    expect(markedSide(200, 100, 256)).toBe(150);
    const big = await renderer.encodePng({ width: 1024, height: 640, rgba: new Uint8Array(1024 * 640 * 4).fill(128) });
    const marked = await renderer.rendition(big, 1024, keyed[0]!.mark);
    expect([marked.width, marked.height]).toEqual([768, 480]);
    expect(decodeJpeg(marked.bytes).width).toBe(768);
    // A free image's preview stays as large as the preview size allows.
    expect((await renderer.rendition(big, 1024)).width).toBe(1024);
    expect(keyed[0]!.preview.width).toBe(SIDE * 0.75);
  }, 60_000);

  it('gives the same image the same mark every time, and two images different marks', async () => {
    const sha = await sha256Hex(originals[0]!);
    expect(await markOf(secret, sha)).toEqual(await markOf(secret, sha));
    const again = await renderer.rendition(originals[0]!, 1024, await markOf(secret, sha));
    expect(again.bytes).toEqual((await renderer.rendition(originals[0]!, 1024, keyed[0]!.mark)).bytes);
    // Another image, or another secret: the mark lies elsewhere.
    const other = await markOf(secret, await sha256Hex(originals[1]!));
    const otherSecret = await markOf(`${secret}-rotated`, sha);
    const covered = (mark: typeof other) => markOverlay(384, 384, mark).rgba.filter((_, i) => i % 4 === 3).map((a) => (a > 60 ? 1 : 0));
    const overlap = (a: Uint8Array, b: Uint8Array) => a.reduce((n, v, i) => n + (v & b[i]!), 0) / Math.max(1, a.reduce((n, v) => n + v, 0));
    const mine = covered(keyed[0]!.mark);
    expect(overlap(mine, covered(other))).toBeLessThan(0.5);
    expect(overlap(mine, covered(otherSecret))).toBeLessThan(0.5);
    expect(overlap(mine, covered(keyed[0]!.mark))).toBe(1);
  }, 60_000);

  it('draws the same mark in place as the Images binding lays over the picture', () => {
    // The WASM path draws into the pixels; the binding path composites markOverlay's RGBA.
    for (const mark of [keyed[0]!.mark, keyed[1]!.mark, FIXED_MARK]) {
      const picture = keyed[0]!.original;
      const drawn = applyWatermark({ ...picture, rgba: picture.rgba.slice() }, mark).rgba;
      const overlay = markOverlay(picture.width, picture.height, mark).rgba;
      const laid = picture.rgba.slice();
      for (let i = 0; i < laid.length; i += 4) {
        const alpha = overlay[i + 3]! / 255;
        for (let c = 0; c < 3; c++) laid[i + c] = Math.round(laid[i + c]! + (overlay[i + c]! - laid[i + c]!) * alpha);
      }
      const differing = (a: Uint8Array, b: Uint8Array) => a.reduce((n, v, i) => n + (v === b[i] ? 0 : 1), 0);
      expect(differing(drawn, laid)).toBe(0);
      expect(differing(drawn, picture.rgba)).toBeGreaterThan(drawn.length / 20);
    }
  }, 60_000);

  it('spends every byte of its key: each one moves the mark or changes its grain', () => {
    const key = new Uint8Array(MARK_KEY_BYTES).map((_, i) => (i * 37 + 11) & 255);
    const base = markParams(key);
    for (let i = 0; i < MARK_KEY_BYTES; i++) {
      const changed = key.slice();
      changed[i] = changed[i]! ^ 0x80;
      expect(markParams(changed), `byte ${i}`).not.toEqual(base);
    }
    expect(() => markParams(key.subarray(0, 32))).toThrow(/at least 42 bytes/);
    // The grain at the same pixels differs from image to image.
    const grainOf = (mark: typeof base) => markOverlay(256, 256, { ...mark, offsetX: 0, offsetY: 0, scale: 1, rotation: 0, warp: FIXED_MARK.warp });
    const other = key.slice();
    other[MARK_KEY_BYTES - 1] = other[MARK_KEY_BYTES - 1]! ^ 1;
    const a = grainOf(base).rgba;
    const b = grainOf(markParams(other)).rgba;
    let differ = 0;
    let strokes = 0;
    for (let i = 0; i < a.length; i += 4) if (a[i + 3]! > 100) (strokes++, a[i] !== b[i] && differ++);
    expect(differ / strokes).toBeGreaterThan(0.9);
  });
});
