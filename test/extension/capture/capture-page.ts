// A page to capture from, for the capture flow's tests: the real capture script runs on a DOM
// fixture and the background reaches it through the real message layer. Only the edges are
// stand-ins: the image host, script injection, the visible-tab screenshot, the session rules
// that set a Referer, the browser's image decoder, and the API's upload route.
import { vi } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { toBase64 } from '../../../shared/encoding';
import { createApiClient } from '../../../extension/lib/api-client';
import { createPng } from '../../fakes/png';
import { createFakeApi } from '../fake-api';

export const PAGE = 'https://blog.example/cats';
export const PAGE_TITLE = 'Cats of the week';
export const IMAGE = 'https://images.example/cat.png';
/** Refused to anyone without the blog as Referer, which a fetch from the extension cannot prove here. */
export const PROTECTED = 'https://images.example/protected.png';
export const MISSING = 'https://images.example/gone.png';
const API = 'http://api.test';

const be32 = (bytes: Uint8Array, at: number) => new DataView(bytes.buffer, bytes.byteOffset).getUint32(at);
const isPng = (bytes: Uint8Array) => bytes.length > 24 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;

/** The browser's decoder as far as the flow needs it: a PNG's size, or a refusal. */
async function decode(blob: Blob) {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  if (!isPng(bytes)) throw new DOMException('The source image could not be decoded.', 'InvalidStateError');
  return { width: be32(bytes, 16), height: be32(bytes, 20), close: () => undefined };
}

class Canvas {
  constructor(
    public width: number,
    public height: number,
  ) {}
  getContext() {
    return { drawImage: () => undefined };
  }
  async convertToBlob(options: { type?: string } = {}) {
    return new Blob([createPng(this.width, this.height, [90, 90, 90])], { type: options.type ?? 'image/png' });
  }
}

export interface Upload {
  contentType: string;
  width: number;
  height: number;
  headers: Record<string, string>;
}

export function createCapturePage() {
  const realFetch = globalThis.fetch;
  const state = {
    injections: [] as { tabId: number; frameIds?: number[] }[],
    hostRequests: [] as string[],
    uploads: [] as Upload[],
    /** The API's answer to the next upload, when it refuses it. */
    uploadRefusal: null as { status: number; code: string; detail: string } | null,
    signedIn: true,
    /** The document now in the tab: a navigation replaces it. */
    documentId: 'doc-1',
    /** Navigates the tab right after the script goes in, before the background asks. */
    navigateAfterInjection: false,
  };

  const api = createFakeApi();
  /** The API at the network edge: the fake, plus the upload route the capture flow uses. */
  const apiFetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const request = new Request(input, init);
    if (request.method !== 'POST' || new URL(request.url).pathname !== '/v1/images') return api.fetch(input, init);
    if (state.uploadRefusal) {
      const { status, code, detail } = state.uploadRefusal;
      return new Response(JSON.stringify({ type: `/problems/${code}`, title: code, status, detail, code }), { status, headers: { 'content-type': 'application/problem+json' } });
    }
    const bytes = new Uint8Array(await request.arrayBuffer());
    const size = isPng(bytes) ? { width: be32(bytes, 16), height: be32(bytes, 20) } : { width: 0, height: 0 };
    // Attribution headers cross percent-encoded (UTF-8); the fake reads them as the API does.
    const headers = Object.fromEntries([...request.headers.entries()].map(([name, value]) => [name, name.startsWith('x-') ? decodeURIComponent(value) : value]));
    state.uploads.push({ contentType: headers['content-type'] ?? '', ...size, headers });
    const id = `img_${state.uploads.length}`;
    return new Response(
      JSON.stringify({
        id, kind: 'upload', ...size, bytes: bytes.length, sha256: 'ab'.repeat(32), content_type: headers['content-type'], source_url: headers['x-source-url'] ?? null,
        page_url: headers['x-page-url'] ?? null, page_title: headers['x-page-title'] ?? null, policy: { watermarked: false, license: 'free', licensed: false, downloadable: true },
        preview_url: `/v1/images/${id}/preview`, thumb_url: `/v1/images/${id}/thumb`, created_at: new Date().toISOString(),
      }),
      { status: 201, headers: { 'content-type': 'application/json' } },
    );
  }) as typeof fetch;

  /** The image host (and data: URLs, which the browser reads itself). */
  const imageHost = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = input instanceof Request ? input.url : String(input);
    if (url.startsWith('data:')) return realFetch(url, init);
    state.hostRequests.push(url);
    if (url === IMAGE) return new Response(createPng(64, 48, [200, 120, 40]), { headers: { 'content-type': 'image/png' } });
    if (url === PROTECTED) return new Response('no hotlinking', { status: 403 });
    return new Response('not found', { status: 404 });
  }) as typeof fetch;

  const backgroundSender = () => ({ id: fakeBrowser.runtime.id, url: fakeBrowser.runtime.getURL('/background.js') });
  const injected = new Set<string>();

  const edges = {
    executeScript: vi.fn(async ({ target }: { target: { tabId: number; frameIds?: number[] } }) => {
      state.injections.push(target);
      injected.add(`${target.tabId}:${target.frameIds?.[0] ?? 0}`);
      const script = (await import('../../../extension/entrypoints/capture')).default as unknown as { main(): void };
      script.main();
      const documentId = state.documentId;
      if (state.navigateAfterInjection) state.documentId = 'doc-2';
      return [{ frameId: target.frameIds?.[0] ?? 0, documentId, result: null }];
    }),
    /** The browser delivers to one frame of one tab (and one document, if named), as the background; only a listener there answers. */
    sendMessage: vi.fn(async (tabId: number, message: unknown, options?: { frameId?: number; documentId?: string }) => {
      const gone = options?.documentId !== undefined && options.documentId !== state.documentId;
      if (gone || !injected.has(`${tabId}:${options?.frameId ?? 0}`)) throw new Error('Could not establish connection. Receiving end does not exist.');
      let respond!: (answer: unknown) => void;
      const answered = new Promise((resolve) => (respond = resolve));
      const results = await fakeBrowser.runtime.onMessage.trigger(message, backgroundSender(), respond);
      return results.some((r) => (r as unknown) === true) ? answered : undefined;
    }),
    captureVisibleTab: vi.fn(async () => `data:image/png;base64,${toBase64(createPng(1280, 800, [30, 30, 30]))}`),
    updateSessionRules: vi.fn(async (_: unknown) => undefined),
    requestPermission: vi.fn(async (_: unknown) => true),
  };

  return {
    state,
    edges,
    deps: { api: createApiClient(API, apiFetch), accessToken: async () => (state.signedIn ? 'access-1' : null), userId: async () => (state.signedIn ? 'usr_1' : null) },

    /** Opens the page in the front tab of the fake browser and wires the edges. */
    async open(markup: string): Promise<{ id: number; windowId: number }> {
      delete (globalThis as Record<string, unknown>).__exactlyCapture;
      (globalThis as unknown as { happyDOM: { setURL(url: string): void } }).happyDOM.setURL(PAGE);
      document.head.innerHTML = '';
      document.title = PAGE_TITLE;
      document.body.innerHTML = markup;
      Object.assign(fakeBrowser.scripting, { executeScript: edges.executeScript });
      Object.assign(fakeBrowser.tabs, { sendMessage: edges.sendMessage, captureVisibleTab: edges.captureVisibleTab });
      Object.assign(fakeBrowser.declarativeNetRequest, { updateSessionRules: edges.updateSessionRules });
      Object.assign(fakeBrowser.permissions, { request: edges.requestPermission });
      vi.stubGlobal('fetch', imageHost);
      vi.stubGlobal('createImageBitmap', decode);
      vi.stubGlobal('OffscreenCanvas', Canvas);
      const tab = await fakeBrowser.tabs.create({ url: PAGE, active: true });
      return { id: tab.id!, windowId: tab.windowId };
    },
  };
}

/** Where an element sits on screen: the fixture DOM has no layout of its own. */
export function placeAt(element: Element, rect: { x: number; y: number; width: number; height: number }) {
  element.getBoundingClientRect = () => DOMRect.fromRect(rect);
}
