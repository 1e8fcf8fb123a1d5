// The studio: signed out it asks for the email code; signed in it shows the account, the
// Generate tab and the model library, all of it the signed-in user's own. It follows the
// background's sign-in state, so a sign-out anywhere shows here.
import { useEffect, useState } from 'preact/hooks';
import type { User } from '../../shared/api/auth';
import type { PublicModel } from '../../shared/catalog/types';
import { send } from '../lib/messaging';
import { pendingPrompt } from '../lib/captures';
import { signedInUser } from '../lib/token-store';
import { AccountBar } from './account/AccountBar';
import { SignIn } from './account/SignIn';
import { api, messageOf, withToken } from './api';
import { CaptureNotice } from './CaptureNotice';
import { CollectGrid } from './collect/CollectGrid';
import { BuyCreditsView, useBuyViewState } from './credits/buy-view';
import { GenerateView } from './generate/GenerateView';
import { LicenseList } from './licenses/LicenseList';
import { Live, useLiveConnection } from './live';
import { ModelList } from './library/ModelList';
import { NewPin } from './pins/NewPin';
import { TrainingTray } from './training/TrainingTray';
import { SignedInUser, useUserStored } from './user';

type View = { status: 'loading' } | { status: 'signed-out'; error?: string } | { status: 'signed-in'; user: User };
type Tab = 'generate' | 'collect' | 'training' | 'models' | 'licenses';
const tabNames: Record<Tab, string> = { generate: 'Generate', collect: 'Collect', training: 'Training', models: 'Models', licenses: 'Licenses' };
const tabs = Object.keys(tabNames) as Tab[];

/** The WAI-ARIA tabs pattern: arrows move (and wrap), Home and End jump; the chosen tab takes focus. */
function moveBetweenTabs(e: KeyboardEvent, current: Tab, choose: (t: Tab) => void) {
  const at = tabs.indexOf(current);
  const to = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: tabs.length - 1 }[e.key];
  if (to === undefined) return;
  e.preventDefault();
  const next = tabs[(to + tabs.length) % tabs.length]!;
  choose(next);
  (e.currentTarget as HTMLElement).querySelector<HTMLElement>(`#tab-${next}`)?.focus();
}

function Studio({ user, onSignedOut }: { user: User; onSignedOut(): void }) {
  const [tab, setTab] = useState<Tab>('generate');
  const [models, setModels] = useState<PublicModel[] | null>(null);
  const [error, setError] = useState('');
  // Bumped whenever credits may have moved, so the balance and quotes reload.
  const [creditsVersion, setCreditsVersion] = useState(0);
  // "Image to prompt" from the page: the prompt is read where it is written, on Generate.
  const [promptSource] = useUserStored(pendingPrompt);
  useEffect(() => {
    if (promptSource) setTab('generate');
  }, [promptSource?.id]);

  useEffect(() => {
    // With the token: the catalog then also lists this user's own private Styles.
    withToken((token) => api.models(token))
      .then((list) => setModels(list.items))
      .catch((e) => setError(messageOf(e)));
  }, []);

  const live = useLiveConnection(user.id);
  const buyView = useBuyViewState();

  return (
    <Live.Provider value={live}>
      <BuyCreditsView.Provider value={buyView}>
        <AccountBar user={user} creditsVersion={creditsVersion} onCreditsChanged={() => setCreditsVersion((v) => v + 1)} onSignedOut={onSignedOut} />
        <CaptureNotice />
        <NewPin />
        <div class="tabs" role="tablist" aria-label="Studio" onKeyDown={(e) => moveBetweenTabs(e, tab, setTab)}>
          {tabs.map((t) => (
            <button
              key={t}
              type="button"
              role="tab"
              id={`tab-${t}`}
              aria-controls={`tabpanel-${t}`}
              aria-selected={tab === t}
              tabIndex={tab === t ? 0 : -1}
              data-testid={`tab-${t}`}
              class={tab === t ? 'tab active' : 'tab'}
              onClick={() => setTab(t)}
            >
              {tabNames[t]}
            </button>
          ))}
        </div>
        {tabs.map((t) => (
          <div key={t} role="tabpanel" id={`tabpanel-${t}`} aria-labelledby={`tab-${t}`} class="tabpanel" hidden={tab !== t}>
            {tab === t && (
              <>
                {error && (
                  <p class="error" role="alert">
                    {error}
                  </p>
                )}
                {!models && !error && <p class="muted">Loading models…</p>}
                {models && t === 'generate' && <GenerateView models={models} creditsVersion={creditsVersion} onCreditsChanged={() => setCreditsVersion((v) => v + 1)} />}
                {models && t === 'models' && <ModelList models={models} />}
                {t === 'collect' && <CollectGrid />}
                {t === 'training' && <TrainingTray />}
                {t === 'licenses' && <LicenseList models={models ?? []} />}
              </>
            )}
          </div>
        ))}
      </BuyCreditsView.Provider>
    </Live.Provider>
  );
}

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
      {view.status === 'signed-out' && <SignIn initialError={view.error} onSignedIn={(user) => setView({ status: 'signed-in', user })} />}
      {view.status === 'signed-in' && (
        // Keyed by the user: another account starts from a fresh studio, never the last one's state.
        <SignedInUser.Provider key={view.user.id} value={view.user}>
          <Studio user={view.user} onSignedOut={() => setView({ status: 'signed-out' })} />
        </SignedInUser.Provider>
      )}
    </main>
  );
}
