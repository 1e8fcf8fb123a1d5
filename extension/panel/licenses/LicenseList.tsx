// The images I hold licenses for, each with its certificate.
import { useEffect, useState } from 'preact/hooks';
import type { License } from '../../lib/api-client';
import { API_URL } from '../../lib/config';
import { api, messageOf, withToken } from '../api';
import { credits } from '../format';

export function LicenseList() {
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
    <ul class="tray" data-testid="license-list">
      {items.map((l) => (
        <li key={l.id} class="card">
          <div class="grow small">
            <strong>{l.image_id}</strong>
            <span class="muted">
              {new Date(l.issued_at).toLocaleDateString()} · {credits(l.price)}
            </span>
          </div>
          <a href={`${API_URL}${l.certificate_url}`} target="_blank" rel="noreferrer">
            Certificate
          </a>
        </li>
      ))}
    </ul>
  );
}
