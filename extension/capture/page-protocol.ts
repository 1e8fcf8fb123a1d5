// Messages between the background and the capture script it injects into a page on demand.
// Everything crosses as plain JSON: bytes as base64.
import type { PageImage, Rect, SourceKind } from './resolve';

export interface PageFacts {
  pageUrl: string;
  pageTitle: string;
  /** device pixels per CSS pixel, to crop screenshots. */
  dpr: number;
}

export type ResolveAnswer =
  | ({ ok: true; kind: SourceKind; url: string | null; width: number; height: number; alt: string; rect: Rect; inline: { base64: string; contentType: string } | null; needsScreenshot: boolean } & PageFacts)
  | ({ ok: false; reason: 'opted_out' | 'nothing_here'; message: string } & PageFacts);

export type PageRequest =
  | { type: 'capture.resolve'; srcUrl?: string; x?: number; y?: number }
  | { type: 'capture.collect' }
  | { type: 'capture.region' };

export interface CollectAnswer extends PageFacts {
  images: PageImage[];
  optedOut: string | null;
}

export interface RegionAnswer extends PageFacts {
  rect: Rect | null;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

export function fromBase64(b64: string): Uint8Array<ArrayBuffer> {
  const binary = atob(b64);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}
