// Stored values across releases: every shape of the trays that shipped reads in today's shape,
// and a value that does not fit is dropped with a warning instead of breaking the extension.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { z } from 'zod';
import { adoptUnscopedTrays, afterSignIn, captureNotice, referencesTray, trainingTray } from '../../extension/lib/captures';
import { defineStored } from '../../extension/lib/stored';
import { accessToken, signedInUser } from '../../extension/lib/token-store';

/** A reference as the first release stored it (captures from any page): no thumbnail, no status. */
const firstRelease = {
  id: 'c1',
  menu: 'reference',
  image_id: 'img_1',
  source_url: 'https://images.example/cat.jpg',
  page_url: 'https://blog.example/cats',
  page_title: 'Cats',
  alt: 'A cat',
  width: 1200,
  height: 800,
  sha256: 'ab'.repeat(32),
  thumb_url: '/v1/images/img_1/thumb',
  captured_at: '2026-10-01T10:00:00.000Z',
};
/** The second release added the thumbnail made from the captured bytes. */
const secondRelease = { ...firstRelease, id: 'c2', image_id: 'img_2', thumb_data: 'data:image/jpeg;base64,/9j/' };
/** The third added the status of an upload still running. */
const thirdRelease = { ...secondRelease, id: 'c3', image_id: '', status: 'uploading' };

/** Whoever signs in: trays are kept per user. */
const USER = 'usr_1';

let warned: ReturnType<typeof vi.spyOn>;

beforeEach(() => {
  fakeBrowser.reset();
  warned = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
});
afterEach(() => warned.mockRestore());

/** What an update finds: the stored value as the old release left it, then the migration run at start. */
async function storedByOldRelease(key: string, value: unknown, meta?: { v: number }) {
  await fakeBrowser.storage.local.set({ [key]: value, ...(meta ? { [`${key}$`]: meta } : {}) });
}

describe('trays kept across an update', () => {
  // Before trays were per user they had one key for the whole browser; the first user to sign
  // in after the update gets them, in today's shape.
  it('read a references tray from the first release with no thumbnail and as ready', async () => {
    await storedByOldRelease('referencesTray', [firstRelease]);
    await adoptUnscopedTrays(USER);
    expect(await referencesTray.of(USER).getValue()).toEqual([{ ...firstRelease, thumb_data: null, status: 'ready' }]);
    expect(await fakeBrowser.storage.local.get(`u:${USER}:referencesTray$`)).toEqual({ [`u:${USER}:referencesTray$`]: { v: 3 } });
  });

  it('keep the thumbnails and descriptions of a training set from the second release', async () => {
    await storedByOldRelease('trainingTray', [{ ...secondRelease, description: 'the cat, side view' }]);
    await adoptUnscopedTrays(USER);
    expect(await trainingTray.of(USER).getValue()).toEqual([{ ...secondRelease, description: 'the cat, side view', status: 'ready' }]);
  });

  it('leave a tray from the third release as it was, uploads still running included', async () => {
    // Stored before trays had a version, so it reads as version 1 whatever its shape.
    await storedByOldRelease('referencesTray', [secondRelease, thirdRelease]);
    await adoptUnscopedTrays(USER);
    expect(await referencesTray.of(USER).getValue()).toEqual([{ ...secondRelease, status: 'ready' }, thirdRelease]);
  });

  it('run only the steps after the version the tray was stored at', async () => {
    const noStatusYet = { ...secondRelease, thumb_data: undefined };
    await storedByOldRelease(`u:${USER}:referencesTray`, [noStatusYet], { v: 2 });
    await referencesTray.of(USER).migrate();
    // Step 2 would have filled the missing thumbnail with null: it did not run.
    expect(await fakeBrowser.storage.local.get(`u:${USER}:referencesTray`)).toEqual({ [`u:${USER}:referencesTray`]: [{ ...noStatusYet, status: 'ready' }] });
  });

  it('mix shapes from several releases in one tray', async () => {
    await storedByOldRelease('referencesTray', [firstRelease, secondRelease, thirdRelease]);
    await adoptUnscopedTrays(USER);
    expect((await referencesTray.of(USER).getValue()).map((c) => [c.id, c.thumb_data === null, c.status])).toEqual([
      ['c1', true, 'ready'],
      ['c2', false, 'ready'],
      ['c3', false, 'uploading'],
    ]);
  });

  it('move to the first user who signs in, once: the next account finds none', async () => {
    await storedByOldRelease('referencesTray', [{ ...thirdRelease, status: 'ready' }], { v: 3 });
    await storedByOldRelease('trainingTray', [{ ...thirdRelease, status: 'ready', description: 'a cat' }], { v: 3 });
    await referencesTray.of(USER).setValue([{ ...secondRelease, menu: 'reference', status: 'ready' }]);
    await afterSignIn(USER);
    expect((await referencesTray.of(USER).getValue()).map((c) => c.id)).toEqual(['c2', 'c3']);
    expect((await trainingTray.of(USER).getValue()).map((c) => c.description)).toEqual(['a cat']);
    expect(await fakeBrowser.storage.local.get(['referencesTray', 'referencesTray$', 'trainingTray', 'trainingTray$'])).toEqual({});
    await afterSignIn('usr_2');
    expect(await referencesTray.of('usr_2').getValue()).toEqual([]);
    expect(await trainingTray.of('usr_2').getValue()).toEqual([]);
  });
});

describe('a stored value that does not fit its shape', () => {
  it('is dropped with a warning and reads as signed out, never a crash', async () => {
    await fakeBrowser.storage.local.set({ user: { id: 'usr_1', email: 42 } });
    expect(await signedInUser.getValue()).toBeNull();
    expect(warned).toHaveBeenCalledWith(expect.stringContaining('Dropped the stored local:user'), expect.anything());
    expect(await fakeBrowser.storage.local.get('user')).toEqual({});
  });

  it('costs a tray only its damaged entries', async () => {
    await storedByOldRelease(`u:${USER}:referencesTray`, [{ ...thirdRelease, status: 'ready' }, { id: 'broken', width: 'wide' }, 'junk'], { v: 3 });
    expect((await referencesTray.of(USER).getValue()).map((c) => c.id)).toEqual(['c3']);
    expect(warned).toHaveBeenCalledTimes(2);
  });

  it('that is not even a list empties the tray', async () => {
    await storedByOldRelease(`u:${USER}:trainingTray`, { not: 'a list' }, { v: 3 });
    expect(await trainingTray.of(USER).getValue()).toEqual([]);
    expect(warned).toHaveBeenCalledOnce();
  });

  it('reaches a watcher as the fallback', async () => {
    const seen: unknown[] = [];
    const unwatch = captureNotice.of(USER).watch((notice) => seen.push(notice));
    await fakeBrowser.storage.session.set({ [`u:${USER}:captureNotice`]: { kind: 'ok', message: 'Added to your references.', at: '2026-11-22T10:00:00Z' } });
    await fakeBrowser.storage.session.set({ [`u:${USER}:captureNotice`]: { kind: 'shout', message: 1 } });
    unwatch();
    expect(seen).toEqual([{ kind: 'ok', message: 'Added to your references.', at: '2026-11-22T10:00:00Z' }, null]);
  });

  it('is an access token without its expiry, which then reads as none', async () => {
    await fakeBrowser.storage.session.set({ accessToken: { token: 'access-1' } });
    expect(await accessToken.getValue()).toBeNull();
  });
});

describe('a stored item written for the first time', () => {
  it('records its version, so the next release does not migrate it as an old one', async () => {
    const item = defineStored('local:firstWrite', { schema: z.array(z.string()), fallback: [], version: 2, migrations: { 2: () => ['migrated'] } });
    await item.setValue(['fresh']);
    expect(await fakeBrowser.storage.local.get(['firstWrite', 'firstWrite$'])).toEqual({ firstWrite: ['fresh'], firstWrite$: { v: 2 } });
    await item.migrate();
    expect(await item.getValue()).toEqual(['fresh']);
  });
});
