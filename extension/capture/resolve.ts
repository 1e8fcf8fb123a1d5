// Finding the image a designer means, at its full resolution: from a right-clicked element,
// from the URL Chrome reports, or from a point on the page. Pure DOM code: it runs in the
// page (injected on demand) and in unit tests on DOM fixtures, never in the background.
import type { PageImage, Rect, SourceKind } from './page-protocol';
import { renditionKey } from './upgrade';

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

/**
 * The largest candidate: by pixel width, where a density descriptor counts as that many times
 * `oneX` (the width of the 1x rendition, when known); unknown widths rank by density.
 */
export function largestCandidate(candidates: SrcsetCandidate[], oneX = 0): SrcsetCandidate | null {
  if (!candidates.length) return null;
  return [...candidates].sort((a, b) => candidateWidth(b, oneX) - candidateWidth(a, oneX) || (b.density ?? 1) - (a.density ?? 1))[0]!;
}

/** A candidate's pixel width: its w descriptor, else its density times the 1x width (0 when unknown). */
export function candidateWidth(candidate: SrcsetCandidate, oneX: number): number {
  return candidate.width ?? Math.round((candidate.density ?? 1) * oneX);
}

const lazyAttributes = ['data-src', 'data-lazy-src', 'data-original', 'data-full-src', 'data-hi-res-src', 'data-lazy'];
const lazySrcsetAttributes = ['data-srcset', 'data-lazy-srcset'];

/** A placeholder a lazy loader shows before the real image (a data URI, a 1×1 gif, a spacer file). */
function isPlaceholder(url: string | null | undefined): boolean {
  return !url || url.startsWith('data:') || /(^|\/)(blank|spacer|pixel|placeholder|lazy|loading|transparent|empty|grey|gray|dummy|1x1)[^/]*\.(gif|png|svg|jpe?g|webp)(\?|$)/i.test(url);
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

export interface BestSource {
  url: string;
  width: number;
  height: number;
  /** Every URL this element names for the same picture (srcset, picture sources, src, lazy attributes). */
  renditions: string[];
}

/** The full-resolution source of an <img>: picture sources, srcset (w or x), lazy attributes, currentSrc. */
export function bestImgSource(img: HTMLImageElement): BestSource {
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
  const lazyAttribute = lazyAttributes.map((a) => img.getAttribute(a)).find((v) => v && !isPlaceholder(v));
  const lazy = lazyAttribute ? absolute(lazyAttribute, base) : null;
  const src = img.getAttribute('src');
  // With no srcset, what is shown is the src attribute resolved against the base URI.
  const current = candidates.length && img.currentSrc ? img.currentSrc : src ? absolute(src, base) : img.currentSrc;
  // A decoded 1×1 (or an unloaded lazy image) says nothing of the real picture's size.
  const placeholder = isPlaceholder(current) || (img.naturalWidth > 0 && img.naturalWidth <= 2 && img.naturalHeight <= 2);
  const attributeWidth = Number(img.getAttribute('width')) || 0;
  const attributeHeight = Number(img.getAttribute('height')) || 0;
  const naturalWidth = placeholder ? 0 : img.naturalWidth;
  const naturalHeight = placeholder ? 0 : img.naturalHeight;
  // The browser reports a density-x image's natural size in CSS pixels: that is its 1x width.
  const oneX = naturalWidth || attributeWidth || Math.round(img.getBoundingClientRect().width);
  const ratio = naturalWidth && naturalHeight ? naturalHeight / naturalWidth : attributeWidth && attributeHeight ? attributeHeight / attributeWidth : 0;
  const heightFor = (width: number) => (ratio && width ? Math.round(width * ratio) : naturalHeight || attributeHeight);
  const renditions = [...new Set([...candidates.map((c) => c.url), ...(lazy ? [lazy] : []), ...(current && !placeholder ? [absolute(current, base)] : [])])];

  const largest = largestCandidate(candidates, oneX);
  if (largest) {
    const width = candidateWidth(largest, oneX);
    // The displayed file wins only when it is known to be larger than every candidate.
    if (placeholder || width > naturalWidth || (width === 0 && (largest.density ?? 1) > 1)) return { url: largest.url, width: width || naturalWidth || attributeWidth, height: heightFor(width || naturalWidth || attributeWidth), renditions };
  }
  if (lazy && (placeholder || !current)) return { url: lazy, width: attributeWidth, height: attributeHeight, renditions };
  // Nothing better is named: what is shown is the image (a data: URL may well be the real one).
  return { url: current ? absolute(current, base) : '', width: img.naturalWidth || attributeWidth, height: img.naturalHeight || attributeHeight, renditions };
}

/** A CSS image: the best option of an image-set(), or a url(). */
export interface CssImage {
  url: string;
  density: number;
}

/** Splits at top-level commas (not those inside parentheses or quotes). */
function splitTopLevel(value: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let part = '';
  for (const char of value) {
    if (quote) {
      if (char === quote) quote = '';
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '(') depth++;
    else if (char === ')') depth--;
    else if (char === ',' && depth === 0) {
      parts.push(part.trim());
      part = '';
      continue;
    }
    part += char;
  }
  if (part.trim()) parts.push(part.trim());
  return parts;
}

const cssUrl = /^url\(\s*(['"]?)(.*?)\1\s*\)/i;
const cssString = /^(['"])(.*?)\1/;

/** A resolution in dppx: 2x, 2dppx, 192dpi, 75.6dpcm. */
function resolutionOf(text: string): number | null {
  const found = /(?:^|\s)(\d*\.?\d+)(x|dppx|dpi|dpcm)(?=\s|$)/i.exec(text);
  if (!found) return null;
  const value = Number(found[1]);
  const unit = found[2]!.toLowerCase();
  return unit === 'dpi' ? value / 96 : unit === 'dpcm' ? (value * 2.54) / 96 : value;
}

/** The highest-resolution option of an image-set() (the first of equals, as the author ordered them). */
function bestOfImageSet(inner: string, base: string): CssImage | null {
  let best: CssImage | null = null;
  for (const option of splitTopLevel(inner)) {
    const found = cssUrl.exec(option) ?? cssString.exec(option);
    if (!found?.[2]) continue;
    const rest = option.slice(found[0].length).replace(/type\(\s*(['"]).*?\1\s*\)/i, '');
    const density = resolutionOf(rest) ?? 1;
    if (!best || density > best.density) best = { url: absolute(found[2], base), density };
  }
  return best;
}

/** The image a CSS background-image shows: its topmost layer that is an image (url() or image-set()). */
export function cssImage(value: string | null | undefined, base: string): CssImage | null {
  if (!value || value === 'none') return null;
  for (const layer of splitTopLevel(value)) {
    const set = /^(?:-webkit-)?image-set\((.*)\)$/is.exec(layer);
    if (set) {
      const best = bestOfImageSet(set[1]!, base);
      if (best) return best;
      continue;
    }
    const url = cssUrl.exec(layer);
    if (url?.[2]) return { url: absolute(url[2], base), density: 1 };
  }
  return null;
}

/** The url() inside a CSS background-image (the best of an image-set()). */
export function cssImageUrl(value: string | null | undefined, base: string): string | null {
  return cssImage(value, base)?.url ?? null;
}

/** A CSS background image on the element or on its ::before / ::after. */
function backgroundOf(element: Element): CssImage | null {
  const view = element.ownerDocument.defaultView;
  if (!view) return null;
  const base = element.ownerDocument.baseURI;
  for (const pseudo of [null, '::before', '::after']) {
    const found = cssImage(view.getComputedStyle(element, pseudo).backgroundImage, base);
    if (found) return found;
  }
  return null;
}

const XLINK = 'http://www.w3.org/1999/xlink';

/** An SVG <image>'s external file (href, or the older xlink:href). */
function svgImageHref(image: Element): string | null {
  return image.getAttribute('href') ?? image.getAttributeNS(XLINK, 'href') ?? image.getAttribute('xlink:href');
}

/** An <svg> that only frames one external <image> shows that file, not drawing of its own. */
function soleSvgImage(svg: Element): Element | null {
  const drawn = Array.from(svg.children).filter((c) => !['title', 'desc', 'defs', 'metadata', 'style'].includes(c.tagName.toLowerCase()));
  const only = drawn.length === 1 ? drawn[0]! : null;
  return only && only.tagName.toLowerCase() === 'image' && svgImageHref(only) ? only : null;
}

/** A video that has not shown its first frame yet shows its poster. */
function showsPoster(video: HTMLVideoElement): boolean {
  if (!video.getAttribute('poster')) return false;
  return video.readyState < 2 || (video.currentTime === 0 && video.paused);
}

function altOf(element: Element): string {
  return (element.getAttribute('alt') ?? element.getAttribute('aria-label') ?? element.getAttribute('title') ?? '').trim();
}

/** What image an element is, if it is one (or shows one as its background). */
export function resolveElement(element: Element): ResolvedImage | null {
  const tag = element.tagName.toLowerCase();
  const rect = rectOf(element);
  const base = element.ownerDocument.baseURI;
  if (tag === 'img') {
    const best = bestImgSource(element as HTMLImageElement);
    if (!best.url) return null;
    return { kind: 'url', url: best.url, width: best.width, height: best.height, alt: altOf(element), rect, element };
  }
  // An SVG <image> draws an external file: fetched like an <img>, since drawing the SVG would load nothing.
  const svgImage = tag === 'image' && element.closest('svg') ? element : tag === 'svg' ? soleSvgImage(element) : null;
  if (svgImage) {
    const box = rectOf(svgImage);
    const width = Number(svgImage.getAttribute('width')) || Math.round(box.width);
    const height = Number(svgImage.getAttribute('height')) || Math.round(box.height);
    const svg = svgImage.closest('svg')!;
    return { kind: 'url', url: absolute(svgImageHref(svgImage)!, base), width, height, alt: altOf(svgImage) || altOf(svg) || (svg.querySelector('title')?.textContent ?? '').trim(), rect: box, element: svgImage };
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
    // Before its first frame a video shows its poster: that file, not a screenshot of it.
    if (showsPoster(video)) return { kind: 'url', url: absolute(video.getAttribute('poster')!, base), width: 0, height: 0, alt: altOf(element), rect, element };
    return { kind: 'video', url: null, width: video.videoWidth, height: video.videoHeight, alt: altOf(element), rect, element };
  }
  if (tag === 'object' || tag === 'embed') {
    const url = element.getAttribute('data') ?? element.getAttribute('src');
    if (url && /\.svg(\?|$)/i.test(url)) return { kind: 'url', url: absolute(url, base), width: Math.round(rect.width), height: Math.round(rect.height), alt: altOf(element), rect, element };
  }
  const background = backgroundOf(element);
  if (background) return { kind: 'url', url: background.url, width: 0, height: 0, alt: altOf(element), rect, element };
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

/** The URLs an element is reported by: an <img>'s sources, a video's (and its poster), an SVG <image>'s file. */
function reportedUrls(element: Element, base: string): string[] {
  switch (element.tagName.toLowerCase()) {
    case 'img': {
      const img = element as HTMLImageElement;
      return [img.currentSrc, img.src, absolute(img.getAttribute('src') ?? '', base)];
    }
    case 'video': {
      const video = element as HTMLVideoElement;
      const sources = Array.from(video.querySelectorAll('source')).map((s) => absolute(s.getAttribute('src') ?? '', base));
      return [video.currentSrc, absolute(video.getAttribute('src') ?? '', base), absolute(video.getAttribute('poster') ?? '', base), ...sources];
    }
    case 'image':
      return element.closest('svg') ? [absolute(svgImageHref(element) ?? '', base)] : [];
    default:
      return [];
  }
}

/** The image the browser reported as right-clicked (its srcUrl), upgraded to its best source. */
export function resolveBySrcUrl(doc: Document, srcUrl: string): ResolvedImage | null {
  for (const element of allElements(doc)) {
    const urls = reportedUrls(element, element.ownerDocument.baseURI);
    if (urls.length && urls.includes(srcUrl)) return resolveElement(element);
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

/** The URLs one element names for its picture: every rendition, for merging duplicates. */
function renditionsOf(element: Element, resolved: ResolvedImage): string[] {
  const urls = element.tagName === 'IMG' ? bestImgSource(element as HTMLImageElement).renditions : [];
  return [...new Set([resolved.url!, ...urls])];
}

/**
 * Every image on a page at its best source, once each, largest first. Lazy images are sized
 * from their best source (srcset descriptors, density × 1x width, or width/height attributes),
 * not their placeholder; renditions of one image (one srcset group, or the same file on an
 * image CDN at different sizes) make one entry, at the largest size seen.
 */
export function collectPageImages(doc: Document): PageImage[] {
  const entries: PageImage[] = [];
  const byKey = new Map<string, PageImage>();
  for (const element of allElements(doc)) {
    const tag = element.tagName.toLowerCase();
    if (tag === 'canvas' || (tag === 'svg' && !soleSvgImage(element))) continue;
    if (tag !== 'img' && tag !== 'video' && tag !== 'image' && !backgroundOf(element)) continue;
    const resolved = resolveElement(element);
    if (!resolved?.url || resolved.kind !== 'url' || optedOut(doc, element)) continue;
    if (resolved.url.startsWith('data:image/gif') || (!resolved.url.startsWith('data:') && isPlaceholder(resolved.url))) continue;
    const width = resolved.width || Math.round(resolved.rect.width);
    const height = resolved.height || Math.round(resolved.rect.height);
    const keys = renditionsOf(element, resolved).map(renditionKey);
    const known = keys.map((k) => byKey.get(k)).find((e) => e);
    const entry = known ?? { url: resolved.url, width, height, alt: resolved.alt };
    if (!known) entries.push(entry);
    else if (width > known.width) Object.assign(known, { url: resolved.url, width, height, alt: known.alt || resolved.alt });
    else if (!known.alt) known.alt = resolved.alt;
    for (const key of [...keys, renditionKey(entry.url)]) byKey.set(key, entry);
  }
  return entries.sort((a, b) => b.width * b.height - a.width * a.height);
}
