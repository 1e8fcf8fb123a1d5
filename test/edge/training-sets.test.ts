// Training sets through HTTP: what would train badly is refused in words (unreadable, small,
// the same image twice, near-duplicates, a full set, images that are not yours or are locked),
// what is weak is warned of, and a set says whether it can train and what training costs.
import { PhotonImage } from '@cf-wasm/photon/workerd';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { trainingImages } from '../../edge/db/schema';
import { STYLE_TRAINING_CREDITS } from '../../shared/catalog/styles';
import { promptComponents } from '../../shared/style/prompt';
import { paintScene, seededRandom } from '../../shared/style/render';
import { db } from './db';
import { generate, waitForGeneration } from './generation-support';
import { call, env, expectProblem, grant, json, signIn } from './support';
import { storedImage } from './stored-image';

interface Picture {
  width: number;
  height: number;
  rgba: Uint8Array;
}

/**
 * A picture drawn to have a chosen perceptual hash: 9×8 blocks of grey (tinted), each row a walk
 * that steps brighter where the hash has a 1 and darker where it has a 0.
 */
function pictureWithHash(hash: string, side: number, tint: [number, number, number] = [0, 0, 0], height = side): Picture {
  const width = side;
  const levels: number[] = [];
  for (let row = 0; row < 8; row++) {
    const byte = parseInt(hash.slice(row * 2, row * 2 + 2), 16);
    let level = 128;
    levels.push(level);
    for (let bit = 7; bit >= 0; bit--) levels.push((level += (byte >> bit) & 1 ? 11 : -11));
  }
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    const row = Math.floor((y * 8) / height);
    for (let x = 0; x < width; x++) {
      const v = levels[row * 9 + Math.floor((x * 9) / width)]!;
      rgba.set([v + tint[0], v + tint[1], v + tint[2], 255], (y * width + x) * 4);
    }
  }
  return { width, height, rgba };
}

/** Hashes far apart from each other (random 64-bit values: about 32 bits apart). */
function variedHashes(count: number, seed: number): string[] {
  const random = seededRandom(seed);
  return Array.from({ length: count }, () => Array.from({ length: 8 }, () => Math.floor(random() * 256).toString(16).padStart(2, '0')).join(''));
}

const scene = (side: number, seed: number, prompt = 'a harbour at dusk, warm cinematic'): Picture => ({
  width: side,
  height: side,
  rgba: paintScene({ width: side, height: side, seed, components: promptComponents(prompt) }),
});

function encoded(picture: Picture, format: 'png' | 'jpeg'): Uint8Array<ArrayBuffer> {
  const image = new PhotonImage(picture.rgba, picture.width, picture.height);
  try {
    return (format === 'png' ? image.get_bytes() : image.get_bytes_jpeg(80)) as Uint8Array<ArrayBuffer>;
  } finally {
    image.free();
  }
}

async function upload(token: string, picture: Picture, format: 'png' | 'jpeg' = 'png'): Promise<string> {
  const response = await call('/v1/images', { method: 'POST', token, body: encoded(picture, format), headers: { 'content-type': `image/${format}` } });
  expect(response.status).toBe(201);
  return (await json(response)).id;
}

async function newSet(token: string, name = 'Harbour studies'): Promise<any> {
  const response = await call('/v1/training-sets', { method: 'POST', token, json: { name } });
  expect(response.status).toBe(201);
  return json(response);
}

const add = (token: string, setId: string, imageId: string, description = 'a harbour at dusk') =>
  call(`/v1/training-sets/${setId}/images`, { method: 'POST', token, json: { image_id: imageId, description } });

const getSet = async (token: string, setId: string) => json(await call(`/v1/training-sets/${setId}`, { token }));

async function refusal(response: Response): Promise<string> {
  const problem = await expectProblem(response, 422, 'validation_failed');
  expect(problem.errors).toEqual([{ path: 'image_id', message: problem.detail }]);
  return problem.detail;
}

describe('a new training set', () => {
  it('is empty, not ready, says why in words, and quotes what training costs', async () => {
    const me = await signIn();
    const set = await newSet(me.access_token, '  Harbour studies ');
    expect(set).toMatchObject({ id: expect.stringMatching(/^tst_/), name: 'Harbour studies', images: [], ready: false, training_cost: STYLE_TRAINING_CREDITS });
    expect(set.problems).toEqual(['A set needs at least 5 images; it has 0.']);
    expect(await getSet(me.access_token, set.id)).toEqual(set);
    await expectProblem(await call('/v1/training-sets', { method: 'POST', token: me.access_token, json: { name: '  ' } }), 422, 'validation_failed');
    await expectProblem(await call('/v1/training-sets', { method: 'POST', json: { name: 'x' } }), 401, 'unauthorized');
  });
});

describe('adding an image', () => {
  it('measures it once and answers with its warnings: under 1024 px warns, 1024 px does not', async () => {
    const me = await signIn();
    const set = await newSet(me.access_token);
    const [a, b] = variedHashes(2, 11);
    const small = await upload(me.access_token, pictureWithHash(a!, 640));
    const sharp = await upload(me.access_token, pictureWithHash(b!, 1024));
    const smallAdded = await add(me.access_token, set.id, small, '  harbour, boats  ');
    expect(smallAdded.status).toBe(201);
    expect(await json(smallAdded)).toEqual({
      image_id: small,
      description: 'harbour, boats',
      width: 640,
      height: 640,
      warnings: ['Under 1024 px on the short side (640×640): it may train softly.'],
    });
    const sharpAdded = await add(me.access_token, set.id, sharp);
    expect(sharpAdded.status).toBe(201);
    expect((await json(sharpAdded)).warnings).toEqual([]);
    const row = await db().select().from(trainingImages).where(eq(trainingImages.image_id, sharp)).get();
    expect(row).toMatchObject({ set_id: set.id, width: 1024, height: 1024, sha256: (await storedImage(sharp)).sha256, hash: b });
    const read = await getSet(me.access_token, set.id);
    expect(read.images.map((i: any) => i.image_id)).toEqual([small, sharp]); // oldest first
  });

  it('refuses an image under 512 px on the short side, in words', async () => {
    const me = await signIn();
    const set = await newSet(me.access_token);
    const id = await upload(me.access_token, pictureWithHash(variedHashes(1, 3)[0]!, 700, [0, 0, 0], 500));
    expect(await refusal(await add(me.access_token, set.id, id))).toBe('This image is 700×500; training images need at least 512 px on the short side.');
    expect((await getSet(me.access_token, set.id)).images).toEqual([]);
  });

  it('refuses a file that does not decode as unreadable', async () => {
    const me = await signIn();
    const set = await newSet(me.access_token);
    const picture = pictureWithHash(variedHashes(1, 5)[0]!, 640);
    const id = await upload(me.access_token, picture);
    // The stored original damaged after it was accepted (cut short, as a broken write leaves it).
    const { r2_key } = await storedImage(id);
    const bytes = encoded(picture, 'png');
    await env.IMAGES.put(r2_key, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(await refusal(await add(me.access_token, set.id, id))).toMatch(/^This image is unreadable: its file is damaged or incomplete/);
    expect((await getSet(me.access_token, set.id)).images).toEqual([]);
  });

  it('refuses the same image twice, also when it is added several times at once', async () => {
    const me = await signIn();
    const set = await newSet(me.access_token);
    const [a, b, c] = variedHashes(3, 7);
    const once = await upload(me.access_token, pictureWithHash(a!, 640));
    expect((await add(me.access_token, set.id, once)).status).toBe(201);
    expect(await refusal(await add(me.access_token, set.id, once))).toBe('This image is already in the set.');
    const other = await upload(me.access_token, pictureWithHash(b!, 640));
    const raced = await upload(me.access_token, pictureWithHash(c!, 640));
    // Another image leads the burst: the first request of a burst tends to finish before the
    // others start, and the copies of one image must meet in the same moment.
    const answers = await Promise.all([other, raced, raced, raced].map((id) => add(me.access_token, set.id, id)));
    expect(answers[0]!.status).toBe(201);
    expect(answers.slice(1).map((r) => r.status).sort()).toEqual([201, 422, 422]);
    for (const refused of answers.filter((r) => r.status === 422)) expect(await refusal(refused)).toBe('This image is already in the set.');
    // Which of the burst lands first is the race's; what lands is each image once.
    expect((await getSet(me.access_token, set.id)).images.map((i: any) => i.image_id).sort()).toEqual([once, other, raced].sort());
  });

  it('refuses a near-duplicate: the same picture re-encoded as JPEG, or with a few pixels changed', async () => {
    const me = await signIn();
    const set = await newSet(me.access_token);
    const picture = scene(640, 1);
    const original = await upload(me.access_token, picture);
    expect((await add(me.access_token, set.id, original)).status).toBe(201);
    const asJpeg = await upload(me.access_token, picture, 'jpeg');
    const edited = { ...picture, rgba: picture.rgba.slice() };
    for (let i = 0; i < 200; i++) edited.rgba.set([255, 0, 0], ((i * 7919) % (640 * 640)) * 4);
    const touched = await upload(me.access_token, edited);
    for (const id of [asJpeg, touched]) {
      expect(await refusal(await add(me.access_token, set.id, id))).toBe('This image is nearly the same as image 1 in the set (the same picture re-encoded, resized or lightly edited).');
    }
    // Another picture in the same style is not a duplicate.
    const other = await upload(me.access_token, scene(640, 2, 'a forest in fog, cold blue'));
    expect((await add(me.access_token, set.id, other)).status).toBe(201);
    expect((await getSet(me.access_token, set.id)).images.map((i: any) => i.image_id)).toEqual([original, other]);
  });

  it('lets only one of two near-duplicates added at once land', async () => {
    const me = await signIn();
    const picture = scene(640, 3, 'a neon street at night, magenta');
    const png = await upload(me.access_token, picture);
    const jpeg = await upload(me.access_token, picture, 'jpeg');
    const hashes = variedHashes(3, 71);
    for (const hash of hashes) {
      const set = await newSet(me.access_token);
      const other = await upload(me.access_token, pictureWithHash(hash, 640));
      // Another image leads the burst (see above), so the two near-duplicates meet.
      const answers = await Promise.all([other, png, jpeg].map((id) => add(me.access_token, set.id, id)));
      expect(answers[0]!.status).toBe(201);
      expect(answers.slice(1).map((r) => r.status).sort()).toEqual([201, 422]);
      expect(await refusal(answers.find((r) => r.status === 422)!)).toMatch(/nearly the same as image \d in the set/);
      expect((await getSet(me.access_token, set.id)).images).toHaveLength(2);
    }
  });

  it('holds at most 50 images, also when the last ones are added at once', { timeout: 180_000 }, async () => {
    const me = await signIn();
    const set = await newSet(me.access_token);
    const hashes = variedHashes(53, 50);
    const ids: string[] = [];
    for (const [i, hash] of hashes.entries()) ids.push(await upload(me.access_token, pictureWithHash(hash, 512, [i % 7, (i * 3) % 11, (i * 5) % 13])));
    for (const id of ids.slice(0, 46)) expect((await add(me.access_token, set.id, id)).status).toBe(201);
    // Six at once for the last four places: four land, two are refused.
    const answers = await Promise.all(ids.slice(46, 52).map((id) => add(me.access_token, set.id, id)));
    expect(answers.map((r) => r.status).sort()).toEqual([201, 201, 201, 201, 422, 422]);
    for (const refused of answers.filter((r) => r.status === 422)) expect(await refusal(refused)).toBe('A set holds at most 50 images.');
    expect(await refusal(await add(me.access_token, set.id, ids[52]!))).toBe('A set holds at most 50 images.');
    const full = await getSet(me.access_token, set.id);
    expect(full).toMatchObject({ ready: true, problems: [] });
    expect(full.images).toHaveLength(50);
  });

  it('refuses another user’s image as not found, and a locked image (unlicensed Style output) as not licensed', { timeout: 60_000 }, async () => {
    const me = await signIn();
    const stranger = await signIn();
    const set = await newSet(me.access_token);
    const theirs = await upload(stranger.access_token, pictureWithHash(variedHashes(1, 9)[0]!, 640));
    await expectProblem(await add(me.access_token, set.id, theirs), 404, 'not_found');

    expect((await call('/dev/seed', { method: 'POST', json: { email: me.email } })).status).toBe(200);
    await grant(me.email, 20);
    const { items } = await json(await call('/v1/models?kind=artist'));
    const style = items.find((m: any) => m.name === 'Dusk Harbour');
    const made = await waitForGeneration(me.access_token, (await json(await generate(me.access_token, { model_id: style.id, prompt: 'boats', batch: 1, resolution: 'hd', aspect_ratio: '1:1' }))).id);
    expect(made.images[0].policy).toMatchObject({ watermarked: true, downloadable: false });
    const problem = await expectProblem(await add(me.access_token, set.id, made.images[0].id), 403, 'not_licensed');
    expect(problem.errors).toEqual([{ path: 'image_id', message: 'License this image first' }]);
    expect((await getSet(me.access_token, set.id)).images).toEqual([]);
  });
});

describe('a whole set', () => {
  it('is ready with 5 described images; an undescribed one, or too few, keeps it from training', async () => {
    const me = await signIn();
    const set = await newSet(me.access_token);
    const ids: string[] = [];
    for (const hash of variedHashes(5, 21)) ids.push(await upload(me.access_token, pictureWithHash(hash, 1024)));
    for (const [i, id] of ids.entries()) expect((await add(me.access_token, set.id, id, i === 4 ? '' : `harbour study ${i}`)).status).toBe(201);
    let read = await getSet(me.access_token, set.id);
    expect(read).toMatchObject({ ready: false, problems: ['One image needs a short description.'], training_cost: STYLE_TRAINING_CREDITS });
    expect(read.images.every((i: any) => i.warnings.length === 0)).toBe(true); // 1024 px and varied

    const described = await call(`/v1/training-sets/${set.id}/images/${ids[4]}`, { method: 'PATCH', token: me.access_token, json: { description: '  gulls over the quay  ' } });
    expect(described.status).toBe(200);
    expect(await json(described)).toEqual({ image_id: ids[4], description: 'gulls over the quay', width: 1024, height: 1024, warnings: [] });
    read = await getSet(me.access_token, set.id);
    expect(read).toMatchObject({ ready: true, problems: [] });
    expect(read.updated_at >= read.created_at).toBe(true);
    const tooLong = await call(`/v1/training-sets/${set.id}/images/${ids[4]}`, { method: 'PATCH', token: me.access_token, json: { description: 'x'.repeat(301) } });
    expect((await expectProblem(tooLong, 422, 'validation_failed')).errors[0].message).toBe('Keep the description under 300 characters');
    expect((await getSet(me.access_token, set.id)).images[4].description).toBe('gulls over the quay');

    expect((await call(`/v1/training-sets/${set.id}/images/${ids[0]}`, { method: 'DELETE', token: me.access_token })).status).toBe(204);
    read = await getSet(me.access_token, set.id);
    expect(read).toMatchObject({ ready: false, problems: ['A set needs at least 5 images; it has 4.'] });
    expect(read.images.map((i: any) => i.image_id)).toEqual(ids.slice(1));
    expect((await call(`/v1/images/${ids[0]}`, { token: me.access_token })).status).toBe(200); // the image stays
    await expectProblem(await call(`/v1/training-sets/${set.id}/images/${ids[0]}`, { method: 'DELETE', token: me.access_token }), 404, 'not_found');
    await expectProblem(await call(`/v1/training-sets/${set.id}/images/${ids[0]}`, { method: 'PATCH', token: me.access_token, json: { description: 'x' } }), 404, 'not_found');
    // Taken out, it can come back.
    expect((await add(me.access_token, set.id, ids[0]!)).status).toBe(201);
    expect((await getSet(me.access_token, set.id)).ready).toBe(true);
  });

  it('warns on every image when the images look much alike (yet none is a near-duplicate)', async () => {
    const me = await signIn();
    const set = await newSet(me.access_token);
    // One picture five times, each with its own 4 of the 64 hash bits flipped: any two are 8 bits apart.
    const base = BigInt(`0x${variedHashes(1, 31)[0]}`);
    const hashes = [0, 1, 2, 3, 4].map((i) => (base ^ (0b1111n << BigInt(i * 4 + 3))).toString(16).padStart(16, '0'));
    for (const [i, hash] of hashes.entries()) {
      const added = await add(me.access_token, set.id, await upload(me.access_token, pictureWithHash(hash, 1024, [i, i, i])), `quay ${i}`);
      expect(added.status).toBe(201);
      if (i === 4) expect((await json(added)).warnings).toEqual([expect.stringMatching(/look much alike/)]);
    }
    const read = await getSet(me.access_token, set.id);
    expect(read).toMatchObject({ ready: true, problems: [] }); // a warning, not a refusal
    for (const image of read.images) expect(image.warnings).toEqual(['These images look much alike: a Style learns more from variety (other subjects, framings and light).']);
  });

  it('drops an upload the owner deletes (the set is not left naming a missing image)', async () => {
    const me = await signIn();
    const set = await newSet(me.access_token);
    const [a, b] = variedHashes(2, 81);
    const kept = await upload(me.access_token, pictureWithHash(a!, 640));
    const deleted = await upload(me.access_token, pictureWithHash(b!, 640));
    for (const id of [kept, deleted]) expect((await add(me.access_token, set.id, id)).status).toBe(201);
    expect((await call(`/v1/images/${deleted}`, { method: 'DELETE', token: me.access_token })).status).toBe(204);
    expect((await getSet(me.access_token, set.id)).images.map((i: any) => i.image_id)).toEqual([kept]);
  });

  it('lists the owner’s sets newest first, with their image count and whether they can train', async () => {
    const me = await signIn();
    const first = await newSet(me.access_token, 'First');
    const second = await newSet(me.access_token, 'Second');
    for (const hash of variedHashes(5, 41)) expect((await add(me.access_token, first.id, await upload(me.access_token, pictureWithHash(hash, 640)))).status).toBe(201);
    const { items, next_cursor } = await json(await call('/v1/training-sets', { token: me.access_token }));
    expect(next_cursor).toBeNull();
    expect(items).toEqual([
      { id: second.id, name: 'Second', image_count: 0, ready: false, created_at: second.created_at, updated_at: second.updated_at },
      { id: first.id, name: 'First', image_count: 5, ready: true, created_at: first.created_at, updated_at: expect.any(String) },
    ]);
  });

  it('does not exist for another user: reading, adding, describing and removing are 404, and it is not listed', async () => {
    const me = await signIn();
    const stranger = await signIn();
    const set = await newSet(me.access_token);
    const mine = await upload(me.access_token, pictureWithHash(variedHashes(1, 61)[0]!, 640));
    expect((await add(me.access_token, set.id, mine)).status).toBe(201);
    const theirs = await upload(stranger.access_token, pictureWithHash(variedHashes(1, 62)[0]!, 640));
    const t = stranger.access_token;
    await expectProblem(await call(`/v1/training-sets/${set.id}`, { token: t }), 404, 'not_found');
    await expectProblem(await add(t, set.id, theirs), 404, 'not_found');
    await expectProblem(await call(`/v1/training-sets/${set.id}/images/${mine}`, { method: 'PATCH', token: t, json: { description: 'mine now' } }), 404, 'not_found');
    await expectProblem(await call(`/v1/training-sets/${set.id}/images/${mine}`, { method: 'DELETE', token: t }), 404, 'not_found');
    expect((await json(await call('/v1/training-sets', { token: t }))).items).toEqual([]);
    const read = await getSet(me.access_token, set.id);
    expect(read.images).toEqual([expect.objectContaining({ image_id: mine, description: 'a harbour at dusk' })]);
    await expectProblem(await call(`/v1/training-sets/${set.id}`), 401, 'unauthorized');
  });
});
