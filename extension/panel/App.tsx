// The studio: signed out it asks for the email code; signed in it shows the account and the
// models. It follows the background's sign-in state, so a sign-out anywhere shows here.
import { useEffect, useState } from 'preact/hooks';
import type { User } from '../../shared/api/auth';
import { send } from '../lib/messaging';
import { signedInUser } from '../lib/token-store';
import { AccountBar } from './account/AccountBar';
import { SignIn } from './account/SignIn';
import { messageOf } from './api';
import { ModelList } from './library/ModelList';

type View = { status: 'loading' } | { status: 'signed-out'; error?: string } | { status: 'signed-in'; user: User };

export function App() {
  const [view, setView] = useState<View>({ status: 'loading' });

  useEffect(() => {
    send('auth.state', {})
      .then((s) => setView(s.signedIn && s.user ? { status: 'signed-in', user: s.user } : { status: 'signed-out' }))
      .catch((error) => setView({ status: 'signed-out', error: messageOf(error) }));
    return signedInUser.watch((user) => setView(user ? { status: 'signed-in', user } : { status: 'signed-out' }));
  }, []);

  return (
    <main class="panel">
      <header class="brand">
        <span class="logo" aria-hidden="true">◐</span> Exactly
      </header>
      {view.status === 'loading' && <p class="muted">Loading…</p>}
      {view.status === 'signed-out' && (
        <SignIn initialError={view.error} onSignedIn={(user) => setView({ status: 'signed-in', user })} />
      )}
      {view.status === 'signed-in' && (
        <>
          <AccountBar user={view.user} onSignedOut={() => setView({ status: 'signed-out' })} />
          <ModelList />
        </>
      )}
    </main>
  );
}
