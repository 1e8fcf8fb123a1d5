// The WASM renderer (photon): decoding, Lanczos resizing and encoding inside the Worker.
// Used locally and in tests; memory is about 3x the frame, so inputs are downscaled early.
// Built over the photon module so the benchmark runs the same pipeline in Node.
import * as workerdPhoton from '@cf-wasm/photon/workerd';
import { halve } from '../../shared/imaging/downscale';
import { readImageHeader } from '../../shared/imaging/header';
import { fitWithin, markedSide } from '../../shared/imaging/limits';
import { applyWatermark } from '../../shared/imaging/watermark';
import { decodePngReduced } from './png-reduce';
import { type ImageRenderer, type Raster, UndecodableImage } from './renderer';

type Photon = Pick<typeof workerdPhoton, 'PhotonImage' | 'resize' | 'SamplingFilter'>;

export function createPhotonRenderer({ PhotonImage, resize, SamplingFilter }: Photon): ImageRenderer {
  type Image = InstanceType<Photon['PhotonImage']>;

  function open(bytes: Uint8Array): Image {
    try {
      return PhotonImage.new_from_byteslice(bytes);
    } catch {
      throw new UndecodableImage();
    }
  }

  /**
   * Runs `work` on a decoded image no larger than maxSide, freeing every WASM object. A PNG at
   * least twice the target is decoded at reduced scale (never whole, so a 4096² original fits a
   * Worker's memory); anything else is decoded, halved by 2×2 averages while over twice the
   * target, and finished with Lanczos.
   */
  async function withImage<T>(bytes: Uint8Array, maxSide: number | undefined, work: (image: Image) => T): Promise<T> {
    const header = readImageHeader(bytes);
    if (maxSide && header?.type === 'image/png') {
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
    const original = open(bytes);
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
    async rendition(original, maxSide, mark) {
      let side = maxSide;
      if (mark) {
        // Every format we accept states its size in the header; a locked image's copy is smaller.
        const header = readImageHeader(original);
        if (!header) throw new UndecodableImage();
        side = markedSide(header.width, header.height, maxSide);
      }
      return withImage(original, side, (image) => {
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
      return withImage(original, maxSide, (image) => ({ width: image.get_width(), height: image.get_height(), rgba: image.get_raw_pixels() }));
    },

    async upscale(original, longSide) {
      const image = open(original);
      try {
        const scale = Math.max(1, longSide / Math.max(image.get_width(), image.get_height()));
        const width = Math.round(image.get_width() * scale);
        const height = Math.round(image.get_height() * scale);
        const large = scale > 1 ? resize(image, width, height, SamplingFilter.Lanczos3) : image;
        try {
          return { bytes: large.get_bytes(), contentType: 'image/png', width, height };
        } finally {
          if (large !== image) large.free();
        }
      } finally {
        image.free();
      }
    },

    async convert(original, format) {
      return withImage(original, undefined, (image) => ({
        bytes: format === 'png' ? image.get_bytes() : format === 'jpg' ? image.get_bytes_jpeg(92) : image.get_bytes_webp(),
        contentType: format === 'png' ? 'image/png' : format === 'jpg' ? 'image/jpeg' : 'image/webp',
        width: image.get_width(),
        height: image.get_height(),
      }));
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
