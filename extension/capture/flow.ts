// A capture from start to finish, in the background: inject the capture script into the
// frame, resolve the image, get its bytes (through the extension's host access, with the page
// as Referer where the site demands it; in the page for blob:, data:, canvas and SVG; from a
// visible-tab screenshot when nothing else can), upload with attribution, and hand the result
// to the side panel. Bytes are typed by what they are (sniff.ts), never by what the server says;
// a URL is credited only for bytes that came from it; and where an image-CDN rule names a larger
// rendition (upgrade.ts), it is used when it really loads and is the same picture (rendition.ts).
import { browser } from 'wxt/browser';
import type { ApiClient } from '../lib/api-client';
import { ApiError, localProblem } from '../lib/api-client';
import type { RequestOf, ResponseOf } from '../lib/message-channel';
import { readAnswer } from '../lib/messaging';
import type { Capture } from './capture';
import { cropBox } from './crop';
import type { CaptureMenu } from './menus';
import { fromBase64, toBase64 } from '../../shared/encoding';
import { type CollectAnswer, type PageMessage, pageProtocol, type Rect } from './page-protocol';
import { colourCells, type Look, LOOK_SIDE, renditionRefusal } from './rendition';
import { sniffImage } from './sniff';
import { upgradeCandidates } from './upgrade';

export interface CaptureRequest {
  tabId: number;
  frameId?: number;
  windowId?: number;
  /** Where the designer clicked in the picker, when the browser named no image. */
  x?: number;
  y?: number;
  srcUrl?: string;
  menu: CaptureMenu;
}

export type { Capture };

export interface CaptureDeps {
  api: ApiClient;
  accessToken(): Promise<string | null>;
  /** Called with the capture as soon as its bytes are in hand, before the upload ends. */
  onProvisional?(capture: Capture): Promise<void>;
  /** Larger renditions to try for an image's URL, best first (upgrade.ts unless a test names others). */
  upgradeCandidates?(url: string): string[];
}

/** Bytes in hand, typed by what they are, and the http(s) URL they came from (null when they came from the page or the screen). */
interface Bytes {
  bytes: Uint8Array<ArrayBuffer>;
  contentType: string;
  from: string | null;
}

const refuse = (detail: string, code = 'capture_failed') => new ApiError(localProblem(code, detail));

/** Where the capture script went in: one frame of one tab and, where the browser names it (Chrome), that very document. */
interface PageTarget {
  tabId: number;
  frameId: number;
  documentId?: string;
}

export async function inject(tabId: number, frameId = 0): Promise<PageTarget> {
  const [result] = await browser.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: ['/capture.js'] });
  const documentId = (result as { documentId?: unknown } | undefined)?.documentId;
  return typeof documentId === 'string' ? { tabId, frameId, documentId } : { tabId, frameId };
}

/**
 * Asks the capture script where it was injected. The browser delivers the message to that
 * frame only (and, given its id, only while the same document is there: a page that navigated
 * away is not asked), and only a listener there can answer; the answer is parsed before use.
 */
export async function askPage<T extends PageMessage>(target: PageTarget, type: T, payload: RequestOf<typeof pageProtocol, T>): Promise<ResponseOf<typeof pageProtocol, T>> {
  const where = target.documentId ? { frameId: target.frameId, documentId: target.documentId } : { frameId: target.frameId };
  const answer: unknown = await browser.tabs.sendMessage(target.tabId, { type, payload }, where);
  return readAnswer(pageProtocol, type, answer);
}

const FETCH_TIMEOUT_MS = 20_000;

/** Fetches with the page as Referer for this one URL, through a session rule removed after. */
async function withReferer(url: string, referer: string, signal: AbortSignal): Promise<Response | null> {
  // Random ids, and any stale rule with the same id replaced in the same call: a rule left by
  // a service worker stopped mid-fetch cannot block the next capture.
  const id = 1 + Math.floor(Math.random() * 1_000_000_000);
  const dnr = browser.declarativeNetRequest;
  await dnr.updateSessionRules({
    removeRuleIds: [id],
    addRules: [
      {
        id,
        priority: 1,
        action: { type: 'modifyHeaders', requestHeaders: [{ header: 'referer', operation: 'set', value: referer }] },
        condition: { urlFilter: `|${url}|`, initiatorDomains: [browser.runtime.id], resourceTypes: ['xmlhttprequest', 'other'] },
      },
    ],
  } as never);
  try {
    return await fetch(url, { credentials: 'omit', cache: 'no-store', signal }).catch(() => null);
  } finally {
    await dnr.updateSessionRules({ removeRuleIds: [id] });
  }
}

/**
 * The image's bytes through the extension's own fetch (no CORS), asking again with the page as
 * Referer if refused; null when they cannot be had or are no image we accept, whatever the
 * server calls them.
 */
export async function fetchSource(url: string, pageUrl: string, timeoutMs = FETCH_TIMEOUT_MS): Promise<Bytes | null> {
  // One clock for both asks and the body: the time given is the most this can take.
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    let response = await fetch(url, { credentials: 'omit', signal }).catch(() => null);
    if (response && (response.status === 401 || response.status === 403)) response = await withReferer(url, pageUrl, signal);
    if (!response?.ok) return null;
    return asImage(new Uint8Array(await response.arrayBuffer()), url);
  } catch {
    return null; // the body stopped half-way (a timeout, a reset): unreadable like any other
  }
}

function asImage(bytes: Uint8Array<ArrayBuffer>, from: string | null): Bytes | null {
  const sniffed = sniffImage(bytes);
  return sniffed ? { bytes, contentType: sniffed.contentType, from } : null;
}

/** The visible tab, cropped to a rectangle of the page (device pixels), if that tab is still the one showing. */
export async function screenshot(tabId: number, pageUrl: string, rect: Rect, dpr: number): Promise<Bytes | null> {
  const tab = await browser.tabs.get(tabId);
  if (!tab.active || (tab.url && tab.url !== pageUrl)) {
    throw refuse('The page changed or another tab is in front. Go back to the page and capture again.');
  }
  const dataUrl = await browser.tabs.captureVisibleTab(tab.windowId, { format: 'png' });
  const shot = await createImageBitmap(await (await fetch(dataUrl)).blob());
  const box = cropBox(rect, dpr, shot);
  if (!box) return null;
  const canvas = new OffscreenCanvas(box.width, box.height);
  canvas.getContext('2d')!.drawImage(shot, box.x, box.y, box.width, box.height, 0, 0, box.width, box.height);
  const blob = await canvas.convertToBlob({ type: 'image/png' });
  // What the screen shows is not any file's bytes: no URL is credited for it.
  return { bytes: new Uint8Array(await blob.arrayBuffer()), contentType: 'image/png', from: null };
}

/** At most this many larger renditions are tried, each for at most UPGRADE_TIMEOUT_MS, all within UPGRADE_BUDGET_MS. */
const UPGRADE_TRIES = 3;
const UPGRADE_TIMEOUT_MS = 4_000;
const UPGRADE_BUDGET_MS = 6_000;

/** Size and colour cells of decodable bytes (the browser's decoder scales them down), or null. */
async function lookOf(bytes: Bytes): Promise<Look | null> {
  let full: ImageBitmap | null = null;
  let small: ImageBitmap | null = null;
  try {
    full = await createImageBitmap(new Blob([bytes.bytes], { type: bytes.contentType }));
    small = await createImageBitmap(full, { resizeWidth: LOOK_SIDE, resizeHeight: LOOK_SIDE, resizeQuality: 'high' });
    const canvas = new OffscreenCanvas(LOOK_SIDE, LOOK_SIDE);
    const context = canvas.getContext('2d')!;
    context.drawImage(small, 0, 0);
    return { width: full.width, height: full.height, cells: colourCells(context.getImageData(0, 0, LOOK_SIDE, LOOK_SIDE).data) };
  } catch {
    return null;
  } finally {
    full?.close();
    small?.close();
  }
}

/**
 * The largest rendition of the fetched image that the upgrade rules name and that really is
 * the same picture, larger; the original when none is. Candidates are tried best first; the
 * first that qualifies is kept. A header that states a size no larger spares the decoding.
 */
async function largestRendition(deps: CaptureDeps, original: Bytes, pageUrl: string): Promise<Bytes> {
  if (!original.from) return original;
  const candidates = (deps.upgradeCandidates ?? upgradeCandidates)(original.from)
    .filter((url) => url !== original.from && /^https?:/.test(url))
    .slice(0, UPGRADE_TRIES);
  if (!candidates.length) return original;
  const seen = await lookOf(original);
  if (!seen) return original;
  const deadline = Date.now() + UPGRADE_BUDGET_MS;
  for (const url of candidates) {
    const left = Math.min(UPGRADE_TIMEOUT_MS, deadline - Date.now());
    if (left <= 0) break;
    const candidate = await fetchSource(url, pageUrl, left);
    if (!candidate) continue;
    const stated = sniffImage(candidate.bytes)?.size;
    if (stated && (stated.width < seen.width || stated.height < seen.height)) continue;
    const look = await lookOf(candidate);
    if (look && !renditionRefusal(seen, look)) return candidate;
  }
  return original;
}

const THUMB_WIDTH = 160;

/**
 * The bytes' own size and a small JPEG of them (null where this browser cannot decode them).
 * Where the header states the size, the browser decodes straight to the thumbnail's size: a
 * 6000×4000 photo is never a 96 MB bitmap in the worker.
 */
async function localThumbnail(bytes: Uint8Array<ArrayBuffer>, contentType: string): Promise<{ data: string; width: number; height: number } | null> {
  let bitmap: ImageBitmap | null = null;
  try {
    const stated = sniffImage(bytes)?.size;
    const blob = new Blob([bytes], { type: contentType });
    const fit = (width: number, height: number) => {
      const scale = Math.min(1, THUMB_WIDTH / width);
      return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
    };
    const target = stated && fit(stated.width, stated.height);
    bitmap = target ? await createImageBitmap(blob, { resizeWidth: target.width, resizeHeight: target.height, resizeQuality: 'medium' }) : await createImageBitmap(blob);
    const size = stated ?? { width: bitmap.width, height: bitmap.height };
    const thumb = target ?? fit(size.width, size.height);
    const canvas = new OffscreenCanvas(thumb.width, thumb.height);
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const encoded = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
    const data = new Uint8Array(await encoded.arrayBuffer());
    return { data: `data:image/jpeg;base64,${toBase64(data)}`, width: size.width, height: size.height };
  } catch {
    return null;
  } finally {
    bitmap?.close();
  }
}

async function upload(deps: CaptureDeps, bytes: Uint8Array<ArrayBuffer>, contentType: string, from: { source: string | null; page: string; title: string; alt: string }, menu: CaptureMenu): Promise<Capture> {
  const token = await deps.accessToken();
  if (!token) throw refuse('Sign in to Exactly in the side panel first, then capture again.', 'unauthorized');
  // The thumbnail first (tens of milliseconds): made alongside a 4 MB upload it takes ten times longer.
  const thumb = await localThumbnail(bytes, contentType);
  const capture: Capture = {
    id: crypto.randomUUID(),
    menu,
    image_id: '',
    // blob: and data: URLs mean nothing outside the page: no source to credit.
    source_url: from.source && /^https?:/.test(from.source) ? from.source : null,
    page_url: from.page,
    page_title: from.title,
    alt: from.alt,
    width: thumb?.width ?? 0,
    height: thumb?.height ?? 0,
    sha256: '',
    thumb_url: '',
    thumb_data: thumb?.data ?? null,
    status: 'uploading',
    captured_at: new Date().toISOString(),
  };
  if (thumb && deps.onProvisional) await deps.onProvisional(capture);
  const image = await deps.api.upload(token, bytes, contentType, { sourceUrl: from.source, pageUrl: from.page, pageTitle: from.title });
  return { ...capture, image_id: image.id, width: image.width, height: image.height, sha256: image.sha256, thumb_url: image.thumb_url, status: 'ready' };
}

/** The whole capture of one image (a menu click, or the test hook). */
export async function captureImage(deps: CaptureDeps, request: CaptureRequest): Promise<Capture> {
  const frameId = request.frameId ?? 0;
  const page = await inject(request.tabId, frameId);
  const found = await askPage(page, 'capture.resolve', { srcUrl: request.srcUrl, x: request.x, y: request.y });
  if (!found.ok) throw refuse(found.message, found.reason);
  const httpUrl = found.url && /^https?:/.test(found.url) ? found.url : null;
  // Drawn by the page: an SVG file's picture credits that file; a canvas, video frame, blob: or
  // data: image has no URL worth the name.
  let bytes = found.inline ? asImage(fromBase64(found.inline.base64), httpUrl) : null;
  if (!bytes && httpUrl && !found.needsScreenshot) {
    const fetched = await fetchSource(httpUrl, found.pageUrl);
    bytes = fetched && (await largestRendition(deps, fetched, found.pageUrl));
  }
  // Canvas drawn from other sites, protected images, anything unreadable: what the screen shows.
  if (!bytes && frameId !== 0) {
    // Inside a frame from another site its position on screen is unknown: no guessing.
    throw refuse('This image is inside a frame from another site and cannot be read. Use “Capture a region…” instead.');
  }
  if (!bytes) bytes = await screenshot(request.tabId, found.pageUrl, found.rect, found.dpr);
  if (!bytes) throw refuse('This image could not be read, and it is not on screen to capture. Scroll it into view and try again.');
  return upload(deps, bytes.bytes, bytes.contentType, { source: bytes.from, page: found.pageUrl, title: found.pageTitle, alt: found.alt }, request.menu);
}

/** "Capture a region…": the user drags a rectangle; its screenshot becomes an image. */
export async function captureRegion(deps: CaptureDeps, request: Omit<CaptureRequest, 'menu'>): Promise<Capture | null> {
  const answer = await askPage(await inject(request.tabId, 0), 'capture.region', {});
  if (!answer.rect) return null;
  const shot = await screenshot(request.tabId, answer.pageUrl, answer.rect, answer.dpr);
  if (!shot) throw refuse('That area could not be captured.');
  return upload(deps, shot.bytes, shot.contentType, { source: null, page: answer.pageUrl, title: answer.pageTitle, alt: '' }, 'region');
}

/** "Collect images from this page…": the page's images, for the panel's grid. */
export async function collectPage(tabId: number): Promise<CollectAnswer> {
  return askPage(await inject(tabId, 0), 'capture.collect', {});
}

/** Images chosen from the grid: fetched with the page as Referer where needed, then uploaded. */
export async function captureUrls(deps: CaptureDeps, urls: string[], page: { url: string; title: string }, menu: CaptureMenu): Promise<{ captures: Capture[]; failed: string[] }> {
  const captures: Capture[] = [];
  const failed: string[] = [];
  for (const url of urls) {
    const bytes = /^https?:/.test(url) ? await fetchSource(url, page.url) : null;
    if (!bytes) {
      failed.push(url);
      continue;
    }
    captures.push(await upload(deps, bytes.bytes, bytes.contentType, { source: url, page: page.url, title: page.title, alt: '' }, menu));
  }
  return { captures, failed };
}
