// The capped PNG inflate alone (edge/imaging/png-reduce.ts), in Node: a provider's 1024² output,
// an 8-megapixel picture and a decompression bomb, beside fflate's JavaScript inflate of the same
// data (what the capped inflate used before native zlib). Part of npm run bench.
// Inside workerd the clock stands still while JavaScript computes, so this times it in Node.
import { unzlibSync } from 'fflate';
import { checkPngData, decodePngReduced } from '../../edge/imaging/png-reduce';
import { concatBytes } from '../../shared/encoding';
import { encodePngInBands } from '../../shared/imaging/png-encode';
import { promptComponents } from '../../shared/style/prompt';
import { paintScene } from '../../shared/style/render';
import { pngWithData, zerosBomb } from '../fixtures/damaged';

const RUNS = 7;

/** Median milliseconds of `work` over RUNS runs after one to warm up; a refusal counts as done. */
async function median(work: () => unknown): Promise<number> {
  const run = async () => {
    const started = performance.now();
    await Promise.resolve(work()).catch(() => undefined);
    return performance.now() - started;
  };
  await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push(await run());
  return times.sort((a, b) => a - b)[RUNS >> 1]!;
}

/** The PNG's IDAT data, joined: what any inflater reads. */
function imageData(png: Uint8Array): Uint8Array {
  const view = new DataView(png.buffer, png.byteOffset, png.byteLength);
  const parts: Uint8Array[] = [];
  for (let i = 8; i + 8 <= png.length; i += 12 + view.getUint32(i)) {
    if (String.fromCharCode(...png.subarray(i + 4, i + 8)) === 'IDAT') parts.push(png.subarray(i + 8, i + 8 + view.getUint32(i)));
  }
  return concatBytes(parts);
}

const ms = (n: number) => `${n.toFixed(1).padStart(7)} ms`;
console.log(`the capped PNG inflate (median of ${RUNS})`);
for (const side of [1024, 2828]) {
  const rgba = paintScene({ width: side, height: side, seed: 5, components: promptComponents('a lighthouse on a cliff') });
  const png = await encodePngInBands({ width: side, height: side, rgba });
  const data = imageData(png);
  console.log(`  ${side}² (${((side * side) / 1e6).toFixed(1)} MP), a PNG of ${(png.length / 1e6).toFixed(1)} MB`);
  console.log(`    checked (capped inflate, native zlib)          ${ms(await median(() => checkPngData(png)))}`);
  console.log(`    read at 1/4 scale (inflate, unfilter, average) ${ms(await median(() => decodePngReduced(png, 4)))}`);
  console.log(`    fflate's inflate of the same data, in one go   ${ms(await median(() => unzlibSync(data)))}`);
}
const bomb = pngWithData(1000, 1000, zerosBomb(8 * 1024 * 1024).zlib);
console.log(`  a bomb: 8 MB inflating to 1.3 GB behind a 1000² header, refused in ${ms(await median(() => decodePngReduced(bomb, 4)))}`);
