// The images I hold licenses for: each with its thumbnail, the model that made it, the date,
// the certificate and the downloads a license opens.
import { useEffect, useState } from 'preact/hooks';
import type { PublicModel } from '../../../shared/catalog/types';
import type { License } from '../../lib/api-client';
import { API_URL } from '../../lib/config';
import { api, messageOf, withToken } from '../api';
import { credits } from '../format';
import { useAuthedImage } from '../use-authed-image';
import { saveAs } from './OwnImage';

function LicenseThumb({ imageId }: { imageId: string }) {
  // The image's own thumb_url: it changes once licensed (no watermark), so a cached marked one is not shown.
  const [path, setPath] = useState<string | null>(null);
  useEffect(() => {
    withToken((token) => api.image(token, imageId))
      .then((found) => setPath(found.thumb_url))
      .catch(() => setPath(null));
  }, [imageId]);
  const { url } = useAuthedImage(path);
  return url ? <img class="license-thumb" src={url} alt="Licensed image" data-testid="license-thumb" /> : <span class="license-thumb" aria-hidden="true" />;
}

function LicenseItem({ license, model }: { license: License; model: PublicModel | undefined }) {
  const [error, setError] = useState('');
  async function download(query: string, name: string) {
    setError('');
    try {
      const result = await withToken((token) => api.download(token, license.image_id, query));
      if ('blob' in result) await saveAs(result.blob, name);
      else setError('This version is still being made; try again in a minute.');
    } catch (e) {
      setError(messageOf(e));
    }
  }
  const issued = new Date(license.issued_at);
  return (
    <li class="card license-item" data-testid="license-item">
      <LicenseThumb imageId={license.image_id} />
      <div class="grow small">
        <strong>{model?.name ?? license.model_id}</strong>
        <span class="muted">
          <time dateTime={license.issued_at}>{issued.toLocaleDateString(undefined, { day: 'numeric', month: 'short', year: 'numeric' })}</time> · {credits(license.price)}
        </span>
        <div class="actions">
          <button type="button" class="secondary small" aria-label={`Download the original of the image licensed on ${issued.toLocaleDateString()}`} onClick={() => download('?format=original', `exactly-${license.image_id}.png`)}>
            Download
          </button>
          <button type="button" class="secondary small" aria-label={`Download a JPG of the image licensed on ${issued.toLocaleDateString()}`} onClick={() => download('?format=jpg', `exactly-${license.image_id}.jpg`)}>
            JPG
          </button>
          <a href={`${API_URL}${license.certificate_url}`} target="_blank" rel="noreferrer">
            Certificate
          </a>
        </div>
        {error && <p class="error small">{error}</p>}
      </div>
    </li>
  );
}

export function LicenseList({ models }: { models: PublicModel[] }) {
  const [items, setItems] = useState<License[] | null>(null);
  const [error, setError] = useState('');
  useEffect(() => {
    withToken((token) => api.licenses(token))
      .then((page) => setItems(page.items))
      .catch((e) => setError(messageOf(e)));
  }, []);
  if (error) return <p class="error">{error}</p>;
  if (!items) return <p class="muted">Loading licenses…</p>;
  if (!items.length) return <p class="muted">Licenses you buy appear here, each with its certificate.</p>;
  return (
    <section aria-label="Licenses">
      <ul class="tray" data-testid="license-list">
        {items.map((l) => (
          <LicenseItem key={l.id} license={l} model={models.find((m) => m.id === l.model_id)} />
        ))}
      </ul>
    </section>
  );
}
