// An image's bytes to a small RGBA raster with the browser's own decoder and scaler: what the
// panel measures components from (and what test/bench/components.ts times in Chromium).
import type { Raster } from '../../../shared/style/components';

/** The longest side measured: enough for palette, light and framing, and fast (a few ms). */
export const MEASURE_SIDE = 128;

/** Decodes an image to RGBA at most `side` pixels on its longest side (the browser's decoder and scaler). */
export async function rasterOf(blob: Blob, side = MEASURE_SIDE): Promise<Raster> {
  const bitmap = await createImageBitmap(blob);
  try {
    const scale = Math.min(1, side / Math.max(bitmap.width, bitmap.height));
    const width = Math.max(1, Math.round(bitmap.width * scale));
    const height = Math.max(1, Math.round(bitmap.height * scale));
    const canvas = new OffscreenCanvas(width, height);
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    context.drawImage(bitmap, 0, 0, width, height);
    const { data } = context.getImageData(0, 0, width, height);
    return { width, height, rgba: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
  } finally {
    bitmap.close();
  }
}

/** The bytes of a data: URL, without the network stack. */
export function blobOfDataUrl(url: string): Blob {
  const comma = url.indexOf(',');
  const head = url.slice(5, comma);
  const body = url.slice(comma + 1);
  const type = head.split(';')[0] || 'application/octet-stream';
  if (!head.endsWith(';base64')) return new Blob([decodeURIComponent(body)], { type });
  const binary = atob(body);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return new Blob([bytes], { type });
}
