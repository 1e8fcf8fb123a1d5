// The WASM renderer (photon): decoding, Lanczos resizing and encoding inside the Worker.
// Used locally and in tests; memory is about 3x the frame, so inputs are downscaled early.
// Built over the photon module so the benchmark runs the same pipeline in Node.
import * as workerdPhoton from '@cf-wasm/photon/workerd';
import { avifFault } from '../../shared/imaging/avif';
import { DamagedJpeg, decodeJpegReduced, jpegScaleFor } from '../../shared/imaging/jpeg-reduce';
import { halve } from '../../shared/imaging/downscale';
import { readImageHeader } from '../../shared/imaging/header';
import { fitWithin, markedSide, MAX_UPLOAD_PIXELS, MAX_UPLOAD_SIDE, WHOLE_DECODE_PIXELS, WHOLE_ENCODE_PIXELS } from '../../shared/imaging/limits';
import { resampledRows } from '../../shared/imaging/resample';
import { PngRowWriter } from '../../shared/imaging/png-encode';
import { applyWatermark, markFor } from '../../shared/imaging/watermark';
import { yieldToRequests } from '../scheduling';
import { checkPngData, decodePngReduced } from './png-reduce';
import { DamagedImage, ImageTooLarge, type ImageRenderer, type Raster, UndecodableImage } from './renderer';

/** About 1 MB of RGBA a band: each band's bytes go out before the next is made. */
const UPSCALE_BAND_PIXELS = 256 * 1024;

const megapixels = (n: number) => `${Math.floor(n / 1_000_000)} megapixels`;

/**
 * The header, judged before any decoder runs: a file whose header cannot be read is damaged;
 * one past the upload limits is refused whatever the operation (no decoder meets a bomb).
 */
function judged(bytes: Uint8Array) {
  const header = readImageHeader(bytes);
  if (!header) throw new DamagedImage();
  if (header.width > MAX_UPLOAD_SIDE || header.height > MAX_UPLOAD_SIDE || header.width * header.height > MAX_UPLOAD_PIXELS) {
    throw new ImageTooLarge(`This image is ${header.width}×${header.height}; images can be at most ${MAX_UPLOAD_SIDE} px a side and ${megapixels(MAX_UPLOAD_PIXELS)}.`);
  }
  return header;
}

type Photon = Pick<typeof workerdPhoton, 'PhotonImage'>;

/** `between` is awaited between bands of long work (the Worker hands the thread back to requests there). */
export function createPhotonRenderer({ PhotonImage }: Photon, between: () => Promise<void> = yieldToRequests): ImageRenderer {
  type Image = InstanceType<Photon['PhotonImage']>;

  /**
   * Pixels of the picture, once the header says it fits (photon's frame is freed at once). A PNG
   * is read by our capped decoder, at 1/`factor` scale when asked (an area average, never the
   * whole frame: a 50-megapixel PNG fits a Worker's memory); other formats are decoded whole
   * up to `limit` pixels and refused past it in the words of `tooLarge`.
   */
  async function pixelsOf(bytes: Uint8Array, tooLarge: string, limit = WHOLE_DECODE_PIXELS, factor = 1): Promise<Raster> {
    const header = judged(bytes);
    if (header.type === 'image/png' && (factor >= 2 || header.width * header.height <= limit)) {
      const decoded = await decodePngReduced(bytes, factor);
      if (decoded) return decoded;
    }
    const image = await open(bytes, tooLarge, limit);
    try {
      return { width: image.get_width(), height: image.get_height(), rgba: image.get_raw_pixels() };
    } finally {
      image.free();
    }
  }

  /** Decodes whole with photon, once the header says it fits (`tooLarge` words what is refused otherwise). */
  async function open(bytes: Uint8Array, tooLarge: string, limit = WHOLE_DECODE_PIXELS): Promise<Image> {
    const header = judged(bytes);
    if (header.type === 'image/avif') {
      // Photon has no AVIF decoder: a file whose structure is whole is not damaged, only
      // beyond this renderer; one cut short or pointing outside itself is damaged.
      if (avifFault(bytes)) throw new DamagedImage();
      throw new UndecodableImage();
    }
    if (header.width * header.height > limit) throw new ImageTooLarge(tooLarge);
    if (header.type === 'image/png') {
      // Our capped decoder where it reads the file (no second copy of the frame inside photon's
      // decoder); otherwise the data is checked first, as photon's decoder would inflate
      // whatever follows the last row.
      const whole = await decodePngReduced(bytes, 1);
      if (whole) return new PhotonImage(whole.rgba, whole.width, whole.height);
      await checkPngData(bytes);
    }
    try {
      return PhotonImage.new_from_byteslice(bytes);
    } catch {
      throw new DamagedImage();
    }
  }

  /** A JPEG at 1/scale from its DCT coefficients (jpeg-reduce.ts), or null for codings only a whole decode reads. */
  async function jpegAt(bytes: Uint8Array, scale: 2 | 4 | 8): Promise<Raster | null> {
    try {
      return await decodeJpegReduced(bytes, scale, between);
    } catch (error) {
      if (error instanceof DamagedJpeg) throw new DamagedImage();
      throw error;
    }
  }

  /**
   * The picture no larger than maxSide: a PNG at least twice the target is read at reduced
   * scale, and so is a JPEG (at 1/2, 1/4 or 1/8, the most that stays at least the target);
   * anything else is decoded whole. Then it is halved by 2×2 averages while over twice the
   * target, and finished with Lanczos3 (resample.ts: a row at a time, no second full-size frame).
   */
  async function rasterAt(bytes: Uint8Array, maxSide: number | undefined, tooLarge: string): Promise<Raster> {
    const header = judged(bytes);
    const target = maxSide ? fitWithin(header.width, header.height, maxSide) : header;
    // The largest whole reduction (an area average); Lanczos only for what is left over.
    const factor = header.type === 'image/png' ? Math.floor(Math.min(header.width / target.width, header.height / target.height)) : 1;
    const jpegScale = header.type === 'image/jpeg' ? jpegScaleFor(header, target) : 1;
    let raster = (jpegScale > 1 && (await jpegAt(bytes, jpegScale as 2 | 4 | 8))) || (await pixelsOf(bytes, tooLarge, WHOLE_DECODE_PIXELS, factor));
    const { width, height } = target;
    while (raster.width > width * 2 && raster.height > height * 2) raster = halve(raster);
    if (raster.width === width && raster.height === height) return raster;
    const rgba = new Uint8Array(width * height * 4);
    let y = 0;
    for (const row of resampledRows(raster, width, height)) rgba.set(row, y++ * width * 4);
    return { width, height, rgba };
  }

  /** `encode` on the raster as a photon image, freed after. */
  function encoded<T>(raster: Raster, encode: (image: Image) => T): T {
    const image = new PhotonImage(raster.rgba, raster.width, raster.height);
    try {
      return encode(image);
    } finally {
      image.free();
    }
  }

  return {
    async rendition(original, maxSide, imageMark) {
      let side = maxSide;
      let mark = imageMark;
      if (imageMark) {
        // Every format we accept states its size in the header; a locked image's copy is smaller.
        const header = judged(original);
        side = markedSide(header.width, header.height, maxSide);
        mark = markFor(imageMark, header.width, header.height, maxSide);
      }
      const raster = await rasterAt(original, side, `A preview of an image over ${megapixels(WHOLE_DECODE_PIXELS)} can be made here from PNG and JPEG files only.`);
      // Marked after downscaling: the mark costs the preview's pixels, not the original's.
      const shown = mark ? applyWatermark(raster, mark) : raster;
      return { bytes: encoded(shown, (image) => image.get_bytes_jpeg(85)), contentType: 'image/jpeg', width: shown.width, height: shown.height };
    },

    async decode(original, maxSide) {
      return rasterAt(original, maxSide, `This image is too large to work on here: over ${megapixels(WHOLE_DECODE_PIXELS)}, only PNG and JPEG files can be read at reduced size.`);
    },

    async upscale(original, longSide, write) {
      const name = longSide >= 7680 ? 'An 8K' : longSide >= 3840 ? 'A 4K' : 'An';
      const source = await pixelsOf(original, `${name} upscale of an image this size cannot be made here.`);
      const scale = Math.max(1, longSide / Math.max(source.width, source.height));
      const width = Math.round(source.width * scale);
      const height = Math.round(source.height * scale);
      // Row by row into the encoder, a band at a time out to `write`: the frame is never held.
      let pending: Uint8Array[] = [];
      const png = new PngRowWriter(width, height, (bytes) => pending.push(bytes), { filter: 'up', pixelsPerBand: UPSCALE_BAND_PIXELS });
      const flush = async () => {
        for (const bytes of pending) await write(bytes);
        pending = [];
        await between();
      };
      for (const row of resampledRows(source, width, height)) if (png.push(row)) await flush();
      return { contentType: 'image/png', width, height };
    },

    async convert(original, format) {
      const image = await open(original, `A ${format.toUpperCase()} copy of an image over ${megapixels(WHOLE_ENCODE_PIXELS)} cannot be made here; download the original.`, WHOLE_ENCODE_PIXELS);
      try {
        return {
          bytes: format === 'png' ? image.get_bytes() : format === 'jpg' ? image.get_bytes_jpeg(92) : image.get_bytes_webp(),
          contentType: format === 'png' ? 'image/png' : format === 'jpg' ? 'image/jpeg' : 'image/webp',
          width: image.get_width(),
          height: image.get_height(),
        };
      } finally {
        image.free();
      }
    },

    async encodePng(raster: Raster) {
      return encoded(raster, (image) => image.get_bytes());
    },
  };
}

export const photonRenderer = createPhotonRenderer(workerdPhoton);
