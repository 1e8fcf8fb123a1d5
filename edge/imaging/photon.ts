// The WASM renderer (photon): decoding, Lanczos resizing and encoding inside the Worker.
// Used locally and in tests; memory is about 3x the frame, so inputs are downscaled early.
// Built over the photon module so the benchmark runs the same pipeline in Node.
import * as workerdPhoton from '@cf-wasm/photon/workerd';
import { avifFault } from '../../shared/imaging/avif';
import { halve } from '../../shared/imaging/downscale';
import { readImageHeader } from '../../shared/imaging/header';
import { fitWithin, markedSide, MAX_UPLOAD_PIXELS, MAX_UPLOAD_SIDE, WHOLE_DECODE_PIXELS, WHOLE_ENCODE_PIXELS } from '../../shared/imaging/limits';
import { enlargedRows } from '../../shared/imaging/enlarge';
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

type Photon = Pick<typeof workerdPhoton, 'PhotonImage' | 'resize' | 'SamplingFilter'>;

/** `between` is awaited between bands of long work (the Worker hands the thread back to requests there). */
export function createPhotonRenderer({ PhotonImage, resize, SamplingFilter }: Photon, between: () => Promise<void> = yieldToRequests): ImageRenderer {
  type Image = InstanceType<Photon['PhotonImage']>;

  /** Pixels of the whole picture, once the header says it fits (photon's frame is freed at once). */
  async function pixelsOf(bytes: Uint8Array, tooLarge: string): Promise<Raster> {
    const header = judged(bytes);
    if (header.type === 'image/png' && header.width * header.height <= WHOLE_DECODE_PIXELS) {
      const whole = await decodePngReduced(bytes, 1);
      if (whole) return whole;
    }
    const image = await open(bytes, tooLarge);
    try {
      return { width: image.get_width(), height: image.get_height(), rgba: image.get_raw_pixels() };
    } finally {
      image.free();
    }
  }

  /** Decodes whole, once the header says it fits (`tooLarge` words what is refused otherwise). */
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

  /**
   * Runs `work` on a decoded image no larger than maxSide, freeing every WASM object. A PNG at
   * least twice the target is decoded at reduced scale (never whole, so a 4096² original fits a
   * Worker's memory); anything else is decoded, halved by 2×2 averages while over twice the
   * target, and finished with Lanczos.
   */
  async function withImage<T>(bytes: Uint8Array, maxSide: number | undefined, tooLarge: string, work: (image: Image) => T, limit = WHOLE_DECODE_PIXELS): Promise<T> {
    const header = judged(bytes);
    if (maxSide && header.type === 'image/png') {
      const target = fitWithin(header.width, header.height, maxSide);
      // The largest whole reduction (an area average); Lanczos only for what is left over.
      const factor = Math.floor(Math.min(header.width / target.width, header.height / target.height));
      if (factor >= 2) {
        const reduced = await decodePngReduced(bytes, factor);
        if (reduced) {
          const small = new PhotonImage(reduced.rgba, reduced.width, reduced.height);
          const exact = reduced.width === target.width && reduced.height === target.height;
          const image = exact ? small : resize(small, target.width, target.height, SamplingFilter.Lanczos3);
          if (!exact) small.free();
          try {
            return work(image);
          } finally {
            image.free();
          }
        }
      }
    }
    const original = await open(bytes, tooLarge, limit);
    let image = original;
    try {
      let between: Image | null = null;
      if (maxSide) {
        const size = fitWithin(original.get_width(), original.get_height(), maxSide);
        if (size.width !== original.get_width() || size.height !== original.get_height()) {
          let source = original;
          if (original.get_width() > size.width * 2) {
            let raster: Raster = { width: original.get_width(), height: original.get_height(), rgba: original.get_raw_pixels() };
            while (raster.width > size.width * 2) raster = halve(raster);
            between = new PhotonImage(raster.rgba, raster.width, raster.height);
            source = between;
          }
          image = resize(source, size.width, size.height, SamplingFilter.Lanczos3);
        }
      }
      try {
        return work(image);
      } finally {
        between?.free();
      }
    } finally {
      if (image !== original) image.free();
      original.free();
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
      return withImage(original, side, `A preview of an image over ${megapixels(WHOLE_DECODE_PIXELS)} can be made here from PNG files only.`, (image) => {
        const width = image.get_width();
        const height = image.get_height();
        if (!mark) return { bytes: image.get_bytes_jpeg(85), contentType: 'image/jpeg', width, height };
        // Marked after downscaling: the mark costs the preview's pixels, not the original's.
        const pixels = applyWatermark({ width, height, rgba: image.get_raw_pixels() }, mark).rgba;
        const out = new PhotonImage(pixels, width, height);
        try {
          return { bytes: out.get_bytes_jpeg(85), contentType: 'image/jpeg', width, height };
        } finally {
          out.free();
        }
      });
    },

    async decode(original, maxSide) {
      return withImage(original, maxSide, `This image is too large to work on here: over ${megapixels(WHOLE_DECODE_PIXELS)}, only PNG files can be read at reduced size.`, (image) => ({ width: image.get_width(), height: image.get_height(), rgba: image.get_raw_pixels() }));
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
      for (const row of enlargedRows(source, width, height)) if (png.push(row)) await flush();
      return { contentType: 'image/png', width, height };
    },

    async convert(original, format) {
      return withImage(original, undefined, `A ${format.toUpperCase()} copy of an image over ${megapixels(WHOLE_ENCODE_PIXELS)} cannot be made here; download the original.`, (image) => ({
        bytes: format === 'png' ? image.get_bytes() : format === 'jpg' ? image.get_bytes_jpeg(92) : image.get_bytes_webp(),
        contentType: format === 'png' ? 'image/png' : format === 'jpg' ? 'image/jpeg' : 'image/webp',
        width: image.get_width(),
        height: image.get_height(),
      }), WHOLE_ENCODE_PIXELS);
    },

    async encodePng(raster: Raster) {
      const image = new PhotonImage(raster.rgba, raster.width, raster.height);
      try {
        return image.get_bytes();
      } finally {
        image.free();
      }
    },
  };
}

export const photonRenderer = createPhotonRenderer(workerdPhoton);
