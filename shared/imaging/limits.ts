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

/** All of an animation's frames together (a GIF's frames are each decoded at their own size). */
export const MAX_ANIMATION_PIXELS = MAX_UPLOAD_PIXELS;
/**
 * The largest picture the WASM renderer decodes whole (a thumbnail, a preview, a measure):
 * its decoders peak at about 13 bytes a pixel (npm run bench measures each operation). Larger
 * PNGs are decoded at reduced scale instead; other formats past it are refused in words.
 * 8 MP keeps the photos designers capture from the web (up to 3840×2160 and a bit more);
 * a JPEG decoded at reduced scale would let it go lower.
 */
export const WHOLE_DECODE_PIXELS = 8_000_000;
/** The largest picture re-encoded whole at full size (a PNG/JPG/WebP copy): up to 30 bytes a pixel with the encoder. */
export const WHOLE_ENCODE_PIXELS = 3_000_000;
/**
 * The longest side of a marked (locked) rendition of an image this size: never more than
 * three quarters of the original's longest side, so a preview never carries full resolution.
 */
export function markedSide(width: number, height: number, maxSide: number): number {
  return Math.max(1, Math.min(maxSide, Math.floor((Math.max(width, height) * 3) / 4)));
}
