// The production renderer: the Cloudflare Images binding resizes, draws the watermark and
// encodes, outside the Worker's CPU and memory. Work on raw pixels (decode, upscale, PNG of our
// own rasters, the mark itself) stays with the WASM renderer.
import { fitWithin, markedSide } from '../../shared/imaging/limits';
import { markFor, markOverlay } from '../../shared/imaging/watermark';
import { type ImageRenderer, UndecodableImage } from './renderer';

const streamOf = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();

async function bytesOf(result: ImageTransformationResult): Promise<Uint8Array> {
  return new Uint8Array(await new Response(result.image()).arrayBuffer());
}

export function imagesBindingRenderer(images: ImagesBinding, pixels: ImageRenderer): ImageRenderer {
  return {
    async rendition(original, maxSide, mark) {
      const info = await images.info(streamOf(original));
      if (!('width' in info)) {
        // An SVG has no pixel size; a locked image's copy must be measured, so it is refused.
        if (mark) throw new UndecodableImage();
        const result = await images.input(streamOf(original)).transform({ width: maxSide, height: maxSide, fit: 'scale-down' }).output({ format: 'image/jpeg', quality: 85 });
        return { bytes: await bytesOf(result), contentType: 'image/jpeg', width: maxSide, height: maxSide };
      }
      const side = mark ? markedSide(info.width, info.height, maxSide) : maxSide;
      const { width, height } = fitWithin(info.width, info.height, side);
      let transformer = images.input(streamOf(original)).transform({ width, height, fit: 'scale-down' });
      if (mark) {
        // One overlay the size of the picture, not a repeated tile: a tile would repeat the
        // same mark (and grain) many times over one image, and the repeats would give it away.
        const overlay = await pixels.encodePng(markOverlay(width, height, markFor(mark, info.width, info.height, maxSide)));
        transformer = transformer.draw(streamOf(overlay), { top: 0, left: 0, opacity: 1 });
      }
      const result = await transformer.output({ format: 'image/jpeg', quality: 85 });
      return { bytes: await bytesOf(result), contentType: 'image/jpeg', width, height };
    },
    async convert(original, format) {
      const type = format === 'png' ? 'image/png' : format === 'jpg' ? 'image/jpeg' : 'image/webp';
      const info = await images.info(streamOf(original));
      const result = await images.input(streamOf(original)).output({ format: type, quality: 92 });
      return { bytes: await bytesOf(result), contentType: type, width: 'width' in info ? info.width : 0, height: 'height' in info ? info.height : 0 };
    },
    decode: (original, maxSide) => pixels.decode(original, maxSide),
    upscale: (original, longSide) => pixels.upscale(original, longSide),
    encodePng: (raster) => pixels.encodePng(raster),
  };
}
