// Decoding a JPEG at 1/2, 1/4 or 1/8 of its size straight from its DCT coefficients, as
// libjpeg's scaled decoding does: each 8×8 block becomes N×N pixels (N = 8 / scale) by an
// N-point inverse DCT of its lowest N×N frequencies (at 1/8 that is the block's mean, its DC
// term). A 6000×4000 photo is never whole in memory: only the kept frequencies of each block
// (and, for progressive files, one bit a coefficient saying whether it is non-zero, which the
// refinement scans need) and the reduced picture are.
// Baseline and progressive Huffman-coded 8-bit JPEGs with one (grey) or three (YCbCr or RGB)
// components; anything else (arithmetic coding, lossless, 12-bit, CMYK) returns null and the
// caller decodes it whole. Entropy data that is cut short or names no code is DamagedJpeg.
import type { Raster } from '../style/components';

export class DamagedJpeg extends Error {
  constructor(detail: string) {
    super(`damaged JPEG: ${detail}`);
  }
}

export type JpegScale = 2 | 4 | 8;

/** The largest scale at which the picture is still at least width × height (1: none is). */
export function jpegScaleFor(image: { width: number; height: number }, target: { width: number; height: number }): 1 | JpegScale {
  for (const scale of [8, 4, 2] as const) {
    if (Math.ceil(image.width / scale) >= target.width && Math.ceil(image.height / scale) >= target.height) return scale;
  }
  return 1;
}

/** Zig-zag position k → row-major index in the 8×8 block. */
const ZIGZAG = Uint8Array.from([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30,
  37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

/** A Huffman table as one lookup on the next 16 bits: (code length << 8) | symbol, 0 for no code. */
function huffmanTable(counts: Uint8Array, symbols: Uint8Array): Uint32Array {
  const lookup = new Uint32Array(1 << 16);
  let code = 0;
  let s = 0;
  for (let length = 1; length <= 16; length++) {
    for (let n = 0; n < counts[length - 1]!; n++, s++) {
      if (code >= 1 << length) throw new DamagedJpeg('a Huffman table has more codes than fit');
      const first = code << (16 - length);
      lookup.fill((length << 8) | symbols[s]!, first, first + (1 << (16 - length)));
      code++;
    }
    code <<= 1;
  }
  return lookup;
}

/** The entropy-coded bits of one scan, byte stuffing removed; past the data (a marker or the end) it reads zeros and counts them. */
class BitReader {
  private buffer = 0;
  private count = 0;
  /** Bits read into the buffer from past the data. */
  private padding = 0;
  constructor(
    private readonly data: Uint8Array,
    public position: number,
  ) {}

  private fill(): void {
    while (this.count <= 24) {
      let byte = 0;
      const at = this.position;
      if (at < this.data.length && this.data[at] !== 0xff) {
        byte = this.data[at]!;
        this.position++;
      } else if (at + 1 < this.data.length && this.data[at] === 0xff && this.data[at + 1] === 0x00) {
        byte = 0xff;
        this.position += 2;
      } else {
        this.padding += 8;
      }
      this.buffer = ((this.buffer << 8) | byte) >>> 0;
      this.count += 8;
    }
  }

  /** Throws if any bit taken so far came from past the data: the scan was cut short. */
  checkWhole(): void {
    if (this.padding > this.count) throw new DamagedJpeg('the image data ends before the picture does');
  }

  bits(n: number): number {
    if (n === 0) return 0;
    this.fill();
    this.count -= n;
    return (this.buffer >>> this.count) & ((1 << n) - 1);
  }

  bit(): number {
    return this.bits(1);
  }

  decode(table: Uint32Array): number {
    this.fill();
    const entry = table[(this.buffer >>> (this.count - 16)) & 0xffff]!;
    if (entry === 0) throw new DamagedJpeg('the image data names no Huffman code');
    this.count -= entry >>> 8;
    return entry & 0xff;
  }

  /** A coefficient of `size` bits (JPEG's EXTEND: the low half of the range is negative). */
  receive(size: number): number {
    const value = this.bits(size);
    return value < 1 << (size - 1) ? value - (1 << size) + 1 : value;
  }

  /** At a restart marker: drop the bits left of the interval and step over RSTn. */
  restart(): void {
    this.checkWhole();
    this.buffer = 0;
    this.count = 0;
    this.padding = 0;
    let at = this.position;
    while (at + 1 < this.data.length && !(this.data[at] === 0xff && this.data[at + 1]! >= 0xd0 && this.data[at + 1]! <= 0xd7)) at++;
    if (at + 1 >= this.data.length) throw new DamagedJpeg('a restart marker is missing');
    this.position = at + 2;
  }

  /** Where the next marker starts, once the scan is read (any bytes left over are skipped). */
  end(): number {
    this.checkWhole();
    let at = this.position;
    while (at + 1 < this.data.length && !(this.data[at] === 0xff && this.data[at + 1] !== 0x00 && !(this.data[at + 1]! >= 0xd0 && this.data[at + 1]! <= 0xd7))) at++;
    return at;
  }
}

interface Component {
  id: number;
  h: number;
  v: number;
  table: number;
  /** Blocks stored a row (whole MCUs' worth) and rows of blocks. */
  stride: number;
  rows: number;
  /** Blocks a row and rows that hold picture (what a scan of this component alone codes). */
  codedWide: number;
  codedTall: number;
  /** Pixels a block side at this scale: N, or more for subsampled colour (so it reaches the picture's N). */
  n: number;
  /** Where each zig-zag position is kept (-1 if not): the lowest n×n frequencies. */
  slots: Int8Array;
  /** The kept frequencies of each block, quantized, n·n values a block. */
  kept: Int16Array;
  /** Which of each block's 64 coefficients are non-zero (two words a block; progressive refinement reads them). */
  nonZero: Uint32Array;
  dcTable?: Uint32Array;
  acTable?: Uint32Array;
  predictor: number;
}

/** Where each zig-zag position is kept (-1 if not) when N×N frequencies are kept. */
function keptSlots(n: number): Int8Array {
  const slots = new Int8Array(64).fill(-1);
  for (let k = 0; k < 64; k++) {
    const row = ZIGZAG[k]! >> 3;
    const col = ZIGZAG[k]! & 7;
    if (row < n && col < n) slots[k] = row * n + col;
  }
  return slots;
}

/**
 * Decodes `jpeg` at 1/`scale`. Returns null for codings this reader leaves to a whole decoder;
 * throws DamagedJpeg when the data does not make the picture its header states. `between` is
 * awaited after every row of MCUs (the Worker serves other requests there: time does not pass
 * inside a Worker while it computes, so a clock cannot say when).
 */
export async function decodeJpegReduced(jpeg: Uint8Array, scale: JpegScale, between: () => Promise<void> = async () => {}): Promise<Raster | null> {
  if (jpeg[0] !== 0xff || jpeg[1] !== 0xd8) return null;
  const n = 8 / scale;
  const quant: (Uint16Array | undefined)[] = [];
  const dcTables: (Uint32Array | undefined)[] = [];
  const acTables: (Uint32Array | undefined)[] = [];
  let restartInterval = 0;
  let adobeTransform: number | null = null;
  let frame: { width: number; height: number; progressive: boolean; components: Component[]; mcusWide: number; mcusTall: number; hMax: number; vMax: number } | null = null;
  let scans = 0;
  let at = 2;

  const u16 = (i: number) => (jpeg[i]! << 8) | jpeg[i + 1]!;

  while (at + 4 <= jpeg.length) {
    if (jpeg[at] !== 0xff) throw new DamagedJpeg('a marker is missing');
    const marker = jpeg[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    if (marker === 0xd9) break; // EOI
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) {
      at += 2;
      continue;
    }
    const length = u16(at + 2);
    const start = at + 4;
    const end = at + 2 + length;
    if (length < 2 || end > jpeg.length) throw new DamagedJpeg('a segment runs past the file');
    const segment = jpeg.subarray(start, end);

    if (marker === 0xc0 || marker === 0xc1 || marker === 0xc2) {
      if (frame) throw new DamagedJpeg('two frames');
      if (segment[0] !== 8) return null; // 12-bit
      const height = (segment[1]! << 8) | segment[2]!;
      const width = (segment[3]! << 8) | segment[4]!;
      const count = segment[5]!;
      if (!width || !height || (count !== 1 && count !== 3) || segment.length < 6 + count * 3) return null;
      const parts: { id: number; h: number; v: number; table: number }[] = [];
      for (let c = 0; c < count; c++) {
        const o = 6 + c * 3;
        parts.push({ id: segment[o]!, h: segment[o + 1]! >> 4, v: segment[o + 1]! & 15, table: segment[o + 2]! & 3 });
      }
      if (parts.some((p) => p.h < 1 || p.h > 4 || p.v < 1 || p.v > 4)) throw new DamagedJpeg('a sampling factor is out of range');
      // One component: each block is an MCU, whatever its sampling factors say.
      if (count === 1) parts[0] = { ...parts[0]!, h: 1, v: 1 };
      const hMax = Math.max(...parts.map((p) => p.h));
      const vMax = Math.max(...parts.map((p) => p.v));
      const mcusWide = Math.ceil(width / (8 * hMax));
      const mcusTall = Math.ceil(height / (8 * vMax));
      const components = parts.map((p): Component => {
        const stride = mcusWide * p.h;
        const rows = mcusTall * p.v;
        // Subsampled colour is decoded finer, as libjpeg does, up to whole blocks: at 1/8 a
        // 4:2:0 photo's colour is a 2×2 inverse DCT a block, not one mean over 16×16 pixels.
        const finer = Math.min(8, n * 2 ** Math.ceil(Math.log2(Math.max(hMax / p.h, vMax / p.v))));
        return {
          ...p,
          n: finer,
          slots: keptSlots(finer),
          stride,
          rows,
          codedWide: Math.ceil(Math.ceil((width * p.h) / hMax) / 8),
          codedTall: Math.ceil(Math.ceil((height * p.v) / vMax) / 8),
          kept: new Int16Array(stride * rows * finer * finer),
          nonZero: new Uint32Array(marker === 0xc2 ? stride * rows * 2 : 0),
          predictor: 0,
        };
      });
      frame = { width, height, progressive: marker === 0xc2, components, mcusWide, mcusTall, hMax, vMax };
    } else if (marker === 0xc3 || (marker >= 0xc5 && marker <= 0xcf && marker !== 0xc8)) {
      return null; // lossless, hierarchical or arithmetic-coded
    } else if (marker === 0xdb) {
      for (let o = 0; o < segment.length; ) {
        const precision = segment[o]! >> 4;
        const id = segment[o]! & 3;
        const table = new Uint16Array(64);
        for (let k = 0; k < 64; k++) table[k] = precision ? (segment[o + 1 + k * 2]! << 8) | segment[o + 2 + k * 2]! : segment[o + 1 + k]!;
        quant[id] = table;
        o += 1 + 64 * (precision ? 2 : 1);
      }
    } else if (marker === 0xc4) {
      for (let o = 0; o < segment.length; ) {
        const kind = segment[o]! >> 4;
        const id = segment[o]! & 3;
        const counts = segment.subarray(o + 1, o + 17);
        const total = counts.reduce((sum, c) => sum + c, 0);
        if (o + 17 + total > segment.length) throw new DamagedJpeg('a Huffman table runs past its segment');
        (kind ? acTables : dcTables)[id] = huffmanTable(counts, segment.subarray(o + 17, o + 17 + total));
        o += 17 + total;
      }
    } else if (marker === 0xdd) {
      restartInterval = u16(start);
    } else if (marker === 0xee) {
      if (segment.length >= 12 && String.fromCharCode(...segment.subarray(0, 5)) === 'Adobe') adobeTransform = segment[11]!;
    } else if (marker === 0xda) {
      if (!frame) throw new DamagedJpeg('a scan comes before its frame');
      const count = segment[0]!;
      const inScan: Component[] = [];
      for (let c = 0; c < count; c++) {
        const component = frame.components.find((x) => x.id === segment[1 + c * 2]);
        if (!component) throw new DamagedJpeg('a scan names a component the frame has not');
        const tables = segment[2 + c * 2]!;
        component.dcTable = dcTables[tables >> 4];
        component.acTable = acTables[tables & 15];
        inScan.push(component);
      }
      const o = 1 + count * 2;
      const spectral = { start: segment[o]!, end: segment[o + 1]!, high: segment[o + 2]! >> 4, low: segment[o + 2]! & 15 };
      const reader = new BitReader(jpeg, end);
      await readScan(reader, frame, inScan, spectral, restartInterval, between);
      scans++;
      at = reader.end();
      continue;
    }
    at = end;
  }
  if (!frame || !scans) throw new DamagedJpeg('there is no picture in the file');
  for (const component of frame.components) if (!quant[component.table]) throw new DamagedJpeg('a quantization table is missing');
  return picture(frame, n, quant as Uint16Array[], adobeTransform);
}

interface Spectral {
  start: number;
  end: number;
  high: number;
  low: number;
}

async function readScan(
  reader: BitReader,
  frame: { progressive: boolean; mcusWide: number; mcusTall: number },
  inScan: Component[],
  spectral: Spectral,
  restartInterval: number,
  between: () => Promise<void>,
): Promise<void> {
  let eobRun = 0;

  const keep = (c: Component, block: number, k: number, value: number) => {
    const slot = c.slots[k]!;
    if (slot >= 0) c.kept[block * c.n * c.n + slot] = value;
    if (c.nonZero.length && value !== 0) c.nonZero[block * 2 + (k >> 5)]! |= 1 << (k & 31);
  };
  const isNonZero = (c: Component, block: number, k: number) => (c.nonZero[block * 2 + (k >> 5)]! >>> (k & 31)) & 1;

  const needTables = (c: Component, dc: boolean, ac: boolean) => {
    if ((dc && !c.dcTable) || (ac && !c.acTable)) throw new DamagedJpeg('a scan uses a Huffman table that is not defined');
  };

  /** One block of a baseline scan: every coefficient, the kept ones stored. */
  const baseline = (c: Component, block: number) => {
    const t = reader.decode(c.dcTable!);
    c.predictor += t ? reader.receive(t) : 0;
    keep(c, block, 0, c.predictor);
    for (let k = 1; k < 64; ) {
      const rs = reader.decode(c.acTable!);
      const size = rs & 15;
      const run = rs >> 4;
      if (!size) {
        if (run < 15) break;
        k += 16;
        continue;
      }
      k += run;
      if (k > 63) throw new DamagedJpeg('a block has more than 64 coefficients');
      keep(c, block, k, reader.receive(size));
      k++;
    }
  };

  const dcFirst = (c: Component, block: number) => {
    const t = reader.decode(c.dcTable!);
    c.predictor += t ? reader.receive(t) : 0;
    keep(c, block, 0, c.predictor * (1 << spectral.low));
  };

  const dcRefine = (c: Component, block: number) => {
    if (reader.bit()) {
      const slot = block * c.n * c.n;
      c.kept[slot] = c.kept[slot]! | (1 << spectral.low);
    }
  };

  const acFirst = (c: Component, block: number) => {
    if (eobRun > 0) {
      eobRun--;
      return;
    }
    for (let k = spectral.start; k <= spectral.end; ) {
      const rs = reader.decode(c.acTable!);
      const size = rs & 15;
      const run = rs >> 4;
      if (!size) {
        if (run < 15) {
          eobRun = (1 << run) - 1 + reader.bits(run);
          break;
        }
        k += 16;
        continue;
      }
      k += run;
      if (k > 63) throw new DamagedJpeg('a block has more than 64 coefficients');
      keep(c, block, k, reader.receive(size) * (1 << spectral.low));
      k++;
    }
  };

  /** A correction bit for a coefficient already non-zero: it grows away from zero by one step. */
  const correct = (c: Component, block: number, k: number) => {
    if (!reader.bit()) return;
    const slot = c.slots[k]!;
    if (slot < 0) return; // not kept: only whether it is non-zero matters, and it stays so
    const i = block * c.n * c.n + slot;
    const value = c.kept[i]!;
    const step = 1 << spectral.low;
    if ((value & step) === 0) c.kept[i] = value >= 0 ? value + step : value - step;
  };

  const acRefine = (c: Component, block: number) => {
    let k = spectral.start;
    if (eobRun === 0) {
      for (; k <= spectral.end; k++) {
        const rs = reader.decode(c.acTable!);
        const size = rs & 15;
        let run = rs >> 4;
        let value = 0;
        if (size) {
          if (size !== 1) throw new DamagedJpeg('a refinement coefficient is not one bit');
          value = reader.bit() ? 1 << spectral.low : -1 << spectral.low;
        } else if (run !== 15) {
          eobRun = (1 << run) + reader.bits(run);
          break;
        }
        // Past the non-zero coefficients (each takes a correction bit) to the run-th zero one.
        for (; k <= spectral.end; k++) {
          if (isNonZero(c, block, k)) correct(c, block, k);
          else if (--run < 0) break;
        }
        if (value) {
          if (k > spectral.end) throw new DamagedJpeg('a refinement runs past its band');
          keep(c, block, k, value);
        }
      }
    }
    if (eobRun > 0) {
      for (; k <= spectral.end; k++) if (isNonZero(c, block, k)) correct(c, block, k);
      eobRun--;
    }
  };

  let decodeBlock: (c: Component, block: number) => void;
  if (!frame.progressive) {
    decodeBlock = baseline;
    for (const c of inScan) needTables(c, true, true);
  } else if (spectral.start === 0) {
    if (spectral.end !== 0) throw new DamagedJpeg('a progressive DC scan carries AC coefficients');
    decodeBlock = spectral.high ? dcRefine : dcFirst;
    if (!spectral.high) for (const c of inScan) needTables(c, true, false);
  } else {
    if (inScan.length !== 1 || spectral.end > 63 || spectral.start > spectral.end) throw new DamagedJpeg('a progressive AC scan is malformed');
    decodeBlock = spectral.high ? acRefine : acFirst;
    needTables(inScan[0]!, false, true);
  }

  const resetPredictors = () => {
    for (const c of inScan) c.predictor = 0;
    eobRun = 0;
  };
  resetPredictors();
  let untilRestart = restartInterval;
  const step = () => {
    if (!restartInterval) return;
    if (untilRestart === 0) {
      reader.restart();
      resetPredictors();
      untilRestart = restartInterval;
    }
    untilRestart--;
  };

  if (inScan.length === 1) {
    // A scan of one component codes its own blocks only, row by row (no MCU padding).
    const c = inScan[0]!;
    for (let row = 0; row < c.codedTall; row++) {
      for (let col = 0; col < c.codedWide; col++) {
        step();
        decodeBlock(c, row * c.stride + col);
      }
      if (row % 2 === 1) await between();
    }
    return;
  }
  for (let mcuRow = 0; mcuRow < frame.mcusTall; mcuRow++) {
    for (let mcuCol = 0; mcuCol < frame.mcusWide; mcuCol++) {
      step();
      for (const c of inScan) {
        for (let y = 0; y < c.v; y++) {
          for (let x = 0; x < c.h; x++) decodeBlock(c, (mcuRow * c.v + y) * c.stride + mcuCol * c.h + x);
        }
      }
    }
    // A row of a 6000 px photo's MCUs is a few milliseconds: other requests wait no longer than that.
    await between();
  }
}

/** N-point inverse DCT weights: weight[u * n + x] (JPEG's normalization; the scale makes up the rest). */
function idctWeights(n: number): Float64Array {
  const weights = new Float64Array(n * n);
  for (let u = 0; u < n; u++) {
    for (let x = 0; x < n; x++) weights[u * n + x] = (u === 0 ? Math.SQRT1_2 / 2 : 0.5) * Math.cos(((2 * x + 1) * u * Math.PI) / (2 * n));
  }
  return weights;
}

const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);

function picture(frame: { width: number; height: number; components: Component[]; hMax: number; vMax: number }, outerN: number, quant: Uint16Array[], adobeTransform: number | null): Raster {
  // Each component as a plane of samples, c.n a block side.
  const planes = frame.components.map((c) => {
    const q = quant[c.table]!;
    const n = c.n;
    const n2 = n * n;
    const weights = idctWeights(n);
    // The zig-zag position of each kept slot (its quantization step).
    const slotK = new Int8Array(n2);
    for (let k = 0; k < 64; k++) if (c.slots[k]! >= 0) slotK[c.slots[k]!] = k;
    const wide = c.stride * n;
    const plane = new Uint8Array(wide * c.rows * n);
    const coefficients = new Float64Array(n2);
    const rows = new Float64Array(n2);
    for (let block = 0; block < c.stride * c.rows; block++) {
      for (let s = 0; s < n2; s++) coefficients[s] = c.kept[block * n2 + s]! * q[slotK[s]!]!;
      // Separable: along each row of frequencies, then down the columns.
      for (let v = 0; v < n; v++) {
        for (let x = 0; x < n; x++) {
          let sum = 0;
          for (let u = 0; u < n; u++) sum += weights[u * n + x]! * coefficients[v * n + u]!;
          rows[v * n + x] = sum;
        }
      }
      const top = Math.floor(block / c.stride) * n;
      const left = (block % c.stride) * n;
      for (let y = 0; y < n; y++) {
        for (let x = 0; x < n; x++) {
          let sum = 0;
          for (let v = 0; v < n; v++) sum += weights[v * n + y]! * rows[v * n + x]!;
          plane[(top + y) * wide + left + x] = clamp(Math.round(sum + 128));
        }
      }
    }
    // Plane samples an output pixel spans, across and down.
    return { plane, wide, across: (c.h * n) / (frame.hMax * outerN), down: (c.v * n) / (frame.vMax * outerN) };
  });

  const width = Math.max(1, Math.ceil((frame.width * outerN) / 8));
  const height = Math.max(1, Math.ceil((frame.height * outerN) / 8));
  const rgba = new Uint8Array(width * height * 4);
  const sample = (p: (typeof planes)[number], x: number, y: number) => p.plane[Math.floor(y * p.down) * p.wide + Math.floor(x * p.across)]!;
  const ids = frame.components.map((c) => c.id);
  // JFIF's YCbCr, unless Adobe's marker says the three are untransformed or they are named R, G, B.
  const rgb = planes.length === 3 && (adobeTransform === 0 || (ids[0] === 0x52 && ids[1] === 0x47 && ids[2] === 0x42));
  for (let y = 0, o = 0; y < height; y++) {
    for (let x = 0; x < width; x++, o += 4) {
      if (planes.length === 1) {
        rgba[o] = rgba[o + 1] = rgba[o + 2] = sample(planes[0]!, x, y);
      } else if (rgb) {
        rgba[o] = sample(planes[0]!, x, y);
        rgba[o + 1] = sample(planes[1]!, x, y);
        rgba[o + 2] = sample(planes[2]!, x, y);
      } else {
        const luma = sample(planes[0]!, x, y);
        const cb = sample(planes[1]!, x, y) - 128;
        const cr = sample(planes[2]!, x, y) - 128;
        rgba[o] = clamp(Math.round(luma + 1.402 * cr));
        rgba[o + 1] = clamp(Math.round(luma - 0.344136 * cb - 0.714136 * cr));
        rgba[o + 2] = clamp(Math.round(luma + 1.772 * cb));
      }
      rgba[o + 3] = 255;
    }
  }
  return { width, height, rgba };
}
