// Markup patterns the resolver meets on real sites, each with the source a designer means.
// The element right-clicked is #t (else the snippet's first element). URLs resolve against
// the fixture's base, https://shop.example.test/products/.

const B = 'https://shop.example.test/products/';
const ROOT = 'https://shop.example.test';
const GIF = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';

export interface MarkupCase {
  name: string;
  markup: string;
  expected: { kind: 'url'; url: string; width?: number } | { kind: 'svg' | 'video' | 'canvas' };
  /** What the DOM cannot say in markup (a video's playback state). */
  prepare?: (target: Element) => void;
}

const playing = (target: Element) => {
  Object.defineProperty(target, 'readyState', { value: 4 });
  Object.defineProperty(target, 'paused', { value: false });
  Object.defineProperty(target, 'currentTime', { value: 3.2 });
};

export const markupCorpus: MarkupCase[] = [
  // srcset
  { name: 'srcset with width descriptors → the widest', markup: '<img src="s.jpg" srcset="s.jpg 480w, l.jpg 1920w, m.jpg 960w" sizes="100vw">', expected: { kind: 'url', url: `${B}l.jpg`, width: 1920 } },
  { name: 'srcset with densities 1x, 2x, 3x → 3x, not the displayed 1x', markup: '<img src="a.jpg" srcset="a.jpg 1x, a@2x.jpg 2x, a@3x.jpg 3x" width="320" height="200">', expected: { kind: 'url', url: `${B}a@3x.jpg`, width: 960 } },
  { name: 'srcset densities out of order, 1x with no descriptor', markup: '<img src="a.jpg" srcset="a@3x.jpg 3x, a.jpg, a@2x.jpg 2x">', expected: { kind: 'url', url: `${B}a@3x.jpg` } },
  { name: 'srcset 2x beside a src that is not in it', markup: '<img src="hero.jpg" srcset="hero-retina.jpg 2x" width="600">', expected: { kind: 'url', url: `${B}hero-retina.jpg`, width: 1200 } },
  { name: 'srcset with fractional densities', markup: '<img src="b.jpg" srcset="b-15.jpg 1.5x, b-225.jpg 2.25x, b.jpg 1x" width="400">', expected: { kind: 'url', url: `${B}b-225.jpg`, width: 900 } },
  { name: 'srcset URLs with commas (Cloudinary transformations)', markup: '<img src="https://res.cloudinary.com/d/image/upload/w_400,h_300/x.jpg" srcset="https://res.cloudinary.com/d/image/upload/w_400,h_300/x.jpg 400w, https://res.cloudinary.com/d/image/upload/w_1600,h_1200/x.jpg 1600w">', expected: { kind: 'url', url: 'https://res.cloudinary.com/d/image/upload/w_1600,h_1200/x.jpg', width: 1600 } },
  { name: 'srcset with root-relative URLs and odd spacing', markup: '<img src="/i/c.jpg" srcset="  /i/c.jpg   1x ,/i/c-2x.jpg 2x  ">', expected: { kind: 'url', url: `${ROOT}/i/c-2x.jpg` } },
  // <picture>
  { name: '<picture> with density sources', markup: '<picture><source type="image/webp" srcset="p.webp 1x, p@2x.webp 2x"><img id="t" src="p.jpg" width="500"></picture>', expected: { kind: 'url', url: `${B}p@2x.webp`, width: 1000 } },
  { name: '<picture> art direction: the widest of all sources', markup: '<picture><source media="(max-width: 600px)" srcset="m-600.jpg 600w, m-1200.jpg 1200w"><source srcset="d-1400.jpg 1400w, d-2800.jpg 2800w"><img id="t" src="d-1400.jpg"></picture>', expected: { kind: 'url', url: `${B}d-2800.jpg`, width: 2800 } },
  { name: '<picture> mixing w and x: 1600w beats 2 × 400', markup: '<picture><source srcset="w-800.jpg 800w, w-1600.jpg 1600w"><img id="t" src="x.jpg" srcset="x.jpg 1x, x@2x.jpg 2x" width="400"></picture>', expected: { kind: 'url', url: `${B}w-1600.jpg`, width: 1600 } },
  { name: '<picture> mixing w and x: 3 × 400 beats 600w', markup: '<picture><source srcset="w-300.jpg 300w, w-600.jpg 600w"><img id="t" src="x.jpg" srcset="x.jpg 1x, x@3x.jpg 3x" width="400"></picture>', expected: { kind: 'url', url: `${B}x@3x.jpg`, width: 1200 } },
  { name: '<picture> with lazy data-srcset sources', markup: `<picture><source data-srcset="q-700.avif 700w, q-2100.avif 2100w" type="image/avif"><img id="t" src="${GIF}" data-src="q-700.jpg"></picture>`, expected: { kind: 'url', url: `${B}q-2100.avif`, width: 2100 } },
  // Lazy loaders
  { name: 'lazy data-src behind a 1×1 gif', markup: `<img src="${GIF}" data-src="/photos/real.jpg" width="800" height="600">`, expected: { kind: 'url', url: `${ROOT}/photos/real.jpg`, width: 800 } },
  { name: 'lazy data-srcset behind a spacer file', markup: '<img src="/assets/spacer.gif" data-srcset="k-500.jpg 500w, k-1500.jpg 1500w">', expected: { kind: 'url', url: `${B}k-1500.jpg`, width: 1500 } },
  { name: 'WP Rocket data-lazy-src behind an SVG placeholder', markup: '<img src="data:image/svg+xml,%3Csvg%20xmlns=\'http://www.w3.org/2000/svg\'%20viewBox=\'0%200%20900%20600\'%3E%3C/svg%3E" data-lazy-src="https://blog.example/wp-content/uploads/2024/05/sofa.jpg" width="900" height="600">', expected: { kind: 'url', url: 'https://blog.example/wp-content/uploads/2024/05/sofa.jpg', width: 900 } },
  { name: 'WP Rocket data-lazy-srcset', markup: '<img src="data:image/svg+xml,%3Csvg%3E%3C/svg%3E" data-lazy-srcset="t-300x200.jpg 300w, t-1024x683.jpg 1024w, t.jpg 1800w" data-lazy-src="t-300x200.jpg">', expected: { kind: 'url', url: `${B}t.jpg`, width: 1800 } },
  { name: 'loading=lazy with a 1×1 placeholder file', markup: '<img loading="lazy" src="/img/1x1.png" data-src="/img/gallery-7.jpg" width="1200" height="800">', expected: { kind: 'url', url: `${ROOT}/img/gallery-7.jpg`, width: 1200 } },
  { name: 'lazysizes: a blurred data: preview and data-srcset', markup: '<img class="lazyload" src="data:image/jpeg;base64,/9j/4AAQSkZJRg==" data-srcset="z-400.jpg 400w, z-1200.jpg 1200w" data-sizes="auto">', expected: { kind: 'url', url: `${B}z-1200.jpg`, width: 1200 } },
  { name: 'jQuery lazyload data-original', markup: '<img src="/img/grey.gif" data-original="/uploads/tile.png">', expected: { kind: 'url', url: `${ROOT}/uploads/tile.png` } },
  { name: 'a loaded lazy image keeps its real src', markup: '<img class="lazyloaded" src="/photos/done.jpg" data-src="/photos/done.jpg">', expected: { kind: 'url', url: `${ROOT}/photos/done.jpg` } },
  { name: 'a plain image stays as it is', markup: '<img src="plain.png">', expected: { kind: 'url', url: `${B}plain.png` } },
  { name: 'an inline data: image with nothing better is the image', markup: '<img src="data:image/png;base64,iVBORw0KGgo=">', expected: { kind: 'url', url: 'data:image/png;base64,iVBORw0KGgo=' } },
  // CSS
  { name: 'a CSS background url()', markup: '<div style="background-image: url(\'/bg/wall.jpg\')"></div>', expected: { kind: 'url', url: `${ROOT}/bg/wall.jpg` } },
  { name: 'a CSS background under a gradient layer', markup: '<div style="background-image: linear-gradient(rgba(0,0,0,.4), rgba(0,0,0,.4)), url(hero.jpg)"></div>', expected: { kind: 'url', url: `${B}hero.jpg` } },
  // SVG
  { name: 'an SVG <image href> is its own file, not a drawing', markup: '<svg width="300" height="200"><image id="t" href="/art/board.png" width="300" height="200"/></svg>', expected: { kind: 'url', url: `${ROOT}/art/board.png`, width: 300 } },
  { name: 'an SVG <image xlink:href>', markup: '<svg xmlns:xlink="http://www.w3.org/1999/xlink" width="300" height="200"><image id="t" xlink:href="legacy.jpg" width="300" height="200"/></svg>', expected: { kind: 'url', url: `${B}legacy.jpg` } },
  { name: 'an <svg> that only frames one <image>', markup: '<svg viewBox="0 0 100 100"><title>Framed</title><image href="framed.webp" width="100" height="100"/></svg>', expected: { kind: 'url', url: `${B}framed.webp` } },
  { name: 'an SVG drawing stays a drawing', markup: '<svg width="40" height="40"><circle id="t" r="5"/><rect width="4" height="4"/></svg>', expected: { kind: 'svg' } },
  { name: 'an SVG file in an <object>', markup: '<object data="/logos/mark.svg" type="image/svg+xml"></object>', expected: { kind: 'url', url: `${ROOT}/logos/mark.svg` } },
  // Video and canvas
  { name: 'a video before its first frame → its poster', markup: '<video src="clip.mp4" poster="/posters/clip.jpg"></video>', expected: { kind: 'url', url: `${ROOT}/posters/clip.jpg` } },
  { name: 'a playing video → its frame', markup: '<video src="clip.mp4" poster="/posters/clip.jpg"></video>', prepare: playing, expected: { kind: 'video' } },
  { name: 'a video with no poster → its frame', markup: '<video src="clip.mp4"></video>', expected: { kind: 'video' } },
  { name: 'a canvas', markup: '<canvas width="320" height="200"></canvas>', expected: { kind: 'canvas' } },
];

/**
 * CSS background-image values as the browser computes them (absolute URLs, quoted), and the
 * file a designer means. The DOM fixture cannot compute image-set() itself, so these run on
 * the values Chromium and Firefox return from getComputedStyle.
 */
export const cssCorpus: { name: string; value: string; expected: string | null }[] = [
  { name: 'image-set() → the highest density, not the first url()', value: `image-set(url("${B}a.jpg") 1x, url("${B}a@2x.jpg") 2x)`, expected: `${B}a@2x.jpg` },
  { name: '-webkit-image-set() with the densities out of order', value: `-webkit-image-set(url("${B}b@2x.jpg") 2x, url("${B}b@3x.jpg") 3x, url("${B}b.jpg") 1x)`, expected: `${B}b@3x.jpg` },
  { name: 'image-set() with type() (as Chromium serializes it)', value: `image-set(url("${B}c.avif") type("image/avif") 2x, url("${B}c.jpg") type("image/jpeg") 1x)`, expected: `${B}c.avif` },
  { name: 'image-set() with bare strings, relative', value: 'image-set("c.webp" 1x, "c-2.webp" 2x)', expected: `${B}c-2.webp` },
  { name: 'image-set() in dpi and dppx', value: 'image-set(url(d.jpg) 96dpi, url(d-hi.jpg) 2dppx)', expected: `${B}d-hi.jpg` },
  { name: 'image-set() with an option that names no density (1x)', value: 'image-set(url(e.jpg), url(e-2.jpg) 2x)', expected: `${B}e-2.jpg` },
  { name: 'image-set() under a gradient layer', value: 'linear-gradient(rgba(0, 0, 0, 0.4), rgba(0, 0, 0, 0.4)), image-set(url("f.jpg") 1x, url("f@2x.jpg") 2x)', expected: `${B}f@2x.jpg` },
  { name: 'a url() with a comma and parentheses inside quotes', value: 'url("https://res.cloudinary.com/d/image/upload/w_400,h_300/x(1).jpg")', expected: 'https://res.cloudinary.com/d/image/upload/w_400,h_300/x(1).jpg' },
  { name: 'the topmost of two image layers', value: `url("${B}top.png"), url("${B}under.jpg")`, expected: `${B}top.png` },
  { name: 'only a gradient: no image', value: 'radial-gradient(circle, red, blue)', expected: null },
];
