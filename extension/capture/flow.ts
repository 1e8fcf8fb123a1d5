// A capture from start to finish, in the background: inject the capture script into the
// frame, resolve the image, get its bytes (through the extension's host access, with the page
// as Referer where the site demands it; in the page for blob:, data:, canvas and SVG; from a
// visible-tab screenshot when nothing else can), upload with attribution, and hand the result
// to the side panel.
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
async function withReferer(url: string, referer: string): Promise<Response | null> {
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
    return await fetch(url, { credentials: 'omit', cache: 'no-store', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) }).catch(() => null);
  } finally {
    await dnr.updateSessionRules({ removeRuleIds: [id] });
  }
}

/** The image's bytes through the extension's own fetch (no CORS), asking again with the page as Referer if refused. */
export async function fetchSource(url: string, pageUrl: string): Promise<{ bytes: Uint8Array<ArrayBuffer>; contentType: string } | null> {
  let response = await fetch(url, { credentials: 'omit', signal: AbortSignal.timeout(FETCH_TIMEOUT_MS) }).catch(() => null);
  if (response && (response.status === 401 || response.status === 403)) response = await withReferer(url, pageUrl);
  if (!response?.ok) return null;
  const blob = await response.blob();
  return { bytes: new Uint8Array(await blob.arrayBuffer()), contentType: (blob.type || response.headers.get('content-type') || '').split(';')[0]! };
}

/** The visible tab, cropped to a rectangle of the page (device pixels), if that tab is still the one showing. */
export async function screenshot(tabId: number, pageUrl: string, rect: Rect, dpr: number): Promise<{ bytes: Uint8Array<ArrayBuffer>; contentType: string } | null> {
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
  return { bytes: new Uint8Array(await blob.arrayBuffer()), contentType: 'image/png' };
}

const THUMB_WIDTH = 160;

/** The bytes' own size and a small JPEG of them (null where this browser cannot decode them). */
async function localThumbnail(bytes: Uint8Array<ArrayBuffer>, contentType: string): Promise<{ data: string; width: number; height: number } | null> {
  try {
    const bitmap = await createImageBitmap(new Blob([bytes], { type: contentType }));
    const scale = Math.min(1, THUMB_WIDTH / bitmap.width);
    const canvas = new OffscreenCanvas(Math.max(1, Math.round(bitmap.width * scale)), Math.max(1, Math.round(bitmap.height * scale)));
    canvas.getContext('2d')!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 });
    const data = new Uint8Array(await blob.arrayBuffer());
    return { data: `data:image/jpeg;base64,${toBase64(data)}`, width: bitmap.width, height: bitmap.height };
  } catch {
    return null;
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

const acceptable = new Set(['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif']);

/** The whole capture of one image (a menu click, or the test hook). */
export async function captureImage(deps: CaptureDeps, request: CaptureRequest): Promise<Capture> {
  const frameId = request.frameId ?? 0;
  const page = await inject(request.tabId, frameId);
  const found = await askPage(page, 'capture.resolve', { srcUrl: request.srcUrl, x: request.x, y: request.y });
  if (!found.ok) throw refuse(found.message, found.reason);
  let bytes = found.inline ? { bytes: fromBase64(found.inline.base64), contentType: found.inline.contentType } : null;
  if (!bytes && found.url && !found.needsScreenshot && /^https?:/.test(found.url)) bytes = await fetchSource(found.url, found.pageUrl);
  if (bytes && !acceptable.has(bytes.contentType)) bytes = null;
  // Canvas drawn from other sites, protected images, anything unreadable: what the screen shows.
  if (!bytes && frameId !== 0) {
    // Inside a frame from another site its position on screen is unknown: no guessing.
    throw refuse('This image is inside a frame from another site and cannot be read. Use “Capture a region…” instead.');
  }
  if (!bytes) bytes = await screenshot(request.tabId, found.pageUrl, found.rect, found.dpr);
  if (!bytes) throw refuse('This image could not be read, and it is not on screen to capture. Scroll it into view and try again.');
  return upload(deps, bytes.bytes, bytes.contentType, { source: found.url, page: found.pageUrl, title: found.pageTitle, alt: found.alt }, request.menu);
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
    if (!bytes || !acceptable.has(bytes.contentType)) {
      failed.push(url);
      continue;
    }
    captures.push(await upload(deps, bytes.bytes, bytes.contentType, { source: url, page: page.url, title: page.title, alt: '' }, menu));
  }
  return { captures, failed };
}
