// What a designer may do with one result: use it freely, license it (price and balance
// shown), or keep it for personal use; once licensed, download it and show its certificate.
import { useState } from 'preact/hooks';
import type { Generation } from '../../../shared/api/generation';
import type { PublicModel } from '../../../shared/catalog/types';
import { API_URL } from '../../lib/config';
import { api, messageOf, withToken } from '../api';
import { credits } from '../format';

type Image = Generation['images'][number];

export function policyLabel(image: Image, model: PublicModel | undefined): string {
  if (image.policy.licensed) return 'Licensed';
  if (image.policy.license === 'free') return model?.kind === 'agentic' ? 'Free to use (no redistribution as-is)' : 'Free to use commercially';
  if (image.policy.license === 'per_image') return `Licensable · ${credits(model?.license_price ?? 0)}`;
  return 'Personal use only';
}

export async function saveAs(blob: Blob, name: string) {
  const url = URL.createObjectURL(blob);
  const link = Object.assign(document.createElement('a'), { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

interface Props {
  image: Image;
  model: PublicModel | undefined;
  available: number | null;
  onLicensed(): void;
}

export function OwnImage({ image, model, available, onLicensed }: Props) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const [certificate, setCertificate] = useState<string | null>(null);
  const price = model?.license_price ?? 0;
  const licensable = image.policy.license === 'per_image' && !image.policy.licensed;

  async function buy() {
    setBusy(true);
    setError('');
    try {
      const license = await withToken((token) => api.license(token, image.id, `license:${image.id}`));
      setCertificate(`${API_URL}${license.certificate_url}`);
      onLicensed();
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const [making, setMaking] = useState('');

  /** Downloads a version; an extra that is not made yet is waited for (its job runs on the server). */
  async function download(label: string, query: string, name: string) {
    setError('');
    try {
      for (let tries = 0; tries < 120; tries++) {
        const result = await withToken((token) => api.download(token, image.id, query));
        if ('blob' in result) {
          setMaking('');
          await saveAs(result.blob, name);
          return;
        }
        setMaking(`Making the ${label}…`);
        await new Promise((r) => setTimeout(r, 1000));
      }
      setError(`The ${label} is taking long; try again in a minute.`);
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setMaking('');
    }
  }

  return (
    <div class="own-image" onClick={(e) => e.stopPropagation()} data-testid="own-image">
      <span class="badge" data-testid="policy">{policyLabel(image, model)}</span>
      {licensable && (
        <button type="button" data-testid="license" disabled={busy || (available !== null && available < price)} onClick={buy}>
          {busy ? 'Licensing…' : `License this image · ${credits(price)}`}
        </button>
      )}
      {licensable && available !== null && <span class="muted small">{credits(available)} available</span>}
      {image.policy.downloadable && (
        <div class="row wrap">
          <button type="button" data-testid="download-original" onClick={() => download('original', '?format=original', `exactly-${image.id}.png`)}>
            Download original
          </button>
          <button type="button" class="link" onClick={() => download('JPG', '?format=jpg', `exactly-${image.id}.jpg`)}>
            JPG
          </button>
          <button type="button" class="link" data-testid="download-4k" onClick={() => download('4K version', '?size=4k', `exactly-${image.id}-4k.png`)}>
            4K
          </button>
          <button type="button" class="link" onClick={() => download('8K version', '?size=8k', `exactly-${image.id}-8k.png`)}>
            8K
          </button>
          <button type="button" class="link" data-testid="download-svg" onClick={() => download('SVG', '?format=svg', `exactly-${image.id}.svg`)}>
            SVG
          </button>
          <button type="button" class="link" onClick={() => download('cut-out', '?variant=no_background', `exactly-${image.id}-cutout.png`)}>
            No background
          </button>
        </div>
      )}
      {image.policy.license === 'not_available' && <span class="muted small">This Style is not verified yet: its images stay in Exactly for personal use.</span>}
      {certificate && (
        <a href={certificate} target="_blank" rel="noreferrer" data-testid="certificate">
          License certificate
        </a>
      )}
      {making && <p class="muted small" data-testid="making">{making}</p>}
      {error && <p class="error small">{error}</p>}
    </div>
  );
}
