// Reads what an image file says about itself (its real type from the magic bytes, and its
// width and height from the header) without decoding a single pixel, so an upload can be
// judged, and a decompression bomb refused, for the price of a few hundred bytes.

export const imageTypes = ['image/png', 'image/jpeg', 'image/webp', 'image/gif', 'image/avif'] as const;
export type ImageType = (typeof imageTypes)[number];

export interface ImageHeader {
  type: ImageType;
  width: number;
  height: number;
}

const ascii = (bytes: Uint8Array, start: number, length: number) =>
  String.fromCharCode(...bytes.subarray(start, start + length));

const u16be = (b: Uint8Array, i: number) => (b[i]! << 8) | b[i + 1]!;
const u16le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
const u24le = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
const u32be = (b: Uint8Array, i: number) => ((b[i]! << 24) >>> 0) + (b[i + 1]! << 16) + (b[i + 2]! << 8) + b[i + 3]!;

/** The type the bytes really are, or null when they are no image we accept. */
export function sniffImageType(b: Uint8Array): ImageType | null {
  if (b.length >= 8 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG' && b[4] === 0x0d && b[5] === 0x0a && b[6] === 0x1a && b[7] === 0x0a) return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'image/webp';
  if (b.length >= 6 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return 'image/gif';
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp') {
    const brands = ascii(b, 8, Math.min(u32be(b, 0), b.length) - 8);
    if (/avif|avis/.test(brands)) return 'image/avif';
  }
  return null;
}

function png(b: Uint8Array): [number, number] | null {
  // The IHDR chunk must come first: length 13, then type, width, height.
  if (b.length < 24 || ascii(b, 12, 4) !== 'IHDR') return null;
  return [u32be(b, 16), u32be(b, 20)];
}

function jpeg(b: Uint8Array): [number, number] | null {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1]!;
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    // Standalone markers carry no length.
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2;
      continue;
    }
    const length = u16be(b, i + 2);
    if (length < 2) return null;
    // SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) hold the frame size.
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return [u16be(b, i + 7), u16be(b, i + 5)];
    }
    if (marker === 0xda) return null; // start of scan before any frame header
    i += 2 + length;
  }
  return null;
}

function webp(b: Uint8Array): [number, number] | null {
  if (b.length < 30) return null;
  const chunk = ascii(b, 12, 4);
  if (chunk === 'VP8 ') {
    if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return null;
    return [u16le(b, 26) & 0x3fff, u16le(b, 28) & 0x3fff];
  }
  if (chunk === 'VP8L') {
    if (b[20] !== 0x2f) return null;
    const bits = b[21]! | (b[22]! << 8) | (b[23]! << 16) | (b[24]! << 24);
    return [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
  }
  if (chunk === 'VP8X') return [u24le(b, 24) + 1, u24le(b, 27) + 1];
  return null;
}

function gif(b: Uint8Array): [number, number] | null {
  return b.length >= 10 ? [u16le(b, 6), u16le(b, 8)] : null;
}

/** AVIF (ISOBMFF): the first `ispe` property inside meta/iprp/ipco holds the image size. */
function avif(b: Uint8Array): [number, number] | null {
  const containers = new Set(['meta', 'iprp', 'ipco']);
  const walk = (start: number, end: number): [number, number] | null => {
    let i = start;
    while (i + 8 <= end) {
      let size = u32be(b, i);
      const type = ascii(b, i + 4, 4);
      let header = 8;
      if (size === 1) return null; // 64-bit sizes never occur in image headers we accept
      if (size === 0) size = end - i;
      if (size < header || i + size > end) return null;
      if (type === 'ispe' && size >= 20) return [u32be(b, i + 12), u32be(b, i + 16)];
      if (containers.has(type)) {
        if (type === 'meta') header += 4; // full box: version and flags
        const found = walk(i + header, i + size);
        if (found) return found;
      }
      i += size;
    }
    return null;
  };
  return walk(0, b.length);
}

const readers: Record<ImageType, (b: Uint8Array) => [number, number] | null> = {
  'image/png': png,
  'image/jpeg': jpeg,
  'image/webp': webp,
  'image/gif': gif,
  'image/avif': avif,
};

/** Type and dimensions from the header, or null when the header cannot be read. */
export function readImageHeader(bytes: Uint8Array): ImageHeader | null {
  const type = sniffImageType(bytes);
  if (!type) return null;
  const size = readers[type](bytes);
  if (!size || size[0] <= 0 || size[1] <= 0) return null;
  return { type, width: size[0], height: size[1] };
}

export interface GifFrames {
  frames: number;
  /** Sum of every frame's own width × height: what decoding them all costs. */
  pixels: number;
  /** Whether every frame lies inside the logical screen the header states. */
  inside: boolean;
}

/**
 * Walks a GIF's blocks without decompressing any (each frame's descriptor names its size),
 * or null when the block structure is broken or cut short.
 */
export function gifFrames(b: Uint8Array): GifFrames | null {
  if (b.length < 13 || !sniffImageType(b)?.endsWith('gif')) return null;
  const [screenWidth, screenHeight] = [u16le(b, 6), u16le(b, 8)];
  const table = (packed: number) => (packed & 0x80 ? 3 * 2 ** ((packed & 7) + 1) : 0);
  const skipSubBlocks = (i: number) => {
    while (i < b.length && b[i] !== 0) i += 1 + b[i]!;
    return i < b.length ? i + 1 : -1;
  };
  let i = 13 + table(b[10]!);
  let frames = 0;
  let pixels = 0;
  let inside = true;
  while (i < b.length) {
    const block = b[i]!;
    if (block === 0x3b) return { frames, pixels, inside };
    if (block === 0x21) {
      i = skipSubBlocks(i + 2);
    } else if (block === 0x2c) {
      if (i + 10 > b.length) return null;
      const [left, top, width, height] = [u16le(b, i + 1), u16le(b, i + 3), u16le(b, i + 5), u16le(b, i + 7)];
      frames++;
      pixels += width * height;
      if (left + width > screenWidth || top + height > screenHeight) inside = false;
      i = skipSubBlocks(i + 10 + table(b[i + 9]!) + 1); // + the LZW minimum code size
    } else {
      return null;
    }
    if (i < 0) return null;
  }
  // No trailer: some encoders omit it; what was read is still whole.
  return frames ? { frames, pixels, inside } : null;
}
