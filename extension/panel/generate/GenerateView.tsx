// The Generate tab: the form, and the results it starts, kept up to date while they run.
import { useEffect, useState } from 'preact/hooks';
import { type Generation, isGenerationOpen } from '../../../shared/api/generation';
import type { PublicModel } from '../../../shared/catalog/types';
import { api, messageOf, withToken } from '../api';
import { useLiveEvent, useLiveUp } from '../live';
import { GenerateForm } from './GenerateForm';
import { Results } from './Results';

const POLL_MS = 1000;

/** How far a view of a generation has come: running is past queued, finished past both, then more images, then more steps. */
const progressOf = (g: Generation) => (g.status === 'queued' ? 0 : isGenerationOpen(g) ? 1000 : 2000) + g.images.length + (isGenerationOpen(g) ? (g.progress.fraction ?? 0) * 0.5 : 0);

/**
 * Puts `fresh` into the list unless the list already has a view of it that came further: the
 * live channel can tell of images before the answer that started the generation arrives.
 */
export function upsert(all: Generation[], fresh: Generation): Generation[] {
  const known = all.find((g) => g.id === fresh.id);
  if (!known) return [fresh, ...all];
  return progressOf(known) > progressOf(fresh) ? all : all.map((g) => (g.id === fresh.id ? fresh : g));
}

interface Props {
  models: PublicModel[];
  creditsVersion: number;
  onCreditsChanged(): void;
}

export function GenerateView({ models, creditsVersion, onCreditsChanged }: Props) {
  const [generations, setGenerations] = useState<Generation[]>([]);
  const [error, setError] = useState('');
  const [available, setAvailable] = useState<number | null>(null);

  useEffect(() => {
    withToken((token) => api.credits(token))
      .then((c) => setAvailable(c.available))
      .catch(() => setAvailable(null));
  }, [creditsVersion]);

  async function refresh(id: string) {
    try {
      const fresh = await withToken((token) => api.generation(token, id));
      setGenerations((all) => all.map((g) => (g.id === id ? fresh : g)));
    } catch (e) {
      setError(messageOf(e));
    }
  }

  // The history is paged: the newest page at once, older ones when asked for.
  const [olderCursor, setOlderCursor] = useState<string | null>(null);
  useEffect(() => {
    withToken((token) => api.generations(token))
      .then((page) => {
        setGenerations(page.items);
        setOlderCursor(page.next_cursor);
      })
      .catch((e) => setError(messageOf(e)));
  }, []);

  async function showOlder() {
    if (!olderCursor) return;
    try {
      const page = await withToken((token) => api.generations(token, olderCursor));
      setGenerations((all) => [...all, ...page.items.filter((g) => !all.some((x) => x.id === g.id))]);
      setOlderCursor(page.next_cursor);
    } catch (e) {
      setError(messageOf(e));
    }
  }

  // Each change of a generation arrives on the live channel as it happens; a new one (started
  // elsewhere) goes on top.
  useLiveEvent('generation.updated', (fresh) => {
    setGenerations((all) => upsert(all, fresh));
  });
  useLiveEvent('credits.changed', (fresh) => setAvailable(fresh.available));

  // Polling is the fallback while the channel is down.
  const liveUp = useLiveUp();
  const running = generations.filter(isGenerationOpen).map((g) => g.id).join(',');
  useEffect(() => {
    if (!running || liveUp) return;
    const timer = setInterval(async () => {
      try {
        const fresh = await Promise.all(running.split(',').map((id) => withToken((token) => api.generation(token, id))));
        setGenerations((all) => all.map((g) => fresh.find((f) => f.id === g.id) ?? g));
        if (fresh.some((g) => !isGenerationOpen(g))) onCreditsChanged();
        setError('');
      } catch (e) {
        setError(messageOf(e));
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [running, liveUp]);

  function started(g: Generation) {
    setGenerations((all) => upsert(all, g));
    // On the live channel the hold arrives as credits.changed; without it, read the balance again.
    if (!liveUp) onCreditsChanged();
  }

  async function cancel(id: string) {
    try {
      const canceled = await withToken((token) => api.cancelGeneration(token, id));
      setGenerations((all) => all.map((g) => (g.id === id ? canceled : g)));
      onCreditsChanged();
    } catch (e) {
      setError(messageOf(e));
    }
  }

  return (
    <>
      <GenerateForm models={models} creditsVersion={creditsVersion} onStarted={started} />
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <Results
        generations={generations}
        models={models}
        available={available}
        onCancel={cancel}
        onStarted={started}
        onShowOlder={olderCursor ? showOlder : undefined}
        onLicensed={(id) => {
          void refresh(id);
          onCreditsChanged();
        }}
      />
    </>
  );
}
