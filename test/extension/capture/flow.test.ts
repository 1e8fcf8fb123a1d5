// Capturing from a page as a designer does it, on WXT's fake browser: a menu click, the capture
// script reading the page, the bytes, the upload, and where the capture lands in the panel.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { captureUrls } from '../../../extension/capture/flow';
import { handleMenuClick, onMenuClicked } from '../../../extension/capture/handle-menu';
import { toBase64 } from '../../../shared/encoding';
import { ApiError } from '../../../extension/lib/api-client';
import { type Capture, captureNotice, collection, pendingPin, pendingPrompt, referencesTray, signInNeeded, trainingTray } from '../../../extension/lib/captures';
import { createPng } from '../../fakes/png';
import { encodePngInBands } from '../../../shared/imaging/png-encode';
import { createCapturePage, IMAGE, MISSING, PAGE, PAGE_TITLE, placeAt, PROTECTED } from './capture-page';
import { decodeRealPixels } from './pixels';

let page: ReturnType<typeof createCapturePage>;
/** The designer signed in while capturing: what a capture stores is theirs. */
const USER = 'usr_1';

beforeEach(() => {
  fakeBrowser.reset();
  page = createCapturePage();
});
afterEach(() => vi.unstubAllGlobals());

const cat = `<h1>Cats</h1><img src="${IMAGE}" alt="A cat on a chair" width="64" height="48">`;
const notice = async () => (await captureNotice.of(USER).getValue())?.message;

describe('a right-click on an image', () => {
  it('opens the panel and saves the image into the references tray with where it came from', async () => {
    const tab = await page.open(cat);
    const opened = vi.fn(async (_: { windowId: number }) => undefined);
    const capture = await onMenuClicked(page.deps, { sidePanel: { open: opened } })({ menuItemId: 'reference', frameId: 0, srcUrl: IMAGE }, tab);

    expect(opened).toHaveBeenCalledWith({ windowId: tab.windowId });
    expect(page.edges.requestPermission).toHaveBeenCalledWith({ origins: ['https://images.example/*'] });
    expect(page.state.injections).toEqual([{ tabId: tab.id, frameIds: [0] }]);
    expect(page.edges.sendMessage).toHaveBeenCalledWith(tab.id, { type: 'capture.resolve', payload: { srcUrl: IMAGE } }, { frameId: 0, documentId: 'doc-1' });
    expect(await referencesTray.of(USER).getValue()).toEqual([capture]);
    expect(capture).toMatchObject({ menu: 'reference', status: 'ready', image_id: 'img_1', source_url: IMAGE, page_url: PAGE, page_title: PAGE_TITLE, alt: 'A cat on a chair', width: 64, height: 48 });
    expect(capture!.thumb_data).toMatch(/^data:image\/jpeg;base64,/);
    expect(page.state.uploads).toEqual([expect.objectContaining({ contentType: 'image/png', width: 64, height: 48, headers: expect.objectContaining({ 'x-source-url': IMAGE, 'x-page-url': PAGE, 'x-page-title': PAGE_TITLE }) })]);
    expect(await notice()).toBe('Added to your references.');
  });

  it('shows the capture in the tray from its bytes while the upload runs', async () => {
    const tab = await page.open(cat);
    const seen: Capture[][] = [];
    const unwatch = referencesTray.of(USER).watch((tray) => seen.push(tray));
    await handleMenuClick(page.deps, { menuItemId: 'agentic', tabId: tab.id, srcUrl: IMAGE });
    unwatch();
    expect(seen[0]).toEqual([expect.objectContaining({ status: 'uploading', image_id: '', thumb_data: expect.stringMatching(/^data:image\/jpeg/) })]);
    expect(seen.at(-1)).toEqual([expect.objectContaining({ status: 'ready', image_id: 'img_1', menu: 'agentic' })]);
  });

  it('adds to the training set with the alt text as its first description', async () => {
    const tab = await page.open(cat);
    await handleMenuClick(page.deps, { menuItemId: 'training', tabId: tab.id, srcUrl: IMAGE });
    expect(await trainingTray.of(USER).getValue()).toEqual([expect.objectContaining({ image_id: 'img_1', description: 'A cat on a chair', status: 'ready' })]);
    expect(await referencesTray.of(USER).getValue()).toEqual([]);
    expect(await notice()).toBe('Added to your training set. Describe it in the panel.');
  });

  it('fills the prompt bar, or starts a pin, instead of a tray when asked to', async () => {
    const tab = await page.open(cat);
    await handleMenuClick(page.deps, { menuItemId: 'image_to_prompt', tabId: tab.id, srcUrl: IMAGE });
    expect(await pendingPrompt.of(USER).getValue()).toMatchObject({ image_id: 'img_1', menu: 'image_to_prompt' });
    await handleMenuClick(page.deps, { menuItemId: 'pin_product', tabId: tab.id, srcUrl: IMAGE });
    expect(await pendingPin.of(USER).getValue()).toMatchObject({ image_id: 'img_2', menu: 'pin_product' });
    expect(await notice()).toBe('Name your pin in the panel.');
    expect(await referencesTray.of(USER).getValue()).toEqual([]);
  });
});

describe('an image only the page can read', () => {
  it('crosses from the page as bytes, credited to the page alone', async () => {
    const inline = `data:image/png;base64,${toBase64(createPng(20, 10, [10, 200, 10]))}`;
    const tab = await page.open(`<img src="${inline}" alt="Drawn here">`);
    const capture = await handleMenuClick(page.deps, { menuItemId: 'reference', tabId: tab.id, srcUrl: inline });
    expect(page.state.hostRequests).toEqual([]);
    expect(page.state.uploads).toEqual([expect.objectContaining({ contentType: 'image/png', width: 20, height: 10 })]);
    expect(page.state.uploads[0]!.headers).not.toHaveProperty('x-source-url');
    expect(capture).toMatchObject({ source_url: null, page_url: PAGE, alt: 'Drawn here', width: 20, height: 10 });
  });
});

describe('a page that asks not to be saved', () => {
  it('gets the notice in words, and nothing is fetched or uploaded', async () => {
    const tab = await page.open(`<meta name="pinterest" content="nopin">${cat}`);
    const refused = await handleMenuClick(page.deps, { menuItemId: 'reference', tabId: tab.id, srcUrl: IMAGE }).catch((e) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(refused.code).toBe('opted_out');
    expect(await captureNotice.of(USER).getValue()).toMatchObject({ kind: 'error', message: 'This site asks that its images not be saved, so Exactly will not capture them.' });
    expect(page.state.hostRequests).toEqual([]);
    expect(page.state.uploads).toEqual([]);
    expect(await referencesTray.of(USER).getValue()).toEqual([]);
  });

  it('honours one image marked as not to be saved', async () => {
    const tab = await page.open(`<img src="${IMAGE}" alt="A cat" data-pin-nopin="true">`);
    await handleMenuClick(page.deps, { menuItemId: 'reference', tabId: tab.id, srcUrl: IMAGE }).catch(() => undefined);
    expect(await notice()).toBe('This image is marked by its site as not to be saved, so Exactly will not capture it.');
    expect(page.state.uploads).toEqual([]);
  });
});

describe('an image its host will not hand over', () => {
  const guarded = `<img src="${PROTECTED}" alt="A guarded cat">`;

  it('is asked for again with the page as Referer, then taken from what the screen shows', async () => {
    const tab = await page.open(guarded);
    placeAt(document.querySelector('img')!, { x: 10, y: 20, width: 300, height: 200 });
    const capture = await handleMenuClick(page.deps, { menuItemId: 'reference', tabId: tab.id, srcUrl: PROTECTED });

    expect(page.state.hostRequests).toEqual([PROTECTED, PROTECTED]);
    const [added, removed] = page.edges.updateSessionRules.mock.calls.map(([rules]) => rules as { addRules?: { id: number; action: unknown }[]; removeRuleIds: number[] });
    expect(added!.addRules![0]!.action).toEqual({ type: 'modifyHeaders', requestHeaders: [{ header: 'referer', operation: 'set', value: PAGE }] });
    expect(removed!.removeRuleIds).toEqual([added!.addRules![0]!.id]);
    expect(page.edges.captureVisibleTab).toHaveBeenCalledOnce();
    // The crop of the shot: what the screen shows is no file's bytes, so only the page is credited.
    expect(page.state.uploads).toEqual([expect.objectContaining({ contentType: 'image/png', width: 300, height: 200 })]);
    expect(page.state.uploads[0]!.headers).not.toHaveProperty('x-source-url');
    expect(capture).toMatchObject({ source_url: null, page_url: PAGE, image_id: 'img_1', status: 'ready' });
  });

  it('inside a frame from another site, is refused with the way round it', async () => {
    const tab = await page.open(guarded);
    await handleMenuClick(page.deps, { menuItemId: 'reference', tabId: tab.id, frameId: 3, srcUrl: PROTECTED }).catch(() => undefined);
    expect(page.state.injections).toEqual([{ tabId: tab.id, frameIds: [3] }]);
    expect(page.edges.captureVisibleTab).not.toHaveBeenCalled();
    expect(await notice()).toBe('This image is inside a frame from another site and cannot be read. Use “Capture a region…” instead.');
  });

  it('is not taken from the screen when another tab is in front', async () => {
    const tab = await page.open(guarded);
    placeAt(document.querySelector('img')!, { x: 10, y: 20, width: 300, height: 200 });
    await fakeBrowser.tabs.create({ url: 'https://elsewhere.example/', active: true });
    await handleMenuClick(page.deps, { menuItemId: 'reference', tabId: tab.id, srcUrl: PROTECTED }).catch(() => undefined);
    expect(page.edges.captureVisibleTab).not.toHaveBeenCalled();
    expect(await notice()).toBe('The page changed or another tab is in front. Go back to the page and capture again.');
  });
});

describe('an upload that fails', () => {
  it('leaves the tray, and the notice gives the API’s words', async () => {
    const tab = await page.open(cat);
    page.state.uploadRefusal = { status: 413, code: 'payload_too_large', detail: 'That image is larger than 25 MB.' };
    const seen: Capture[][] = [];
    const unwatch = referencesTray.of(USER).watch((tray) => seen.push(tray));
    const refused = await handleMenuClick(page.deps, { menuItemId: 'reference', tabId: tab.id, srcUrl: IMAGE }).catch((e) => e);
    unwatch();
    expect(refused).toBeInstanceOf(ApiError);
    expect(seen[0]).toEqual([expect.objectContaining({ status: 'uploading' })]);
    expect(await referencesTray.of(USER).getValue()).toEqual([]);
    expect(await captureNotice.of(USER).getValue()).toMatchObject({ kind: 'error', message: 'That image is larger than 25 MB.' });
  });

  it('does not start when nobody is signed in: it says so in words and stores nothing', async () => {
    const tab = await page.open(cat);
    page.state.signedIn = false;
    const refused = await handleMenuClick(page.deps, { menuItemId: 'reference', tabId: tab.id, srcUrl: IMAGE }).catch((e) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect(await signInNeeded.getValue()).toMatchObject({ kind: 'error', message: 'Sign in to Exactly in the side panel first, then capture again.' });
    expect(page.state.injections).toEqual([]);
    expect(page.state.uploads).toEqual([]);
    // Nothing kept for anyone: the sign-in notice is all there is.
    expect(await fakeBrowser.storage.local.get(null)).toEqual({});
    expect(Object.keys(await fakeBrowser.storage.session.get(null)).filter((key) => !key.endsWith('$'))).toEqual(['signInNeeded']);
  });
});

describe('whose capture it is', () => {
  it('lands in the signed-in user’s trays and notices, never another account’s', async () => {
    const tab = await page.open(cat);
    const other = { ...page.deps, userId: async () => 'usr_2' };
    await handleMenuClick(other, { menuItemId: 'reference', tabId: tab.id, srcUrl: IMAGE });
    await handleMenuClick(other, { menuItemId: 'image_to_prompt', tabId: tab.id, srcUrl: IMAGE });
    expect(await referencesTray.of('usr_2').getValue()).toEqual([expect.objectContaining({ image_id: 'img_1' })]);
    expect(await pendingPrompt.of('usr_2').getValue()).toMatchObject({ image_id: 'img_2' });
    expect(await captureNotice.of('usr_2').getValue()).toMatchObject({ message: 'Reading the image…', while: 'reading_prompt' });
    expect(await referencesTray.of(USER).getValue()).toEqual([]);
    expect(await pendingPrompt.of(USER).getValue()).toBeNull();
    expect(await notice()).toBeUndefined();
  });

  it('stays with who clicked when the account changes during the upload', async () => {
    const tab = await page.open(cat);
    let signedIn = 'usr_1';
    const deps = { ...page.deps, userId: async () => signedIn, onProvisional: undefined };
    const done = handleMenuClick(deps, { menuItemId: 'training', tabId: tab.id, srcUrl: IMAGE });
    signedIn = 'usr_2';
    await done;
    expect(await trainingTray.of(USER).getValue()).toEqual([expect.objectContaining({ image_id: 'img_1', status: 'ready' })]);
    expect(await trainingTray.of('usr_2').getValue()).toEqual([]);
  });
});

describe('collecting a page’s images', () => {
  it('lists them, largest first, for the panel’s grid', async () => {
    const tab = await page.open(`${cat}<img src="https://images.example/big.jpg" alt="Big" width="1600" height="900">`);
    await handleMenuClick(page.deps, { menuItemId: 'collect', tabId: tab.id });
    expect(await collection.of(USER).getValue()).toMatchObject({
      pageUrl: PAGE,
      pageTitle: PAGE_TITLE,
      optedOut: null,
      images: [{ url: 'https://images.example/big.jpg', width: 1600 }, { url: IMAGE, width: 64 }],
    });
    expect(await notice()).toBe('Found 2 images on this page.');
  });

  it('uploads the ones chosen in the grid and names those that could not be read', async () => {
    await page.open(cat);
    const result = await captureUrls(page.deps, [IMAGE, MISSING], { url: PAGE, title: PAGE_TITLE }, 'training');
    expect(result.failed).toEqual([MISSING]);
    expect(result.captures).toEqual([expect.objectContaining({ image_id: 'img_1', source_url: IMAGE, menu: 'training', status: 'ready' })]);
  });
});

describe('capturing a region', () => {
  it('takes the rectangle the designer drags from the screen into the references', async () => {
    const tab = await page.open(cat);
    const done = handleMenuClick(page.deps, { menuItemId: 'region', tabId: tab.id });
    const overlay = await vi.waitFor(() => {
      const shown = document.querySelector('[data-exactly-region]');
      if (!shown) throw new Error('the overlay is not up yet');
      return shown;
    });
    overlay.dispatchEvent(new MouseEvent('mousedown', { clientX: 100, clientY: 50, bubbles: true }));
    overlay.dispatchEvent(new MouseEvent('mousemove', { clientX: 300, clientY: 200, bubbles: true }));
    overlay.dispatchEvent(new MouseEvent('mouseup', { clientX: 340, clientY: 230, bubbles: true }));
    const capture = await done;
    expect(document.querySelector('[data-exactly-region]')).toBeNull();
    expect(page.state.uploads).toEqual([expect.objectContaining({ width: 240, height: 180 })]);
    expect(capture).toMatchObject({ menu: 'region', source_url: null, page_url: PAGE });
    expect(await referencesTray.of(USER).getValue()).toEqual([capture]);
  });
});

describe('a region dragged and then cancelled', () => {
  it('captures nothing and says nothing', async () => {
    const tab = await page.open(cat);
    const done = handleMenuClick(page.deps, { menuItemId: 'region', tabId: tab.id });
    await vi.waitFor(() => {
      if (!document.querySelector('[data-exactly-region]')) throw new Error('the overlay is not up yet');
    });
    window.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape' }));
    expect(await done).toBeNull();
    expect(page.edges.captureVisibleTab).not.toHaveBeenCalled();
    expect(page.state.uploads).toEqual([]);
    expect(await captureNotice.of(USER).getValue()).toBeNull();
  });
});

describe('answers from the page', () => {
  it('come only from the document the script went into: a page that navigated away is not asked', async () => {
    const tab = await page.open(cat);
    page.state.navigateAfterInjection = true;
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await handleMenuClick(page.deps, { menuItemId: 'reference', tabId: tab.id, srcUrl: IMAGE }).catch(() => undefined);
    logged.mockRestore();
    expect(await notice()).toBe('The image could not be captured. Reload the page and try again.');
    expect(page.state.hostRequests).toEqual([]);
    expect(await referencesTray.of(USER).getValue()).toEqual([]);
  });

  it('are refused in words when they do not fit the protocol', async () => {
    const tab = await page.open(cat);
    page.edges.sendMessage.mockResolvedValueOnce({ ok: true, data: { ok: true, kind: 'url', url: IMAGE, width: 'huge' } });
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    await handleMenuClick(page.deps, { menuItemId: 'reference', tabId: tab.id, srcUrl: IMAGE }).catch(() => undefined);
    logged.mockRestore();
    expect(await notice()).toBe('The extension got an answer it does not understand. Reload the page and try again.');
    expect(page.state.hostRequests).toEqual([]);
  });
});


/** A picture of light and shade that looks the same at every size; `mirrored`, another picture of the same shape. */
function picture(width: number, height: number, { mirrored = false } = {}): Promise<Uint8Array> {
  const rgba = new Uint8Array(width * height * 4);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const [u, v] = [mirrored ? 1 - x / width : x / width, y / height];
      const ring = Math.hypot(u - 0.3, v - 0.4) < 0.25 ? 90 : 0;
      rgba.set([Math.round(200 * u) + ring / 2, Math.round(160 * v) + ring, 80, 255], (y * width + x) * 4);
    }
  }
  return encodePngInBands({ width, height, rgba });
}

/** A CDN beside the page's own image host: each URL answers with the bytes and Content-Type given. */
function serve(files: Record<string, { body: Uint8Array | string; type: string } | { status: number }>) {
  const host = globalThis.fetch;
  vi.stubGlobal('fetch', async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    const file = files[url];
    if (!file) return host(input, init);
    page.state.hostRequests.push(url);
    return 'status' in file ? new Response('not found', { status: file.status }) : new Response(file.body as BodyInit, { headers: { 'content-type': file.type } });
  });
}

const PHOTO = 'https://cdn.example/photo-300x200.png';
const photoPage = `<img src="${PHOTO}" alt="A harbour" width="300" height="200">`;

describe('bytes a server mislabels', () => {
  it('an image sent as application/octet-stream is uploaded as the PNG it is, from its URL, not from the screen', async () => {
    const tab = await page.open(photoPage);
    serve({ [PHOTO]: { body: await picture(300, 200), type: 'application/octet-stream' } });
    const capture = await handleMenuClick(page.deps, { menuItemId: 'reference', tabId: tab.id, srcUrl: PHOTO });
    expect(page.edges.captureVisibleTab).not.toHaveBeenCalled();
    expect(page.state.uploads).toEqual([expect.objectContaining({ contentType: 'image/png', width: 300, height: 200, headers: expect.objectContaining({ 'x-source-url': PHOTO }) })]);
    expect(capture).toMatchObject({ source_url: PHOTO, width: 300, height: 200 });
  });

  it('an image sent as text/plain, or as the wrong image type, is uploaded as what its bytes are', async () => {
    const tab = await page.open(photoPage);
    serve({ [PHOTO]: { body: await picture(300, 200), type: 'text/plain' } });
    await handleMenuClick(page.deps, { menuItemId: 'reference', tabId: tab.id, srcUrl: PHOTO });
    serve({ [PHOTO]: { body: await picture(300, 200), type: 'image/jpeg' } });
    await handleMenuClick(page.deps, { menuItemId: 'reference', tabId: tab.id, srcUrl: PHOTO });
    expect(page.state.uploads.map((upload) => upload.contentType)).toEqual(['image/png', 'image/png']);
  });

  it('a page of HTML sent as image/png is no image: what the screen shows is taken instead, credited to the page alone', async () => {
    const tab = await page.open(photoPage);
    placeAt(document.querySelector('img')!, { x: 0, y: 0, width: 300, height: 200 });
    serve({ [PHOTO]: { body: '<!doctype html><title>Please log in</title>', type: 'image/png' } });
    const capture = await handleMenuClick(page.deps, { menuItemId: 'reference', tabId: tab.id, srcUrl: PHOTO });
    expect(page.edges.captureVisibleTab).toHaveBeenCalledOnce();
    expect(page.state.uploads).toEqual([expect.objectContaining({ contentType: 'image/png', width: 300, height: 200 })]);
    expect(page.state.uploads[0]!.headers).not.toHaveProperty('x-source-url');
    expect(capture).toMatchObject({ source_url: null, page_url: PAGE });
  });

  it('an SVG sent as an image is not uploaded as one, and off screen the designer is told why in words', async () => {
    const tab = await page.open(photoPage);
    placeAt(document.querySelector('img')!, { x: 0, y: 2000, width: 300, height: 200 });
    serve({ [PHOTO]: { body: '<svg xmlns="http://www.w3.org/2000/svg"/>', type: 'image/png' } });
    await handleMenuClick(page.deps, { menuItemId: 'reference', tabId: tab.id, srcUrl: PHOTO }).catch(() => undefined);
    expect(page.state.uploads).toEqual([]);
    expect(await notice()).toBe('This image could not be read, and it is not on screen to capture. Scroll it into view and try again.');
  });
});

describe('a larger rendition named by the image CDN', () => {
  const LARGE = 'https://cdn.example/photo-1200x800.png';
  const MEDIUM = 'https://cdn.example/photo-600x400.png';
  const GONE = 'https://cdn.example/photo-2400x1600.png';
  const withCandidates = (...urls: string[]) => ({ ...page.deps, upgradeCandidates: vi.fn((_: string) => urls) });

  /** The page, with the browser's decoder reading real pixels (the comparison looks at them). */
  const openWithPixels = async (markup: string) => {
    const tab = await page.open(markup);
    decodeRealPixels();
    return tab;
  };

  it('is kept when it loads and is the same picture, larger: a 404 before it is skipped, and the larger file is credited', async () => {
    const tab = await openWithPixels(photoPage);
    serve({ [PHOTO]: { body: await picture(300, 200), type: 'image/png' }, [GONE]: { status: 404 }, [LARGE]: { body: await picture(1200, 800), type: 'application/octet-stream' }, [MEDIUM]: { body: await picture(600, 400), type: 'image/png' } });
    const deps = withCandidates(GONE, LARGE, MEDIUM);
    const capture = await handleMenuClick(deps, { menuItemId: 'reference', tabId: tab.id, srcUrl: PHOTO });
    expect(deps.upgradeCandidates).toHaveBeenCalledWith(PHOTO);
    // Best first: the first that qualifies ends the search.
    expect(page.state.hostRequests).toEqual([PHOTO, GONE, LARGE]);
    expect(page.state.uploads).toEqual([expect.objectContaining({ contentType: 'image/png', width: 1200, height: 800, headers: expect.objectContaining({ 'x-source-url': LARGE, 'x-page-url': PAGE }) })]);
    expect(capture).toMatchObject({ source_url: LARGE, width: 1200, height: 800 });
  });

  it('is refused when it is another picture of the same shape: the page’s own bytes are used', async () => {
    const tab = await openWithPixels(photoPage);
    serve({ [PHOTO]: { body: await picture(300, 200), type: 'image/png' }, [LARGE]: { body: await picture(1200, 800, { mirrored: true }), type: 'image/png' } });
    const capture = await handleMenuClick(withCandidates(LARGE), { menuItemId: 'reference', tabId: tab.id, srcUrl: PHOTO });
    expect(page.state.hostRequests).toEqual([PHOTO, LARGE]);
    expect(page.state.uploads).toEqual([expect.objectContaining({ width: 300, height: 200, headers: expect.objectContaining({ 'x-source-url': PHOTO }) })]);
    expect(capture).toMatchObject({ source_url: PHOTO, width: 300, height: 200 });
  });

  it('is refused when it is smaller, another crop, or no image at all', async () => {
    const SMALL = 'https://cdn.example/photo-150x100.png';
    const SQUARE = 'https://cdn.example/photo-800x800.png';
    const tab = await openWithPixels(photoPage);
    serve({
      [PHOTO]: { body: await picture(300, 200), type: 'image/png' },
      [SMALL]: { body: await picture(150, 100), type: 'image/png' },
      [SQUARE]: { body: await picture(800, 800), type: 'image/png' },
      [MEDIUM]: { body: '<!doctype html><title>Not here</title>', type: 'image/png' },
    });
    const capture = await handleMenuClick(withCandidates(SMALL, SQUARE, MEDIUM), { menuItemId: 'reference', tabId: tab.id, srcUrl: PHOTO });
    expect(page.state.hostRequests).toEqual([PHOTO, SMALL, SQUARE, MEDIUM]);
    expect(capture).toMatchObject({ source_url: PHOTO, width: 300, height: 200 });
  });

  it('tries at most three, and never the URL it started from', async () => {
    const tab = await openWithPixels(photoPage);
    const misses = [1, 2, 3, 4, 5].map((n) => `https://cdn.example/photo-${n}.png`);
    serve({ [PHOTO]: { body: await picture(300, 200), type: 'image/png' }, ...Object.fromEntries(misses.map((url) => [url, { status: 404 }])) });
    const capture = await handleMenuClick(withCandidates(PHOTO, ...misses), { menuItemId: 'reference', tabId: tab.id, srcUrl: PHOTO });
    expect(page.state.hostRequests).toEqual([PHOTO, ...misses.slice(0, 3)]);
    expect(capture).toMatchObject({ source_url: PHOTO });
  });

  it('is given up within six seconds when the CDN never answers, and the page’s own bytes are used', async () => {
    const tab = await openWithPixels(photoPage);
    serve({ [PHOTO]: { body: await picture(300, 200), type: 'image/png' } });
    const host = globalThis.fetch;
    const hanging = [1, 2, 3].map((n) => `https://slow.example/photo-${n}.png`);
    vi.stubGlobal('fetch', (input: RequestInfo | URL, init?: RequestInit) => {
      if (!hanging.includes(String(input))) return host(input, init);
      page.state.hostRequests.push(String(input));
      return new Promise((_, reject) => init?.signal?.addEventListener('abort', () => reject(init.signal!.reason)));
    });
    const started = Date.now();
    const capture = await handleMenuClick(withCandidates(...hanging), { menuItemId: 'reference', tabId: tab.id, srcUrl: PHOTO });
    // Four seconds for the first, the two left of the budget for the second, none for the third.
    expect(Date.now() - started).toBeGreaterThanOrEqual(5_900);
    expect(Date.now() - started).toBeLessThan(7_500);
    expect(page.state.hostRequests).toEqual([PHOTO, ...hanging.slice(0, 2)]);
    expect(capture).toMatchObject({ source_url: PHOTO, width: 300, height: 200 });
  }, 15_000);

  it('is not looked for when the bytes came from the screen', async () => {
    const tab = await openWithPixels(`<img src="${PROTECTED}" alt="A guarded cat">`);
    placeAt(document.querySelector('img')!, { x: 10, y: 20, width: 300, height: 200 });
    const deps = withCandidates(LARGE);
    const capture = await handleMenuClick(deps, { menuItemId: 'reference', tabId: tab.id, srcUrl: PROTECTED });
    expect(deps.upgradeCandidates).not.toHaveBeenCalled();
    expect(capture).toMatchObject({ source_url: null, width: 300, height: 200 });
  });
});
