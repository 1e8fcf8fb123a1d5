// Finding the best source of an image, on DOM fixtures.
import { beforeEach, describe, expect, it } from 'vitest';
import { bestImgSource, collectPageImages, cssImageUrl, largestCandidate, optedOut, parseSrcset, resolveBySrcUrl, resolveElement } from '../../../extension/capture/resolve';
import { cssCorpus, markupCorpus } from './corpus/markup';

const BASE = 'https://shop.example.test/products/';

beforeEach(() => {
  document.head.innerHTML = `<base href="${BASE}">`;
  document.body.innerHTML = '';
});

function html(markup: string) {
  document.body.innerHTML = markup;
  return document.body.firstElementChild!;
}

describe('srcset', () => {
  it('parses width and density descriptors, and URLs with commas', () => {
    expect(parseSrcset('a.jpg 480w, b.jpg 1200w,c.jpg 800w', BASE)).toEqual([
      { url: `${BASE}a.jpg`, width: 480 },
      { url: `${BASE}b.jpg`, width: 1200 },
      { url: `${BASE}c.jpg`, width: 800 },
    ]);
    expect(parseSrcset('/img/x.jpg 1x, /img/x@2x.jpg 2x', BASE)).toEqual([
      { url: 'https://shop.example.test/img/x.jpg', density: 1 },
      { url: 'https://shop.example.test/img/x@2x.jpg', density: 2 },
    ]);
    expect(parseSrcset('https://cdn.test/w_400,h_300/a.jpg 400w, https://cdn.test/w_1600,h_1200/a.jpg 1600w', BASE).map((c) => c.width)).toEqual([400, 1600]);
    expect(largestCandidate(parseSrcset('a.jpg 480w, b.jpg 1200w', BASE))!.url).toBe(`${BASE}b.jpg`);
  });
});

describe('the best source of an <img>', () => {
  it('takes the largest srcset candidate over the displayed one', () => {
    const img = html('<img src="small.jpg" srcset="small.jpg 400w, large.jpg 2400w" sizes="(max-width: 600px) 100vw, 400px" alt="Chair">') as HTMLImageElement;
    expect(bestImgSource(img)).toMatchObject({ url: `${BASE}large.jpg`, width: 2400 });
    expect(resolveElement(img)).toMatchObject({ kind: 'url', url: `${BASE}large.jpg`, alt: 'Chair' });
  });

  it('looks through <picture> sources', () => {
    const picture = html('<picture><source type="image/webp" srcset="a.webp 800w, a-big.webp 3000w"><source srcset="a.jpg 800w"><img src="a.jpg" alt="Lamp"></picture>');
    expect(resolveElement(picture.querySelector('img')!)).toMatchObject({ url: `${BASE}a-big.webp`, width: 3000 });
  });

  it('prefers a lazy loader’s real source over its placeholder', () => {
    const lazy = html('<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-src="/photos/real.jpg" alt="Real">') as HTMLImageElement;
    expect(bestImgSource(lazy).url).toBe('https://shop.example.test/photos/real.jpg');
    const lazySet = html('<img src="spacer.gif" data-srcset="p-600.jpg 600w, p-1800.jpg 1800w">') as HTMLImageElement;
    expect(bestImgSource(lazySet)).toMatchObject({ url: `${BASE}p-1800.jpg`, width: 1800 });
  });

  it('keeps a plain image as it is', () => {
    const img = html('<img src="plain.png" alt="Plain">') as HTMLImageElement;
    expect(bestImgSource(img).url).toBe(`${BASE}plain.png`);
  });
});

describe('other kinds of images', () => {
  it('reads CSS backgrounds, also on pseudo-elements', () => {
    expect(cssImageUrl('linear-gradient(red, blue), url("hero.jpg")', BASE)).toBe(`${BASE}hero.jpg`);
    expect(cssImageUrl('none', BASE)).toBeNull();
    const div = html('<div style="background-image: url(\'/bg/wall.jpg\'); width: 300px; height: 200px" aria-label="Wall"></div>');
    expect(resolveElement(div)).toMatchObject({ kind: 'url', url: 'https://shop.example.test/bg/wall.jpg', alt: 'Wall' });
  });

  it('knows inline SVG, canvas and video', () => {
    expect(resolveElement(html('<svg width="40" height="40"><title>Logo</title><circle r="5"/></svg>').querySelector('circle')!)).toMatchObject({ kind: 'svg', alt: 'Logo' });
    expect(resolveElement(html('<canvas width="320" height="200"></canvas>'))).toMatchObject({ kind: 'canvas', width: 320, height: 200 });
    expect(resolveElement(html('<video src="clip.mp4"></video>'))).toMatchObject({ kind: 'video' });
    expect(resolveElement(html('<p>words</p>'))).toBeNull();
  });

  it('finds the right-clicked image by its URL, inside open shadow roots too', () => {
    const host = html('<div id="host"></div>');
    const shadow = host.attachShadow({ mode: 'open' });
    shadow.innerHTML = '<img src="/shadow/thumb.jpg" srcset="/shadow/thumb.jpg 300w, /shadow/full.jpg 1500w" alt="In the shadows">';
    expect(resolveBySrcUrl(document, 'https://shop.example.test/shadow/thumb.jpg')).toMatchObject({ url: 'https://shop.example.test/shadow/full.jpg', alt: 'In the shadows' });
    expect(resolveBySrcUrl(document, 'https://elsewhere.test/none.jpg')).toBeNull();
  });
});

describe('the markup corpus: what a designer right-clicks, and the source they mean', () => {
  it.each(markupCorpus)('$name', ({ markup, expected, prepare }) => {
    document.body.innerHTML = markup;
    const target = document.getElementById('t') ?? document.body.firstElementChild!;
    prepare?.(target);
    const resolved = resolveElement(target);
    if (expected.kind === 'url') expect(resolved).toMatchObject({ kind: 'url', url: expected.url, ...(expected.width ? { width: expected.width } : {}) });
    else expect(resolved).toMatchObject({ kind: expected.kind, url: null });
  });

  it.each(cssCorpus)('CSS: $name', ({ value, expected }) => {
    expect(cssImageUrl(value, BASE)).toBe(expected);
  });

  it('finds a video and an SVG <image> by the URL the browser reports', () => {
    document.body.innerHTML = `
      <video src="/media/clip.mp4" poster="/media/clip-poster.jpg"></video>
      <svg width="200" height="100"><image href="/art/board.png" width="200" height="100"/><circle r="3"/></svg>`;
    expect(resolveBySrcUrl(document, 'https://shop.example.test/media/clip.mp4')).toMatchObject({ kind: 'url', url: 'https://shop.example.test/media/clip-poster.jpg' });
    expect(resolveBySrcUrl(document, 'https://shop.example.test/art/board.png')).toMatchObject({ kind: 'url', url: 'https://shop.example.test/art/board.png' });
  });
});

describe('opt-outs', () => {
  it('honour the page’s nopin meta and an image’s own marker', () => {
    expect(optedOut(document)).toBeNull();
    document.head.insertAdjacentHTML('beforeend', '<meta name="pinterest" content="nopin" description="Sorry">');
    expect(optedOut(document)).toMatch(/asks that its images not be saved/);
    document.head.innerHTML = `<base href="${BASE}">`;
    const img = html('<img src="a.jpg" data-pin-nopin="true">');
    expect(optedOut(document, img)).toMatch(/marked by its site/);
  });
});

describe('collecting a page’s images', () => {
  it('lists each image once at its best source, largest first', () => {
    document.body.innerHTML = `
      <img src="a.jpg" srcset="a.jpg 300w, a-big.jpg 2000w" width="300" height="200">
      <img src="icon.png" width="16" height="16">
      <img src="b.jpg" width="300" height="200">
      <div style="background-image:url(bg.jpg)"></div>
      <img src="secret.jpg" data-pin-nopin>`;
    const images = collectPageImages(document);
    expect(images.map((i) => i.url)).toEqual([`${BASE}a-big.jpg`, `${BASE}b.jpg`, `${BASE}icon.png`, `${BASE}bg.jpg`]);
    expect(images[0]).toMatchObject({ width: 2000, height: 1333 });
  });

  it('sizes lazy images from their best source, not their 1×1 placeholder, so the 200 px filter keeps them', () => {
    document.body.innerHTML = `
      <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=" data-srcset="p-600.jpg 600w, p-1800.jpg 1800w" width="300" height="200" alt="By srcset">
      <img loading="lazy" src="/img/1x1.png" data-src="/photos/q.jpg" width="640" height="480" alt="By attributes">
      <img src="r.jpg" srcset="r.jpg 1x, r@2x.jpg 2x" width="400" height="300" alt="By density">`;
    const images = collectPageImages(document);
    expect(images).toEqual([
      { url: `${BASE}p-1800.jpg`, width: 1800, height: 1200, alt: 'By srcset' },
      { url: `${BASE}r@2x.jpg`, width: 800, height: 600, alt: 'By density' },
      { url: 'https://shop.example.test/photos/q.jpg', width: 640, height: 480, alt: 'By attributes' },
    ]);
    expect(images.filter((i) => Math.max(i.width, i.height) >= 200)).toHaveLength(3);
  });

  it('merges the renditions of one image into one entry at its largest size', () => {
    document.body.innerHTML = `
      <img src="https://i.pinimg.com/236x/8a/1b/2c/pin.jpg" width="236" height="300" alt="Pin">
      <img src="https://i.pinimg.com/736x/8a/1b/2c/pin.jpg" width="736" height="936">
      <img src="https://mir-s3-cdn-cf.behance.net/project_modules/404/mod.jpg" width="404" height="300">
      <img src="https://mir-s3-cdn-cf.behance.net/project_modules/1400/mod.jpg" width="1400" height="1040" alt="Module">
      <img src="thumb.jpg" srcset="thumb.jpg 400w, full.jpg 1600w" width="400" height="250">
      <img src="thumb.jpg" width="400" height="250" alt="Same group">`;
    expect(collectPageImages(document)).toEqual([
      { url: `${BASE}full.jpg`, width: 1600, height: 1000, alt: 'Same group' },
      { url: 'https://mir-s3-cdn-cf.behance.net/project_modules/1400/mod.jpg', width: 1400, height: 1040, alt: 'Module' },
      { url: 'https://i.pinimg.com/736x/8a/1b/2c/pin.jpg', width: 736, height: 936, alt: 'Pin' },
    ]);
  });
});
