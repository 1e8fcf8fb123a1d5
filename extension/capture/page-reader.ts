// What the capture script does inside the page: resolve the image, read what only the page
// can read (blob: and data: URLs, canvases, video frames, inline SVG), let the user drag a
// region, and list the page's images.
import { type CollectAnswer, type PageFacts, type PageHandlers, type RegionAnswer, type ResolveAnswer } from './page-protocol';
import { toBase64 } from '../../shared/encoding';
import { pickImage } from './picker';
import { collectPageImages, optedOut, type Rect, type ResolvedImage, resolveAtPoint, resolveBySrcUrl } from './resolve';

const isSvgUrl = (url: string) => /\.svg(\?|#|$)/i.test(url) || url.startsWith('data:image/svg');

export function pageFacts(): PageFacts {
  return { pageUrl: location.href, pageTitle: document.title, dpr: window.devicePixelRatio || 1 };
}

async function blobToInline(blob: Blob) {
  return { base64: toBase64(new Uint8Array(await blob.arrayBuffer())), contentType: blob.type || 'image/png' };
}

function canvasToBlob(canvas: HTMLCanvasElement): Promise<Blob | null> {
  return new Promise((resolve) => {
    try {
      canvas.toBlob((b) => resolve(b), 'image/png');
    } catch {
      resolve(null); // tainted by cross-origin pixels: only a screenshot can take it
    }
  });
}

/** Draws an inline SVG at twice its size into a PNG (uploads take raster images). */
async function rasterizeSvg(svg: Element): Promise<Blob | null> {
  const box = svg.getBoundingClientRect();
  const scale = 2;
  const clone = svg.cloneNode(true) as Element;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  if (!clone.getAttribute('width')) clone.setAttribute('width', String(box.width));
  if (!clone.getAttribute('height')) clone.setAttribute('height', String(box.height));
  const url = URL.createObjectURL(new Blob([new XMLSerializer().serializeToString(clone)], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.src = url;
    await image.decode();
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(box.width * scale));
    canvas.height = Math.max(1, Math.round(box.height * scale));
    canvas.getContext('2d')!.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await canvasToBlob(canvas);
  } catch {
    return null;
  } finally {
    URL.revokeObjectURL(url);
  }
}

function videoFrame(video: HTMLVideoElement): Promise<Blob | null> {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  if (!canvas.width || !canvas.height) return Promise.resolve(null);
  canvas.getContext('2d')!.drawImage(video, 0, 0);
  return canvasToBlob(canvas);
}

async function inlineBytes(found: ResolvedImage): Promise<Blob | null> {
  if (found.kind === 'svg') return rasterizeSvg(found.element);
  if (found.kind === 'canvas') return canvasToBlob(found.element as HTMLCanvasElement);
  if (found.kind === 'video') return videoFrame(found.element as HTMLVideoElement);
  if (found.url && isSvgUrl(found.url)) {
    // A referenced SVG: draw it in the page (uploads take raster images).
    try {
      const image = new Image();
      image.src = found.url;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, (image.naturalWidth || found.rect.width) * 2);
      canvas.height = Math.max(1, (image.naturalHeight || found.rect.height) * 2);
      canvas.getContext('2d')!.drawImage(image, 0, 0, canvas.width, canvas.height);
      return await canvasToBlob(canvas);
    } catch {
      return null;
    }
  }
  if (found.url && (found.url.startsWith('blob:') || found.url.startsWith('data:'))) {
    try {
      return await (await fetch(found.url)).blob();
    } catch {
      return null;
    }
  }
  return null;
}

export async function resolveInPage(request: { srcUrl?: string; x?: number; y?: number }): Promise<ResolveAnswer> {
  const facts = pageFacts();
  const pageRefusal = optedOut(document);
  if (pageRefusal) return { ok: false, reason: 'opted_out', message: pageRefusal, ...facts };
  const found = (request.srcUrl ? resolveBySrcUrl(document, request.srcUrl) : null) ?? (request.x !== undefined && request.y !== undefined ? resolveAtPoint(document, request.x, request.y) : null);
  if (!found) {
    // Chrome named an image we cannot find in the DOM (e.g. it was replaced): take its URL as it is.
    if (request.srcUrl) return { ok: true, kind: 'url', url: request.srcUrl, width: 0, height: 0, alt: '', rect: { x: 0, y: 0, width: 0, height: 0 }, inline: null, needsScreenshot: false, ...facts };
    return { ok: false, reason: 'nothing_here', message: 'There is no image there. Right-click an image, or use "Capture a region…".', ...facts };
  }
  const elementRefusal = optedOut(document, found.element);
  if (elementRefusal) return { ok: false, reason: 'opted_out', message: elementRefusal, ...facts };
  const url = found.url ?? '';
  const needsPage = found.kind !== 'url' || url.startsWith('blob:') || url.startsWith('data:') || isSvgUrl(url);
  const blob = needsPage ? await inlineBytes(found) : null;
  return {
    ok: true,
    kind: found.kind,
    url: found.url,
    width: found.width,
    height: found.height,
    alt: found.alt,
    rect: found.rect,
    inline: blob ? await blobToInline(blob) : null,
    needsScreenshot: needsPage && !blob,
    ...facts,
  };
}

export function collectInPage(): CollectAnswer {
  return { images: collectPageImages(document), optedOut: optedOut(document), ...pageFacts() };
}

/** A rectangle the user drags over the page; Escape cancels. */
export function dragRegion(): Promise<RegionAnswer> {
  return new Promise((resolve) => {
    const overlay = document.createElement('div');
    overlay.setAttribute('data-exactly-region', '');
    overlay.style.cssText = 'position:fixed;inset:0;z-index:2147483647;cursor:crosshair;background:rgba(20,16,60,.25)';
    const box = document.createElement('div');
    box.style.cssText = 'position:fixed;border:2px solid #5b4bff;background:rgba(91,75,255,.15);display:none;pointer-events:none';
    const hint = document.createElement('div');
    hint.textContent = 'Drag over the area to capture · Esc to cancel';
    hint.style.cssText = 'position:fixed;top:12px;left:50%;transform:translateX(-50%);background:#1d1b19;color:#fff;font:13px system-ui;padding:6px 10px;border-radius:6px';
    overlay.append(box, hint);
    document.documentElement.append(overlay);
    let start: { x: number; y: number } | null = null;
    const done = (rect: Rect | null) => {
      overlay.remove();
      window.removeEventListener('keydown', onKey, true);
      // Let the page repaint without the overlay before the screenshot.
      requestAnimationFrame(() => requestAnimationFrame(() => resolve({ rect, ...pageFacts() })));
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && done(null);
    window.addEventListener('keydown', onKey, true);
    const rectTo = (e: MouseEvent): Rect => ({
      x: Math.min(start!.x, e.clientX),
      y: Math.min(start!.y, e.clientY),
      width: Math.abs(e.clientX - start!.x),
      height: Math.abs(e.clientY - start!.y),
    });
    overlay.addEventListener('mousedown', (e) => {
      start = { x: e.clientX, y: e.clientY };
      box.style.display = 'block';
    });
    overlay.addEventListener('mousemove', (e) => {
      if (!start) return;
      const r = rectTo(e);
      Object.assign(box.style, { left: `${r.x}px`, top: `${r.y}px`, width: `${r.width}px`, height: `${r.height}px` });
    });
    overlay.addEventListener('mouseup', (e) => {
      if (!start) return;
      const r = rectTo(e);
      done(r.width >= 8 && r.height >= 8 ? r : null);
    });
  });
}

/** What the capture script answers, message by message. */
export const pageHandlers: PageHandlers = {
  'capture.resolve': (request) => resolveInPage(request),
  'capture.collect': async () => collectInPage(),
  'capture.region': () => dragRegion(),
  'capture.pick': async () => ({ point: await pickImage(), ...pageFacts() }),
};
