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
import { GenerateView } from './generate/GenerateView';
import { LicenseList } from './licenses/LicenseList';
import { ModelList } from './library/ModelList';
import { NewPin } from './pins/NewPin';
import { TrainingTray } from './training/TrainingTray';
import { SignedInUser, useUserStored } from './user';

type View = { status: 'loading' } | { status: 'signed-out'; error?: string } | { status: 'signed-in'; user: User };
type Tab = 'generate' | 'collect' | 'training' | 'models' | 'licenses';
const tabNames: Record<Tab, string> = { generate: 'Generate', collect: 'Collect', training: 'Training', models: 'Models', licenses: 'Licenses' };

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

  return (
    <>
      <AccountBar user={user} creditsVersion={creditsVersion} onSignedOut={onSignedOut} />
      <CaptureNotice />
      <NewPin />
      <nav class="tabs" role="tablist">
        {(Object.keys(tabNames) as Tab[]).map((t) => (
          <button key={t} type="button" role="tab" aria-selected={tab === t} data-testid={`tab-${t}`} class={tab === t ? 'tab active' : 'tab'} onClick={() => setTab(t)}>
            {tabNames[t]}
          </button>
        ))}
      </nav>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {!models && !error && <p class="muted">Loading models…</p>}
      {models && tab === 'generate' && <GenerateView models={models} creditsVersion={creditsVersion} onCreditsChanged={() => setCreditsVersion((v) => v + 1)} />}
      {models && tab === 'models' && <ModelList models={models} />}
      {tab === 'collect' && <CollectGrid />}
      {tab === 'training' && <TrainingTray />}
      {tab === 'licenses' && <LicenseList />}
    </>
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
