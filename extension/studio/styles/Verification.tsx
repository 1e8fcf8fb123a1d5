// Verification of a public Style: how many people have used it of the 25 it needs, and once
// eligible, the creator's attestation that makes it verified (its images can then be licensed).
import { useState } from 'preact/hooks';
import type { Style } from '../../../shared/api/styles';
import { messageOf, withToken } from '../../panel/api';
import { stylesApi } from './api';
import { copyrightWords } from './words';

type Progress = NonNullable<Style['verification']>;

export function Verification({ style, verification: v, onVerified }: { style: Style; verification: Progress; onVerified(style: Style): void }) {
  const [attested, setAttested] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState('');
  const used = Math.min(v.distinct_users, v.threshold);

  async function verify(e: Event) {
    e.preventDefault();
    setBusy(true);
    setError('');
    try {
      onVerified(await withToken((token) => stylesApi.verify(token, style.id)));
    } catch (e) {
      setError(messageOf(e));
    } finally {
      setBusy(false);
    }
  }

  const stated = style.publication ? copyrightWords[style.publication.copyright_status].label.toLowerCase() : null;
  return (
    <section class="card" aria-label="Verification">
      <h2>Verification</h2>
      {v.verified ? (
        <p>Verified: its images can be licensed, and each license earns you your share.</p>
      ) : (
        <>
          <progress
            max={v.threshold}
            value={used}
            aria-label="People who have used it"
            aria-valuemin={0}
            aria-valuemax={v.threshold}
            aria-valuenow={used}
            aria-valuetext={`${v.distinct_users} of ${v.threshold}`}
          />
          <p data-testid="verification-progress">
            {v.distinct_users} of {v.threshold} people have used it.
            {!v.eligible && ' When it reaches the threshold, you can verify it, and from then on its images can be licensed.'}
          </p>
        </>
      )}
      {v.eligible && !v.verified && (
        <form onSubmit={verify} aria-label="Verify">
          <label class="choice">
            <input type="checkbox" checked={attested} onChange={(e) => setAttested(e.currentTarget.checked)} />
            <span>I confirm that I hold the rights I stated{stated ? ` (${stated})` : ''} for every training image, and that its images may be licensed.</span>
          </label>
          <div class="row">
            <button type="submit" disabled={!attested || busy}>
              {busy ? 'Verifying…' : 'Verify'}
            </button>
          </div>
          {error && (
            <p class="error" role="alert">
              {error}
            </p>
          )}
        </form>
      )}
    </section>
  );
}
