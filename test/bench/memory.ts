// The peak memory of each image operation at the worst input the API allows (a Worker has
// 128 MB). Each operation runs in a fresh Node process with the photon node build (the same
// pipeline as the Worker's WASM renderer); the peak is that process's resident high-water mark
// (Linux: reset through /proc/self/clear_refs just before, read from VmHWM after) above its
// resident size at the start. Inputs are made once with sharp, under the upload limits.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as nodePhoton from '@cf-wasm/photon/node';
import { createPhotonRenderer } from '../../edge/imaging/photon';
import { removeBackground } from '../../shared/imaging/background';
import { gradeByInstruction } from '../../shared/imaging/edits';
import { MARK_KEY_BYTES, markParams } from '../../shared/imaging/watermark';
import { MAX_UPLOAD_BYTES, MAX_UPLOAD_PIXELS, MAX_UPLOAD_SIDE, WHOLE_DECODE_PIXELS, WHOLE_ENCODE_PIXELS } from '../../shared/imaging/limits';
import { vectorize } from '../../shared/imaging/vectorize';
import { partsOf } from '../../edge/storage/parts';
import { extractComponents } from '../../shared/style/components';

const dir = join(tmpdir(), 'exactly-bench-memory');
const renderer = createPhotonRenderer(nodePhoton);

type Format = 'png' | 'jpeg' | 'webp' | 'gif';
interface Input {
  format: Format;
  width: number;
  height: number;
}
const largest = { width: MAX_UPLOAD_SIDE, height: Math.floor(MAX_UPLOAD_PIXELS / MAX_UPLOAD_SIDE) };
const wholeSide = Math.floor(Math.sqrt(WHOLE_DECODE_PIXELS));
const whole = `${WHOLE_DECODE_PIXELS / 1_000_000} MP`;
const encodeSide = Math.floor(Math.sqrt(WHOLE_ENCODE_PIXELS));
const encoded = `${WHOLE_ENCODE_PIXELS / 1_000_000} MP`;
const inputs = {
  png50: { format: 'png', ...largest },
  jpeg50: { format: 'jpeg', ...largest },
  jpegPhoto: { format: 'jpeg', width: 6000, height: 4000 },
  webp50: { format: 'webp', ...largest },
  gif50: { format: 'gif', ...largest },
  pngWhole: { format: 'png', width: wholeSide, height: wholeSide },
  jpegWhole: { format: 'jpeg', width: wholeSide, height: wholeSide },
  webpWhole: { format: 'webp', width: wholeSide, height: wholeSide },
  gifWhole: { format: 'gif', width: wholeSide, height: wholeSide },
  pngEncode: { format: 'png', width: encodeSide, height: encodeSide },
  jpegEncode: { format: 'jpeg', width: encodeSide, height: encodeSide },
  png1k: { format: 'png', width: 1024, height: 1024 },
  pngWide: { format: 'png', width: 2000, height: 500 },
} satisfies Record<string, Input>;
type InputName = keyof typeof inputs;

const fileOf = (name: InputName) => join(dir, `${name}.${inputs[name].format}`);

/** Grain over gradients: compresses like a photograph (a 50 MP PNG stays under 25 MB), decodes at full cost. */
async function makeInput(name: InputName): Promise<void> {
  const { format, width, height } = inputs[name];
  const sharp = (await import('sharp')).default;
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0, i = 0; y < height; y++) {
    for (let x = 0; x < width; x++, i += 3) {
      const grain = ((x * 7919 + y * 104729) >>> 6) & 3;
      raw[i] = ((x >> 4) + grain) & 255;
      raw[i + 1] = ((y >> 4) + grain) & 255;
      raw[i + 2] = ((x + y) >> 5) & 255;
    }
  }
  const image = sharp(raw, { raw: { width, height, channels: 3 }, limitInputPixels: false });
  const bytes = await (format === 'png' ? image.png({ compressionLevel: 9 }) : format === 'jpeg' ? image.jpeg({ quality: 90 }) : format === 'webp' ? image.webp() : image.gif()).toBuffer();
  if (bytes.length > MAX_UPLOAD_BYTES) throw new Error(`${name} is ${bytes.length} bytes, over the upload limit`);
  writeFileSync(fileOf(name), bytes);
}

/** A mark as the server draws it for a locked image (the key's bytes do not change its cost). */
const mark = markParams(new Uint8Array(MARK_KEY_BYTES).fill(7));

/** An upscale as the job stores it: its bytes gathered into R2's parts (each part sent is let go). */
async function upscaled(bytes: Uint8Array, longSide: number) {
  const parts = partsOf(async () => {});
  return renderer.upscale(bytes, longSide, parts.write);
}

const operations: Record<string, { input: InputName; run: (bytes: Uint8Array) => Promise<unknown> }> = {
  'thumbnail, 50 MP PNG': { input: 'png50', run: (b) => renderer.rendition(b, 256) },
  'preview (marked), 50 MP PNG': { input: 'png50', run: (b) => renderer.rendition(b, 1024, mark) },
  'thumbnail, 50 MP JPEG': { input: 'jpeg50', run: (b) => renderer.rendition(b, 256) },
  'preview, 50 MP JPEG': { input: 'jpeg50', run: (b) => renderer.rendition(b, 1024) },
  'thumbnail, 6000×4000 JPEG': { input: 'jpegPhoto', run: (b) => renderer.rendition(b, 256) },
  'preview (marked), 6000×4000 JPEG': { input: 'jpegPhoto', run: (b) => renderer.rendition(b, 1024, mark) },
  'preview, 50 MP WebP': { input: 'webp50', run: (b) => renderer.rendition(b, 1024) },
  'preview, 50 MP GIF': { input: 'gif50', run: (b) => renderer.rendition(b, 1024) },
  [`preview (marked), ${whole} JPEG`]: { input: 'jpegWhole', run: (b) => renderer.rendition(b, 1024, mark) },
  [`preview, ${whole} WebP`]: { input: 'webpWhole', run: (b) => renderer.rendition(b, 1024) },
  [`preview, ${whole} GIF`]: { input: 'gifWhole', run: (b) => renderer.rendition(b, 1024) },
  [`convert to PNG, ${encoded} JPEG`]: { input: 'jpegEncode', run: (b) => renderer.convert(b, 'png') },
  [`convert to JPEG, ${encoded} PNG`]: { input: 'pngEncode', run: (b) => renderer.convert(b, 'jpg') },
  [`convert to WebP, ${encoded} PNG`]: { input: 'pngEncode', run: (b) => renderer.convert(b, 'webp') },
  'convert to PNG, 50 MP PNG': { input: 'png50', run: (b) => renderer.convert(b, 'png') },
  'cut-out (2048 px), 50 MP PNG': { input: 'png50', run: async (b) => renderer.encodePng(removeBackground(await renderer.decode(b, 2048))) },
  'vectorize (512 px), 50 MP PNG': { input: 'png50', run: async (b) => vectorize(await renderer.decode(b, 512)) },
  'style components (128 px), 50 MP PNG': { input: 'png50', run: async (b) => extractComponents(await renderer.decode(b, 128)) },
  [`offline edit (instruct), ${whole} PNG`]: { input: 'pngWhole', run: async (b) => renderer.encodePng(gradeByInstruction(await renderer.decode(b), 'warmer').image) },
  'upscale 4K, 1024² PNG': { input: 'png1k', run: (b) => upscaled(b, 3840) },
  'upscale 8K, 2000×500 PNG': { input: 'pngWide', run: (b) => upscaled(b, 7680) },
  'upscale 8K, 1024² PNG': { input: 'png1k', run: (b) => upscaled(b, 7680) },
  [`upscale 8K, ${whole} PNG`]: { input: 'pngWhole', run: (b) => upscaled(b, 7680) },
  [`upscale 8K, ${whole} JPEG`]: { input: 'jpegWhole', run: (b) => upscaled(b, 7680) },
};

const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync('/proc/self/status', 'utf8'))![1]);

/** In the child: one operation, then its peak above the start, as JSON. */
async function measureOne(name: string): Promise<void> {
  const operation = operations[name]!;
  const bytes = new Uint8Array(readFileSync(fileOf(operation.input)));
  globalThis.gc?.();
  writeFileSync('/proc/self/clear_refs', '5');
  const start = kb('VmRSS');
  let outcome = 'made';
  try {
    await operation.run(bytes);
  } catch (error) {
    outcome = `refused: ${error instanceof Error ? error.message : String(error)}`;
  }
  console.log(JSON.stringify({ peakMb: (kb('VmHWM') - start) / 1024, outcome }));
}

async function benchMemory(): Promise<void> {
  mkdirSync(dir, { recursive: true });
  for (const name of Object.keys(inputs) as InputName[]) if (!existsSync(fileOf(name))) await makeInput(name);
  console.log(`\nPeak memory of each image operation at its worst allowed input (WASM renderer in Node; a Worker has 128 MB)`);
  const self = process.argv[1]!;
  // BENCH_ONLY=<words> measures only the operations whose name contains them.
  for (const name of Object.keys(operations).filter((n) => n.includes(process.env.BENCH_ONLY ?? ''))) {
    const answer = execFileSync(process.execPath, ['--expose-gc', self, name], { encoding: 'utf8', maxBuffer: 1 << 20 });
    const { peakMb, outcome } = JSON.parse(answer.trim().split('\n').pop()!) as { peakMb: number; outcome: string };
    const verdict = outcome !== 'made' ? '' : peakMb <= 128 ? 'fits' : 'OVER 128 MB';
    console.log(`${name.padEnd(40)} ${peakMb.toFixed(0).padStart(5)} MB  ${verdict}${outcome !== 'made' ? outcome : ''}`);
  }
}

const operation = process.argv[2];
if (operation) await measureOne(operation);
else await benchMemory();
