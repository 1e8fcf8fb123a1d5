// The production renderer: the Cloudflare Images binding resizes, draws the watermark and
// encodes, outside the Worker's CPU and memory. Work on raw pixels (decode, upscale, PNG of our
// own rasters, the mark itself) stays with the WASM renderer.
import { fitWithin, markedSide, MAX_UPLOAD_PIXELS, MAX_UPLOAD_SIDE } from '../../shared/imaging/limits';
import { markFor, markOverlay } from '../../shared/imaging/watermark';
import { DamagedImage, type ImageRenderer, ImageTooLarge, UndecodableImage } from './renderer';

const streamOf = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();

async function bytesOf(result: ImageTransformationResult): Promise<Uint8Array> {
  return new Uint8Array(await new Response(result.image()).arrayBuffer());
}

/**
 * The binding's refusals of the file itself, by the numeric `code` of the ImagesError it throws
 * (Cloudflare Images' troubleshooting list): 9412 not an image, 9520 an unsupported type, 9523
 * the image could not be processed (an invalid format; the local binding answers every file its
 * decoder rejects with it); 9413 past the service's image area. Anything else (quota, busy,
 * plan) is not the file's fault and stays an error of ours.
 */
const damagedCodes = new Set([9412, 9520, 9523]);
const tooLargeCodes = new Set([9413]);

function asRendererError(error: unknown): unknown {
  const code = typeof error === 'object' && error !== null && 'code' in error ? Number(error.code) : NaN;
  if (damagedCodes.has(code)) return new DamagedImage();
  if (tooLargeCodes.has(code)) {
    return new ImageTooLarge(`This image is too large to render; images can be at most ${MAX_UPLOAD_SIDE} px a side and ${Math.floor(MAX_UPLOAD_PIXELS / 1_000_000)} megapixels.`);
  }
  return error;
}

/** One use of the binding, its refusals of the file thrown as the renderer's own. */
async function ask<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw asRendererError(error);
  }
}

export function imagesBindingRenderer(images: ImagesBinding, pixels: ImageRenderer): ImageRenderer {
  const info = (original: Uint8Array) => ask(() => images.info(streamOf(original)));
  const output = (transformer: ImageTransformer, options: ImageOutputOptions) => ask(async () => bytesOf(await transformer.output(options)));

  return {
    async rendition(original, maxSide, mark) {
      const measured = await info(original);
      if (!('width' in measured)) {
        // An SVG has no pixel size; a locked image's copy must be measured, so it is refused.
        if (mark) throw new UndecodableImage();
        const bytes = await output(images.input(streamOf(original)).transform({ width: maxSide, height: maxSide, fit: 'scale-down' }), { format: 'image/jpeg', quality: 85 });
        return { bytes, contentType: 'image/jpeg', width: maxSide, height: maxSide };
      }
      const side = mark ? markedSide(measured.width, measured.height, maxSide) : maxSide;
      const { width, height } = fitWithin(measured.width, measured.height, side);
      let transformer = images.input(streamOf(original)).transform({ width, height, fit: 'scale-down' });
      if (mark) {
        // One overlay the size of the picture, not a repeated tile: a tile would repeat the
        // same mark (and grain) many times over one image, and the repeats would give it away.
        const overlay = await pixels.encodePng(markOverlay(width, height, markFor(mark, measured.width, measured.height, maxSide)));
        transformer = transformer.draw(streamOf(overlay), { top: 0, left: 0, opacity: 1 });
      }
      const bytes = await output(transformer, { format: 'image/jpeg', quality: 85 });
      return { bytes, contentType: 'image/jpeg', width, height };
    },
    async convert(original, format) {
      const type = format === 'png' ? 'image/png' : format === 'jpg' ? 'image/jpeg' : 'image/webp';
      const measured = await info(original);
      const bytes = await output(images.input(streamOf(original)), { format: type, quality: 92 });
      return { bytes, contentType: type, width: 'width' in measured ? measured.width : 0, height: 'height' in measured ? measured.height : 0 };
    },
    decode: (original, maxSide) => pixels.decode(original, maxSide),
    upscale: (original, longSide, write) => pixels.upscale(original, longSide, write),
    encodePng: (raster) => pixels.encodePng(raster),
  };
}
