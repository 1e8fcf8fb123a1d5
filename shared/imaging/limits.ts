// What an upload may be (API.md): these refuse decompression bombs before any decoding.
export const MAX_UPLOAD_BYTES = 25 * 1024 * 1024;
export const MAX_UPLOAD_PIXELS = 50_000_000;
export const MAX_UPLOAD_SIDE = 12_000;
/** Longest side of a thumbnail and of a preview. */
export const THUMB_SIDE = 256;
export const PREVIEW_SIDE = 1024;

/** The size that fits inside a square of `maxSide`, keeping the aspect ratio, never upscaling. */
export function fitWithin(width: number, height: number, maxSide: number): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(width, height));
  return { width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)) };
}

/**
 * The longest side of a marked (locked) rendition of an image this size: never more than
 * three quarters of the original's longest side, so a preview never carries full resolution.
 */
export function markedSide(width: number, height: number, maxSide: number): number {
  return Math.max(1, Math.min(maxSide, Math.floor((Math.max(width, height) * 3) / 4)));
}
