// Turning image bytes into pixels and back. One interface so production can render with the
// Cloudflare Images binding (no Worker CPU) while local development and tests use WASM.
import type { MarkParams } from '../../shared/imaging/watermark';

export interface Raster {
  width: number;
  height: number;
  /** RGBA, 4 bytes per pixel, row-major. */
  rgba: Uint8Array;
}

export interface Rendition {
  bytes: Uint8Array;
  contentType: string;
  width: number;
  height: number;
}

export interface ImageRenderer {
  /**
   * A smaller copy whose longest side is at most `maxSide`. With a `mark`, the image's own
   * watermark is laid over it and the copy is at most three quarters of the original's longest
   * side (markedSide), so a locked image never leaves at full resolution. A thumbnail's mark
   * covers the same parts of the picture as the preview's (markFor).
   */
  rendition(original: Uint8Array, maxSide: number, mark?: MarkParams): Promise<Rendition>;
  /** Pixels, downscaled first so the longest side is at most `maxSide` when given. */
  decode(original: Uint8Array, maxSide?: number): Promise<Raster>;
  encodePng(raster: Raster): Promise<Uint8Array>;
  /**
   * Enlarged (Lanczos) so the longest side is `longSide`, never shrunk, as PNG: too large to
   * hold (an 8K frame is 236 MB), its bytes are handed to `write` in order as they are made.
   */
  upscale(original: Uint8Array, longSide: number, write: (bytes: Uint8Array) => Promise<void>): Promise<Omit<Rendition, 'bytes'>>;
  /** The same pixels in another format, at full size. */
  convert(original: Uint8Array, format: 'png' | 'jpg' | 'webp'): Promise<Rendition>;
}

export class UndecodableImage extends Error {
  constructor(message = 'This image could not be decoded.') {
    super(message);
    this.name = 'UndecodableImage';
  }
}

/** The file's data does not match what its header says (corrupt, cut short, or a decompression bomb). */
export class DamagedImage extends Error {
  constructor(message = 'This file is damaged or incomplete.') {
    super(message);
    this.name = 'DamagedImage';
  }
}

/** The work would not fit in a Worker's memory; the message says what, in the user's words. */
export class ImageTooLarge extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageTooLarge';
  }
}
