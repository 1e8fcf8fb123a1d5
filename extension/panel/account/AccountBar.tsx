// Who is signed in and their credits: balance, what running work holds, what is available.
import { useEffect, useState } from 'preact/hooks';
import type { Credits, User } from '../../../shared/api/auth';
import { send } from '../../lib/messaging';
import { api, messageOf, withToken } from '../api';
import { credits as creditsLabel } from '../format';
import { useLiveEvent } from '../live';

interface Props {
  user: User;
  /** Changes whenever credits may have moved (a generation started or ended). */
  creditsVersion: number;
  onSignedOut(): void;
}

export function AccountBar({ user, creditsVersion, onSignedOut }: Props) {
  const [credits, setCredits] = useState<Credits | null>(null);
  const [error, setError] = useState('');

  async function load() {
    setError('');
    try {
      setCredits(await withToken((token) => api.credits(token)));
    } catch (e) {
      setError(messageOf(e));
    }
  }

  useEffect(() => {
    void load();
  }, [user.id, creditsVersion]);
  // The balance the moment it moves (holds, charges, refunds, grants, licenses), from the live channel.
  useLiveEvent('credits.changed', (fresh) => {
    setCredits(fresh);
    setError('');
  });

  async function signOut() {
    await send('auth.signOut', {}).catch(() => undefined);
    onSignedOut();
  }

  return (
    <section class="card account" aria-label="Account">
      <div class="row spread">
        <span class="email" data-testid="user-email">{user.email}</span>
        <button type="button" class="link" onClick={signOut}>
          Sign out
        </button>
      </div>
      {credits ? (
        <div class="credits">
          <div>
            <span class="big" data-testid="balance">{credits.available.toLocaleString('en')}</span> credits available
          </div>
          <div class="muted" data-testid="credit-detail">
            Balance {creditsLabel(credits.balance)}
            {credits.held > 0 ? ` · ${creditsLabel(credits.held)} held by running work` : ''}
          </div>
        </div>
      ) : error ? (
        <p class="error" role="alert">
          {error}{' '}
          <button type="button" class="link" onClick={load}>
            Try again
          </button>
        </p>
      ) : (
        <p class="muted">Loading credits…</p>
      )}
    </section>
  );
}
