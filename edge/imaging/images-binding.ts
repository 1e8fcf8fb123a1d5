// The production renderer: the Cloudflare Images binding resizes, draws the watermark tile
// (repeated over the whole picture) and encodes, outside the Worker's CPU and memory. Work on
// raw pixels (decode, upscale, PNG of our own rasters) stays with the WASM renderer.
import { MARK_SPACING, applyWatermark } from '../../shared/imaging/watermark';
import type { ImageRenderer } from './renderer';

const streamOf = (bytes: Uint8Array) => new Blob([bytes as Uint8Array<ArrayBuffer>]).stream();

async function bytesOf(result: ImageTransformationResult): Promise<Uint8Array> {
  return new Uint8Array(await new Response(result.image()).arrayBuffer());
}

export function imagesBindingRenderer(images: ImagesBinding, pixels: ImageRenderer): ImageRenderer {
  let tile: Promise<Uint8Array> | null = null;
  /** The mark once, on a transparent tile: the same mark the WASM renderer draws. */
  const markTile = () =>
    (tile ??= (async () => {
      const side = MARK_SPACING * 2;
      const grey = new Uint8Array(side * side * 4).map((_, i) => (i % 4 === 3 ? 0 : 128));
      const marked = applyWatermark({ width: side, height: side, rgba: grey });
      for (let i = 0; i < marked.rgba.length; i += 4) marked.rgba[i + 3] = marked.rgba[i] !== 128 ? 150 : 0;
      return pixels.encodePng(marked);
    })());

  return {
    async rendition(original, maxSide, marked = false) {
      const info = await images.info(streamOf(original));
      const scale = 'width' in info ? Math.min(1, maxSide / Math.max(info.width, info.height)) : 1;
      let transformer = images.input(streamOf(original)).transform({ width: maxSide, height: maxSide, fit: 'scale-down' });
      if (marked) transformer = transformer.draw(streamOf(await markTile()), { repeat: true, opacity: 1 });
      const result = await transformer.output({ format: 'image/jpeg', quality: 85 });
      const width = 'width' in info ? Math.round(info.width * scale) : maxSide;
      const height = 'height' in info ? Math.round(info.height * scale) : maxSide;
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
