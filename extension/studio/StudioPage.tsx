// The studio page: signed out it sends you to the side panel to sign in (one sign-in for the
// whole extension); signed in it shows one view at a time, chosen from the navigation and kept
// in the address's hash.
import { useEffect, useState } from 'preact/hooks';
import type { User } from '../../shared/api/auth';
import { send } from '../lib/messaging';
import { signedInUser } from '../lib/token-store';
import { messageOf } from '../panel/api';
import { Live, useLiveConnection } from '../panel/live';
import { SignedInUser } from '../panel/user';
import { EarningsView } from './earnings/EarningsView';
import { LibraryView } from './library/LibraryView';
import { ProfileView } from './profile/ProfileView';
import { parseRoute, routeHash, type StudioRoute, studioViews, type StudioView } from './route';
import { StylesView } from './styles/StylesView';
import { TrainingView } from './training/TrainingView';

type Session = { status: 'loading' } | { status: 'signed-out'; error?: string } | { status: 'signed-in'; user: User };

/** Goes to another view (or subject); the hash is the one source of where the page is. */
export type Go = (route: StudioRoute) => void;

function useRoute(): [StudioRoute, Go] {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const follow = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', follow);
    return () => removeEventListener('hashchange', follow);
  }, []);
  return [route, (next) => (location.hash = routeHash(next))];
}

function Views({ user }: { user: User }) {
  const [route, go] = useRoute();
  const live = useLiveConnection(user.id);
  return (
    <Live.Provider value={live}>
      <nav class="studio-nav" aria-label="Studio">
        {(Object.keys(studioViews) as StudioView[]).map((view) => (
          <a key={view} href={routeHash({ view })} aria-current={route.view === view ? 'page' : undefined}>
            {studioViews[view]}
          </a>
        ))}
        <span class="grow" />
        <span class="muted small">{user.email}</span>
      </nav>
      <main class="studio-main" aria-label={studioViews[route.view]}>
        {route.view === 'training' && <TrainingView go={go} />}
        {route.view === 'styles' && <StylesView styleId={route.styleId} go={go} />}
        {route.view === 'library' && <LibraryView modelId={route.modelId} handle={route.handle} go={go} />}
        {route.view === 'earnings' && <EarningsView go={go} />}
        {route.view === 'profile' && <ProfileView />}
      </main>
    </Live.Provider>
  );
}

export function StudioPage() {
  const [session, setSession] = useState<Session>({ status: 'loading' });
  useEffect(() => {
    send('auth.state', {})
      .then((s) => setSession(s.signedIn && s.user ? { status: 'signed-in', user: s.user } : { status: 'signed-out' }))
      .catch((error) => setSession({ status: 'signed-out', error: messageOf(error) }));
    return signedInUser.watch((user) => setSession(user ? { status: 'signed-in', user } : { status: 'signed-out' }));
  }, []);
  return (
    <div class="studio">
      <header class="brand">
        <span class="logo" aria-hidden="true">◐</span> Exactly Studio
      </header>
      {session.status === 'loading' && <p class="muted">Loading…</p>}
      {session.status === 'signed-out' && (
        <p class="card" role="status">
          {session.error ?? 'You are signed out.'} Open the Exactly side panel and sign in with your email; this page follows.
        </p>
      )}
      {session.status === 'signed-in' && (
        <SignedInUser.Provider key={session.user.id} value={session.user}>
          <Views user={session.user} />
        </SignedInUser.Provider>
      )}
    </div>
  );
}
