// What may be done with an image, from what made it: one rule for the Worker and the panel.
// Uploads are the user's own. Output of free models (base, Agentic) is downloadable at once;
// Style output is watermarked until a per-image license is bought.
import type { LicenseKind } from './catalog/types';

export interface ImagePolicy {
  watermarked: boolean;
  license: LicenseKind;
  licensed: boolean;
  downloadable: boolean;
}

export function imagePolicy(image: { kind: 'upload' | 'generated'; modelLicense?: LicenseKind; licensed?: boolean }): ImagePolicy {
  const licensed = image.licensed ?? false;
  if (image.kind === 'upload') return { watermarked: false, license: 'free', licensed, downloadable: true };
  const license = image.modelLicense ?? 'not_available';
  const free = license === 'free' || licensed;
  return { watermarked: !free, license, licensed, downloadable: free };
}
