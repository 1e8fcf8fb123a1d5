// What fetched bytes really are, read from their magic numbers (shared/imaging/header.ts, the
// same reading the API does), whatever the server's Content-Type claims: an image sent as
// application/octet-stream is still an image, and an HTML error page sent as image/png is not.
import { type ImageType, readImageHeader, sniffImageType } from '../../shared/imaging/header';

export interface SniffedImage {
  /** The type the upload is sent as. */
  contentType: ImageType;
  /** The size the header states, or null when the header cannot be read without decoding. */
  size: { width: number; height: number } | null;
}

/** The image the bytes are, or null when they are none we accept (SVG, HTML, text, anything else). */
export function sniffImage(bytes: Uint8Array): SniffedImage | null {
  const contentType = sniffImageType(bytes);
  if (!contentType) return null;
  const header = readImageHeader(bytes);
  return { contentType, size: header ? { width: header.width, height: header.height } : null };
}
