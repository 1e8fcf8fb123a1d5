// PNG files painted pixel by pixel, encoded by photon inside workerd.
import { PhotonImage } from '@cf-wasm/photon/workerd';

export function paintedPng(width: number, height: number, paint: (x: number, y: number) => [number, number, number]): Uint8Array<ArrayBuffer> {
  const pixels = new Uint8Array(width * height * 4);
  for (let p = 0; p < width * height; p++) pixels.set([...paint(p % width, Math.floor(p / width)), 255], p * 4);
  const image = new PhotonImage(pixels, width, height);
  try {
    return image.get_bytes() as Uint8Array<ArrayBuffer>;
  } finally {
    image.free();
  }
}
