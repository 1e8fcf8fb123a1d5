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
 * The largest picture the WASM renderer holds whole inside a Worker (128 MB): its decoders
 * peak at about 13 bytes a pixel, and up to 30 with an encoder after them (npm run bench measures each operation). Larger PNGs are
 * decoded at reduced scale instead; other work past it is refused in words.
 */
export const WHOLE_DECODE_PIXELS = 3_000_000;
