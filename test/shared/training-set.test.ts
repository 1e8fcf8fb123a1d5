// Judging a training set before any credit is spent: near-duplicates by perceptual hash (the
// same picture re-encoded, resized or lightly edited), the size rules, descriptions and variety.
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { hashDistance, judgeSet, NEAR_DUPLICATE_BITS, perceptualHash, refusalOf, type TrainingCandidate, warningsOf } from '../../shared/styles/training-set';
import { promptComponents } from '../../shared/style/prompt';
import { paintScene } from '../../shared/style/render';

const side = 640;
const picture = (seed: number, prompt = 'a harbour at dusk, warm cinematic') => ({ width: side, height: side, rgba: paintScene({ width: side, height: side, seed, components: promptComponents(prompt) }) });

async function through(image: { width: number; height: number; rgba: Uint8Array }, work: (s: ReturnType<typeof sharp>) => ReturnType<typeof sharp>) {
  const { data, info } = await work(sharp(Buffer.from(image.rgba), { raw: { width: image.width, height: image.height, channels: 4 } }))
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, rgba: new Uint8Array(data) };
}

const candidate = (imageId: string, hash: string, extra: Partial<TrainingCandidate> = {}): TrainingCandidate => ({ imageId, width: 1200, height: 1200, sha256: imageId, hash, description: 'a harbour', ...extra });

describe('a perceptual hash', () => {
  it('moves few bits for the same picture re-encoded, resized or lightly edited, and about half for another picture', async () => {
    const original = picture(1);
    const hash = perceptualHash(original);
    const jpeg = await through(original, (s) => s.jpeg({ quality: 60 }).pipe(sharp()));
    const smaller = await through(original, (s) => s.resize(300, 300));
    const edited = { ...original, rgba: original.rgba.slice() };
    for (let i = 0; i < 200; i++) edited.rgba.set([255, 0, 0], ((i * 7919) % (side * side)) * 4);
    for (const same of [jpeg, smaller, edited]) expect(hashDistance(hash, perceptualHash(same))).toBeLessThanOrEqual(NEAR_DUPLICATE_BITS);
    const others = [picture(2, 'a forest in fog, cold blue'), picture(3, 'a neon street at night, magenta'), picture(4, 'a desert noon, high contrast')];
    for (const other of others) expect(hashDistance(hash, perceptualHash(other))).toBeGreaterThan(NEAR_DUPLICATE_BITS * 2);
  });

  it('counts differing bits', () => {
    expect(hashDistance('0000000000000000', '0000000000000000')).toBe(0);
    expect(hashDistance('ffffffffffffffff', '0000000000000000')).toBe(64);
    expect(hashDistance('0100000000000080', '0000000000000000')).toBe(2);
  });
});

describe('joining a set', () => {
  it('refuses in words: too small, the same image twice, a near-duplicate, a full set', () => {
    const set = [candidate('a', '00000000ffffffff'), candidate('b', 'ffffffff00000000')];
    expect(refusalOf(candidate('c', '0f0f0f0f0f0f0f0f', { width: 800, height: 400 }), set)).toMatch(/800×400; training images need at least 512 px on the short side/);
    expect(refusalOf(candidate('c', '0f0f0f0f0f0f0f0f', { sha256: 'a' }), set)).toBe('This image is already in the set.');
    expect(refusalOf(candidate('c', '00000000fffffff0'), set)).toMatch(/nearly the same as image 1/);
    expect(refusalOf(candidate('c', '0f0f0f0f0f0f0f0f'), set)).toBeNull();
    // The image itself (a description changed) is not its own duplicate.
    expect(refusalOf(candidate('a', '00000000ffffffff'), set)).toBeNull();
    const full = Array.from({ length: 50 }, (_, i) => candidate(`i${i}`, '0000000000000000'));
    expect(refusalOf(candidate('c', 'ffffffffffffffff'), full)).toBe('A set holds at most 50 images.');
    expect(refusalOf(candidate('c', 'ffffffffffffffff'), full.slice(1))).toBeNull();
  });

  it('warns of images under 1024 px', () => {
    expect(warningsOf(candidate('a', '0', { width: 900, height: 1400 }))[0]).toMatch(/Under 1024 px on the short side \(900×1400\)/);
    expect(warningsOf(candidate('a', '0'))).toEqual([]);
  });
});

describe('a whole set', () => {
  const varied = ['0000000000000000', 'ffffffffffffffff', '00000000ffffffff', 'ffffffff00000000', '0f0f0f0f0f0f0f0f'];
  it('is ready with 5 to 50 described images', () => {
    expect(judgeSet(varied.map((h, i) => candidate(`${i}`, h)))).toEqual({ ready: true, problems: [], warnings: [] });
  });

  it('says what keeps it from training: too few, too many, undescribed', () => {
    expect(judgeSet(varied.slice(0, 4).map((h, i) => candidate(`${i}`, h))).problems).toEqual(['A set needs at least 5 images; it has 4.']);
    expect(judgeSet(Array.from({ length: 51 }, (_, i) => candidate(`${i}`, varied[i % 5]!))).problems).toEqual(['A set holds at most 50 images; it has 51.']);
    const two = varied.map((h, i) => candidate(`${i}`, h, { description: i < 2 ? '  ' : 'a harbour' }));
    expect(judgeSet(two)).toMatchObject({ ready: false, problems: ['2 images need a short description.'] });
  });

  it('warns when the images look much alike', () => {
    const alike = ['0000000000000000', '000000000000000f', '00000000000f0000', '0000000f00000000', '000f000000000000'];
    expect(judgeSet(alike.map((h, i) => candidate(`${i}`, h))).warnings[0]).toMatch(/look much alike/);
  });
});
