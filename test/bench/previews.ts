// The preview renderer (our WASM pipeline: decode, Lanczos downscale, tiled watermark, JPEG)
// against sharp (libvips: resize, composite a tiled mark, JPEG) on the same machine and the
// same inputs, as a ratio. sharp lives only here, never in the Worker.
import * as nodePhoton from '@cf-wasm/photon/node';
import sharp from 'sharp';
import { createPhotonRenderer } from '../../edge/imaging/photon';
import { markedSide } from '../../shared/imaging/limits';
import { type MarkParams, markOverlay, markParams } from '../../shared/imaging/watermark';
import { paintScene } from '../../shared/style/render';
import { promptComponents } from '../../shared/style/prompt';

const renderer = createPhotonRenderer(nodePhoton);
const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

async function original(side: number): Promise<Uint8Array> {
  // A painted scene with grain: compresses like a real picture, not like a flat test card.
  const rgba = paintScene({ width: side, height: side, seed: 7, components: promptComponents('harbour at dusk, warm cinematic') });
  return renderer.encodePng({ width: side, height: side, rgba });
}

/** One image's mark (as the server would key it), as an overlay for sharp to lay over the picture. */
const mark: MarkParams = markParams(new Uint8Array(64).map((_, i) => (i * 97 + 13) & 255));
async function overlay(side: number): Promise<Buffer> {
  const made = markOverlay(side, side, mark);
  return sharp(Buffer.from(made.rgba), { raw: { width: side, height: side, channels: 4 } }).png().toBuffer();
}

async function time(runs: number, work: () => Promise<unknown>): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await work();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

async function benchPreviews() {
  sharp.concurrency(1); // one core each, as the Worker has
  const rows: string[] = [];
  for (const [side, runs] of [[1024, 15], [4096, 5]] as const) {
    const input = await original(side);
    // A locked preview is at most three quarters of the original's longest side.
    const out = markedSide(side, side, 1024);
    const drawn = await overlay(out);
    const ours = async () => renderer.rendition(input, 1024, mark);
    const reference = async () =>
      sharp(input).resize(out, out, { fit: 'inside', kernel: 'lanczos3' }).composite([{ input: drawn }]).jpeg({ quality: 85 }).toBuffer();
    await ours();
    await reference();
    // Interleaved rounds so both meet the same moment of a shared machine.
    const oursTimes: number[] = [];
    const sharpTimes: number[] = [];
    for (let i = 0; i < runs; i++) {
      oursTimes.push(...(await time(1, ours)));
      sharpTimes.push(...(await time(1, reference)));
    }
    oursTimes.sort((a, b) => a - b);
    sharpTimes.sort((a, b) => a - b);
    const ratio = percentile(oursTimes, 50) / percentile(sharpTimes, 50);
    rows.push(`${`${side}²`.padEnd(8)} ours p50 ${percentile(oursTimes, 50).toFixed(0).padStart(5)} ms   sharp p50 ${percentile(sharpTimes, 50).toFixed(0).padStart(5)} ms   ratio ${ratio.toFixed(2)}x (goal ≤ 2x)`);
  }
  console.log('\nWatermarked preview (768 px from 1024², 1024 px from 4096²): our WASM pipeline against sharp (one thread each), same inputs');
  for (const row of rows) console.log(row);
  await benchPhotoThumbnail();
  // Memory: a fresh 4096² rendition, measured as growth of this process's resident memory.
  const big = await original(4096);
  if (globalThis.gc) globalThis.gc();
  const before = process.memoryUsage();
  await renderer.rendition(big, 1024, mark);
  const after = process.memoryUsage();
  const mb = (n: number) => (n / 1024 / 1024).toFixed(0);
  console.log(`4096² preview: input ${mb(big.byteLength)} MB; process grew ${mb(after.rss - before.rss)} MB resident, ${mb(after.arrayBuffers - before.arrayBuffers)} MB in array buffers (a Worker has 128 MB)`);
}

/**
 * A camera-sized JPEG's thumbnail, as an upload makes it: ours reads the JPEG at 1/8 from its
 * DCT coefficients (jpeg-reduce.ts); libvips shrinks on load the same way (libjpeg's scaled IDCT).
 */
async function benchPhotoThumbnail() {
  const photo = new Uint8Array(
    await sharp({ create: { width: 6000, height: 4000, channels: 3, background: { r: 120, g: 140, b: 160 }, noise: { type: 'gaussian', mean: 128, sigma: 45 } } })
      .jpeg({ quality: 90 })
      .toBuffer(),
  );
  const ours = async () => renderer.rendition(photo, 256);
  const reference = async () => sharp(photo).resize(256, 256, { fit: 'inside', kernel: 'lanczos3' }).jpeg({ quality: 85 }).toBuffer();
  const oursTimes: number[] = [];
  const sharpTimes: number[] = [];
  for (let i = 0; i < 3; i++) {
    oursTimes.push(...(await time(1, ours)));
    sharpTimes.push(...(await time(1, reference)));
  }
  oursTimes.sort((a, b) => a - b);
  sharpTimes.sort((a, b) => a - b);
  const ratio = percentile(oursTimes, 50) / percentile(sharpTimes, 50);
  console.log(`\nThumbnail (256 px) of a ${(photo.byteLength / 1e6).toFixed(1)} MB 6000×4000 JPEG, as an upload makes it: ours p50 ${percentile(oursTimes, 50).toFixed(0)} ms   sharp p50 ${percentile(sharpTimes, 50).toFixed(0)} ms   ratio ${ratio.toFixed(2)}x`);
}

await benchPreviews();
