// What may be done with an image, from what made it: one rule for the Worker and the panel.
// Base models and Agentic: free to use commercially at once (Agentic's terms forbid
// redistributing the file as-is). Private Styles and verified public Styles: watermarked until
// a per-image license is bought. Unverified public Styles: no license (personal use only).
import type { LicenseKind, ModelKind } from './catalog/types';
import type { ImageKind } from './statuses';

export interface ImagePolicy {
  watermarked: boolean;
  license: LicenseKind;
  licensed: boolean;
  downloadable: boolean;
}

/** The license a model's output carries, from its kind and (for public Styles) verification. */
export function modelLicense(kind: ModelKind, verified: boolean): LicenseKind {
  if (kind === 'base' || kind === 'agentic') return 'free';
  if (kind === 'private') return 'per_image';
  return verified ? 'per_image' : 'not_available';
}

export const agenticTerms = 'Free for commercial use. Redistributing the file as-is (as a stock image, template or asset) is not permitted.';

export function imagePolicy(image: { kind: ImageKind; modelLicense?: LicenseKind; licensed?: boolean }): ImagePolicy {
  const licensed = image.licensed ?? false;
  if (image.kind === 'upload') return { watermarked: false, license: 'free', licensed, downloadable: true };
  const license = image.modelLicense ?? 'not_available';
  const free = license === 'free' || licensed;
  return { watermarked: !free, license, licensed, downloadable: free };
}

export const perImageTerms =
  'Worldwide, perpetual, royalty-free license to use this one image commercially, including the original without watermark, ' +
  'upscaled versions up to 8K, vector exports and background-removed versions. The creator keeps the copyright of the Style.';
