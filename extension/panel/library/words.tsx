// How a Style's license, popularity and verification read, in the panel's Models tab and the
// studio's library alike.
import type { PublicModel } from '../../../shared/catalog/types';
import { credits } from '../format';

/** "Free to use commercially", "Per image for 20 credits" or "Personal use only". */
export function licenseInWords(model: Pick<PublicModel, 'license' | 'license_price'>): string {
  if (model.license === 'free') return 'Free to use commercially';
  if (model.license === 'per_image') return model.license_price ? `Per image for ${credits(model.license_price)}` : 'License per image';
  return 'Personal use only';
}

export const usersInWords = (n: number) => `${n.toLocaleString('en')} user${n === 1 ? '' : 's'}`;

/** The verified mark: a tick a screen reader calls "Verified". */
export function VerifiedMark() {
  return (
    // Coloured here, not in a stylesheet: the panel and the studio page each load their own.
    <span class="verified" role="img" aria-label="Verified" title="Verified: its creator attested its copyright status" style={{ color: 'var(--accent)', fontWeight: 700 }}>
      ✓
    </span>
  );
}
