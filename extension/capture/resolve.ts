// Finding the image a designer means, at its full resolution: from a right-clicked element,
// from the URL Chrome reports, or from a point on the page. Pure DOM code: it runs in the
// page (injected on demand) and in unit tests on DOM fixtures, never in the background.
import type { PageImage, Rect, SourceKind } from './page-protocol';

export type { PageImage, Rect, SourceKind };

export interface ResolvedImage {
  kind: SourceKind;
  /** Absolute URL for `url` (http, blob: or data:); null for drawn content. */
  url: string | null;
  /** The best known pixel size of that source (from srcset descriptors or the decoded image). */
  width: number;
  height: number;
  alt: string;
  /** Where it sits in the top frame's viewport, in CSS pixels (for screenshot crops). */
  rect: Rect;
  element: Element;
}

export interface SrcsetCandidate {
  url: string;
  width?: number;
  density?: number;
}

/** Parses srcset the way the HTML spec does: a URL up to whitespace, descriptors up to a comma. */
export function parseSrcset(srcset: string, base: string): SrcsetCandidate[] {
  const out: SrcsetCandidate[] = [];
  let i = 0;
  while (i < srcset.length) {
    while (i < srcset.length && /[\s,]/.test(srcset[i]!)) i++;
    if (i >= srcset.length) break;
    let url = '';
    while (i < srcset.length && !/\s/.test(srcset[i]!)) url += srcset[i++];
    let descriptor = '';
    if (url.endsWith(',')) {
      url = url.replace(/,+$/, '');
    } else {
      while (i < srcset.length && srcset[i] !== ',') descriptor += srcset[i++];
    }
    const candidate: SrcsetCandidate = { url: absolute(url, base) };
    const d = descriptor.trim();
    const w = /^(\d+)w$/.exec(d);
    const x = /^(\d*\.?\d+)x$/.exec(d);
    if (w) candidate.width = Number(w[1]);
    else if (x) candidate.density = Number(x[1]);
    if (url) out.push(candidate);
  }
  return out;
}

export function absolute(url: string, base: string): string {
  try {
    return new URL(url.trim(), base).href;
  } catch {
    return url.trim();
  }
}

/** The largest candidate: by width descriptor, else by density. */
export function largestCandidate(candidates: SrcsetCandidate[]): SrcsetCandidate | null {
  if (!candidates.length) return null;
  return [...candidates].sort((a, b) => (b.width ?? 0) - (a.width ?? 0) || (b.density ?? 1) - (a.density ?? 1))[0]!;
}

const lazyAttributes = ['data-src', 'data-lazy-src', 'data-original', 'data-full-src', 'data-hi-res-src'];
const lazySrcsetAttributes = ['data-srcset', 'data-lazy-srcset'];

/** A placeholder a lazy loader shows before the real image (tiny data URI or a 1×1 gif). */
function isPlaceholder(url: string | null | undefined): boolean {
  return !url || url.startsWith('data:image/gif') || url.startsWith('data:image/svg+xml') || /(^|\/)(blank|spacer|pixel|placeholder|lazy)[^/]*\.(gif|png|svg)(\?|$)/i.test(url);
}

function rectOf(element: Element): Rect {
  const r = element.getBoundingClientRect();
  let x = r.left;
  let y = r.top;
  // Inside a same-origin iframe: add the frame's own offset, up to the top frame.
  let win: Window | null = element.ownerDocument.defaultView;
  while (win && win.frameElement) {
    const frame = win.frameElement.getBoundingClientRect();
    x += frame.left;
    y += frame.top;
    win = win.parent === win ? null : win.parent;
  }
  return { x, y, width: r.width, height: r.height };
}

/** The full-resolution source of an <img>: picture sources, srcset, lazy attributes, currentSrc. */
export function bestImgSource(img: HTMLImageElement): { url: string; width: number; height: number } {
  const base = img.ownerDocument.baseURI;
  const candidates: SrcsetCandidate[] = [];
  const picture = img.parentElement?.tagName === 'PICTURE' ? img.parentElement : null;
  if (picture) {
    for (const source of Array.from(picture.querySelectorAll('source'))) {
      const srcset = source.getAttribute('srcset') ?? source.getAttribute('data-srcset');
      if (srcset) candidates.push(...parseSrcset(srcset, base));
    }
  }
  for (const attribute of ['srcset', ...lazySrcsetAttributes]) {
    const srcset = img.getAttribute(attribute);
    if (srcset) candidates.push(...parseSrcset(srcset, base));
  }
  const naturalWidth = img.naturalWidth || Number(img.getAttribute('width')) || 0;
  const naturalHeight = img.naturalHeight || Number(img.getAttribute('height')) || 0;
  const ratio = naturalWidth && naturalHeight ? naturalHeight / naturalWidth : 0;
  const largest = largestCandidate(candidates);
  if (largest && (largest.width ?? 0) > naturalWidth) {
    const width = largest.width ?? Math.round(naturalWidth * (largest.density ?? 1));
    return { url: largest.url, width, height: ratio ? Math.round(width * ratio) : 0 };
  }
  const lazy = lazyAttributes.map((a) => img.getAttribute(a)).find((v) => v);
  // With no srcset, what is shown is the src attribute resolved against the base URI.
  const current = candidates.length && img.currentSrc ? img.currentSrc : img.getAttribute('src') ? absolute(img.getAttribute('src')!, base) : img.currentSrc;
  if (lazy && (isPlaceholder(current) || !current)) return { url: absolute(lazy, base), width: naturalWidth, height: naturalHeight };
  if (largest && isPlaceholder(current)) return { url: largest.url, width: largest.width ?? naturalWidth, height: naturalHeight };
  return { url: current ? absolute(current, base) : '', width: naturalWidth, height: naturalHeight };
}

/** The url() inside a CSS background-image (the last layer that is an image). */
export function cssImageUrl(value: string | null | undefined, base: string): string | null {
  if (!value || value === 'none') return null;
  const urls = [...value.matchAll(/url\(\s*(['"]?)(.*?)\1\s*\)/g)].map((m) => m[2]!);
  return urls.length ? absolute(urls[0]!, base) : null;
}

/** A CSS background image on the element or on its ::before / ::after. */
function backgroundOf(element: Element): string | null {
  const view = element.ownerDocument.defaultView;
  if (!view) return null;
  const base = element.ownerDocument.baseURI;
  for (const pseudo of [null, '::before', '::after']) {
    const url = cssImageUrl(view.getComputedStyle(element, pseudo).backgroundImage, base);
    if (url) return url;
  }
  return null;
}

function altOf(element: Element): string {
  return (element.getAttribute('alt') ?? element.getAttribute('aria-label') ?? element.getAttribute('title') ?? '').trim();
}

/** What image an element is, if it is one (or shows one as its background). */
export function resolveElement(element: Element): ResolvedImage | null {
  const tag = element.tagName.toLowerCase();
  const rect = rectOf(element);
  if (tag === 'img') {
    const best = bestImgSource(element as HTMLImageElement);
    if (!best.url) return null;
    return { kind: 'url', url: best.url, width: best.width, height: best.height, alt: altOf(element), rect, element };
  }
  if (tag === 'svg' || element.closest('svg')) {
    const svg = tag === 'svg' ? element : element.closest('svg')!;
    const box = svg.getBoundingClientRect();
    return { kind: 'svg', url: null, width: Math.round(box.width), height: Math.round(box.height), alt: altOf(svg) || (svg.querySelector('title')?.textContent ?? '').trim(), rect: rectOf(svg), element: svg };
  }
  if (tag === 'canvas') {
    const canvas = element as HTMLCanvasElement;
    return { kind: 'canvas', url: null, width: canvas.width, height: canvas.height, alt: altOf(element), rect, element };
  }
  if (tag === 'video') {
    const video = element as HTMLVideoElement;
    return { kind: 'video', url: null, width: video.videoWidth, height: video.videoHeight, alt: altOf(element), rect, element };
  }
  if (tag === 'object' || tag === 'embed') {
    const url = element.getAttribute('data') ?? element.getAttribute('src');
    if (url && /\.svg(\?|$)/i.test(url)) return { kind: 'url', url: absolute(url, element.ownerDocument.baseURI), width: Math.round(rect.width), height: Math.round(rect.height), alt: altOf(element), rect, element };
  }
  const background = backgroundOf(element);
  if (background) return { kind: 'url', url: background, width: 0, height: 0, alt: altOf(element), rect, element };
  return null;
}

/** Every element of a document, into open shadow roots and same-origin iframes. */
export function* allElements(root: Document | ShadowRoot): Generator<Element> {
  for (const element of Array.from(root.querySelectorAll('*'))) {
    yield element;
    if (element.shadowRoot) yield* allElements(element.shadowRoot);
    if (element.tagName === 'IFRAME') {
      let inner: Document | null = null;
      try {
        inner = (element as HTMLIFrameElement).contentDocument;
      } catch {
        inner = null; // cross-origin: not ours to read
      }
      if (inner) yield* allElements(inner);
    }
  }
}

/** The image Chrome reported as right-clicked (its srcUrl), upgraded to its best source. */
export function resolveBySrcUrl(doc: Document, srcUrl: string): ResolvedImage | null {
  for (const element of allElements(doc)) {
    if (element.tagName !== 'IMG') continue;
    const img = element as HTMLImageElement;
    const srcs = [img.currentSrc, img.src, absolute(img.getAttribute('src') ?? '', doc.baseURI)];
    if (srcs.includes(srcUrl)) return resolveElement(img);
  }
  return null;
}

/** The topmost image at a point of the viewport, looking into shadow roots and same-origin iframes. */
export function resolveAtPoint(root: Document | ShadowRoot, x: number, y: number): ResolvedImage | null {
  const stack = root.elementsFromPoint(x, y);
  for (const element of stack) {
    if (element.shadowRoot && element.shadowRoot !== root) {
      const inner = resolveAtPoint(element.shadowRoot, x, y);
      if (inner) return inner;
    }
    if (element.tagName === 'IFRAME') {
      let inner: Document | null = null;
      try {
        inner = (element as HTMLIFrameElement).contentDocument;
      } catch {
        inner = null;
      }
      if (inner) {
        const frame = element.getBoundingClientRect();
        const found = resolveAtPoint(inner, x - frame.left, y - frame.top);
        if (found) return found;
      }
      continue;
    }
    const resolved = resolveElement(element);
    if (resolved) return resolved;
  }
  return null;
}

/** Pages and images that ask not to be saved ("nopin" and friends): honoured with a clear message. */
export function optedOut(doc: Document, element?: Element | null): string | null {
  const meta = Array.from(doc.querySelectorAll('meta[name]')).find((m) => /^pinterest$/i.test(m.getAttribute('name') ?? '') && /nopin/i.test(m.getAttribute('content') ?? ''));
  if (meta) return 'This site asks that its images not be saved, so Exactly will not capture them.';
  if (element && (element.hasAttribute('data-pin-nopin') || /nopin/i.test(element.getAttribute('nopin') ?? ''))) {
    return 'This image is marked by its site as not to be saved, so Exactly will not capture it.';
  }
  return null;
}

/** Every image on a page at its best source, once each, largest first. */
export function collectPageImages(doc: Document): PageImage[] {
  const seen = new Map<string, PageImage>();
  for (const element of allElements(doc)) {
    const tag = element.tagName.toLowerCase();
    if (tag !== 'img' && !(element as HTMLElement).style) continue;
    if (tag === 'svg' || tag === 'canvas' || tag === 'video') continue;
    const resolved = tag === 'img' ? resolveElement(element) : backgroundOf(element) ? resolveElement(element) : null;
    if (!resolved?.url || resolved.url.startsWith('data:image/gif') || optedOut(doc, element)) continue;
    const width = resolved.width || Math.round(resolved.rect.width);
    const height = resolved.height || Math.round(resolved.rect.height);
    const known = seen.get(resolved.url);
    if (!known || width > known.width) seen.set(resolved.url, { url: resolved.url, width, height, alt: resolved.alt });
  }
  return [...seen.values()].sort((a, b) => b.width * b.height - a.width * a.height);
}
