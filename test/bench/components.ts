// npm run bench, Agentic components in the side panel: how long measuring one reference takes
// in Chromium, with the panel's own code (extension/panel/agentic/decode.ts decoding to 128 px,
// then extractComponents from shared/). Two references, 30 runs each, median and p90:
//  - a photo of about 4 MB (3000×2000 JPEG): the panel measures the 160 px thumbnail the
//    capture made from it (the same JPEG settings as extension/capture/flow.ts);
//  - a 1024 px PNG (a result used again, or the server's image when no thumbnail was kept).
// Also the live blend preview: blending three references and painting the 96×64 sketch.
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { findChromium, root } from '../../scripts/lib/worker.ts';

const RUNS = 30;

// Runs inside the page: everything it needs is bundled from the project's own modules.
const pageScript = `
import { blobOfDataUrl, rasterOf } from './extension/panel/agentic/decode';
import { blendComponents, extractComponents } from './shared/style/components';
import { promptComponents } from './shared/style/prompt';
import { paintScene } from './shared/style/render';

const median = (t) => [...t].sort((a, b) => a - b)[Math.floor(t.length / 2)];
const p90 = (t) => [...t].sort((a, b) => a - b)[Math.min(t.length - 1, Math.floor(t.length * 0.9))];

/** A photo-like frame: a painted scene with sensor-like noise, so JPEG has real detail to keep. */
function photo(width, height, seed, look) {
  const rgba = paintScene({ width, height, seed, components: promptComponents(look) });
  let s = seed >>> 0;
  for (let i = 0; i < rgba.length; i += 4) {
    for (let c = 0; c < 3; c++) {
      s = (s * 1664525 + 1013904223) >>> 0;
      rgba[i + c] = Math.max(0, Math.min(255, rgba[i + c] + ((s >>> 24) - 128) / 6));
    }
  }
  return rgba;
}

async function encode(rgba, width, height, type, quality) {
  const canvas = new OffscreenCanvas(width, height);
  canvas.getContext('2d').putImageData(new ImageData(new Uint8ClampedArray(rgba.buffer), width, height), 0, 0);
  return canvas.convertToBlob({ type, quality });
}

/** The capture's thumbnail, made as extension/capture/flow.ts makes it: 160 px wide, JPEG 0.8. */
async function captureThumbnail(blob) {
  const bitmap = await createImageBitmap(blob);
  const scale = Math.min(1, 160 / bitmap.width);
  const canvas = new OffscreenCanvas(Math.round(bitmap.width * scale), Math.round(bitmap.height * scale));
  canvas.getContext('2d').drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.8 })).arrayBuffer());
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return 'data:image/jpeg;base64,' + btoa(binary);
}

async function time(runs, work) {
  const t = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    t.push(performance.now() - started);
  }
  return { median: median(t), p90: p90(t) };
}

window.bench = async (runs) => {
  const big = await encode(photo(3000, 2000, 3, 'a harbour at dusk, amber and teal'), 3000, 2000, 'image/jpeg', 0.95);
  const thumb = await captureThumbnail(big);
  const png = await encode(photo(1024, 1024, 5, 'a lighthouse on a cliff, cold blue'), 1024, 1024, 'image/png');
  const measured = [];
  const fromThumb = await time(runs, async () => measured.push(extractComponents(await rasterOf(blobOfDataUrl(thumb)))));
  const from1024 = await time(runs, async () => measured.push(extractComponents(await rasterOf(png))));
  const raster = await rasterOf(png);
  const extractOnly = await time(runs, async () => extractComponents(raster));
  const three = [measured[0], measured[runs], measured[1]].map((components, i) => ({ components, weights: { palette: i === 1 ? 0 : 1 } }));
  const preview = await time(runs * 4, async () => paintScene({ width: 96, height: 64, seed: 7, components: blendComponents(three) }));
  return { bigBytes: big.size, thumbChars: thumb.length, pngBytes: png.size, fromThumb, from1024, extractOnly, preview };
};
`;

export async function measureComponents(): Promise<string[]> {
  const executablePath = findChromium();
  if (!executablePath) return ['components: not measured, Chromium is not installed (apt-get install -y chromium)'];
  const bundled = await build({
    stdin: { contents: pageScript, resolveDir: root, loader: 'ts' },
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    logLevel: 'warning',
  });
  const browser = await chromium.launch({ executablePath, args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
  try {
    const page = await browser.newPage();
    await page.goto('about:blank');
    await page.addScriptTag({ content: bundled.outputFiles[0]!.text });
    const r = await page.evaluate((runs) => (window as unknown as { bench(runs: number): Promise<any> }).bench(runs), RUNS);
    const ms = (t: { median: number; p90: number }) => `median ${t.median.toFixed(1)} ms, p90 ${t.p90.toFixed(1)} ms`;
    return [
      `components: median ${Math.max(r.fromThumb.median, r.from1024.median).toFixed(1)} ms per reference (target < 50 ms) — decode to ≤128 px + extractComponents in Chromium, ${RUNS} runs each:`,
      `  a ${(r.bigBytes / 1e6).toFixed(1)} MB 3000×2000 JPEG photo, measured from its capture thumbnail (160 px JPEG, ${(r.thumbChars / 1024).toFixed(1)} KB data URL): ${ms(r.fromThumb)}`,
      `  a 1024×1024 PNG of ${(r.pngBytes / 1e6).toFixed(1)} MB (decoded whole, scaled to 128 px): ${ms(r.from1024)}`,
      `  extractComponents alone on the 128 px raster: ${ms(r.extractOnly)}`,
      `  blend preview (blend 3 references + paint the 96×64 sketch), ${RUNS * 4} runs: ${ms(r.preview)} (frame budget 16 ms)`,
    ];
  } finally {
    await browser.close();
  }
}

if (import.meta.main) for (const line of await measureComponents()) console.log(line);
