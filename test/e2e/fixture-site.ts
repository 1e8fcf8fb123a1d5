// A small web site for capture tests, served on two origins (127.0.0.1 and localhost, one
// port): a page per kind of image, images of known sizes made on request, no CORS headers
// anywhere, and one image that answers 403 unless the page is sent as Referer.
import { createServer, type Server } from 'node:http';
import { encodePngInBands } from '../../shared/imaging/png-encode';
import { createPng } from '../fakes/png';

export interface FixtureSite {
  origin: string;
  /** The same server under another origin, for cross-origin images. */
  otherOrigin: string;
  close(): Promise<void>;
}

/** /img/{w}x{h}/{r}-{g}-{b}.png: a PNG of exactly that size and colour. */
export const imagePath = (w: number, h: number, rgb: [number, number, number] = [200, 80, 40]) => `/img/${w}x${h}/${rgb.join('-')}.png`;

/** /art/{n}.png: a 768 px picture of waves and rings, each n its own (perceptual hashes 25+ bits apart), to train a Style on. */
export const artPath = (n: number) => `/art/${n}.png`;

/** The same picture at any size (its waves and rings are laid out on a 768 px grid). */
function paintArt(n: number, side = 768) {
  const k = 768 / side;
  const rgba = new Uint8Array(side * side * 4);
  const angle = (n * 67 * Math.PI) / 180;
  const period = 70 + ((n * 53) % 160);
  const cx = side * (0.2 + ((n * 0.37) % 0.6));
  const cy = side * (0.25 + ((n * 0.61) % 0.5));
  const unit = (v: number) => Math.round(255 * Math.min(1, Math.max(0, v)));
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      const wave = Math.sin((2 * Math.PI * (x * k * Math.cos(angle) + y * k * Math.sin(angle))) / period);
      const ring = Math.cos(Math.hypot(x * k - cx * k, y * k - cy * k) / (30 + n * 9));
      const v = 0.5 + 0.3 * wave + 0.2 * ring;
      const o = (y * side + x) * 4;
      rgba[o] = unit(v * (0.6 + 0.08 * n));
      rgba[o + 1] = unit(1 - v * 0.8);
      rgba[o + 2] = unit(0.3 + 0.5 * ring);
      rgba[o + 3] = 255;
    }
  }
  return encodePngInBands({ width: side, height: side, rgba });
}

/** Grain over a flat colour, as much detail as a sharp photo: 6000×4000 at quality 90 is about 16 MB. */
async function cameraPhoto(): Promise<Buffer> {
  const sharp = (await import('sharp')).default;
  return sharp({ create: { width: 6000, height: 4000, channels: 3, background: { r: 120, g: 140, b: 160 }, noise: { type: 'gaussian', mean: 128, sigma: 45 } } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

function pages(origin: string, other: string): Record<string, string> {
  const page = (title: string, body: string, head = '') => `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>${head}<style>body{margin:0;font:14px sans-serif} .box{width:320px;height:200px}</style></head><body>${body}</body></html>`;
  return {
    plain: page('Plain image', `<img id="target" src="${imagePath(640, 400)}" alt="A plain image" width="320" height="200">`),
    srcset: page('Srcset', `<img id="target" src="${imagePath(400, 250)}" srcset="${imagePath(400, 250)} 400w, ${imagePath(1600, 1000)} 1600w" sizes="(max-width: 2000px) 320px, 320px" alt="Responsive" width="320" height="200">`),
    picture: page('Picture', `<picture><source srcset="${imagePath(1200, 750, [10, 120, 200])} 1200w, ${imagePath(2400, 1500, [10, 120, 200])} 2400w"><img id="target" src="${imagePath(300, 188)}" alt="In a picture" width="320" height="200"></picture>`),
    lazy: page('Lazy', `<img id="target" src="data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7" data-src="${imagePath(1280, 800, [30, 160, 60])}" alt="Lazy" width="320" height="200">`),
    background: page('Background', `<div id="target" class="box" style="background-image:url('${imagePath(1000, 625, [120, 40, 160])}');background-size:cover" aria-label="Background"></div>`),
    pseudo: page('Pseudo', `<style>#target{position:relative}#target::before{content:'';position:absolute;inset:0;background-image:url('${imagePath(900, 600, [200, 200, 40])}')}</style><div id="target" class="box"></div>`),
    svg: page('Inline SVG', `<svg id="target" width="240" height="160" viewBox="0 0 240 160"><title>Badge</title><rect width="240" height="160" fill="#5b4bff"/><circle cx="120" cy="80" r="50" fill="#fff"/></svg>`),
    canvas: page('Canvas', `<canvas id="target" width="300" height="180"></canvas><script>const c=document.getElementById('target').getContext('2d');c.fillStyle='#e05020';c.fillRect(0,0,300,180);c.fillStyle='#fff';c.fillRect(100,60,100,60);</script>`),
    'tainted-canvas': page('Tainted canvas', `<canvas id="target" width="300" height="180"></canvas><script>const i=new Image();i.onload=()=>{const c=document.getElementById('target').getContext('2d');c.drawImage(i,0,0,300,180);document.title='Tainted canvas ready'};i.src='${other}${imagePath(300, 180, [20, 200, 120])}';</script>`),
    shadow: page('Shadow DOM', `<div id="host"></div><script>const r=document.getElementById('host').attachShadow({mode:'open'});r.innerHTML='<img id="target" src="${imagePath(300, 200)}" srcset="${imagePath(300, 200)} 300w, ${imagePath(1500, 1000, [250, 120, 0])} 1500w" sizes="320px" alt="Shadowed" width="320" height="200">';</script>`),
    iframe: page('Iframe', `<iframe id="frame" src="${origin}/pages/plain" width="400" height="260" style="border:0"></iframe>`),
    'cross-origin': page('Cross-origin', `<img id="target" src="${other}${imagePath(1024, 640, [0, 90, 200])}" alt="From another origin" width="320" height="200">`),
    blob: page('Blob', `<img id="target" alt="From a blob" width="320" height="200"><script>fetch('${imagePath(800, 500, [90, 90, 90])}').then(r=>r.blob()).then(b=>{document.getElementById('target').src=URL.createObjectURL(b);document.title='Blob ready'});</script>`),
    referer: page('Hotlink protected', `<img id="target" src="/protected${imagePath(700, 437, [160, 20, 20])}" alt="Protected" width="320" height="200">`),
    icons: page('Icons', `<img src="${imagePath(16, 16)}" width="16" height="16"><img src="${imagePath(32, 32, [1, 2, 3])}" width="32" height="32"><img src="${imagePath(1200, 800)}" width="300" height="200"><img src="${imagePath(900, 900, [5, 5, 200])}" width="300" height="300">`),
    // Ten images of many shapes, under a title long enough to test the panel's width.
    gallery: page(
      'A gallery of harbours, lighthouses and long coastal walks at dusk, with a title far longer than any panel is wide',
      ([[600, 1066], [1066, 600], [800, 800], [900, 600], [600, 900], [1200, 500], [500, 1000], [700, 700], [1000, 750], [750, 1000]] as const)
        .map(([w, h], i) => `<img src="${imagePath(w, h, [40 + i * 20, 120, 220 - i * 15])}" alt="Gallery image ${i + 1}" width="${w / 4}" height="${h / 4}">`)
        .join(''),
    ),
    art: page('Harbour studies', [0, 1, 2, 3, 4].map((n) => `<img src="${artPath(n)}" alt="Study ${n + 1}" width="192" height="192">`).join('')),
    wordpress: page('A WordPress post', ['harbour', 'swapped'].map((name) => `<img id="${name}" src="/wp-content/uploads/2026/11/${name}-300x300.png" alt="${name}" width="300" height="300">`).join('')),
    // A storage bucket that sends every file as application/octet-stream.
    octet: page('Octet stream', `<img id="target" src="/octet${imagePath(900, 560, [40, 140, 90])}" alt="Sent as bytes" width="320" height="200">`),
    photo: page('A photo', `<img id="target" src="/photo/6000x4000.jpg" alt="A camera original" width="600" height="400">`),
    optout: page('Opted out', `<img id="target" src="${imagePath(500, 300)}" width="320" height="200">`, '<meta name="pinterest" content="nopin">'),
  };
}

export async function startFixtureSite(): Promise<FixtureSite> {
  let port = 0;
  const made = new Map<string, Uint8Array<ArrayBuffer>>();
  let photo: Promise<Buffer> | undefined;
  const server: Server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host}`);
    const origin = `http://127.0.0.1:${port}`;
    const other = `http://localhost:${port}`;
    const image = /^(\/protected)?\/img\/(\d+)x(\d+)\/(\d+)-(\d+)-(\d+)\.png$/.exec(url.pathname);
    if (image) {
      if (image[1] && !(request.headers.referer ?? '').startsWith(`${url.protocol}//${url.host}/pages/`)) {
        response.writeHead(403, { 'content-type': 'text/plain' }).end('Hotlinking is not allowed');
        return;
      }
      const key = url.pathname.replace(/^\/protected/, '');
      let png = made.get(key);
      if (!png) made.set(key, (png = createPng(Number(image[2]), Number(image[3]), [Number(image[4]), Number(image[5]), Number(image[6])])));
      response.writeHead(200, { 'content-type': 'image/png', 'content-length': png.byteLength, 'cache-control': 'no-store' }).end(png);
      return;
    }
    const octet = /^\/octet\/img\/(\d+)x(\d+)\/(\d+)-(\d+)-(\d+)\.png$/.exec(url.pathname);
    if (octet) {
      const png = createPng(Number(octet[1]), Number(octet[2]), [Number(octet[3]), Number(octet[4]), Number(octet[5])]);
      response.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': png.byteLength, 'cache-control': 'no-store' }).end(png);
      return;
    }
    // A WordPress media library: each upload at full size and as a 300 px rendition, "-300x300".
    // "swapped" is a site whose full-size file is another picture than its rendition.
    const wp = /^\/wp-content\/uploads\/2026\/11\/(harbour|swapped)(-300x300)?\.png$/.exec(url.pathname);
    if (wp) {
      const n = wp[1] === 'swapped' && !wp[2] ? 3 : 1;
      void paintArt(n, wp[2] ? 300 : 768).then((png) => response.writeHead(200, { 'content-type': 'image/png', 'content-length': png.byteLength, 'cache-control': 'no-store' }).end(png));
      return;
    }
    // A camera original as photo sites serve it: 6000×4000, about 16 MB of JPEG (made once, on first request).
    if (url.pathname === '/photo/6000x4000.jpg') {
      void (photo ??= cameraPhoto()).then((jpeg) => response.writeHead(200, { 'content-type': 'image/jpeg', 'content-length': jpeg.byteLength, 'cache-control': 'no-store' }).end(jpeg));
      return;
    }
    const art = /^\/art\/(\d)\.png$/.exec(url.pathname);
    if (art) {
      void paintArt(Number(art[1])).then((png) => response.writeHead(200, { 'content-type': 'image/png', 'content-length': png.byteLength, 'cache-control': 'no-store' }).end(png));
      return;
    }
    const name = /^\/pages\/([\w-]+)$/.exec(url.pathname)?.[1];
    const html = name ? pages(origin, other)[name] : undefined;
    if (html) {
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html);
      return;
    }
    response.writeHead(404).end('not found');
  });
  await new Promise<void>((resolve) => server.listen(0, resolve)); // both IPv4 and IPv6, as localhost may be either
  port = (server.address() as { port: number }).port;
  return {
    origin: `http://127.0.0.1:${port}`,
    otherOrigin: `http://localhost:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
